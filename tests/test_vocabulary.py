"""The one plan vocabulary: orders, words and file-name rules, the same in every command and format
(issue 14)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import get_args

import pytest

from sendplan import vocabulary
from sendplan.diff import diff_plans
from sendplan.export import export_rows
from sendplan.flagging import flag_items, flags_json, flags_markdown
from sendplan.load import load_plan
from sendplan.model import Plan, Settings
from sendplan.render import render
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import ReportMeta, as_json, board_report
from sendplan.vocabulary import (
    area_folder,
    file_stem,
    movement,
    natural_key,
    path_stem,
)

A = date(2024, 6, 30)
SHUFFLED = ["b1", "A2", "a10", "1x", "x1"]
NATURAL = ["1x", "A2", "a10", "b1", "x1"]


def test_natural_order_is_case_insensitive_with_numbers_by_value() -> None:
    assert sorted(SHUFFLED, key=natural_key) == NATURAL
    assert sorted(["PAP1:10", "pap1:2", "PAP1:1", "W1.10", "W1.2"], key=natural_key) == [
        "PAP1:1",
        "pap1:2",
        "PAP1:10",
        "W1.2",
        "W1.10",
    ]


def test_natural_order_breaks_ties_by_exact_text_whatever_the_input_order() -> None:
    assert sorted(["a1", "A1", "a01"], key=natural_key) == sorted(
        ["a01", "A1", "a1"], key=natural_key
    )
    assert sorted(["a1", "A1"], key=natural_key) == ["A1", "a1"]


def test_movement_follows_the_brag_order() -> None:
    assert movement("amber", "green") == "up"
    assert movement("blue", "red") == "down"
    assert movement("amber", "amber") == "same"
    assert movement(None, "red") == "new"
    assert movement("unrated", "red") == "new"
    assert movement("red", None) is None
    assert movement("red", "unrated") is None


def test_ids_file_stems_and_area_folders() -> None:
    assert file_stem("PAP3A:1") == "PAP3A-1"
    assert file_stem("W1.2") == "W1.2"
    assert path_stem("plan/PAP3/area.yaml") == "PAP3"
    assert path_stem("plan/PAP3/PAP3A-1.yaml") == "PAP3A-1"
    assert path_stem("evidence/E24.md") == "E24"
    assert path_stem("kpis/ehcp-20-weeks.yaml") == "ehcp-20-weeks"
    assert area_folder("plan/PAP3/PAP3A-1.yaml") == "PAP3"
    assert area_folder("sendplan.yaml") == ""


def test_every_code_has_its_word_and_meaning() -> None:
    assert vocabulary.BRAG_ORDER == ("red", "amber", "green", "blue")
    assert get_args(vocabulary.Brag) == vocabulary.BRAG_ORDER
    assert vocabulary.RATINGS == ("red", "amber", "green", "blue", "unrated")
    assert list(vocabulary.RATING_WORDS) == list(vocabulary.RATINGS)
    every_flag = dict.fromkeys([*vocabulary.FLAGS, *vocabulary.RECOMMENDATION_FLAGS])
    assert list(vocabulary.FLAG_WORDS) == list(every_flag)
    assert list(vocabulary.FLAG_MEANINGS) == list(vocabulary.FLAGS)
    assert list(vocabulary.RECOMMENDATION_FLAG_MEANINGS) == list(vocabulary.RECOMMENDATION_FLAGS)
    assert list(vocabulary.STATUS_WORDS) == list(vocabulary.STATUSES)
    assert list(vocabulary.RESPONSE_WORDS) == list(vocabulary.RESPONSES)
    assert list(vocabulary.PLAN_TYPE_WORDS) == list(get_args(vocabulary.PlanType))
    assert vocabulary.RATING_WORDS["unrated"] == vocabulary.FLAG_WORDS["unrated"] == "Unrated"
    assert vocabulary.FLAG_WORDS["rebaselined"] == "Re-baselined"


def test_owner_word() -> None:
    assert vocabulary.owner_word("Head of SEND") == "Head of SEND"
    assert vocabulary.owner_word(None) == "Not named"
    assert vocabulary.owner_word("  ") == "Not named"


# --- one plan no one here wrote, through every command ------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def odd_plan(tmp_path: Path) -> Path:
    """IDs in no order, with a missing owner, an ongoing objective, no evidence, an empty KPI."""
    root = tmp_path / "odd"
    _write(root / "sendplan.yaml", "name: Odd plan\n")
    _write(root / "plan/Z9/area.yaml", "id: Z9\nkind: priority\ntitle: Everything\n")
    for i, item_id in enumerate(SHUFFLED):
        owner = "" if item_id == "a10" else "owner: Lead\n"
        due = "ongoing: true\n" if item_id == "x1" else "due: 2024-05\n"
        rating = "ratings:\n  - {date: 2024-06-10, brag: red, note: Late.}\n" if i % 2 else ""
        _write(
            root / f"plan/Z9/{file_stem(item_id)}.yaml",
            f"id: {item_id}\ntitle: Objective {item_id}\n{owner}{due}kpis: [k]\n{rating}",
        )
    _write(root / "kpis/k.yaml", "id: k\ntitle: A measure\nbetter: higher\n")
    _write(root / "evidence/E1.md", "---\nid: E1\ntitle: Undated item\n---\nText.\n")
    return root


def _order(text: str, ids: list[str], before: str = "", after: str = "") -> list[str]:
    found = {item_id: text.find(f"{before}{item_id}{after}") for item_id in ids}
    assert all(at >= 0 for at in found.values()), found
    return sorted(ids, key=lambda item_id: found[item_id])


@pytest.mark.slow
def test_every_command_orders_the_same_ids_the_same_way(odd_plan: Path) -> None:
    plan = load_plan(FolderSource(odd_plan)).plan
    state = state_at(plan, A)
    view = board_report(plan, state, ReportMeta(datetime(2024, 7, 1, tzinfo=UTC)))
    assert [row.id for row in view.needs_attention] == NATURAL
    assert [row.id for row in view.objectives[0].themes[0].objectives] == NATURAL
    report_json = json.loads(as_json(view))
    assert [row["id"] for row in report_json["needs_attention"]] == NATURAL
    assert _order(render(view, "md"), NATURAL, "| ", " | Objective") == NATURAL
    row_th, title_td = '"row" data-label="Objective">', '</th><td data-label="Title">Objective'
    assert _order(render(view, "html"), NATURAL, row_th, title_td) == NATURAL
    items = flag_items(plan, A)
    assert [item.id for item in items] == NATURAL
    assert [item["id"] for item in json.loads(flags_json(A, items))["items"]] == NATURAL
    assert _order(flags_markdown(A, items), NATURAL, "| ", " | Objective") == NATURAL
    assert [row.id for row in export_rows(plan, state)] == NATURAL
    empty = Plan(settings=Settings(name="Odd plan"))
    changes = diff_plans(empty, plan)
    assert [c.id for c in changes if c.kind == "objective"] == NATURAL


@pytest.mark.slow
def test_md_and_html_say_the_same_words_and_html_has_no_none_cell(odd_plan: Path) -> None:
    plan = load_plan(FolderSource(odd_plan)).plan
    view = board_report(plan, state_at(plan, A), ReportMeta(datetime(2024, 7, 1, tzinfo=UTC)))
    html, md = render(view, "html"), render(view, "md")
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.DOTALL)
    assert cells
    assert not [cell for cell in cells if re.search(r"\bNone\b", cell)]
    assert "None" not in md.replace("None.", "")
    for word in ("Not named", "Ongoing", "Unrated", "No data yet", "—"):
        assert word in html, word
        assert word in md, word
    assert "Not rated" not in html + md
    # a10: owner not named, due in May, unrated; x1: ongoing; A2: rated red.
    assert (
        "| a10 | Objective a10 | Not named | 31 May 2024 | Unrated | Overdue, Stale, Unrated |"
        in md
    )
    assert (
        '<th scope="row" data-label="Objective">a10</th><td data-label="Title">Objective a10</td>'
        '<td data-label="Owner">Not named</td><td data-label="Due">31 May 2024</td>' in html
    )
    assert "| x1 | Objective x1 | Lead | Ongoing | Unrated | Stale, Unrated |" in md
    assert "| A2 | Objective A2 | Lead | 31 May 2024 | Red (10 Jun 2024) | Red, Overdue |" in md
    # The evidence item has no date and is cited by nobody.
    assert "| E1 | Undated item | document | — | — |" in md
    assert (
        '<td data-label="Kind">Document</td><td data-label="Date">—</td>'
        '<td data-label="Cited by">—</td>' in html
    )


def test_flags_say_the_words_of_the_report(odd_plan: Path) -> None:
    plan = load_plan(FolderSource(odd_plan)).plan
    md = flags_markdown(A, flag_items(plan, A))
    assert (
        "| a10 | Objective a10 | Not named | 2024-05-31 | Unrated | Overdue, Stale, Unrated |" in md
    )
    assert "| x1 | Objective x1 | Lead | Ongoing | Unrated | Stale, Unrated |" in md
    assert "| A2 | Objective A2 | Lead | 2024-05-31 | Red | Red, Overdue |" in md


def test_kpi_status_and_rating_lists_in_words() -> None:
    from sendplan.views import _listed_words

    assert vocabulary.kpi_status_word("on-track") == "On track"
    assert vocabulary.kpi_status_word("off-track") == "Off track"
    assert _listed_words(()) == "none set"
    assert _listed_words(("amber",)) == "Amber"
    assert _listed_words(("amber", "green", "blue")) == "Amber, Green or Blue"
