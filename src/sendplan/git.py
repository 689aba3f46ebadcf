"""The one way sendplan runs git: plain `git`, with the plan repository unable to steer it.

A plan repository is untrusted input, and so is its `.git/config` (a cloned or unzipped plan
brings its own). Every git process is started by `_run`, which:
- removes every `GIT_*` variable of the caller (a hook's `GIT_DIR`/`GIT_INDEX_FILE` would
  redirect the read; `GIT_EXTERNAL_DIFF`, `GIT_PAGER` ... would run programs) and sets
  `GIT_CONFIG_NOSYSTEM`, `GIT_TERMINAL_PROMPT=0`, `GIT_ALLOW_PROTOCOL` (no transport at all, so
  a partial clone's lazy fetch cannot run `ext::`, ssh or an upload-pack command) and
  `GIT_NO_REPLACE_OBJECTS`;
- passes `--no-pager --no-optional-locks` and the settings of `_NEUTRAL` (plus, for each
  filter and diff driver the repository names, an empty command) as command-scope
  configuration, which git ranks above every configuration file;
- names the work tree itself (`--work-tree`: the folder holding `.git`), so `core.worktree`
  cannot point git at files outside the repository.
The commands used never run filters, hooks, textconv or an external diff: objects are read
with `cat-file --batch` (raw bytes), the working tree is compared with `diff-index` without
refreshing the index, and files git cannot vouch for are hashed here (`blob_id`).
docs/security.md ("git") lists each setting and where git documents it.

Sizes come before contents: `ls-tree --long` and `cat-file --batch-check` give blob sizes, so a
caller never asks for a blob larger than it will read, and `read_objects` asks for a bounded
number of bytes per git process.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sendplan.errors import SendplanError
from sendplan.safetext import terminal
from sendplan.sources import SETTINGS_FILE, TOP_FOLDERS, classify

EXECUTABLE = "git"
MINIMUM_VERSION = (2, 31)
"""GIT_CONFIG_COUNT (how the driver overrides are passed) arrived in git 2.31."""
TIMEOUT = 120.0
"""Seconds before a git process is stopped (a FIFO planted in .git would block it)."""
READ_BUDGET = 8 * 1024 * 1024
"""Bytes of object content asked of one `cat-file --batch` process."""

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
NULL_ID = "0" * 40
NULL_IDS = frozenset({NULL_ID, "0" * 64})

_NEUTRAL: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),  # a hook run whenever the index is read
    ("core.hooksPath", os.devnull),  # no hook can be found
    ("core.pager", "cat"),
    ("core.editor", "false"),
    ("sequence.editor", "false"),
    ("core.askPass", ""),  # empty: never asks (and GIT_TERMINAL_PROMPT=0)
    ("credential.helper", ""),  # empty: resets the list of helpers
    ("core.sshCommand", "false"),
    ("core.gitProxy", ""),
    ("protocol.allow", "never"),
    ("diff.external", ""),
    ("log.showSignature", "false"),  # verifying a signature runs gpg.program
    ("log.mailmap", "false"),
    ("mailmap.file", ""),
    ("mailmap.blob", ""),
    ("core.attributesFile", os.devnull),
    ("core.excludesFile", os.devnull),
    ("diff.orderFile", os.devnull),
    ("core.useReplaceRefs", "false"),
    ("core.untrackedCache", "false"),
    ("core.checkStat", "default"),  # "minimal" would let a file with a forged stat pass
    ("core.trustctime", "true"),
    ("safe.bareRepository", "explicit"),  # an embedded bare repository is never used
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("color.ui", "false"),
    ("diff.relative", "false"),  # paths are always from the top of the repository
    ("diff.renames", "false"),
    ("core.quotePath", "false"),
    ("i18n.logOutputEncoding", "UTF-8"),
)
"""Settings that would let a read-only command run a program, read a file outside the
repository or change how its output reads; each is overridden on every call."""

_DRIVER_KEYS = {
    "filter": (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")),
    "diff": (("command", ""), ("textconv", "")),
}
"""Per-driver commands (gitattributes(5)): the drivers the repository defines are blanked."""

_ENVIRONMENT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ALLOW_PROTOCOL": "",  # an empty list: no protocol is allowed
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_OPTIONAL_LOCKS": "0",
}
_HEX_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_PATHS_PER_CALL = 200
_UNWATCHED = re.compile(rb"(?:^|\0)[a-zS] (\d{6}) ([0-9a-f]{40,64}) \d\t([^\0]*)")
"""`ls-files -v -s` records whose tag says git will not look at the file (lowercase, or S)."""
_PLAIN = ("--literal-pathspecs",)
_RAW = ("-z", "--raw", "--no-renames", "--no-abbrev", "--no-ext-diff", "--no-textconv")
"""Raw change lines (modes and object IDs, never contents): no diff program can run."""
_LOG_FORMAT = "%x1e%H%x00%aI%x00%at%x00%an%x00%s"
_GIT_TRUE = ("true", "yes", "on", "1", "")  # git's spellings of a true boolean ("" = no value)


def _environment(overrides: Sequence[tuple[str, str]]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("GIT_")}
    env.update(_ENVIRONMENT)
    env["GIT_CONFIG_COUNT"] = str(len(overrides))
    for i, (key, value) in enumerate(overrides):
        env[f"GIT_CONFIG_KEY_{i}"] = key
        env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env


def _message(stderr: bytes) -> str:
    """git's complaint on one line (its advice included: "dubious ownership" says what to run)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    text = " ".join(line for line in lines if line and not line.startswith("hint:"))
    text = text.removeprefix("fatal: ").removeprefix("error: ")
    return terminal(text if len(text) <= 400 else text[:399] + "…")


