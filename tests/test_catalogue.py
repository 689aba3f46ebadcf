"""The finding catalogue: every code declared once, `sendplan checks`, docs/checks.md, and
`checks:` in sendplan.yaml (issue 14)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan import catalogue
from sendplan.catalogue import Severity, all_codes, declared
from sendplan.checks import ALL_CHECKS, run_checks
from sendplan.cli import app
from sendplan.comparison import diff_loaded
from sendplan.findings import Finding, apply, change, finding
from sendplan.load import load_plan
from sendplan.sources import FolderSource
from tests.conftest import REPO

TODAY = date(2024, 7, 1)
SPEC_CODES = [  # SPEC §4's finding codes, then its diff changes
    *("yaml-syntax", "duplicate-key", "schema", "unknown-key", "duplicate-id"),
    *("id-filename-mismatch", "unknown-evidence", "unknown-kpi", "unknown-area"),
    *("unknown-theme", "unknown-support", "ratings-order", "future-rating", "due-history"),
    *("evidence-file-missing", "path-outside-plan", "personal-data", "orphan-evidence"),
    *("missing-owner", "unevidenced-rating", "history-rewritten", "silent-rebaseline"),
    *("added", "removed", "rating-added", "due-changed", "completed", "field-changed"),
    *("kpi-point-added", "kpi-restated"),
]
runner = CliRunner()


def test_every_code_is_declared_once_with_what_a_user_needs() -> None:
    codes = all_codes()
    names = [c.name for c in codes]
    assert len(names) == len(set(names))
    assert set(SPEC_CODES) <= set(names)
    for c in codes:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", c.name), c.name
        assert c.stage in catalogue.STAGES
        assert c.summary.endswith("."), c.name
        assert "\n" not in c.summary + c.explanation, c.name
    checks = [each.code for each in ALL_CHECKS]
    assert all(c.stage == "check" for c in checks if c.name != "path-outside-plan")
    assert declared("path-outside-plan") in checks  # the loader's code, raised by a check too


def test_integrity_codes_are_locked_and_advice_codes_are_not() -> None:
    by_name = {c.name: c for c in all_codes()}
    for name in ("yaml-syntax", "schema", "personal-data", "history-rewritten", "unknown-key"):
        assert by_name[name].locked, name
        assert by_name[name].severity is Severity.ERROR
    for name in ("missing-owner", "orphan-evidence", "unknown-evidence", "silent-rebaseline"):
        assert not by_name[name].locked, name


def test_sendplan_checks_json_lists_every_spec_code_with_severity_and_explanation() -> None:
    result = runner.invoke(app, ["checks", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    entries = {e["code"]: e for e in json.loads(result.output)["codes"]}
    assert set(SPEC_CODES) <= set(entries)
    assert entries["missing-owner"] == {
        "code": "missing-owner",
        "severity": "warning",
        "stage": "check",
        "locked": False,
        "summary": "An objective names the role accountable for it.",
        "explanation": "The board asks who is accountable for every objective; the report "
        'shows "Not named".',
        "bad": "id: PAP3A:1\ntitle: Map statutory EHCP timelines",
        "good": "id: PAP3A:1\ntitle: Map statutory EHCP timelines\nowner: Head of SEND",
    }
    assert all(e["severity"] in ("info", "warning", "error") for e in entries.values())


def test_sendplan_checks_text_lists_one_code_per_line() -> None:
    result = runner.invoke(app, ["checks"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(all_codes())
    assert re.fullmatch(r"personal-data +error +load +locked +A line looks like .*", lines[4])


def test_docs_checks_md_is_generated_from_the_catalogue() -> None:
    page = (REPO / "docs/checks.md").read_text(encoding="utf-8")
    assert page == catalogue.as_markdown(all_codes()), "docs/checks.md is stale: run make docs"
    for c in all_codes():
        assert f"\n### {c.name}\n" in page
        assert f"| [`{c.name}`](#{c.name}) | {c.severity} | {c.stage} |" in page


def test_the_factories_take_the_catalogues_severity_and_redact() -> None:
    nhs = "943 476 5919"
    made = finding("stray-file", "plan/x/y/z.yaml", 0, 0, f"has {nhs}", "A1")
    assert made == Finding(
        "plan/x/y/z.yaml", 0, 0, "stray-file", Severity.WARNING, made.message, "A1"
    )
    assert nhs not in made.message
    moved = change("objective", "A1", "silent-rebaseline", f"note {nhs}", "p.yaml", f"T {nhs}")
    assert (moved.change, moved.severity) == ("silent-rebaseline", Severity.WARNING)
    assert nhs not in moved.message + moved.title
    with pytest.raises(KeyError):
        finding("no-such-code", "x", 0, 0, "m")
    assert str(made) == f"plan/x/y/z.yaml:0:0: stray-file: {made.message}"


def test_policy_changes_severities_and_refuses_unknown_and_locked_codes() -> None:
    policy, refused = catalogue.policy(
        {
            "missing-owner": "off",
            "orphan-evidence": "error",
            "silent-rebaseline": False,
            "ratings-order": "error",
            "personal-data": "off",
            "history-rewritten": "warning",
            "missing-owners": "off",
        },
        all_codes(),
    )
    assert [(r.name, r.code) for r in refused] == [
        ("personal-data", "locked-check"),
        ("history-rewritten", "locked-check"),
        ("missing-owners", "unknown-check"),
    ]
    assert "cannot be turned off" in refused[0].message
    assert "cannot be made a warning" in refused[1].message
    assert policy.severity("missing-owner", Severity.WARNING) is None
    assert policy.severity("silent-rebaseline", Severity.WARNING) is None
    assert policy.severity("orphan-evidence", Severity.WARNING) is Severity.ERROR
    assert policy.severity("ratings-order", Severity.ERROR) is Severity.ERROR
    assert policy.severity("personal-data", Severity.ERROR) is Severity.ERROR
    kept = apply(policy, [finding("ambiguous-boolean", "a", 1, 1, "m")])
    assert [f.severity for f in kept] == [Severity.ERROR]


# --- checks: in a plan's sendplan.yaml ----------------------------------------------------------


def _settings(root: Path, checks: str) -> None:
    path = root / "sendplan.yaml"
    path.write_text(path.read_text(encoding="utf-8") + checks, encoding="utf-8")


def _findings(root: Path) -> list[tuple[str, str, int]]:
    found = run_checks(load_plan(FolderSource(root)), TODAY)
    return [(f.code, str(f.severity), f.line) for f in found]


def _orphan_and_ownerless(root: Path) -> None:
    (root / "evidence/E9.md").write_text("---\nid: E9\ntitle: Nobody cites me\n---\n")
    objective = root / "plan/I1/I1-1.yaml"
    text = objective.read_text(encoding="utf-8").replace("owner: Transitions lead\n", "")
    objective.write_text(text, encoding="utf-8")


def test_a_plan_silences_one_code_and_makes_another_an_error(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    _orphan_and_ownerless(root)
    assert _findings(root) == [("orphan-evidence", "warning", 2), ("missing-owner", "warning", 1)]
    _settings(root, "checks:\n  missing-owner: off\n  orphan-evidence: error\n")
    assert _findings(root) == [("orphan-evidence", "error", 2)]
    result = runner.invoke(app, ["validate", "--plan", str(root)], catch_exceptions=False)
    assert result.exit_code == 1


def test_personal_data_off_is_refused_with_a_finding_and_still_reported(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    evidence = root / "evidence/E1.md"
    evidence.write_text(evidence.read_text() + "Child NHS number 943 476 5919.\n")
    _settings(root, "checks: {personal-data: off, missing-owner: false}\n")
    found = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.path, f.code, str(f.severity), f.line) for f in found] == [
        ("evidence/E1.md", "personal-data", "error", 8),
        ("sendplan.yaml", "locked-check", "error", 5),
    ]
    assert found[1].message == (
        "checks: personal-data protects the plan's integrity and cannot be turned off; "
        "the setting is ignored"
    )


def test_an_unknown_code_is_a_finding_on_its_line_and_off_is_not_ambiguous(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    _settings(root, "checks:\n  missing-owner: off\n  orphan-evidense: off\n")
    assert _findings(root) == [("unknown-check", "error", 7)]


def test_a_bad_severity_is_a_schema_error(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    _settings(root, "checks:\n  missing-owner: ignore\n")
    assert _findings(root) == [("schema", "error", 6)]


def test_the_target_plans_checks_set_a_diffs_severities(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    base = plan_copy("minimal")
    target = tmp_path / "target"
    target.mkdir()
    shutil.copytree(base, target, dirs_exist_ok=True)
    objective = target / "plan/A1/A1a-1.yaml"
    objective.write_text(objective.read_text().replace("due: 2024-04", "due: 2024-09"))
    old, new = load_plan(FolderSource(base)), load_plan(FolderSource(target))
    moved = diff_loaded(old, new)
    assert [(c.change, str(c.severity)) for c in moved.changes] == [
        ("silent-rebaseline", "warning")
    ]
    assert not moved.failed
    _settings(target, "checks: {silent-rebaseline: error}\n")
    stricter = diff_loaded(old, load_plan(FolderSource(target)))
    assert [(c.change, str(c.severity)) for c in stricter.changes] == [
        ("silent-rebaseline", "error")
    ]
    assert stricter.failed


def test_sendplan_checks_md_prints_the_page_make_docs_writes() -> None:
    result = runner.invoke(app, ["checks", "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == (REPO / "docs/checks.md").read_text(encoding="utf-8")
