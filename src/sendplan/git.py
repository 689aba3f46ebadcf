"""Everything sendplan asks of git: the plan at any revision, its history, HEAD for reports.

The only module that runs git or uses GitPython. `head_info` (the report header) runs plain
`git` and needs nothing else, so a report works without git; `diff` and `history` use GitPython.

Safety (HAZARDS.md): a revision from the command line is resolved once with
`git rev-parse --verify --end-of-options REV^{commit}` to a full object ID, and only object IDs
and fixed option lists are passed to git after that; a revision starting with `-` is refused
before git sees it. Tree entries that are symlinks (mode 120000) are never followed, and
submodules (mode 160000) are skipped.

Speed: a revision's plan files are listed with one `git ls-tree -r -z --long` and read with one
`git cat-file --batch` stream, never one process per file; `diff` loads only the files whose
blob differs between the two sides.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sendplan.diff import HistoryEntry, PlanDiff, diff_loaded, objective_changes
from sendplan.errors import SendplanError
from sendplan.findings import Severity
from sendplan.load import load_plan
from sendplan.model import Objective
from sendplan.sources import (
    SETTINGS_FILE,
    TOP_FOLDERS,
    FileState,
    FolderSource,
    PlanFile,
    Source,
    classify,
)
from sendplan.vocabulary import file_stem

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
BULK_READ_LIMIT = 8 * 1024 * 1024
"""Blobs up to this size are fetched in the one bulk stream; larger ones only if asked for."""

UNSHALLOW_HINT = (
    "run: git fetch --unshallow (in GitHub Actions, give actions/checkout `fetch-depth: 0`)"
)
_TOP_ORDER = {name: i for i, name in enumerate((SETTINGS_FILE, *TOP_FOLDERS))}
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


@dataclass(frozen=True)
class Revision:
    """A revision as the user named it, and the commit it resolved to."""

    name: str
    sha: str

    @property
    def label(self) -> str:
        short = self.sha[:10]
        return short if self.name == self.sha else f"{self.name} ({short})"


@dataclass(frozen=True)
class HeadInfo:
    """Which commit a plan folder's files come from, for the report header."""

    commit: str
    """The full SHA of HEAD."""
    dirty: bool
    """True when plan files differ from HEAD (uncommitted or untracked changes)."""


def _plain_git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def head_info(root: Path) -> HeadInfo | None:
    """HEAD's commit and whether the plan's files have changed since; None without git."""
    if shutil.which("git") is None:
        return None
    commit = _plain_git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None
    status = _plain_git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return HeadInfo(commit.strip(), bool(status and status.strip()))


def missing_commits(root: Path, commits: Sequence[str]) -> set[str]:
    """Which of these full commit hashes are certainly not in the git history holding `root`.

    Empty when that cannot be known: no git, a folder outside any repository, or a shallow
    clone (its history is cut short, so an older commit may exist upstream).
    """
    wanted = sorted(set(commits))
    if not wanted or shutil.which("git") is None:
        return set()
    if (_plain_git(root, "rev-parse", "--is-shallow-repository") or "").strip() != "false":
        return set()
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch-check=%(objectname) %(objecttype)"],
            input="".join(f"{sha}\n" for sha in wanted),
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except OSError:
        return set()
    if done.returncode != 0:
        return set()
    found = {
        line.split()[0]
        for line in done.stdout.splitlines()
        if line.endswith(" commit") and len(line.split()) == 2
    }
    return {sha for sha in wanted if sha not in found}


def init_repository(folder: Path) -> bool:
    """`git init` a new plan repository (branch main); False when git is missing or fails."""
    if shutil.which("git") is None:
        return False
    if _plain_git(folder, "init", "--quiet", "--initial-branch=main") is not None:
        return True
    return _plain_git(folder, "init", "--quiet") is not None  # git before 2.28: no --initial-branch


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    sha: str
    size: int


def _import_git() -> None:
    try:
        import git  # noqa: F401
    except ImportError as e:  # GitPython refuses to import when no git executable is found
        raise SendplanError(
            "git is not installed or not on PATH; diff and history read the plan's git "
            f"history, so install git first ({str(e).splitlines()[0]})"
        ) from None


