"""Render a ReportView with Jinja: the only user of jinja2 (and of markdown-it for notes).

Templates come from the plan's own `templates/` folder first, then the built-in ones shipped in
the wheel (`sendplan.templates`). HTML templates autoescape everything; notes are Markdown
rendered without raw HTML, and only http(s) addresses ever become links.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from sendplan import privacy, vocabulary
from sendplan.dates import long_date, month_label
from sendplan.errors import SendplanError
from sendplan.plantemplates import FOLDER as TEMPLATE_FOLDER
from sendplan.plantemplates import TemplateRefused, built_in, read_template
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

if TYPE_CHECKING:
    from sendplan.archive.pages import Page, Site

TEMPLATE_BY_FORMAT = {"md": "report.md.j2", "html": "report.html.j2"}
DEFAULT_MAX_BYTES = 1_000_000
MAX_REPEAT = 10_000_000
"""The most characters or items a template's `*` may make (`"x" * 10**9` is refused)."""


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
    if len(k.path) >= 2:  # a target with no date: the path is the first figure alone
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
    if k.target is not None and len(k.path) < 2:  # a target with no date: a level to reach
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
    # aria-label names it in browsers; the <title> gives the PDF figure its /Alt (PDF/UA).
    return Markup(
        f'<svg class="spark" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{label}</title>" + "".join(shapes) + "</svg>"
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


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no `_` attributes, so no `__subclasses__`, `__globals__` or
    `cycler.__init__` escape; no method that changes a list or dict; `str.format` checked),
    with the arithmetic that could take unbounded time or memory refused as well."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and _huge_power(left, right):
            raise SecurityError("a power this large is refused in templates")
        if operator == "*" and _huge_repeat(left, right):
            raise SecurityError("repeating text or a list this many times is refused in templates")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """A field of one of sendplan's own frozen view records is read directly: the sandbox's
        checks, a third of a large page's time, can only say yes to it. A name starting with
        `_`, and everything about the value read (a method of a list, say), is still checked."""
        kind: type = type(obj)
        if kind in _VIEW_RECORDS and not attribute.startswith("_"):
            try:
                return builtins.getattr(obj, attribute)
            except AttributeError:
                pass  # the sandbox says what is missing
        if kind not in _OTHER_TYPES and kind not in _VIEW_RECORDS:
            (_VIEW_RECORDS if _is_view_record(kind) else _OTHER_TYPES).add(kind)
            return self.getattr(obj, attribute)
        return super().getattr(obj, attribute)


_VIEW_RECORDS: set[type] = set()
_OTHER_TYPES: set[type] = set()


def _is_view_record(kind: type) -> bool:
    """A frozen dataclass of sendplan's (views, rows, the archive's pages): data, no code."""
    params = builtins.getattr(kind, "__dataclass_params__", None)
    return params is not None and params.frozen and kind.__module__.startswith("sendplan.")


def _huge_power(base: Any, exponent: Any) -> bool:
    if not isinstance(base, int) or not isinstance(exponent, int):
        return False  # floats overflow to an error; anything else fails on its own
    return abs(exponent) > 1_024 or abs(base).bit_length() * abs(exponent) > 4_096


def _huge_repeat(left: Any, right: Any) -> bool:
    for items, count in ((left, right), (right, left)):
        if isinstance(items, (str, list, tuple)) and isinstance(count, int):
            return len(items) * count > MAX_REPEAT
    return False


