"""SPEC §8 end to end on a real git repository: approve, the approved month's report,
post-approval changes, --as-approved, withdrawal instead of deletion, history marks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS, TODAY
from tests.gitrepo import commit, git, init_repo

runner = CliRunner()
MAY_COMMIT_DATE = "2024-06-03T10:00:00+01:00"
APPROVAL_COMMIT_DATE = "2024-06-27T09:00:00+01:00"
LATE_DATE = "2024-06-28T15:00:00+01:00"
BOARD = "Brookfield Improvement Board"
LATE_MAY_RATING = "  - date: 2024-05-28\n    brag: red\n    note: Therapy provider withdrew.\n"


@pytest.fixture(autouse=True)
def _fixed_clock_and_no_git_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    for module in ("app", "signoff"):  # validate reads the clock through cli/app.py
        monkeypatch.setattr(sys.modules[f"sendplan.cli.{module}"], "today", lambda: TODAY)


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The signoff fixture plan, committed as it stood when May's report was made."""
    root = init_repo(tmp_path / "plan", PLANS / "signoff")
    commit(root, "Plan as reported for May", when=MAY_COMMIT_DATE)
    return root


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def approve_may(root: Path) -> str:
    """`sendplan approve` for May 2024, committed; the commit the approval names."""
    approved = head(root)
    code, out, err = invoke(
        root, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26",
        "--by", "Independent chair",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"2024-05: approved by {BOARD} on 2024-06-26, commit {approved}",
        "wrote approvals/2024-05.yaml; next: git add approvals/2024-05.yaml && git commit",
    ]
    commit(root, "Board approval of the May report", when=APPROVAL_COMMIT_DATE)
    return approved


def add_late_may_rating(root: Path) -> None:
    path = root / "plan/B1/B1-2.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - date: 2024-06-12\n"
    path.write_text(text.replace(marker, LATE_MAY_RATING + marker), encoding="utf-8")


@pytest.mark.slow
def test_approve_writes_the_file_and_the_months_report_names_it(repo: Path) -> None:
    approved = approve_may(repo)
    assert (repo / "approvals/2024-05.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.sendplan/schemas/approval.schema.json\n"
        "month: 2024-05\n"
        f"board: {BOARD}\n"
        "date: 2024-06-26\n"
        f"commit: {approved}\n"
        "by: Independent chair\n"
    )
    assert invoke(repo, "validate")[0] == 0
    code, out, _ = invoke(repo, "report", "--month", "2024-05")
    assert code == 0
    assert (
        f"**Approved** by {BOARD} on 26 June 2024 (Independent chair), from commit "
        f"`{approved[:12]}`. No change since then alters this month.\n"
    ) in out
    assert "Changes since approval" not in out
    code, out, _ = invoke(repo, "report", "--month", "2024-06")
    assert "**Not approved:** no board approval of the June 2024 report is recorded.\n" in out


@pytest.mark.slow
def test_a_late_rating_in_the_approved_month_fails_check_and_shows_in_its_report(
    repo: Path,
) -> None:
    approved = approve_may(repo)
    add_late_may_rating(repo)
    commit(repo, "Record May's red rating late", when=LATE_DATE)

    code, out, _ = invoke(repo, "diff", approved, "--check", "--format", "json")
    assert code == 1
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["id"], c["change"], c["severity"], c["path"]) for c in changes] == [
        ("objective", "B1:2", "post-approval-change", "error", "plan/B1/B1-2.yaml"),
        ("approval", "2024-05", "added", "info", "approvals/2024-05.yaml"),
    ]
    assert changes[0]["message"] == (
        "rating dated 2024-05-28 (red) was inserted before the latest existing rating "
        f"(2024-06-12) (after the May 2024 report approved by {BOARD} on 26 June 2024)"
    )

    code, out, _ = invoke(repo, "report", "--month", "2024-05")
    assert code == 0
    assert "1 change since then alters this month: see Changes since approval.\n" in out
    assert "## 2. Changes since approval\n" in out
    assert (
        "| objective | B1:2 | Cut waiting times for therapy | post-approval-change | error | "
        "rating dated 2024-05-28 (red) was inserted before the latest existing rating "
        f"(2024-06-12) (after the May 2024 report approved by {BOARD} on 26 June 2024) |"
    ) in out
    # The late rating is part of the month as reported now ...
    assert "| B1:2 | Cut waiting times for therapy | Red (28 May 2024) |" in out

    code, out, _ = invoke(repo, "report", "--month", "2024-05", "--as-approved", "-f", "json")
    assert code == 0
    view = json.loads(out)
    assert view["header"]["commit"] == approved
    assert view["header"]["approval"]["as_approved"] is True
    assert view["since_approval"] == []
    # ... but not of what the board saw.
    rows = [t for a in view["objectives"] for th in a["themes"] for t in th["objectives"]]
    assert {r["id"]: (r["rating"], r["rating_date"]) for r in rows}["B1:2"] == (
        "amber",
        "2024-04-20",
    )
    code, md, _ = invoke(repo, "report", "--month", "2024-05", "--as-approved")
    assert f"**As approved:** the plan as it was at commit `{approved[:12]}`" in md
    assert "Changes since approval" not in md


