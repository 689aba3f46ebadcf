"""Real temporary git repositories for tests: fixed names and dates, so commit IDs are stable."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PEOPLE = {"alice": ("Alice Officer", "alice@example.org"), "bob": ("Bob Owner", "bob@example.org")}


def git_env(when: str = "2024-06-01T09:00:00+00:00", who: str = "alice") -> dict[str, str]:
    """The environment for a reproducible commit: no user or system config, fixed identity."""
    name, email = PEOPLE[who]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_COMMITTER_DATE=when,
    )
    return env


def git(repo: Path, *args: str, when: str = "2024-06-01T09:00:00+00:00", who: str = "alice") -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=git_env(when, who), capture_output=True, text=True, check=True
    )
    return done.stdout


def init_repo(path: Path, plan: Path | None = None) -> Path:
    """`git init` at `path` (with the files of `plan` copied in, not yet committed)."""
    if plan is not None:
        shutil.copytree(plan, path, dirs_exist_ok=True, symlinks=True)
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(
    repo: Path, message: str, when: str = "2024-06-01T09:00:00+00:00", who: str = "alice"
) -> str:
    """Stage everything and commit; the new commit's ID."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message, when=when, who=who)
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` (fails loudly when the fixture changed)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
