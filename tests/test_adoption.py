"""A council's first afternoon, from the built wheel in a fresh venv (issue 15).

The wheel is built from a copy of this checkout, installed with pre-commit into a new virtual
environment (packages from the index: the only network used), and then, with the network shut
off: `sendplan init`, `pre-commit run --all-files` passes, and a key typo and a deleted cited
evidence file are each blocked at commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sendplan import __version__
from tests.conftest import REPO
from tests.gitrepo import git_env

pytestmark = pytest.mark.slow

# A proxy that refuses every connection, and pip told not to look for an index: a hook that
# needed the network would fail.
OFFLINE = {
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "PIP_NO_INDEX": "1",
}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout, and pre-commit."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "templates"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    built = run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(source)],
        work,
        dict(os.environ),
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("sendplan-*.whl")
    assert wheel.name == f"sendplan-{__version__}-py3-none-any.whl"
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    installed = run(
        [str(env / "bin/python"), "-m", "pip", "install", "--quiet", str(wheel), "pre-commit"],
        work,
        dict(os.environ),
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return env


def offline_env(venv: Path, home: Path) -> dict[str, str]:
    env = git_env()
    env.update(OFFLINE)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin"
    env["PRE_COMMIT_HOME"] = str(home / "pre-commit-home")
    env["HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def test_from_the_wheel_init_pre_commit_passes_offline_and_blocks_bad_commits(
    venv: Path, tmp_path: Path
) -> None:
    env = offline_env(venv, tmp_path)
    assert run(["sendplan", "--version"], tmp_path, env).stdout == f"sendplan {__version__}\n"

    made = run(["sendplan", "init", "plan", "--name", "Riverside SEND plan"], tmp_path, env)
    assert made.returncode == 0, made.stdout + made.stderr
    plan = tmp_path / "plan"
    assert (plan / ".git").is_dir()
    assert run(["pre-commit", "install"], plan, env).returncode == 0

    passing = run(["pre-commit", "run", "--all-files"], plan, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "sendplan validate" in passing.stdout
    assert "Passed" in passing.stdout

    run(["git", "add", "-A"], plan, env)
    first = run(["git", "commit", "-m", "Plan as written by sendplan init"], plan, env)
    assert first.returncode == 0, first.stdout + first.stderr
    head = run(["git", "rev-parse", "HEAD"], plan, env).stdout

    objective = plan / "plan/P1/P1A-1.yaml"
    objective.write_text(objective.read_text().replace("impact:", "impcat:"), encoding="utf-8")
    typo = run(["git", "commit", "-am", "A typo"], plan, env)
    assert typo.returncode == 1
    shown = typo.stdout + typo.stderr  # git prints a commit hook's output on stderr
    assert "unknown-key" in shown
    assert "impcat" in shown
    run(["git", "checkout", "--", "."], plan, env)

    (plan / "evidence/E1.md").unlink()
    deleted = run(["git", "commit", "-am", "Remove E1"], plan, env)
    assert deleted.returncode == 1
    assert "P1A:1 cites E1, which is not in evidence/" in deleted.stdout + deleted.stderr
    assert run(["git", "rev-parse", "HEAD"], plan, env).stdout == head
