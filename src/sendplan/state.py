"""The plan at an as-of date A (SPEC §3): ratings, movement, deadlines, flags, KPI values,
recommendations and milestones (SPEC §9). Pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sendplan import vocabulary
from sendplan.dates import last_on_or_before, previous_month_end
from sendplan.model import DataPoint, DueChange, Kpi, Objective, Plan, Rating, Withdrawal
from sendplan.recommendations import RecommendationState, recommendation_states
from sendplan.timeline import MilestoneState, milestones_at
from sendplan.trajectory import (
    CONTRADICTING,
    Judgement,
    TargetState,
    judge,
    target_state,
    tolerance_of,
)
from sendplan.vocabulary import COMPLETE_RATINGS, FLAGS, UNRATED, Movement


@dataclass(frozen=True)
class ObjectiveState:
    """One objective at A."""

    objective: Objective
    rating: Rating | None
    """The last rating entry dated on or before A."""
    previous: Rating | None
    """The rating at the end of the month before A."""
    movement: Movement | None
    """None when unrated at A."""
    due: date | None
    """The deadline in force at A (None when ongoing)."""
    complete: bool
    rebaselines: tuple[DueChange, ...]
    """Re-baselines dated in A's month, on or before A."""
    flags: tuple[str, ...]
    withdrawn: Withdrawal | None = None
    """The withdrawal, once in force at A: the objective is out of the counts and flags."""
    withdrawn_before: bool = False
    """Withdrawn by the end of the month before A (out of the previous month's counts)."""
    contradicted_by: tuple[KpiState, ...] = ()
    """The listed KPIs off track or missed while the rating claims progress."""

    @property
    def brag(self) -> str:
        return self.rating.brag if self.rating else UNRATED

    @property
    def previous_brag(self) -> str:
        return self.previous.brag if self.previous else UNRATED


@dataclass(frozen=True)
class KpiState:
    """One KPI at A: only points whose period has ended by A are known."""

    kpi: Kpi
    known: tuple[DataPoint, ...]
    """Points known at A, in period order."""
    judgement: Judgement
    """Its status at A, with the expected value and the gap."""
    tolerance: float
    """The tolerance (percent) the status was judged with."""

    @property
    def status(self) -> str:
        return self.judgement.status

    @property
    def target_state(self) -> TargetState | None:
        """`met`, `not-yet-met` or `missed` (from the status); None without target or data."""
        return target_state(self.judgement.status, self.kpi.target is not None)

    @property
    def latest(self) -> DataPoint | None:
        return self.known[-1] if self.known else None

    @property
    def previous(self) -> DataPoint | None:
        return self.known[-2] if len(self.known) > 1 else None

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def direction(self) -> Literal["better", "worse", "same"] | None:
        """Better or worse than the previous point, given `better:`; None when unknown."""
        change = self.change
        if change is None or self.kpi.better is None:
            return None
        if change == 0:
            return "same"
        return "better" if (change > 0) == (self.kpi.better == "higher") else "worse"

    @property
    def target_met(self) -> bool | None:
        target, latest = self.kpi.target, self.latest
        if target is None or latest is None or self.kpi.better is None:
            return None
        if self.kpi.better == "higher":
            return latest.value >= target.value
        return latest.value <= target.value


@dataclass(frozen=True)
class PlanState:
    as_of: date
    previous_as_of: date
    objectives: tuple[ObjectiveState, ...]
    """Every objective, withdrawn ones included (see `active`)."""
    kpis: tuple[KpiState, ...]
    recommendations: tuple[RecommendationState, ...] = ()
    """Recommendations made on or before A (SPEC §9)."""
    milestones: tuple[MilestoneState, ...] = ()
    """The plan's milestones, by due date."""

    @property
    def active(self) -> tuple[ObjectiveState, ...]:
        """The objectives not withdrawn at A: the ones counted and flagged."""
        return tuple(s for s in self.objectives if s.withdrawn is None)

    @property
    def withdrawn(self) -> tuple[ObjectiveState, ...]:
        """The objectives withdrawn on or before A."""
        return tuple(s for s in self.objectives if s.withdrawn is not None)


def rating_at(ratings: Iterable[Rating], day: date) -> Rating | None:
    """The last rating dated on or before `day` (ratings are oldest first)."""
    return last_on_or_before(ratings, day)


def due_at(objective: Objective, day: date) -> date | None:
    """The deadline in force on `day`: a re-baseline dated after `day` has not happened yet."""
    later = [change for change in objective.due_history if change.on > day]
    return min(later, key=lambda change: change.on).from_ if later else objective.due


