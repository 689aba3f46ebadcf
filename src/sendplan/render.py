"""Render a ReportView with Jinja: the only user of jinja2 (and of markdown-it for notes).

Templates come from the plan's own `templates/` folder first, then the built-in ones shipped in
the wheel (`sendplan.templates`). HTML templates autoescape everything; notes are Markdown
rendered without raw HTML, and only http(s) addresses ever become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

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
from sendplan.views import KpiRow, ReportView

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


def _chart_label(k: KpiRow) -> str:
    unit = k.unit
    parts = [
        f"Trend of {k.title}: "
        + ", ".join(f"{number(p.value, unit)} in {p.label}" for p in k.series)
    ]
    if k.path:
        path = ", ".join(f"{number(p.value, unit)} by {long_date(p.day)}" for p in k.path[1:])
        parts.append(f"Agreed path from the first figure: {path}")
    elif k.target is not None:
        parts.append(f"Target {number(k.target, unit)}, no date")
    return ". ".join(parts) + "."


def sparkline(k: KpiRow) -> Markup:
    """A small inline SVG of the series on a time axis, with the agreed path to the target
    dashed and the target marked; its text alternative says every figure. Empty when there
    is nothing to draw (no point, or a single point and no path)."""
    series = k.series
    if not series or (len(series) < 2 and len(k.path) < 2):
        return Markup("")
    width, height, pad = 120, 32, 3
    days = [p.end for p in series] + [p.day for p in k.path]
    first, last = min(days), max(days)
    values = [p.value for p in series] + [p.value for p in k.path]
    if k.target is not None:
        values.append(k.target)
    low, high = min(values), max(values)
    span_days = (last - first).days or 1
    span = (high - low) or 1.0

    def xy(day: date, value: float) -> str:
        x = pad + (day - first).days / span_days * (width - 2 * pad)
        y = height - pad - (value - low) / span * (height - 2 * pad)
        return f"{x:.1f},{y:.1f}"

    shapes = []
    if k.target is not None and not k.path:  # a target with no date: a level to reach
        level = xy(first, k.target).split(",")[1]
        shapes.append(
            f'<line x1="{pad}" y1="{level}" x2="{width - pad}" y2="{level}" stroke="#505a5f" '
            'stroke-width="1" stroke-dasharray="1 2"/>'
        )
    if len(k.path) >= 2:
        corners = " ".join(xy(p.day, p.value) for p in k.path)
        shapes.append(
            f'<polyline fill="none" stroke="#505a5f" stroke-width="1.5" '
            f'stroke-dasharray="3 2" points="{corners}"/>'
        )
        end_x, end_y = xy(k.path[-1].day, k.path[-1].value).split(",")
        shapes.append(
            f'<rect x="{float(end_x) - 2.5:.1f}" y="{float(end_y) - 2.5:.1f}" width="5" '
            'height="5" fill="#0b0c0c"/>'
        )
    if len(series) >= 2:
        line = " ".join(xy(p.end, p.value) for p in series)
        shapes.append(f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{line}"/>')
    last_x, last_y = xy(series[-1].end, series[-1].value).split(",")
    shapes.append(f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="#1d70b8"/>')
    label = defang_schemes(html.escape(_chart_label(k), quote=True), "&#58;")
    return Markup(
        f'<svg class="spark" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        + "".join(shapes)
        + "</svg>"
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
        KPI_STATUS_WORDS=vocabulary.KPI_STATUS_WORDS,
        STATUS_WORDS=vocabulary.STATUS_WORDS,
        RESPONSE_WORDS=vocabulary.RESPONSE_WORDS,
        PLAN_TYPE_WORDS=vocabulary.PLAN_TYPE_WORDS,
        MILESTONE_PASSED=vocabulary.MILESTONE_PASSED,
        NOT_IN_PLAN=vocabulary.NOT_IN_PLAN,
        NONE_NAMED=vocabulary.NONE_NAMED,
        is_http_url=is_http_url,
        sparkline=sparkline,
    )
    return env


def render(view: ReportView, fmt: str, plan_root: Path | None = None) -> str:
    """The report as Markdown (`md`) or HTML (`html`)."""
    template = environment(plan_root, fmt).get_template(TEMPLATE_BY_FORMAT[fmt])
    return document_text(template.render(report=view))
