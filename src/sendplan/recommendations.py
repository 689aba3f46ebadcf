"""Scrutiny recommendations at an as-of date A (SPEC §9): response, status and flags. Pure.

A recommendation made after A did not exist yet at A, and a response given (`responded`)
after A had not been given yet: at A it was still pending. Everything else follows SPEC §9.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sendplan.dates import last_on_or_before
from sendplan.model import Plan, Recommendation, RecommendationUpdate
from sendplan.vocabulary import (
    DONE_STATUSES,
    OPEN,
    PENDING,
    RECOMMENDATION_FLAGS,
    RecommendationStatus,
    Response,
    natural_key,
)


@dataclass(frozen=True)
class RecommendationState:
    """One recommendation at A."""

    recommendation: Recommendation
    response: Response
    """The response at A: `pending` until the `responded` date, when there is one."""
    update: RecommendationUpdate | None
    """The last update dated on or before A."""
    flags: tuple[str, ...]

    @property
    def status(self) -> RecommendationStatus:
        """The last update's status on or before A, else `open`."""
        return self.update.status if self.update is not None else OPEN


def update_at(updates: Iterable[RecommendationUpdate], day: date) -> RecommendationUpdate | None:
    """The last update dated on or before `day` (updates are oldest first)."""
    return last_on_or_before(updates, day)


def response_at(recommendation: Recommendation, day: date) -> Response:
    """The response in force on `day`: a response dated after `day` had not been given."""
    responded = recommendation.responded
    if responded is not None and responded > day:
        return PENDING
    return recommendation.response


def recommendation_state(
    recommendation: Recommendation, as_of: date, response_days: int
) -> RecommendationState:
    """The recommendation at `as_of`, with its flags."""
    update = update_at(recommendation.updates, as_of)
    status = update.status if update is not None else OPEN
    response = response_at(recommendation, as_of)
    due = recommendation.due
    raised = {
        "overdue": due is not None and due < as_of and status not in DONE_STATUSES,
        "unanswered": response == PENDING and (as_of - recommendation.made).days > response_days,
    }
    flags = tuple(flag for flag in RECOMMENDATION_FLAGS if raised[flag])
    return RecommendationState(recommendation, response, update, flags)


def _in_id_order(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    return sorted(recommendations, key=lambda r: natural_key(r.id))


def recommendation_states(plan: Plan, as_of: date) -> tuple[RecommendationState, ...]:
    """Every recommendation made on or before `as_of`, in natural ID order."""
    days = plan.settings.response_days
    made = (r for r in plan.recommendations if r.made <= as_of)
    return tuple(recommendation_state(r, as_of, days) for r in _in_id_order(made))


def naming_objective(plan: Plan, objective_id: str) -> list[Recommendation]:
    """The recommendations whose `objectives:` name `objective_id`, in natural ID order."""
    return _in_id_order(r for r in plan.recommendations if objective_id in r.objectives)
