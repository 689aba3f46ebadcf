"""The pre-commit hook (.pre-commit-hooks.yaml), run for real with `pre-commit try-repo`.

try-repo clones this checkout at HEAD (plus uncommitted changes to tracked files) and pip
installs it into pre-commit's own environment, so this tests the packaging too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PLANS, REPO
from tests.gitrepo import commit, edit, git_env, init_repo

pytestmark = pytest.mark.slow


def try_repo(plan_repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = git_env()
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            "sendplan-validate",
            "--all-files",
        ],
        cwd=plan_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def plan_repo(tmp_path: Path) -> Path:
    if not (REPO / ".git").exists():
        pytest.skip("sendplan is not a git checkout here; pre-commit try-repo needs one")
    root = init_repo(tmp_path / "plan-repo", PLANS / "minimal")
    commit(root, "Plan as agreed")
    return root


def test_hook_passes_on_a_valid_plan_and_fails_on_a_broken_link(
    plan_repo: Path, tmp_path: Path
) -> None:
    passing = try_repo(plan_repo, tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "sendplan validate" in passing.stdout
    assert "Passed" in passing.stdout

    edit(plan_repo / "plan/A1/A1a-1.yaml", "evidence: [E1, E2]", "evidence: [E1, E77]")
    failing = try_repo(plan_repo, tmp_path)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "Failed" in failing.stdout
    assert "A1a:1 cites E77, which is not in evidence/" in failing.stdout


def test_hook_definition() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for line in (
        "- id: sendplan-validate",
        "  entry: sendplan validate",
        "  language: python",
        "  pass_filenames: false",
        "  always_run: true",
    ):
        assert line in text.splitlines()
