"""The archive site's pages as data (SPEC §10): the index, one per month, objective and KPI. Pure.

`site_pages` yields each page as soon as it is known, so the caller renders and writes it and
lets it go: a month page holds a whole board report. The months come first (each month's
state is worked out once, there), then what the objective pages and the index take from them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sendplan.archive.board import BoardMonth
from sendplan.archive.charts import LineChart, StackedBars, line_chart, stacked_bars
from sendplan.archive.links import INDEX, SitePaths, month_path, page_names
from sendplan.dates import month_end, month_label, period_label
from sendplan.model import (
    Approval,
    Benchmark,
    DataPoint,
    DueChange,
    Kpi,
    Objective,
    Plan,
    Withdrawal,
)
from sendplan.recommendation_rows import RecommendationRow, recommendation_row
from sendplan.recommendations import naming_objective, recommendation_state
from sendplan.rows import EvidenceRef
from sendplan.state import ObjectiveState, kpi_state, state_at
from sendplan.trajectory import EXPECTED_DIGITS, expected_value, path
from sendplan.views import KeyRow, ReportMeta, ReportView, board_report
from sendplan.vocabulary import BRAG_ORDER, FLAGS, RATINGS, natural_key

INDEX_FLAGS = tuple(flag for flag in FLAGS if flag not in RATINGS)
"""The flags the months table counts (a `red` or `unrated` flag is already a rating column)."""


@dataclass(frozen=True)
class Crumb:
    label: str
    path: str | None
    """The page it links to (with `fragment`); None for the page the reader is on."""
    fragment: str = ""


@dataclass(frozen=True)
class SiteHeader:
    """What every page says about the plan and the site."""

    plan: str
    partnership: str | None
    notice: str | None
    generated_at: datetime
    commit: str | None
    dirty: bool
    public: bool
    invalid_errors: int
    first: date
    """The first month's last day."""
    last: date
    """The last month's last day: the position objective and KPI pages show."""


@dataclass(frozen=True)
class MonthPage:
    path: str
    crumbs: tuple[Crumb, ...]
    report: ReportView
    unavailable: str | None
    """Why the approved plan could not be read (the page then shows the current plan)."""
    previous: date | None
    """The month before, when the site has it."""
    next: date | None


@dataclass(frozen=True)
class MonthLine:
    """One row of the index's months table."""

    as_of: date
    counts: tuple[int, ...]
    """One count per rating, in RATINGS order."""
    flags: tuple[int, ...]
    """One count per flag, in INDEX_FLAGS order."""
    total: int
    approval: Approval | None


@dataclass(frozen=True)
class ObjectiveLink:
    id: str
    title: str
    rating: str


@dataclass(frozen=True)
class AreaLinks:
    id: str
    title: str
    kind: str
    objectives: tuple[ObjectiveLink, ...]


@dataclass(frozen=True)
class KpiLink:
    id: str
    title: str


@dataclass(frozen=True)
class IndexPage:
    path: str
    crumbs: tuple[Crumb, ...]
    header: SiteHeader
    months: tuple[MonthLine, ...]
    chart: StackedBars
    areas: tuple[AreaLinks, ...]
    kpis: tuple[KpiLink, ...]
    key: tuple[KeyRow, ...]


@dataclass(frozen=True)
class SeriesRow:
    period: str
    label: str
    value: float
    change: float | None
    """Against the point before; None for the first."""
    expected: float | None
    """What the path to the target expects at the period's end (SPEC §7); None off the path."""
    evidence: tuple[EvidenceRef, ...]
    note: str | None


@dataclass(frozen=True)
class BenchmarkLine:
    label: str
    period: str
    value: float
    source: str | None


@dataclass(frozen=True)
class Milestone:
    by: date
    value: float


@dataclass(frozen=True)
class KpiPanel:
    """A KPI's whole series: the KPI page, and each KPI on an objective page."""

    id: str
    title: str
    description: str | None
    owner: str | None
    unit: str
    better: str | None
    target: float | None
    target_by: date | None
    target_state: str | None
    """met, not-yet-met or missed at the site's last month, from the latest point known then."""
    status: str
    """The KPI status at the site's last month (SPEC §7)."""
    tolerance: float
    trajectory: tuple[Milestone, ...]
    """The agreed milestones on the way to the target."""
    latest: SeriesRow | None
    series: tuple[SeriesRow, ...]
    benchmarks: tuple[BenchmarkLine, ...]
    chart: LineChart | None


@dataclass(frozen=True)
class KpiPage:
    path: str
    crumbs: tuple[Crumb, ...]
    header: SiteHeader
    kpi: KpiPanel
    objectives: tuple[ObjectiveLink, ...]
    """The objectives that list this KPI, with their rating at the site's last month."""
    in_plan: bool
    """False when only an approved month's plan still has it."""


