"""Hostile files: each gives its exact findings, exit 1, no traceback, no code run, in bounds.

The corpus is tests/hostile/corpus.py (one case per file in cases/, or a recipe). Each case
runs here through the CLI in-process, and the whole corpus runs once more in a subprocess
under `ulimit -v 3000000` to prove time and memory stay bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.checks import run_checks
from sendplan.cli import app
from sendplan.load import load_plan
from sendplan.sources import FolderSource
from tests.conftest import TODAY
from tests.hostile.corpus import ALL, CASES, MINIMAL, OBJECTIVE, SENTINEL, Case, build

DRIVER = Path(__file__).parent / "run_corpus.py"
POSIX_ONLY = {"fifo", "broken-symlink", "symlink-out", "evidence-file-symlink-out"}
POSIX_ONLY |= {"folder-symlink-out", "escape-in-file-name"}


def _check_findings(case: Case, findings: list[dict[str, object]]) -> None:
    on_dest = [(f["code"], f["line"] or 0) for f in findings if f["path"] == case.dest]
    assert on_dest == list(case.expected)
    mine = [f for f in findings if f["path"] == case.dest]
    assert case.message in str(mine[0]["message"])
    assert any(f["severity"] == "error" for f in mine) == (case.exit_code == 1)
    elsewhere = [
        (f["code"], f["path"], f["line"] or 0)
        for f in findings
        if f["path"] != case.dest and f["code"] not in case.bulk
    ]
    assert SENTINEL in elsewhere, "the rest of the plan was not checked"
    elsewhere.remove(SENTINEL)
    assert elsewhere == list(case.elsewhere)
    bulk = Counter(str(f["code"]) for f in findings if f["code"] in case.bulk)
    assert bulk == Counter(case.bulk)


def _skip_if_unsupported(case: Case) -> None:
    if os.name == "nt" and case.name in POSIX_ONLY:
        pytest.skip("FIFOs, symlinks and control characters in names need a POSIX system")


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in ALL if not c.heavy], ids=lambda c: c.name)
def test_hostile_case_gives_its_finding_and_exit_code(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_if_unsupported(case)
    root = build(case, tmp_path / "plan")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)  # where a constructed !!python/object payload would write
    result = CliRunner().invoke(
        app, ["validate", "--plan", str(root), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == case.exit_code, result.output
    _check_findings(case, json.loads(result.output)["findings"])
    assert list(workdir.iterdir()) == []


def test_every_case_file_is_in_the_corpus() -> None:
    files = {p.name for p in CASES.iterdir() if not p.name.startswith(".")}
    used = {c.name for c in ALL if c.make is None} | {"bom-crlf-objective.yaml"}
    assert files == used | {"bom-crlf-evidence.md"}


def test_bom_and_crlf_case_files_really_hold_a_bom_and_crlf() -> None:
    raw = (CASES / "bom-crlf-objective.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n") == 9


def test_unreadable_file_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied while reading (simulated: tests may run as root, who reads anything)."""
    root = build(None, tmp_path / "plan")
    real_read = FolderSource.read

    def read(self: FolderSource, path: str) -> bytes:
        if path == "kpis/k20.yaml":
            raise PermissionError(13, "Permission denied")
        return real_read(self, path)

    monkeypatch.setattr(FolderSource, "read", read)
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line, f.message) for f in findings] == [
        ("orphan-evidence", "evidence/E9.md", 2, "evidence E9 is not cited by any objective, "
         "rating or KPI"),
        ("unreadable", "kpis/k20.yaml", 0, "cannot be read: permission denied"),
    ]  # fmt: skip
    # k20 still counts as present: A1a:1's `kpis: [k20]` is not unknown-kpi


def test_unreadable_folder_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(None, tmp_path / "plan")
    real_scandir = os.scandir
    blocked = str(root / "kpis")

    def scandir(path: str) -> object:
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    # Nothing cascades: A1a:1's `kpis: [k20]` is not unknown-kpi while kpis/ cannot be read.
    assert [(f.code, f.path, f.message) for f in findings if f.code != "orphan-evidence"] == [
        ("unreadable", "kpis", "folder cannot be read: permission denied; not read"),
    ]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="needs POSIX permissions")