@pytest.mark.slow
def test_history_marks_which_commits_the_board_approved(repo: Path) -> None:
    approve_may(repo)
    add_late_may_rating(repo)
    commit(repo, "Record May's red rating late", when=LATE_DATE)
    code, out, _ = invoke(repo, "history", "B1:2", "--format", "json")
    assert code == 0
    commits = json.loads(out)["commits"]
    assert [(c["subject"], c["approved"] and c["approved"]["month"]) for c in commits] == [
        ("Plan as reported for May", "2024-05"),
        ("Record May's red rating late", None),
    ]
    assert commits[0]["approved"]["board"] == BOARD
    assert commits[0]["approved"]["date"] == "2024-06-26"
    code, text, _ = invoke(repo, "history", "B1:2")
    assert f"  approved: May 2024 report, {BOARD}, 26 June 2024\n" in text


@pytest.mark.slow
def test_deleting_a_rated_objective_fails_check_and_withdrawing_it_passes(repo: Path) -> None:
    approve_may(repo)
    path = repo / "plan/B1/B1-2.yaml"
    original = path.read_bytes()
    path.unlink()
    code, out, _ = invoke(repo, "diff", "HEAD", "--check", "--format", "json")
    assert code == 1
    assert [(c["id"], c["change"], c["severity"]) for c in json.loads(out)["changes"]] == [
        ("B1:2", "rated-objective-removed", "error")
    ]
    path.write_bytes(original)

    code, out, err = invoke(
        repo, "withdraw", "B1:2", "--reason", "Merged into B1:1", "--on", "2024-06-30"
    )
    assert (code, err) == (0, "")
    assert out == "B1:2: withdrawn on 2024-06-30 (plan/B1/B1-2.yaml; keeps 2 ratings)\n"
    assert (
        path.read_bytes() == original + b"withdrawn: {on: 2024-06-30, reason: Merged into B1:1}\n"
    )
    code, out, _ = invoke(repo, "diff", "HEAD", "--check", "--format", "json")
    assert code == 0
    assert [(c["id"], c["change"], c["severity"]) for c in json.loads(out)["changes"]] == [
        ("B1:2", "withdrawn", "info")
    ]
    code, out, _ = invoke(repo, "report", "--month", "2024-06")
    assert code == 0
    assert "3 objectives (2 withdrawn, not counted: see Withdrawn).\n" in out
    assert "## 7. Withdrawn\n" in out
    assert (
        "| B1:2 | Cut waiting times for therapy | B1 | 30 Jun 2024 | Merged into B1:1 | "
        "Amber (12 Jun 2024) |"
    ) in out


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--month", "2024-05", "--date", "2024-06-30"),
            "sendplan: 2024-05 is already approved (approvals/2024-05.yaml); an approval "
            "records what a board decided and is not rewritten",
        ),
        (
            ("--month", "2024-06", "--date", "2024-07-02"),
            "sendplan: 2024-07-02 is in the future (today is 2024-07-01); record an approval on "
            "or after the meeting that gave it",
        ),
        (
            ("--month", "2024-06", "--date", "2024-06-30", "--commit", "deadbeef"),
            "sendplan: no commit to approve: unknown revision 'deadbeef': name a commit, branch "
            "or tag of this repository (run: git log --oneline, or git fetch to get a remote "
            "branch)",
        ),
    ],
    ids=["approved-twice", "future-date", "unknown-revision"],
)
def test_each_refusal_of_approve_exits_1_and_writes_nothing(
    repo: Path, args: tuple[str, ...], message: str
) -> None:
    approve_may(repo)
    before = snapshot(repo)
    code, out, err = invoke(repo, "approve", "--board", BOARD, *args)
    assert (code, out) == (1, "")
    assert " ".join(err.split()) == message
    assert snapshot(repo) == before


