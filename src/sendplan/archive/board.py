"""Each month as the board saw it: the one seam between the archive site and sign-off.

An approved month's page is rendered from the plan at its approval commit (what the board
saw), with the changes made since listed; any other month comes from the current plan and is
marked "not approved". Everything else in the site only asks `BoardMonth`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sendplan.dates import long_date, month_end, period_label
from sendplan.model import Plan, Rating
from sendplan.state import KpiState, ObjectiveState, state_at
from sendplan.vocabulary import FLAG_WORDS, ONGOING, RATING_WORDS, UNRATED, natural_key


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
    """The objective or KPI concerned."""
    message: str
    kind: str = "objective"
    """`objective` or `kpi`."""


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
    unavailable: str | None = None
    """Why an approved month's plan could not be read (then `plan` is the current one)."""


def months_between(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month to `last`'s, oldest first."""
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [month_end(i // 12, i % 12 + 1) for i in range(index, end + 1)]


def first_rated_month(plan: Plan) -> date | None:
    """The end of the month of the plan's earliest rating; None when nothing is rated."""
    dates = [r.date for o in plan.objectives for r in o.ratings]
    return month_end(min(dates).year, min(dates).month) if dates else None


Approved = tuple[SignOff, Plan | str]
"""An approval and the plan at its commit, or why that plan cannot be read."""


def board_months(
    months: Iterable[date],
    current: Plan,
    commit: str | None,
    dirty: bool,
    approved: Mapping[date, Approved] | None = None,
) -> list[BoardMonth]:
    """Each month from its approval's plan when approved, else from the current plan."""
    approved = approved or {}
    result = []
    for month in months:
        if month not in approved:
            result.append(BoardMonth(month, current, commit, dirty))
            continue
        sign_off, seen = approved[month]
        if isinstance(seen, str):
            result.append(BoardMonth(month, current, commit, dirty, sign_off, (), seen))
            continue
        changes = later_changes(seen, current, month)
        result.append(BoardMonth(month, seen, sign_off.commit, False, sign_off, changes))
    return result


def later_changes(seen: Plan, now: Plan, as_of: date) -> tuple[LaterChange, ...]:
    """What differs between the plan the board saw and the plan now, in how each objective and
    KPI stood at `as_of` (SPEC §8's post-approval changes), in natural ID order."""
    changes: list[LaterChange] = []
    before, after = state_at(seen, as_of), state_at(now, as_of)
    old = {s.objective.id: s for s in before.objectives}
    new = {s.objective.id: s for s in after.objectives}
    for oid in sorted(old.keys() | new.keys(), key=natural_key):
        if oid not in new:
            changes.append(LaterChange(oid, "removed from the plan since the approval"))
        elif oid not in old:
            changes.append(
                LaterChange(oid, f"added to the plan since the approval ({new[oid].brag})")
            )
        else:
            changes.extend(
                LaterChange(oid, m) for m in _objective_changes(old[oid], new[oid], as_of)
            )
    old_kpis = {k.kpi.id: k for k in before.kpis}
    new_kpis = {k.kpi.id: k for k in after.kpis}
    for kid in sorted(old_kpis.keys() | new_kpis.keys(), key=natural_key):
        if kid not in new_kpis:
            changes.append(LaterChange(kid, "removed from the plan since the approval", "kpi"))
        elif kid not in old_kpis:
            changes.append(LaterChange(kid, "added to the plan since the approval", "kpi"))
        else:
            changes.extend(
                LaterChange(kid, m, "kpi") for m in _kpi_changes(old_kpis[kid], new_kpis[kid])
            )
    return tuple(changes)


def _rating_text(rating: Rating | None) -> str:
    if rating is None:
        return RATING_WORDS[UNRATED].lower()
    return f"{RATING_WORDS[rating.brag].lower()} of {long_date(rating.date)}"


def _objective_changes(old: ObjectiveState, new: ObjectiveState, as_of: date) -> Iterator[str]:
    at = long_date(as_of)
    if old.rating != new.rating:
        now, saw = _rating_text(new.rating), _rating_text(old.rating)
        yield f"rating at {at} is now {now} (the board saw {saw})"
    if old.previous != new.previous:
        yield (
            f"rating a month before is now {_rating_text(new.previous)} "
            f"(the board saw {_rating_text(old.previous)})"
        )
    if old.due != new.due:
        yield (f"deadline in force at {at} is now {_day(new.due)} (the board saw {_day(old.due)})")
    if old.complete != new.complete:
        yield (
            f"now complete at {at} (the board saw it not complete)"
            if new.complete
            else f"now not complete at {at} (the board saw it complete)"
        )
    if (old.withdrawn is None) != (new.withdrawn is None):
        yield (
            f"now withdrawn at {at} (the board saw it in the plan)"
            if new.withdrawn
            else f"no longer withdrawn at {at} (the board saw it withdrawn)"
        )
    if old.flags != new.flags and old.rating == new.rating and old.due == new.due:
        yield (f"flags at {at} are now {_flags(new.flags)} (the board saw {_flags(old.flags)})")


def _day(day: date | None) -> str:
    return ONGOING.lower() if day is None else long_date(day)


def _flags(flags: tuple[str, ...]) -> str:
    return ", ".join(FLAG_WORDS[f] for f in flags) or "none"


def _kpi_changes(old: KpiState, new: KpiState) -> Iterator[str]:
    before = {str(p.period): p.value for p in old.known}
    after = {str(p.period): p.value for p in new.known}
    labels = {str(p.period): period_label(p.period) for p in (*old.known, *new.known)}
    for period in sorted(before.keys() | after.keys()):
        label = labels[period]
        if period not in before:
            yield f"figure for {label} added since the approval: {_number(after[period])}"
        elif period not in after:
            yield f"figure for {label} removed since the approval (was {_number(before[period])})"
        elif before[period] != after[period]:
            yield (
                f"figure for {label} restated: {_number(after[period])} "
                f"(the board saw {_number(before[period])})"
            )


def _number(value: float) -> str:
    return f"{value:g}"
