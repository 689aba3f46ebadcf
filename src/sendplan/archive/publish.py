"""Writing the archive site into its folder: all pages or none, never into the plan itself.

The pages are written into a new folder beside the target, which then takes the target's
place; a site from an earlier run is replaced whole, so a page of an objective that has gone
never lingers. A folder that holds anything but a sendplan site is refused, as is any folder
that holds the plan or lies inside its files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from sendplan.archive.links import INDEX
from sendplan.errors import Refusal, SendplanError
from sendplan.sources import PLAN_PARTS, SETTINGS_FILE

GENERATOR = b'<meta name="generator" content="sendplan">'
FORK_MIN_PAGES = 200
"""Below this many pages a second process costs more than it saves."""
PLAN_FOLDERS = tuple(part for part in PLAN_PARTS if part != SETTINGS_FILE)


def _is_site(folder: Path) -> bool:
    """An earlier sendplan site (its index says so), or an empty folder."""
    if not any(folder.iterdir()):
        return True
    index = folder / INDEX
    try:
        with open(index, "rb") as page:
            return GENERATOR in page.read(4096)
    except OSError:
        return False


def check_target(out: Path, plan_root: Path) -> Path:
    """The absolute target folder, or a Refusal saying why the site may not go there."""
    target = Path(os.path.abspath(out))
    real = Path(os.path.realpath(target))
    root = Path(os.path.realpath(plan_root))
    if real == root or root.is_relative_to(real):
        raise Refusal(f"{out} holds the plan itself; write the site elsewhere, e.g. -o build/site")
    for name in PLAN_FOLDERS:
        if real.is_relative_to(root / name):
            raise Refusal(f"{out} is inside the plan's {name}/ folder; write the site elsewhere")
    if real.exists() and not real.is_dir():
        raise Refusal(f"{out} is a file, not a folder; name a folder for the site")
    if real.is_dir() and not _is_site(real):
        raise Refusal(
            f"{out} is not empty and holds no sendplan site; the site replaces the whole "
            "folder, so name a new or empty one"
        )
    return target


Shares = Callable[[int, int], Iterable[tuple[str, str]]]
"""`shares(k, n)`: the (path, HTML) pages of share k of n (each page in exactly one share)."""


def render_processes(pages: int) -> int:
    """How many processes render the pages: a forked second one (and more, up to four) on
    Linux with spare CPUs, for a site large enough to pay for it; else one."""
    if pages < FORK_MIN_PAGES or sys.platform != "linux" or not hasattr(os, "fork"):
        return 1
    if threading.active_count() > 1:
        return 1  # forking a process that runs other threads can deadlock the child
    return max(1, min(4, len(os.sched_getaffinity(0))))


def write_site(shares: Shares, out: Path, plan_root: Path, processes: int = 1) -> int:
    """Write every page as UTF-8 into `out`, replacing an earlier site; the number of pages.

    With `processes` above one, forked children write shares 1.. while this process writes
    share 0; a child that fails has its share written again here (the same pages, or the same
    error, which then stops the site as it would have without children).
    """
    target = check_target(out, plan_root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
        )
    except OSError as e:
        raise SendplanError(f"cannot write the site to {out}: {e.strerror or e}") from None
    try:
        count = _write_shares(shares, staging, processes)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is for reading
        if target.is_dir() and not target.is_symlink():
            old = Path(
                tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
            )
            os.replace(target, old / "site")
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)  # a symlink is replaced, never written through
            os.replace(staging, target)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise SendplanError(f"cannot write the site to {out}: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _write(pages: Iterable[tuple[str, str]], staging: Path) -> None:
    for path, html in pages:
        page = staging / path
        page.parent.mkdir(exist_ok=True)
        page.write_bytes(html.encode("utf-8"))


def _write_shares(shares: Shares, staging: Path, processes: int) -> int:
    children: dict[int, int] = {}
    try:
        for share in range(1, processes):
            pid = os.fork()
            if pid == 0:  # the child: its share, then out without running the parent's exit
                code = 1
                try:
                    _write(shares(share, processes), staging)
                    code = 0
                finally:
                    os._exit(code)
            children[share] = pid
        _write(shares(0, processes), staging)
        for share, pid in list(children.items()):
            _, status = os.waitpid(pid, 0)
            del children[share]
            if os.waitstatus_to_exitcode(status) != 0:
                _write(shares(share, processes), staging)
    finally:
        for pid in children.values():  # this process failed: stop and reap the others
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
    return sum(1 for _ in staging.rglob("*.html"))