@dataclass(frozen=True)
class RatingEntry:
    on: date
    """The rating's date."""
    brag: str
    by: str | None
    note: str
    evidence: tuple[EvidenceRef, ...]
    month: date
    """The last day of the month it is dated in (its month page)."""
    approved_in: date | None
    """The first approved month whose approved plan holds this very entry."""


@dataclass(frozen=True)
class MonthMark:
    """An objective in one month of the site, as that month's page shows it."""

    as_of: date
    rating: str
    flags: tuple[str, ...]
    approved: bool


@dataclass(frozen=True)
class AreaRef:
    id: str
    title: str | None
    """None when the plan has no such area."""


@dataclass(frozen=True)
class ObjectivePage:
    path: str
    crumbs: tuple[Crumb, ...]
    header: SiteHeader
    id: str
    title: str
    area: AreaRef
    theme: str | None
    theme_title: str | None
    owner: str | None
    commitment: str | None
    impact: tuple[str, ...]
    due: date | None
    """The deadline in force at the site's last month; None when ongoing."""
    done: date | None
    rating: str
    """At the site's last month."""
    flags: tuple[str, ...]
    ratings: tuple[RatingEntry, ...]
    """Oldest first."""
    deadline_changes: tuple[DueChange, ...]
    evidence: tuple[EvidenceRef, ...]
    kpis: tuple[KpiPanel, ...]
    supports: tuple[AreaRef, ...]
    months: tuple[MonthMark, ...]
    """Newest first: how the objective stood at the end of every month of the site."""
    recommendations: tuple[RecommendationRow, ...] | None
    """The recommendations that name it; None when the plan has no recommendations at all."""
    withdrawn: Withdrawal | None
    """When and why it was withdrawn, if that was by the site's last month."""
    in_plan: bool
    """False when only an approved month's plan still has it (the file was deleted since)."""


Page = IndexPage | MonthPage | ObjectivePage | KpiPage


def _crumbs(*trail: Crumb) -> tuple[Crumb, ...]:
    return (Crumb("Home", INDEX), *trail)


def _refs(plan: Plan, ids: Sequence[str], public: bool) -> tuple[EvidenceRef, ...]:
    """The evidence cited, as the report shows it: internal items left out with --public."""
    found = [plan.evidence_by_id.get(i) for i in ids]
    return tuple(
        EvidenceRef(e.id, e.title, e.link)
        for e in found
        if e is not None and (e.public or not public)
    )


