"""Warnings about plans that are valid but weaker than they should be."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity
from sendplan.vocabulary import COMPLETE_RATINGS


@check(
    "missing-owner",
    Severity.WARNING,
    bad="""
    id: PAP3A:1
    title: Map statutory EHCP timelines""",
    good="""
    id: PAP3A:1
    title: Map statutory EHCP timelines
    owner: Head of SEND""",
)
def missing_owner(context: Context) -> Iterator[Problem]:
    """An objective names the role accountable for it.

    The board asks who is accountable for every objective; the report shows "Not named"."""
    for obj in context.plan.objectives:
        if not (obj.owner or "").strip():
            yield Problem(obj.path, ("id",), f"{obj.id} has no owner", obj.id)


@check(
    "unevidenced-rating",
    Severity.WARNING,
    bad="- {date: 2024-06-15, brag: green, note: Done.}",
    good="- {date: 2024-06-15, brag: green, note: Done., evidence: [E24]}",
)
def unevidenced_rating(context: Context) -> Iterator[Problem]:
    """A green or blue rating rests on evidence: cited by the rating or by its objective."""
    for obj in context.plan.objectives:
        if obj.evidence:
            continue
        for i, rating in enumerate(obj.ratings):
            if rating.brag in COMPLETE_RATINGS and not rating.evidence:
                yield Problem(
                    obj.path,
                    ("ratings", i, "brag"),
                    f"{obj.id}: {rating.brag} rating of {rating.date} cites no "
                    "evidence, and neither does the objective",
                    obj.id,
                )
