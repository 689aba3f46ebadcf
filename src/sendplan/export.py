"""`sendplan export`: one row per objective with its state at A, for Excel or Power BI. Pure.

Every value comes from `state.py` (the same rules as `flags` and `report`); this module only
lays the rows out. CSV is UTF-8 with a BOM and CRLF line ends (what Excel expects), and cells
that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date

from sendplan.model import Plan
from sendplan.safetext import csv_cell, json_document
from sendplan.state import ObjectiveState, PlanState
from sendplan.vocabulary import natural_key

COLUMNS = (
    "id",
    "area",
    "theme",
    "title",
    "owner",
    "due",
    "rating",
    "rating_date",
    "previous",
    "movement",
    "flags",
    "complete",
    "latest_note",
    "evidence_count",
)
"""The CSV header after `as_of`; the JSON keys of each objective."""


@dataclass(frozen=True)
class ExportRow:
    id: str
    area: str
    theme: str | None
    """The objective's theme, or its area's only theme."""
    title: str
    owner: str | None
    due: date | None
    """The deadline in force at A; None when ongoing."""
    rating: str
    """red, amber, green, blue or unrated."""
    rating_date: date | None
    """The date of the rating in force at A."""
    previous: str
    """The rating at the end of the month before A."""
    movement: str | None
    """up, down, same, new; None when unrated at A."""
    flags: tuple[str, ...]
    complete: bool
    latest_note: str
    """The note of the rating in force at A."""
    evidence_count: int
    """How many evidence items the objective cites."""


def _row(plan: Plan, s: ObjectiveState) -> ExportRow:
    obj = s.objective
    theme = plan.theme_of(obj)
    return ExportRow(
        id=obj.id,
        area=obj.area,
        theme=theme,
        title=obj.title,
        owner=obj.owner,
        due=s.due,
        rating=s.brag,
        rating_date=s.rating.date if s.rating else None,
        previous=s.previous_brag,
        movement=s.movement,
        flags=s.flags,
        complete=s.complete,
        latest_note=s.rating.note if s.rating else "",
        evidence_count=len(obj.evidence),
    )


def export_rows(plan: Plan, state: PlanState) -> list[ExportRow]:
    """One row per objective, in natural ID order (PAP1:2 before PAP1:10)."""
    rows = [_row(plan, s) for s in state.objectives]
    return sorted(rows, key=lambda row: natural_key(row.id))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    return csv_cell(str(value))


def as_csv(as_of: date, rows: list[ExportRow]) -> str:
    """CSV text with a leading BOM and CRLF line ends: `as_of` then COLUMNS."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("as_of", *COLUMNS))
    for row in rows:
        values = asdict(row)
        writer.writerow((as_of.isoformat(), *(_cell(values[name]) for name in COLUMNS)))
    return "\ufeff" + out.getvalue()


def as_json(as_of: date, rows: list[ExportRow]) -> str:
    """`{"as_of": ..., "objectives": [{COLUMNS...}]}`: dates ISO, flags a list, None as null."""

    def plain(value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    objectives = [{name: plain(value) for name, value in asdict(row).items()} for row in rows]
    return json_document({"as_of": as_of.isoformat(), "objectives": objectives})
