"""Checks of recommendations/: what they cite, and that their dates tell a possible story."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity
from sendplan.vocabulary import file_stem


@check(
    "unknown-objective",
    Severity.ERROR,
    bad="objectives: [PAP3A:9]",
    good="objectives: [PAP3A:1]",
)
def unknown_objective(context: Context) -> Iterator[Problem]:
    """Every objective a recommendation names is in plan/."""
    plan, loaded = context.plan, context.loaded
    for rec in plan.recommendations:
        for i, ref in enumerate(rec.objectives):
            if ref not in plan.objective_by_id and not loaded.is_known("objective", file_stem(ref)):
                yield Problem(
                    rec.path,
                    ("objectives", i),
                    f"{rec.id} names objective {ref}, which is not in plan/",
                    rec.id,
                )


@check(
    "recommendation-dates",
    Severity.ERROR,
    bad="made: 2023-10-17\nresponded: 2023-10-01",
    good="made: 2023-10-17\nresponded: 2023-11-13",
)
def recommendation_dates(context: Context) -> Iterator[Problem]:
    """A recommendation is made on or before today, answered (`responded`) on or after it was
    made and not in the future, and updated only after it was made; a dated response is not
    `pending`."""
    today = context.today
    for rec in context.plan.recommendations:
        if rec.made > today:
            yield Problem(
                rec.path,
                ("made",),
                f"{rec.id}: made {rec.made} is in the future (today is {today})",
                rec.id,
            )
        responded = rec.responded
        if responded is not None and responded < rec.made:
            yield Problem(
                rec.path,
                ("responded",),
                f"{rec.id}: responded {responded} is before it was made ({rec.made})",
                rec.id,
            )
        elif responded is not None and responded > today:
            yield Problem(
                rec.path,
                ("responded",),
                f"{rec.id}: responded {responded} is in the future (today is {today}); "
                "record a response once it is given",
                rec.id,
            )
        if responded is not None and rec.response == "pending":
            yield Problem(
                rec.path,
                ("response",),
                f"{rec.id}: response is pending but responded is {responded}; "
                "give the response (accepted, partly-accepted or rejected) or remove responded",
                rec.id,
            )
        for i, update in enumerate(rec.updates):
            if update.date < rec.made:
                yield Problem(
                    rec.path,
                    ("updates", i, "date"),
                    f"{rec.id}: update dated {update.date} is before it was made ({rec.made})",
                    rec.id,
                )
