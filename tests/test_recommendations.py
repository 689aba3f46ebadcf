"""Recommendations (SPEC §9): loading, checks, and status and flags at a date, worked by hand.

The fixture plan `scrutiny` is a small WSOA with recommendations SC-1 .. SC-4 and SC-10:
- SC-1 made 1 Feb 2024, accepted (responded 20 Feb), due May 2024 (31 May), updates
  in-progress on 10 Mar and implemented on 15 Jul;
- SC-2 made 20 May 2024, pending, due 20 Jun 2024, no updates;
- SC-3 made 10 Jun 2024, pending, no due date;
- SC-4 made 1 Mar 2024, partly-accepted but responded only on 25 Jun, closed on 28 Jun;
- SC-10 made 5 Jul 2024.
`response_days` is the default, 28.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.checks import run_checks
from sendplan.cli import app
from sendplan.load import load_plan
from sendplan.model import Plan
from sendplan.recommendations import (
    RecommendationState,
    naming_objective,
    recommendation_states,
)
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.timeline import next_milestone
from tests.conftest import PLANS
from tests.gitrepo import commit, edit, init_repo

SCRUTINY = PLANS / "scrutiny"
FIXTURE_TODAY = date(2024, 8, 1)
"""The fixture holds July 2024 entries: it is valid from August 2024."""


def scrutiny_plan() -> Plan:
    return load_plan(FolderSource(SCRUTINY)).plan


def states_by_id(plan: Plan, as_of: date) -> dict[str, RecommendationState]:
    return {s.recommendation.id: s for s in recommendation_states(plan, as_of)}


def test_the_scrutiny_fixture_validates_clean() -> None:
    loaded = load_plan(FolderSource(SCRUTINY))
    assert run_checks(loaded, FIXTURE_TODAY) == []
    assert [r.id for r in loaded.plan.recommendations] == ["SC-1", "SC-10", "SC-2", "SC-3", "SC-4"]
    sc1 = loaded.plan.recommendation_by_id["SC-1"]
    assert sc1.path == "recommendations/SC-1.yaml"
    assert sc1.from_ == "Children's Scrutiny Panel"
    assert (sc1.made, sc1.responded, sc1.due) == (
        date(2024, 2, 1),
        date(2024, 2, 20),
        date(2024, 5, 31),
    )
    assert sc1.objectives == ["W1.1"]
    assert [(u.date, u.status) for u in sc1.updates] == [
        (date(2024, 3, 10), "in-progress"),
        (date(2024, 7, 15), "implemented"),
    ]


# (recommendation, as-of date) -> (response at A, status at A, flags at A), worked out by hand
TABLE: list[tuple[str, date, str, str, tuple[str, ...]]] = [
    # SC-1: before its response was given the response is still pending (9 days: not flagged)
    ("SC-1", date(2024, 2, 10), "pending", "open", ()),
    ("SC-1", date(2024, 3, 9), "accepted", "open", ()),
    ("SC-1", date(2024, 3, 10), "accepted", "in-progress", ()),
    # due 31 May: on the due date itself it is not yet overdue
    ("SC-1", date(2024, 5, 31), "accepted", "in-progress", ()),
    ("SC-1", date(2024, 6, 1), "accepted", "in-progress", ("overdue",)),
    ("SC-1", date(2024, 6, 30), "accepted", "in-progress", ("overdue",)),
    # implemented on 15 Jul: no longer overdue
    ("SC-1", date(2024, 7, 15), "accepted", "implemented", ()),
    # SC-2: pending 28 days after 20 May is 17 Jun (not more than 28: no flag); 18 Jun is 29
    ("SC-2", date(2024, 6, 17), "pending", "open", ()),
    ("SC-2", date(2024, 6, 18), "pending", "open", ("unanswered",)),
    # due 20 Jun: on 21 Jun it is overdue as well
    ("SC-2", date(2024, 6, 20), "pending", "open", ("unanswered",)),
    ("SC-2", date(2024, 6, 21), "pending", "open", ("overdue", "unanswered")),
    # SC-3: 20 days pending at the end of June; no due date, so never overdue
    ("SC-3", date(2024, 6, 30), "pending", "open", ()),
    ("SC-3", date(2024, 7, 9), "pending", "open", ("unanswered",)),
    # SC-4: answered only on 25 Jun, so at the end of May it was pending for 91 days
    ("SC-4", date(2024, 5, 31), "pending", "open", ("unanswered",)),
    ("SC-4", date(2024, 6, 25), "partly-accepted", "open", ()),
    ("SC-4", date(2024, 6, 30), "partly-accepted", "closed", ()),
]


@pytest.mark.parametrize(("rec_id", "as_of", "response", "status", "flags"), TABLE)
def test_status_and_flags_at_a_date(
    rec_id: str, as_of: date, response: str, status: str, flags: tuple[str, ...]
) -> None:
    state = states_by_id(scrutiny_plan(), as_of)[rec_id]
    assert (state.response, state.status, state.flags) == (response, status, flags)


def test_a_recommendation_made_after_the_date_is_not_there_yet() -> None:
    plan = scrutiny_plan()
    at_june = [s.recommendation.id for s in recommendation_states(plan, date(2024, 6, 30))]
    assert at_june == ["SC-1", "SC-2", "SC-3", "SC-4"]
    at_july = [s.recommendation.id for s in recommendation_states(plan, date(2024, 7, 5))]
    assert at_july == ["SC-1", "SC-2", "SC-3", "SC-4", "SC-10"]
    assert [s.recommendation.id for s in recommendation_states(plan, date(2024, 1, 31))] == []


def test_response_days_comes_from_the_settings(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("scrutiny")
    settings = root / "sendplan.yaml"
    settings.write_text(settings.read_text() + "response_days: 10\n")
    plan = load_plan(FolderSource(root)).plan
    # SC-3, made 10 Jun: 10 days on 20 Jun is not flagged, 11 days on 21 Jun is
    flags = [
        states_by_id(plan, day)["SC-3"].flags for day in (date(2024, 6, 20), date(2024, 6, 21))
    ]
    assert flags == [(), ("unanswered",)]


def test_the_latest_update_at_a_date_is_the_one_shown() -> None:
    states = states_by_id(scrutiny_plan(), date(2024, 6, 30))
    update = states["SC-1"].update
    assert update is not None
    assert (update.date, update.note) == (date(2024, 3, 10), "Draft shared with the panel.")
    assert states["SC-2"].update is None


def test_recommendations_naming_an_objective() -> None:
    plan = scrutiny_plan()
    assert [r.id for r in naming_objective(plan, "W1.1")] == ["SC-1"]
    assert [r.id for r in naming_objective(plan, "W2.1")] == ["SC-2"]
    assert naming_objective(plan, "W9.9") == []


def test_state_at_carries_recommendations_and_milestones() -> None:
    state = state_at(scrutiny_plan(), date(2024, 6, 30))
    assert [(s.recommendation.id, s.status, s.flags) for s in state.recommendations] == [
        ("SC-1", "in-progress", ("overdue",)),
        ("SC-2", "open", ("overdue", "unanswered")),
        ("SC-3", "open", ()),
        ("SC-4", "closed", ()),
    ]
    assert [(m.name, m.due, m.done, m.days_left, m.passed) for m in state.milestones] == [
        ("Written statement submitted", date(2024, 1, 15), date(2024, 1, 12), -167, False),
        ("DfE progress review", date(2024, 5, 31), None, -30, True),
        ("Revisit", date(2024, 8, 20), None, 51, False),
        ("Full reinspection", date(2025, 6, 30), None, 365, False),
    ]
    upcoming = next_milestone(state.milestones)
    assert upcoming is not None
    assert (upcoming.name, upcoming.days_left) == ("Revisit", 51)


def test_a_milestone_done_after_the_date_is_not_done_yet() -> None:
    state = state_at(scrutiny_plan(), date(2024, 1, 12))
    first = state.milestones[0]
    assert (first.done, first.days_left, first.passed) == (date(2024, 1, 12), 3, False)
    before = state_at(scrutiny_plan(), date(2024, 1, 11)).milestones[0]
    assert (before.done, before.passed) == (None, False)
    late = state_at(scrutiny_plan(), date(2024, 1, 16))
    assert late.milestones[0].passed is False  # done on 12 Jan, before its due date
    upcoming = next_milestone(state_at(scrutiny_plan(), date(2024, 1, 11)).milestones)
    assert upcoming is not None
    assert (upcoming.name, upcoming.days_left) == ("Written statement submitted", 4)


def test_no_next_milestone_once_all_have_passed() -> None:
    state = state_at(scrutiny_plan(), date(2025, 7, 1))
    assert next_milestone(state.milestones) is None
    assert [m.name for m in state.milestones if m.passed] == [
        "DfE progress review",
        "Revisit",
        "Full reinspection",
    ]


@pytest.mark.slow
def test_diff_between_revisions_reports_recommendation_changes(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "repo", SCRUTINY)
    commit(root, "Plan as agreed")
    edit(root / "recommendations/SC-1.yaml", "note: Draft shared with the panel.", "note: Shared.")
    (root / "recommendations/SC-3.yaml").write_text(
        (SCRUTINY / "recommendations/SC-3.yaml").read_text()
        + "updates:\n  - {date: 2024-06-30, status: in-progress, note: Young people invited.}\n"
    )
    result = CliRunner().invoke(
        app, ["diff", "HEAD", "--format", "json", "--plan", str(root)], catch_exceptions=False
    )
    assert result.exit_code == 0
    changes = json.loads(result.stdout)["changes"]
    assert [(c["kind"], c["id"], c["change"], c["severity"], c["path"]) for c in changes] == [
        ("recommendation", "SC-1", "history-rewritten", "error", "recommendations/SC-1.yaml"),
        ("recommendation", "SC-3", "update-added", "info", "recommendations/SC-3.yaml"),
    ]
    assert changes[0]["message"] == (
        'update of 2024-03-10 was edited: note: "Draft shared with the panel." -> "Shared."'
    )
    check = CliRunner().invoke(app, ["diff", "HEAD", "--check", "--plan", str(root)])
    assert check.exit_code == 1


def test_personal_data_in_a_recommendation_is_an_error_on_its_line(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("scrutiny")
    path = root / "recommendations/SC-3.yaml"
    path.write_text(path.read_text() + "owner: Case of NHS number 943 476 5919\n")
    findings = run_checks(load_plan(FolderSource(root)), FIXTURE_TODAY)
    assert [(f.code, f.path, f.line) for f in findings] == [
        ("personal-data", "recommendations/SC-3.yaml", 6)
    ]
    assert "943 476 5919" not in findings[0].message


def test_a_stray_file_in_a_subfolder_of_recommendations_is_reported(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("scrutiny")
    (root / "recommendations/old").mkdir()
    (root / "recommendations/old/SC-0.yaml").write_text("id: SC-0\n")
    findings = run_checks(load_plan(FolderSource(root)), FIXTURE_TODAY)
    assert [(f.code, f.path, f.message) for f in findings] == [
        (
            "stray-file",
            "recommendations/old/SC-0.yaml",
            "not read: recommendations go directly in recommendations/",
        )
    ]
