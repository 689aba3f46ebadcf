"""The Oxfordshire PAP at the repository root, and the Oldham WSOA example, are real plans."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sendplan.checks import run_checks
from sendplan.findings import Finding
from sendplan.load import Loaded, load_plan
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.timeline import next_milestone
from tests.conftest import REPO

TODAY = date(2026, 11, 29)
PLAN_PARTS = ("sendplan.yaml", "plan", "evidence", "kpis", "recommendations")


def load(root: Path) -> tuple[Loaded, list[Finding]]:
    loaded = load_plan(FolderSource(root))
    return loaded, run_checks(loaded, TODAY)


def test_oxfordshire_plan_counts() -> None:
    loaded, _ = load(REPO)
    plan = loaded.plan
    assert Counter(a.kind for a in plan.areas) == {"priority": 5, "improvement": 4}
    assert sorted(a.id for a in plan.areas) == [
        "AfI1",
        "AfI2",
        "AfI3",
        "AfI4",
        "PAP1",
        "PAP2",
        "PAP3",
        "PAP4",
        "PAP5",
    ]
    assert len(plan.objectives) == 37
    assert Counter(o.area for o in plan.objectives) == {
        "PAP1": 5,
        "PAP2": 5,
        "PAP3": 7,
        "PAP4": 11,
        "PAP5": 5,
        "AfI1": 1,
        "AfI2": 1,
        "AfI3": 1,
        "AfI4": 1,
    }
    assert {"AfI1:1", "AfI2:1", "AfI3:1", "AfI4:1"} <= {o.id for o in plan.objectives}
    assert len(plan.evidence) == 130
    assert len(plan.kpis) == 11
    assert [a.month for a in plan.approvals] == ["2024-05"]


def test_oxfordshire_plan_has_no_errors_and_only_explained_warnings() -> None:
    _, findings = load(REPO)
    assert Counter(f.code for f in findings) == {"missing-owner": 33}
    # The published plan names no owner for any PAP objective (plan/README.md).
    assert all(f.id.startswith("PAP") for f in findings)


def test_source_deadlines_and_citations_spot_checks() -> None:
    plan = load(REPO)[0].plan
    by_id = plan.objective_by_id
    assert by_id["PAP3A:1"].due == date(2024, 4, 30)
    assert by_id["PAP3A:1"].evidence == ["E24", "E25", "E26", "E27", "E28"]
    assert by_id["PAP4D:2"].due == date(2024, 9, 30)
    assert by_id["PAP4D:2"].evidence == [
        "E33",
        "E34",
        "E74",
        "E51",
        "E50",
        "E49",
        "E39",
        "E72",
        "E65",
    ]
    assert by_id["PAP1:2"].due == date(2024, 1, 31)


def test_june_2024_shows_a_realistic_mix() -> None:
    state = state_at(load(REPO)[0].plan, date(2024, 6, 30))
    raised = Counter(flag for s in state.objectives for flag in s.flags)
    assert raised == {
        "red": 3,
        "contradicted": 4,
        "overdue": 5,
        "stale": 2,
        "declined": 2,
        "rebaselined": 2,
    }
    contradicted = [s.objective.id for s in state.objectives if "contradicted" in s.flags]
    assert contradicted == ["AfI1:1", "PAP3A:1", "PAP3A:2", "PAP4B:3"]
    assert Counter(s.brag for s in state.objectives) == {
        "amber": 22,
        "green": 10,
        "red": 3,
        "blue": 2,
    }


@pytest.mark.slow
def test_kpi_statuses_at_june_2024_follow_the_data() -> None:
    state = state_at(load(REPO)[0].plan, date(2024, 6, 30))
    judged = {k.kpi.id: (k.status, k.judgement.expected, k.judgement.gap) for k in state.kpis}
    assert judged == {
        "camhs-nd-median-wait": ("no-target", None, None),
        "camhs-nd-referrals": ("no-target", None, None),
        "community-paeds-median-wait": ("no-target", None, None),
        "early-help-disability": ("no-target", None, None),
        # 50% (Oct 2023) to 100% (Apr 2025): 50 + 50 * 213 / 547 at the end of May 2024.
        "ehcp-20-weeks": ("off-track", 69.47, -10.97),
        "ehcp-mainstream": ("no-target", None, None),
        "hv-1-year-review": ("no-target", None, None),
        "hv-2-year-review": ("no-target", None, None),
        "mhst-coverage": ("no-target", None, None),
        "sendco-helpdesk-enquiries": ("no-target", None, None),
        "specialist-places": ("no-data", None, None),
    }
    # In March 2024 the latest figure (50%, October 2023) was exactly on the path.
    march = {k.kpi.id: k.status for k in state_at(load(REPO)[0].plan, date(2024, 3, 31)).kpis}
    assert march["ehcp-20-weeks"] == "on-track"


def test_every_illustrative_rating_says_so() -> None:
    plan = load(REPO)[0].plan
    notes = [r.note for o in plan.objectives for r in o.ratings]
    assert notes
    assert all(note.startswith("Illustrative:") for note in notes)


# Each recommendation of the Cabinet report (13 Nov 2023) and the objectives its response names
# (plan/README.md, "Scrutiny recommendations"): recommendations 5, 10 and 12 name none.
DELIVERING = {
    "HOSC-1": ["PAP5A:1", "PAP2A:1"],
    "HOSC-2": ["PAP1:4", "PAP5C:1"],
    "HOSC-3": ["PAP1:2"],
    "HOSC-4": ["PAP3B:1", "PAP5D:1"],
    "HOSC-5": [],
    "HOSC-6": ["PAP4A:1", "PAP5C:1"],
    "HOSC-7": ["PAP3A:1", "PAP3A:2", "PAP3A:3", "PAP3A:4", "PAP3B:1", "PAP3B:2", "PAP3B:3"],
    "HOSC-8": ["PAP4A:2", "PAP4B:1", "PAP4B:2", "PAP4C:2"],
    "HOSC-9": ["PAP4C:1", "PAP5C:1"],
    "HOSC-10": [],
    "HOSC-11": ["PAP5D:1"],
    "HOSC-12": [],
}


def test_the_twelve_scrutiny_recommendations() -> None:
    plan = load(REPO)[0].plan
    recs = plan.recommendation_by_id
    assert len(plan.recommendations) == 12
    assert {r.id: r.objectives for r in plan.recommendations} == DELIVERING
    assert {(r.made, r.responded) for r in plan.recommendations} == {
        (date(2023, 10, 17), date(2023, 11, 13))
    }
    assert Counter(r.from_ for r in plan.recommendations) == {
        "Joint Health Overview and Scrutiny Committee and People Scrutiny Committee": 7,
        "Joint Health Overview and Scrutiny Committee": 5,
    }
    assert [r.id for r in plan.recommendations if r.response == "partly-accepted"] == [
        "HOSC-4",
        "HOSC-5",
        "HOSC-8",
    ]
    assert recs["HOSC-7"].due == date(2024, 9, 30)
    assert "PAP item 3" in (recs["HOSC-7"].response_note or "")


def test_june_2024_recommendations_and_milestones() -> None:
    plan = load(REPO)[0].plan
    assert plan.settings.type == "pap"
    state = state_at(plan, date(2024, 6, 30))
    assert Counter(s.status for s in state.recommendations) == {
        "open": 1,
        "in-progress": 8,
        "implemented": 2,
        "closed": 1,
    }
    flagged = {s.recommendation.id: s.flags for s in state.recommendations if s.flags}
    assert flagged == {"HOSC-2": ("overdue",), "HOSC-6": ("overdue",)}
    upcoming = next_milestone(state.milestones)
    assert upcoming is not None
    assert (upcoming.name, upcoming.due, upcoming.days_left) == (
        "Monitoring inspection",
        date(2025, 3, 31),
        274,
    )
    assert (upcoming.note or "").startswith("Inferred:")
    assert [(m.name, m.done) for m in state.milestones if m.done] == [
        ("Inspection report published", date(2023, 9, 15)),
        ("Draft Priority Action Plan submitted to DfE and CQC", date(2023, 10, 27)),
    ]


@pytest.mark.slow
def test_the_june_2024_report_shows_the_monitoring_inspection_and_the_recommendations() -> None:
    from datetime import UTC, datetime

    from sendplan.render import render
    from sendplan.views import ReportMeta, board_report

    plan = load(REPO)[0].plan
    view = board_report(
        plan, state_at(plan, date(2024, 6, 30)), ReportMeta(datetime(2024, 7, 1, tzinfo=UTC))
    )
    md = render(view, "md")
    assert (
        "\n\nPriority Action Plan. Next milestone: Monitoring inspection, due 31 March 2025 "
        "(274 days left). Inferred: a monitoring inspection usually follows about 18 months "
        "after the report; no date has been published.\n\n"
    ) in md
    assert "\n## 8. Recommendations\n" in md
    assert len(view.recommendations) == 12
    hosc7 = next(r for r in view.recommendations if r.id == "HOSC-7")
    assert [(o.id, o.rating) for o in hosc7.objectives] == [
        ("PAP3A:1", "green"),
        ("PAP3A:2", "amber"),
        ("PAP3A:3", "amber"),
        ("PAP3A:4", "amber"),
        ("PAP3B:1", "amber"),
        ("PAP3B:2", "amber"),
        ("PAP3B:3", "amber"),
    ]


def test_every_illustrative_update_says_so() -> None:
    plan = load(REPO)[0].plan
    notes = [u.note for r in plan.recommendations for u in r.updates]
    assert len(notes) == 13
    assert all(note.startswith("Illustrative:") for note in notes)


def test_the_oldham_example_is_a_wsoa_with_its_revisit() -> None:
    settings = load(REPO / "examples/oldham-wsoa")[0].plan.settings
    assert settings.type == "wsoa"
    assert [(m.name, m.due, m.done) for m in settings.milestones] == [
        ("Inspection letter published", date(2017, 11, 28), date(2017, 11, 28)),
        (
            "Written Statement of Action submitted to Ofsted",
            date(2018, 3, 2),
            date(2018, 3, 2),
        ),
        ("DfE and NHS England monitoring visit", date(2018, 7, 13), date(2018, 7, 13)),
        ("Revisit by Ofsted and CQC", date(2019, 9, 30), None),
    ]


def test_the_source_typo_e9o_is_caught_on_its_line(tmp_path: Path) -> None:
    root = tmp_path / "plan-copy"
    root.mkdir()
    for part in PLAN_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy(source, root / part)
    path = root / "plan/PAP4/PAP4A-1.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [i for i, line in enumerate(lines, 1) if line.startswith("evidence:")]
    path.write_text("".join(lines).replace("E90", "E9O", 1), encoding="utf-8")
    errors = [f for f in load(root)[1] if f.code != "missing-owner"]
    assert [(f.code, f.path, f.line, f.message) for f in errors] == [
        (
            "unknown-evidence",
            "plan/PAP4/PAP4A-1.yaml",
            number,
            "PAP4A:1 cites E9O, which is not in evidence/",
        )
    ]


@pytest.mark.parametrize("name", ["oldham-wsoa"])
def test_examples_validate_without_findings(name: str) -> None:
    loaded, findings = load(REPO / "examples" / name)
    assert findings == []
    assert loaded.plan.objectives
    assert all("." in o.id for o in loaded.plan.objectives)  # W1.1-style IDs
