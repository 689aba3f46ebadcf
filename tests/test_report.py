"""The board report: view model, Markdown/HTML/JSON rendering, and the report/flags commands."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan import views
from sendplan.cli import app
from sendplan.load import load_plan
from sendplan.render import render
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import SECTIONS, ReportMeta, ReportView, Section, as_json, board_report
from tests.conftest import PLANS

A = date(2024, 6, 30)
META = ReportMeta(
    generated_at=datetime(2024, 7, 1, 9, 30, tzinfo=UTC),
    commit="3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a",
)
SPEC_SECTIONS = [  # SPEC §5, in its order, with §9's Recommendations after Areas for improvement
    "Summary",
    "Needs attention",
    "Movement",
    "KPIs",
    "Coming up",
    "Objectives",
    "Areas for improvement",
    "Recommendations",
    "Evidence index",
    "Key",
]
OPTIONAL_SECTIONS = [  # SPEC §8: each only when it has something, after the section named
    ("Changes since approval", "Summary"),
    ("Withdrawn", "Objectives"),
]
ALWAYS = [s for s in SECTIONS if not s.optional]
"""The sections of a plan without recommendations (the board fixture)."""
NUMBERED = [f"{i}. {s.title}" for i, s in enumerate(ALWAYS, 1)]
runner = CliRunner()


def view_of(name: str = "board", public: bool = False, root: Path | None = None) -> ReportView:
    loaded = load_plan(FolderSource(root or PLANS / name))
    meta = ReportMeta(META.generated_at, META.commit, public=public)
    return board_report(loaded.plan, state_at(loaded.plan, A), meta)


@pytest.mark.slow
def test_golden_markdown(golden: Callable[[str, str], None]) -> None:
    golden("board-2024-06.md", render(view_of(), "md"))


@pytest.mark.slow
def test_golden_html(golden: Callable[[str, str], None]) -> None:
    golden("board-2024-06.html", render(view_of(), "html"))


def test_golden_json(golden: Callable[[str, str], None]) -> None:
    golden("board-2024-06.json", as_json(view_of()))


def test_needs_attention_holds_exactly_the_flagged_objectives() -> None:
    view = view_of()
    assert [(o.id, o.flags) for o in view.needs_attention] == [
        ("A1a:2", ("red", "overdue", "declined")),
        ("A1b:1", ("stale",)),
        ("A1b:2", ("stale", "unrated")),
        ("A2:2", ("rebaselined",)),
        ("I2:1", ("stale", "unrated")),
    ]


def test_summary_counts_now_and_last_month() -> None:
    summary = view_of().summary
    assert [(r.rating, r.now, r.previous) for r in summary.ratings] == [
        ("red", 1, 0),
        ("amber", 4, 5),
        ("green", 1, 0),
        ("blue", 1, 1),
        ("unrated", 2, 3),
    ]
    assert [(f.flag, f.count) for f in summary.flags] == [
        ("red", 1),
        ("contradicted", 0),
        ("overdue", 1),
        ("stale", 3),
        ("declined", 1),
        ("rebaselined", 1),
        ("unrated", 2),
    ]
    assert [(a.id, a.counts) for a in summary.areas] == [
        ("A1", (1, 1, 1, 0, 1)),
        ("A2", (0, 2, 0, 1, 0)),
        ("I1", (0, 1, 0, 0, 0)),
        ("I2", (0, 0, 0, 0, 1)),
    ]


def test_movement_completion_and_moved_deadlines() -> None:
    movement = view_of().movement
    assert [o.id for o in movement.up] == ["A1a:1"]
    assert [o.id for o in movement.down] == ["A1a:2"]
    assert [o.id for o in movement.new] == ["I1:1"]
    assert [o.id for o in movement.completed] == ["A1a:1"]
    assert [(d.id, d.from_, d.to) for d in movement.deadlines_moved] == [
        ("A2:2", date(2024, 6, 30), date(2024, 9, 30))
    ]


def test_kpis_show_values_as_of_the_month_not_later_points() -> None:
    kpi = next(k for k in view_of().kpis if k.id == "ehcp-20wk")
    assert kpi.latest is not None
    assert kpi.previous is not None
    assert (kpi.latest.period, kpi.latest.value) == ("2024-05", 58)
    assert (kpi.previous.period, kpi.previous.value, kpi.change) == ("2024-03", 40, 18)
    assert (kpi.direction, kpi.target_met) == ("better", False)
    assert (kpi.target_by, kpi.target_state) == (date(2025, 3, 31), "not-yet-met")
    # The 2024 benchmark's period ends after A: the 2023 figure is the latest known.
    assert [(b.label, b.period, b.value) for b in kpi.benchmarks] == [("England", "2023", 50.3)]
    assert [p.value for p in kpi.series] == [12, 40, 58]


def test_coming_up_is_the_next_90_days_not_complete() -> None:
    assert [(o.id, o.due) for o in view_of().coming_up] == [
        ("A1b:1", date(2024, 8, 31)),
        ("A1b:2", date(2024, 9, 15)),
    ]  # A2:2 due 30 Sep: 92 days


def test_areas_for_improvement_list_supporting_objectives() -> None:
    areas = view_of().areas_for_improvement
    assert [(a.id, [o.id for o in a.own], [o.id for o in a.supporting]) for a in areas] == [
        ("I1", ["I1:1"], ["A1a:1", "A2:1", "A2:2"]),
        ("I2", ["I2:1"], ["A2:2"]),
    ]


@pytest.mark.slow
def test_public_leaves_internal_evidence_out_everywhere() -> None:
    private = view_of()
    public = view_of(public=True)
    assert "E5" in [e.id for e in private.evidence]
    assert "E5" not in [e.id for e in public.evidence]
    a22 = next(o for o in public.needs_attention if o.id == "A2:2")
    assert [e.id for e in a22.evidence] == []
    for fmt in ("md", "html"):
        text = render(public, fmt)
        assert "E5" not in text
        assert "Procurement board minutes" not in text
    assert "E5" not in as_json(public)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_h2 = tag == "h2"

    def handle_endtag(self, tag: str) -> None:
        self._in_h2 = self._in_h2 and tag != "h2"

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2.append(data.strip())


def parse_html(text: str) -> _Html:
    parser = _Html()
    parser.feed(text)
    return parser


@pytest.mark.slow
def test_html_is_self_contained_accessible_and_in_order() -> None:
    page = render(view_of(), "html")
    parsed = parse_html(page)
    tags = [t for t, _ in parsed.tags]
    attrs = dict(parsed.tags)
    assert attrs["html"]["lang"] == "en-GB"
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert not any("src" in a for _, a in parsed.tags)
    assert not re.search(r"url\(|@import", page)
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert csp[0]["content"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    assert [h for h in parsed.h2 if h] == ["Contents", *NUMBERED]
    headers = [a for t, a in parsed.tags if t == "th"]
    assert headers
    assert all(a.get("scope") in ("col", "row") for a in headers)
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert all(h and (h.startswith("#") or h.startswith("https://")) for h in hrefs)
    assert "<strong>58%</strong>" in page  # Markdown in a note renders


@pytest.mark.slow
def test_markdown_has_the_nine_sections_in_order_and_intact_tables() -> None:
    text = render(view_of(), "md")
    assert re.findall(r"^## (.+)$", text, re.M) == ["Contents", *NUMBERED]
    assert_tables_intact(text)
    assert "Backlog grew: 40 \\| 52 cases waiting." in text


def assert_tables_intact(text: str) -> None:
    """Every row of every GFM table has as many unescaped pipes as its header."""
    width = None
    for line in text.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))
        if width is None:
            width = pipes
        assert pipes == width, line


# --- the commands -------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.slow
def test_report_twice_gives_identical_bytes_under_source_date_epoch(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("board")
    env = {"SOURCE_DATE_EPOCH": "1719826200"}
    outputs = []
    for i in range(2):
        out = tmp_path / f"r{i}.html"
        code, _ = run("report", "--plan", str(root), "--month", "2024-06", "-o", str(out), env=env)
        assert code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"1 July 2024, 09:30 UTC" in outputs[0]
    assert b"files outside git" in outputs[0]


@pytest.mark.slow
def test_report_format_follows_the_output_suffix(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("board")
    for suffix, start in ((".html", "<!DOCTYPE html>"), (".md", "# Lakeside"), (".json", "{")):
        out = tmp_path / f"report{suffix}"
        assert run("report", "--plan", str(root), "--month", "2024-06", "-o", str(out))[0] == 0
        assert out.read_text(encoding="utf-8").startswith(start)


@pytest.mark.slow
def test_report_json_is_the_view_model(plan_copy: Callable[[str], Path]) -> None:
    code, out = run(
        "report", "--plan", str(plan_copy("board")), "--as-of", "2024-06-30", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "header",
        "summary",
        "since_approval",
        "needs_attention",
        "movement",
        "kpis",
        "coming_up",
        "coming_up_until",
        "objectives",
        "withdrawn",
        "areas_for_improvement",
        "evidence",
        "key",
        "flag_key",
        "kpi_key",
    ]
    assert data["header"]["as_of"] == "2024-06-30"
    assert data["header"]["month"] == "June 2024"
    assert [o["id"] for o in data["needs_attention"]] == ["A1a:2", "A1b:1", "A1b:2", "A2:2", "I2:1"]


@pytest.mark.slow
def test_invalid_plan_is_refused_unless_allowed(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("board")
    path = root / "plan/A2/A2-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[E4]", "[E4, E404]"), encoding="utf-8"
    )
    code, out = run("report", "--plan", str(root), "--month", "2024-06")
    assert code == 1
    assert "unknown-evidence" in out
    assert "--allow-invalid" in out
    code, out = run("report", "--plan", str(root), "--month", "2024-06", "--allow-invalid")
    assert code == 0
    assert "this plan has 1 validation error;" in out


@pytest.mark.slow
def test_plan_templates_override_the_built_ins_file_by_file(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("board")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text(
        "Custom {{ report.header.month }}\n", encoding="utf-8"
    )
    assert run("report", "--plan", str(root), "--month", "2024-06") == (0, "Custom June 2024\n")
    code, out = run("report", "--plan", str(root), "--month", "2024-06", "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2024-13"], "no month 13"),
        (["--month", "June"], "not a month"),
        (["--as-of", "2024-06"], "not a date"),
        (["--month", "2024-06", "--as-of", "2024-06-30"], "not both"),
    ],
)
def test_bad_dates_are_usage_errors(
    plan_copy: Callable[[str], Path], args: list[str], message: str
) -> None:
    root = plan_copy("board")
    for command in ("report", "flags"):
        code, out = run(command, "--plan", str(root), *args)
        assert (code, message in out) == (2, True)


def test_flags_json_matches_spec(plan_copy: Callable[[str], Path]) -> None:
    code, out = run(
        "flags", "--plan", str(plan_copy("board")), "--month", "2024-06", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == {
        "as_of": "2024-06-30",
        "items": [
            {
                "id": "A1a:2",
                "title": "Clear the assessment backlog",
                "owner": "Head of SEND",
                "due": "2024-05-31",
                "rating": "red",
                "flags": ["red", "overdue", "declined"],
            },
            {
                "id": "A1b:1",
                "title": "Quality assurance framework",
                "owner": "Principal educational psychologist",
                "due": "2024-08-31",
                "rating": "amber",
                "flags": ["stale"],
            },
            {
                "id": "A1b:2",
                "title": "Multi-agency audit of new plans",
                "owner": "Designated clinical officer",
                "due": "2024-09-15",
                "rating": "unrated",
                "flags": ["stale", "unrated"],
            },
            {
                "id": "A2:2",
                "title": "Speech and language therapy pathway",
                "owner": "Director of commissioning",
                "due": "2024-09-30",
                "rating": "amber",
                "flags": ["rebaselined"],
            },
            {
                "id": "I2:1",
                "title": "Alternative provision quality framework",
                "owner": "Head of inclusion",
                "due": "2024-12-31",
                "rating": "unrated",
                "flags": ["stale", "unrated"],
            },
        ],
    }


def test_flags_owner_matches_exactly_in_any_case(plan_copy: Callable[[str], Path]) -> None:
    root = str(plan_copy("board"))
    code, out = run(
        "flags", "--plan", root, "--month", "2024-06", "--owner", "head of send", "--format", "json"
    )
    assert code == 0
    assert [i["id"] for i in json.loads(out)["items"]] == ["A1a:2"]
    _code, out = run(
        "flags", "--plan", root, "--month", "2024-06", "--owner", "head of", "--format", "json"
    )
    assert json.loads(out)["items"] == []


@pytest.mark.slow
def test_flags_fail_on_gates_ci(plan_copy: Callable[[str], Path]) -> None:
    root = str(plan_copy("board"))
    assert run("flags", "--plan", root, "--month", "2024-06", "--fail-on", "red")[0] == 1
    assert run("flags", "--plan", root, "--month", "2024-06", "--fail-on", "overdue,stale")[0] == 1
    # Only objectives of this owner count.
    assert (
        run(
            "flags",
            "--plan",
            root,
            "--month",
            "2024-06",
            "--owner",
            "Head of inclusion",
            "--fail-on",
            "red,overdue",
        )[0]
        == 0
    )
    assert run("flags", "--plan", root, "--month", "2024-01", "--fail-on", "declined")[0] == 0
    code, out = run("flags", "--plan", root, "--fail-on", "purple")
    assert code == 2
    assert "unknown flag purple" in out


def test_flags_markdown_table(plan_copy: Callable[[str], Path]) -> None:
    code, out = run(
        "flags", "--plan", str(plan_copy("board")), "--month", "2024-06", "--format", "md"
    )
    assert code == 0
    assert out.splitlines()[:4] == [
        "**5 objectives flagged** as of 2024-06-30",
        "",
        "| Objective | Title | Owner | Due | Rating | Flags |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    assert (
        "| A1a:2 | Clear the assessment backlog | Head of SEND | 2024-05-31 | Red | Red, "
        "Overdue, Declined |" in out
    )


def test_the_section_list_is_the_specs_and_each_is_a_field_of_the_view() -> None:
    signed_off = {title for title, _ in OPTIONAL_SECTIONS}
    assert [s.title for s in SECTIONS if s.title not in signed_off] == SPEC_SECTIONS
    titles = [s.title for s in SECTIONS]
    for title, after in OPTIONAL_SECTIONS:
        assert titles.index(title) == titles.index(after) + 1
        assert next(s for s in SECTIONS if s.title == title).optional
    fields = list(ReportView.__dataclass_fields__)
    assert [s.name for s in SECTIONS] == [f for f in fields if f in {s.name for s in SECTIONS}]
    assert [s.anchor for s in ALWAYS][:2] == ["summary", "needs-attention"]
    assert [s.slug for s in SECTIONS][-2:] == ["evidence-index", "key"]


@pytest.mark.slow
def test_contents_link_every_heading_in_both_formats() -> None:
    view = view_of()
    md, page = render(view, "md"), render(view, "html")
    assert view.sections == tuple(ALWAYS)
    for i, s in enumerate(view.sections, 1):
        assert f"{i}. [{s.title}](#{i}-{s.slug})" in md
        assert f"\n## {i}. {s.title}\n" in md
        assert f'<li><a href="#{s.anchor}">{s.title}</a></li>' in page
        assert f'<h2 id="{s.anchor}" tabindex="-1">{i}. {s.title}</h2>' in page


@pytest.mark.slow
def test_an_optional_section_is_left_out_and_not_numbered_when_empty(
    monkeypatch: pytest.MonkeyPatch, plan_copy: Callable[[str], Path]
) -> None:
    quiet = view_of(root=plan_copy("minimal"))
    assert quiet.needs_attention  # the minimal plan has flags at June's end ...
    nothing = dataclasses.replace(quiet, needs_attention=())
    optional = tuple(
        Section(s.name, s.title, optional=s.optional or s.name == "needs_attention")
        for s in SECTIONS
    )
    monkeypatch.setattr(views, "SECTIONS", optional)
    assert [s.name for s in nothing.sections] == [
        s.name for s in ALWAYS if s.name != "needs_attention"
    ]
    assert [s.name for s in quiet.sections] == [s.name for s in ALWAYS]
    md = render(nothing, "md")
    assert "Needs attention" not in md
    assert "\n## 2. Movement\n" in md
    assert '<h2 id="movement" tabindex="-1">2. Movement</h2>' in render(nothing, "html")
