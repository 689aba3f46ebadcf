"""Checks that a KPI's series and its path to the target can be read one way only."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity


@check(
    "duplicate-period",
    Severity.ERROR,
    bad="""    data:
      - {period: 2024-05, value: 58.5}
      - {period: 2024-05, value: 61}""",
    good="""    data:
      - {period: 2024-05, value: 61, note: Restated from 58.5 in the July release}""",
)
def duplicate_period(context: Context) -> Iterator[Problem]:
    """A KPI has at most one point per period.

    Two values for one month cannot both be true, and the KPI's status would depend on which
    one is read. Keep one; a revised figure replaces the old one (a diff shows it as
    `kpi-restated`)."""
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


@check(
    "trajectory",
    Severity.ERROR,
    bad="""    target: {value: 60, by: 2025-03}
    trajectory:
      - {by: 2025-06, value: 52}""",
    good="""    target: {value: 60, by: 2025-12}
    trajectory:
      - {by: 2025-03, value: 45}
      - {by: 2025-06, value: 52}""",
)
def trajectory(context: Context) -> Iterator[Problem]:
    """Trajectory milestones need a target, come in date order, and fall before its date.

    The path a KPI is judged against runs from its first point through each milestone to the
    target (docs/trust.md); milestones out of order, after the target or without one leave no
    single path to follow."""
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
