"""The plan's words and orders (SPEC §2-§3), in one place for every command and format.

Codes (`red`, `rebaselined`, `unrated`) are what JSON and CSV carry; words (`Red`,
`Re-baselined`, `Unrated`) are what people read in the terminal, Markdown, HTML and PDF.
Nothing else in sendplan spells a rating, a flag, an ID order or a file name rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, get_args

# --- ratings ---------------------------------------------------------------------------------

Brag = Literal["red", "amber", "green", "blue"]
BRAG_ORDER: tuple[Brag, ...] = get_args(Brag)
"""SPEC §3: red < amber < green < blue."""
UNRATED = "unrated"
"""The rating of an objective with no rating entry on or before A."""
RATINGS: tuple[str, ...] = (*BRAG_ORDER, UNRATED)
"""Every rating as shown: the BRAG order, then unrated."""
COMPLETE_RATINGS: tuple[Brag, ...] = ("green", "blue")
"""Ratings that mean complete (SPEC §3), and so must rest on evidence."""
RATING_WORDS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "blue": "Blue",
    UNRATED: "Unrated",
}
UNRATED_MEANING = "No rating yet"
"""The key's line for unrated (the BRAG definitions come from sendplan.yaml)."""

Movement = Literal["up", "down", "same", "new"]
MOVEMENTS: tuple[Movement, ...] = get_args(Movement)


def movement(previous: str | None, current: str | None) -> Movement | None:
    """How a rating moved from `previous` to `current` (BRAG codes; None = no rating)."""
    if current is None or current == UNRATED:
        return None
    if previous is None or previous == UNRATED:
        return "new"
    delta = BRAG_ORDER.index(current) - BRAG_ORDER.index(previous)
    return "up" if delta > 0 else "down" if delta < 0 else "same"


# --- flags -----------------------------------------------------------------------------------

FLAGS = ("red", "contradicted", "overdue", "stale", "declined", "rebaselined", "unrated")
"""Every flag (SPEC §3), in the order they are shown."""
FLAG_WORDS = {
    "red": "Red",
    "contradicted": "Contradicted",
    "overdue": "Overdue",
    "stale": "Stale",
    "declined": "Declined",
    "rebaselined": "Re-baselined",
    "unrated": "Unrated",
    "unanswered": "Unanswered",
}
"""The words of every flag, objectives' and recommendations' alike."""
FLAG_MEANINGS = {
    "red": "rated red",
    "contradicted": "the rating claims progress ({claims_progress}) while a KPI the objective "
    "lists is off track or has missed its target",
    "overdue": "the deadline in force has passed and the objective is not complete "
    "(done, green or blue)",
    "stale": "not blue, and not rated in the {stale_after_days} days before the as-of date",
    "declined": "the rating went down since the end of last month",
    "rebaselined": "the deadline was moved this month",
    "unrated": "no rating yet",
}
"""What each flag means, for the report's key; `{stale_after_days}` and `{claims_progress}`
(the ratings' words) come from the plan's settings."""
RECOMMENDATION_FLAGS = ("overdue", "unanswered")
"""Every flag of a recommendation (SPEC §9), in the order they are shown."""
RECOMMENDATION_FLAG_MEANINGS = {
    "overdue": "its due date has passed and it is neither implemented nor closed",
    "unanswered": "the response is still pending more than {response_days} days after it was made",
}
"""What each recommendation flag means; `{response_days}` is the plan's setting."""

# --- recommendations and the plan's timeline (SPEC §9) ---------------------------------------

RecommendationStatus = Literal["open", "in-progress", "implemented", "closed"]
STATUSES: tuple[RecommendationStatus, ...] = get_args(RecommendationStatus)
"""Every status of a recommendation, in the order of progress (and of the report's counts)."""
OPEN: RecommendationStatus = "open"
"""The status of a recommendation with no update on or before A."""
DONE_STATUSES: tuple[RecommendationStatus, ...] = ("implemented", "closed")
"""A recommendation in one of these is never overdue."""
STATUS_WORDS = {
    "open": "Open",
    "in-progress": "In progress",
    "implemented": "Implemented",
    "closed": "Closed",
}
Response = Literal["accepted", "partly-accepted", "rejected", "pending"]
RESPONSES: tuple[Response, ...] = get_args(Response)
PENDING: Response = "pending"
RESPONSE_WORDS = {
    "accepted": "Accepted",
    "partly-accepted": "Partly accepted",
    "rejected": "Rejected",
    "pending": "Pending",
}
PlanType = Literal["pap", "wsoa", "app", "strategic"]
PLAN_TYPE_WORDS = {
    "pap": "Priority Action Plan",
    "wsoa": "Written Statement of Action",
    "app": "Accelerated Progress Plan",
    "strategic": "Strategic improvement plan",
}
"""How each `type:` of sendplan.yaml is written in a report."""
MILESTONE_PASSED = "Milestone passed, not marked done"
"""A milestone whose date has passed at A without `done:` (flagged in the summary)."""
NOT_IN_PLAN = "not in the plan"
"""An objective a recommendation names that the plan does not have (--allow-invalid)."""
NONE_NAMED = "None named"
"""The delivering objectives of a recommendation that names none."""


