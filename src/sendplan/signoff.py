"""What a board approved (SPEC §8), and what has changed since, in plan terms. Pure.

A month's approval (`approvals/YYYY-MM.yaml`) names the commit its report came from. Reading
the plan at that commit is git's job (`git.plan_at_commit`); this module compares it with the
plan being reported and keeps the changes that alter the state at the month's end.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from datetime import date
from typing import Protocol, TypeVar

from sendplan.diff import diff_plans
from sendplan.findings import Change
from sendplan.model import Approval, Plan
from sendplan.state import PlanState, state_at

SHAPING_SETTINGS = frozenset({"stale_after_days", "kpi_tolerance", "claims_progress"})
"""Settings whose change alters flags or KPI statuses at any date."""


def approval_of(plan: Plan, as_of: date) -> Approval | None:
    """The approval of the report as of `as_of`: a report as of a month's last day whose
    month has an `approvals/` file (the first one read, if two claim the month)."""
    for approval in plan.approval_by_month.values():
        if approval.month_end == as_of:
            return approval
    return None


class _FromFile(Protocol):
    @property
    def path(self) -> str: ...


_Item = TypeVar("_Item", bound=_FromFile)


def merged_plan(current: Plan, read: Plan, paths: Collection[str]) -> Plan:
    """`current` with the files at `paths` replaced by what `read` holds for them: a plan at
    another revision, built from only the files that differ (absent in `read` = deleted)."""

    def kept(items: list[_Item], others: list[_Item]) -> list[_Item]:
        return sorted(
            [i for i in items if i.path not in paths] + others, key=lambda item: item.path
        )

    return Plan(
        settings=read.settings,
        areas=kept(current.areas, read.areas),
        objectives=kept(current.objectives, read.objectives),
        evidence=kept(current.evidence, read.evidence),
        kpis=kept(current.kpis, read.kpis),
        recommendations=kept(current.recommendations, read.recommendations),
        approvals=kept(current.approvals, read.approvals),
        files=current.files,
    )


def _objective_keys(state: PlanState) -> dict[str, Hashable]:
    return {
        s.objective.id: (
            s.brag,
            s.rating.date if s.rating else None,
            s.rating.note if s.rating else None,
            s.due,
            s.complete,
            s.flags,
            s.withdrawn,
        )
        for s in state.objectives
    }


def _kpi_keys(state: PlanState) -> dict[str, Hashable]:
    return {k.kpi.id: (k.latest, k.status, k.judgement.expected) for k in state.kpis}


def post_approval_changes(approved: Plan, current: Plan, month_end: date) -> list[Change]:
    """Every change from the `approved` plan to `current` that alters the state at
    `month_end`: objectives and KPIs added or removed, anything dated on or before the
    month's end (ratings, re-baselines, completion, withdrawal, KPI points), undated changes
    of an item whose state at the month's end differs (a deadline, the KPIs it lists, a
    target), and the settings that shape flags and statuses."""
    before, after = state_at(approved, month_end), state_at(current, month_end)
    moved: dict[str, set[str]] = {"objective": set(), "kpi": set()}
    for kind, keys in (("objective", _objective_keys), ("kpi", _kpi_keys)):
        old, new = keys(before), keys(after)
        moved[kind] = {item for item in old.keys() | new.keys() if old.get(item) != new.get(item)}
    kept = []
    for change in diff_plans(approved, current):
        if change.kind == "approval":
            continue  # the approval itself is what the changes are measured against
        if change.kind == "config":
            relevant = change.id in SHAPING_SETTINGS
        elif change.change in ("added", "removed", "rated-objective-removed"):
            relevant = change.kind in moved
        elif change.on is not None:
            relevant = change.on <= month_end
        else:
            relevant = change.id in moved.get(change.kind, set())
        if relevant:
            kept.append(change)
    return kept