class _PlanTemplates(jinja2.BaseLoader):
    """The plan's own templates/, read only through plantemplates.read_template."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            text = read_template(self.root, template, self.max_bytes)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        return text, f"{TEMPLATE_FOLDER}/{template}", lambda: True


def environment(
    plan_root: Path | None, fmt: str = "html", max_bytes: int = DEFAULT_MAX_BYTES
) -> jinja2.Environment:
    """Templates: the plan's `templates/` first (overrides file by file), then the built-ins,
    every one rendered in the sandbox."""
    loaders: list[jinja2.BaseLoader] = []
    if plan_root is not None:
        loaders.append(_PlanTemplates(plan_root, max_bytes))
    loaders.append(jinja2.PackageLoader("sendplan.templates", "."))
    env = _Sandbox(
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
        TARGET_STATE_WORDS=vocabulary.TARGET_STATE_WORDS,
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


def render(
    view: ReportView, fmt: str, plan_root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> str:
    """The report as Markdown (`md`) or HTML (`html`).

    A template that cannot be rendered (the plan's own may be wrong in any way, or try what
    the sandbox refuses) stops the report with a SendplanError naming its file and line.
    """
    with template_errors():
        template = environment(plan_root, fmt, max_bytes).get_template(TEMPLATE_BY_FORMAT[fmt])
        return document_text(template.render(report=view))


@contextlib.contextmanager
def template_errors() -> Iterator[None]:
    """A template that fails (the plan's own may be wrong in any way, or try what the sandbox
    refuses) becomes a SendplanError naming its file and line, never a traceback."""
    try:
        yield
    except (TemplateRefused, SendplanError):
        raise
    except jinja2.TemplateSyntaxError as e:
        where = f"{e.filename or e.name}:{e.lineno}"
        message = (e.message or "").rstrip(".")
        raise SendplanError(f"{where}: template syntax: {message}; {_FIX}") from None
    except Exception as e:  # a plan's template may fail in any way: say where, not a traceback
        raise SendplanError(f"{_failed_at(e)}: {_reason(e)}; {_FIX}") from None


_FIX = "fix the template (sendplan validate lists problems in templates/)"


def _failed_at(error: BaseException) -> str:
    """`templates/report.md.j2:12`: the template line the error was raised on (Jinja rewrites
    tracebacks so that template frames carry the template's file name and line)."""
    where = "a template"
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.startswith(f"{TEMPLATE_FOLDER}/") or name.endswith(".j2"):
            shown = name if name.startswith(f"{TEMPLATE_FOLDER}/") else Path(name).name
            where = f"{shown}:{trace.tb_lineno}"
        trace = trace.tb_next
    return where


def _reason(error: BaseException) -> str:
    if isinstance(error, SecurityError):
        return f"refused by the template sandbox ({error}); templates cannot run code"
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message}"
    return privacy.redact(f"{type(error).__name__}: {error}")


# --- validate's checks of a plan's own templates (plantemplates.template_findings) ----------

# Names a template may use besides `report`: each template's own, and what any template of the
# plan or the built-ins declares (a template included "with context" sees its includer's).
_VIEW_FIELDS = frozenset(f.name for f in dataclasses.fields(ReportView))
_UNSAFE_CHARACTER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_TEMPLATE_FILES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _declared(tree: nodes.Template) -> set[str]:
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {n.name for n in tree.find_all(nodes.Macro)}
    names |= {n.target for n in tree.find_all(nodes.Import)}
    for each in tree.find_all(nodes.FromImport):
        names |= {alias if isinstance(alias, str) else alias[-1] for alias in each.names}
    return names


def _parse(env: jinja2.Environment, name: str, text: str) -> nodes.Template | None:
    try:
        return env.parse(text, name, f"{TEMPLATE_FOLDER}/{name}")
    except (jinja2.TemplateSyntaxError, RecursionError):
        return None


@lru_cache(maxsize=1)
def _built_in_names() -> frozenset[str]:
    """What the built-in templates declare (set, import, macro, loop variables)."""
    env = environment(None)
    declared: set[str] = set()
    for name in env.list_templates():
        source = built_in(name)
        tree = _parse(env, name, source.decode("utf-8")) if source is not None else None
        if tree is not None:
            declared |= _declared(tree)
    return frozenset(declared)


def check_template(name: str, text: str, plan_names: set[str]) -> list[tuple[int, str, str]]:
    """(line, code, message) of each problem in the plan's template `name`: syntax, unknown
    names and filters, templates it includes that exist nowhere, what the sandbox refuses,
    control characters. `plan_names`: every template name in the plan's templates/."""
    found: list[tuple[int, str, str]] = []
    for number_, line in enumerate(text.splitlines(), start=1):
        if _UNSAFE_CHARACTER.search(line):
            found.append((number_, "unsafe-text", "control character or bidi override; remove it"))
    env = environment(None, "html" if ".html" in name else "md")
    try:
        tree = env.parse(text, name, f"{TEMPLATE_FOLDER}/{name}")
    except jinja2.TemplateSyntaxError as e:
        return [*found, (e.lineno, "template-syntax", f"template syntax: {e.message}")]
    except RecursionError:
        return [*found, (1, "template-syntax", "template syntax: nested too deeply")]
    found += _unsafe(tree)
    found += _unknown(env, tree, plan_names)
    once: dict[tuple[int, str], tuple[int, str, str]] = {}
    for each in found:  # `a.__init__.__globals__` is one finding, not two
        once.setdefault(each[:2], each)
    return sorted(once.values())


# Methods that change a list, dict or set in place: the immutable sandbox refuses them.
_MUTATING = frozenset(
    "append extend insert pop remove clear update setdefault popitem add discard sort".split()  # noqa: SIM905
)
_FORMAT_REACHES_PRIVATE = re.compile(r"\{[^{}]*[.\[]_")


