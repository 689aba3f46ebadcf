"""Plan dates: ISO days, months meaning their last day, and KPI periods."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

# ASCII digits only: `\d` would take Arabic-Indic and other scripts' digits too (issue 13).
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"([0-9]{4})")
FIRST_YEAR = 1000
LAST_YEAR = 9998
"""The years sendplan works with: a report looks a year or so before and after its dates, and
Python's dates end at 0001-01-01 and 9999-12-31."""

MONTH_NAMES = tuple(calendar.month_name)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"{text!r} is outside the years sendplan works with ({FIRST_YEAR} to {LAST_YEAR})"
        )


def _day(m: re.Match[str], text: str) -> date:
    year, month, day = (int(g) for g in m.groups())
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(
            f"{text!r} is not a real date: {MONTH_NAMES[month]} {year} has {last} days"
        )
    return date(year, month, day)


def _month(m: re.Match[str], text: str) -> date:
    year, month = int(m.group(1)), int(m.group(2))
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    return month_end(year, month)


def parse_plan_date(text: str) -> date:
    """`YYYY-MM-DD`, or `YYYY-MM` meaning the last day of that month."""
    if m := _DAY.fullmatch(text):
        return _day(m, text)
    if m := _MONTH.fullmatch(text):
        return _month(m, text)
    raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD, or YYYY-MM for the end of a month")


def parse_day(text: str) -> date:
    """`YYYY-MM-DD` only (for `--as-of` and `--date`)."""
    if m := _DAY.fullmatch(text):
        return _day(m, text)
    raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD")


def parse_month(text: str) -> date:
    """`YYYY-MM` (for `--month`): the last day of that month."""
    if m := _MONTH.fullmatch(text):
        return _month(m, text)
    raise ValueError(f"{text!r} is not a month: use YYYY-MM")


def previous_month_end(day: date) -> date:
    """The last day of the month before `day`'s month."""
    return date(day.year, day.month, 1) - timedelta(days=1)


def month_label(day: date) -> str:
    """`June 2024`."""
    return f"{MONTH_NAMES[day.month]} {day.year}"


def long_date(day: date) -> str:
    """`30 June 2024`."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


@dataclass(frozen=True, order=True)
class Period:
    """A KPI period: a year, a month or a day, as written; known once `end` has passed."""

    end: date
    start: date
    text: str

    def __str__(self) -> str:
        return self.text


def parse_period(text: str) -> Period:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    if m := _DAY.fullmatch(text):
        day = _day(m, text)
        return Period(day, day, text)
    if m := _MONTH.fullmatch(text):
        end = _month(m, text)
        return Period(end, end.replace(day=1), text)
    if _YEAR.fullmatch(text):
        year = int(text)
        _check_year(year, text)
        return Period(date(year, 12, 31), date(year, 1, 1), text)
    raise ValueError(f"{text!r} is not a period: use YYYY, YYYY-MM or YYYY-MM-DD")


def period_label(period: Period) -> str:
    """`2023`, `May 2024` or `5 June 2024`."""
    if len(period.text) == 4:
        return period.text
    if len(period.text) == 7:
        return month_label(period.end)
    return long_date(period.end)


class _Dated(Protocol):
    @property
    def date(self) -> date: ...


_D = TypeVar("_D", bound=_Dated)


def last_on_or_before(entries: Iterable[_D], day: date) -> _D | None:
    """The last of `entries` (oldest first) dated on or before `day`: the rating or update in
    force on that day."""
    found = None
    for entry in entries:
        if entry.date <= day:
            found = entry
    return found
