"""Calendar edges, numbers that are not figures, other scripts' digits, the future (issue 13).

Through the real CLI: each is a finding on its line or a usage error of one line (exit 2),
never a traceback, and every JSON document parses with `Infinity` and `NaN` refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS
from tests.gitrepo import commit, edit, init_repo

KPI = "kpis/k20.yaml"
OBJECTIVE = "plan/A1/A1a-1.yaml"
ARABIC_MONTH = "\u0662\u0660\u0662\u0664-\u0660\u0666"  # 2024-06 in Arabic-Indic digits
ARABIC_DAY = ARABIC_MONTH + "-\u0663\u0660"  # 2024-06-30


def _refuse(constant: str) -> object:
    raise AssertionError(f"{constant} in JSON output")


def strict_json(text: str) -> object:
    """JSON as a strict reader takes it: no Infinity, -Infinity or NaN."""
    return json.loads(text, parse_constant=_refuse)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--plan", str(root)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# --- usage errors -------------------------------------------------------------------------------

USAGE = [
    (["report", "--as-of", "9999-12-31"], "'9999-12-31' is outside the years sendplan works with"),
    (["report", "--month", "9999-12"], "'9999-12' is outside the years sendplan works with"),
    (["report", "--as-of", "0001-01-15"], "'0001-01-15' is outside the years sendplan works with"),
    (["report", "--month", "0001-01"], "'0001-01' is outside the years sendplan works with"),
    (["flags", "--as-of", "9999-12-31"], "'9999-12-31' is outside the years sendplan works with"),
    (["flags", "--month", "0001-01"], "'0001-01' is outside the years sendplan works with"),
    (["export", "--month", "9999-12"], "'9999-12' is outside the years sendplan works with"),
    (["export", "--as-of", "0001-01-15", "--format", "json"], "is outside the years"),
    (["report", "--month", ARABIC_MONTH], f"'{ARABIC_MONTH}' is not a month: use YYYY-MM"),
    (["report", "--as-of", ARABIC_DAY], f"'{ARABIC_DAY}' is not a date: use YYYY-MM-DD"),
    (["flags", "--month", ARABIC_MONTH, "--format", "json"], "is not a month"),
    (["report", "--as-of", "2024-02-30"], "'2024-02-30' is not a real date"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), USAGE, ids=[" ".join(u[0]) for u in USAGE])
def test_dates_sendplan_cannot_work_with_are_a_usage_error_of_one_line(
    plan_copy: Callable[[str], Path], args: list[str], message: str
) -> None:
    code, output = run(plan_copy("minimal"), *args)
    assert code == 2
    assert output.startswith("sendplan: "), output
    assert output.count("\n") == 1, output
    assert message in output


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--as-of", "9998-12-31", "--format", "json"],
        ["report", "--month", "1000-01", "--format", "json"],
        ["flags", "--month", "9998-12", "--format", "json"],
        ["export", "--as-of", "1000-01-01", "--format", "json"],
    ],
    ids=" ".join,
)
def test_the_first_and_last_years_sendplan_works_with_report(
    plan_copy: Callable[[str], Path], args: list[str]
) -> None:
    code, output = run(plan_copy("minimal"), *args)
    assert code == 0, output
    strict_json(output)


# --- findings in plan files ---------------------------------------------------------------------

NOT_A_FIGURE = "Input should be a valid number"
BOOLEAN = "true is not a figure: write a number"
TOO_LARGE = "Input should be less than or equal to 1000000000000000"
TOO_SMALL = "Input should be greater than or equal to -1000000000000000"
OUTSIDE = "is outside the years sendplan works with"
FILE_CASES = [
    # (what, file, old, new, [(code, line, message start)])
    ("inf", KPI, "value: 58.5", "value: .inf", [("schema", 8, f"data[1].value: {NOT_A_FIGURE}")]),
    ("-inf", KPI, "value: 58.5", "value: -.Inf", [("schema", 8, f"data[1].value: {NOT_A_FIGURE}")]),
    ("nan", KPI, "value: 58.5", "value: .nan", [("schema", 8, f"data[1].value: {NOT_A_FIGURE}")]),
    # An exponent makes text of a plain scalar (sendplan types decimals only), read as a number.
    (
        "1e309",
        KPI,
        "value: 58.5",
        "value: 1e309",
        [("schema", 8, "data[1].value: Input should be a finite number")],
    ),
    (
        "1.7e308",
        KPI,
        "value: 58.5",
        "value: 1.7e308",
        [("schema", 8, f"data[1].value: {TOO_LARGE}")],
    ),
    (
        "-1.7e308",
        KPI,
        "value: 40",
        "value: -1.7e308",
        [("schema", 7, f"data[0].value: {TOO_SMALL}")],
    ),
    (
        "10^16",
        KPI,
        "value: 58.5",
        "value: 10000000000000000",
        [("schema", 8, f"data[1].value: {TOO_LARGE}")],
    ),
    (
        "310 digits",
        KPI,
        "value: 58.5",
        "value: " + "9" * 310 + ".5",
        [("schema", 8, "data[1].value: Input should be a finite number")],
    ),
    (
        "-10^16",
        KPI,
        "value: 40",
        "value: -10000000000000000.0",
        [("schema", 7, f"data[0].value: {TOO_SMALL}")],
    ),
    (
        "true as a figure",
        KPI,
        "value: 58.5",
        "value: true",
        [("schema", 8, f"data[1].value: {BOOLEAN}")],
    ),
    (
        "true as a target",
        KPI,
        "value: 60",
        "value: true",
        [("schema", 5, f"target.value: {BOOLEAN}")],
    ),
    (
        "text as a figure",
        KPI,
        "value: 58.5",
        'value: "58.5%"',
        [("schema", 8, f"data[1].value: {NOT_A_FIGURE}")],
    ),
    (
        "10^16 target",
        KPI,
        "value: 60",
        "value: 10000000000000000",
        [("schema", 5, f"target.value: {TOO_LARGE}")],
    ),
    (
        "true tolerance",
        KPI,
        "better: higher",
        "better: higher\ntolerance: true",
        [("schema", 5, f"tolerance: {BOOLEAN}")],
    ),
    (
        "inf tolerance",
        KPI,
        "better: higher",
        "better: higher\ntolerance: .inf",
        [("schema", 5, "tolerance: Input should be a valid number")],
    ),
    (
        "true stale days",
        "sendplan.yaml",
        "stale_after_days: 45",
        "stale_after_days: true",
        [("schema", 3, "stale_after_days: Input should be a valid integer")],
    ),
    (
        "Arabic-Indic period",
        KPI,
        "period: 2024-05",
        f"period: {ARABIC_MONTH}",
        [("schema", 8, f"data[1].period: '{ARABIC_MONTH}' is not a period")],
    ),
    (
        "Arabic-Indic rating date",
        OBJECTIVE,
        "date: 2024-03-31",
        f"date: {ARABIC_DAY}",
        [("schema", 11, f"ratings[0].date: '{ARABIC_DAY}' is not a date")],
    ),
    (
        "due 9999-12",
        OBJECTIVE,
        "due: 2024-04",
        "due: 9999-12",
        [("schema", 6, f"due: '9999-12' {OUTSIDE} (1000 to 9998)")],
    ),
    (
        "due 0001-01",
        OBJECTIVE,
        "due: 2024-04",
        "due: 0001-01",
        [("schema", 6, f"due: '0001-01' {OUTSIDE}")],
    ),
    (
        "rating 0001-01-15",
        OBJECTIVE,
        "date: 2024-03-31",
        "date: 0001-01-15",
        [("schema", 11, f"ratings[0].date: '0001-01-15' {OUTSIDE}")],
    ),
    (
        "future done",
        OBJECTIVE,
        "due: 2024-04",
        "due: 2024-04\ndone: 2099-01-01",
        [("future-record", 7, "A1a:1: done dated 2099-01-01 is in the future")],
    ),
    (
        "future re-baseline",
        OBJECTIVE,
        "due: 2024-04",
        "due: 2024-04\ndue_history:\n  - {on: 2099-01-01, from: 2024-02, to: 2024-04, reason: x}",
        [("future-record", 8, "A1a:1: re-baseline dated 2099-01-01 is in the future")],
    ),
]


@pytest.mark.parametrize(
    ("what", "path", "old", "new", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_each_edge_in_a_plan_file_is_a_finding_on_its_line_and_json_stays_json(
    plan_copy: Callable[[str], Path],
    what: str,
    path: str,
    old: str,
    new: str,
    expected: list[tuple[str, int, str]],
) -> None:
    root = plan_copy("minimal")
    edit(root / path, old, new)
    code, output = run(root, "validate", "--format", "json")
    assert code == 1, output
    findings = strict_json(output)["findings"]  # type: ignore[index]
    got = [(f["code"], f["path"], f["line"], f["message"]) for f in findings]
    assert [(c, p, line) for c, p, line, _ in got] == [(c, path, line) for c, line, _ in expected]
    for (_, _, _, message), (_, _, start) in zip(got, expected, strict=True):
        assert message.startswith(start), (what, message)
    for args in (["report", "--format", "json"], ["export", "--format", "json"], ["flags"]):
        code, output = run(root, *args, "--month", "2024-06", "--allow-invalid")
        assert code in (0, 1), output
        if "json" in args:
            strict_json(output)
    code, output = run(root, "report", "--month", "2024-06", "--allow-invalid", "--format", "html")
    assert code == 0
    assert "Infinity" not in output
    assert "NaN" not in output


def test_a_kpi_changed_to_1_7e308_and_to_the_largest_figures_diffs_as_json(
    tmp_path: Path,
) -> None:
    root = init_repo(tmp_path / "plan", PLANS / "minimal")
    commit(root, "Base", when="2024-05-01T09:00:00+00:00")
    edit(root / KPI, "value: 40", "value: -1000000000000000")
    commit(root, "Smallest", when="2024-05-02T09:00:00+00:00")
    edit(root / KPI, "value: -1000000000000000", "value: 1000000000000000")
    commit(root, "Largest", when="2024-05-03T09:00:00+00:00")
    edit(root / KPI, "value: 1000000000000000", "value: " + "9" * 309)  # 1e309: inf as a float
    commit(root, "Too large", when="2024-05-04T09:00:00+00:00")
    for old, new in (("HEAD~2", "HEAD~1"), ("HEAD~1", "HEAD"), ("HEAD~3", "HEAD")):
        for fmt in ("json", "md", "text"):
            code, output = run(root, "diff", old, new, "--format", fmt)
            assert code in (0, 1), output
            if fmt == "json":
                strict_json(output)
            assert "inf" not in output.lower().replace("information", "")
    code, output = run(root, "history", "A1a:1", "--format", "json")  # cites k20
    assert code == 0, output
    strict_json(output)
