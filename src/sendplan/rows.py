"""One objective's state at A as one row, and its one JSON form. Pure.

The report's tables, `flags` and `export` all show this row: what an objective's rating, deadline,
flags or latest note is at A is decided in `state.py` and laid out here, once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sendplan.dates import period_label
from sendplan.model import Evidence, Plan
from sendplan.state import KpiState, ObjectiveState, PlanState
from sendplan.vocabulary import natural_key


@dataclass(frozen=True)
class EvidenceRef:
    id: str
    title: str
    link: str | None


@dataclass(frozen=True)
class Contradiction:
    """A KPI the objective lists that is off track or has missed its target, while the
    objective's rating claims progress: what the `contradicted` flag rests on."""

    kpi: str
    title: str
    status: str
    """off-track or missed."""
    unit: str
    value: float
    """The latest value known at A."""
    period: str
    """Its period, as a label: `May 2024`."""
    compared_with: float
    """The expected value (off track) or the target (missed)."""
    target_by: date | None
    """The target's date (when it was missed)."""
    gap: float
    """`value` minus `compared_with` (negative: below it)."""
    shortfall: float | None
    """How far worse than `compared_with`, in percent of it."""


def contradiction(k: KpiState) -> Contradiction | None:
    """Why a KPI contradicts a claim of progress, in figures (None if it does not)."""
    latest, target = k.latest, k.kpi.target
    if latest is None or target is None or k.status not in ("off-track", "missed"):
        return None
    judged = k.judgement
    if k.status == "off-track" and judged.expected is not None and judged.gap is not None:
        compared, gap, shortfall = judged.expected, judged.gap, judged.shortfall
    else:
        compared = target.value
        gap = round(latest.value - target.value, 2)
        shortfall = round(abs(gap) / abs(target.value) * 100, 1) if target.value else None
    return Contradiction(
        k.kpi.id,
        k.kpi.title,
        k.status,
        k.kpi.unit,
        latest.value,
        period_label(latest.period),
        compared,
        target.by if k.status == "missed" else None,
        gap,
        shortfall,
    )


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective at A."""

    id: str
    title: str
    area: str
    theme: str | None
    """The objective's theme, or its area's only theme."""
    owner: str | None
    due: date | None
    """The deadline in force at A; None when ongoing."""
    ongoing: bool
    rating: str
    """red, amber, green, blue or unrated."""
    rating_date: date | None
    """The date of the rating in force at A."""
    rating_age_days: int | None
    """Days from that rating to A."""
    rated_by: str | None
    previous: str
    """The rating at the end of the month before A."""
    movement: str | None
    """up, down, same, new; None when unrated at A."""
    complete: bool
    done: date | None
    """The completion date, when it is on or before A."""
    flags: tuple[str, ...]
    latest_note: str
    """The note of the rating in force at A (Markdown)."""
    evidence: tuple[EvidenceRef, ...]
    """The evidence items the objective cites that are shown (all but internal ones in a
    `--public` report)."""
    evidence_count: int
    """How many of them there are."""
    contradictions: tuple[Contradiction, ...] = ()
    """The KPIs behind the `contradicted` flag."""
    withdrawn: date | None = None
    """The date it was withdrawn, once that date has come (it is then out of counts and
    flags)."""
    withdrawn_reason: str | None = None

    @property
    def contradicted_by(self) -> tuple[str, ...]:
        """The IDs of the KPIs behind the `contradicted` flag (a CSV column)."""
        return tuple(c.kpi for c in self.contradictions)


def objective_row(
    plan: Plan, s: ObjectiveState, as_of: date, shown_evidence: Mapping[str, Evidence]
) -> ObjectiveRow:
    """The row of one objective's state at `as_of`."""
    obj, rating = s.objective, s.rating
    evidence = tuple(
        EvidenceRef(e.id, e.title, e.link)
        for e in (shown_evidence.get(ref) for ref in obj.evidence)
        if e is not None
    )
    return ObjectiveRow(
        id=obj.id,
        title=obj.title,
        area=obj.area,
        theme=plan.theme_of(obj),
        owner=obj.owner,
        due=s.due,
        ongoing=obj.ongoing,
        rating=s.brag,
        rating_date=rating.date if rating else None,
        rating_age_days=(as_of - rating.date).days if rating else None,
        rated_by=rating.by if rating else None,
        previous=s.previous_brag,
        movement=s.movement,
        complete=s.complete,
        done=obj.done if obj.done and obj.done <= as_of else None,
        flags=s.flags,
        latest_note=rating.note if rating else "",
        evidence=evidence,
        evidence_count=len(evidence),
        contradictions=tuple(c for c in map(contradiction, s.contradicted_by) if c is not None),
        withdrawn=s.withdrawn.on if s.withdrawn else None,
        withdrawn_reason=s.withdrawn.reason if s.withdrawn else None,
    )


def objective_rows(plan: Plan, state: PlanState, public: bool = False) -> list[ObjectiveRow]:
    """Every objective's row, in natural ID order; `public` leaves internal evidence out."""
    shown = {e.id: e for e in plan.evidence if e.public or not public}
    rows = [objective_row(plan, s, state.as_of, shown) for s in state.objectives]
    return sorted(rows, key=lambda row: natural_key(row.id))


OMIT_WHEN_EMPTY = {"omit_when_empty": True}
"""Field metadata: the field is left out of the JSON form while it is empty (None or ()), so
a plan without recommendations or milestones keeps the report JSON it had before them."""


def json_value(value: Any) -> Any:
    """The JSON form of rows and report data: dataclasses as objects (a trailing `_` dropped
    from names; a field marked OMIT_WHEN_EMPTY left out while empty), tuples as lists, dates
    ISO, times ISO with `Z` for UTC."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        form = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.metadata.get("omit_when_empty") and item in (None, ()):
                continue
            form[f.name.rstrip("_")] = json_value(item)
        return form
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def rows_json(rows: Iterable[object], keys: Iterable[str] | None = None) -> list[Any]:
    """Each row's JSON form, or only `keys` of it (in that order)."""
    forms = [json_value(row) for row in rows]
    if keys is None:
        return forms
    wanted = tuple(keys)
    return [{key: form[key] for key in wanted} for form in forms]