def _run(
    args: Sequence[str],
    cwd: Path | None,
    overrides: Sequence[tuple[str, str]] = _NEUTRAL,
    stdin: bytes | None = None,
    ok: tuple[int, ...] = (0,),
) -> bytes:
    """Run one git command with the hardened environment; its failure is a SendplanError."""
    command = [EXECUTABLE, "--no-pager", "--no-optional-locks", *args]
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=_environment(overrides),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except FileNotFoundError as e:
        if cwd is not None and e.filename in (cwd, os.fspath(cwd)):  # the folder, not git, is gone
            raise SendplanError(
                f"the folder {terminal(os.fspath(cwd))} does not exist (was it moved or "
                "removed?); run sendplan from the plan repository, or give its --plan"
            ) from None
        raise SendplanError(
            "git is not installed or not on PATH; diff and history read the plan's git "
            "history, so install git first"
        ) from None
    except subprocess.TimeoutExpired:
        raise SendplanError(
            f"git {args[0]} did not finish within {TIMEOUT:.0f} s; is something in .git "
            "blocking it (a FIFO, a network mount)?"
        ) from None
    except OSError as e:
        raise SendplanError(f"could not run git: {e.strerror or e}") from None
    if done.returncode not in ok:
        raise SendplanError(f"git {args[0]} failed: {_message(done.stderr) or done.returncode}")
    return done.stdout


_version: tuple[int, ...] | None = None


def version() -> tuple[int, ...]:
    """The installed git's version, e.g. (2, 39, 5); checked once per process."""
    global _version
    if _version is None:
        text = _run(["version"], None).decode("ascii", "replace")
        found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
        _version = tuple(int(n) for n in found.groups("0")) if found else (0, 0, 0)
    if _version[:2] < MINIMUM_VERSION:
        raise SendplanError(
            f"git {'.'.join(map(str, _version))} is too old: sendplan needs git "
            f"{'.'.join(map(str, MINIMUM_VERSION))} or later to keep a plan's git configuration "
            "from running programs; install a newer git"
        )
    return _version


