"""One recommendation's state at A as one row: the report, `flags` and `export` show it. Pure.

The row carries the objectives that deliver the recommendation with their ratings at A, so a
reader can weigh "implemented" against the ratings of the work behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sendplan.recommendations import RecommendationState
from sendplan.rows import ObjectiveRow
from sendplan.state import PlanState


@dataclass(frozen=True)
class DeliveringObjective:
    """An objective a recommendation names, at A."""

    id: str
    title: str | None
    """None when the plan has no such objective (a report rendered with --allow-invalid)."""
    rating: str | None
    """red, amber, green, blue or unrated at A; None when the plan has no such objective."""
    flags: tuple[str, ...]


@dataclass(frozen=True)
class RecommendationRow:
    """One recommendation at A."""

    id: str
    from_: str
    made: date
    text: str
    response: str
    """The response at A: pending until the `responded` date."""
    response_note: str | None
    """The gist of the response, once it was given (on or before A)."""
    responded: date | None
    """When the response was given, if that is on or before A."""
    owner: str | None
    due: date | None
    status: str
    """open, in-progress, implemented or closed at A."""
    update_date: date | None
    """The date of the latest update on or before A."""
    latest_note: str
    """That update's note (Markdown)."""
    flags: tuple[str, ...]
    objectives: tuple[DeliveringObjective, ...]


def _delivering(objective_id: str, rows: Mapping[str, ObjectiveRow]) -> DeliveringObjective:
    row = rows.get(objective_id)
    if row is None:
        return DeliveringObjective(objective_id, None, None, ())
    return DeliveringObjective(row.id, row.title, row.rating, row.flags)


def recommendation_row(
    s: RecommendationState, as_of: date, objective_rows: Mapping[str, ObjectiveRow]
) -> RecommendationRow:
    """The row of one recommendation's state at `as_of`."""
    rec, update = s.recommendation, s.update
    answered = rec.responded is None or rec.responded <= as_of  # a later response: not yet
    return RecommendationRow(
        id=rec.id,
        from_=rec.from_,
        made=rec.made,
        text=rec.text,
        response=s.response,
        response_note=rec.response_note if answered else None,
        responded=rec.responded if answered else None,
        owner=rec.owner,
        due=rec.due,
        status=s.status,
        update_date=update.date if update is not None else None,
        latest_note=update.note if update is not None else "",
        flags=s.flags,
        objectives=tuple(_delivering(ref, objective_rows) for ref in dict.fromkeys(rec.objectives)),
    )


def recommendation_rows(
    state: PlanState, objective_rows: Mapping[str, ObjectiveRow]
) -> list[RecommendationRow]:
    """Every recommendation made by A, in natural ID order, with its delivering objectives."""
    return [recommendation_row(s, state.as_of, objective_rows) for s in state.recommendations]