def days_left_word(days: int) -> str:
    """`today`, `1 day left`, `274 days left`."""
    if days == 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''} left"


# --- KPI status (SPEC §7) --------------------------------------------------------------------

KPI_STATUS_WORDS = {
    "no-data": "No data",
    "no-target": "No target",
    "met": "Met",
    "missed": "Missed",
    "on-track": "On track",
    "off-track": "Off track",
}
"""The words of each KPI status (`trajectory.KPI_STATUSES`), as the report writes them."""
KPI_STATUS_MEANINGS = {
    "on-track": "the latest figure is as good as the value its path expects at that figure's "
    "date, or short of it by no more than the tolerance ({tolerance}% of the expected value, "
    "unless the KPI sets its own)",
    "off-track": "the latest figure is short of the expected value by more than the tolerance",
    "met": "the latest figure is at least as good as the target",
    "missed": "the target's date has passed and the latest figure does not meet it",
    "no-target": "nothing to judge progress against: no target, or a target without a date "
    "that is not met yet",
    "no-data": "no figure is known yet",
}
"""What each KPI status means, for the report's key; `{tolerance}` is `kpi_tolerance`. The
path runs in straight lines from the first figure through each milestone to the target."""

TARGET_STATE_WORDS = {
    "met": "Met",
    "not-yet-met": "Not yet met",
    "missed": "Missed",
}
"""Where a KPI stands against its target (`trajectory.TargetState`): a target whose date has
not come is "not yet met", never "missed"."""


def kpi_status_word(status: str) -> str:
    """`On track`, `Off track`."""
    return KPI_STATUS_WORDS[status]


# --- empty values ----------------------------------------------------------------------------

EMPTY = "—"
"""Any empty value in a table: no previous figure, no target, no date, no evidence."""
ONGOING = "Ongoing"
"""The deadline of an objective without one."""
UNNAMED = "Not named"
"""The owner of an objective that names none."""
NO_DATA = "No data yet"
"""A KPI without a data point known at A."""


def rating_word(rating: str) -> str:
    """`Red` ... `Unrated`."""
    return RATING_WORDS[rating]


def flag_word(flag: str) -> str:
    """`Overdue`, `Re-baselined`."""
    return FLAG_WORDS[flag]


def owner_word(owner: str | None) -> str:
    """The owner, or `Not named`."""
    return owner if owner and owner.strip() else UNNAMED


# --- IDs and file names ----------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 17)  # an ID is sorted many times over in one report
def natural_key(item_id: str) -> tuple[tuple[int, int | str], ...]:
    """The natural ID order: case-insensitive, numbers by value (`PAP1:2` before `PAP1:10`).

    A run of digits sorts before text at the same place; IDs equal but for case (or leading
    zeros) sort by their exact text, so the order never depends on the input's order.
    """
    parts: list[tuple[int, int | str]] = [
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _DIGITS.split(item_id)
        if part
    ]
    parts.append((2, item_id))
    return tuple(parts)


def file_stem(item_id: str) -> str:
    """The file name (without extension) for an ID: `PAP3A:1` -> `PAP3A-1` (no `:` on Windows)."""
    return item_id.replace(":", "-")


def path_stem(path: str) -> str:
    """What a plan file's name says its ID is: an area's folder, any other file's name stem."""
    parts = path.split("/")
    if parts[0] == "plan" and len(parts) == 3 and parts[2] == "area.yaml":
        return parts[1]
    return parts[-1].rsplit(".", 1)[0]


def area_folder(path: str) -> str:
    """The area folder an objective's file sits in: `plan/PAP3/PAP3A-1.yaml` -> `PAP3`."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else ""
