"""Writing files so that a crash never leaves half a file: the only place sendplan writes plans.

`replace` writes a temporary file beside the target, flushes it to disk and renames it over
the target (`os.replace` is atomic on POSIX and Windows), keeping the target's permissions.
`create` never overwrites: it fails when the file already exists. `write_output` writes an
`-o` file the same way, replacing a symlink instead of writing through it. `plan_lock` is the
one lock every command that writes a plan file holds from its first read to its last check.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sendplan.errors import SendplanError

LOCK_FILE = ".sendplan.lock"
"""Beside sendplan.yaml: one lock for the whole plan (docs/security.md, "Writes")."""


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder)."""
    if os.name != "posix":  # pragma: no cover - exercised on Windows only
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(path: Path, data: bytes) -> None:
    """Replace the file at `path` with `data` atomically; on any failure it is left as it was.

    A symlink is followed, so the link stays a link and its target gets the new bytes.
    """
    target = Path(os.path.realpath(path))
    _write_beside(target, data, stat.S_IMODE(target.stat().st_mode))


def write_output(path: Path, data: bytes) -> None:
    """Write an output file (`-o`) atomically: a reader, or a full disk, never meets half a
    file, and on failure no file (not even an empty one) is left.

    Unlike `replace`, a symlink at `path` is replaced by the file, never written through: an
    output path must not become a way to overwrite whatever the link points at. A file that
    exists keeps its permissions; one that is read-only is refused (PermissionError) as
    writing to it would be.
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if stat.S_ISREG(found.st_mode) and not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        regular = stat.S_ISREG(found.st_mode)
        mode = stat.S_IMODE(found.st_mode) if regular else 0o666 & ~_umask()
    _write_beside(path, data, mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_beside(target: Path, data: bytes, mode: int) -> None:
    """A temporary file beside `target`, flushed to disk, renamed over it (removed on failure)."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(target.parent)


def create(path: Path, data: bytes) -> None:
    """Write a new file; FileExistsError if something is already there (never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:
        try:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        except BaseException:
            out.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise


@contextlib.contextmanager
def plan_lock(root: Path) -> Iterator[None]:
    """Hold the plan's write lock: one writer at a time, whatever the command.

    One lock per plan rather than per file: a write is checked against the rest of the plan
    (the evidence a rating cites, the IDs `new` must not repeat), so the whole read, check and
    write must see no other writer's half-done work. It is advisory (`flock`): it orders
    sendplan processes, not editors. A crashed holder's lock is released with its process.
    """
    path = root / LOCK_FILE
    try:
        fd = _acquire(path)
    except OSError as e:
        reason = "it is a symbolic link" if e.errno == errno.ELOOP else _reason(e)
        raise SendplanError(f"cannot lock the plan for writing: {path}: {reason}") from None
    try:
        yield
    finally:
        _release(path, fd)


def _reason(e: OSError) -> str:
    return (e.strerror or type(e).__name__).lower()


# O_NOFOLLOW: a lock file committed as a symlink must not make us create a file elsewhere.
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(path: Path) -> int:
        fd = os.open(path, _LOCK_FLAGS | os.O_BINARY, 0o644)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                return fd
            except OSError as e:
                if e.errno not in (errno.EDEADLK, errno.EACCES):
                    os.close(fd)
                    raise

    def _release(path: Path, fd: int) -> None:
        # Windows cannot remove a file another process holds open: the lock file stays.
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

else:
    import fcntl

    def _acquire(path: Path) -> int:
        while True:
            fd = os.open(path, _LOCK_FLAGS, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                held = os.fstat(fd)
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                os.close(fd)  # removed by the holder we waited for: lock the new file
                continue
            except BaseException:
                os.close(fd)
                raise
            if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
                return fd
            os.close(fd)  # replaced while we waited: ours is no longer the lock

    def _release(path: Path, fd: int) -> None:
        # Removed while still held, so no file is left in the plan and no waiter can hold a
        # lock on a file that is no longer the lock (each checks after locking, above).
        try:
            with contextlib.suppress(OSError):
                os.unlink(path)
        finally:
            os.close(fd)
