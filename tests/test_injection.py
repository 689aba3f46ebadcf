"""Hostile text in every field of a plan renders as inert text (HTML) and keeps tables intact (MD).

Each payload of tests/injection/payloads.txt goes into plan name, notice, area and theme titles,
objective titles, owners, notes, due_history reasons, KPI titles and units, benchmark labels and
sources, and evidence titles. The HTML is parsed, not string-matched.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sendplan.checks import run_checks
from sendplan.load import load_plan
from sendplan.render import render
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import ReportMeta, board_report
from tests.test_report import assert_tables_intact

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "injection/payloads.txt").read_text("utf-8").splitlines()
    if line
] + ["line one\nline two | with a pipe", "trailing backslash \\"]
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "a",
    "header",
    "main",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "dl",
    "dt",
    "dd",
    "code",
    "strong",
    "em",
    "nav",
    "ol",
    "ul",
    "li",
    "section",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "br",
    "details",  # an evidence item's title, opened from the keyboard
    "summary",
    "svg",
    "polyline",
    "circle",
    "footer",
}


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_plan(root: Path, p: str) -> None:
    (root / "plan/A1").mkdir(parents=True)
    (root / "plan/I1").mkdir(parents=True)
    (root / "evidence").mkdir()
    (root / "kpis").mkdir()
    (root / "sendplan.yaml").write_text(
        f"name: {q(p)}\npartnership: {q(p)}\nnotice: {q(p)}\n"
        f"brag: {{red: {q(p)}, amber: {q(p)}, green: {q(p)}, blue: {q(p)}}}\n",
        "utf-8",
    )
    (root / "plan/A1/area.yaml").write_text(
        f"id: A1\nkind: priority\ntitle: {q(p)}\nfinding: {q(p)}\n"
        f"themes:\n  - {{id: A1a, title: {q(p)}}}\n",
        "utf-8",
    )
    (root / "plan/I1/area.yaml").write_text(f"id: I1\nkind: improvement\ntitle: {q(p)}\n", "utf-8")
    (root / "plan/A1/A1a-1.yaml").write_text(
        f"id: A1a:1\ntitle: {q(p)}\nowner: {q(p)}\ndue: 2024-09\n"
        f"due_history:\n  - {{on: 2024-06-02, from: 2024-06, to: 2024-09, reason: {q(p)}}}\n"
        f"evidence: [E1]\nkpis: [k1]\nsupports: [I1]\n"
        f"ratings:\n  - {{date: 2024-05-01, brag: green, note: {q(p)}, by: {q(p)}}}\n"
        f"  - {{date: 2024-06-20, brag: red, note: {q('**bold** ' + p)}}}\n",
        "utf-8",
    )
    (root / "evidence/E1.md").write_text(
        f"---\nid: E1\ntitle: {q(p)}\nowner: {q(p)}\nlink: https://example.org/e1\n---\n{p}\n",
        "utf-8",
    )
    (root / "kpis/k1.yaml").write_text(
        f"id: k1\ntitle: {q(p)}\nunit: {q(p)}\nbetter: higher\n"
        f"benchmarks:\n  - {{label: {q(p)}, period: 2023, value: 1, source: {q(p)}}}\n"
        f"data:\n  - {{period: 2024-04, value: 1, evidence: E1}}\n"
        f"  - {{period: 2024-05, value: 2, evidence: E1}}\n",
        "utf-8",
    )


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def normalised(url: str) -> str:
    return re.sub(r"[\s\x00-\x1f]", "", html.unescape(url)).lower()


@pytest.mark.slow
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_is_inert_in_html_and_markdown(tmp_path: Path, payload: str) -> None:
    hostile_plan(tmp_path, payload)
    loaded = load_plan(FolderSource(tmp_path))
    assert [f for f in run_checks(loaded, date(2024, 7, 1)) if f.severity == 2] == []
    view = board_report(
        loaded.plan,
        state_at(loaded.plan, date(2024, 6, 30)),
        ReportMeta(datetime(2024, 7, 1, tzinfo=UTC)),
    )
    page = render(view, "html")
    parsed = Collector()
    parsed.feed(page)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "action", "data", "formaction", "xlink:href", "srcdoc")
            if name == "href":
                assert normalised(value or "").startswith(("#", "https://", "http://")), value
    # Not even as text: a scheme shown to the reader is written with an entity for its colon.
    assert not re.search(r"(java|vb)script\s*:", page, re.IGNORECASE)
    assert [t for t, _ in parsed.tags].count("style") == 1
    assert [t for t, _ in parsed.tags].count("meta") == 4
    # The payload is still there, as text the reader can see.
    visible = " ".join(parsed.text)
    assert payload.split("\n")[0].strip()[:12] in visible
    assert "<strong>bold</strong>" in page
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert csp in page

    markdown = render(view, "md")
    assert_tables_intact(markdown)
    assert not re.search(
        r"(?<!\\)<(script|img|svg|iframe|a |style|body|meta|object)", markdown, re.IGNORECASE
    )
    assert not re.search(r"(?<!\\)\]\((?!<?https://|#)", markdown)  # links: http(s), contents
    assert not re.search(r"(java|vb)script\s*:", markdown, re.IGNORECASE)
