"""Stage one of loading: a plan file's bytes -> its plain data, and the problems met on the way.

Nothing here builds models or keeps state, so a large plan can be parsed in two processes: on
Linux, with 2,000 files or more and a second CPU, a forked worker parses the second half of the
files while this process parses and validates the first (issue 9). The results are the same,
in the same order, either way; small plans, other systems and git revisions stay in-process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sendplan import privacy
from sendplan.sources import FolderSource, PlanFile, Source
from sendplan.yamlfile import (
    AMBIGUOUS_BOOLEAN,
    FrontMatter,
    Problem,
    decode,
    parse_yaml,
    split_front_matter,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

PARALLEL_MIN_FILES = 2_000
"""Below this many files a worker process costs more than it saves."""
_SLICE = 1_000


@dataclass
class ParsedFile:
    """What reading one file gave: findings to report, in order, and its data if any."""

    errors: list[tuple[int, int, str, str]] = field(default_factory=list)
    """(line, column, code, message) of each error, in the order they are reported."""
    stop: bool = False
    """Nothing more to read: `data` is not a mapping (or the file could not be read)."""
    broken: bool = False
    """With `stop`: the file is present but unreadable (`Loaded.broken`)."""
    data: object = None
    body: str = ""
    """An evidence file's Markdown body."""
    ambiguous: list[Problem] = field(default_factory=list)
    """ambiguous-boolean problems: reported unless a schema error is on the same line."""
    text: str | None = None
    """The decoded text, for locating schema errors; None from a worker (read it again)."""


def _too_large(size: int, limit: int) -> str:
    return (
        f"{size:,} bytes is over the {limit:,}-byte limit (max_file_bytes in sendplan.yaml); "
        "not read"
    )


def parse_file(source: Source, file: PlanFile, max_bytes: int) -> ParsedFile:
    """Read, decode, scan for personal data and parse one file (no models: see load.py)."""
    out = ParsedFile()
    errors = out.errors
    if file.problem:
        errors.append((0, 0, "unreadable", f"{file.problem}; not read"))
        out.stop = out.broken = True
        return out
    if file.outside:
        errors.append(
            (
                0,
                0,
                "path-outside-plan",
                "symlink resolves outside the plan; plan files must live inside it",
            )
        )
        out.stop = True
        return out
    if file.size > max_bytes:
        errors.append((0, 0, "file-too-large", _too_large(file.size, max_bytes)))
        out.stop = out.broken = True
        return out
    try:
        raw = source.read(file.path)
    except OSError as e:  # permission denied, vanished since listing, a folder ...
        reason = (e.strerror or type(e).__name__).lower()
        errors.append((0, 0, "unreadable", f"cannot be read: {reason}"))
        out.stop = out.broken = True
        return out
    if len(raw) > max_bytes:  # grew since it was listed
        errors.append((0, 0, "file-too-large", _too_large(len(raw), max_bytes)))
        out.stop = out.broken = True
        return out
    text, problem = decode(raw)
    # Scanned even when it is not UTF-8: a Latin-1 file can hold an NHS number too.
    flagged: list[tuple[int, int]] = []
    for line, column, message in privacy.scan(text or raw.decode("utf-8", "replace")):
        errors.append((line, column, "personal-data", message))
        flagged.append((line, column))
    if text is None:
        assert problem is not None
        errors.append((problem.line, problem.column, problem.code, problem.message))
        out.stop = out.broken = True
        return out
    out.text = text
    if file.kind == "evidence":
        front = split_front_matter(text)
        if not isinstance(front, FrontMatter):
            errors.append((front.line, front.column, front.code, front.message))
            out.stop = out.broken = True
            return out
        parsed = parse_yaml(front.yaml_text, front.line_offset, flagged)
        out.body = _redacted_body(front.body, front.body_line, flagged)
    else:
        parsed = parse_yaml(text, 0, flagged)
    # A YAML 1.1 boolean (`brag: no`) that also fails the schema is reported once, as schema.
    out.ambiguous = [p for p in parsed.problems if p.code == AMBIGUOUS_BOOLEAN]
    for p in parsed.problems:
        if p.code != AMBIGUOUS_BOOLEAN:
            errors.append((p.line, p.column, p.code, p.message))
    data = out.data = parsed.data
    if not isinstance(data, dict):
        if data is not None or not parsed.problems:
            found = "nothing" if data is None else f"a {type(data).__name__}"
            at = 1 if data is not None else 0
            errors.append((at, at, "schema", f"expected a mapping of keys, found {found}"))
        out.stop = out.broken = True
    return out


def _redacted_body(body: str, first_line: int, flagged: list[tuple[int, int]]) -> str:
    """An evidence body with each paragraph holding something the scan flagged redacted
    (`privacy.redact_flagged`): its paragraphs reach reports and the site, and a number may be
    folded across two lines of one."""
    lines = {line - first_line for line, _ in flagged if line >= first_line}
    if not lines:
        return body
    rows = body.split("\n")
    index = 0
    while index < len(rows):
        end = index
        while end < len(rows) and rows[end].strip():
            end += 1
        if any(index <= line < end for line in lines):
            rows[index:end] = [privacy.redact_flagged("\n".join(rows[index:end]))]
            end = index + 1
        index = end + 1
    return "\n".join(rows)


def _parse_in_worker(
    send: Connection, source: Source, files: Sequence[PlanFile], max_bytes: int
) -> None:
    parsed = [parse_file(source, file, max_bytes) for file in files]
    for each in parsed:
        each.text = None  # the parent reads a file again only to place a schema error
    # In slices, so neither process ever holds the whole half as one pickle as well.
    for start in range(0, len(parsed), _SLICE):
        send.send(parsed[start : start + _SLICE])
    send.close()


def _worker_pays(source: Source, files: Sequence[PlanFile]) -> bool:
    if len(files) < PARALLEL_MIN_FILES or not isinstance(source, FolderSource):
        return False  # a git source holds a pipe to `git cat-file`: not to be shared by a fork
    if sys.platform != "linux" or threading.active_count() > 1:
        return False  # forking a process that runs other threads can deadlock the child
    import multiprocessing  # only large plans need it: not imported at start-up

    return "fork" in multiprocessing.get_all_start_methods() and len(os.sched_getaffinity(0)) > 1


def parse_files(source: Source, files: Sequence[PlanFile], max_bytes: int) -> Iterator[ParsedFile]:
    """parse_file() of each file, in order, the second half in a worker process when it pays."""
    if not _worker_pays(source, files):
        for file in files:
            yield parse_file(source, file, max_bytes)
        return
    import multiprocessing

    half = len(files) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_parse_in_worker, args=(send, source, files[half:], max_bytes), daemon=True
    )
    worker.start()
    send.close()
    try:
        for file in files[:half]:
            yield parse_file(source, file, max_bytes)
        done = half
        while done < len(files):
            try:
                theirs: list[ParsedFile] = receive.recv()
            except EOFError:  # the worker died (out of memory, killed): finish its half here
                break
            done += len(theirs)
            yield from theirs
        for file in files[done:]:
            yield parse_file(source, file, max_bytes)
    finally:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()
