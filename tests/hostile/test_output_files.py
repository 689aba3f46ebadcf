"""-o files (issue 13, item 5): written atomically, never into the plan, never through a link,
and every failure one line naming the path, exit 2, with no file (not even an empty one) left.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app

REPORT = ["report", "--month", "2024-06", "--format", "md"]
EXPORT = ["export", "--month", "2024-06", "--format", "csv"]


def run(root: Path, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def printed(root: Path, *args: str) -> bytes:
    """What the command writes to stdout, byte for byte (a CSV's CR LF kept)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def snapshot(root: Path) -> dict[str, tuple[bool, bytes]]:
    """Every entry under `root`: whether it is a link, and its bytes (or its target)."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = (True, os.readlink(path).encode())
        elif path.is_file():
            found[key] = (False, path.read_bytes())
    return found


@pytest.fixture
def root(plan_copy: Callable[[str], Path]) -> Iterator[Path]:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / ".git").mkdir()
    (root / "into-plan").symlink_to("plan/I1")
    mask = os.umask(0o022)
    yield root
    os.umask(mask)


@pytest.mark.parametrize(
    ("target", "where", "example"),
    [
        ("plan/I1/I1-1.yaml", "inside the plan's plan/ folder", "build/I1-1.yaml"),
        ("plan/report.md", "inside the plan's plan/ folder", "build/report.md"),
        ("evidence/E1.md", "inside the plan's evidence/ folder", "build/E1.md"),
        ("kpis/new/report.md", "inside the plan's kpis/ folder", "build/report.md"),
        ("recommendations/r.md", "inside the plan's recommendations/ folder", "build/r.md"),
        ("approvals/2024-06.md", "inside the plan's approvals/ folder", "build/2024-06.md"),
        ("templates/report.md", "inside the plan's templates/ folder", "build/report.md"),
        (".git/hooks/pre-commit", "inside the plan's .git/ folder", "build/pre-commit"),
        ("sendplan.yaml", "the plan's sendplan.yaml", "build/sendplan.yaml"),
        ("PLAN/I1/x.md", "inside the plan's plan/ folder", "build/x.md"),
        ("into-plan/x.md", "inside the plan's plan/ folder", "build/x.md"),
        ("build/../evidence/x.md", "inside the plan's evidence/ folder", "build/x.md"),
    ],
)
@pytest.mark.parametrize("command", [REPORT, EXPORT], ids=["report", "export"])
def test_an_output_inside_the_plan_is_refused_before_any_work(
    root: Path, command: list[str], target: str, where: str, example: str
) -> None:
    (root / "build").mkdir()
    before = snapshot(root)
    code, out, err = run(root, *command, "-o", target)
    assert (code, out) == (2, "")
    assert err == f"sendplan: cannot write {target}: it is {where}; write it elsewhere, " + (
        f"e.g. -o {example}\n"
    )
    assert snapshot(root) == before


def test_the_same_refusal_holds_for_an_absolute_path_and_another_folder(
    root: Path, tmp_path: Path
) -> None:
    target = root / "kpis/report.md"
    code, _, err = run(tmp_path, *REPORT, "--plan", str(root), "-o", str(target))
    assert code == 2
    assert err.startswith(f"sendplan: cannot write {target}: it is inside the plan's kpis/")
    assert not target.exists()


def test_a_symlink_is_replaced_by_the_output_never_written_through(
    root: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"keep me\n")
    (root / "build").mkdir()
    (root / "build/out.md").symlink_to(secret)
    (root / "build/in-plan.csv").symlink_to("../plan/I1/I1-1.yaml")
    plan_file = (root / "plan/I1/I1-1.yaml").read_bytes()
    assert run(root, *REPORT, "-o", "build/out.md")[0] == 0
    assert run(root, *EXPORT, "-o", "build/in-plan.csv")[0] == 0
    assert secret.read_bytes() == b"keep me\n"
    assert (root / "plan/I1/I1-1.yaml").read_bytes() == plan_file
    for name in ("out.md", "in-plan.csv"):
        written = root / "build" / name
        assert not written.is_symlink()
        assert stat.S_IMODE(written.stat().st_mode) == 0o644  # a new file: the umask's mode
    # What the file holds is what the command prints without -o.
    assert (root / "build/out.md").read_bytes() == printed(root, *REPORT)
    assert (root / "build/in-plan.csv").read_bytes() == printed(root, *EXPORT)


def test_a_file_that_exists_keeps_its_permissions_and_no_temporary_file_stays(
    root: Path,
) -> None:
    out = root / "r.md"
    out.write_bytes(b"old\n")
    out.chmod(0o640)
    assert run(root, *REPORT, "-o", "r.md")[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_bytes() != b"old\n"
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []


def _full_disk(fd: int) -> None:
    raise OSError(28, "No space left on device")


def _denied(*args: object, **kwargs: object) -> tuple[int, str]:
    raise PermissionError(13, "Permission denied")


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        ((os, "fsync", _full_disk), "no space left on device"),
        ((tempfile, "mkstemp", _denied), "permission denied"),
        ((os, "access", lambda path, mode: mode != os.W_OK), "permission denied"),
    ],
    ids=["full-disk", "unwritable-folder", "read-only-file"],
)
@pytest.mark.parametrize("exists", [False, True], ids=["new", "existing"])
@pytest.mark.parametrize("command", [REPORT, EXPORT], ids=["report", "export"])
def test_every_os_error_is_one_line_naming_the_path_and_leaves_no_file(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    exists: bool,
    patch: tuple[object, str, Callable[..., object]],
    reason: str,
) -> None:
    if patch[1] == "access" and not exists:
        pytest.skip("only a file that exists can be read-only")
    (root / "out").mkdir()
    target = root / "out/result.txt"
    if exists:
        target.write_bytes(b"the last one\n")
    before = snapshot(root)
    monkeypatch.setattr(*patch)
    code, out, err = run(root, *command, "-o", "out/result.txt")
    monkeypatch.undo()
    assert (code, out, err) == (2, "", f"sendplan: cannot write out/result.txt: {reason}\n")
    assert snapshot(root) == before  # no 0-byte file, no temporary file, the old one intact


def test_an_output_folder_that_cannot_be_made_is_one_line(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "mkdir", no_space)
    code, out, err = run(root, *REPORT, "-o", "new/folder/r.md")
    monkeypatch.undo()
    assert (code, out, err) == (
        2,
        "",
        "sendplan: cannot write new/folder/r.md: no space left on device\n",
    )
    assert not (root / "new").exists()
