"""Outputs: -o's format is chosen or refused before any work, every output error is one line,
progress shows on a terminal only, and nothing is wrapped at 80 columns in a pipe."""

from __future__ import annotations

import importlib
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS

runner = CliRunner()


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "-o", "r.docx"],
            "sendplan: -o r.docx: .docx is not a format sendplan writes; end the file name "
            "with .md, .html, .htm, .json or .pdf (or choose with --format)",
        ),
        (
            ["report", "-o", "build/"],
            "sendplan: -o build is a folder: give a file name, e.g. -o build/report.md",
        ),
        (
            ["report", "-o", "report"],
            "sendplan: -o report: no suffix; end the file name with .md, .html, .htm, .json or "
            ".pdf (or choose with --format)",
        ),
        (
            ["export", "-o", "plan.xlsx"],
            "sendplan: -o plan.xlsx: .xlsx is not a format sendplan writes; end the file name "
            "with .csv or .json (or choose with --format)",
        ),
        (
            ["report", "-o", "a-file/report.html"],
            "sendplan: cannot write a-file/report.html: a-file is a file",
        ),
    ],
    ids=["docx", "folder", "no-suffix", "xlsx", "parent-is-a-file"],
)
def test_an_output_that_cannot_be_is_refused_in_one_line_with_exit_2(
    plan_copy: Callable[[str], Path], args: list[str], message: str
) -> None:
    root = plan_copy("minimal")
    (root / "build").mkdir()
    (root / "a-file").write_text("x", encoding="utf-8")
    before = sorted(p.name for p in root.iterdir())
    code, out, err = run(*args, "--month", "2024-06", cwd=root)
    assert (code, out, err) == (2, "", message + "\n")
    assert sorted(p.name for p in root.iterdir()) == before  # nothing written


@pytest.mark.slow
def test_format_chooses_for_any_file_name(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    code, _, err = run("report", "--month", "2024-06", "--format", "md", "-o", "r.txt", cwd=root)
    assert code == 0, err
    assert (root / "r.txt").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.slow
def test_no_progress_off_a_terminal(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    code, _, err = run("report", "--month", "2024-06", "-o", "r.html", cwd=root)
    assert code == 0
    assert "\r" not in err
    assert "\x1b" not in err


@pytest.mark.slow
def test_progress_on_a_terminal_is_rewritten_in_place_and_cleared(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    app_module = importlib.import_module("sendplan.cli.app")  # `sendplan.cli.app` is the Typer
    monkeypatch.setattr(app_module, "is_terminal", lambda stream: True)
    monkeypatch.setattr(app_module, "LARGE_PLAN_FILES", 5)  # the fixture plan is small
    code, _, err = run("report", "--month", "2024-06", "-o", "r.pdf", cwd=root)
    assert code == 0, err
    assert err.startswith(
        "\r\x1b[Kreading and checking 8 plan files...\r\x1b[K"
        "\r\x1b[Krendering the report...\r\x1b[Klaying out the PDF pages (WeasyPrint)..."
        "\r\x1b[K"
    )
    assert err.endswith("wrote r.pdf\n")
    quiet = run("report", "--month", "2024-06", "-o", "r.pdf", "--quiet", cwd=root)
    assert quiet == (0, "", "")


@pytest.mark.slow
def test_a_long_message_in_a_pipe_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", "report", "-o", "board-report-for-june.docx"],
        cwd=PLANS / "minimal",
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "60"},
        check=False,
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert len(done.stderr) > 100


@pytest.mark.slow
def test_report_pdf_prints_progress_on_a_real_terminal(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sendplan", "report", "--month", "2024-06", "-o", "r.pdf"],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    assert b"\r\x1b[Klaying out the PDF pages (WeasyPrint)...\r\x1b[K" in seen
    assert b"wrote r.pdf" in seen