def blob_id(data: bytes, object_format: str = "sha1") -> str:
    """The object ID git gives a file with these bytes (`git hash-object --no-filters`)."""
    digest = hashlib.new(object_format)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def file_blob_id(path: Path, object_format: str = "sha1") -> str | None:
    """The blob ID of a working-tree file (a symlink: of its target's name); None if unreadable."""
    try:
        if path.is_symlink():
            return blob_id(os.fsencode(os.readlink(path)), object_format)
        size = path.stat().st_size
        digest = hashlib.new(object_format)
        digest.update(b"blob %d\0" % size)
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def work_tree_of(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder or a gitfile)."""
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


@dataclass(frozen=True)
class TreeEntry:
    """One file of a git tree: mode, object ID and size in bytes."""

    mode: str
    sha: str
    size: int


@dataclass(frozen=True)
class RawChange:
    """One line of `git diff-* --raw`: a path whose mode or content differs between two sides."""

    status: str
    path: str
    """Relative to the top of the repository."""
    old: TreeEntry | None
    new: TreeEntry | None
    """None on the side where the path is absent; sha "0"*40 = the working tree's, not hashed."""


@dataclass(frozen=True)
class Commit:
    """A commit as `git log` gives it, with the raw changes to the paths asked about."""

    sha: str
    date: str
    """Author date, ISO 8601 (`%aI`)."""
    timestamp: int
    author: str
    subject: str
    changes: tuple[RawChange, ...]


_RAW_META = re.compile(
    r"\n?:(\d{6}) (\d{6}) ([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) ([A-Z])\d*"
)


def _raw_change(meta: re.Match[str], path: str) -> RawChange:
    old_mode, new_mode, old_sha, new_sha, status = meta.groups()
    old = None if old_mode == "000000" else TreeEntry(old_mode, old_sha, -1)
    new = None if new_mode == "000000" else TreeEntry(new_mode, new_sha, -1)
    return RawChange(status, path, old, new)


def _decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _parse_raw(output: bytes) -> Iterator[RawChange]:
    tokens = output.split(b"\0")
    at = 0
    while at + 1 < len(tokens):
        meta = _RAW_META.fullmatch(tokens[at].decode("ascii", "replace"))
        if meta is None:
            raise SendplanError("could not read git's list of changed files")
        yield _raw_change(meta, _decode_path(tokens[at + 1]))
        at += 2


