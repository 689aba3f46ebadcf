"""SPEC §8 without git: what an approval seals in a diff, and what the approved month's report
lists as changed since (signoff.py, diff.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sendplan.diff import PlanDiff, diff_plans, objective_changes
from sendplan.model import Approval, Kpi, Objective, Plan, Settings
from sendplan.review import Sides, diff_markdown, error_notes
from sendplan.signoff import approval_of, merged_plan, post_approval_changes

MAY = date(2024, 5, 31)
COMMIT = "c0ffee" + "0" * 34


def approval(month: str = "2024-05", **fields: Any) -> Approval:
    data = {"month": month, "board": "Improvement Board", "date": "2024-06-26", "commit": COMMIT}
    item = Approval.model_validate({**data, **fields})
    item._path = f"approvals/{month}.yaml"
    return item


def objective(path: str = "plan/A1/A1-1.yaml", **fields: Any) -> Objective:
    data = {"id": "A1:1", "title": "Map timelines", "due": "2024-09", "kpis": ["k"], **fields}
    item = Objective.model_validate(data)
    item._path = path
    item._area = "A1"
    return item


def kpi(*points: tuple[str, float], **fields: Any) -> Kpi:
    data = {
        "id": "k",
        "title": "Plans in 20 weeks",
        "unit": "%",
        "better": "higher",
        "data": [{"period": p, "value": v} for p, v in points],
        **fields,
    }
    item = Kpi.model_validate(data)
    item._path = "kpis/k.yaml"
    return item


def plan(*items: Any, approvals: tuple[Approval, ...] = (approval(),)) -> Plan:
    settings = Settings(name="Plan")
    settings._path = "sendplan.yaml"
    return Plan(
        settings=settings,
        objectives=[i for i in items if isinstance(i, Objective)],
        kpis=[i for i in items if isinstance(i, Kpi)],
        approvals=list(approvals),
    )


APRIL = {"date": "2024-04-20", "brag": "amber", "note": "Started."}
LATE_MAY = {"date": "2024-05-30", "brag": "red", "note": "Slipped."}
JUNE = {"date": "2024-06-20", "brag": "amber", "note": "Back on track."}


def changes(old: Plan, new: Plan) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.change, str(c.severity), c.message) for c in diff_plans(old, new)]


def test_a_rating_added_in_an_approved_month_is_a_post_approval_change() -> None:
    old = plan(objective(ratings=[APRIL, JUNE]))
    new = plan(objective(ratings=[APRIL, LATE_MAY, JUNE]))
    assert changes(old, new) == [
        (
            "A1:1",
            "post-approval-change",
            "error",
            "rating dated 2024-05-30 (red) was inserted before the latest existing rating "
            "(2024-06-20) (after the May 2024 report approved by Improvement Board on "
            "26 June 2024)",
        )
    ]


def test_a_rating_appended_after_the_approved_month_is_only_a_rating() -> None:
    old = plan(objective(ratings=[APRIL]))
    new = plan(objective(ratings=[APRIL, JUNE]))
    assert [c[1:3] for c in changes(old, new)] == [("rating-added", "info")]
    # ... but appended and dated inside the approved month, it is sealed too.
    appended = plan(objective(ratings=[APRIL, LATE_MAY]))
    assert [c[1:3] for c in changes(old, appended)] == [("post-approval-change", "error")]


def test_editing_or_removing_a_sealed_rating_is_a_post_approval_change() -> None:
    old = plan(objective(ratings=[APRIL, JUNE]))
    edited = plan(objective(ratings=[{**APRIL, "brag": "green"}, JUNE]))
    removed = plan(objective(ratings=[JUNE]))
    assert [c[1] for c in changes(old, edited)] == ["post-approval-change"]
    assert [c[1] for c in changes(old, removed)] == ["post-approval-change"]
    # Without an approval they are history-rewritten, as before.
    bare = plan(objective(ratings=[APRIL, JUNE]), approvals=())
    assert [c[1] for c in changes(bare, plan(objective(ratings=[JUNE]), approvals=()))] == [
        "history-rewritten"
    ]


def test_a_re_baseline_dated_in_the_approved_month_is_sealed() -> None:
    moved = {"on": "2024-05-15", "from": "2024-09", "to": "2024-12", "reason": "Waiting"}
    old = plan(objective())
    new = plan(objective(due="2024-12", due_history=[moved]))
    assert changes(old, new) == [
        (
            "A1:1",
            "post-approval-change",
            "error",
            "due moved from 2024-09-30 to 2024-12-31: Waiting (after the May 2024 report "
            "approved by Improvement Board on 26 June 2024)",
        )
    ]


def test_a_kpi_point_for_an_approved_period_is_a_warning() -> None:
    old = plan(kpi(("2024-03", 40)))
    new = plan(kpi(("2024-03", 40), ("2024-05", 45), ("2024-06", 50)))
    assert changes(old, new) == [
        (
            "k",
            "kpi-point-added",
            "warning",
            "2024-05: 45% (a period of the May 2024 report approved by Improvement Board on "
            "26 June 2024)",
        ),
        ("k", "kpi-point-added", "info", "2024-06: 50%"),
    ]


def test_a_new_kpi_with_points_in_an_approved_month_warns_for_each() -> None:
    new = plan(kpi(("2024-04", 40), ("2024-07", 50)))
    assert [c[1:3] for c in changes(plan(), new)] == [
        ("added", "info"),
        ("kpi-point-added", "warning"),
    ]


def test_withdrawing_is_information_and_deleting_a_rated_file_is_an_error() -> None:
    rated = objective(ratings=[JUNE])
    withdrawn = objective(ratings=[JUNE], withdrawn={"on": "2024-07-01", "reason": "Merged"})
    assert [c[1:] for c in changes(plan(rated), plan(withdrawn))] == [
        ("withdrawn", "info", "withdrawn on 2024-07-01: Merged")
    ]
    diff = PlanDiff(diff_plans(plan(withdrawn), plan()), [])
    assert [(c.change, str(c.severity)) for c in diff.changes] == [
        ("rated-objective-removed", "error")
    ]
    assert diff.failed
    assert error_notes(diff) == [
        "A rated objective's file was deleted: its history is lost. Keep the file and "
        "withdraw the objective (sendplan withdraw ID --reason TEXT)."
    ]


def test_approval_edits_and_removal_and_addition() -> None:
    old, edited = plan(), plan(approvals=(approval(date="2024-06-27"),))
    assert [(c.kind, c.id, c.change, c.message) for c in diff_plans(old, edited)] == [
        (
            "approval",
            "2024-05",
            "history-rewritten",
            "approval edited: date: 2024-06-26 -> 2024-06-27",
        )
    ]
    assert [(c.change, str(c.severity)) for c in diff_plans(old, plan(approvals=()))] == [
        ("history-rewritten", "error")
    ]
    added = diff_plans(plan(approvals=()), old)
    assert [(c.kind, c.id, c.change, c.title, c.message) for c in added] == [
        (
            "approval",
            "2024-05",
            "added",
            "May 2024 report",
            f"approved by Improvement Board on 2024-06-26, from commit {COMMIT[:12]}",
        )
    ]


def test_objective_changes_without_approvals_keep_their_codes() -> None:
    old, new = objective(ratings=[APRIL]), objective(ratings=[APRIL, LATE_MAY])
    assert [c.change for c in objective_changes(old, new)] == ["rating-added"]
    assert [c.change for c in objective_changes(old, new, (approval(),))] == [
        "post-approval-change"
    ]


def test_the_markdown_says_what_to_do_about_each_error() -> None:
    old = plan(objective(ratings=[APRIL, JUNE]))
    new = plan(objective(ratings=[JUNE]))
    text = diff_markdown(
        PlanDiff(diff_plans(old, new), []), Sides("main", "a" * 40, "worktree", None)
    )
    assert (
        "A month a board approved was changed: its report no longer shows what the board saw. "
        "Date the new entry after the approved month instead."
    ) in text


# --- the approved month's report ----------------------------------------------------------


def test_approval_of_a_month_end_only() -> None:
    p = plan()
    assert approval_of(p, MAY) == approval()
    assert approval_of(p, date(2024, 5, 30)) is None
    assert approval_of(p, date(2024, 6, 30)) is None


def test_post_approval_changes_keep_what_alters_the_month() -> None:
    approved = plan(objective(ratings=[APRIL]), kpi(("2024-03", 40)))
    current = plan(
        objective(ratings=[APRIL, LATE_MAY, JUNE], title="Map all timelines"),
        kpi(("2024-03", 40), ("2024-05", 45), ("2024-06", 50)),
        objective(path="plan/A1/A1-2.yaml", id="A1:2", title="New"),
    )
    kept = post_approval_changes(approved, current, MAY)
    assert [(c.kind, c.id, c.change, c.message.split(" (")[0]) for c in kept] == [
        (
            "objective",
            "A1:1",
            "post-approval-change",
            "red on 2024-05-30, down from amber: Slipped.",
        ),
        # the title change is undated, but A1:1's state at the end of May differs: kept
        ("objective", "A1:1", "field-changed", 'title: "Map timelines" -> "Map all timelines"'),
        ("objective", "A1:2", "added", "new objective, due 2024-09-30"),
        ("kpi", "k", "kpi-point-added", "2024-05: 45%"),
    ]
    # June's rating and June's KPI point change nothing at the end of May: left out.


def test_nothing_changed_since_the_approval() -> None:
    same = plan(objective(ratings=[APRIL]))
    assert post_approval_changes(same, same, MAY) == []


def test_merged_plan_replaces_only_the_files_read() -> None:
    current = plan(objective(ratings=[APRIL, JUNE]), kpi(("2024-03", 40), ("2024-05", 45)))
    read = plan(objective(ratings=[APRIL]), approvals=())
    merged = merged_plan(current, read, {"plan/A1/A1-1.yaml", "approvals/2024-05.yaml"})
    assert [len(o.ratings) for o in merged.objectives] == [1]
    assert merged.kpis == current.kpis  # not read: kept
    assert merged.approvals == []  # read and absent at that commit: gone
