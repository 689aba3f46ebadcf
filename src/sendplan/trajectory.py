"""A KPI's agreed path to its target, and its status at a date (SPEC §7). Pure.

The status follows a written rule, never a judgement: the latest point known at A is compared
with the target and with the value the path expects at that point's period end. Arithmetic is
exact (fractions of the decimals as written), so a value exactly at the edge of the tolerance is
on track whatever binary floating point would make of it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from sendplan.model import DataPoint, Kpi

KpiStatus = Literal["no-data", "no-target", "met", "missed", "on-track", "off-track"]
KPI_STATUSES: tuple[KpiStatus, ...] = (
    "no-data",
    "no-target",
    "met",
    "missed",
    "on-track",
    "off-track",
)
"""Every KPI status, in the order of SPEC §7."""
CONTRADICTING: frozenset[KpiStatus] = frozenset({"off-track", "missed"})
"""The statuses that contradict a rating claiming progress."""
TargetState = Literal["met", "not-yet-met", "missed"]
"""Where a KPI stands against its target value: reached, not reached while its date has not
come (or it has none), or not reached by its date. Read from the status, never judged twice."""
EXPECTED_DIGITS = 2
"""Expected values are shown and exported rounded to this many decimals."""


def _exact(value: float) -> Fraction:
    """The decimal as written in the file (repr is the shortest text that reads back)."""
    return Fraction(repr(value))


@dataclass(frozen=True)
class Anchor:
    """A corner of the path: the value expected on a day."""

    day: date
    value: float


def path(kpi: Kpi) -> tuple[Anchor, ...]:
    """The straight-line path: the first data point, each later milestone, the dated target.

    Empty without a target or without data. Milestones on or before the first point, or not
    before the target's date, are not on the path (`validate` reports the latter).
    """
    if kpi.target is None or not kpi.data:
        return ()
    first = min(kpi.data, key=lambda p: p.period)
    anchors = [Anchor(first.period.end, first.value)]
    deadline = kpi.target.by
    for milestone in kpi.trajectory:
        if milestone.by <= anchors[-1].day:
            continue
        if deadline is not None and milestone.by >= deadline:
            break
        anchors.append(Anchor(milestone.by, milestone.value))
    if deadline is not None and deadline > anchors[-1].day:
        anchors.append(Anchor(deadline, kpi.target.value))
    return tuple(anchors)


def _expected(kpi: Kpi, day: date) -> Fraction | None:
    anchors = path(kpi)
    if not anchors or day < anchors[0].day:
        return None
    assert kpi.target is not None  # a path needs a target
    if kpi.target.by is not None and day >= kpi.target.by:
        return _exact(kpi.target.value)  # the deadline has come: the target itself
    for start, end in itertools.pairwise(anchors):
        if start.day <= day <= end.day:
            share = Fraction((day - start.day).days, (end.day - start.day).days)
            return _exact(start.value) + (_exact(end.value) - _exact(start.value)) * share
    return None  # a target without a date: no path past its last milestone (or at all)


def expected_value(kpi: Kpi, day: date) -> float | None:
    """The value the path expects on `day`; None before the first point or with no target."""
    exact = _expected(kpi, day)
    return None if exact is None else float(exact)


def tolerance_of(kpi: Kpi, default: float) -> float:
    """The KPI's own tolerance (percent), else the plan's `kpi_tolerance`."""
    return kpi.tolerance if kpi.tolerance is not None else default


def _as_good(value: Fraction, than: Fraction, better: str) -> bool:
    return value >= than if better == "higher" else value <= than


@dataclass(frozen=True)
class Judgement:
    """A KPI's status at A and the figures it rests on."""

    status: KpiStatus
    expected: float | None
    """The value the path expects at the latest point's period end (rounded for display)."""
    gap: float | None
    """The latest value minus the expected one (rounded); None without an expected value."""
    shortfall: float | None
    """How far the latest value is worse than expected, in percent of the expected value
    (negative when better); None when there is nothing to compare."""


def judge(kpi: Kpi, known: Sequence[DataPoint], as_of: date, tolerance: float) -> Judgement:
    """The status at `as_of` of a KPI whose points known then are `known` (in period order)."""
    if not known:
        return Judgement("no-data", None, None, None)
    latest = known[-1]
    target = kpi.target
    exact_expected = _expected(kpi, latest.period.end)
    if target is None:
        return Judgement("no-target", None, None, None)
    value, goal = _exact(latest.value), _exact(target.value)
    if exact_expected is None:
        expected = gap = None
    else:
        expected = round(float(exact_expected), EXPECTED_DIGITS)
        gap = round(float(value - exact_expected), EXPECTED_DIGITS)
    deadline_passed = target.by is not None and target.by < as_of
    shortfall = _shortfall(value, exact_expected, kpi.better)

    def judged(status: KpiStatus) -> Judgement:
        return Judgement(status, expected, gap, shortfall)

    if kpi.better is None:  # no direction: only equality with the target can be judged
        if value == goal:
            return judged("met")
        return judged("missed" if deadline_passed else "no-target")
    if _as_good(value, goal, kpi.better):
        return judged("met")
    if deadline_passed:
        return judged("missed")
    if exact_expected is None:
        return judged("no-target")
    worse_by = (exact_expected - value) if kpi.better == "higher" else (value - exact_expected)
    allowed = _exact(tolerance) / 100 * abs(exact_expected)
    return judged("on-track" if worse_by <= allowed else "off-track")


def target_state(status: KpiStatus, has_target: bool) -> TargetState | None:
    """The target's state for a status: None without a target or without data."""
    if not has_target or status == "no-data":
        return None
    if status == "met" or status == "missed":
        return status
    return "not-yet-met"  # on or off track, or no path to judge it by: its date has not come


def _shortfall(value: Fraction, expected: Fraction | None, better: str | None) -> float | None:
    if expected is None or better is None or expected == 0:
        return None
    worse_by = (expected - value) if better == "higher" else (value - expected)
    return round(float(worse_by / abs(expected) * 100), 1)
