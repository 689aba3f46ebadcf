"""Each month as the board saw it: the one seam between the archive site and sign-off.

An approved month's page is rendered from the plan at its approval commit (what the board
saw, SPEC §8), with the changes made since listed; any other month comes from the current
plan and is marked "not approved". Reading the approved plan and working out the changes is
sign-off's (`comparison.approved_month`, `signoff.post_approval_changes`); the rest of the
site only asks `BoardMonth`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sendplan.comparison import ApprovedMonth
from sendplan.dates import month_end
from sendplan.findings import Change
from sendplan.model import Approval, Plan
from sendplan.views import ReportMeta


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
    approval: Approval | None = None
    changes: tuple[Change, ...] | None = None
    """The post-approval changes; None when the approved plan could not be read."""
    unavailable: str | None = None
    """Why an approved month's plan could not be read (then `plan` is the current one)."""

    @property
    def as_approved(self) -> bool:
        """The page is the plan the board approved."""
        return self.approval is not None and self.unavailable is None

    def meta(self, generated_at: datetime, public: bool, invalid: int) -> ReportMeta:
        """The report's facts for this month's page (`invalid`: the current plan's errors)."""
        if self.as_approved:
            assert self.approval is not None
            return ReportMeta(
                generated_at=generated_at,
                commit=self.approval.commit,
                public=public,
                approval=self.approval,
                since_approval=self.changes,
                as_approved=True,
            )
        return ReportMeta(
            generated_at=generated_at,
            commit=self.commit,
            dirty=self.dirty,
            public=public,
            invalid=invalid,
            approval=self.approval,
            unavailable=self.unavailable,
        )


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
    approved: Mapping[date, ApprovedMonth] | None = None,
) -> list[BoardMonth]:
    """Each month from its approval's plan when approved (and readable), else the current."""
    approved = approved or {}
    result = []
    for month in months:
        found = approved.get(month)
        if found is None:
            result.append(BoardMonth(month, current, commit, dirty))
        elif found.loaded is None:
            result.append(
                BoardMonth(month, current, commit, dirty, found.approval, None, found.unavailable)
            )
        else:
            seen = found.loaded.plan
            result.append(BoardMonth(month, seen, None, False, found.approval, found.changes))
    return result