class Site:
    """The whole site: which pages exist (for links), then each page in turn (`pages()`)."""

    def __init__(self, months: Sequence[BoardMonth], current: Plan, meta: ReportMeta) -> None:
        if not months:
            raise ValueError("a site needs at least one month")
        settings = current.settings
        self.header = SiteHeader(
            plan=settings.name,
            partnership=settings.partnership,
            notice=settings.notice,
            generated_at=meta.generated_at,
            commit=meta.commit,
            dirty=meta.dirty,
            public=meta.public,
            invalid_errors=meta.invalid,
            first=months[0].as_of,
            last=months[-1].as_of,
        )
        self.months = months
        self.current = current
        self.public = meta.public
        # Every objective and KPI the site shows: the current plan's, then those that only an
        # approved month's plan still has (newest month first), so no month page links nowhere.
        self.objectives: dict[str, tuple[Objective, Plan, bool]] = {
            o.id: (o, current, True) for o in current.objectives
        }
        self.kpis: dict[str, tuple[Kpi, Plan, bool]] = {
            k.id: (k, current, True) for k in current.kpis
        }
        for board in reversed(months):
            for o in board.plan.objectives:
                self.objectives.setdefault(o.id, (o, board.plan, False))
            for k in board.plan.kpis:
                self.kpis.setdefault(k.id, (k, board.plan, False))
        self.paths = SitePaths(
            page_names(sorted(self.objectives, key=natural_key)),
            page_names(sorted(self.kpis, key=natural_key)),
            frozenset(m.as_of for m in months),
        )
        self._marks: dict[str, list[MonthMark]] = {}
        self._lines: list[MonthLine] = []
        self._approved: dict[tuple[str, date, str, str], date] = {}
        self._now: dict[str, str] = {}
        self._panels: dict[str, KpiPanel] = {}
        self._states: dict[int, dict[str, ObjectiveState]] = {}

    def pages(self) -> Iterator[Page]:
        """Months first (they give the index its rows), then objectives, KPIs and the index."""
        yield from self._month_pages()
        yield from self._objective_pages()
        yield from self._kpi_pages()
        yield self._index_page()

    # -- months ----------------------------------------------------------------------------

    def _month_pages(self) -> Iterator[MonthPage]:
        months = self.months
        for i, board in enumerate(months):
            view = self._report(board)
            summary = view.summary
            self._lines.append(
                MonthLine(
                    board.as_of,
                    tuple(r.now for r in summary.ratings),
                    tuple(f.count for f in summary.flags if f.flag in INDEX_FLAGS),
                    summary.objectives,
                    board.approval,
                )
            )
            yield MonthPage(
                month_path(board.as_of),
                _crumbs(Crumb("Months", INDEX, "months"), Crumb(month_label(board.as_of), None)),
                view,
                board.unavailable,
                months[i - 1].as_of if i > 0 else None,
                months[i + 1].as_of if i + 1 < len(months) else None,
            )

    def _report(self, board: BoardMonth) -> ReportView:
        """The month's board report; on the way, each objective's mark for its timeline."""
        state = state_at(board.plan, board.as_of)
        approved = board.as_approved
        for s in state.objectives:
            oid = s.objective.id
            self._marks.setdefault(oid, []).append(
                MonthMark(board.as_of, s.brag, s.flags, approved)
            )
            if approved:
                for r in s.objective.ratings:
                    if r.date <= board.as_of:
                        self._approved.setdefault((oid, r.date, r.brag, r.note), board.as_of)
        invalid = self.header.invalid_errors if board.plan is self.current else 0
        meta = board.meta(self.header.generated_at, self.public, invalid)
        return board_report(board.plan, state, meta)

    # -- objectives ------------------------------------------------------------------------

    def _objective_pages(self) -> Iterator[ObjectivePage]:
        for oid in sorted(self.objectives, key=natural_key):
            objective, plan, in_plan = self.objectives[oid]
            yield self._objective_page(objective, plan, in_plan)

    def _objective_page(self, o: Objective, plan: Plan, in_plan: bool) -> ObjectivePage:
        last = self.header.last
        state = self._state_now(plan, o.id)
        self._now[o.id] = state.brag
        area = plan.area_by_id.get(o.area)
        theme = plan.theme_of(o)
        theme_title = None
        if area is not None:
            theme_title = next((t.title for t in area.themes if t.id == theme), None)
        ratings = tuple(
            RatingEntry(
                r.date,
                r.brag,
                r.by,
                r.note,
                _refs(plan, r.evidence, self.public),
                month_end(r.date.year, r.date.month),
                self._approved.get((o.id, r.date, r.brag, r.note)),
            )
            for r in o.ratings
            if r.date <= last
        )
        return ObjectivePage(
            path=self.paths.objective(o.id) or "",
            crumbs=_crumbs(
                Crumb("Objectives", INDEX, "objectives"),
                Crumb(o.area, INDEX, f"area-{o.area}"),
                Crumb(o.id, None),
            ),
            header=self.header,
            id=o.id,
            title=o.title,
            area=AreaRef(o.area, area.title if area else None),
            theme=theme,
            theme_title=theme_title,
            owner=o.owner,
            commitment=o.commitment,
            impact=tuple(o.impact),
            due=state.due,
            done=o.done if o.done is not None and o.done <= last else None,
            rating=state.brag,
            flags=state.flags,
            ratings=ratings,
            deadline_changes=tuple(c for c in o.due_history if c.on <= last),
            evidence=_refs(plan, o.evidence, self.public),
            kpis=tuple(self._panel(k) for k in dict.fromkeys(o.kpis) if k in self.kpis),
            supports=tuple(
                AreaRef(a, plan.area_by_id[a].title if a in plan.area_by_id else None)
                for a in dict.fromkeys(o.supports)
            ),
            months=tuple(reversed(self._marks.get(o.id, []))),
            recommendations=_recommendations(plan, o.id, last),
            withdrawn=o.withdrawn if o.withdrawn is not None and o.withdrawn.on <= last else None,
            in_plan=in_plan,
        )

    def _state_now(self, plan: Plan, objective_id: str) -> ObjectiveState:
        """The objective at the site's last month, from the plan it is shown from."""
        states = self._states.get(id(plan))
        if states is None:
            at_last = state_at(plan, self.header.last)
            states = self._states[id(plan)] = {s.objective.id: s for s in at_last.objectives}
        return states[objective_id]

    # -- KPIs ------------------------------------------------------------------------------

    def _panel(self, kpi_id: str) -> KpiPanel:
        """A KPI's series up to the site's last month (worked out once per KPI)."""
        panel = self._panels.get(kpi_id)
        if panel is None:
            kpi, plan, _ = self.kpis[kpi_id]
            panel = self._panels[kpi_id] = _kpi_panel(kpi, plan, self.header.last, self.public)
        return panel

    def _kpi_pages(self) -> Iterator[KpiPage]:
        users: dict[str, list[ObjectiveLink]] = {}
        for oid in sorted(self.objectives, key=natural_key):
            objective, _, _ = self.objectives[oid]
            for kpi_id in dict.fromkeys(objective.kpis):
                link = ObjectiveLink(oid, objective.title, self._now.get(oid, "unrated"))
                users.setdefault(kpi_id, []).append(link)
        for kpi_id in sorted(self.kpis, key=natural_key):
            panel = self._panel(kpi_id)
            yield KpiPage(
                path=self.paths.kpi(kpi_id) or "",
                crumbs=_crumbs(Crumb("KPIs", INDEX, "kpis"), Crumb(panel.title, None)),
                header=self.header,
                kpi=panel,
                objectives=tuple(users.get(kpi_id, ())),
                in_plan=self.kpis[kpi_id][2],
            )

    # -- the index -------------------------------------------------------------------------

    def _index_page(self) -> IndexPage:
        lines = tuple(self._lines)
        chart = stacked_bars(
            [f"{month_label(line.as_of)[:3]} {line.as_of.year}" for line in lines],
            [line.counts for line in lines],
            RATINGS,
        )
        by_area: dict[str, list[ObjectiveLink]] = {}
        area_of: dict[str, tuple[str, str]] = {}
        for oid in sorted(self.objectives, key=natural_key):
            objective, plan, _ = self.objectives[oid]
            link = ObjectiveLink(oid, objective.title, self._now.get(oid, "unrated"))
            by_area.setdefault(objective.area, []).append(link)
            area = plan.area_by_id.get(objective.area)
            if area is not None:
                area_of.setdefault(objective.area, (area.title, area.kind))
        for area in self.current.areas:
            area_of[area.id] = (area.title, area.kind)
        order = sorted(
            by_area,
            key=lambda a: (
                0 if area_of.get(a, ("", "priority"))[1] == "priority" else 1,
                natural_key(a),
            ),
        )
        areas = tuple(
            AreaLinks(
                a,
                area_of.get(a, (a, "priority"))[0],
                area_of.get(a, (a, "priority"))[1],
                tuple(by_area[a]),
            )
            for a in order
        )
        brag = self.current.settings.brag
        return IndexPage(
            path=INDEX,
            crumbs=(Crumb("Home", None),),
            header=self.header,
            months=lines,
            chart=chart,
            areas=areas,
            kpis=tuple(
                KpiLink(k, self._panel(k).title) for k in sorted(self.kpis, key=natural_key)
            ),
            key=tuple(KeyRow(r, getattr(brag, r)) for r in BRAG_ORDER),
        )


