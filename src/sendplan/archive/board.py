"""Each month as the board saw it: the one seam between the archive site and sign-off.

An approved month's page is rendered from the plan at its approval commit (what the board
saw), with the changes made since listed; any other month comes from the current plan and is
marked "not approved". Everything else in the site only asks `BoardMonth`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sendplan.dates import month_end
from sendplan.model import Plan


@dataclass(frozen=True)
class SignOff:
    """A month's approval, as the site shows it."""

    month: date
    """The approved month's last day."""
    board: str
    date: date
    """The meeting."""
    commit: str
    """The plan commit the approved report came from (full hash)."""
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LaterChange:
    """A change made after the board approved a month that changes the state at its end."""

    id: str
    """The objective, KPI or other item concerned."""
    message: str


@dataclass(frozen=True)
class BoardMonth:
    """One month of the site and the plan its page is rendered from."""

    as_of: date
    """The month's last day."""
    plan: Plan
    commit: str | None
    """The commit `plan` comes from (None outside git)."""
    dirty: bool
    """True when `plan` is the working tree with uncommitted changes."""
    sign_off: SignOff | None = None
    later_changes: tuple[LaterChange, ...] = ()


def months_between(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month to `last`'s, oldest first."""
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [month_end(i // 12, i % 12 + 1) for i in range(index, end + 1)]


def first_rated_month(plan: Plan) -> date | None:
    """The end of the month of the plan's earliest rating; None when nothing is rated."""
    dates = [r.date for o in plan.objectives for r in o.ratings]
    return month_end(min(dates).year, min(dates).month) if dates else None


def board_months(
    months: Iterable[date],
    current: Plan,
    commit: str | None,
    dirty: bool,
    approved: Mapping[date, tuple[SignOff, Plan, tuple[LaterChange, ...]]] | None = None,
) -> list[BoardMonth]:
    """Each month from its approval's plan when approved, else from the current plan."""
    approved = approved or {}
    result = []
    for month in months:
        if month in approved:
            sign_off, plan, changes = approved[month]
            result.append(BoardMonth(month, plan, sign_off.commit, False, sign_off, changes))
        else:
            result.append(BoardMonth(month, current, commit, dirty))
    return result
