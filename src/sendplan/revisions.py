"""The plan as it was at a git revision: a `Source` for the loader, beside `sources.py`'s folder.

A revision named on the command line is resolved once to a full commit ID (HAZARDS.md: only
object IDs and fixed option lists reach git after that; a name starting with `-` is refused
before git sees it). Tree entries that are symlinks (mode 120000) are never followed: read as
a blob a symlink is only a path, so such a file counts as outside the plan; submodules
(mode 160000) are skipped. Blobs are read a bounded number of bytes at a time, in the order
the loader asks for them, and a blob larger than the budget only when the loader asks for it
(which it does only within `max_file_bytes`).
"""

from __future__ import annotations

import errno
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from sendplan import git
from sendplan.errors import SendplanError
from sendplan.git import SUBMODULE_MODE, SYMLINK_MODE, Repository, TreeEntry
from sendplan.sources import FileState, PlanFile, classify, listing_order

UNSHALLOW_HINT = (
    "run: git fetch --unshallow (in GitHub Actions, give actions/checkout `fetch-depth: 0`)"
)


@dataclass(frozen=True)
class Revision:
    """A revision as the user named it, and the commit it resolved to."""

    name: str
    sha: str

    @property
    def label(self) -> str:
        short = self.sha[:10]
        return short if self.name == self.sha else f"{self.name} ({short})"


def resolve(repo: Repository, name: str) -> Revision:
    """The commit a user-given revision names, or a SendplanError saying what to do."""
    if not name or name.startswith("-") or "\n" in name or "\0" in name:
        raise SendplanError(
            f"{name!r} is not a revision: a revision must not be empty or start with '-'"
        )
    sha = repo.commit_id(name)
    if sha is None:
        if repo.shallow:
            raise SendplanError(
                f"cannot see revision {name!r}: this is a shallow clone and its history is "
                f"cut short; {UNSHALLOW_HINT}, or fetch the branch you compare with"
            )
        raise SendplanError(
            f"unknown revision {name!r}: name a commit, branch or tag of this repository "
            "(run: git log --oneline, or git fetch to get a remote branch)"
        )
    return Revision(name, sha)


def plan_file(path: str, entry: TreeEntry) -> PlanFile | None:
    """A tree entry as a plan file (a symlink is never followed); None = not a plan file."""
    kind = classify(path)
    if kind is None or entry.mode == SUBMODULE_MODE:
        return None
    symlink = entry.mode == SYMLINK_MODE
    return PlanFile(path, kind, 0 if symlink else entry.size, symlink)


class RevisionSource:
    """The plan's files as they were at one commit (a `Source` for the loader)."""

    def __init__(
        self,
        repo: Repository,
        revision: Revision,
        tree: Mapping[str, TreeEntry],
        only: set[str] | None = None,
    ) -> None:
        self.repo = repo
        self.revision = revision
        self.label = revision.label
        self.tree = tree
        self.only = only
        self._files: list[PlanFile] | None = None
        self._position: dict[str, int] = {}
        self._chunk: dict[str, bytes] = {}

    def files(self) -> list[PlanFile]:
        if self._files is None:
            found = [
                file
                for path, entry in self.tree.items()
                if (self.only is None or path in self.only)
                and (file := plan_file(path, entry)) is not None
            ]
            self._files = sorted(found, key=listing_order)
            self._position = {f.path: i for i, f in enumerate(self._files)}
        return self._files

    def read(self, path: str) -> bytes:
        entry = self.tree.get(path)
        if entry is None or entry.mode in (SYMLINK_MODE, SUBMODULE_MODE):
            raise FileNotFoundError(path)
        if entry.sha not in self._chunk:
            self._chunk = self.repo.read_objects(self._next_chunk(path, entry))
        data = self._chunk.get(entry.sha)
        if data is None:  # a partial clone's lazy fetch is refused (git.py): not read
            raise FileNotFoundError(
                errno.ENOENT, "its git object is missing (a partial or damaged clone)"
            )
        return data

    def _next_chunk(self, path: str, entry: TreeEntry) -> list[str]:
        """This blob and the ones the loader will ask for next, up to READ_BUDGET bytes."""
        wanted, budget = [entry.sha], git.READ_BUDGET - entry.size
        files = self.files()
        start = self._position.get(path)
        if start is None:
            return wanted
        for file in files[start + 1 :]:
            if file.outside or file.kind in ("stray", "settings"):
                continue
            if file.size > budget:
                break
            wanted.append(self.tree[file.path].sha)
            budget -= file.size
        return wanted

    def file_state(self, path: str) -> FileState:
        normal = posixpath.normpath(path)
        if normal.startswith(("../", "/")) or normal == "..":
            return "outside"
        entry = self.tree.get(normal)
        if entry is None:
            return "missing"
        return "outside" if entry.mode == SYMLINK_MODE else "ok"


def source_at(repo: Repository, revision: Revision, only: set[str] | None = None) -> RevisionSource:
    """The plan at `revision` (only the files in `only`, when given)."""
    tree = repo.tree(revision.sha, sorted(only) if only is not None else ())
    return RevisionSource(repo, revision, tree, only)
