"""Where plan files come from: a folder on disk (here) or a git revision (`revisions.py`).

A source lists the plan's files by their kind and hands out their bytes; the loader does the
rest, so the working tree and any revision are read by exactly the same code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from sendplan.errors import SendplanError

SETTINGS_FILE = "sendplan.yaml"
APPROVALS_FOLDER = "approvals"
YAML_SUFFIXES = (".yaml", ".yml")
TOP_FOLDERS = ("plan", "evidence", "kpis", "recommendations", APPROVALS_FOLDER)
"""The folders that hold plan files, in the order they are listed (after sendplan.yaml)."""
PLAN_PARTS = (SETTINGS_FILE, *TOP_FOLDERS, "templates", ".git")
"""What of a plan repository no output (`-o`, the site) is ever written into."""

FileKind = Literal[
    "settings", "area", "objective", "evidence", "kpi", "recommendation", "approval", "stray"
]
FileState = Literal["ok", "missing", "outside"]


@dataclass(frozen=True)
class PlanFile:
    """One file of the plan: where it is, what it should hold, and whether it may be read."""

    path: str  # relative to the plan root, "/" separators
    kind: FileKind
    size: int
    outside: bool = False  # a symlink (or symlinked folder) resolving outside the plan
    problem: str = ""  # why it cannot be read at all (a folder, a FIFO, permission denied)


def classify(path: str) -> FileKind | None:
    """What a file at `path` holds, by the layout of SPEC §2; None = not a plan file."""
    parts = path.split("/")
    name = parts[-1]
    lower = name.lower()
    if path == SETTINGS_FILE:
        return "settings"
    if parts[0] == "plan" and lower.endswith(YAML_SUFFIXES):
        if len(parts) != 3:
            return "stray"
        return "area" if name == "area.yaml" else "objective"
    if parts[0] == "evidence" and len(parts) == 2 and lower.endswith(".md"):
        return None if lower == "readme.md" else "evidence"
    if parts[0] == "kpis" and lower.endswith(YAML_SUFFIXES):
        return "kpi" if len(parts) == 2 else "stray"
    if parts[0] == APPROVALS_FOLDER and lower.endswith(YAML_SUFFIXES):
        return "approval" if len(parts) == 2 else "stray"
    if parts[0] == "recommendations" and lower.endswith(YAML_SUFFIXES):
        return "recommendation" if len(parts) == 2 else "stray"
    return None


class Source(Protocol):
    """A plan's files, from a folder or a git revision."""

    label: str

    def files(self) -> list[PlanFile]:
        """Every plan file (see `classify`), in a stable order."""
        ...

    def read(self, path: str) -> bytes: ...

    def file_state(self, path: str) -> FileState:
        """Whether a file referenced from the plan exists inside it."""
        ...


def plan_part(path: Path, root: Path) -> str | None:
    """The entry of PLAN_PARTS that `path` is (or is inside) in the plan at `root`, its folders'
    links resolved; None when it is none of them. `path` itself is not resolved: a link there
    is replaced by an output, not written through. Compared without case, as on Windows and
    macOS `Plan/` is `plan/`."""
    real = Path(os.path.realpath(path.parent)) / path.name
    try:
        inside = real.relative_to(os.path.realpath(root))
    except ValueError:
        return None
    first = inside.parts[0].casefold() if inside.parts else ""
    return next((part for part in PLAN_PARTS if part.casefold() == first), None)


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """The plan root: `explicit`, or the nearest folder at or above `start` with sendplan.yaml."""
    if explicit is not None:
        if not (explicit / SETTINGS_FILE).is_file():
            raise SendplanError(f"no {SETTINGS_FILE} in {explicit}; is --plan the plan's folder?")
        return explicit.resolve()
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise SendplanError(
        f"no {SETTINGS_FILE} in {here} or any folder above it; "
        "run inside a plan repository or pass --plan DIR (or set SENDPLAN_PLAN)"
    )


