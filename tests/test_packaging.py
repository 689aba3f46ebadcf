"""The wheel carries the top-level templates/ folder: a non-editable install can render."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PLANS, REPO

SCRIPT = """
import sys
from datetime import UTC, date, datetime
import sendplan
from sendplan.load import load_plan
from sendplan.render import render
from sendplan.sources import FolderSource
from sendplan.state import state_at
from sendplan.views import ReportMeta, board_report
assert sendplan.__file__.startswith(sys.argv[1]), sendplan.__file__
loaded = load_plan(FolderSource(__import__("pathlib").Path(sys.argv[2])))
view = board_report(loaded.plan, state_at(loaded.plan, date(2024, 6, 30)),
                    ReportMeta(datetime(2024, 7, 1, tzinfo=UTC)))
print(render(view, "html")[:15], render(view, "md").splitlines()[0])
"""


@pytest.mark.slow
def test_non_editable_install_finds_the_templates(tmp_path: Path) -> None:
    # Build from a copy: setuptools writes build/ into the source tree it is given.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("src", "templates"):
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "sendplan/templates/report.html.j2").is_file()
    # The fixture plan has no templates/ of its own, so only the packaged ones can be found.
    assert not (PLANS / "minimal/templates").exists()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(target), str(PLANS / "minimal")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target)},
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == "<!DOCTYPE html> # Riverside SEND Improvement Plan: board report, June 2024\n"
    )
