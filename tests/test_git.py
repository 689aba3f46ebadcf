"""git.py and the diff/history commands, on real temporary git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.comparison import diff_revisions
from sendplan.errors import SendplanError
from sendplan.git import HeadInfo, Repository, blob_id
from sendplan.load import load_plan
from sendplan.revisions import RevisionSource, resolve, source_at
from tests.conftest import PLANS
from tests.gitrepo import commit, edit, git, init_repo

runner = CliRunner()
BASE_DATE = "2024-06-01T09:00:00+01:00"
JUNE_DATE = "2024-06-21T16:30:00+01:00"


@pytest.fixture(autouse=True)
def _no_git_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GIT_DIR or GIT_INDEX_FILE from a surrounding hook must not redirect the tests."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)


def invoke(*args: str, cwd: Path) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def june_update(root: Path) -> None:
    """The acceptance change: a rating added, an old note edited, a deadline moved without a
    reason, a new evidence file cited and a past KPI value restated."""
    objective = root / "plan/I1/I1-1.yaml"
    objective.write_text(
        objective.read_text(encoding="utf-8")
        + "  - date: 2024-06-20\n    brag: amber\n    note: Pathway agreed in principle.\n",
        encoding="utf-8",
    )
    edit(objective, "evidence: [E2]", "evidence: [E2, E3]")
    (root / "evidence/E3.md").write_text(
        "---\nid: E3\ntitle: Pathway draft\nkind: document\n---\nThe draft pathway.\n",
        encoding="utf-8",
    )
    a1 = root / "plan/A1/A1a-1.yaml"
    edit(a1, "note: Mapping under way.", "note: Mapping under way, on track.")
    edit(a1, "due: 2024-04", "due: 2024-07")
    edit(root / "kpis/k20.yaml", "value: 40,", "value: 41,")


EXPECTED = [
    ("objective", "A1a:1", "history-rewritten", "error"),
    ("objective", "A1a:1", "silent-rebaseline", "warning"),
    ("objective", "I1:1", "rating-added", "info"),
    ("objective", "I1:1", "field-changed", "info"),
    ("evidence", "E3", "added", "info"),
    ("kpi", "k20", "kpi-restated", "warning"),
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The minimal plan committed once (the base of every diff here)."""
    root = init_repo(tmp_path / "plan-repo", PLANS / "minimal")
    commit(root, "Plan as agreed", when=BASE_DATE)
    return root


def changes_of(output: str) -> list[tuple[str, str, str, str]]:
    return [(c["kind"], c["id"], c["change"], c["severity"]) for c in json.loads(output)["changes"]]


@pytest.mark.slow
def test_acceptance_worktree_against_base(repo: Path) -> None:
    june_update(repo)
    code, out, _ = invoke("diff", "HEAD", "--format", "json", cwd=repo)
    assert code == 0
    assert changes_of(out) == EXPECTED
    document = json.loads(out)
    assert document["target"] == "worktree"
    assert document["base"] == "HEAD"
    assert [c["message"] for c in document["changes"]] == [
        'rating of 2024-03-31 was edited: note: "Mapping under way." -> '
        '"Mapping under way, on track."',
        "due moved from 2024-04-30 to 2024-07-31 with no due_history entry giving the reason; "
        "add one: {on: DATE, from: 2024-04-30, to: 2024-07-31, reason: ...}",
        "amber on 2024-06-20, up from red: Pathway agreed in principle.",
        "evidence: now cites E3",
        "added: Pathway draft",
        "2024-03 restated: 40% -> 41%",
    ]
    assert invoke("diff", "HEAD", "--check", cwd=repo)[0] == 1


