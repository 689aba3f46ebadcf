"""Render a ReportView with Jinja: the only user of jinja2 (and of markdown-it for notes).

Templates come from the plan's own `templates/` folder first, then the built-in ones shipped in
the wheel (`sendplan.templates`). HTML templates autoescape everything; notes are Markdown
rendered without raw HTML, and only http(s) addresses ever become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from sendplan import vocabulary
from sendplan.dates import long_date, month_label
from sendplan.safetext import (
    defang_schemes,
    document_text,
    html_value,
    is_http_url,
    md_cell,
    md_note,
    md_url,
)
from sendplan.views import KpiPoint, ReportView

if TYPE_CHECKING:
    from sendplan.archive.pages import Site

TEMPLATE_BY_FORMAT = {"md": "report.md.j2", "html": "report.html.j2"}


@cache
def _note_renderer() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Notes sit inside the report's own headings and tables: no headings, rules or images of
    # their own (an image would also be a network request).
    md.disable(["heading", "lheading", "hr", "image", "html_block", "html_inline"])
    md.validateLink = is_http_url  # type: ignore[method-assign]
    return md


# A one-line note that starts with a letter and holds none of the characters that begin
# inline Markdown (emphasis, code, links, autolinks, entities, escapes) is one plain paragraph:
# markdown-it would render exactly `<p>text</p>`, with `"` as `&quot;`. Most notes are such.
_PLAIN_NOTE = re.compile(r"[^\W\d_][^\x00\n\r\t\\`*_\[\]<>&]*(?<=\S)")


@lru_cache(maxsize=16_384)
def _markdown_html(text: str) -> str:
    """markdown-it's HTML for a note (the same note shows in several sections)."""
    if _PLAIN_NOTE.fullmatch(text):
        return "<p>" + text.replace('"', "&quot;") + "</p>\n"
    return _note_renderer().render(text)  # type: ignore[no-any-return]


def note_html(value: object) -> Markup:
    """A note's Markdown as HTML: no raw HTML, only http(s) links."""
    text = "" if value is None else str(value)
    if not text.strip():
        return Markup("")
    return Markup(defang_schemes(_markdown_html(text), "&#58;"))


def number(value: float | None, unit: str = "") -> str:
    """58.5 with its unit: `58.5%`, `392 days`; integers without `.0`."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "pp") else f"{text} {unit}"


def signed(value: float | None, unit: str = "") -> str:
    """A change with its sign: `+8.5`, `-161 days`; `%` changes are percentage points."""
    if value is None:
        return ""
    unit = "pp" if unit == "%" else unit
    text = number(abs(value), unit)
    if value == 0:
        return "no change"
    return f"+{text}" if value > 0 else f"\N{MINUS SIGN}{text}"


def sparkline(series: Sequence[KpiPoint], title: str, unit: str = "") -> Markup:
    """A small inline SVG trend line with a text alternative; empty below two points."""
    if len(series) < 2:
        return Markup("")
    width, height, pad = 120, 32, 3
    values = [p.value for p in series]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(values) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{height - pad - (v - low) / span * (height - 2 * pad):.1f}"
        for i, v in enumerate(values)
    )
    last_x, last_y = points.rsplit(" ", 1)[-1].split(",")
    label = f"Trend of {title}: " + ", ".join(
        f"{number(p.value, unit)} in {p.label}" for p in series
    )
    label = defang_schemes(html.escape(label, quote=True), "&#58;")
    return Markup(
        f'<svg class="spark" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="#1d70b8"/></svg>'
    )


def flag_words(flags: Sequence[str]) -> str:
    """`Overdue, Stale`."""
    return ", ".join(vocabulary.flag_word(flag) for flag in flags)


def _short_date(value: date | None) -> str:
    return "" if value is None else value.strftime("%d %b %Y").lstrip("0")


def _due(value: date | None) -> str:
    """A deadline as the report writes dates, or `Ongoing`."""
    return vocabulary.ONGOING if value is None else _short_date(value)


def _timestamp(value: datetime) -> str:
    """`1 July 2024, 09:30 UTC`."""
    return f"{long_date(value.date())}, {value:%H:%M} {value.tzname() or ''}".rstrip()


def _long_date(value: date | None) -> str:
    return "" if value is None else long_date(value)


_value_for_html = html_value()


@jinja2.pass_eval_context
def _html_value(eval_ctx: jinja2.nodes.EvalContext, value: object) -> object:
    """Every {{ value }} of an HTML template goes out through safetext.html_value."""
    return _value_for_html(value, eval_ctx.autoescape)


def environment(plan_root: Path | None, fmt: str = "html") -> jinja2.Environment:
    """Templates: the plan's `templates/` first (overrides file by file), then the built-ins."""
    loaders: list[jinja2.BaseLoader] = []
    if plan_root is not None and (plan_root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(plan_root / "templates"))
    loaders.append(jinja2.PackageLoader("sendplan.templates", "."))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # select_autoescape() misses "report.html.j2" (HAZARDS.md): decide by name ourselves.
        autoescape=lambda name: name is not None and ".html" in name,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_html_value if fmt == "html" else None,
    )
    env.filters.update(
        md=md_cell,
        md_note=md_note,
        md_url=md_url,
        flag_words=flag_words,
        owner=vocabulary.owner_word,
        due=_due,
        note_html=note_html,
        number=number,
        signed=signed,
        short_date=_short_date,
        long_date=_long_date,
        timestamp=_timestamp,
        month_label=month_label,
        days_left=vocabulary.days_left_word,
    )
    env.globals.update(
        BRAG_WORDS=vocabulary.RATING_WORDS,
        FLAG_WORDS=vocabulary.FLAG_WORDS,
        RATINGS=vocabulary.RATINGS,
        EMPTY=vocabulary.EMPTY,
        NO_DATA=vocabulary.NO_DATA,
        STATUS_WORDS=vocabulary.STATUS_WORDS,
        RESPONSE_WORDS=vocabulary.RESPONSE_WORDS,
        PLAN_TYPE_WORDS=vocabulary.PLAN_TYPE_WORDS,
        MILESTONE_PASSED=vocabulary.MILESTONE_PASSED,
        NOT_IN_PLAN=vocabulary.NOT_IN_PLAN,
        NONE_NAMED=vocabulary.NONE_NAMED,
        is_http_url=is_http_url,
        sparkline=sparkline,
        section_html=_section_html,
    )
    return env


