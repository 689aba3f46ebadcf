"""`flags` as data: which objectives, in which order, and their SPEC §4 JSON and Markdown (issue 14:
each test here kills a hand mutant of flagging.py that survived before)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from sendplan.errors import SendplanError
from sendplan.flagging import (
    flag_items,
    flag_text,
    flagged,
    flags_json,
    flags_markdown,
    parse_flag_list,
    recommendations_markdown,
)
from sendplan.load import load_plan
from sendplan.model import Plan
from sendplan.rows import Contradiction
from sendplan.sources import FolderSource
from tests.conftest import PLANS

A = date(2024, 6, 30)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    """Objectives written in no order; one ongoing, one with a `|` in its title and owner."""
    root = tmp_path / "plan"
    _write(root / "sendplan.yaml", "name: Flags\n")
    _write(root / "plan/W1/area.yaml", "id: W1\nkind: priority\ntitle: One\n")
    objectives = {
        "W1.10": "title: Tenth\nowner: Lead\ndue: 2024-05\n",
        "W1.2": "title: 'Pipes | in | title'\nowner: 'A | B'\nongoing: true\n"
        "ratings:\n  - {date: 2024-06-20, brag: red, note: Late.}\n",
        "w1.3": "title: Third\nowner: lead\ndue: 2024-12\n"
        "ratings:\n  - {date: 2024-06-20, brag: green, note: Done., evidence: [E1]}\n",
        "W1.1": "title: First\nowner: Other\ndue: 2025-01\n",
    }
    for item_id, body in objectives.items():
        _write(root / f"plan/W1/{item_id}.yaml", f"id: {item_id}\n{body}")
    _write(root / "evidence/E1.md", "---\nid: E1\ntitle: Proof\n---\n")
    return load_plan(FolderSource(root)).plan


def test_items_are_in_natural_id_order_whatever_the_file_order(plan: Plan) -> None:
    assert [item.id for item in flag_items(plan, A)] == ["W1.1", "W1.2", "W1.10"]


def test_only_flagged_objectives_with_their_flags(plan: Plan) -> None:
    assert [(item.id, item.flags) for item in flag_items(plan, A)] == [
        ("W1.1", ("stale", "unrated")),
        ("W1.2", ("red",)),
        ("W1.10", ("overdue", "stale", "unrated")),
    ]


def test_owner_matches_in_any_case(plan: Plan) -> None:
    assert [item.id for item in flag_items(plan, A, owner="LEAD")] == ["W1.10"]
    assert [item.id for item in flag_items(plan, A, owner="nobody")] == []


def test_json_is_specs_shape_with_null_due_for_an_ongoing_objective(plan: Plan) -> None:
    document = json.loads(flags_json(A, flag_items(plan, A)))
    assert document == {
        "as_of": "2024-06-30",
        "items": [
            {
                "id": "W1.1",
                "title": "First",
                "owner": "Other",
                "due": "2025-01-31",
                "rating": "unrated",
                "flags": ["stale", "unrated"],
            },
            {
                "id": "W1.2",
                "title": "Pipes | in | title",
                "owner": "A | B",
                "due": None,
                "rating": "red",
                "flags": ["red"],
            },
            {
                "id": "W1.10",
                "title": "Tenth",
                "owner": "Lead",
                "due": "2024-05-31",
                "rating": "unrated",
                "flags": ["overdue", "stale", "unrated"],
            },
        ],
    }


def test_markdown_table_keeps_a_pipe_in_a_title_inside_its_cell(plan: Plan) -> None:
    assert flags_markdown(A, flag_items(plan, A)).splitlines() == [
        "**3 objectives flagged** as of 2024-06-30",
        "",
        "| Objective | Title | Owner | Due | Rating | Flags |",
        "| --- | --- | --- | --- | --- | --- |",
        "| W1.1 | First | Other | 2025-01-31 | Unrated | Stale, Unrated |",
        "| W1.2 | Pipes \\| in \\| title | A \\| B | Ongoing | Red | Red |",
        "| W1.10 | Tenth | Lead | 2024-05-31 | Unrated | Overdue, Stale, Unrated |",
    ]


def test_markdown_with_nothing_flagged_and_with_one_item(plan: Plan) -> None:
    assert flags_markdown(A, []) == "**0 objectives flagged** as of 2024-06-30\n\n"
    one = [item for item in flag_items(plan, A) if item.id == "W1.2"]
    assert flags_markdown(A, one).splitlines()[0] == "**1 objective flagged** as of 2024-06-30"
    assert recommendations_markdown(A, []) == "**0 recommendations flagged** as of 2024-06-30\n\n"


def _contradiction(kpi: str) -> Contradiction:
    return Contradiction(
        kpi, kpi.upper(), "off-track", "%", 40.0, "May 2024", 50.0, None, -10.0, 20.0
    )


def test_contradicted_names_its_kpis_and_no_other_flag_does(plan: Plan) -> None:
    (row,) = [item for item in flag_items(plan, A) if item.id == "W1.2"]
    row = dataclasses.replace(
        row,
        flags=("red", "contradicted", "stale"),
        contradictions=(_contradiction("k-wait"), _contradiction("k-plans")),
    )
    assert flag_text(row) == "Red, Contradicted (k-wait, k-plans), Stale"
    assert flags_markdown(A, [row]).splitlines()[-1] == (
        "| W1.2 | Pipes \\| in \\| title | A \\| B | Ongoing | Red | "
        "Red, Contradicted (k-wait, k-plans), Stale |"
    )


SCRUTINY_OBJECTIVES = [
    "**2 objectives flagged** as of 2024-06-30",
    "",
    "| Objective | Title | Owner | Due | Rating | Flags |",
    "| --- | --- | --- | --- | --- | --- |",
    "| W1.2 | Quarterly performance reports to scrutiny | Head of Performance | 2024-09-30 | Red "
    "| Red |",
    "| W2.1 | Issue new EHC plans within 20 weeks | Head of SEND | 2024-12-31 | Unrated | "
    "Stale, Unrated |",
]
SCRUTINY_RECOMMENDATIONS = [
    "**2 recommendations flagged** as of 2024-06-30",
    "",
    "| Recommendation | Text | From | Owner | Due | Status | Flags |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    "| SC-1 | Publish how the partnership is led and governed. | Children's Scrutiny Panel | "
    "Director of Children's Services | 2024-05-31 | In progress | Overdue |",
    "| SC-2 | Report waiting times to the committee every quarter. | Health Scrutiny Committee | "
    "Not named | 2024-06-20 | Open | Overdue, Unanswered |",
]


def test_markdown_of_all_kinds_is_both_tables_one_blank_line_apart() -> None:
    found = flagged(load_plan(FolderSource(PLANS / "scrutiny")).plan, A, "all")
    text = flags_markdown(A, found.objectives, found.recommendations)
    assert text == "\n".join([*SCRUTINY_OBJECTIVES, "", *SCRUTINY_RECOMMENDATIONS, ""])
    assert found.raised == {"red", "stale", "unrated", "overdue", "unanswered"}


def test_a_recommendation_without_a_due_date_shows_the_empty_word() -> None:
    found = flagged(load_plan(FolderSource(PLANS / "scrutiny")).plan, A, "recommendations")
    assert found.objectives is None
    assert found.recommendations is not None
    undated = [dataclasses.replace(found.recommendations[1], due=None)]
    lines = recommendations_markdown(A, undated).splitlines()
    assert lines[0] == "**1 recommendation flagged** as of 2024-06-30"
    assert lines[-1] == (
        "| SC-2 | Report waiting times to the committee every quarter. | Health Scrutiny "
        "Committee | Not named | — | Open | Overdue, Unanswered |"
    )


def test_fail_on_names_are_read_in_any_case_and_in_order() -> None:
    assert parse_flag_list("RED, Overdue,,stale") == ("red", "overdue", "stale")


@pytest.mark.parametrize("text", ["", " ", ",", " , "])
def test_an_empty_fail_on_cannot_proceed(text: str) -> None:
    expected = r"^unknown flag '.*'; use any of red,contradicted,overdue,"
    with pytest.raises(SendplanError, match=expected):
        parse_flag_list(text)


def test_an_unknown_fail_on_name_is_named() -> None:
    with pytest.raises(SendplanError, match=r"^unknown flag late, soon; use any of "):
        parse_flag_list("red,late,soon")
