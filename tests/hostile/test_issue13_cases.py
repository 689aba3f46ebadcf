"""Every case in issue 13's "Why", and the test that replays it.

Most cases have their own module here; this one adds the review side of templates (`diff`
shows a reviewer what a pull request does to `templates/`) and checks that each case still
names a test that exists, so none is lost when tests move.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS
from tests.gitrepo import commit, init_repo

# (the case as the issue puts it, "module::test" replaying it)
CASES = [
    (
        "a committed template runs shell commands on report",
        "tests.hostile.test_templates::test_a_template_escape_runs_nothing_and_is_reported_on_its_line",
    ),
    (
        "a symlinked templates/report.css copies any file into the HTML",
        "tests.hostile.test_templates::test_a_symlinked_stylesheet_copies_no_file_into_the_report",
    ),
    (
        "validate and diff say nothing about templates",
        "tests.hostile.test_issue13_cases::test_diff_shows_a_reviewer_every_template_change",
    ),
    (
        "report runs git status, which executes core.fsmonitor",
        "tests.hostile.test_git_config::test_no_command_runs_the_plans_git_configuration",
    ),
    (
        "a folded note, YAML escape, en dash, Markdown emphasis or HTML entity passes validate",
        "tests.hostile.test_personal_data::"
        "test_each_form_of_an_nhs_number_is_found_on_its_line_and_redacted_in_the_report",
    ),
    (
        "diff and history print NHS numbers verbatim",
        "tests.hostile.test_personal_data::test_no_output_in_any_format_shows_the_number",
    ),
    (
        "20,000 unknown keys take minutes to validate",
        "tests.hostile.test_worst_cases::"
        "test_20000_unknown_keys_are_each_reported_on_their_line_from_two_parses",
    ),
    (
        "paths pointing at one 8 MiB blob end in MemoryError",
        "tests.test_history::test_diff_never_reads_paths_that_point_at_one_8_mib_blob",
    ),
    (
        "900 commits of one file end in MemoryError",
        "tests.test_history::test_history_of_900_commits_reads_each_version_within_the_budget",
    ),
    (
        "file names with escape sequences reach the terminal raw from report/flags/export",
        "tests.hostile.test_outputs::test_no_control_or_bidi_character_reaches_any_output",
    ),
    (
        "--as-of 9999-12-31, --month 9999-12 and --as-of 0001-01-15 give tracebacks",
        "tests.hostile.test_edges::test_dates_sendplan_cannot_work_with_are_a_usage_error_of_one_line",
    ),
    (
        "JSON output can contain Infinity",
        "tests.hostile.test_edges::"
        "test_each_edge_in_a_plan_file_is_a_finding_on_its_line_and_json_stays_json",
    ),
]  # the write path (20 parallel rate, report -o) is replayed by the write tests (item 5)


@pytest.mark.parametrize(("case", "test"), CASES, ids=[c[0] for c in CASES])
def test_each_case_of_the_issue_names_a_test_that_exists(case: str, test: str) -> None:
    module, name = test.split("::")
    assert callable(getattr(importlib.import_module(module), name, None)), case


def test_diff_shows_a_reviewer_every_template_change(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "plan", PLANS / "minimal")
    commit(root, "Base", when="2024-05-01T09:00:00+00:00")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    (root / "templates/report.css").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "secret.txt").write_text("token=abc123\n", encoding="utf-8")
    commit(root, "Restyle", when="2024-06-01T09:00:00+00:00")
    result = CliRunner().invoke(
        app, ["diff", "HEAD~1", "HEAD", "--format", "json", "--plan", str(root)]
    )
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)["changes"]
    assert [(c["change"], c["severity"], c["path"], c["message"]) for c in changes] == [
        (
            "template-changed",
            "warning",
            "templates/report.css",
            "template is now a symlink: report refuses templates that are symlinks",
        ),
        (
            "template-changed",
            "warning",
            "templates/report.md.j2",
            "template added: it changes how every report of this plan is rendered; review it",
        ),
    ]
    assert "abc123" not in result.output
