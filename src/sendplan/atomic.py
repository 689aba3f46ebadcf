"""Writing files so that a crash never leaves half a file: the only place sendplan writes plans.

`replace` writes a temporary file beside the target, flushes it to disk and renames it over
the target (`os.replace` is atomic on POSIX and Windows), keeping the target's permissions.
`create` never overwrites: it fails when the file already exists.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


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
    mode = stat.S_IMODE(target.stat().st_mode)
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