class FolderSource:
    """The plan as it is on disk (a working tree, or a folder copied from a zip)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = str(root)

    def _inside(self, real: str) -> bool:
        root = str(self.root)
        return real == root or real.startswith(root + os.sep)

    def _walk(self, folder: str, rel: str, outside: bool) -> Iterator[PlanFile]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            yield PlanFile(rel, "stray", 0, outside, f"folder cannot be read: {_reason(e)}")
            return
        for entry in entries:
            path = f"{rel}/{entry.name}"
            try:
                yield from self._entry(entry, path, outside)
            except OSError as e:  # vanished or unreadable between listing and looking
                yield PlanFile(path, classify(path) or "stray", 0, outside, _reason(e))

    def _entry(self, entry: os.DirEntry[str], path: str, outside: bool) -> Iterator[PlanFile]:
        escaped = outside or (entry.is_symlink() and not self._inside(os.path.realpath(entry.path)))
        kind = classify(path)
        if entry.is_dir():
            if kind is not None:  # a folder named like a plan file would hide a file's absence
                yield PlanFile(path, kind, 0, escaped, "is a folder, not a file")
            elif path.count("/") < 3 and not path.startswith("evidence/"):
                yield from self._walk(entry.path, path, escaped)
            return
        if kind is None:
            return
        if escaped:  # never look at what lies outside, not even its size
            yield PlanFile(path, kind, 0, True)
        elif not entry.is_file():  # never open a FIFO (it would block) or a device
            what = "a broken symlink" if entry.is_symlink() else "not a regular file"
            yield PlanFile(path, kind, 0, False, f"is {what}")
        else:
            yield PlanFile(path, kind, entry.stat().st_size)

    def files(self) -> list[PlanFile]:
        found: list[PlanFile] = []
        settings = self.root / SETTINGS_FILE
        if settings.is_file():
            escaped = settings.is_symlink() and not self._inside(os.path.realpath(settings))
            found.append(
                PlanFile(
                    SETTINGS_FILE, "settings", 0 if escaped else settings.stat().st_size, escaped
                )
            )
        for top in TOP_FOLDERS:
            folder = self.root / top
            if folder.is_symlink() and not self._inside(os.path.realpath(folder)):
                found.extend(self._walk(str(folder), top, outside=True))
            elif folder.is_dir():
                found.extend(self._walk(str(folder), top, outside=False))
        return found

    def entry(self, path: str) -> PlanFile | None:
        """One plan file as `files()` lists it, without walking the plan; None when absent."""
        kind = classify(path)
        full = self.root / path
        if kind is None or not os.path.lexists(full):
            return None
        try:
            if not self._inside(os.path.realpath(full)):
                return PlanFile(path, kind, 0, True)  # never look at what lies outside
            if os.path.isdir(full):
                return PlanFile(path, kind, 0, False, "is a folder, not a file")
            if not os.path.isfile(full):
                what = "a broken symlink" if os.path.islink(full) else "not a regular file"
                return PlanFile(path, kind, 0, False, f"is {what}")
            return PlanFile(path, kind, os.stat(full).st_size)
        except OSError as e:
            return PlanFile(path, kind, 0, False, _reason(e))

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def file_state(self, path: str) -> FileState:
        try:
            real = os.path.realpath(self.root / path)
        except (OSError, ValueError):  # a NUL byte, a name too long: no such file here
            return "missing"
        if not self._inside(real):
            return "outside"
        return "ok" if os.path.isfile(real) else "missing"


_TOP_ORDER = (SETTINGS_FILE, *TOP_FOLDERS)


def listing_order(file: PlanFile) -> tuple[int, list[str]]:
    """The order FolderSource lists files in: settings, then TOP_FOLDERS, by name."""
    return path_order(file.path)


def path_order(path: str) -> tuple[int, list[str]]:
    """`listing_order` of the file at `path`."""
    parts = path.split("/")
    return (_TOP_ORDER.index(parts[0]), parts)


class WithFile:
    """A folder source with one file's bytes replaced or added: validation before writing."""

    def __init__(self, base: FolderSource, path: str, data: bytes) -> None:
        self.base = base
        self.path = path
        self.data = data
        self.label = base.label

    def files(self) -> list[PlanFile]:
        found = self.base.files()
        kind = classify(self.path)
        if kind is None:
            return found
        new = PlanFile(self.path, kind, len(self.data))
        if any(f.path == self.path for f in found):
            return [new if f.path == self.path else f for f in found]
        return sorted([*found, new], key=listing_order)

    def read(self, path: str) -> bytes:
        return self.data if path == self.path else self.base.read(path)

    def file_state(self, path: str) -> FileState:
        return self.base.file_state(path)


class Narrowed:
    """Some files of a source (the ones a diff compares, the ones a write checks)."""

    def __init__(self, source: Source, files: list[PlanFile]) -> None:
        self.source = source
        self.label = source.label
        self._files = sorted(files, key=listing_order)

    def files(self) -> list[PlanFile]:
        return self._files

    def read(self, path: str) -> bytes:
        return self.source.read(path)

    def file_state(self, path: str) -> FileState:
        return self.source.file_state(path)


# Folders whose files are not the plan's text: git's own store, tools' caches and installs.
# Other dot-folders are skipped too, except .github (its workflows are written by hand).
SKIPPED_FOLDERS = frozenset({".git", "node_modules", "__pycache__"})
BINARY_PROBE = 8000
"""A file with a NUL byte in its first 8,000 bytes is binary (git's own rule)."""


def other_text_files(root: Path, listed: set[str], max_bytes: int) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every text file under `root` that is not one of the `listed` plan
    files: README.md, notes, nested evidence folders, templates/, .github, anything.

    Never follows a symlink (what it points at inside the plan is scanned as itself; what is
    outside is never read), never opens a FIFO or a device, and skips a file over `max_bytes`,
    a binary file and the folders in SKIPPED_FOLDERS (and dot-folders but .github).
    """
    pending = [(str(root), "")]
    while pending:
        folder, rel = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue  # an unreadable folder: validate reports those that hold plan files
        for entry in entries:
            path = f"{rel}{entry.name}"
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    name = entry.name
                    if name not in SKIPPED_FOLDERS and (name == ".github" or name[0] != "."):
                        pending.append((entry.path, path + "/"))
                    continue
                if path in listed or not entry.is_file() or entry.stat().st_size > max_bytes:
                    continue
                with open(entry.path, "rb") as handle:
                    data = handle.read(max_bytes + 1)
            except OSError:
                continue
            if len(data) <= max_bytes and b"\x00" not in data[:BINARY_PROBE]:
                yield path, data


def _reason(error: OSError) -> str:
    """An OSError in words, without the path (the finding names the file)."""
    return (error.strerror or type(error).__name__).lower()
