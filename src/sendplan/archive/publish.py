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
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sendplan.archive.links import INDEX
from sendplan.errors import Refusal, SendplanError

GENERATOR = b'<meta name="generator" content="sendplan">'
PLAN_FOLDERS = ("plan", "evidence", "kpis", "templates", "approvals", "recommendations", ".git")


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


def write_site(pages: Iterable[tuple[str, str]], out: Path, plan_root: Path) -> int:
    """Write every (path, HTML) page as UTF-8 into `out`, replacing an earlier site; the count."""
    target = check_target(out, plan_root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
        )
    except OSError as e:
        raise SendplanError(f"cannot write the site to {out}: {e.strerror or e}") from None
    count = 0
    try:
        for path, html in pages:
            page = staging / path
            page.parent.mkdir(exist_ok=True)
            page.write_bytes(html.encode("utf-8"))
            count += 1
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