def test_really_unreadable_file_and_folder_are_findings() -> None:
    """With real permissions: as root, by running validate as `nobody` through setpriv."""
    base = Path(tempfile.mkdtemp(prefix="sendplan-perm-"))
    try:
        base.chmod(0o755)
        root = build(None, base / "plan")
        (root / "kpis/k20.yaml").chmod(0)
        (root / "plan/I1").chmod(0)
        command = [sys.executable, "-m", "sendplan", "validate", "--plan", str(root), "-f", "json"]
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv to drop privileges")
            drop = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
            probe = subprocess.run([*drop, sys.executable, "-c", "import sendplan"], check=False)
            if probe.returncode != 0:
                pytest.skip("this Python is not readable by nobody")
            command = drop + command
        result = subprocess.run(command, cwd=base, capture_output=True, text=True, check=False)
        assert result.returncode == 1, result.stderr
        findings = json.loads(result.stdout)["findings"]
        assert [(f["code"], f["path"], f["message"]) for f in findings] == [
            ("orphan-evidence", "evidence/E9.md",
             "evidence E9 is not cited by any objective, rating or KPI"),
            ("unreadable", "kpis/k20.yaml", "cannot be read: permission denied"),
            ("unreadable", "plan/I1", "folder cannot be read: permission denied; not read"),
        ]  # fmt: skip
    finally:
        for path in (base / "plan/kpis/k20.yaml", base / "plan/plan/I1"):
            path.chmod(0o755)
        shutil.rmtree(base)


def test_text_output_never_passes_terminal_escapes_or_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.name == "nt":
        pytest.skip("control characters in file names need a POSIX system")
    root = tmp_path / "plan"
    shutil.copytree(MINIMAL, root)
    (root / "plan/A1/\x1b[2J\x1b]0;pwned\x07\u202e.yaml").write_text("id: A1a:9\n", "utf-8")
    (root / OBJECTIVE).write_text(
        'id: A1a:2\ntitle: x\n"[bold red]\\e[31m": 1\n"\\e]8;;https://evil.example\\e\\\\": 2\n',
        encoding="utf-8",
    )
    for fmt in ("text", "github", "json"):
        result = CliRunner().invoke(
            app, ["validate", "--plan", str(root), "--format", fmt], catch_exceptions=False
        )
        assert result.exit_code == 1
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in result.output, (fmt, raw)
        assert "\\x1b[2J" in result.output or "\\u001b[2J" in result.output
    text = CliRunner().invoke(app, ["validate", "--plan", str(root)]).output
    assert "unknown key '[bold red]\\x1b[31m'" in text  # printed literally, not as markup


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="needs bash and ulimit")
def test_whole_corpus_in_one_subprocess_within_3_gb_and_30_s(tmp_path: Path) -> None:
    cases = ALL
    plans = [build(case, tmp_path / f"plan-{i:02d}") for i, case in enumerate(cases)]
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    results_path = tmp_path / "results.json"
    command = " ".join(
        ["ulimit -v 3000000;", "exec", sys.executable, str(DRIVER), str(results_path)]
        + [f"{'json' if c.heavy else 'json,text'}={p}" for c, p in zip(cases, plans, strict=True)]
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run(["bash", "-c", command], cwd=workdir, env=env, timeout=600, check=True)
    report = json.loads(results_path.read_text(encoding="utf-8"))
    assert report["peak_mb"] < 1_000
    for case, result in zip(cases, report["results"], strict=True):
        assert result["exit"] == result["text_exit"] == case.exit_code, case.name
        assert result["seconds"] < 30, case.name
        for raw in ("\x1b", "\x07", "\u202e", "Traceback"):
            assert raw not in result["text"], (case.name, raw)
        _check_findings(case, json.loads(result["json"])["findings"])
    assert list(workdir.iterdir()) == []  # no !!python payload ran
