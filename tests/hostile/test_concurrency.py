"""Writers racing on one file: no write reported as done is lost (issue 13, item 5).

Twenty real `sendplan` processes (not threads: the lock must hold between processes) append
to one file at once, each with its own date and note. Entries must be dated after the last
one, so a run that loses the race to a later date is refused (exit 1, nothing claimed); every
run that exits 0 must have its entry in the final file, which validates, and whose bytes are
the original followed by exactly the entries of the runs that succeeded.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from sendplan.atomic import LOCK_FILE, plan_lock
from sendplan.errors import SendplanError
from sendplan.yamlfile import parse_yaml

RUNS = 20
SENDPLAN = [sys.executable, "-m", "sendplan"]


@dataclass(frozen=True)
class Race:
    fixture: str
    path: str
    args: Callable[[int, date], list[str]]
    """The command line of run `n`, dated `day`."""
    entry: Callable[[int, date], bytes]
    """The bytes run `n` inserts."""
    key: str
    first: date
    refusal: str
    """The one message a run that lost the race may give."""


RACES = {
    "rate": Race(
        "minimal",
        "plan/I1/I1-1.yaml",
        lambda n, day: ["rate", "I1:1", "amber", "--note", f"run {n}", "--date", day.isoformat()],
        lambda n, day: f"  - date: {day}\n    brag: amber\n    note: run {n}\n".encode(),
        "ratings",
        date(2024, 6, 1),
        "a new rating must be dated after it",
    ),
    "update": Race(
        "scrutiny",
        "recommendations/SC-1.yaml",
        lambda n, day: ["update", "SC-1", "closed", "--note", f"run {n}", "--date", str(day)],
        lambda n, day: f"  - {{date: {day}, status: closed, note: run {n}}}\n".encode(),
        "updates",
        date(2024, 8, 1),
        "a new update must be dated after it",
    ),
}


@pytest.mark.slow  # twenty writer processes at once: about 7 s each
@pytest.mark.parametrize("name", list(RACES))
def test_parallel_writers_lose_no_reported_write(
    name: str, plan_copy: Callable[[str], Path]
) -> None:
    race = RACES[name]
    root = plan_copy(race.fixture)
    file = root / race.path
    original = file.read_bytes()
    days = [race.first + timedelta(days=n) for n in range(RUNS)]
    runs = [
        subprocess.Popen(
            [*SENDPLAN, *race.args(n, days[n]), "--plan", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "COLUMNS": "1000"},
        )
        for n in range(RUNS)
    ]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    won = [n for n, (code, _, _) in enumerate(results) if code == 0]
    for code, out, err in results:
        assert code in (0, 1), err.decode()
        if code == 1:  # refused, and said why: nothing claimed
            assert race.refusal in " ".join(err.decode().split())
            assert out == b""
    assert won, "at least the first run to take the lock succeeds"
    # Entries are dated in the order they were appended, so the file is the original followed
    # by the winners' entries in date order: every other byte as it was.
    assert file.read_bytes() == original + b"".join(race.entry(n, days[n]) for n in won)
    listed = parse_yaml(file.read_text(encoding="utf-8")).data[race.key]  # type: ignore[index]
    assert [e["note"] for e in listed[-len(won) :]] == [f"run {n}" for n in won]
    assert not (root / LOCK_FILE).exists()  # the lock leaves nothing behind in the plan
    leftovers = [p.name for p in file.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    check = subprocess.run(
        [*SENDPLAN, "validate", "--plan", str(root), "--format", "json"],
        capture_output=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert b'"severity": "error"' not in check.stdout, check.stdout.decode()
    assert check.returncode == 0, check.stderr.decode()


def test_a_lock_file_planted_as_a_symlink_is_refused(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """A plan committed with `.sendplan.lock -> somewhere` must not make a write create or
    lock a file outside the plan."""
    root = plan_copy("minimal")
    outside = tmp_path / "outside"
    (root / LOCK_FILE).symlink_to(outside)
    before = (root / "plan/I1/I1-1.yaml").read_bytes()
    args = ["rate", "I1:1", "amber", "--note", "x", "--date", "2024-06-01", "--plan", str(root)]
    done = subprocess.run(
        [*SENDPLAN, *args],
        capture_output=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "COLUMNS": "1000"},
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"sendplan: cannot lock the plan for writing: {root / LOCK_FILE}: it is a symbolic link\n"
    )
    assert not outside.exists()
    assert (root / "plan/I1/I1-1.yaml").read_bytes() == before


def test_the_lock_is_released_when_the_write_is_refused(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")

    def refused_while_locked() -> None:
        with plan_lock(root):
            assert (root / LOCK_FILE).exists()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        refused_while_locked()
    assert not (root / LOCK_FILE).exists()
    with plan_lock(root):  # taken again at once: nothing held it
        pass


def test_a_write_overwritten_at_once_by_another_program_is_not_reported_as_done(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that ignores the lock saves over the file just after sendplan's rename: the
    read-back finds other bytes, so the command fails (exit 2) instead of claiming the rating."""
    from sendplan import atomic
    from sendplan.errors import SendplanError
    from sendplan.rate import RatingRequest, rate

    root = plan_copy("minimal")
    file = root / "plan/I1/I1-1.yaml"
    theirs = file.read_bytes() + b"# saved by an editor\n"
    real = atomic.replace

    def and_then_an_editor_saves(path: Path, data: bytes) -> None:
        real(path, data)
        path.write_bytes(theirs)

    monkeypatch.setattr(atomic, "replace", and_then_an_editor_saves)
    request = RatingRequest("I1:1", "amber", "x", date(2024, 6, 1))
    with pytest.raises(SendplanError) as raised:
        rate(root, request, date(2024, 7, 1))
    assert str(raised.value) == (
        "plan/I1/I1-1.yaml was changed by another program just after the rating was written, "
        "so the rating may not be in it; check the file (sendplan validate) and try again"
    )
    assert file.read_bytes() == theirs  # their save is kept, not overwritten by a restore


