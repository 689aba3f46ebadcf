"""`sendplan export`: one row per objective at A, CSV for Excel (BOM, CRLF, no formulas)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.safetext import csv_cell
from tests.conftest import TODAY

runner = CliRunner()

HEADER = [
    "as_of", "id", "area", "theme", "title", "owner", "due", "rating", "rating_date", "previous",
    "movement", "flags", "complete", "latest_note", "evidence_count", "contradicted_by",
    "withdrawn",
]  # fmt: skip
MINIMAL_2024_06_30 = [
    HEADER,
    [
        "2024-06-30", "A1a:1", "A1", "A1a", "Map assessment timelines", "Head of SEND",
        "2024-04-30", "green", "2024-06-15", "amber", "up", "", "true", "Mapping **complete**.",
        "2", "", "",
    ],
    [
        "2024-06-30", "I1:1", "I1", "", "Preparation for adulthood pathway", "Transitions lead",
        "", "red", "2024-05-10", "red", "same", "red;stale", "false", "Pathway not agreed.", "1",
        "", "",
    ],
]  # fmt: skip


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(sys.modules["sendplan.cli.app"], "today", lambda: TODAY)
    return TODAY


def export(*args: str) -> tuple[int, bytes, str]:
    result = runner.invoke(app, ["export", *args], catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_of_the_minimal_plan_at_the_end_of_june(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, data, _ = export("--plan", str(root), "--month", "2024-06", "--format", "csv")
    assert code == 0
    assert rows_of(data) == MINIMAL_2024_06_30
    assert data.count(b"\r\n") == 3
    assert data.count(b"\n") == 3  # every line ends CRLF, none bare LF


def test_as_of_a_day_and_output_to_a_file(
    plan_copy: Callable[[str], Path], today: date, tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    code, stdout, _ = export("--plan", str(root), "--as-of", "2024-06-30")
    assert code == 0
    out = tmp_path / "out/plan.csv"
    assert export("--plan", str(root), "--as-of", "2024-06-30", "-o", str(out))[0] == 0
    assert out.read_bytes() == stdout
    assert rows_of(stdout) == MINIMAL_2024_06_30


def test_default_as_of_is_today(plan_copy: Callable[[str], Path], today: date) -> None:
    code, data, _ = export("--plan", str(plan_copy("minimal")))
    assert code == 0
    assert {row[0] for row in rows_of(data)[1:]} == {"2024-07-01"}


def test_json_has_the_same_rows_with_types(plan_copy: Callable[[str], Path], today: date) -> None:
    root = plan_copy("minimal")
    code, data, _ = export("--plan", str(root), "--month", "2024-06", "--format", "json")
    assert code == 0
    doc = json.loads(data)
    assert doc["as_of"] == "2024-06-30"
    # The objective's row in the one JSON form the report's rows have too (issue 14).
    assert doc["objectives"][1] == {
        "id": "I1:1",
        "title": "Preparation for adulthood pathway",
        "area": "I1",
        "theme": None,
        "owner": "Transitions lead",
        "due": None,
        "ongoing": True,
        "rating": "red",
        "rating_date": "2024-05-10",
        "rating_age_days": 51,
        "rated_by": None,
        "previous": "red",
        "movement": "same",
        "complete": False,
        "done": None,
        "flags": ["red", "stale"],
        "latest_note": "Pathway not agreed.",
        "evidence": [{"id": "E2", "title": "Case audit, spring 2024", "link": None}],
        "evidence_count": 1,
        "contradictions": [],
        "withdrawn": None,
        "withdrawn_reason": None,
    }


def test_format_follows_the_output_suffix(
    plan_copy: Callable[[str], Path], today: date, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    assert export("--plan", str(plan_copy("minimal")), "-o", str(out))[0] == 0
    assert json.loads(out.read_text())["as_of"] == "2024-07-01"


def test_objectives_sort_naturally_and_formulas_are_neutralised(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    for n, title, owner in ((10, '=HYPERLINK("http://x")', "+44 1865"), (2, "@SUM(A1)", "-1")):
        (root / f"plan/I1/I1-{n}.yaml").write_text(
            f"id: I1:{n}\ntitle: '{title}'\nowner: '{owner}'\nongoing: true\nratings:\n"
            f'  - {{date: 2024-06-01, brag: amber, note: "\\tTab first"}}\n'
        )
    code, data, _ = export("--plan", str(root), "--month", "2024-06")
    assert code == 0
    rows = rows_of(data)
    assert [row[1] for row in rows[1:]] == ["A1a:1", "I1:1", "I1:2", "I1:10"]
    by_id = {row[1]: row for row in rows}
    assert by_id["I1:2"][4:6] == ["'@SUM(A1)", "'-1"]
    assert by_id["I1:10"][4:6] == ['\'=HYPERLINK("http://x")', "'+44 1865"]
    assert by_id["I1:10"][13] == "'\tTab first"


def test_csv_cell_neutralises_only_touches_formula_starts() -> None:
    assert [csv_cell(c) for c in ("=1", "+1", "-1", "@x", "\tx", "\rx", "a=1", "", "1")] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\\rx", "a=1", "", "1",
    ]  # fmt: skip
    # A carriage return would overwrite the line when the CSV is printed: it shows as `\r`.
    assert csv_cell("Safe\rEvil\x1b[2J\u202e") == "Safe\\rEvil\\x1b[2J\\u202e"


def test_an_invalid_plan_is_refused_unless_allowed(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    path = root / "plan/I1/I1-1.yaml"
    path.write_text(path.read_text().replace("[E2]", "[E2, E77]"))
    code, data, err = export("--plan", str(root))
    assert code == 1
    assert data == b""
    assert "the plan has 1 error" in err
    code, data, _ = export("--plan", str(root), "--allow-invalid")
    assert code == 0
    assert len(rows_of(data)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2024-06", "--as-of", "2024-06-30"], "give --month or --as-of, not both"),
        (["--month", "2024-13"], "'2024-13' has no month 13"),
        (["--as-of", "2024-06"], "'2024-06' is not a date: use YYYY-MM-DD"),
    ],
)
def test_bad_dates_exit_2(
    plan_copy: Callable[[str], Path], today: date, args: list[str], message: str
) -> None:
    code, _, err = export("--plan", str(plan_copy("minimal")), *args)
    assert code == 2
    assert message in err