def blob_id(data: bytes, object_format: str = "sha1") -> str:
    """The object ID git gives a file with these bytes (`git hash-object`)."""
    digest = hashlib.new(object_format)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _parse_batch(output: bytes, count: int) -> Iterator[bytes | None]:
    """The objects of a `git cat-file --batch` answer, in request order; None = missing."""
    at = 0
    for _ in range(count):
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():
            yield None  # "<name> missing" / "<name> ambiguous"
            continue
        size = int(header[2])
        yield output[at : at + size]
        at += size + 1


class PlanRepo:
    """The git repository holding a plan, and the plan's place inside it."""

    def __init__(self, root: Path) -> None:
        _import_git()
        import git

        self.root = root
        try:
            self._repo = git.Repo(root, search_parent_directories=True)
            self.prefix = self._git(["rev-parse", "--show-prefix"], cwd=root).decode().strip()
            self.object_format = (
                self._git(["rev-parse", "--show-object-format"]).decode().strip() or "sha1"
            )
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise SendplanError(
                f"{root} is not inside a git repository (a folder copied from a zip?); diff and "
                "history need the plan's git history: work in a clone of the plan repository"
            ) from None
        self.shallow = self._git(["rev-parse", "--is-shallow-repository"]).strip() == b"true"

    def _git(
        self, args: list[str], cwd: Path | None = None, stdin: Iterable[str] | None = None
    ) -> bytes:
        """Run git with a fixed argument list; its failure becomes a SendplanError."""
        import git

        runner = git.Git(cwd) if cwd is not None else self._repo.git
        command = [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *args]
        try:
            if stdin is None:
                out = runner.execute(command, stdout_as_string=False, strip_newline_in_stdout=False)
            else:
                with tempfile.TemporaryFile() as feed:
                    feed.write("".join(f"{line}\n" for line in stdin).encode())
                    feed.seek(0)
                    out = runner.execute(
                        command,
                        istream=feed,
                        stdout_as_string=False,
                        strip_newline_in_stdout=False,
                    )
        except git.GitCommandNotFound:
            raise SendplanError(
                "git is not installed or not on PATH; diff and history read the plan's git "
                "history, so install git first"
            ) from None
        except git.GitCommandError as e:
            stderr = str(e.stderr or "").strip().strip("'").strip()
            detail = stderr.removeprefix("stderr:").strip().splitlines()
            raise SendplanError(
                f"git {args[0]} failed: {detail[0] if detail else e.status}"
            ) from None
        assert isinstance(out, bytes)
        return out

    def resolve(self, name: str) -> Revision:
        """The commit a user-given revision names, or a SendplanError saying what to do."""
        if not name or name.startswith("-") or "\n" in name or "\0" in name:
            raise SendplanError(
                f"{name!r} is not a revision: a revision must not be empty or start with '-'"
            )
        command = ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"]
        try:
            sha = self._git(command).decode().strip()
        except SendplanError:
            sha = ""
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
            if self.shallow:
                raise SendplanError(
                    f"cannot see revision {name!r}: this is a shallow clone and its history is "
                    f"cut short; {UNSHALLOW_HINT}, or fetch the branch you compare with"
                )
            raise SendplanError(
                f"unknown revision {name!r}: name a commit, branch or tag of this repository "
                "(run: git log --oneline, or git fetch to get a remote branch)"
            )
        return Revision(name, sha)

    def tree(self, sha: str) -> dict[str, TreeEntry]:
        """Every entry under the plan root at commit `sha`, by path relative to the plan root."""
        args = ["--literal-pathspecs", "ls-tree", "-r", "-z", "--long", "--full-tree", sha]
        if self.prefix:
            args += ["--", self.prefix]
        entries: dict[str, TreeEntry] = {}
        for record in self._git(args).split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, _kind, object_id, size = meta.split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if not path.startswith(self.prefix):
                continue
            entries[path[len(self.prefix) :]] = TreeEntry(
                mode.decode(), object_id.decode(), int(size) if size.isdigit() else 0
            )
        return entries

    def read_objects(self, names: list[str]) -> list[bytes | None]:
        """The contents of objects (IDs or `REV:PATH` names) in one `git cat-file --batch`."""
        if not names:
            return []
        output = self._git(["cat-file", "--batch"], stdin=names)
        return list(_parse_batch(output, len(names)))

    def source_at(
        self,
        revision: Revision,
        tree: dict[str, TreeEntry] | None = None,
        only: set[str] | None = None,
    ) -> GitTreeSource:
        """The plan at `revision` (narrowed to the plan files in `only`, when given)."""
        return GitTreeSource(
            self, revision, self.tree(revision.sha) if tree is None else tree, only
        )

    def history_paths(self, objective_id: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """Commits (newest first) that touch `plan/*/<stem>.yaml|yml`, with (status, path)s.

        An objective's file name comes from its ID, so matching the name follows the objective
        across folder moves without relying on git's rename guessing.
        """
        stem = _GLOB_SPECIAL.sub(r"\\\1", file_stem(objective_id))
        prefix = _GLOB_SPECIAL.sub(r"\\\1", self.prefix)
        specs = [f":(glob){prefix}plan/*/{stem}.{ext}" for ext in ("yaml", "yml")]
        args = ["log", "-z", "--name-status", "--no-renames", "--format=%x1e%H", "HEAD", "--"]
        output = self._git([*args, *specs])
        commits = []
        for record in output.split(b"\x1e"):
            if not record.strip():
                continue
            head, _, rest = record.partition(b"\0")
            fields = [f.decode("utf-8", "surrogateescape") for f in rest.lstrip(b"\n").split(b"\0")]
            pairs = list(zip(fields[0::2], fields[1::2], strict=False))
            commits.append((head.decode().strip(), [(s, p) for s, p in pairs if s]))
        return commits

    def commit_info(self, sha: str) -> tuple[datetime, str, str]:
        """Author date, author name and subject line of a commit."""
        commit = self._repo.commit(sha)
        summary = commit.summary
        subject = summary if isinstance(summary, str) else summary.decode("utf-8", "replace")
        return commit.authored_datetime, str(commit.author.name or ""), subject


class GitTreeSource:
    """The plan's files as they were at one commit (a `Source` for the loader)."""

    def __init__(
        self,
        repo: PlanRepo,
        revision: Revision,
        tree: dict[str, TreeEntry],
        only: set[str] | None = None,
    ) -> None:
        self.repo = repo
        self.revision = revision
        self.label = revision.label
        self.tree = tree
        self.only = only
        self._files: list[PlanFile] | None = None
        self._blobs: dict[str, bytes] | None = None

    def files(self) -> list[PlanFile]:
        if self._files is None:
            found = []
            for path, entry in self.tree.items():
                kind = classify(path)
                if kind is None or entry.mode == SUBMODULE_MODE:
                    continue
                if self.only is not None and path not in self.only:
                    continue
                # A committed symlink is never followed: read as a blob it is only a path.
                symlink = entry.mode == SYMLINK_MODE
                found.append(PlanFile(path, kind, 0 if symlink else entry.size, symlink))
            self._files = sorted(
                found, key=lambda f: (_TOP_ORDER.get(f.path.split("/")[0]), f.path)
            )
        return self._files

    def read(self, path: str) -> bytes:
        if self._blobs is None:
            wanted = [f.path for f in self.files() if not f.outside and f.size <= BULK_READ_LIMIT]
            objects = self.repo.read_objects([self.tree[p].sha for p in wanted])
            self._blobs = {
                p: data for p, data in zip(wanted, objects, strict=True) if data is not None
            }
        if path in self._blobs:
            return self._blobs[path]
        entry = self.tree.get(path)
        if entry is None or entry.mode in (SYMLINK_MODE, SUBMODULE_MODE):
            raise FileNotFoundError(path)
        (data,) = self.repo.read_objects([entry.sha])
        if data is None:
            raise FileNotFoundError(path)
        return data

    def file_state(self, path: str) -> FileState:
        normal = posixpath.normpath(path)
        if normal.startswith(("../", "/")) or normal == "..":
            return "outside"
        entry = self.tree.get(normal)
        if entry is None:
            return "missing"
        return "outside" if entry.mode == SYMLINK_MODE else "ok"


class _Only:
    """A source narrowed to some of its files (the ones a diff needs to compare)."""

    def __init__(self, source: Source, paths: set[str]) -> None:
        self.source = source
        self.paths = paths
        self.label = source.label

    def files(self) -> list[PlanFile]:
        return [f for f in self.source.files() if f.path in self.paths]

    def read(self, path: str) -> bytes:
        return self.source.read(path)

    def file_state(self, path: str) -> FileState:
        return self.source.file_state(path)


class _Blobs:
    """Plan files held in memory (one objective's file at one commit, for `history`)."""

    label = "history"

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs

    def files(self) -> list[PlanFile]:
        return [PlanFile(p, "objective", len(b)) for p, b in sorted(self.blobs.items())]

    def read(self, path: str) -> bytes:
        return self.blobs[path]

    def file_state(self, path: str) -> FileState:
        return "ok" if path in self.blobs else "missing"


def _plan_blob_ids(tree: dict[str, TreeEntry]) -> dict[str, str]:
    """Plan file -> blob ID (a symlink never equals a file, so it is always compared)."""
    return {
        path: f"symlink:{entry.sha}" if entry.mode == SYMLINK_MODE else entry.sha
        for path, entry in tree.items()
        if classify(path) is not None and entry.mode != SUBMODULE_MODE
    }


def _worktree_id(folder: FolderSource, file: PlanFile, object_format: str) -> str:
    if file.outside or file.size > BULK_READ_LIMIT:
        return "unhashed"  # never equal to a blob ID, so always compared (and refused there)
    return blob_id(folder.read(file.path), object_format)


def diff_revisions(repo: PlanRepo, base: Revision, target: Revision | None) -> PlanDiff:
    """The plan change from `base` to `target` (None = the working tree, untracked files too).

    Only files whose content differs are loaded and compared: matching by ID afterwards means a
    renamed file that keeps its ID is one item, not an add and a remove.
    """
    base_tree = repo.tree(base.sha)
    base_ids = _plan_blob_ids(base_tree)
    if target is None:
        folder = FolderSource(repo.root)
        target_ids = {f.path: _worktree_id(folder, f, repo.object_format) for f in folder.files()}
    else:
        target_tree = repo.tree(target.sha)
        target_ids = _plan_blob_ids(target_tree)
    changed = {
        p for p in base_ids.keys() | target_ids.keys() if base_ids.get(p) != target_ids.get(p)
    }
    changed.add(SETTINGS_FILE)  # the settings govern how every other file is read
    old = load_plan(repo.source_at(base, base_tree, changed))
    if target is None:
        new = load_plan(_Only(folder, changed))
    else:
        new = load_plan(repo.source_at(target, target_tree, changed))
    return diff_loaded(old, new)


def objective_history(repo: PlanRepo, objective_id: str) -> list[HistoryEntry]:
    """The objective's changes commit by commit, oldest first."""
    if repo.shallow:
        raise SendplanError(
            f"cannot show the history of {objective_id}: this is a shallow clone and its "
            f"history is cut short; {UNSHALLOW_HINT}"
        )
    commits = repo.history_paths(objective_id)
    if not commits:
        raise SendplanError(
            f"no commit changes objective {objective_id} (looked for "
            f"plan/*/{file_stem(objective_id)}.yaml); check the ID with: sendplan validate"
        )
    names: list[str] = []
    for sha, entries in commits:
        for status, path in entries:
            if "\n" in path:
                continue
            if status[0] in "DMT":
                names.append(f"{sha}^:{path}")
            if status[0] in "AMT":
                names.append(f"{sha}:{path}")
    contents = dict(zip(names, repo.read_objects(names), strict=True))
    history = []
    for sha, entries in reversed(commits):
        before: dict[str, bytes] = {}
        after: dict[str, bytes] = {}
        for _, path in entries:
            relative = path[len(repo.prefix) :]
            if (data := contents.get(f"{sha}^:{path}")) is not None:
                before[relative] = data
            if (data := contents.get(f"{sha}:{path}")) is not None:
                after[relative] = data
        old, old_bad = _objective_in(before, objective_id)
        new, new_bad = _objective_in(after, objective_id)
        # A file that does not parse on one side is unreadable there, not added or removed.
        unknown = (new is None and bool(new_bad)) or (old is None and bool(old_bad))
        changes = [] if unknown else objective_changes(old, new)
        when, author, subject = repo.commit_info(sha)
        history.append(HistoryEntry(sha, when, author, subject, changes, sorted(new_bad - old_bad)))
    return history


def _objective_in(blobs: dict[str, bytes], objective_id: str) -> tuple[Objective | None, set[str]]:
    if not blobs:
        return None, set()
    loaded = load_plan(_Blobs(blobs))
    read = {o.path for o in loaded.plan.objectives}
    errors = {f.path for f in loaded.findings if f.severity is Severity.ERROR}
    return loaded.plan.objective_by_id.get(objective_id), errors - read