def movement(previous: Rating | None, current: Rating | None) -> Movement | None:
    """How a rating moved: up, down, same, or new (no rating before)."""
    return vocabulary.movement(
        previous.brag if previous else None, current.brag if current else None
    )


def is_complete(objective: Objective, rating: Rating | None, day: date) -> bool:
    """Done on or before `day`, or rated green or blue."""
    done = objective.done is not None and objective.done <= day
    return done or (rating is not None and rating.brag in COMPLETE_RATINGS)


def objective_state(
    objective: Objective,
    as_of: date,
    stale_after_days: int,
    kpis: Mapping[str, KpiState] | None = None,
    claims_progress: Collection[str] = (),
) -> ObjectiveState:
    """The objective at `as_of`, with its flags (`kpis`: every KPI's state at `as_of`)."""
    rating = rating_at(objective.ratings, as_of)
    previous = rating_at(objective.ratings, previous_month_end(as_of))
    moved = movement(previous, rating)
    due = due_at(objective, as_of)
    complete = is_complete(objective, rating, as_of)
    rebaselines = tuple(
        change
        for change in objective.due_history
        if (change.on.year, change.on.month) == (as_of.year, as_of.month) and change.on <= as_of
    )
    contradicted_by: tuple[KpiState, ...] = ()
    if rating is not None and rating.brag in claims_progress and kpis:
        listed = (kpis.get(kpi_id) for kpi_id in dict.fromkeys(objective.kpis))
        contradicted_by = tuple(k for k in listed if k is not None and k.status in CONTRADICTING)
    withdrawal = objective.withdrawn
    withdrawn = withdrawal if withdrawal is not None and withdrawal.on <= as_of else None
    raised = {
        "red": rating is not None and rating.brag == "red",
        "contradicted": bool(contradicted_by),
        "overdue": due is not None and due < as_of and not complete,
        "stale": (rating is None or rating.brag != "blue")
        and (rating is None or (as_of - rating.date).days > stale_after_days),
        "declined": moved == "down",
        "rebaselined": bool(rebaselines),
        "unrated": rating is None,
    }
    # A withdrawn objective keeps its history but raises no flag from the withdrawal's date.
    flags = () if withdrawn else tuple(flag for flag in FLAGS if raised[flag])
    return ObjectiveState(
        objective,
        rating,
        previous,
        moved,
        due,
        complete,
        rebaselines,
        flags,
        withdrawn=withdrawn,
        withdrawn_before=withdrawal is not None and withdrawal.on <= previous_month_end(as_of),
        contradicted_by=contradicted_by,
    )


def kpi_state(kpi: Kpi, as_of: date, default_tolerance: float = 10) -> KpiState:
    """The KPI at `as_of`: its points known by then, in period order, and its status."""
    known = tuple(sorted((p for p in kpi.data if p.period.end <= as_of), key=lambda p: p.period))
    tolerance = tolerance_of(kpi, default_tolerance)
    return KpiState(kpi, known, judge(kpi, known, as_of, tolerance), tolerance)


def _by_id(kpis: Iterable[KpiState]) -> dict[str, KpiState]:
    by_id: dict[str, KpiState] = {}
    for k in kpis:
        by_id.setdefault(k.kpi.id, k)  # a duplicate ID is a finding; the first file counts
    return by_id


def state_at(plan: Plan, as_of: date) -> PlanState:
    """Every objective and KPI of the plan at `as_of`."""
    settings = plan.settings
    kpis = tuple(kpi_state(k, as_of, settings.kpi_tolerance) for k in plan.kpis)
    by_id = _by_id(kpis)
    claims = frozenset(settings.claims_progress)
    return PlanState(
        as_of=as_of,
        previous_as_of=previous_month_end(as_of),
        objectives=tuple(
            objective_state(o, as_of, settings.stale_after_days, by_id, claims)
            for o in plan.objectives
        ),
        kpis=kpis,
        recommendations=recommendation_states(plan, as_of),
        milestones=milestones_at(plan.settings, as_of),
    )


def objective_state_in(plan: Plan, objective: Objective, as_of: date) -> ObjectiveState:
    """One objective at `as_of` exactly as `state_at` gives it (its KPIs' states and the plan's
    settings included), without working out the rest of the plan."""
    settings = plan.settings
    listed = set(objective.kpis)
    kpis = (kpi_state(k, as_of, settings.kpi_tolerance) for k in plan.kpis if k.id in listed)
    claims = frozenset(settings.claims_progress)
    return objective_state(objective, as_of, settings.stale_after_days, _by_id(kpis), claims)