def test_approve_refuses_uncommitted_plan_changes_unless_a_commit_is_named(repo: Path) -> None:
    add_late_may_rating(repo)
    before = snapshot(repo)
    code, out, err = invoke(
        repo, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26"
    )
    assert (code, out) == (1, "")
    assert " ".join(err.split()) == (
        "sendplan: the plan has uncommitted changes (plan/B1/B1-2.yaml), so HEAD is not what "
        "the report was made from; commit them first, or name the commit the approved report "
        "came from with --commit REV"
    )
    assert snapshot(repo) == before
    # Naming the commit the report came from is allowed: the file records its full hash.
    code, _, _ = invoke(
        repo, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26",
        "--commit", "HEAD",
    )  # fmt: skip
    assert code == 0
    assert f"commit: {head(repo)}\n" in (repo / "approvals/2024-05.yaml").read_text()


def test_approve_outside_git_refuses(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(PLANS / "signoff", root)
    code, _, err = invoke(
        root, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26"
    )
    assert code == 1
    assert "no commit to approve:" in err
    assert not (root / "approvals").exists()


def test_validate_finds_an_approval_commit_missing_from_history(repo: Path) -> None:
    approve_may(repo)
    path = repo / "approvals/2024-05.yaml"
    text = path.read_text(encoding="utf-8")
    sha = text.split("commit: ")[1].split("\n")[0]
    path.write_text(text.replace(sha, "0123456789abcdef" * 2 + "01234567"), encoding="utf-8")
    code, out, _ = invoke(repo, "validate", "--format", "json")
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == (
        "approval-commit-unknown",
        "approvals/2024-05.yaml",
        5,
    )


@pytest.mark.slow
def test_a_shallow_clone_cannot_tell_so_validate_does_not_fail(repo: Path, tmp_path: Path) -> None:
    approve_may(repo)
    add_late_may_rating(repo)
    commit(repo, "Record May's red rating late", when=LATE_DATE)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    code, out, _ = invoke(clone, "validate", "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])
    code, out, _ = invoke(clone, "report", "--month", "2024-05")
    assert code == 0
    assert "Changes since then could not be listed: cannot see revision" in out
    code, _, err = invoke(clone, "report", "--month", "2024-05", "--as-approved")
    assert code == 2
    assert "cannot read the approved plan: cannot see revision" in " ".join(err.split())


def test_as_approved_needs_an_approved_month(repo: Path) -> None:
    code, _, err = invoke(repo, "report", "--month", "2024-06", "--as-approved")
    assert code == 2
    assert " ".join(err.split()) == (
        "sendplan: 2024-06 has no approval: there is no approvals/2024-06.yaml "
        "(sendplan approve records one)"
    )
    code, _, err = invoke(repo, "report", "--as-of", "2024-05-31", "--as-approved")
    assert code == 2
    assert "--as-approved needs --month" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("approve", "--month", "May 2024", "--board", BOARD, "--date", "2024-06-26"),
            "sendplan: --month: 'May 2024' is not a month: use YYYY-MM",
        ),
        (
            ("approve", "--month", "2024-05", "--board", BOARD, "--date", "26/06/2024"),
            "sendplan: --date: '26/06/2024' is not a date: use YYYY-MM-DD",
        ),
        (
            ("withdraw", "B1:2", "--reason", "Merged into B1:1.", "--on", "2024-02-30"),
            "sendplan: --on: '2024-02-30' is not a real date: February 2024 has 29 days",
        ),
    ],
    ids=["approve-month", "approve-date", "withdraw-on"],
)
def test_a_date_that_is_not_one_is_refused_before_anything_is_read(
    plan_copy: Callable[[str], Path], args: tuple[str, ...], message: str
) -> None:
    root = plan_copy("signoff")  # no git repository: the date is refused first
    before = snapshot(root)
    code, out, err = invoke(root, *args)
    assert (code, out) == (1, "")
    assert " ".join(err.split()) == message
    assert snapshot(root) == before


