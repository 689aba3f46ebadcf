"""`sendplan export`: one row per objective (or recommendation) with its state at A, for Excel
or Power BI. Pure.

Every value comes from `state.py` (the same rules as `flags` and `report`); this module only
lays the rows out. CSV is UTF-8 with a BOM and CRLF line ends (what Excel expects), and cells
that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from sendplan.model import Plan
from sendplan.recommendation_rows import RecommendationRow, recommendation_rows
from sendplan.rows import ObjectiveRow, objective_rows, rows_json
from sendplan.safetext import csv_cell, json_document
from sendplan.state import PlanState

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
    "contradicted_by",
    "withdrawn",
)
"""The CSV header after `as_of`: fields of the objective row (`rows.ObjectiveRow`)."""
RECOMMENDATION_COLUMNS = (
    "id",
    "from",
    "made",
    "text",
    "response",
    "responded",
    "owner",
    "due",
    "status",
    "update_date",
    "flags",
    "objectives",
    "latest_note",
)
"""The CSV header of `--kind recommendations` after `as_of`: fields of the recommendation row
(`objectives` as their IDs)."""


def export_rows(plan: Plan, state: PlanState) -> list[ObjectiveRow]:
    """One row per objective, in natural ID order (PAP1:2 before PAP1:10)."""
    return objective_rows(plan, state)


def recommendation_export_rows(plan: Plan, state: PlanState) -> list[RecommendationRow]:
    """One row per recommendation made by A, in natural ID order, with its objectives."""
    return recommendation_rows(state, {row.id: row for row in objective_rows(plan, state)})


def _value(row: object, column: str) -> object:
    value = getattr(row, column if column != "from" else "from_")
    if column == "objectives":
        return tuple(objective.id for objective in value)
    return value


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


def as_csv(
    as_of: date,
    rows: Sequence[ObjectiveRow] | Sequence[RecommendationRow],
    columns: Sequence[str] = COLUMNS,
) -> str:
    """CSV text with a leading BOM and CRLF line ends: `as_of` then `columns`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("as_of", *columns))
    for row in rows:
        writer.writerow((as_of.isoformat(), *(_cell(_value(row, name)) for name in columns)))
    return "\ufeff" + out.getvalue()


def as_json(
    as_of: date,
    rows: list[ObjectiveRow] | None,
    recommendations: list[RecommendationRow] | None = None,
) -> str:
    """`{"as_of": ..., "objectives": [...]}`: each objective's row in its JSON form (the
    report's), dates ISO, flags a list, None as null; `"recommendations"` as well (or
    instead) when asked for."""
    document: dict[str, object] = {"as_of": as_of.isoformat()}
    if rows is not None:
        document["objectives"] = rows_json(rows)
    if recommendations is not None:
        document["recommendations"] = rows_json(recommendations)
    return json_document(document)
