"""The board report as data (SPEC §5): one view model, which the JSON format is. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sendplan.dates import month_end, month_label, period_label
from sendplan.findings import Change
from sendplan.model import Approval, Area, Evidence, Objective, Plan
from sendplan.recommendation_rows import RecommendationRow, recommendation_rows
from sendplan.recommendations import recommendation_states
from sendplan.rows import OMIT_WHEN_EMPTY, ObjectiveRow, json_value, objective_rows
from sendplan.safetext import json_document
from sendplan.state import KpiState, PlanState, is_complete, rating_at
from sendplan.timeline import MilestoneState, next_milestone
from sendplan.trajectory import KPI_STATUSES, path
from sendplan.vocabulary import (
    BRAG_ORDER,
    FLAG_MEANINGS,
    FLAGS,
    KPI_STATUS_MEANINGS,
    RATINGS,
    RECOMMENDATION_FLAG_MEANINGS,
    RECOMMENDATION_FLAGS,
    STATUSES,
    UNRATED,
    UNRATED_MEANING,
    natural_key,
    rating_word,
)

COMING_UP_DAYS = 90


@dataclass(frozen=True)
class ReportMeta:
    """Facts about the report that do not come from the plan (the CLI gathers them)."""

    generated_at: datetime
    commit: str | None = None
    """The git commit the plan files come from; None outside git."""
    dirty: bool = False
    """True when the plan files had uncommitted changes."""
    public: bool = False
    """True for `--public`: internal evidence is left out."""
    invalid: int = 0
    """How many errors `validate` found (rendered anyway with --allow-invalid)."""
    approval: Approval | None = None
    """The approval of the report's month, if the board approved it."""
    since_approval: tuple[Change, ...] | None = None
    """What changed since the approval's commit that alters the month's state; None when
    it could not be compared (see `unavailable`) or this is the approved plan itself."""
    unavailable: str | None = None
    """Why the changes since the approval could not be listed (no git history...)."""
    as_approved: bool = False
    """True for `--as-approved`: the plan as it was at the approval's commit."""


@dataclass(frozen=True)
class Header:
    plan: str
    partnership: str | None
    month: str
    as_of: date
    previous_as_of: date
    generated_at: datetime
    commit: str | None
    dirty: bool
    in_git: bool
    notice: str | None
    public: bool
    invalid_errors: int
    stale_after_days: int
    claims_progress: tuple[str, ...]
    """The ratings that claim progress (for the `contradicted` flag's key)."""
    approval: ApprovalLine | None
    """Who approved this month's report, and when; None when it is not approved."""
    not_approved: bool
    """True for a month's report that no approval covers, in a plan that records approvals."""

    type_: str | None = field(default=None, metadata=OMIT_WHEN_EMPTY)
    """The plan's type from sendplan.yaml: pap, wsoa, app or strategic."""
    next_milestone: MilestoneState | None = field(default=None, metadata=OMIT_WHEN_EMPTY)
    """The first milestone due on or after A and not done at A."""


@dataclass(frozen=True)
class ApprovalLine:
    """The board's sign-off of the report's month (SPEC §8)."""

    month: str
    board: str
    date: date
    commit: str
    by: str | None
    note: str | None
    as_approved: bool
    """True when this report is the plan as it was at `commit` (what the board saw)."""
    changes: int | None
    """How many post-approval changes there are; None when they could not be compared."""
    unavailable: str | None
    """Why they could not be compared."""


@dataclass(frozen=True)
class RatingCount:
    rating: str
    now: int
    previous: int


@dataclass(frozen=True)
class FlagCount:
    flag: str
    count: int


@dataclass(frozen=True)
class AreaCounts:
    id: str
    title: str
    kind: str
    counts: tuple[int, ...]
    """One count per rating, in RATINGS order."""
    total: int
    worst: str
    """The lowest rating of the area's objectives at A (`unrated` only if none is rated):
    a roll-up never averages."""


@dataclass(frozen=True)
class StatusCount:
    status: str
    now: int
    previous: int