# --- the lock itself, in this process: what it refuses and the races it loses -----------------

posix_lock = pytest.mark.skipif(sys.platform == "win32", reason="flock: POSIX only")


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1


def test_a_symlinked_lock_file_is_refused_in_process(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    outside = tmp_path / "outside"
    (root / LOCK_FILE).symlink_to(outside)
    with pytest.raises(SendplanError) as raised, plan_lock(root):
        pass
    assert str(raised.value) == (
        f"cannot lock the plan for writing: {root / LOCK_FILE}: it is a symbolic link"
    )
    assert not outside.exists()


def test_a_lock_that_cannot_be_created_says_why(tmp_path: Path) -> None:
    gone = tmp_path / "no-such-plan"
    with pytest.raises(SendplanError) as raised, plan_lock(gone):
        pass
    assert str(raised.value) == (
        f"cannot lock the plan for writing: {gone / LOCK_FILE}: no such file or directory"
    )
    assert not gone.exists()


@posix_lock
def test_a_file_system_without_locks_is_refused_and_leaks_no_descriptor(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    root = plan_copy("minimal")

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    before = _open_fds()
    with pytest.raises(SendplanError) as raised, plan_lock(root):
        pass
    assert str(raised.value) == (
        f"cannot lock the plan for writing: {root / LOCK_FILE}: no locks available"
    )
    assert _open_fds() == before


@posix_lock
@pytest.mark.parametrize("holder", ["removed", "replaced"])
def test_a_lock_file_the_holder_removed_or_replaced_while_we_waited_is_locked_anew(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, holder: str
) -> None:
    """The holder we waited for unlinks the lock file as it releases it (and, "replaced",
    another writer has already created the next one): locking the old file would hold
    nothing, so the lock is taken again on the file now at the path."""
    import fcntl

    root = plan_copy("minimal")
    path = root / LOCK_FILE
    real_flock = fcntl.flock
    locked: list[int] = []

    def flock_after_the_holder_left(fd: int, operation: int) -> None:
        if not locked:
            path.unlink()
            if holder == "replaced":
                path.write_bytes(b"")
        locked.append(os.fstat(fd).st_ino)
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock_after_the_holder_left)
    before = _open_fds()
    with plan_lock(root):
        assert len(locked) == 2  # the first file was dropped, the second one locked
        assert locked[1] == os.stat(path).st_ino
        assert _open_fds() == before + 1  # only the lock's own descriptor is open
        other = os.open(path, os.O_RDWR)
        try:  # the file now at the path is the one held: another writer must wait
            with pytest.raises(BlockingIOError):
                real_flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
    assert not path.exists()
    assert _open_fds() == before