@pytest.mark.slow
def test_acceptance_between_two_commits(repo: Path, golden: Callable[[str, str], None]) -> None:
    june_update(repo)
    commit(repo, "June ratings", when=JUNE_DATE, who="bob")
    code, out, _ = invoke("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert code == 0
    assert changes_of(out) == EXPECTED
    assert json.loads(out)["target"] == "HEAD"
    code, md, _ = invoke("diff", "HEAD~1", "HEAD", "--format", "md", "--check", cwd=repo)
    assert code == 1
    golden("diff.md", md)


@pytest.mark.slow
def test_acceptance_history_names_both_commits(repo: Path) -> None:
    june_update(repo)
    commit(repo, "June ratings", when=JUNE_DATE, who="bob")
    code, out, _ = invoke("history", "A1a:1", "--format", "json", cwd=repo)
    assert code == 0
    commits = json.loads(out)["commits"]
    assert [(c["subject"], c["author"], c["date"]) for c in commits] == [
        ("Plan as agreed", "Alice Officer", "2024-06-01T09:00:00+01:00"),
        ("June ratings", "Bob Owner", "2024-06-21T16:30:00+01:00"),
    ]
    assert [[ch["change"] for ch in c["changes"]] for c in commits] == [
        ["added"],
        ["history-rewritten", "silent-rebaseline"],
    ]
    code, text, _ = invoke("history", "A1a:1", cwd=repo)
    assert code == 0
    assert "Plan as agreed" in text
    assert "June ratings" in text
    assert "Bob Owner" in text


@pytest.mark.slow
def test_clean_worktree_has_no_changes(repo: Path) -> None:
    code, out, _ = invoke("diff", "HEAD", cwd=repo)
    assert code == 0
    assert out.rstrip().endswith("no changes")
    assert changes_of(invoke("diff", "HEAD", "-f", "json", cwd=repo)[1]) == []


@pytest.mark.slow
def test_untracked_plan_files_are_part_of_the_worktree(repo: Path) -> None:
    (repo / "plan/A1/A1b-1.yaml").write_text(
        "id: A1b:1\ntheme: A1b\ntitle: Review plans on time\nongoing: true\n", encoding="utf-8"
    )
    out = invoke("diff", "HEAD", "-f", "json", cwd=repo)[1]
    assert changes_of(out) == [("objective", "A1b:1", "added", "info")]


@pytest.mark.slow
def test_renamed_file_that_keeps_its_id_is_not_added_and_removed(repo: Path) -> None:
    git(repo, "mv", "plan/A1/A1a-1.yaml", "plan/A1/A1a-1.yml")
    git(repo, "mv", "evidence/E1.md", "evidence/E1.MD")
    commit(repo, "Rename", when=JUNE_DATE)
    assert changes_of(invoke("diff", "HEAD~1", "HEAD", "-f", "json", cwd=repo)[1]) == []


@pytest.mark.slow
def test_objective_moved_to_another_area_and_edited_is_two_field_changes(repo: Path) -> None:
    git(repo, "mv", "plan/A1/A1a-1.yaml", "plan/I1/A1a-1.yaml")
    edit(repo / "plan/I1/A1a-1.yaml", "theme: A1a\n", "")
    edit(repo / "plan/I1/A1a-1.yaml", "owner: Head of SEND", "owner: Director of SEND")
    commit(repo, "Move A1a:1 to I1", when=JUNE_DATE)
    out = invoke("diff", "HEAD~1", "HEAD", "-f", "json", cwd=repo)[1]
    assert [(c["change"], c["message"], c["path"]) for c in json.loads(out)["changes"]] == [
        ("field-changed", "area: A1 -> I1", "plan/I1/A1a-1.yaml"),
        ("field-changed", "theme: A1a -> —", "plan/I1/A1a-1.yaml"),
        ("field-changed", 'owner: "Head of SEND" -> "Director of SEND"', "plan/I1/A1a-1.yaml"),
    ]
    code, out, _ = invoke("history", "A1a:1", "-f", "json", cwd=repo)
    assert code == 0
    assert [c["subject"] for c in json.loads(out)["commits"]] == [
        "Plan as agreed",
        "Move A1a:1 to I1",
    ]


@pytest.mark.slow
def test_every_change_kind_between_commits(repo: Path) -> None:
    a1 = repo / "plan/A1/A1a-1.yaml"
    edit(
        a1,
        "due: 2024-04",
        "due: 2024-06\ndue_history:\n"
        "  - {on: 2024-04-20, from: 2024-04, to: 2024-06, reason: New case system}",
    )
    edit(a1, "owner: Head of SEND", "owner: Head of SEND\ndone: 2024-06-20")
    edit(
        repo / "kpis/k20.yaml",
        "value: 58.5, evidence: E1}",
        "value: 58.5, evidence: E1}\n  - {period: 2024-06, value: 61}",
    )
    (repo / "evidence/E2.md").unlink()
    edit(repo / "plan/I1/I1-1.yaml", "evidence: [E2]\n", "")
    edit(repo / "plan/A1/A1a-1.yaml", "evidence: [E1, E2]", "evidence: [E1]")
    edit(repo / "plan/A1/area.yaml", "title: Timely assessments", "title: Timely, good assessments")
    edit(repo / "sendplan.yaml", "stale_after_days: 45", "stale_after_days: 30")
    (repo / "kpis/k30.yaml").write_text("id: k30\ntitle: Tribunal appeals\n", encoding="utf-8")
    commit(repo, "Everything", when=JUNE_DATE)
    out = invoke("diff", "HEAD~1", "HEAD", "-f", "json", cwd=repo)[1]
    assert changes_of(out) == [
        ("objective", "A1a:1", "due-changed", "info"),
        ("objective", "A1a:1", "completed", "info"),
        ("objective", "A1a:1", "field-changed", "info"),
        ("objective", "I1:1", "field-changed", "info"),
        ("evidence", "E2", "removed", "warning"),
        ("kpi", "k20", "kpi-point-added", "info"),
        ("kpi", "k30", "added", "info"),
        ("area", "A1", "field-changed", "info"),
        ("config", "stale_after_days", "field-changed", "info"),
    ]
    assert invoke("diff", "HEAD~1", "HEAD", "--check", cwd=repo)[0] == 0


def test_deleting_a_rated_objective_fails_check(repo: Path) -> None:
    # Was a warning ("removed") before issue 16: a rated objective is withdrawn, not deleted.
    (repo / "plan/I1/I1-1.yaml").unlink()
    code, out, _ = invoke("diff", "HEAD", "-f", "json", "--check", cwd=repo)
    assert code == 1
    assert changes_of(out) == [("objective", "I1:1", "rated-objective-removed", "error")]


def test_unreadable_target_file_is_listed_not_reported_removed_and_fails_check(repo: Path) -> None:
    (repo / "plan/I1/I1-1.yaml").write_text("id: I1:1\ntitle: [unclosed\n", encoding="utf-8")
    code, out, _ = invoke("diff", "HEAD", "-f", "json", "--check", cwd=repo)
    assert code == 1
    document = json.loads(out)
    assert document["changes"] == []
    assert [(u["side"], u["path"]) for u in document["unreadable"]] == [
        ("target", "plan/I1/I1-1.yaml")
    ]


@pytest.mark.slow
def test_plan_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = init_repo(tmp_path / "council")
    shutil.copytree(PLANS / "minimal", top / "send" / "plan-2024")
    (top / "README.md").write_text("Council documents\n", encoding="utf-8")
    commit(top, "Plan as agreed", when=BASE_DATE)
    root = top / "send" / "plan-2024"
    june_update(root)
    code, out, _ = invoke("diff", "HEAD", "-f", "json", cwd=root / "plan")
    assert code == 0
    assert changes_of(out) == EXPECTED
    assert json.loads(out)["changes"][0]["path"] == "plan/A1/A1a-1.yaml"
    commit(top, "June ratings", when=JUNE_DATE, who="bob")
    assert changes_of(invoke("diff", "HEAD~1", "HEAD", "-f", "json", cwd=root)[1]) == EXPECTED
    code, out, _ = invoke("history", "I1:1", "-f", "json", "--plan", str(root), cwd=top)
    assert code == 0
    assert len(json.loads(out)["commits"]) == 2


@pytest.mark.slow
def test_shallow_clone_explains_what_to_do(repo: Path, tmp_path: Path) -> None:
    june_update(repo)
    commit(repo, "June ratings", when=JUNE_DATE, who="bob")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    code, _, err = invoke("diff", "HEAD~1", cwd=clone)
    assert code == 2
    assert "shallow clone" in err
    assert "git fetch --unshallow" in err
    assert "fetch-depth: 0" in err
    code, _, err = invoke("history", "A1a:1", cwd=clone)
    assert code == 2
    assert "shallow clone" in err
    assert "Traceback" not in err
    # What the clone does have still diffs, and validate never needs history.
    assert invoke("diff", "HEAD", cwd=clone)[0] == 0
    assert invoke("validate", cwd=clone)[0] == 0


@pytest.mark.slow
def test_validate_flags_report_work_without_git_and_diff_explains(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    assert not (root / ".git").exists()
    assert invoke("validate", cwd=root)[0] == 0
    assert invoke("flags", "--as-of", "2024-06-30", cwd=root)[0] == 0
    code, report, _ = invoke("report", "--month", "2024-06", "--format", "md", cwd=root)
    assert code == 0
    assert "Riverside SEND Improvement Plan" in report
    code, _, err = invoke("diff", "HEAD", cwd=root)
    assert code == 2
    assert "not inside a git repository" in " ".join(err.split())
    assert invoke("history", "A1a:1", cwd=root)[0] == 2


def test_git_executable_missing_exits_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sendplan.git.EXECUTABLE", "/nonexistent/git")
    code, _, err = invoke("diff", "HEAD", cwd=repo)
    assert code == 2
    assert "git is not installed" in " ".join(err.split())


def test_a_folder_that_is_gone_is_named_not_taken_for_a_missing_git(tmp_path: Path) -> None:
    from sendplan import git as git_module

    gone = tmp_path / "moved away"
    with pytest.raises(SendplanError) as raised:
        git_module._run(["status"], gone)
    assert str(raised.value) == (
        f"the folder {gone} does not exist (was it moved or removed?); run sendplan from the "
        "plan repository, or give its --plan"
    )


@pytest.mark.slow
def test_git_not_on_path_at_all_exits_2(repo: Path, tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path), "SYSTEMROOT": "C:\\Windows"}
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", "diff", "HEAD"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "git is not installed" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("hostile", ["-rf", "--output=OUT", "--exec=touch OUT", "-"])
def test_revision_that_looks_like_an_option_is_refused(repo: Path, hostile: str) -> None:
    out_file = repo.parent / "OUT"
    hostile = hostile.replace("OUT", str(out_file))
    for args in (("diff", "--", hostile), ("diff", "HEAD", "--", hostile)):
        code, _, err = invoke(*args, cwd=repo)
        assert code == 2
        assert "must not be empty or start with '-'" in " ".join(err.split())
    assert invoke("diff", hostile, cwd=repo)[0] == 2  # click: no such option
    assert not out_file.exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nope", "HEAD~5", "HEAD:plan", "HEAD^{tree}"])
def test_unknown_revision_exits_2(repo: Path, name: str) -> None:
    code, _, err = invoke("diff", name, cwd=repo)
    assert code == 2
    assert "unknown revision" in err


def test_history_of_unknown_objective_exits_2(repo: Path) -> None:
    code, _, err = invoke("history", "Z9:9", cwd=repo)
    assert code == 2
    assert "no commit changes objective Z9:9" in " ".join(err.split())


@pytest.mark.slow
def test_history_formats(repo: Path) -> None:
    edit(repo / "plan/I1/I1-1.yaml", "note: Pathway not agreed.", "note: Pathway not agreed.  ")
    commit(repo, "Whitespace", when=JUNE_DATE)
    code, md, _ = invoke("history", "I1:1", "-f", "md", cwd=repo)
    assert code == 0
    assert md.splitlines()[-1].endswith("| Whitespace |  | no change in plan terms |")
    assert "no change in plan terms" in invoke("history", "I1:1", cwd=repo)[1]


def test_text_output_prints_plan_text_literally(repo: Path) -> None:
    edit(
        repo / "plan/A1/A1a-1.yaml", "title: Map assessment timelines", 'title: "[/bold] [link=x]y"'
    )
    code, out, _ = invoke("diff", "HEAD", cwd=repo)
    assert code == 0
    assert '"[/bold] [link=x]y"' in out


def test_committed_symlink_is_never_followed(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: SECRET\ntitle: outside\nongoing: true\n", encoding="utf-8")
    (repo / "plan/A1/A1a-9.yaml").symlink_to(secret)
    commit(repo, "Symlink", when=JUNE_DATE)
    plan_repo = Repository(repo)
    source = source_at(plan_repo, resolve(plan_repo, "HEAD"))
    (linked,) = [f for f in source.files() if f.path == "plan/A1/A1a-9.yaml"]
    assert linked.outside
    loaded = load_plan(source)
    assert "SECRET" not in loaded.plan.objective_by_id
    assert [f.code for f in loaded.findings] == ["path-outside-plan"]
    result = diff_revisions(plan_repo, resolve(plan_repo, "HEAD~1"), resolve(plan_repo, "HEAD"))
    assert result.changes == []
    assert [(u.side, u.path) for u in result.unreadable] == [("target", "plan/A1/A1a-9.yaml")]


def test_submodule_entries_are_skipped(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},plan/A1/A1a-7.yaml")
    git(repo, "commit", "-q", "-m", "gitlink", when=JUNE_DATE)
    plan_repo = Repository(repo)
    source = source_at(plan_repo, resolve(plan_repo, "HEAD"))
    assert "plan/A1/A1a-7.yaml" not in [f.path for f in source.files()]
    assert load_plan(source).findings == []


def test_tree_source_reads_the_revision_not_the_worktree(repo: Path) -> None:
    june_update(repo)
    plan_repo = Repository(repo)
    source = source_at(plan_repo, resolve(plan_repo, "HEAD"))
    assert isinstance(source, RevisionSource)
    assert b"value: 40," in source.read("kpis/k20.yaml")
    assert source.file_state("evidence/E1.md") == "ok"
    assert source.file_state("evidence/E3.md") == "missing"
    assert source.file_state("evidence/../../etc/passwd") == "outside"
    with pytest.raises(FileNotFoundError):
        source.read("evidence/E3.md")
    loaded = load_plan(source)
    assert loaded.findings == []
    assert sorted(loaded.plan.evidence_by_id) == ["E1", "E2"]


def test_blob_id_matches_git_hash_object(repo: Path) -> None:
    data = (repo / "sendplan.yaml").read_bytes()
    assert blob_id(data) == git(repo, "hash-object", "sendplan.yaml").strip()


def test_plan_repo_outside_git_raises_sendplan_error(tmp_path: Path) -> None:
    with pytest.raises(SendplanError, match="not inside a git repository"):
        Repository(tmp_path)


def synthetic_plan(root: Path, objectives: int) -> Iterator[Path]:
    """A plan of `objectives` objectives over 10 areas; yields each objective's path."""
    (root / "sendplan.yaml").write_text("name: Synthetic plan\n", encoding="utf-8")
    for a in range(10):
        folder = root / "plan" / f"A{a}"
        folder.mkdir(parents=True)
        (folder / "area.yaml").write_text(
            f"id: A{a}\nkind: priority\ntitle: Area {a}\n", encoding="utf-8"
        )
    for i in range(objectives):
        path = root / "plan" / f"A{i % 10}" / f"A{i % 10}-{i}.yaml"
        path.write_text(
            f"id: A{i % 10}:{i}\ntitle: Objective {i}\nowner: Lead {i % 7}\ndue: 2024-09\n"
            "ratings:\n  - date: 2024-03-31\n    brag: amber\n    note: Under way.\n",
            encoding="utf-8",
        )
        yield path


@pytest.mark.slow
def test_only_changed_files_are_compared_and_all_changes_found(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "big")
    paths = list(synthetic_plan(root, 300))
    commit(root, "Synthetic plan", when=BASE_DATE)
    for path in paths[::30]:
        path.write_text(
            path.read_text(encoding="utf-8")
            + "  - date: 2024-06-30\n    brag: green\n    note: Done.\n",
            encoding="utf-8",
        )
    out = invoke("diff", "HEAD", "-f", "json", cwd=root)[1]
    assert [(c["id"], c["change"]) for c in json.loads(out)["changes"]] == [
        (f"A0:{i}", "rating-added") for i in range(0, 300, 30)
    ]


def test_objective_replaced_by_a_symlink_out_of_the_plan_is_unreadable_not_removed(
    repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((repo / "plan/I1/I1-1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "plan/I1/I1-1.yaml").unlink()
    (repo / "plan/I1/I1-1.yaml").symlink_to(outside)
    document = json.loads(invoke("diff", "HEAD", "-f", "json", cwd=repo)[1])
    assert document["changes"] == []
    assert document["unreadable"] == [
        {
            "side": "target",
            "path": "plan/I1/I1-1.yaml",
            "message": "path-outside-plan: symlink resolves outside the plan; "
            "plan files must live inside it",
        }
    ]


@pytest.mark.slow
def test_history_marks_a_commit_that_broke_the_file(repo: Path) -> None:
    (repo / "plan/I1/I1-1.yaml").write_text("id: I1:1\ntitle: [broken\n", encoding="utf-8")
    commit(repo, "Oops", when=JUNE_DATE)
    code, out, _ = invoke("history", "I1:1", "-f", "json", cwd=repo)
    assert code == 0
    last = json.loads(out)["commits"][-1]
    assert (last["subject"], last["unreadable"]) == ("Oops", ["plan/I1/I1-1.yaml"])
    # The objective is not reported removed just because its file stopped parsing.
    assert last["changes"] == []


@pytest.mark.slow
def test_control_characters_never_reach_the_terminal_or_markdown(repo: Path) -> None:
    edit(repo / "plan/A1/A1a-1.yaml", "note: Mapping under way.", 'note: "Red \\e[31m \\u202e"')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Evil \x1b[2J subject", when=JUNE_DATE)
    for args in (
        ("diff", "HEAD~1", "HEAD"),
        ("diff", "HEAD~1", "HEAD", "-f", "md"),
        ("history", "A1a:1"),
    ):
        code, out, _ = invoke(*args, cwd=repo)
        assert code == 0
        assert "\x1b" not in out
        assert "\u202e" not in out
    assert "Evil \\x1b[2J subject" in invoke("history", "A1a:1", cwd=repo)[1]
    document = json.loads(invoke("diff", "HEAD~1", "HEAD", "-f", "json", cwd=repo)[1])
    assert "\x1b[31m" in document["changes"][0]["message"]  # JSON keeps the exact text, escaped


# --- the report header: HEAD and whether the report's inputs changed since --------------------


def test_head_info_names_head_and_sees_only_real_changes_to_the_reports_inputs(
    repo: Path,
) -> None:
    from sendplan.git import head_info

    head = git(repo, "rev-parse", "HEAD").strip()
    assert head_info(repo) == HeadInfo(head, False)
    os.utime(repo / "plan/A1/A1a-1.yaml", (1, 1))  # touched, same bytes
    (repo / "README.md").write_text("Notes\n", encoding="utf-8")  # not a report input
    (repo / "plan" / "notes.txt").write_text("Notes\n", encoding="utf-8")
    assert head_info(repo) == HeadInfo(head, False)
    edit(repo / "plan/A1/A1a-1.yaml", "owner: Head of SEND", "owner: DCS")
    assert head_info(repo) == HeadInfo(head, True)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ["plan/A1/A1a-9.yaml", "evidence/E9.md", "templates/report.css", "sendplan.yaml"]
)
def test_head_info_counts_an_untracked_input_even_when_gitignore_hides_it(
    repo: Path, path: str
) -> None:
    from sendplan.git import head_info

    if path == "sendplan.yaml":
        git(repo, "rm", "-q", "--cached", "sendplan.yaml")
        git(repo, "commit", "-q", "-m", "untrack", when=JUNE_DATE)
    (repo / ".gitignore").write_text(f"{path}\n", encoding="utf-8")
    commit(repo, "ignore", when=JUNE_DATE)
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text("id: X\n", encoding="utf-8")
    info = head_info(repo)
    assert info is not None
    assert info.dirty


def test_head_info_is_none_without_git(plan_copy: Callable[[str], Path]) -> None:
    from sendplan.git import head_info

    assert head_info(plan_copy("minimal")) is None


# --- diff shows what a reviewer must see about the plan's own templates ------------------------


def template_changes(output: str) -> list[tuple[str, str, str]]:
    return [
        (c["id"], c["severity"], c["message"].split(":")[0])
        for c in json.loads(output)["changes"]
        if c["kind"] == "template"
    ]


@pytest.mark.slow
def test_template_changes_are_warnings_in_every_diff(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates/report.md.j2").write_text("# {{ report.header.plan }}\n", "utf-8")
    (repo / "templates/report.css").write_text("body {}\n", "utf-8")
    code, out, _ = invoke("diff", "HEAD", "-f", "json", cwd=repo)
    assert code == 0
    assert template_changes(out) == [
        ("templates/report.css", "warning", "template added"),
        ("templates/report.md.j2", "warning", "template added"),
    ]
    commit(repo, "Templates", when=JUNE_DATE)
    os.utime(repo / "templates/report.css", (1, 1))  # touched only: no change
    (repo / "templates/report.md.j2").write_text("# {{ report.header.month }}\n", "utf-8")
    out = invoke("diff", "HEAD", "-f", "json", cwd=repo)[1]
    assert template_changes(out) == [("templates/report.md.j2", "warning", "template edited")]
    commit(repo, "Edit template", when=JUNE_DATE)
    (repo / "templates/report.css").unlink()
    commit(repo, "Drop css", when=JUNE_DATE)
    out = invoke("diff", "HEAD~2", "HEAD", "-f", "json", cwd=repo)[1]
    assert template_changes(out) == [
        ("templates/report.css", "warning", "template removed"),
        ("templates/report.md.j2", "warning", "template edited"),
    ]
    md = invoke("diff", "HEAD~2", "HEAD", "-f", "md", cwd=repo)[1]
    assert "#### Report templates (templates/)" in md
    assert "| Path | Title | Change | Severity | Details |" in md
    assert invoke("diff", "HEAD~2", "HEAD", "--check", cwd=repo)[0] == 0  # a warning only


# --- git that cannot run, is too old or answers what it should not ----------------------------

posix_only = pytest.mark.skipif(os.name == "nt", reason="a fake git is a shell script")


def fake_git(folder: Path, script: str) -> str:
    """An executable shell script standing in for git."""
    path = folder / "fake-git"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_git_that_does_not_finish_is_stopped_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sendplan.git as git_module

    seen: list[float] = []

    def hanging_run(command: list[str], **kwargs: object) -> object:
        seen.append(kwargs["timeout"])  # type: ignore[arg-type]
        raise subprocess.TimeoutExpired(command, git_module.TIMEOUT)

    monkeypatch.setattr(subprocess, "run", hanging_run)
    with pytest.raises(SendplanError) as raised:
        git_module._run(["cat-file", "--batch"], tmp_path)
    assert str(raised.value) == (
        "git cat-file did not finish within 120 s; is something in .git blocking it "
        "(a FIFO, a network mount)?"
    )
    assert seen == [120.0]


@posix_only
def test_git_that_cannot_be_started_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sendplan.git as git_module

    not_executable = tmp_path / "git"
    not_executable.write_text("#!/bin/sh\n", encoding="utf-8")
    not_executable.chmod(0o644)  # no execute bit: refused even to root
    monkeypatch.setattr(git_module, "EXECUTABLE", str(not_executable))
    with pytest.raises(SendplanError) as raised:
        git_module._run(["version"], None)
    assert str(raised.value) == "could not run git: Permission denied"


@posix_only
@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("git version 2.30.9", "git 2.30.9 is too old"),
        ("git version 1.8", "git 1.8.0 is too old"),
        ("no version here", "git 0.0.0 is too old"),
    ],
)
def test_git_older_than_2_31_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repo: Path, answer: str, message: str
) -> None:
    import sendplan.git as git_module

    monkeypatch.setattr(git_module, "_version", None)  # not the real git's, cached
    monkeypatch.setattr(git_module, "EXECUTABLE", fake_git(tmp_path, f"echo '{answer}'"))
    expected = (
        f"{message}: sendplan needs git 2.31 or later to keep a plan's git configuration "
        "from running programs; install a newer git"
    )
    with pytest.raises(SendplanError) as raised:
        Repository(repo)
    assert str(raised.value) == expected
    assert git_module.head_info(repo) is None
    assert git_module.missing_commits(repo, ["a" * 40]) == set()  # cannot be known
    assert git_module.init_repository(tmp_path / "new") is False
    assert not (tmp_path / "new").exists()


def test_init_repository_where_no_folder_can_be_made_returns_false(tmp_path: Path) -> None:
    from sendplan.git import init_repository

    a_file = tmp_path / "plan"
    a_file.write_text("not a folder\n", encoding="utf-8")
    assert init_repository(a_file) is False  # both the --initial-branch call and the retry fail
    assert a_file.read_text(encoding="utf-8") == "not a folder\n"
    assert init_repository(tmp_path / "fresh") is False  # git does not create the folder
    (tmp_path / "fresh").mkdir()
    assert init_repository(tmp_path / "fresh") is True
    assert git(tmp_path / "fresh", "symbolic-ref", "HEAD").strip() == "refs/heads/main"


@posix_only
def test_file_blob_id_of_a_symlink_is_git_s_id_of_its_target_name(repo: Path) -> None:
    from sendplan.git import file_blob_id

    link = repo / "evidence/link.md"
    link.symlink_to("E1.md")
    git(repo, "add", "evidence/link.md")
    staged = git(repo, "ls-files", "-s", "evidence/link.md").split()
    assert staged[0] == "120000"
    assert file_blob_id(link) == staged[1] == blob_id(b"E1.md")
    assert file_blob_id(link, "sha256") == blob_id(b"E1.md", "sha256")


def test_file_blob_id_of_what_cannot_be_read_is_none(repo: Path) -> None:
    from sendplan.git import file_blob_id

    assert file_blob_id(repo / "no-such-file.yaml") is None
    assert file_blob_id(repo / "plan") is None  # a folder
    data = (repo / "sendplan.yaml").read_bytes()
    assert file_blob_id(repo / "sendplan.yaml") == blob_id(data)


@pytest.mark.parametrize(
    "output",
    [
        b"garbage\0plan/A1/A1a-1.yaml\0",
        b":100644 100644 abc def M\0plan/A1/A1a-1.yaml\0",
        b"\0plan/A1/A1a-1.yaml\0",
    ],
)
def test_a_change_list_git_should_not_give_is_an_error(output: bytes) -> None:
    from sendplan.git import _parse_raw

    with pytest.raises(SendplanError) as raised:
        list(_parse_raw(output))
    assert str(raised.value) == "could not read git's list of changed files"


def test_a_change_list_is_read_field_by_field() -> None:
    from sendplan.git import RawChange, TreeEntry, _parse_raw

    a, b = "a" * 40, "b" * 40
    output = (
        f":100644 100644 {a} {b} M\0plan/x.yaml\0:000000 100644 {'0' * 40} {b} A\0new\0".encode()
    )
    assert list(_parse_raw(output)) == [
        RawChange("M", "plan/x.yaml", TreeEntry("100644", a, -1), TreeEntry("100644", b, -1)),
        RawChange("A", "new", None, TreeEntry("100644", b, -1)),
    ]


@pytest.mark.parametrize(
    "output",
    [
        b"not a commit\0",  # text where a commit's marker should be
        b"\x1e" + b"c" * 40 + b"\x002024-06-01T09:00:00+00:00\x001717232400",  # fields cut short
    ],
    ids=["no-marker", "cut-short"],
)
def test_a_log_git_should_not_give_is_an_error(output: bytes) -> None:
    from sendplan.git import _parse_log

    with pytest.raises(SendplanError) as raised:
        list(_parse_log(output))
    assert str(raised.value) == "could not read git's log of the plan"


def test_a_log_skips_blank_tokens_and_reads_a_bad_timestamp_as_zero() -> None:
    from sendplan.git import Commit, _parse_log

    sha = "c" * 40
    output = b"\n\0\x1e" + sha.encode() + b"\0when\0soon\0Alice\0Subject\0\n"
    assert list(_parse_log(output)) == [Commit(sha, "when", 0, "Alice", "Subject", ())]


def test_batch_answers_for_missing_objects_are_left_out(repo: Path) -> None:
    from sendplan.git import _parse_batch

    repository = Repository(repo)
    wanted = repository.tree("HEAD", ["sendplan.yaml"])["sendplan.yaml"].sha
    absent = "1" * 40
    contents = repository.read_objects([absent, wanted, wanted])
    assert contents == {wanted: (repo / "sendplan.yaml").read_bytes()}
    assert repository.sizes([absent, wanted]) == {wanted: len(contents[wanted])}
    assert repository.read_objects([]) == {}
    assert repository.sizes([]) == {}
    assert list(_parse_batch(f"{absent} missing\n".encode())) == []


def test_missing_commits_of_no_commits_is_empty_and_of_unknown_ones_is_them(repo: Path) -> None:
    from sendplan.git import missing_commits

    head = git(repo, "rev-parse", "HEAD").strip()
    assert missing_commits(repo, []) == set()
    assert missing_commits(repo, [head, head]) == set()
    assert missing_commits(repo, [head, "d" * 40, "not-a-sha"]) == {"d" * 40, "not-a-sha"}


def test_head_info_of_a_repository_without_commits_is_none(tmp_path: Path) -> None:
    from sendplan.git import head_info

    root = init_repo(tmp_path / "new-plan", PLANS / "minimal")
    assert head_info(root) is None
    commit(root, "Plan as agreed", when=BASE_DATE)
    head = git(root, "rev-parse", "HEAD").strip()
    assert head_info(root) == HeadInfo(head, False)


def test_head_info_counts_a_deleted_plan_file_as_a_change(repo: Path) -> None:
    from sendplan.git import head_info

    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / "evidence/E1.md").unlink()
    assert head_info(repo) == HeadInfo(head, True)


def test_report_inputs_are_plan_files_and_templates_under_the_plan_root(tmp_path: Path) -> None:
    from sendplan.git import report_input

    top = init_repo(tmp_path / "council")
    shutil.copytree(PLANS / "minimal", top / "send")
    (top / "README.md").write_text("Council documents\n", encoding="utf-8")
    commit(top, "Plan as agreed", when=BASE_DATE)
    repository = Repository(top / "send")
    assert repository.prefix == "send/"
    assert [
        report_input(repository, path)
        for path in (
            "README.md",  # outside the plan root
            "plan/A1/A1a-1.yaml",  # a plan's path, but from the top: outside too
            "send/plan/A1/A1a-1.yaml",
            "send/templates/report.css",
            "send/sendplan.yaml",
            "send/notes.txt",
        )
    ] == [False, False, True, True, True, False]


def test_a_staged_change_to_an_assume_unchanged_file_is_listed_once(repo: Path) -> None:
    path = "plan/A1/A1a-1.yaml"
    edit(repo / path, "owner: Head of SEND", "owner: DCS")
    git(repo, "add", path)
    git(repo, "update-index", "--assume-unchanged", path)
    changes = Repository(repo).changed_in_worktree("HEAD")
    assert [(c.status, c.path) for c in changes] == [("M", path)]
    staged = git(repo, "ls-files", "-s", path).split()[1]
    assert changes[0].new is not None
    assert changes[0].new.sha == staged


def test_an_unchanged_assume_unchanged_file_is_no_change(repo: Path) -> None:
    path = "plan/A1/A1a-1.yaml"
    git(repo, "update-index", "--assume-unchanged", path)
    assert Repository(repo).changed_in_worktree("HEAD") == []
    edit(repo / path, "owner: Head of SEND", "owner: DCS")  # git is told not to look
    assert [(c.status, c.path) for c in Repository(repo).changed_in_worktree("HEAD")] == [
        ("M", path)
    ]


@pytest.mark.parametrize(
    ("settings", "partial"),
    [
        ([], False),
        ([("remote.origin.promisor", "false")], False),
        ([("remote.origin.promisor", "true")], True),
        ([("remote.origin.url", "https://example.org/plan.git"), ("remote.origin.promisor", "on")],
         True),
        ([("extensions.partialClone", "origin")], True),
    ],
)  # fmt: skip
def test_a_partial_clone_is_recognised_by_its_promisor_settings(
    repo: Path, settings: list[tuple[str, str]], partial: bool
) -> None:
    for key, value in settings:
        git(repo, "config", key, value)
    repository = Repository(repo)
    assert repository.partial is partial
    head = git(repo, "rev-parse", "HEAD").strip()
    assert repository.askable([head, "f" * 40]) == ([head] if partial else [head, "f" * 40])


def test_a_diff_lists_as_unreadable_only_files_with_errors(
    plan_copy: Callable[[str], Path],
) -> None:
    """A warning (a comment cut from a title, a stray file) leaves the file compared."""
    from sendplan.comparison import diff_loaded
    from sendplan.sources import FolderSource

    base = plan_copy("minimal")
    target = base.parent / "target"
    shutil.copytree(base, target)
    objective = target / "plan/I1/I1-1.yaml"
    edit(objective, "title: Preparation for adulthood pathway", "title: Preparation #2 pathway")
    (target / "plan/I1/old").mkdir()
    (target / "plan/I1/old/I1-9.yaml").write_text("id: I1:9\n", encoding="utf-8")  # stray
    (target / "kpis/k20.yaml").write_text("id: k20\ntitle: [broken\n", encoding="utf-8")
    new = load_plan(FolderSource(target))
    assert sorted((f.code, str(f.severity)) for f in new.findings) == [
        ("comment-in-text", "warning"),
        ("stray-file", "warning"),
        ("yaml-syntax", "error"),
    ]
    result = diff_loaded(load_plan(FolderSource(base)), new)
    assert [(c.kind, c.id, c.change, c.message) for c in result.changes] == [
        ("objective", "I1:1", "field-changed",
         'title: "Preparation for adulthood pathway" -> "Preparation"'),
    ]  # fmt: skip
    assert [(u.side, u.path, u.message) for u in result.unreadable] == [
        ("target", "kpis/k20.yaml", "yaml-syntax: YAML syntax: did not find expected ',' or ']'"),
    ]