@dataclass(frozen=True)
class Summary:
    ratings: tuple[RatingCount, ...]
    flags: tuple[FlagCount, ...]
    areas: tuple[AreaCounts, ...]
    objectives: int
    """Objectives counted: those not withdrawn at A."""
    withdrawn: int
    """Objectives withdrawn on or before A (listed under Withdrawn, not counted)."""
    recommendations: tuple[StatusCount, ...] = field(default=(), metadata=OMIT_WHEN_EMPTY)
    """Recommendations made by A by status, beside the end of the month before; () when
    none was made by A."""
    recommendation_flags: tuple[FlagCount, ...] = field(default=(), metadata=OMIT_WHEN_EMPTY)
    milestones_passed: tuple[MilestoneState, ...] = field(default=(), metadata=OMIT_WHEN_EMPTY)
    """Milestones whose date is before A and that are not done at A."""


@dataclass(frozen=True)
class DeadlineMove:
    id: str
    title: str
    on: date
    from_: date
    to: date
    reason: str


@dataclass(frozen=True)
class Movement:
    up: tuple[ObjectiveRow, ...]
    down: tuple[ObjectiveRow, ...]
    new: tuple[ObjectiveRow, ...]
    completed: tuple[ObjectiveRow, ...]
    """Complete at A but not at the end of the month before."""
    deadlines_moved: tuple[DeadlineMove, ...]


@dataclass(frozen=True)
class KpiPoint:
    period: str
    label: str
    value: float
    end: date
    """The period's last day: where the point sits on a time axis."""


@dataclass(frozen=True)
class PathPoint:
    """A corner of the KPI's agreed path: the first point, a milestone, the target."""

    day: date
    value: float


@dataclass(frozen=True)
class BenchmarkRow:
    label: str
    period: str
    value: float
    source: str | None


@dataclass(frozen=True)
class KpiRow:
    id: str
    title: str
    unit: str
    better: str | None
    latest: KpiPoint | None
    previous: KpiPoint | None
    change: float | None
    direction: str | None
    """better, worse or same; None when it cannot be said."""
    target: float | None
    target_by: date | None
    target_met: bool | None
    """The latest figure reaches the target value, whatever the date (None: cannot say)."""
    target_state: str | None
    """met, not-yet-met or missed (its date has passed); None without target or data."""
    status: str
    """no-data, no-target, met, missed, on-track or off-track (SPEC §7)."""
    expected: float | None
    """The value the path expects at the latest point's period end."""
    gap: float | None
    """The latest value minus the expected one."""
    shortfall: float | None
    """How far worse than expected, in percent of the expected value (negative: better)."""
    tolerance: float
    """How far (percent of the expected value) it may fall short and still be on track."""
    trajectory: tuple[PathPoint, ...]
    """The KPI's interim milestones, as written."""
    path: tuple[PathPoint, ...]
    """The whole path: first point, milestones, dated target (empty without a target)."""
    benchmarks: tuple[BenchmarkRow, ...]
    """The latest benchmark of each label known at A."""
    series: tuple[KpiPoint, ...]
    """Every point known at A, for the trend line."""


@dataclass(frozen=True)
class SinceApproval:
    """One post-approval change: it alters the approved month's state (SPEC §8)."""

    kind: str
    id: str
    title: str
    change: str
    severity: str
    message: str


@dataclass(frozen=True)
class ThemeSection:
    id: str | None
    title: str | None
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class AreaSection:
    id: str
    title: str
    kind: str
    finding: str | None
    themes: tuple[ThemeSection, ...]


@dataclass(frozen=True)
class ImprovementArea:
    id: str
    title: str
    own: tuple[ObjectiveRow, ...]
    """The area's own objectives."""
    supporting: tuple[ObjectiveRow, ...]
    """Objectives elsewhere whose `supports:` names this area."""


@dataclass(frozen=True)
class EvidenceRow:
    id: str
    title: str
    kind: str
    date: date | None
    link: str | None
    public: bool
    cited_by: tuple[str, ...]


