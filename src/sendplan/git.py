"""Everything sendplan asks of git (the only module that runs git or uses GitPython)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HeadInfo:
    """Which commit a plan folder's files come from, for the report header."""

    commit: str
    """The full SHA of HEAD."""
    dirty: bool
    """True when plan files differ from HEAD (uncommitted or untracked changes)."""


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def head_info(root: Path) -> HeadInfo | None:
    """HEAD's commit and whether the plan's files have changed since; None without git."""
    if shutil.which("git") is None:
        return None
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return HeadInfo(commit.strip(), bool(status and status.strip()))