def _unsafe(tree: nodes.Template) -> list[tuple[int, str, str]]:
    """What the sandbox would refuse at render time, found by reading the template."""
    found = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        reached: object = None
        if isinstance(node, nodes.Getattr):
            reached = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            reached = node.arg.value
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            first = node.args[0]
            reached = first.value if isinstance(first, nodes.Const) else None
        if isinstance(reached, str) and reached.startswith("_"):
            found.append((node.lineno, "template-unsafe", _private(reached)))
    for call in tree.find_all(nodes.Call):
        method = call.node
        if not isinstance(method, nodes.Getattr):
            continue
        if method.attr in _MUTATING:
            message = (
                f"calls {method.attr}(), which changes a list or dict: templates cannot change "
                "data (the sandbox refuses it); use {% set %} or a namespace()"
            )
            found.append((call.lineno, "template-unsafe", message))
        receiver = method.node
        if (
            method.attr in ("format", "format_map")
            and isinstance(receiver, nodes.Const)
            and isinstance(receiver.value, str)
            and _FORMAT_REACHES_PRIVATE.search(receiver.value)
        ):
            found.append((call.lineno, "template-unsafe", _private("a _ name in a format string")))
    return found


def _private(reached: str) -> str:
    shown = reached if reached.startswith("a ") else repr(reached)
    return (
        f"reaches {shown}: names starting with _ are Python's internals, which a template "
        "cannot reach (the sandbox refuses them, so no code can run)"
    )


def _unknown(
    env: jinja2.Environment, tree: nodes.Template, plan_names: set[str]
) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    known = {"report", *env.globals, *_built_in_names(), *_declared(tree)}
    first_use: dict[str, int] = {}
    for name_node in tree.find_all(nodes.Name):
        if name_node.ctx == "load":
            first_use.setdefault(name_node.name, name_node.lineno)
    try:
        undeclared = jinja2.meta.find_undeclared_variables(tree)
    except jinja2.TemplateSyntaxError:  # an unknown filter or test: reported below
        undeclared = set()
    for name in sorted(undeclared - known):
        found.append((first_use.get(name, 1), "template-unknown-name", f"unknown name {name!r}"))
    fields = ", ".join(sorted(_VIEW_FIELDS))
    for attribute in tree.find_all(nodes.Getattr):
        of = attribute.node
        if (
            isinstance(of, nodes.Name)
            and of.name == "report"
            and attribute.attr not in _VIEW_FIELDS
            and not attribute.attr.startswith("_")
        ):
            message = f"the report has no {attribute.attr!r} (it has {fields})"
            found.append((attribute.lineno, "template-unknown-name", message))
    for used in tree.find_all((nodes.Filter, nodes.Test)):
        kind, table = (
            ("filter", env.filters) if isinstance(used, nodes.Filter) else ("test", env.tests)
        )
        if used.name not in table:
            found.append((used.lineno, "template-unknown-name", f"no {kind} named {used.name!r}"))
    for statement in tree.find_all(_TEMPLATE_FILES):
        target = getattr(statement, "template", None)
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            wanted = target.value
            if wanted not in plan_names and built_in(wanted) is None:
                message = (
                    f"uses template {wanted!r}, which is neither in {TEMPLATE_FOLDER}/ nor built in"
                )
                found.append((statement.lineno, "template-unknown-name", message))
    return found


SITE_TEMPLATES = {
    "IndexPage": "site-index.html.j2",
    "MonthPage": "site-month.html.j2",
    "ObjectivePage": "site-objective.html.j2",
    "KpiPage": "site-kpi.html.j2",
}


def _remembered() -> Callable[..., object]:
    """`remember(key, macro, *args)`: the macro's output, made once per key (a KPI's panel is
    the same on every objective page that shows it)."""
    made: dict[object, object] = {}

    def remember(key: object, macro: Callable[..., object], *args: object) -> object:
        if key not in made:
            made[key] = macro(*args)
        return made[key]

    return remember


def render_site(
    site: Site,
    pages: Iterable[Page],
    plan_root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[str, str]]:
    """Each of `pages` of the archive site as (path inside the site, HTML).

    One environment and one compiled template per kind of page serve every page, and the
    note cache is shared by all of them (a note shows on many month pages).
    """
    from sendplan.archive.links import Links
    from sendplan.archive.pages import INDEX_FLAGS, MonthPage

    with template_errors():
        env = environment(plan_root, "html", max_bytes)
        env.globals.update(
            section_html=_remembered_sections(),
            remember=_remembered(),
            INDEX_FLAGS=INDEX_FLAGS,
            KPI_STATUS_WORDS=vocabulary.KPI_STATUS_WORDS,
        )
        templates = {kind: env.get_template(name) for kind, name in SITE_TEMPLATES.items()}
    hrefs: dict[str, dict[str, str]] = {}
    for page in pages:
        links = Links(site.paths, page.path, hrefs)
        template = templates[type(page).__name__]
        with template_errors():
            if isinstance(page, MonthPage):
                text = template.render(report=page.report, page=page, site=links)
            else:
                text = template.render(page=page, site=links)
        yield page.path, document_text(text)