@dataclass(frozen=True)
class KeyRow:
    rating: str
    definition: str


@dataclass(frozen=True)
class FlagKeyRow:
    flag: str
    meaning: str


@dataclass(frozen=True)
class KpiKeyRow:
    status: str
    meaning: str


@dataclass(frozen=True)
class Section:
    """One numbered section of the report: a ReportView field, and the templates' macro."""

    name: str
    """The ReportView field and the macro in `_sections.md.j2` / `_sections.html.j2`."""
    title: str
    optional: bool = False
    """Left out (and not numbered) when its field is empty."""

    @property
    def anchor(self) -> str:
        """The HTML id: `needs-attention`."""
        return self.name.replace("_", "-")

    @property
    def slug(self) -> str:
        """GitHub's anchor of the Markdown heading, after its number: `needs-attention`."""
        return self.title.lower().replace(" ", "-")


SECTIONS = (
    Section("summary", "Summary"),
    Section("since_approval", "Changes since approval", optional=True),
    Section("needs_attention", "Needs attention"),
    Section("movement", "Movement"),
    Section("kpis", "KPIs"),
    Section("coming_up", "Coming up"),
    Section("objectives", "Objectives"),
    Section("withdrawn", "Withdrawn", optional=True),
    Section("areas_for_improvement", "Areas for improvement"),
    Section("recommendations", "Recommendations", optional=True),
    Section("evidence", "Evidence index"),
    Section("key", "Key"),
)
"""The report's sections in SPEC §5 order: both templates and the tests loop over this."""