class Repository:
    """The git repository holding a plan folder; every call runs hardened git there."""

    def __init__(self, root: Path) -> None:
        version()
        top = work_tree_of(root)
        if top is None:
            raise SendplanError(
                f"{root} is not inside a git repository (a folder copied from a zip?); diff and "
                "history need the plan's git history: work in a clone of the plan repository"
            )
        self.root = root
        self.top = top
        self._overrides: Sequence[tuple[str, str]] = _NEUTRAL
        self._overrides = (*_NEUTRAL, *self._driver_overrides())
        info = self.run(
            "rev-parse", "--is-shallow-repository", "--show-object-format", "--show-prefix"
        ).decode("utf-8", "surrogateescape")
        shallow, object_format, prefix = [*info.split("\n"), "", ""][:3]
        self.shallow = shallow == "true"
        self.object_format = object_format or "sha1"
        self.prefix = prefix
        """The plan root relative to the top of the repository ("" or "send/plan/")."""
        self.partial = self._has_promisor()
        self._present: dict[str, int] | None = None

    def _driver_overrides(self) -> list[tuple[str, str]]:
        """An empty command for each filter and diff driver the repository's config defines."""
        names = self.run(
            "config", "-z", "--name-only", "--get-regexp", r"^(filter|diff)\.", ok=(0, 1)
        )
        drivers: set[tuple[str, str]] = set()
        for raw in names.split(b"\0"):
            name = raw.decode("utf-8", "surrogateescape")
            section, _, rest = name.partition(".")
            if section in _DRIVER_KEYS and "." in rest:
                drivers.add((section, rest.rpartition(".")[0]))
        return [
            (f"{section}.{driver}.{key}", value)
            for section, driver in sorted(drivers)
            for key, value in _DRIVER_KEYS[section]
        ]

    def _has_promisor(self) -> bool:
        """A partial clone: its config names a promisor remote, from which git fetches an
        object it lacks whenever a command asks for one (`extensions.partialClone`,
        `remote.<name>.promisor`). The fetch is refused (no transport is allowed), but git
        2.39 then fails or reports the object missing depending on which process runs first."""
        pattern = r"^(extensions\.partialclone|remote\..*\.promisor)$"
        found = self.run("config", "-z", "--get-regexp", pattern, ok=(0, 1))
        for record in filter(None, found.split(b"\0")):
            key, _, value = record.decode("utf-8", "replace").partition("\n")
            if key.lower() == "extensions.partialclone" or value.lower() in _GIT_TRUE:
                return True
        return False

    def present(self) -> dict[str, int]:
        """In a partial clone, every object it holds (ID -> size), listed without asking for any
        object by name, so that nothing is ever fetched and a missing blob is always missing."""
        if self._present is None:
            out = self.run(
                "cat-file", "--batch-all-objects", "--unordered",
                "--batch-check=%(objectname) %(objectsize)",
            )  # fmt: skip
            self._present = {}
            for line in out.decode("ascii", "replace").splitlines():
                sha, _, size = line.partition(" ")
                if size.isdigit():
                    self._present[sha] = int(size)
        return self._present

    def askable(self, shas: Sequence[str]) -> list[str]:
        """The object IDs git may be asked for by name: in a partial clone only those it holds,
        since asking for a missing one would start a fetch."""
        return [sha for sha in shas if sha in self.present()] if self.partial else list(shas)

    def run(self, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)) -> bytes:
        """One git command in this repository (fixed options and object IDs only)."""
        return _run(
            [f"--work-tree={self.top}", *args], self.root, self._overrides, stdin=stdin, ok=ok
        )

    def commit_id(self, name: str) -> str | None:
        """The commit a revision names (`git rev-parse --verify REV^{commit}`), or None."""
        out = self.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}", ok=(0, 1)
        )
        sha = out.decode("ascii", "replace").strip()
        return sha if _HEX_ID.fullmatch(sha) else None

    def tree(self, sha: str, paths: Sequence[str] = ()) -> dict[str, TreeEntry]:
        """Files under the plan root at commit `sha` (or only `paths`), by plan-relative path."""
        few = 0 < len(paths) <= _PATHS_PER_CALL  # more would not fit on a Windows command line
        specs = [self.prefix + p for p in paths] if few else [self.prefix]
        # A partial clone's blob sizes come from `present` (`--long` would fetch a missing one).
        long = () if self.partial else ("--long",)
        args = [*_PLAIN, "ls-tree", "-r", "-z", *long, "--full-tree", sha]
        out = self.run(*args, "--", *specs) if specs != [""] else self.run(*args)
        wanted = set(paths) if paths and not few else None
        entries: dict[str, TreeEntry] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, _kind, object_id, *long_size = meta.split()
            path = _decode_path(raw_path)
            relative = path[len(self.prefix) :]
            if path.startswith(self.prefix) and (wanted is None or relative in wanted):
                sha = object_id.decode()
                if long_size:
                    size = int(long_size[0]) if long_size[0].isdigit() else 0
                else:
                    size = self.present().get(sha, 0)
                entries[relative] = TreeEntry(mode.decode(), sha, size)
        return entries

    def changed_between(self, base: str, target: str) -> list[RawChange]:
        """Paths under the plan root that differ between two commits (`git diff-tree --raw`)."""
        out = self.run(*_PLAIN, "diff-tree", "-r", *_RAW, base, target, "--", ".")
        return list(_parse_raw(out))

    def changed_in_worktree(self, base: str) -> list[RawChange]:
        """Tracked paths under the plan root whose working-tree file differs from `base`.

        `diff-index` trusts the index's stat data and reads no file whose stat matches (a
        file that merely looks changed has sha "0"*40 on the new side); it never refreshes
        or writes the index, and runs no filter because every driver is blanked.
        """
        changes = list(_parse_raw(self.run(*_PLAIN, "diff-index", *_RAW, base, "--", ".")))
        listed = {c.path for c in changes}
        # An index may tell git not to look at a file (assume-unchanged, skip-worktree: flags
        # an unzipped repository brings with it); such a file is compared by its blob ID here.
        for path, entry in self._unwatched():
            if path in listed:
                continue
            if file_blob_id(self.top / path, self.object_format) != entry.sha:
                changes.append(RawChange("M", path, entry, TreeEntry(entry.mode, NULL_ID, -1)))
        return changes

    def _unwatched(self) -> Iterator[tuple[str, TreeEntry]]:
        """Index entries under the plan root marked assume-unchanged or skip-worktree."""
        out = self.run(*_PLAIN, "ls-files", "-z", "-v", "-s", "--full-name", "--", ".")
        for found in _UNWATCHED.finditer(out):
            mode, sha, raw_path = found.groups()
            yield _decode_path(raw_path), TreeEntry(mode.decode(), sha.decode(), -1)

    def untracked(self, folders: Sequence[str]) -> list[str]:
        """Untracked files in these folders of the plan, ignored ones too, relative to the top.

        Ignore rules do not apply: a plan file that .gitignore hides is still read by the loader.
        """
        args = [*_PLAIN, "ls-files", "-z", "--others", "--full-name", "--"]
        out = self.run(*args, *folders)
        return [_decode_path(p) for p in out.split(b"\0") if p]

    def sizes(self, shas: Iterable[str]) -> dict[str, int]:
        """Object ID -> size in bytes (`cat-file --batch-check`); missing objects are left out."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        if self.partial:
            return {sha: self.present()[sha] for sha in self.askable(wanted)}
        out = self.run(
            "cat-file", "--batch-check=%(objectname) %(objectsize)", stdin=_lines(wanted)
        )
        found: dict[str, int] = {}
        for line in out.decode("ascii", "replace").splitlines():
            sha, _, size = line.partition(" ")
            if size.isdigit():
                found[sha] = int(size)
        return found

    def read_objects(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of these objects, each asked for once; the caller bounds their sizes."""
        wanted = self.askable(sorted(set(shas)))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin=_lines(wanted))
        return dict(_parse_batch(out))

    def log(self, pathspecs: Sequence[str]) -> list[Commit]:
        """Commits from HEAD (newest first) that change files matching these glob pathspecs."""
        options = ("--no-show-signature", "--no-mailmap", "--no-notes", "--no-color")
        out = self.run(
            "--glob-pathspecs",
            "log",
            *_RAW,
            *options,
            f"--format={_LOG_FORMAT}",
            "HEAD",
            "--",
            *pathspecs,
        )
        return list(_parse_log(out))

    def head(self) -> str | None:
        return self.commit_id("HEAD")


