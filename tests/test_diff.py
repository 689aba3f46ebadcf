"""diff.py and review.py: plan changes in plan terms, without git."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import pytest
from markdown_it import MarkdownIt

from sendplan.catalogue import DIFF_CODES, Severity
from sendplan.diff import (
    PlanDiff,
    Unreadable,
    diff_plans,
    objective_changes,
)
from sendplan.findings import Change, change
from sendplan.model import Area, Evidence, Kpi, Objective, Plan, Recommendation, Settings
from sendplan.review import Sides, cell, diff_json, diff_markdown, history_markdown, summary

RATED: list[dict[str, Any]] = [
    {"date": "2024-03-31", "brag": "amber", "note": "Mapping under way."},
    {
        "date": "2024-06-15",
        "brag": "green",
        "by": "PDG",
        "note": "Mapping complete.",
        "evidence": ["E1"],
    },
]


def objective(path: str = "plan/A1/A1a-1.yaml", **fields: Any) -> Objective:
    data = {"id": "A1a:1", "title": "Map assessment timelines", "due": "2024-04", **fields}
    item = Objective.model_validate(data)
    item._path = path
    return item


def kpi(**fields: Any) -> Kpi:
    data = {
        "id": "k20",
        "title": "EHC plans in 20 weeks",
        "unit": "%",
        "data": [{"period": "2024-03", "value": 40}, {"period": "2024-05", "value": 58.5}],
        **fields,
    }
    item = Kpi.model_validate(data)
    item._path = "kpis/k20.yaml"
    return item


def evidence(**fields: Any) -> Evidence:
    item = Evidence.model_validate({"id": "E1", "title": "Process map", **fields})
    item._path = "evidence/E1.md"
    return item


def area(**fields: Any) -> Area:
    data = {"id": "A1", "kind": "priority", "title": "Timely assessments", **fields}
    item = Area.model_validate(data)
    item._path = "plan/A1/area.yaml"
    return item


UPDATES = [
    {"date": "2024-03-10", "status": "in-progress", "note": "Draft shared."},
    {"date": "2024-06-28", "status": "implemented", "note": "Published."},
]


def recommendation(**fields: Any) -> Recommendation:
    data = {
        "id": "SC-1",
        "from": "Scrutiny Panel",
        "made": "2024-02-01",
        "text": "Publish the governance framework.",
        "response": "pending",
        "objectives": ["A1a:1"],
        **fields,
    }
    item = Recommendation.model_validate(data)
    item._path = "recommendations/SC-1.yaml"
    return item


def rec_changes(old: Recommendation | None, new: Recommendation | None) -> list[tuple[str, ...]]:
    before = plan(recommendations=[old] if old else [])
    after = plan(recommendations=[new] if new else [])
    return [(c.kind, c.id, c.change, str(c.severity), c.message) for c in diff_plans(before, after)]


def settings(**fields: Any) -> Settings:
    item = Settings.model_validate({"name": "Riverside plan", **fields})
    item._path = "sendplan.yaml"
    return item


def plan(**items: Any) -> Plan:
    return Plan(settings=items.pop("settings", settings()), **items)


def summarised(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.change, str(c.severity), c.message) for c in changes]


def test_severities_are_exactly_those_of_the_spec() -> None:
    assert {c.name: str(c.severity) for c in DIFF_CODES} == {
        "added": "info",
        "removed": "warning",
        "rating-added": "info",
        "history-rewritten": "error",
        "due-changed": "info",
        "silent-rebaseline": "warning",
        "completed": "info",
        "field-changed": "info",
        "kpi-point-added": "info",
        "kpi-restated": "warning",
        "update-added": "info",
        "post-approval-change": "error",
        "rated-objective-removed": "error",
        "withdrawn": "info",
        "template-changed": "warning",  # issue 13: a reviewer must see template changes
    }


def test_identical_objectives_have_no_changes() -> None:
    assert objective_changes(objective(ratings=RATED), objective(ratings=RATED)) == []


@pytest.mark.parametrize(
    ("brag", "movement"),
    [
        ("blue", "up from green"),
        ("green", "same as before (green)"),
        ("red", "down from green"),
    ],
)
def test_rating_added_states_its_movement(brag: str, movement: str) -> None:
    new = [*RATED, {"date": "2024-07-20", "brag": brag, "by": "PDG", "note": "Reviewed."}]
    assert summarised(objective_changes(objective(ratings=RATED), objective(ratings=new))) == [
        ("rating-added", "info", f"{brag} on 2024-07-20 by PDG, {movement}: Reviewed.")
    ]


def test_first_rating_is_new() -> None:
    new = [{"date": "2024-03-31", "brag": "amber", "note": "Started.", "evidence": ["E1", "E2"]}]
    assert summarised(objective_changes(objective(), objective(ratings=new))) == [
        ("rating-added", "info", "amber on 2024-03-31, new (first rating): Started. [E1, E2]")
    ]


def test_edited_past_rating_is_history_rewritten() -> None:
    new = [{**RATED[0], "note": "Mapping late.", "brag": "red"}, RATED[1]]
    assert summarised(objective_changes(objective(ratings=RATED), objective(ratings=new))) == [
        (
            "history-rewritten",
            "error",
            'rating of 2024-03-31 was edited: brag: "amber" -> "red"; '
            'note: "Mapping under way." -> "Mapping late."',
        )
    ]


def test_removed_past_rating_is_history_rewritten() -> None:
    assert summarised(
        objective_changes(objective(ratings=RATED), objective(ratings=RATED[1:]))
    ) == [
        ("history-rewritten", "error", "rating of 2024-03-31 (amber) was removed from the history")
    ]


def test_rating_slipped_in_before_the_latest_is_history_rewritten() -> None:
    new = [RATED[0], {"date": "2024-05-01", "brag": "red", "note": "Late entry."}, RATED[1]]
    assert summarised(objective_changes(objective(ratings=RATED), objective(ratings=new))) == [
        (
            "history-rewritten",
            "error",
            "rating dated 2024-05-01 (red) was inserted before the latest existing rating "
            "(2024-06-15)",
        )
    ]


def test_due_moved_with_a_due_history_entry_is_due_changed() -> None:
    history = [{"on": "2024-03-20", "from": "2024-04", "to": "2024-06", "reason": "New system"}]
    new = objective(due="2024-06", due_history=history)
    assert summarised(objective_changes(objective(), new)) == [
        ("due-changed", "info", "due moved from 2024-04-30 to 2024-06-30: New system")
    ]


def test_due_moved_without_reason_is_silent_rebaseline() -> None:
    assert summarised(objective_changes(objective(), objective(due="2024-09"))) == [
        (
            "silent-rebaseline",
            "warning",
            "due moved from 2024-04-30 to 2024-09-30 with no due_history entry giving the reason; "
            "add one: {on: DATE, from: 2024-04-30, to: 2024-09-30, reason: ...}",
        )
    ]


def test_due_history_entry_that_does_not_match_the_move_is_not_a_reason() -> None:
    history = [{"on": "2024-03-20", "from": "2024-02", "to": "2024-06", "reason": "Other"}]
    changes = objective_changes(objective(), objective(due="2024-06", due_history=history))
    assert [(c.change, str(c.severity)) for c in changes] == [
        ("silent-rebaseline", "warning"),
        ("field-changed", "info"),
    ]


def test_deadline_dropped_for_ongoing_is_silent_rebaseline_and_set_is_due_changed() -> None:
    dropped = objective_changes(objective(), objective(due=None, ongoing=True))
    assert summarised(dropped) == [
        ("silent-rebaseline", "warning", "deadline 2024-04-30 removed: now ongoing")
    ]
    assert summarised(objective_changes(objective(due=None, ongoing=True), objective())) == [
        ("due-changed", "info", "deadline set: due 2024-04-30 (was ongoing)")
    ]


def test_edited_due_history_entry_is_history_rewritten() -> None:
    entry = {"on": "2024-03-20", "from": "2024-02", "to": "2024-04", "reason": "New system"}
    old = objective(due_history=[entry])
    new = objective(due_history=[{**entry, "reason": "Staff shortage"}])
    assert summarised(objective_changes(old, new)) == [
        (
            "history-rewritten",
            "error",
            'due_history entry of 2024-03-20 was edited: reason: "New system" -> "Staff shortage"',
        )
    ]
    assert [c.change for c in objective_changes(old, objective())] == ["history-rewritten"]


def test_done_newly_set_is_completed() -> None:
    assert summarised(objective_changes(objective(), objective(done="2024-04-25"))) == [
        ("completed", "info", "marked done on 2024-04-25")
    ]
    moved = objective_changes(objective(done="2024-04-25"), objective(done="2024-04-26"))
    assert summarised(moved) == [("field-changed", "info", "done: 2024-04-25 -> 2024-04-26")]


def test_field_changes_say_old_and_new() -> None:
    old = objective(owner="Head of SEND", impact=["Faster"], kpis=["k1"], supports=["I1"])
    new = objective(
        title="Map EHCP timelines",
        owner="Director of SEND",
        commitment="By April",
        impact=["Faster", "Fairer"],
        kpis=["k2"],
        supports=["I1"],
        theme="A1a",
    )
    assert [c.message for c in objective_changes(old, new)] == [
        'title: "Map assessment timelines" -> "Map EHCP timelines"',
        "theme: — -> A1a",
        'owner: "Head of SEND" -> "Director of SEND"',
        'commitment: — -> "By April"',
        'impact: added "Fairer"',
        "kpis: added k2; removed k1",
    ]
    assert {c.change for c in objective_changes(old, new)} == {"field-changed"}


def test_evidence_cited_and_uncited_are_field_changes() -> None:
    changes = objective_changes(objective(evidence=["E1", "E2"]), objective(evidence=["E1", "E5"]))
    assert summarised(changes) == [
        ("field-changed", "info", "evidence: now cites E5; no longer cites E2")
    ]


def test_objective_moved_to_another_area_is_one_field_change() -> None:
    moved = objective(path="plan/I1/A1a-1.yaml")
    changes = objective_changes(objective(), moved)
    assert summarised(changes) == [("field-changed", "info", "area: A1 -> I1")]
    assert changes[0].path == "plan/I1/A1a-1.yaml"


def test_renamed_file_with_the_same_id_is_not_a_change() -> None:
    assert objective_changes(objective(), objective(path="plan/A1/A1a-1.yml")) == []


def test_objective_added_and_removed() -> None:
    # A rated objective's file deleted is an error since issue 16 (withdraw it instead);
    # removing one never rated stays a warning.
    old = plan(
        objectives=[objective(ratings=RATED), objective(path="plan/A1/A1a-3.yaml", id="A1a:3")]
    )
    new = plan(objectives=[objective(path="plan/A1/A1a-2.yaml", id="A1a:2", owner="SENCO")])
    assert [(c.id, c.change, str(c.severity), c.message) for c in diff_plans(old, new)] == [
        (
            "A1a:1",
            "rated-objective-removed",
            "error",
            "objective file deleted with 2 ratings: Map assessment timelines; keep the file "
            "and withdraw it instead (sendplan withdraw A1a:1 --reason TEXT)",
        ),
        ("A1a:2", "added", "info", "new objective, due 2024-04-30, owner SENCO"),
        ("A1a:3", "removed", "warning", "objective removed: Map assessment timelines"),
    ]


def test_objective_whose_file_is_broken_is_not_reported_removed() -> None:
    old = plan(objectives=[objective()])
    assert diff_plans(old, plan(), new_broken={"objective": {"A1a-1"}}) == []
    assert diff_plans(plan(), old, old_broken={"objective": {"A1a:1"}}) == []


def test_kpi_points_added_restated_and_removed() -> None:
    new = kpi(
        data=[
            {"period": "2024-03", "value": 41},
            {"period": "2024-06", "value": 61.2, "evidence": "E1"},
        ]
    )
    assert summarised(diff_plans(plan(kpis=[kpi()]), plan(kpis=[new]))) == [
        ("kpi-restated", "warning", "2024-03 restated: 40% -> 41%"),
        ("kpi-point-added", "info", "2024-06: 61.2%"),
        ("kpi-restated", "warning", "2024-05 (58.5%) was removed from the series"),
    ]


def test_kpi_point_note_and_fields_are_field_changes() -> None:
    new = kpi(
        unit="days",
        target={"value": 60, "by": "2025-03"},
        data=[
            {"period": "2024-03", "value": 40, "note": "Provisional"},
            {"period": "2024-05", "value": 58.5},
        ],
    )
    assert summarised(diff_plans(plan(kpis=[kpi()]), plan(kpis=[new]))) == [
        ("field-changed", "info", 'unit: "%" -> "days"'),
        ("field-changed", "info", "target: — -> value 60, by 2025-03-31"),
        ("field-changed", "info", '2024-03: note: — -> "Provisional"'),
    ]


def test_evidence_changes() -> None:
    old = evidence()
    new = evidence(title="Process map v2", public=False)
    new._body = "Updated."
    assert [
        (c.kind, c.id, c.message) for c in diff_plans(plan(evidence=[old]), plan(evidence=[new]))
    ] == [
        ("evidence", "E1", 'title: "Process map" -> "Process map v2"'),
        ("evidence", "E1", "public: true -> false"),
        ("evidence", "E1", "text edited"),
    ]
    added = diff_plans(plan(), plan(evidence=[old]))
    assert summarised(added) == [("added", "info", "added: Process map")]


def test_area_and_theme_changes() -> None:
    old = area(themes=[{"id": "A1a", "response": "Assess early."}, {"id": "A1b"}])
    new = area(
        title="Timely, good assessments",
        themes=[{"id": "A1a", "response": "Assess."}, {"id": "A1c"}],
    )
    assert [c.message for c in diff_plans(plan(areas=[old]), plan(areas=[new]))] == [
        'title: "Timely assessments" -> "Timely, good assessments"',
        'theme A1a response: "Assess early." -> "Assess."',
        "theme A1c added",
        "theme A1b removed",
    ]


def test_settings_changes_are_config_changes() -> None:
    old = plan(settings=settings())
    new = plan(settings=settings(stale_after_days=30, brag={"red": "Off track"}))
    assert [(c.kind, c.id, c.message) for c in diff_plans(old, new)] == [
        ("config", "stale_after_days", "stale_after_days: 45 -> 30"),
        (
            "config",
            "brag.red",
            'brag.red: "Actions delayed and impact not being delivered" -> "Off track"',
        ),
    ]
    missing = Settings(name="(sendplan.yaml could not be read)")
    assert [(c.change, c.id) for c in diff_plans(plan(settings=missing), old)] == [
        ("added", "sendplan.yaml")
    ]


def test_recommendation_added_and_removed() -> None:
    rec = recommendation()
    assert rec_changes(None, rec) == [
        ("recommendation", "SC-1", "added", "info", "added: Publish the governance framework.")
    ]
    assert rec_changes(rec, None) == [
        (
            "recommendation",
            "SC-1",
            "removed",
            "warning",
            "removed: Publish the governance framework.",
        )
    ]


def test_recommendation_updates_added_and_fields_changed() -> None:
    old = recommendation(updates=UPDATES[:1])
    new = recommendation(
        updates=UPDATES,
        response="accepted",
        responded="2024-02-20",
        due="2024-09",
        objectives=["A1a:1", "A1b:1"],
    )
    assert rec_changes(old, new) == [
        (
            "recommendation",
            "SC-1",
            "update-added",
            "info",
            "implemented on 2024-06-28 (from in-progress): Published.",
        ),
        ("recommendation", "SC-1", "field-changed", "info", 'response: "pending" -> "accepted"'),
        ("recommendation", "SC-1", "field-changed", "info", "responded: — -> 2024-02-20"),
        ("recommendation", "SC-1", "due-changed", "info", "due: — -> 2024-09-30"),
        ("recommendation", "SC-1", "field-changed", "info", "objectives: added A1b:1"),
    ]
    first = rec_changes(recommendation(), recommendation(updates=UPDATES[:1]))
    assert [c[2:] for c in first] == [
        ("update-added", "info", "in-progress on 2024-03-10 (from open): Draft shared.")
    ]


def test_rewritten_recommendation_updates_are_history_rewritten() -> None:
    old = recommendation(updates=UPDATES)
    edited = [UPDATES[0], {**UPDATES[1], "status": "closed"}]
    assert [c[2:] for c in rec_changes(old, recommendation(updates=edited))] == [
        (
            "history-rewritten",
            "error",
            'update of 2024-06-28 was edited: status: "implemented" -> "closed"',
        )
    ]
    assert [c[2:] for c in rec_changes(old, recommendation(updates=UPDATES[1:]))] == [
        (
            "history-rewritten",
            "error",
            "update of 2024-03-10 (in-progress) was removed from the history",
        )
    ]
    inserted = [UPDATES[0], {"date": "2024-05-01", "status": "open"}, UPDATES[1]]
    assert [c[2:] for c in rec_changes(old, recommendation(updates=inserted))] == [
        (
            "history-rewritten",
            "error",
            "update dated 2024-05-01 (open) was inserted before the latest existing update "
            "(2024-06-28)",
        )
    ]
    result = PlanDiff(
        diff_plans(
            plan(recommendations=[old]), plan(recommendations=[recommendation(updates=inserted)])
        ),
        [],
    )
    assert result.failed


def test_type_response_days_and_milestones_are_config_changes() -> None:
    old = plan(
        settings=settings(
            milestones=[
                {"name": "Revisit", "due": "2025-03"},
                {"name": "DfE review", "due": "2024-05"},
            ]
        )
    )
    new = plan(
        settings=settings(
            type="wsoa",
            response_days=14,
            milestones=[
                {"name": "Revisit", "due": "2025-06", "done": "2025-06-12"},
                {"name": "Reinspection", "due": "2026-01"},
            ],
        )
    )
    assert [(c.kind, c.id, c.message) for c in diff_plans(old, new)] == [
        ("config", "type", 'type: — -> "wsoa"'),
        ("config", "response_days", "response_days: 28 -> 14"),
        (
            "config",
            "milestones",
            "milestone 'Revisit' due: 2025-03-31 -> 2025-06-30; done: — -> 2025-06-12",
        ),
        ("config", "milestones", "milestone 'Reinspection' added, due 2026-01-31"),
        ("config", "milestones", "milestone 'DfE review' removed (was due 2024-05-31)"),
    ]


def test_items_are_listed_in_natural_id_order() -> None:
    objectives = [objective(path=f"plan/A1/A1a-{n}.yaml", id=f"A1a:{n}") for n in (10, 2, 1)]
    assert [c.id for c in diff_plans(plan(), plan(objectives=objectives))] == [
        "A1a:1",
        "A1a:2",
        "A1a:10",
    ]


SIDES = Sides("main", "a" * 40, "worktree", None)


def example_diff() -> PlanDiff:
    return PlanDiff(
        [
            change(
                "objective",
                "A1a:1",
                "history-rewritten",
                'note: "a|b" -> "c"',
                "plan/A1/A1a-1.yaml",
                "Map | time\nlines",
            ),
            change(
                "kpi",
                "k20",
                "kpi-restated",
                "2024-03 restated: 40% -> 41%",
                "kpis/k20.yaml",
                "KPI *x*",
            ),
        ],
        [Unreadable("target", "plan/A1/A1a-2.yaml", "yaml-syntax: bad `|`")],
    )


def test_summary_counts_severities() -> None:
    assert summary(example_diff()) == "2 changes (1 error, 1 warning)"
    assert summary(PlanDiff([], [])) == "no changes"


def test_check_fails_on_history_rewritten_or_an_unreadable_target_file() -> None:
    assert example_diff().failed
    warning_only = PlanDiff([example_diff().changes[1]], [])
    assert not warning_only.failed
    assert PlanDiff([], [Unreadable("target", "x.yaml", "bad")]).failed
    assert not PlanDiff([], [Unreadable("base", "x.yaml", "bad")]).failed
    assert warning_only.count(Severity.WARNING) == 1


def test_markdown_tables_survive_pipes_newlines_and_markup() -> None:
    text = diff_markdown(example_diff(), SIDES)
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    assert "<td>Map | time lines</td>" in html
    assert "<td>note: &quot;a|b&quot; -&gt; &quot;c&quot;</td>" in html
    assert "<td>KPI *x*</td>" in html
    assert "<td>yaml-syntax: bad `|`</td>" in html
    assert html.count("<table>") == 3
    assert text.splitlines()[0] == (
        "**Plan changes** from main (aaaaaaaaaa) to the working tree: "
        "2 changes (1 error, 1 warning)"
    )


def test_cell_round_trips_every_ascii_punctuation_character() -> None:
    punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    html = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(f"| a |\n| --- |\n| {cell(punctuation)} |\n")
    )
    assert "<td>!&quot;#$%&amp;'()*+,-./:;&lt;=&gt;?@[\\]^_`{|}~</td>" in html


def test_diff_json_has_the_spec_shape() -> None:
    document = json.loads(diff_json(example_diff(), SIDES))
    assert document["base"] == "main"
    assert document["target"] == "worktree"
    assert document["changes"][0] == {
        "kind": "objective",
        "id": "A1a:1",
        "change": "history-rewritten",
        "severity": "error",
        "message": 'note: "a|b" -> "c"',
        "path": "plan/A1/A1a-1.yaml",
    }
    assert document["unreadable"] == [
        {"side": "target", "path": "plan/A1/A1a-2.yaml", "message": "yaml-syntax: bad `|`"}
    ]


def test_history_markdown_says_when_a_commit_changed_nothing_in_plan_terms() -> None:
    from datetime import datetime

    from sendplan.diff import HistoryEntry

    entry = HistoryEntry("b" * 40, datetime(2024, 6, 1, tzinfo=UTC), "Alice", "Tidy", [])
    assert history_markdown("A1a:1", [entry]).splitlines()[-1] == (
        "| 2024-06-01 | bbbbbbbbbb | Alice | Tidy |  | no change in plan terms |"
    )


def test_kpi_trajectory_and_benchmarks_changes_say_what_was_added_and_removed() -> None:
    england = {"label": "England", "period": "2024-03", "value": 49.2}
    old = kpi(trajectory=[{"by": "2024-09", "value": 50}], benchmarks=[england])
    new = kpi(
        trajectory=[{"by": "2024-09", "value": 50}, {"by": "2025-03", "value": 60}],
        benchmarks=[{**england, "value": 50.3, "source": "SEN2 2024"}],
    )
    assert summarised(diff_plans(plan(kpis=[old]), plan(kpis=[new]))) == [
        ("field-changed", "info", "trajectory: added by 2025-03-31, value 60"),
        (
            "field-changed",
            "info",
            "benchmarks: added label England, period 2024-03, value 50.3, source SEN2 2024; "
            "removed label England, period 2024-03, value 49.2",
        ),
    ]


def test_a_themes_success_looks_like_change_is_a_field_change() -> None:
    old = area(themes=[{"id": "A1a", "success_looks_like": ["Families know who to ask."]}])
    new = area(
        themes=[{"id": "A1a", "success_looks_like": ["Families know who to ask.", "On time."]}]
    )
    assert summarised(diff_plans(plan(areas=[old]), plan(areas=[new]))) == [
        ("field-changed", "info", 'theme A1a success_looks_like: added "On time."'),
    ]


def test_a_withdrawal_removed_or_edited_is_a_field_change_dated_by_it() -> None:
    withdrawn = {"on": "2024-06-30", "reason": "Merged into A1a:2."}
    back = objective_changes(objective(withdrawn=withdrawn), objective())
    assert summarised(back) == [
        (
            "field-changed",
            "info",
            "withdrawal of 2024-06-30 removed: the objective is back in the plan",
        )
    ]
    assert str(back[0].on) == "2024-06-30"
    later = {"on": "2024-07-01", "reason": "Merged into A1a:3."}
    edited = objective_changes(objective(withdrawn=withdrawn), objective(withdrawn=later))
    assert summarised(edited) == [
        (
            "field-changed",
            "info",
            'withdrawal edited: on: 2024-06-30 -> 2024-07-01; reason: "Merged into A1a:2." '
            '-> "Merged into A1a:3."',
        )
    ]
    assert str(edited[0].on) == "2024-06-30"  # the earlier of the two dates
    same = objective_changes(objective(withdrawn=withdrawn), objective(withdrawn=withdrawn))
    assert same == []
    assert objective_changes(None, None) == []


def test_a_list_value_is_its_items_joined() -> None:
    from sendplan.diff import text_of

    assert text_of([1, "a", None]) == '1, "a", —'
    assert text_of([2.5, True]) == "2.5, true"