def _recommendations(
    plan: Plan, objective_id: str, last: date
) -> tuple[RecommendationRow, ...] | None:
    """The recommendations naming the objective, as the report's rows at the site's last month."""
    if not plan.recommendations:
        return None
    days = plan.settings.response_days
    return tuple(
        recommendation_row(recommendation_state(r, last, days), last, {})
        for r in naming_objective(plan, objective_id)
        if r.made <= last
    )


def _kpi_panel(kpi: Kpi, plan: Plan, last: date, public: bool) -> KpiPanel:
    known = kpi_state(kpi, last, plan.settings.kpi_tolerance)
    series: list[SeriesRow] = []
    before: DataPoint | None = None
    for p in known.known:
        change = None if before is None else round(p.value - before.value, 6)
        expected = expected_value(kpi, p.period.end)
        series.append(
            SeriesRow(
                str(p.period),
                period_label(p.period),
                p.value,
                change,
                None if expected is None else round(expected, EXPECTED_DIGITS),
                _refs(plan, p.evidence, public),
                p.note,
            )
        )
        before = p
    benchmarks = sorted(
        (b for b in kpi.benchmarks if b.period.end <= last),
        key=lambda b: (natural_key(b.label), b.period),
    )
    target = kpi.target
    chart = None
    if known.known:
        target_at = None
        if target is not None:
            target_at = (target.by or known.known[-1].period.end, target.value, "Target")
        chart = line_chart(
            [(p.period.end, p.value, period_label(p.period)) for p in known.known],
            target=target_at,
            trajectory=[(a.day, a.value, "") for a in path(kpi)],
            benchmarks=[(b.period.end, b.value, b.label) for b in benchmarks],
        )
    return KpiPanel(
        id=kpi.id,
        title=kpi.title,
        description=kpi.description,
        owner=kpi.owner,
        unit=kpi.unit,
        better=kpi.better,
        target=target.value if target else None,
        target_by=target.by if target else None,
        target_state=known.target_state,
        status=known.status,
        tolerance=known.tolerance,
        trajectory=tuple(Milestone(m.by, m.value) for m in kpi.trajectory),
        latest=series[-1] if series else None,
        series=tuple(series),
        benchmarks=tuple(_benchmark_line(b) for b in benchmarks),
        chart=chart,
    )


def _benchmark_line(b: Benchmark) -> BenchmarkLine:
    return BenchmarkLine(b.label, str(b.period), b.value, b.source)
