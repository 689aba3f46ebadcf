"""Checks that the dated history of ratings and deadlines is consistent."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity


@check(
    "ratings-order",
    Severity.ERROR,
    bad="""    ratings:
      - {date: 2024-06-15, brag: green}
      - {date: 2024-03-31, brag: amber}""",
    good="""    ratings:
      - {date: 2024-03-31, brag: amber}
      - {date: 2024-06-15, brag: green}""",
    locked=True,
)
def ratings_order(context: Context) -> Iterator[Problem]:
    """Rating dates (and recommendation update dates) strictly increase: history is appended,
    oldest first.

    The rating at a date is the last one on or before it, so entries out of order (or two on
    one day) would make the history say two things at once."""
    for obj in context.plan.objectives:
        for i in range(1, len(obj.ratings)):
            before, this = obj.ratings[i - 1].date, obj.ratings[i].date
            if this <= before:
                yield Problem(
                    obj.path,
                    ("ratings", i, "date"),
                    f"{obj.id}: rating dated {this} follows one dated {before}; "
                    "ratings must be in strictly increasing date order",
                    obj.id,
                )
    for rec in context.plan.recommendations:
        for i in range(1, len(rec.updates)):
            before, this = rec.updates[i - 1].date, rec.updates[i].date
            if this <= before:
                yield Problem(
                    rec.path,
                    ("updates", i, "date"),
                    f"{rec.id}: update dated {this} follows one dated {before}; "
                    "updates must be in strictly increasing date order",
                    rec.id,
                )


@check(
    "future-rating",
    Severity.ERROR,
    bad="- {date: 2099-01-31, brag: green, note: Will be done.}",
    good="- {date: 2024-06-15, brag: amber, note: On track.}",
    locked=True,
)
def future_rating(context: Context) -> Iterator[Problem]:
    """No rating (and no recommendation update) is dated after today.

    A rating records a judgement that was made; one dated in the future would change reports
    of months that have not happened yet."""
    for obj in context.plan.objectives:
        for i, rating in enumerate(obj.ratings):
            if rating.date > context.today:
                yield Problem(
                    obj.path,
                    ("ratings", i, "date"),
                    f"{obj.id}: rating dated {rating.date} is in the future "
                    f"(today is {context.today})",
                    obj.id,
                )
    for rec in context.plan.recommendations:
        for i, update in enumerate(rec.updates):
            if update.date > context.today:
                yield Problem(
                    rec.path,
                    ("updates", i, "date"),
                    f"{rec.id}: update dated {update.date} is in the future "
                    f"(today is {context.today})",
                    rec.id,
                )


@check(
    "due-history",
    Severity.ERROR,
    bad="""    due: 2024-09
    due_history:
      - {on: 2024-03-20, from: 2024-02, to: 2024-04, reason: New case system}""",
    good="""    due: 2024-09
    due_history:
      - {on: 2024-03-20, from: 2024-02, to: 2024-04, reason: New case system}
      - {on: 2024-04-10, from: 2024-04, to: 2024-09, reason: Procurement re-run}""",
)
def due_history(context: Context) -> Iterator[Problem]:
    """Re-baselines are in date order, each starts where the last ended, the last ends at `due`.

    `due_history` is the record of every deadline move; a gap or a jump means a move without a
    reason was left out."""
    for obj in context.plan.objectives:
        history = obj.due_history
        for i, change in enumerate(history):
            if i and change.on < history[i - 1].on:
                yield Problem(
                    obj.path,
                    ("due_history", i, "on"),
                    f"{obj.id}: re-baseline of {change.on} is listed after one of "
                    f"{history[i - 1].on}; keep due_history in date order",
                    obj.id,
                )
            if i and change.from_ != history[i - 1].to:
                yield Problem(
                    obj.path,
                    ("due_history", i, "from"),
                    f"{obj.id}: re-baseline of {change.on} moves from {change.from_}, "
                    f"but the one before moved the deadline to {history[i - 1].to}",
                    obj.id,
                )
            if change.from_ == change.to:
                yield Problem(
                    obj.path,
                    ("due_history", i, "to"),
                    f"{obj.id}: re-baseline of {change.on} does not move the deadline",
                    obj.id,
                )
        if history and history[-1].to != obj.due:
            current = "ongoing" if obj.due is None else str(obj.due)
            yield Problem(
                obj.path,
                ("due_history", len(history) - 1, "to"),
                f"{obj.id}: the last re-baseline moves the deadline to "
                f"{history[-1].to}, but due is {current}",
                obj.id,
            )


@check(
    "future-record",
    Severity.ERROR,
    bad="""    done: 2099-01-31
    due_history:
      - {on: 2099-01-15, from: 2024-02, to: 2024-04, reason: Will slip}""",
    good="""    done: 2024-06-28
    due_history:
      - {on: 2024-03-20, from: 2024-02, to: 2024-04, reason: New case system}""",
    locked=True,
)
def future_record(context: Context) -> Iterator[Problem]:
    """No objective is `done`, no deadline re-baselined (`due_history` `on`) and no milestone
    `done` with a date after today.

    Each records something that happened; dated in the future it would change reports of
    months that have not happened yet (an objective complete before it is). Record it on the
    day."""
    today = context.today
    for obj in context.plan.objectives:
        if obj.done is not None and obj.done > today:
            yield Problem(
                obj.path,
                ("done",),
                f"{obj.id}: done dated {obj.done} is in the future (today is {today}); "
                "record it on the day it is done",
                obj.id,
            )
        for i, change in enumerate(obj.due_history):
            if change.on > today:
                yield Problem(
                    obj.path,
                    ("due_history", i, "on"),
                    f"{obj.id}: re-baseline dated {change.on} is in the future "
                    f"(today is {today}); record a deadline move on the day it is agreed",
                    obj.id,
                )
    settings = context.plan.settings
    for i, milestone in enumerate(settings.milestones):
        if milestone.done is not None and milestone.done > today:
            yield Problem(
                settings.path,
                ("milestones", i, "done"),
                f"milestone {milestone.name!r} done on {milestone.done} is in the future "
                f"(today is {today})",
                "",
            )


@check(
    "future-withdrawal",
    Severity.ERROR,
    bad="withdrawn: {on: 2099-01-31, reason: Will be merged.}",
    good="withdrawn: {on: 2024-06-30, reason: Merged into PAP3A:3.}",
    locked=True,
)
def future_withdrawal(context: Context) -> Iterator[Problem]:
    """No objective is withdrawn with a date after today.

    A withdrawal records a decision that was taken; dated in the future it would take the
    objective out of reports of months that have not happened yet. Record it on the day."""
    for obj in context.plan.objectives:
        if obj.withdrawn is not None and obj.withdrawn.on > context.today:
            yield Problem(
                obj.path,
                ("withdrawn", "on"),
                f"{obj.id}: withdrawal dated {obj.withdrawn.on} is in the future "
                f"(today is {context.today}); record it on the day it is decided",
                obj.id,
            )


@check(
    "rated-after-withdrawal",
    Severity.ERROR,
    bad="""    ratings:
      - {date: 2024-07-15, brag: green}
    withdrawn: {on: 2024-06-30, reason: Merged into PAP3A:3.}""",
    good="""    ratings:
      - {date: 2024-06-20, brag: amber}
    withdrawn: {on: 2024-06-30, reason: Merged into PAP3A:3.}""",
    locked=True,
)
def rated_after_withdrawal(context: Context) -> Iterator[Problem]:
    """A withdrawn objective is not rated after the date it was withdrawn.

    From its withdrawal an objective leaves the counts and flags, so a later rating would be
    a judgement no report shows. Rate the objective that took its place instead."""
    for obj in context.plan.objectives:
        if obj.withdrawn is None:
            continue
        for i, rating in enumerate(obj.ratings):
            if rating.date > obj.withdrawn.on:
                yield Problem(
                    obj.path,
                    ("ratings", i, "date"),
                    f"{obj.id}: rating dated {rating.date} is after the objective was withdrawn "
                    f"on {obj.withdrawn.on}; a withdrawn objective is no longer rated",
                    obj.id,
                )
