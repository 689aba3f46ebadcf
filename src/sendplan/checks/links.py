"""Checks that every reference between plan files resolves."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity
from sendplan.vocabulary import file_stem


@check(
    "unknown-evidence",
    Severity.ERROR,
    bad="evidence: [E999]   # no evidence/E999.md",
    good="evidence: [E24]",
)
def unknown_evidence(context: Context) -> Iterator[Problem]:
    """Every evidence ID cited by an objective, a rating or a KPI point is in evidence/.

    A broken evidence file still counts as present, so one bad file does not also turn every
    citation of it into this error."""
    plan, loaded = context.plan, context.loaded

    def unknown(ref: str) -> bool:
        return ref not in plan.evidence_by_id and not loaded.is_known("evidence", file_stem(ref))

    for obj in plan.objectives:
        for i, ref in enumerate(obj.evidence):
            if unknown(ref):
                yield Problem(
                    obj.path,
                    ("evidence", i),
                    f"{obj.id} cites {ref}, which is not in evidence/",
                    obj.id,
                )
        for r, rating in enumerate(obj.ratings):
            for i, ref in enumerate(rating.evidence):
                if unknown(ref):
                    yield Problem(
                        obj.path,
                        ("ratings", r, "evidence", i),
                        f"{obj.id}'s rating of {rating.date} cites {ref}, "
                        "which is not in evidence/",
                        obj.id,
                    )
    for kpi in plan.kpis:
        for p, point in enumerate(kpi.data):
            for i, ref in enumerate(point.evidence):
                if unknown(ref):
                    yield Problem(
                        kpi.path,
                        ("data", p, "evidence", i),
                        f"KPI {kpi.id} ({point.period}) cites {ref}, which is not in evidence/",
                        kpi.id,
                    )


@check(
    "unknown-kpi",
    Severity.ERROR,
    bad="kpis: [ehcp-20-week]",
    good="kpis: [ehcp-20-weeks]",
)
def unknown_kpi(context: Context) -> Iterator[Problem]:
    """Every KPI an objective names is in kpis/."""
    plan, loaded = context.plan, context.loaded
    for obj in plan.objectives:
        for i, ref in enumerate(obj.kpis):
            if ref not in plan.kpi_by_id and not loaded.is_known("kpi", file_stem(ref)):
                yield Problem(
                    obj.path,
                    ("kpis", i),
                    f"{obj.id} names KPI {ref}, which is not in kpis/",
                    obj.id,
                )


@check(
    "unknown-area",
    Severity.ERROR,
    bad="plan/PAP9/PAP9A-1.yaml   # no plan/PAP9/area.yaml",
    good="plan/PAP3/PAP3A-1.yaml   # plan/PAP3/area.yaml exists",
)
def unknown_area(context: Context) -> Iterator[Problem]:
    """Every objective sits in a folder `plan/<AREA>/` that has an `area.yaml`.

    An objective belongs to the area whose folder holds it."""
    plan, loaded = context.plan, context.loaded
    for obj in plan.objectives:
        if obj.area not in plan.area_by_id and not loaded.is_known("area", obj.area):
            yield Problem(
                obj.path,
                ("id",),
                f"{obj.id} is in plan/{obj.area}/, which has no area.yaml",
                obj.id,
            )


@check(
    "unknown-theme",
    Severity.ERROR,
    bad="theme: PAP3Z",
    good="theme: PAP3A",
)
def unknown_theme(context: Context) -> Iterator[Problem]:
    """An objective's theme is one of its area's; it must name one when the area has several."""
    plan = context.plan
    # Each area's theme IDs once, not once per objective (areas x themes grew quadratically).
    theme_ids = {area.id: [theme.id for theme in area.themes] for area in plan.area_by_id.values()}
    theme_sets = {area_id: set(ids) for area_id, ids in theme_ids.items()}
    for obj in plan.objectives:
        area = plan.area_by_id.get(obj.area)
        if area is None:
            continue
        themes = theme_ids[area.id]
        if obj.theme is not None and obj.theme not in theme_sets[area.id]:
            listed = ", ".join(themes) if themes else "none"
            yield Problem(
                obj.path,
                ("theme",),
                f"{obj.id} names theme {obj.theme}, which is not a theme of area "
                f"{area.id} (themes: {listed})",
                obj.id,
            )
        elif obj.theme is None and len(themes) > 1:
            yield Problem(
                obj.path,
                ("id",),
                f"{obj.id} needs `theme:`: area {area.id} has themes {', '.join(themes)}",
                obj.id,
            )


@check(
    "unknown-support",
    Severity.ERROR,
    bad="supports: [PAP1]   # a priority area",
    good="supports: [AfI1]",
)
def unknown_support(context: Context) -> Iterator[Problem]:
    """Every `supports:` entry names an area of `kind: improvement`."""
    plan = context.plan
    for obj in plan.objectives:
        for i, ref in enumerate(obj.supports):
            area = plan.area_by_id.get(ref)
            if area is None and context.loaded.is_known("area", ref):
                continue  # its area.yaml (or folder) is there but broken: reported already
            if area is None:
                yield Problem(
                    obj.path,
                    ("supports", i),
                    f"{obj.id} supports {ref}, which is not an area",
                    obj.id,
                )
            elif area.kind != "improvement":
                yield Problem(
                    obj.path,
                    ("supports", i),
                    f"{obj.id} supports {ref}, which is a {area.kind} area, "
                    "not an area for improvement",
                    obj.id,
                )


@check(
    "orphan-evidence",
    Severity.WARNING,
    bad="# evidence/E30.md, cited nowhere",
    good="evidence: [E24, E30]   # in an objective or a rating",
)
def orphan_evidence(context: Context) -> Iterator[Problem]:
    """Every evidence item is cited by an objective, a rating or a KPI point.

    An item nothing cites appears in no objective's row and supports no rating."""
    plan = context.plan
    cited: set[str] = set()
    for obj in plan.objectives:
        cited.update(obj.evidence)
        for rating in obj.ratings:
            cited.update(rating.evidence)
    for kpi in plan.kpis:
        for point in kpi.data:
            cited.update(point.evidence)
    for evidence in plan.evidence:
        if evidence.id not in cited:
            yield Problem(
                evidence.path,
                ("id",),
                f"evidence {evidence.id} is not cited by any objective, rating or KPI",
                evidence.id,
            )
