"""Scrutiny recommendations at an as-of date A (SPEC §9): response, status and flags. Pure.

A recommendation made after A did not exist yet at A, and a response given (`responded`)
after A had not been given yet: at A it was still pending. Everything else follows SPEC §9.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sendplan.model import Plan, Recommendation, RecommendationUpdate

STATUSES = ("open", "in-progress", "implemented", "closed")
"""Every status, in the order of progress (and of the report's counts)."""
RESPONSES = ("accepted", "partly-accepted", "rejected", "pending")
FLAGS = ("overdue", "unanswered")
"""Every recommendation flag, in the order they are shown."""
DONE_STATUSES = ("implemented", "closed")
"""A recommendation in one of these is never overdue."""


@dataclass(frozen=True)
class RecommendationState:
    """One recommendation at A."""

    recommendation: Recommendation
    response: str
    """The response at A: `pending` until the `responded` date, when there is one."""
    update: RecommendationUpdate | None
    """The last update dated on or before A."""
    flags: tuple[str, ...]

    @property
    def status(self) -> str:
        """The last update's status on or before A, else `open`."""
        return self.update.status if self.update is not None else "open"


def update_at(updates: Iterable[RecommendationUpdate], day: date) -> RecommendationUpdate | None:
    """The last update dated on or before `day` (updates are oldest first)."""
    found = None
    for update in updates:
        if update.date <= day:
            found = update
    return found


def response_at(recommendation: Recommendation, day: date) -> str:
    """The response in force on `day`: a response dated after `day` had not been given."""
    responded = recommendation.responded
    if responded is not None and responded > day:
        return "pending"
    return recommendation.response


def recommendation_state(
    recommendation: Recommendation, as_of: date, response_days: int
) -> RecommendationState:
    """The recommendation at `as_of`, with its flags."""
    update = update_at(recommendation.updates, as_of)
    status = update.status if update is not None else "open"
    response = response_at(recommendation, as_of)
    due = recommendation.due
    raised = {
        "overdue": due is not None and due < as_of and status not in DONE_STATUSES,
        "unanswered": response == "pending" and (as_of - recommendation.made).days > response_days,
    }
    flags = tuple(flag for flag in FLAGS if raised[flag])
    return RecommendationState(recommendation, response, update, flags)


def recommendation_states(plan: Plan, as_of: date) -> tuple[RecommendationState, ...]:
    """Every recommendation made on or before `as_of`, in file order."""
    days = plan.settings.response_days
    return tuple(
        recommendation_state(r, as_of, days) for r in plan.recommendations if r.made <= as_of
    )


def naming_objective(plan: Plan, objective_id: str) -> list[Recommendation]:
    """The recommendations whose `objectives:` name `objective_id`, in file order."""
    return [r for r in plan.recommendations if objective_id in r.objectives]
