"""The report's Recommendations section, its summary counts, the plan type and milestones.

The `scrutiny` fixture at 30 June 2024 (see test_recommendations.py for its data): SC-1 is in
progress and overdue, SC-2 open, overdue and unanswered, SC-3 open, SC-4 closed; SC-10 is
made in July. Its milestones: submitted (done), DfE progress review (31 May, not done), Revisit
(20 August) and Full reinspection (June 2025).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sendplan.load import load_plan
from sendplan.render import render
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import ReportMeta, ReportView, as_json, board_report
from tests.conftest import PLANS

A = date(2024, 6, 30)
META = ReportMeta(
    generated_at=datetime(2024, 7, 1, 9, 30, tzinfo=UTC),
    commit="3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a",
)


def view_of(root: Path = PLANS / "scrutiny", as_of: date = A) -> ReportView:
    plan = load_plan(FolderSource(root)).plan
    return board_report(plan, state_at(plan, as_of), META)


def test_golden_markdown(golden: Callable[[str, str], None]) -> None:
    golden("scrutiny-2024-06.md", render(view_of(), "md"))


@pytest.mark.slow
def test_golden_html(golden: Callable[[str, str], None]) -> None:
    golden("scrutiny-2024-06.html", render(view_of(), "html"))


def test_golden_json(golden: Callable[[str, str], None]) -> None:
    golden("scrutiny-2024-06.json", as_json(view_of()))


@pytest.mark.slow
def test_recommendations_come_after_areas_for_improvement_in_both_formats() -> None:
    view = view_of()
    headings = re.findall(r"^## (.+)$", render(view, "md"), re.M)
    assert headings == [
        "Contents",
        "1. Summary",
        "2. Needs attention",
        "3. Movement",
        "4. KPIs",
        "5. Coming up",
        "6. Objectives",
        "7. Areas for improvement",
        "8. Recommendations",
        "9. Evidence index",
        "10. Key",
    ]
    page = render(view, "html")
    h2 = re.findall(r'<h2 id="([a-z-]+)" tabindex="-1">([^<]+)</h2>', page)
    assert h2[6:9] == [
        ("areas-for-improvement", "7. Areas for improvement"),
        ("recommendations", "8. Recommendations"),
        ("evidence", "9. Evidence index"),
    ]
    assert "8. [Recommendations](#8-recommendations)" in render(view, "md")


def test_each_row_shows_status_flags_and_the_delivering_objectives_ratings() -> None:
    rows = view_of().recommendations
    assert [
        (
            r.id,
            r.response,
            r.status,
            r.due,
            r.flags,
            [(o.id, o.rating) for o in r.objectives],
            r.update_date,
        )
        for r in rows
    ] == [
        (
            "SC-1",
            "accepted",
            "in-progress",
            date(2024, 5, 31),
            ("overdue",),
            [("W1.1", "green")],
            date(2024, 3, 10),
        ),
        (
            "SC-2",
            "pending",
            "open",
            date(2024, 6, 20),
            ("overdue", "unanswered"),
            [("W1.2", "red"), ("W2.1", "unrated")],
            None,
        ),
        ("SC-3", "pending", "open", None, (), [], None),
        ("SC-4", "partly-accepted", "closed", None, (), [], date(2024, 6, 28)),
    ]
    md = render(view_of(), "md")
    assert (
        "| SC-2 | Report waiting times to the committee every quarter. | Health Scrutiny "
        "Committee | Pending | Open | 20 Jun 2024 | Overdue, Unanswered | W1.2 (Red), W2.1 "
        "(Unrated) | — |"
    ) in md
    assert "| SC-3 | Involve young people in reviewing plans. |" in md
    assert "| — | — | None named | — |" in md


def test_before_its_response_a_recommendation_shows_pending_without_the_response_note() -> None:
    (sc1,) = view_of(as_of=date(2024, 2, 10)).recommendations
    assert (sc1.id, sc1.response, sc1.responded, sc1.response_note) == (
        "SC-1",
        "pending",
        None,
        None,
    )
    later = view_of(as_of=date(2024, 2, 29)).recommendations[0]
    assert (later.response, later.responded, later.response_note) == (
        "accepted",
        date(2024, 2, 20),
        "Delivered by W1.1.",
    )


def test_summary_counts_recommendations_by_status_beside_last_month() -> None:
    summary = view_of().summary
    assert [(c.status, c.now, c.previous) for c in summary.recommendations] == [
        ("open", 2, 2),
        ("in-progress", 1, 1),
        ("implemented", 0, 0),
        ("closed", 1, 0),
    ]
    assert [(f.flag, f.count) for f in summary.recommendation_flags] == [
        ("overdue", 2),
        ("unanswered", 1),
    ]
    md = render(view_of(), "md")
    assert "| Recommendation status | June 2024 | May 2024 |\n| --- | ---: | ---: |\n" in md
    assert "| Closed | 1 | 0 |\n" in md
    assert "| Overdue | 2 |\n| Unanswered | 1 |\n" in md


@pytest.mark.slow
def test_header_names_the_type_and_the_next_milestone_with_days_left() -> None:
    view = view_of()
    assert view.header.type_ == "wsoa"
    milestone = view.header.next_milestone
    assert milestone is not None
    assert (milestone.name, milestone.due, milestone.days_left) == (
        "Revisit",
        date(2024, 8, 20),
        51,
    )
    md = render(view, "md")
    assert (
        "\n\nWritten Statement of Action. Next milestone: Revisit, due 20 August 2024 "
        "(51 days left). Expected about 18 months after the inspection.\n\n"
    ) in md
    page = render(view, "html")
    assert "<dt>Plan type</dt><dd>Written Statement of Action</dd>" in page
    assert (
        "<dt>Next milestone</dt><dd>Revisit, due 20 August 2024 (51 days left)"
        '<span class="age">Expected about 18 months after the inspection.</span></dd>'
    ) in page
    on_the_day = view_of(as_of=date(2024, 8, 20)).header.next_milestone
    assert on_the_day is not None
    assert "Revisit, due 20 August 2024 (today)" in render(view_of(as_of=date(2024, 8, 20)), "md")


@pytest.mark.slow
def test_a_passed_milestone_without_done_is_flagged_in_the_summary() -> None:
    view = view_of()
    assert [(m.name, m.due) for m in view.summary.milestones_passed] == [
        ("DfE progress review", date(2024, 5, 31))
    ]
    md = render(view, "md")
    summary = md.split("## 1. Summary", 1)[1].split("## 2.", 1)[0]
    assert "> **Milestone passed, not marked done:** DfE progress review, due 31 May 2024.\n" in (
        summary
    )
    assert view_of(as_of=date(2024, 5, 31)).summary.milestones_passed == ()


@pytest.mark.slow
def test_coming_up_lists_milestones_due_in_the_next_90_days() -> None:
    view = view_of()
    assert [(m.name, m.days_left) for m in view.coming_up_milestones] == [("Revisit", 51)]
    md = render(view, "md")
    coming = md.split("## 5. Coming up", 1)[1].split("## 6.", 1)[0]
    assert coming == (
        "\n\nNo objective deadlines in the next 90 days.\n\n"
        "Milestones from 30 June 2024 to 28 September 2024:\n\n"
        "| Due | Milestone | Days left | Note |\n"
        "| --- | --- | ---: | --- |\n"
        "| 20 Aug 2024 | Revisit | 51 | Expected about 18 months after the inspection. |\n\n"
    )
    # The reinspection (June 2025) is 90 days away on 1 April 2025, and not before
    assert [m.name for m in view_of(as_of=date(2025, 3, 31)).coming_up_milestones] == []
    assert [m.name for m in view_of(as_of=date(2025, 4, 1)).coming_up_milestones] == [
        "Full reinspection"
    ]


@pytest.mark.slow
def test_key_explains_the_recommendation_flags() -> None:
    md = render(view_of(), "md")
    assert md.endswith(
        "\n\nRecommendation flags: **Overdue** its due date has passed and it is neither "
        "implemented nor closed; **Unanswered** the response is still pending more than 28 "
        "days after it was made.\n"
    )


@pytest.mark.slow
def test_without_recommendations_or_milestones_nothing_of_them_shows(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("scrutiny")
    for file in (root / "recommendations").iterdir():
        file.unlink()
    (root / "recommendations").rmdir()
    settings = root / "sendplan.yaml"
    settings.write_text(settings.read_text().split("type: wsoa\n")[0] + "notice: Test.\n")
    view = view_of(root)
    md, page, data = render(view, "md"), render(view, "html"), json.loads(as_json(view))
    assert [s.name for s in view.sections][6:] == ["areas_for_improvement", "evidence", "key"]
    for text in (md, page):
        assert "Recommendation" not in text
        assert "milestone" not in text.lower()
        assert "Statement of Action. " not in text
        assert "Plan type" not in text
    assert "recommendations" not in data
    assert "coming_up_milestones" not in data
    assert {"type", "next_milestone"}.isdisjoint(data["header"])
    assert {"recommendations", "recommendation_flags", "milestones_passed"}.isdisjoint(
        data["summary"]
    )


def test_a_recommendation_made_after_the_month_leaves_the_section_out() -> None:
    view = view_of(as_of=date(2024, 1, 31))
    assert view.recommendations == ()
    assert "recommendations" not in [s.name for s in view.sections]
    assert view.summary.recommendations == ()


@pytest.mark.slow
def test_an_unknown_delivering_objective_is_named_as_not_in_the_plan(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("scrutiny")
    path = root / "recommendations/SC-2.yaml"
    path.write_text(path.read_text().replace("[W1.2, W2.1]", "[W1.2, W9.9]"))
    view = view_of(root)
    sc2 = view.recommendations[1]
    assert [(o.id, o.title, o.rating) for o in sc2.objectives] == [
        ("W1.2", "Quarterly performance reports to scrutiny", "red"),
        ("W9.9", None, None),
    ]
    assert "W1.2 (Red), W9.9 (not in the plan)" in render(view, "md")
    assert "W9.9 (not in the plan)" in render(view, "html")