def _lines(names: Sequence[str]) -> bytes:
    return "".join(f"{name}\n" for name in names).encode("ascii")


def _parse_batch(output: bytes) -> Iterator[tuple[str, bytes]]:
    """The objects of a `git cat-file --batch` answer: (object ID, contents)."""
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # "<name> missing"
        size = int(header[2])
        yield header[0].decode("ascii"), output[at : at + size]
        at += size + 1


_COMMIT_HEAD = re.compile(r"\n?\x1e([0-9a-f]{40}|[0-9a-f]{64})")


def _parse_log(output: bytes) -> Iterator[Commit]:
    """`git log -z --raw --format=_LOG_FORMAT` as Commits.

    Fields are NUL-separated and sit at fixed places after each commit's marker, so a subject
    or author name cannot pass for a change line or a commit.
    """
    tokens = output.split(b"\0")
    at = 0
    while at < len(tokens):
        head = _COMMIT_HEAD.fullmatch(tokens[at].decode("ascii", "replace"))
        if head is None:
            if not tokens[at].strip():
                at += 1
                continue
            raise SendplanError("could not read git's log of the plan")
        fields = [t.decode("utf-8", "replace") for t in tokens[at + 1 : at + 5]]
        if len(fields) != 4:
            raise SendplanError("could not read git's log of the plan")
        date, timestamp, author, subject = fields
        at += 5
        changes = []
        while at + 1 < len(tokens):
            meta = _RAW_META.fullmatch(tokens[at].decode("ascii", "replace"))
            if meta is None:
                break
            changes.append(_raw_change(meta, _decode_path(tokens[at + 1])))
            at += 2
        stamp = int(timestamp) if timestamp.lstrip("-").isdigit() else 0
        yield Commit(head.group(1), date, stamp, author, subject, tuple(changes))