def test_withdraw_on_a_given_day_writes_it_and_says_what_is_kept(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("signoff")
    path = root / "plan/B1/B1-2.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, err = invoke(
        root, "withdraw", "B1:2", "--reason", "Merged into B1:1.", "--on", "2024-06-30"
    )
    assert (code, err) == (0, "")
    assert " ".join(out.split()) == (
        "B1:2: withdrawn on 2024-06-30 (plan/B1/B1-2.yaml; keeps 2 ratings)"
    )
    assert path.read_text(encoding="utf-8") == (
        before + "withdrawn: {on: 2024-06-30, reason: Merged into B1:1.}\n"
    )


# --- approve's refusals before and after git, and a write that fails --------------------------


def test_the_approval_file_says_who_signed_and_the_note() -> None:
    from sendplan.approve import ApprovalRequest, approval_text

    request = ApprovalRequest(
        "2024-05", BOARD, TODAY.replace(day=1), by="Independent chair", note="Two actions: PDG."
    )
    assert approval_text(request, "a" * 40) == (
        "# yaml-language-server: $schema=../.sendplan/schemas/approval.schema.json\n"
        "month: 2024-05\n"
        f"board: {BOARD}\n"
        "date: 2024-07-01\n"
        f"commit: {'a' * 40}\n"
        "by: Independent chair\n"
        'note: "Two actions: PDG."\n'
    )
    all_digits = "1" * 40  # YAML would read it as a number: quoted
    assert f'commit: "{all_digits}"\n' in approval_text(request, all_digits)


def test_a_blank_board_is_refused(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("signoff")
    code, out, err = invoke(
        root, "approve", "--month", "2024-05", "--board", "   ", "--date", "2024-06-26"
    )
    assert (code, out) == (1, "")
    assert " ".join(err.split()) == "sendplan: name the board that approved the report (--board)"


def test_an_approvals_folder_linked_out_of_the_plan_is_refused(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("signoff")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "approvals").symlink_to(outside, target_is_directory=True)
    code, _, err = invoke(
        root, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26"
    )
    assert code == 1
    assert " ".join(err.split()) == (
        "sendplan: approvals/ is a link out of the plan; nothing was written"
    )
    assert list(outside.iterdir()) == []


def test_an_approval_that_would_not_validate_is_not_written(repo: Path) -> None:
    before = snapshot(repo)
    code, _, err = invoke(
        repo, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26",
        "--note", "Approved \u202e with actions",
    )  # fmt: skip
    assert code == 1
    assert " ".join(err.split()) == (
        "sendplan: the approval would not be valid, so nothing was written: line 6: "
        "unsafe-text: control character or bidi override in text; remove it"
    )
    assert snapshot(repo) == before


@pytest.mark.parametrize("failure", ["appeared", "disk-full"])
def test_an_approval_whose_write_fails_says_so(
    repo: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    from sendplan import atomic

    def create(path: Path, data: bytes) -> None:
        if failure == "appeared":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"written by another program\n")
            raise FileExistsError(17, "File exists", str(path))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "create", create)
    code, out, err = invoke(
        repo, "approve", "--month", "2024-05", "--board", BOARD, "--date", "2024-06-26"
    )
    assert out == ""
    if failure == "appeared":
        assert code == 1
        assert " ".join(err.split()) == (
            "sendplan: approvals/2024-05.yaml appeared while approving; nothing was written"
        )
        assert (repo / "approvals/2024-05.yaml").read_bytes() == b"written by another program\n"
    else:
        assert code == 2
        assert " ".join(err.split()) == (
            "sendplan: could not write approvals/2024-05.yaml: [Errno 28] No space left on device"
        )
        assert not (repo / "approvals/2024-05.yaml").exists()
