"""The report of the signoff fixture: KPI status, contradicted, worst-of, Withdrawn, and an
approved month with its post-approval changes (SPEC §7, §8). Figures worked out by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sendplan.findings import change
from sendplan.load import load_plan
from sendplan.model import Approval
from sendplan.render import render, sparkline
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import ReportMeta, ReportView, as_json, board_report
from tests.conftest import PLANS

JUNE, MAY = date(2024, 6, 30), date(2024, 5, 31)
GENERATED = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
COMMIT = "5e1f0ff" + "a" * 33
APPROVAL = Approval.model_validate(
    {
        "month": "2024-05",
        "board": "Brookfield Improvement Board",
        "date": "2024-06-26",
        "commit": COMMIT,
        "by": "Independent chair",
    }
)
LATE = change(
    "objective",
    "B1:2",
    "post-approval-change",
    "rating dated 2024-05-28 (red) was inserted before the latest existing rating (2024-06-12)",
    "plan/B1/B1-2.yaml",
    "Cut waiting times for therapy",
    date(2024, 5, 28),
)


def view(as_of: date = JUNE, **meta: object) -> ReportView:
    loaded = load_plan(FolderSource(PLANS / "signoff"))
    facts = ReportMeta(GENERATED, "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a", **meta)  # type: ignore[arg-type]
    return board_report(loaded.plan, state_at(loaded.plan, as_of), facts)


@pytest.mark.slow
def test_golden_june(golden: Callable[[str, str], None]) -> None:
    june = view()
    golden("signoff-2024-06.md", render(june, "md"))
    golden("signoff-2024-06.html", render(june, "html"))
    golden("signoff-2024-06.json", as_json(june))


@pytest.mark.slow
def test_golden_approved_may(golden: Callable[[str, str], None]) -> None:
    may = view(MAY, approval=APPROVAL, since_approval=(LATE,))
    golden("signoff-2024-05-approved.md", render(may, "md"))
    golden("signoff-2024-05-approved.html", render(may, "html"))


def test_kpi_rows_carry_status_expected_and_tolerance() -> None:
    rows = json.loads(as_json(view()))["kpis"]
    assert [(k["id"], k["status"], k["expected"], k["gap"], k["tolerance"]) for k in rows] == [
        ("places", "no-data", None, None, 10),
        ("reach", "no-target", None, None, 10),
        # 85 on 29 Feb to 90 on 31 Dec: 85 + 5 * 122 / 306 at the end of June.
        ("reviews", "met", 86.99, 4.01, 10),
        # 40 (31 Jan), 50 (31 Mar), 80 (31 Dec): 50 + 30 * 61 / 275 at the end of May.
        ("timely", "off-track", 56.65, -8.65, 10),
        # the target's date (30 Apr) has passed: compared with the target itself.
        ("waits", "missed", 100, 20, 10),
    ]


def test_area_rows_carry_worst_never_an_average() -> None:
    summary = json.loads(as_json(view()))["summary"]
    # B1: green, amber, blue (B1:4, red, was withdrawn on 15 June: not counted). BI1: unrated.
    assert [(a["id"], a["counts"], a["worst"]) for a in summary["areas"]] == [
        ("B1", [0, 1, 1, 1, 0], "amber"),
        ("BI1", [0, 0, 0, 0, 1], "unrated"),
    ]
    assert [(r["rating"], r["now"], r["previous"]) for r in summary["ratings"]] == [
        ("red", 0, 1),  # B1:4 still counted at the end of May
        ("amber", 1, 2),
        ("green", 1, 1),
        ("blue", 1, 0),
        ("unrated", 1, 1),
    ]
    assert (summary["objectives"], summary["withdrawn"]) == (4, 1)


@pytest.mark.slow
def test_needs_attention_says_which_kpi_contradicts_and_by_how_much() -> None:
    md = render(view(), "md")
    assert (
        "| B1:1 | Speed up needs assessments | Head of SEND | 31 Dec 2024 | Green (10 Jun 2024) "
        "| Contradicted: timely off track: 48% (May 2024) against 56.65% expected, "
        "\N{MINUS SIGN}8.65pp (15.3% short) | Extra caseworkers in post. |"
    ) in md
    assert (
        "| B1:3 | Annual reviews on time | Head of SEND | 31 Dec 2024 | Blue (5 Jun 2024) | "
        "Contradicted: waits missed: 120 days (May 2024) against 100 days targeted by "
        "30 Apr 2024, +20 days (20% short) | Embedded in every team. |"
    ) in md
    # Amber does not claim progress in this plan (the default claims_progress is green, blue).
    assert "| B1:2 |" not in md.split("## 3. Movement")[0]


@pytest.mark.slow
def test_the_kpi_table_shows_status_words_expected_and_gap() -> None:
    md = render(view(), "md")
    assert (
        "| New EHC plans issued within 20 weeks | 48% (May 2024) | 40% (January 2024) | "
        "+8pp, better | **Off track** (expected 56.65%, gap \N{MINUS SIGN}8.65pp) | "
        "80% by 31 Dec 2024, not yet met; path 50% by 31 Mar 2024 | — |"
    ) in md
    page = render(view(), "html")
    assert '<strong class="tag tag--kpi-off-track">Off track</strong>' in page
    assert '<strong class="tag tag--kpi-met">Met</strong>' in page


@pytest.mark.slow
def test_withdrawn_objectives_are_listed_with_their_reason() -> None:
    june = view()
    assert [(r.id, r.withdrawn, r.withdrawn_reason, r.rating) for r in june.withdrawn] == [
        ("B1:4", date(2024, 6, 15), "Merged into B1:1", "red")
    ]
    assert [r.id for r in june.needs_attention] == ["B1:1", "B1:3", "BI1:1"]
    ids = [o.id for a in june.objectives for t in a.themes for o in t.objectives]
    assert "B1:4" not in ids
    md = render(june, "md")
    assert "4 objectives (1 withdrawn, not counted: see Withdrawn).\n" in md
    withdrawn_row = (
        "| B1:4 | Interim assessment tracker | B1 | 15 Jun 2024 | Merged into B1:1 | "
        "Red (1 May 2024) |"
    )
    assert withdrawn_row in md
    # Before its date it is an objective like any other.
    may = view(MAY)
    assert may.withdrawn == ()
    assert "B1:4" in [r.id for r in may.needs_attention]


@pytest.mark.slow
def test_the_approved_months_report_names_the_approval_and_lists_the_change() -> None:
    md = render(view(MAY, approval=APPROVAL, since_approval=(LATE,)), "md")
    assert (
        "**Approved** by Brookfield Improvement Board on 26 June 2024 (Independent chair), "
        "from commit `5e1f0ffaaaaa`. 1 change since then alters this month: see Changes since "
        "approval.\n"
    ) in md
    assert re.findall(r"^## (\d+\. .+)$", md, re.M)[:3] == [
        "1. Summary",
        "2. Changes since approval",
        "3. Needs attention",
    ]
    assert (
        "| objective | B1:2 | Cut waiting times for therapy | post-approval-change | error | "
        "rating dated 2024-05-28 (red) was inserted before the latest existing rating "
        "(2024-06-12) |"
    ) in md
    unavailable = render(view(MAY, approval=APPROVAL, unavailable="no git history"), "md")
    assert "Changes since then could not be listed: no git history.\n" in unavailable


def test_the_trend_line_draws_the_path_and_the_target_with_a_text_alternative() -> None:
    timely = next(k for k in view().kpis if k.id == "timely")
    svg = str(sparkline(timely))
    assert svg.count("<polyline") == 2  # the series, and the agreed path dashed
    assert 'stroke-dasharray="3 2"' in svg
    assert "<rect" in svg  # the target, at its date
    (label,) = re.findall(r'aria-label="([^"]*)"', svg)
    assert label == (
        "Trend of New EHC plans issued within 20 weeks: 40% in January 2024, 48% in May 2024. "
        "Agreed path from the first figure: 50% by 31 March 2024, 80% by 31 December 2024."
    )
    places = next(k for k in view().kpis if k.id == "places")
    assert str(sparkline(places)) == ""  # no figure yet: nothing to draw


@pytest.mark.slow
def test_flags_fail_on_contradicted_and_export_carry_it(plan_copy: Callable[[str], Path]) -> None:
    from typer.testing import CliRunner

    from sendplan.cli import app

    root = str(plan_copy("signoff"))
    runner = CliRunner()
    gate = runner.invoke(
        app,
        ["flags", "--plan", root, "--month", "2024-06", "--fail-on", "contradicted", "-f", "json"],
    )
    assert gate.exit_code == 1
    items = json.loads(gate.stdout)["items"]
    assert [(i["id"], i["rating"], i["flags"]) for i in items] == [
        ("B1:1", "green", ["contradicted"]),
        ("B1:3", "blue", ["contradicted"]),
        ("BI1:1", "unrated", ["stale", "unrated"]),
    ]
    may = runner.invoke(
        app, ["flags", "--plan", root, "--month", "2024-04", "--fail-on", "contradicted"]
    )
    assert may.exit_code == 0  # the May figures are not known at the end of April
    export = runner.invoke(app, ["export", "--plan", root, "--month", "2024-06", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(export.stdout.lstrip("\ufeff"))))
    assert [(r["id"], r["flags"], r["contradicted_by"], r["withdrawn"]) for r in rows] == [
        ("B1:1", "contradicted", "timely", ""),
        ("B1:2", "", "", ""),
        ("B1:3", "contradicted", "waits", ""),
        ("B1:4", "", "", "2024-06-15"),  # kept, with no flags, so a spreadsheet can filter it
        ("BI1:1", "stale;unrated", "", ""),
    ]


def test_a_target_with_no_date_is_a_level_on_the_trend_line_and_said_so(
    plan_copy: Callable[[str], Path],
) -> None:
    """A dateless target gives no path (trajectory.path is the first figure alone): the
    chart draws the level to reach and its text says so, never `Agreed path ...: .`."""
    root = plan_copy("signoff")
    path = root / "kpis/timely.yaml"
    text = path.read_text(encoding="utf-8")
    dated = "target: {value: 80, by: 2024-12}\ntrajectory:\n  - {by: 2024-03, value: 50}\n"
    assert dated in text
    path.write_text(text.replace(dated, "target: {value: 80}\n"), encoding="utf-8")
    loaded = load_plan(FolderSource(root))
    assert loaded.findings == []
    facts = ReportMeta(GENERATED, "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a")
    report = board_report(loaded.plan, state_at(loaded.plan, JUNE), facts)
    timely = next(k for k in report.kpis if k.id == "timely")
    assert (timely.target, timely.target_by, len(timely.path)) == (80.0, None, 1)
    svg = str(sparkline(timely))
    (label,) = re.findall(r'aria-label="([^"]*)"', svg)
    assert label == (
        "Trend of New EHC plans issued within 20 weeks: 40% in January 2024, 48% in May 2024. "
        "Target 80%, no date."
    )
    # The series runs 40 -> 48 and the level is 80, the top of the chart (y = pad = 3).
    assert '<line x1="3" y1="3.0" x2="117" y2="3.0" stroke="#505a5f"' in svg
    assert "<rect" not in svg  # no dated target to mark
    assert svg.count("<polyline") == 1  # the series; no dashed path
