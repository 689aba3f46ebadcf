"""`flags --kind` and `export --kind` on the `scrutiny` fixture at 30 June 2024."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_report_to_a_file_prints_the_summary_with_recommendations_and_milestones(
    tmp_path: Path,
) -> None:
    output = tmp_path / "report.md"
    code, out, err = invoke("report", "-o", str(output))
    assert (code, out) == (0, "")  # the summary goes to stderr
    assert err.splitlines() == [
        "June 2024 (as of 2024-06-30): 3 objectives",
        "  Red 1 (was 0)  Amber 0 (was 1)  Green 1 (was 0)  Blue 0 (was 0)  Unrated 1 (was 2)",
        "  Red 1  Contradicted 0  Overdue 0  Stale 1  Declined 0  Re-baselined 0  Unrated 1",
        "  recommendations: Open 2  In progress 1  Implemented 0  Closed 1  Overdue 2  "
        "Unanswered 1",
        "  Milestone passed, not marked done: DfE progress review, due 2024-05-31",
        f"  wrote {output}",
    ]
    assert output.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("epoch", ["yesterday", "1e3", str(10**20)])
def test_a_source_date_epoch_that_is_not_a_unix_time_is_refused(
    monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    from sendplan.cli.report import generated_at
    from sendplan.errors import SendplanError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SendplanError) as raised:
        generated_at()
    assert str(raised.value) == f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719738000")
    assert generated_at().isoformat() == "2024-06-30T09:00:00+00:00"