def _section_html(name: str, section: Callable[[], str], report: ReportView) -> str:
    """A report section's HTML (the archive site remembers the ones that repeat, below)."""
    return section()


# Sections whose HTML follows from these parts of the view alone: on a site's month pages
# from one plan they come out the same every month (the evidence index is half of a page).
_REPEATING_SECTIONS: dict[str, Callable[[ReportView], object]] = {
    "evidence": lambda report: report.evidence,
    "key": lambda report: (report.key, report.flag_key),
}


def _remembered_sections() -> Callable[[str, Callable[[], str], ReportView], str]:
    remembered: dict[tuple[str, object], str] = {}

    def section_html(name: str, section: Callable[[], str], report: ReportView) -> str:
        inputs = _REPEATING_SECTIONS.get(name)
        if inputs is None:
            return section()
        key = (name, inputs(report))
        if key not in remembered:
            remembered[key] = section()
        return remembered[key]

    return section_html


def render(view: ReportView, fmt: str, plan_root: Path | None = None) -> str:
    """The report as Markdown (`md`) or HTML (`html`)."""
    template = environment(plan_root, fmt).get_template(TEMPLATE_BY_FORMAT[fmt])
    return document_text(template.render(report=view))


SITE_TEMPLATES = {
    "IndexPage": "site-index.html.j2",
    "MonthPage": "site-month.html.j2",
    "ObjectivePage": "site-objective.html.j2",
    "KpiPage": "site-kpi.html.j2",
}


def render_site(site: Site, plan_root: Path | None = None) -> Iterator[tuple[str, str]]:
    """Each page of the archive site as (path inside the site, HTML), in one pass.

    One environment and one compiled template per kind of page serve every page, and the
    note cache is shared by all of them (a note shows on many month pages).
    """
    from sendplan.archive.links import Links
    from sendplan.archive.pages import INDEX_FLAGS, MonthPage

    env = environment(plan_root, "html")
    env.globals.update(
        section_html=_remembered_sections(),
        INDEX_FLAGS=INDEX_FLAGS,
        STATUS_WORDS=vocabulary.STATUS_WORDS,
        RESPONSE_WORDS=vocabulary.RESPONSE_WORDS,
        KPI_STATUS_WORDS=vocabulary.KPI_STATUS_WORDS,
    )
    templates = {kind: env.get_template(name) for kind, name in SITE_TEMPLATES.items()}
    hrefs: dict[str, dict[str, str]] = {}
    for page in site.pages():
        links = Links(site.paths, page.path, hrefs)
        template = templates[type(page).__name__]
        if isinstance(page, MonthPage):
            text = template.render(report=page.report, page=page, site=links)
        else:
            text = template.render(page=page, site=links)
        yield page.path, document_text(text)
