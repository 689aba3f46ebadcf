"""The plan at an as-of date A (SPEC §3): ratings, movement, deadlines, flags, KPI values,
recommendations and milestones (SPEC §9). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sendplan import vocabulary
from sendplan.dates import previous_month_end
from sendplan.model import DataPoint, DueChange, Kpi, Objective, Plan, Rating
from sendplan.recommendations import RecommendationState, recommendation_states
from sendplan.timeline import MilestoneState, milestones_at
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
    kpis: tuple[KpiState, ...]
    recommendations: tuple[RecommendationState, ...] = ()
    """Recommendations made on or before A (SPEC §9)."""
    milestones: tuple[MilestoneState, ...] = ()
    """The plan's milestones, by due date."""


def rating_at(ratings: Iterable[Rating], day: date) -> Rating | None:
    """The last rating dated on or before `day` (ratings are oldest first)."""
    found = None
    for rating in ratings:
        if rating.date <= day:
            found = rating
    return found


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


def objective_state(objective: Objective, as_of: date, stale_after_days: int) -> ObjectiveState:
    """The objective at `as_of`, with its flags."""
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
    raised = {
        "red": rating is not None and rating.brag == "red",
        "overdue": due is not None and due < as_of and not complete,
        "stale": (rating is None or rating.brag != "blue")
        and (rating is None or (as_of - rating.date).days > stale_after_days),
        "declined": moved == "down",
        "rebaselined": bool(rebaselines),
        "unrated": rating is None,
    }
    flags = tuple(flag for flag in FLAGS if raised[flag])
    return ObjectiveState(objective, rating, previous, moved, due, complete, rebaselines, flags)


def kpi_state(kpi: Kpi, as_of: date) -> KpiState:
    """The KPI's points known at `as_of`, in period order."""
    known = sorted((p for p in kpi.data if p.period.end <= as_of), key=lambda p: p.period)
    return KpiState(kpi, tuple(known))


def state_at(plan: Plan, as_of: date) -> PlanState:
    """Every objective and KPI of the plan at `as_of`."""
    stale_after = plan.settings.stale_after_days
    return PlanState(
        as_of=as_of,
        previous_as_of=previous_month_end(as_of),
        objectives=tuple(objective_state(o, as_of, stale_after) for o in plan.objectives),
        kpis=tuple(kpi_state(k, as_of) for k in plan.kpis),
        recommendations=recommendation_states(plan, as_of),
        milestones=milestones_at(plan.settings, as_of),
    )
