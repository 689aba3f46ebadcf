"""`flags --kind` and `export --kind` on the `scrutiny` fixture at 30 June 2024."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS

runner = CliRunner()
PLAN = str(PLANS / "scrutiny")
JUNE = ("--month", "2024-06", "--plan", PLAN)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, *JUNE], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_flags_default_kind_is_objectives_and_unchanged() -> None:
    code, default, _ = invoke("flags", "--format", "json")
    assert code == 0
    assert invoke("flags", "--format", "json", "--kind", "objectives")[1] == default
    document = json.loads(default)
    assert list(document) == ["as_of", "items"]
    assert [(i["id"], i["flags"]) for i in document["items"]] == [
        ("W1.2", ["red"]),
        ("W2.1", ["stale", "unrated"]),
    ]


def test_flags_kind_recommendations_lists_flagged_recommendations() -> None:
    code, out, _ = invoke("flags", "--format", "json", "--kind", "recommendations")
    assert code == 0
    assert json.loads(out) == {
        "as_of": "2024-06-30",
        "recommendations": [
            {
                "id": "SC-1",
                "text": "Publish how the partnership is led and governed.",
                "from": "Children's Scrutiny Panel",
                "owner": "Director of Children's Services",
                "due": "2024-05-31",
                "response": "accepted",
                "status": "in-progress",
                "flags": ["overdue"],
            },
            {
                "id": "SC-2",
                "text": "Report waiting times to the committee every quarter.",
                "from": "Health Scrutiny Committee",
                "owner": None,
                "due": "2024-06-20",
                "response": "pending",
                "status": "open",
                "flags": ["overdue", "unanswered"],
            },
        ],
    }


def test_flags_kind_all_has_both_lists_and_owner_filters_both() -> None:
    code, out, _ = invoke(
        "flags", "--format", "json", "--kind", "all", "--owner", "director of children's services"
    )
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["as_of", "items", "recommendations"]
    assert document["items"] == []  # W1.1, the director's objective, has no flag
    assert [r["id"] for r in document["recommendations"]] == ["SC-1"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "fail_on", "code"),
    [
        ("recommendations", "unanswered", 1),
        ("recommendations", "overdue", 1),
        ("all", "unanswered", 1),
        ("all", "declined", 0),
        ("objectives", "red", 1),
    ],
)
def test_fail_on_gates_on_the_kind_listed(kind: str, fail_on: str, code: int) -> None:
    assert invoke("flags", "--kind", kind, "--fail-on", fail_on)[0] == code


def test_fail_on_a_flag_the_kind_cannot_raise_is_a_usage_error() -> None:
    code, _, err = invoke("flags", "--fail-on", "unanswered")
    assert code == 2
    assert "unknown flag unanswered; use any of red,contradicted,overdue," in err
    assert "(it is a flag of other items: add --kind all)" in " ".join(err.split())
    code, _, err = invoke("flags", "--kind", "recommendations", "--fail-on", "red")
    assert code == 2
    assert "unknown flag red; use any of overdue,unanswered" in err


def test_flags_markdown_of_recommendations() -> None:
    code, out, _ = invoke("flags", "--format", "md", "--kind", "recommendations")
    assert code == 0
    assert out == (
        "**2 recommendations flagged** as of 2024-06-30\n\n"
        "| Recommendation | Text | From | Owner | Due | Status | Flags |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| SC-1 | Publish how the partnership is led and governed. | Children's Scrutiny Panel | "
        "Director of Children's Services | 2024-05-31 | In progress | Overdue |\n"
        "| SC-2 | Report waiting times to the committee every quarter. | Health Scrutiny "
        "Committee | Not named | 2024-06-20 | Open | Overdue, Unanswered |\n"
    )


def test_export_recommendations_csv() -> None:
    result = runner.invoke(app, ["export", "--kind", "recommendations", *JUNE])
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode("utf-8").split("\r\n")
    assert lines[0] == (
        "\ufeffas_of,id,from,made,text,response,responded,owner,due,status,update_date,flags,"
        "objectives,latest_note"
    )
    assert lines[2] == (
        "2024-06-30,SC-2,Health Scrutiny Committee,2024-05-20,Report waiting times to the "
        "committee every quarter.,pending,,,2024-06-20,open,,overdue;unanswered,W1.2;W2.1,"
    )
    assert [line.split(",")[1] for line in lines[1:-1]] == ["SC-1", "SC-2", "SC-3", "SC-4"]


@pytest.mark.slow
def test_export_default_is_objectives_and_all_needs_json() -> None:
    default = runner.invoke(app, ["export", *JUNE]).stdout
    assert runner.invoke(app, ["export", "--kind", "objectives", *JUNE]).stdout == default
    assert default.splitlines()[0].startswith("\ufeffas_of,id,area,theme,title,")
    code, _, err = invoke("export", "--kind", "all")
    assert code == 2
    assert "a CSV file holds one table" in err
    code, out, _ = invoke("export", "--kind", "all", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["as_of", "objectives", "recommendations"]
    assert document["recommendations"][0]["objectives"] == [
        {
            "id": "W1.1",
            "title": "Publish a governance framework",
            "rating": "green",
            "flags": [],
        }
    ]
    assert list(json.loads(invoke("export", "--format", "json")[1])) == ["as_of", "objectives"]
