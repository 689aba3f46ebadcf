"""Checks that a KPI's series and its path to the target can be read one way only."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity


@check("duplicate-period", Severity.ERROR)
def duplicate_period(context: Context) -> Iterator[Problem]:
    """A KPI has at most one point per period: two values for one month cannot both be true."""
    for kpi in context.plan.kpis:
        first: dict[tuple[object, object], int] = {}
        for i, point in enumerate(kpi.data):
            key = (point.period.start, point.period.end)
            if key in first:
                yield Problem(
                    kpi.path,
                    ("data", i, "period"),
                    f"KPI {kpi.id} has two points for {point.period} (items {first[key] + 1} "
                    f"and {i + 1} of data); keep one, and record a restatement as a new value",
                    kpi.id,
                )
            else:
                first[key] = i


@check("trajectory", Severity.ERROR)
def trajectory(context: Context) -> Iterator[Problem]:
    """Trajectory milestones need a target, come in date order, and fall before its date."""
    for kpi in context.plan.kpis:
        if kpi.trajectory and kpi.target is None:
            yield Problem(
                kpi.path,
                ("trajectory",),
                f"KPI {kpi.id} has a trajectory but no target; add target: {{value: V, by: DATE}}",
                kpi.id,
            )
            continue
        deadline = kpi.target.by if kpi.target is not None else None
        for i, milestone in enumerate(kpi.trajectory):
            if i and milestone.by <= kpi.trajectory[i - 1].by:
                yield Problem(
                    kpi.path,
                    ("trajectory", i, "by"),
                    f"KPI {kpi.id}: milestone by {milestone.by} follows one by "
                    f"{kpi.trajectory[i - 1].by}; list milestones in increasing date order",
                    kpi.id,
                )
            elif deadline is not None and milestone.by >= deadline:
                yield Problem(
                    kpi.path,
                    ("trajectory", i, "by"),
                    f"KPI {kpi.id}: milestone by {milestone.by} is not before the target's "
                    f"date ({deadline}); interim milestones come before the target",
                    kpi.id,
                )