@dataclass(frozen=True)
class ReportView:
    """The whole board report, section by section in SPEC §5 order."""

    header: Header
    summary: Summary
    since_approval: tuple[SinceApproval, ...]
    """Changes since the board approved this month's report that alter its state."""
    needs_attention: tuple[ObjectiveRow, ...]
    movement: Movement
    kpis: tuple[KpiRow, ...]
    coming_up: tuple[ObjectiveRow, ...]
    coming_up_until: date
    objectives: tuple[AreaSection, ...]
    withdrawn: tuple[ObjectiveRow, ...]
    """Objectives withdrawn on or before A, with the date and reason."""
    areas_for_improvement: tuple[ImprovementArea, ...]
    recommendations: tuple[RecommendationRow, ...] = field(metadata=OMIT_WHEN_EMPTY)
    """Recommendations made by A (SPEC §9), in natural ID order."""
    evidence: tuple[EvidenceRow, ...]
    key: tuple[KeyRow, ...]
    flag_key: tuple[FlagKeyRow, ...]
    kpi_key: tuple[KpiKeyRow, ...]
    """What each KPI status means (with the plan's tolerance); () for a plan without KPIs."""
    coming_up_milestones: tuple[MilestoneState, ...] = field(default=(), metadata=OMIT_WHEN_EMPTY)
    """Milestones due from A to `coming_up_until` and not done at A."""
    recommendation_flag_key: tuple[FlagKeyRow, ...] = field(default=(), metadata=OMIT_WHEN_EMPTY)
    """What the recommendation flags mean; () when the report has no recommendations."""

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections shown, in order (an optional one only when it has something)."""
        return tuple(s for s in SECTIONS if not s.optional or getattr(self, s.name))


def _area_order(area: Area) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    return (0 if area.kind == "priority" else 1, natural_key(area.id))


class _Builder:
    def __init__(self, plan: Plan, state: PlanState, public: bool) -> None:
        self.plan = plan
        self.state = state
        self.public = public
        self.shown_evidence = {e.id: e for e in plan.evidence if e.public or not public}
        self.rows = {row.id: row for row in objective_rows(plan, state, public)}
        self.active = state.active
        """A withdrawn objective leaves every count, list and flag from its date."""
        # Each area's rows, and the IDs of objectives supporting each area, in one pass
        # (filtering every row for every area grew with areas x objectives).
        self.rows_by_area: dict[str, list[ObjectiveRow]] = {}
        for row in self.rows.values():
            if row.withdrawn is None:
                self.rows_by_area.setdefault(row.area, []).append(row)
        self.supporters: dict[str, list[str]] = {}
        for s in self.active:
            for area_id in dict.fromkeys(s.objective.supports):
                self.supporters.setdefault(area_id, []).append(s.objective.id)

    def ordered(self, ids: Iterable[str]) -> tuple[ObjectiveRow, ...]:
        return tuple(sorted((self.rows[i] for i in ids), key=lambda r: natural_key(r.id)))

    def summary(self) -> Summary:
        states = self.active
        previously = [s for s in self.state.objectives if not s.withdrawn_before]
        areas = []
        for area in sorted(self.plan.areas, key=_area_order):
            rows = self.rows_by_area.get(area.id, [])
            counts = tuple(sum(r.rating == rating for r in rows) for rating in RATINGS)
            worst = worst_rating(r.rating for r in rows)
            areas.append(AreaCounts(area.id, area.title, area.kind, counts, len(rows), worst))
        return Summary(
            ratings=tuple(
                RatingCount(
                    rating,
                    sum(s.brag == rating for s in states),
                    sum(s.previous_brag == rating for s in previously),
                )
                for rating in RATINGS
            ),
            flags=tuple(FlagCount(f, sum(f in s.flags for s in states)) for f in FLAGS),
            areas=tuple(areas),
            objectives=len(states),
            withdrawn=len(self.state.objectives) - len(states),
        )

    def withdrawn(self) -> tuple[ObjectiveRow, ...]:
        return tuple(r for r in self.rows.values() if r.withdrawn is not None)

    def movement(self) -> Movement:
        states = self.active
        previous_end = self.state.previous_as_of

        def moved(kind: str) -> tuple[ObjectiveRow, ...]:
            return self.ordered(s.objective.id for s in states if s.movement == kind)

        completed = self.ordered(
            s.objective.id
            for s in states
            if s.complete and not _complete_at(s.objective, previous_end)
        )
        moves = sorted(
            (
                DeadlineMove(s.objective.id, s.objective.title, c.on, c.from_, c.to, c.reason)
                for s in states
                for c in s.rebaselines
            ),
            key=lambda m: (m.on, natural_key(m.id)),
        )
        return Movement(moved("up"), moved("down"), moved("new"), completed, tuple(moves))

    def kpis(self) -> tuple[KpiRow, ...]:
        return tuple(
            _kpi_row(k, self.state.as_of)
            for k in sorted(self.state.kpis, key=lambda k: natural_key(k.kpi.id))
        )

    def coming_up(self) -> tuple[ObjectiveRow, ...]:
        until = self.state.as_of + timedelta(days=COMING_UP_DAYS)
        rows = [
            r
            for r in self.rows.values()
            if r.due is not None
            and self.state.as_of < r.due <= until
            and not r.complete
            and r.withdrawn is None
        ]
        return tuple(sorted(rows, key=lambda r: (r.due or date.min, natural_key(r.id))))

    def objectives(self) -> tuple[AreaSection, ...]:
        sections = []
        for area in sorted(self.plan.areas, key=_area_order):
            known = {t.id for t in area.themes}
            by_theme: dict[str | None, list[ObjectiveRow]] = {}
            for row in self.rows_by_area.get(area.id, []):
                # Objectives of an area without themes, or naming a theme it does not have: None.
                by_theme.setdefault(row.theme if row.theme in known else None, []).append(row)
            themes = [
                ThemeSection(t.id, t.title, tuple(by_theme.get(t.id, ()))) for t in area.themes
            ]
            themes.append(ThemeSection(None, None, tuple(by_theme.get(None, ()))))
            sections.append(
                AreaSection(
                    area.id,
                    area.title,
                    area.kind,
                    area.finding,
                    tuple(t for t in themes if t.objectives),
                )
            )
        return tuple(sections)

    def areas_for_improvement(self) -> tuple[ImprovementArea, ...]:
        result = []
        for area in sorted(self.plan.areas, key=_area_order):
            if area.kind != "improvement":
                continue
            own = self.ordered(r.id for r in self.rows_by_area.get(area.id, []))
            supporting = self.ordered(self.supporters.get(area.id, []))
            result.append(ImprovementArea(area.id, area.title, own, supporting))
        return tuple(result)

    def recommendations(self) -> tuple[RecommendationRow, ...]:
        return tuple(recommendation_rows(self.state, self.rows))

    def recommendation_counts(self) -> tuple[StatusCount, ...]:
        now = self.state.recommendations
        if not now:
            return ()
        before = recommendation_states(self.plan, self.state.previous_as_of)
        return tuple(
            StatusCount(
                status,
                sum(s.status == status for s in now),
                sum(s.status == status for s in before),
            )
            for status in STATUSES
        )

    def coming_up_milestones(self, until: date) -> tuple[MilestoneState, ...]:
        return tuple(
            m
            for m in self.state.milestones
            if m.done is None and self.state.as_of <= m.due <= until
        )

    def evidence(self) -> tuple[EvidenceRow, ...]:
        cited: dict[str, list[str]] = {}
        for obj in sorted(self.plan.objectives, key=lambda o: natural_key(o.id)):
            refs = set(obj.evidence)
            for rating in obj.ratings:
                refs.update(rating.evidence)
            for ref in refs:
                cited.setdefault(ref, []).append(obj.id)
        return tuple(
            _evidence_row(e, tuple(cited.get(e.id, ())))
            for e in sorted(self.shown_evidence.values(), key=lambda e: natural_key(e.id))
        )


def worst_rating(ratings: Iterable[str]) -> str:
    """The lowest of these ratings; `unrated` only when none is rated (never an average)."""
    rated = [r for r in ratings if r in BRAG_ORDER]
    return min(rated, key=BRAG_ORDER.index) if rated else UNRATED


def _complete_at(objective: Objective, day: date) -> bool:
    return is_complete(objective, rating_at(objective.ratings, day), day)


def _evidence_row(e: Evidence, cited_by: tuple[str, ...]) -> EvidenceRow:
    return EvidenceRow(e.id, e.title, e.kind, e.date, e.link, e.public, cited_by)


def _point(p: Any) -> KpiPoint:
    return KpiPoint(str(p.period), period_label(p.period), p.value, p.period.end)


def _kpi_row(k: KpiState, as_of: date) -> KpiRow:
    kpi = k.kpi
    latest_benchmarks: dict[str, Any] = {}
    for b in sorted(kpi.benchmarks, key=lambda b: b.period):
        if b.period.end <= as_of:
            latest_benchmarks[b.label] = b
    return KpiRow(
        id=kpi.id,
        title=kpi.title,
        unit=kpi.unit,
        better=kpi.better,
        latest=_point(k.latest) if k.latest else None,
        previous=_point(k.previous) if k.previous else None,
        change=round(k.change, 6) if k.change is not None else None,
        direction=k.direction,
        target=kpi.target.value if kpi.target else None,
        target_by=kpi.target.by if kpi.target else None,
        target_met=k.target_met,
        target_state=k.target_state,
        status=k.status,
        expected=k.judgement.expected,
        gap=k.judgement.gap,
        shortfall=k.judgement.shortfall,
        tolerance=k.tolerance,
        trajectory=tuple(PathPoint(m.by, m.value) for m in kpi.trajectory),
        path=tuple(PathPoint(a.day, a.value) for a in path(kpi)),
        benchmarks=tuple(
            BenchmarkRow(b.label, str(b.period), b.value, b.source)
            for b in latest_benchmarks.values()
        ),
        series=tuple(_point(p) for p in k.known),
    )


def board_report(plan: Plan, state: PlanState, meta: ReportMeta) -> ReportView:
    """The board report at the state's as-of date."""
    builder = _Builder(plan, state, meta.public)
    settings = plan.settings
    header = Header(
        plan=settings.name,
        partnership=settings.partnership,
        month=month_label(state.as_of),
        as_of=state.as_of,
        previous_as_of=state.previous_as_of,
        generated_at=meta.generated_at,
        commit=meta.commit,
        dirty=meta.dirty,
        in_git=meta.commit is not None,
        notice=settings.notice,
        public=meta.public,
        invalid_errors=meta.invalid,
        stale_after_days=settings.stale_after_days,
        claims_progress=tuple(r for r in BRAG_ORDER if r in settings.claims_progress),
        approval=_approval_line(meta),
        not_approved=meta.approval is None
        and bool(plan.approvals)
        and state.as_of == month_end(state.as_of.year, state.as_of.month),
        type_=settings.type,
        next_milestone=next_milestone(state.milestones),
    )
    attention = tuple(r for r in builder.rows.values() if r.flags)
    recommendations = builder.recommendations()
    until = state.as_of + timedelta(days=COMING_UP_DAYS)
    summary = dataclasses.replace(
        builder.summary(),
        recommendations=builder.recommendation_counts(),
        recommendation_flags=_flag_counts(recommendations),
        milestones_passed=tuple(m for m in state.milestones if m.passed),
    )
    return ReportView(
        header=header,
        summary=summary,
        since_approval=tuple(
            SinceApproval(c.kind, c.id, c.title, c.change, str(c.severity), c.message)
            for c in meta.since_approval or ()
        ),
        needs_attention=attention,
        movement=builder.movement(),
        kpis=builder.kpis(),
        coming_up=builder.coming_up(),
        coming_up_until=until,
        objectives=builder.objectives(),
        withdrawn=builder.withdrawn(),
        areas_for_improvement=builder.areas_for_improvement(),
        evidence=builder.evidence(),
        key=(
            *(KeyRow(rating, getattr(settings.brag, rating)) for rating in BRAG_ORDER),
            KeyRow(UNRATED, UNRATED_MEANING),
        ),
        flag_key=tuple(
            FlagKeyRow(
                flag,
                FLAG_MEANINGS[flag].format(
                    stale_after_days=settings.stale_after_days,
                    claims_progress=_listed_words(header.claims_progress),
                ),
            )
            for flag in FLAGS
        ),
        kpi_key=tuple(
            KpiKeyRow(
                status,
                KPI_STATUS_MEANINGS[status].format(tolerance=_number(settings.kpi_tolerance)),
            )
            for status in KPI_STATUSES
        )
        if plan.kpis
        else (),
        recommendations=recommendations,
        coming_up_milestones=builder.coming_up_milestones(until),
        recommendation_flag_key=tuple(
            FlagKeyRow(
                flag,
                RECOMMENDATION_FLAG_MEANINGS[flag].format(response_days=settings.response_days),
            )
            for flag in RECOMMENDATION_FLAGS
        )
        if recommendations
        else (),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _approval_line(meta: ReportMeta) -> ApprovalLine | None:
    approval = meta.approval
    if approval is None:
        return None
    return ApprovalLine(
        month=approval.month,
        board=approval.board,
        date=approval.date,
        commit=approval.commit,
        by=approval.by,
        note=approval.note,
        as_approved=meta.as_approved,
        changes=len(meta.since_approval) if meta.since_approval is not None else None,
        unavailable=meta.unavailable,
    )


def _flag_counts(recommendations: tuple[RecommendationRow, ...]) -> tuple[FlagCount, ...]:
    """How many recommendations carry each flag; () when there are none."""
    if not recommendations:
        return ()
    return tuple(
        FlagCount(f, sum(f in r.flags for r in recommendations)) for f in RECOMMENDATION_FLAGS
    )


def _listed_words(ratings: tuple[str, ...]) -> str:
    """`Amber, Green or Blue`."""
    words = [rating_word(r) for r in ratings]
    if not words:
        return "none set"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def as_json(view: ReportView) -> str:
    """The report as JSON: the same data the templates render, with ISO dates."""
    return json_document(json_value(view)) + "\n"