# --- without a plan repository ----------------------------------------------------------------


@dataclass(frozen=True)
class HeadInfo:
    """Which commit a plan folder's files come from, for the report header."""

    commit: str
    """The full SHA of HEAD."""
    dirty: bool
    """True when a plan file or a template differs from HEAD (changed or not yet committed)."""


REPORT_INPUTS = (SETTINGS_FILE, *TOP_FOLDERS, "templates")
"""Where a report's inputs live: a plan file or a template changed makes the tree dirty."""


def head_info(root: Path) -> HeadInfo | None:
    """HEAD's commit and whether the report's inputs changed since; None without git."""
    try:
        repo = Repository(root)
        commit = repo.head()
        if commit is None:
            return None
        changed = [c for c in repo.changed_in_worktree(commit) if report_input(repo, c.path)]
        dirty = any(really_changed(repo, change) for change in changed) or any(
            report_input(repo, path) for path in repo.untracked(REPORT_INPUTS)
        )
    except SendplanError:
        return None
    return HeadInfo(commit, dirty)


def report_input(repo: Repository, path: str) -> bool:
    """A plan file (what the loader reads) or a template, by its path from the top."""
    if not path.startswith(repo.prefix):
        return False
    relative = path[len(repo.prefix) :]
    return classify(relative) is not None or relative.startswith("templates/")


def really_changed(repo: Repository, change: RawChange) -> bool:
    """A file diff-index could not vouch for (stat changed) is compared by its blob ID here."""
    if change.new is None or change.old is None or change.new.sha not in NULL_IDS:
        return True
    return file_blob_id(repo.top / change.path, repo.object_format) != change.old.sha


def missing_commits(root: Path, commits: Sequence[str]) -> set[str]:
    """Which of these full commit hashes are certainly not in the git history holding `root`.

    Empty when that cannot be known: no git, a folder outside any repository, or a shallow
    clone (its history is cut short, so an older commit may exist upstream).
    """
    wanted = sorted(set(commits))
    if not wanted:
        return set()
    names = [sha for sha in wanted if _HEX_ID.fullmatch(sha)]
    try:
        repo = Repository(root)
        if repo.shallow:
            return set()
        out = repo.run(
            "cat-file",
            "--batch-check=%(objectname) %(objecttype)",
            stdin=_lines(repo.askable(names)),
        )
    except SendplanError:
        return set()
    found = {
        line.split()[0]
        for line in out.decode("ascii", "replace").splitlines()
        if line.endswith(" commit") and len(line.split()) == 2
    }
    return {sha for sha in wanted if sha not in found}


def init_repository(folder: Path) -> bool:
    """`git init` a new plan repository (branch main); False when git is missing or fails."""
    try:
        version()  # refuses a git older than MINIMUM_VERSION, which has --initial-branch (2.28)
        _run(["init", "--quiet", "--initial-branch=main"], folder)
    except SendplanError:
        return False
    return True
