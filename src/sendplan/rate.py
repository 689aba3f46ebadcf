"""`sendplan rate`: append one rating to an objective's file without rewriting the file.

The same careful append serves `sendplan update` (a recommendation's `updates`, update.py).
The new entry is inserted as text where the YAML node positions say the list ends
(`yamledit.append_to_list`); every existing byte stays, comments, quoting, BOM and line
endings included. Before anything is written the new text must (1) differ from the old only
by inserted characters, (2) read back as the old data plus exactly the new rating, and (3)
leave the objective's file without errors. After the atomic write the file is read back (it
must hold exactly the bytes written) and validated; if that fails, the original bytes are put
back. The plan is loaded once; both checks read only the changed file, against that index.
All of it happens under the plan's write lock (`atomic.plan_lock`), so two writers never
interleave and no write reported as done is lost.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from sendplan import atomic
from sendplan.checks import run_checks
from sendplan.errors import Refusal, SendplanError
from sendplan.findings import Finding, Severity
from sendplan.load import Loaded, load_plan, with_file
from sendplan.model import ID_PATTERN, Objective, Recommendation
from sendplan.sources import FolderSource
from sendplan.state import ObjectiveState, objective_state_in
from sendplan.vocabulary import BRAG_ORDER
from sendplan.yamledit import append_to_list, flow_list, scalar, unflow_empty_list
from sendplan.yamlfile import BOM, decode, parse_yaml

_SHOWN_FINDINGS = 10
_ID = re.compile(ID_PATTERN)


class AppendRequest(Protocol):
    """An entry to append to a dated, append-only list of one plan file."""

    @property
    def list_key(self) -> str:
        """The top-level key of the list: `ratings`, `updates`."""
        ...

    @property
    def noun(self) -> str:
        """What an entry is called in messages: `rating`, `update`."""
        ...

    @property
    def done_to(self) -> str:
        """What appending does to the item, in messages: `rated`, `updated`."""
        ...

    def entry(self) -> dict[str, object]:
        """The entry as the loader reads it back."""
        ...

    def yaml_entry(self) -> list[tuple[str, str]]:
        """The entry as one-line YAML values, in the SPEC's key order."""
        ...


@dataclass(frozen=True)
class RatingRequest:
    """What `sendplan rate` was asked to append."""

    list_key = "ratings"
    noun = "rating"
    done_to = "rated"
    objective_id: str
    brag: str
    note: str
    day: date
    by: str | None = None
    evidence: tuple[str, ...] = ()

    def entry(self) -> dict[str, object]:
        """The rating as the loader reads it back."""
        entry: dict[str, object] = {"date": self.day.isoformat(), "brag": self.brag}
        if self.by is not None:
            entry["by"] = self.by
        entry["note"] = self.note
        if self.evidence:
            entry["evidence"] = list(self.evidence)
        return entry

    def yaml_entry(self) -> list[tuple[str, str]]:
        """The rating as one-line YAML values, in the SPEC's key order."""
        pairs = [("date", self.day.isoformat()), ("brag", self.brag)]
        if self.by is not None:
            pairs.append(("by", scalar(self.by)))
        pairs.append(("note", scalar(self.note)))
        if self.evidence:
            pairs.append(("evidence", flow_list(self.evidence)))
        return pairs


@dataclass(frozen=True)
class Rated:
    """What `rate` did: the file, and the objective at the rating's date before and after."""

    path: str
    before: ObjectiveState
    after: ObjectiveState
    warnings: tuple[Finding, ...]
    """Warnings about the objective's file that the new rating brought (e.g. no evidence)."""


def parse_choice(text: str, choices: Sequence[str], what: str) -> str:
    """One of `choices`, written in any case; a Refusal naming them otherwise."""
    word = text.strip().lower()
    if word not in choices:
        listed = f"{', '.join(choices[:-1])} or {choices[-1]}"
        raise Refusal(f"{text!r} is not a {what}: use {listed}")
    return word


def parse_brag(text: str) -> str:
    """red, amber, green or blue, in any case."""
    return parse_choice(text, BRAG_ORDER, "rating")


def parse_ids(text: str | None) -> tuple[str, ...]:
    """`E1, E2` -> ("E1", "E2"), each once."""
    if not text:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _listing(findings: Sequence[Finding]) -> str:
    lines = [f"  {f}" for f in findings]
    if len(lines) > _SHOWN_FINDINGS:
        lines = [*lines[:_SHOWN_FINDINGS], f"  ... and {len(lines) - _SHOWN_FINDINGS} more"]
    return "\n".join(lines)


def _about(findings: Sequence[Finding], path: str, item_id: str) -> list[Finding]:
    """Findings on the item's file, or naming the item (a duplicate ID elsewhere)."""
    return [f for f in findings if f.path == path or f.id == item_id]


def _errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def only_inserts(old: bytes, new: bytes) -> bool:
    """True when `new` is `old` with one run of bytes inserted somewhere."""
    return inserted_run(old, new) is not None


def inserted_run(old: bytes, new: bytes) -> bytes | None:
    """The one run of bytes that `new` inserts into `old`, or None when it is not that."""
    if len(new) < len(old):
        return None
    prefix = 0
    limit = len(old)
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    if not new.endswith(old[prefix:]):
        return None
    return new[prefix : len(new) - (len(old) - prefix)]


# Where the removed `[]` lies among the spaces around it is ambiguous: allow either side.
_EMPTY_FLOW_LIST = re.compile(rb"[ \t]*\[[ \t]*\][ \t]*")


def new_bytes(raw: bytes, request: AppendRequest) -> bytes:
    """The file's bytes with the entry appended: inserted text only, checked by reading back."""
    text, problem = decode(raw)
    if text is None:  # pragma: no cover - a file that does not decode is refused before
        raise Refusal(problem.message if problem else "the file is not UTF-8 text")
    noun, key = request.noun, request.list_key
    # `ratings: []` loses its `[]`, so the list grows as a block list (the one rewrite).
    unflowed = unflow_empty_list(text, key)
    try:
        inserted = append_to_list(unflowed, key, request.yaml_entry())
    except ValueError as e:
        raise Refusal(f"cannot add the {noun} to this file: {e}") from None
    bom = BOM if raw.startswith(BOM) else b""
    base = bom + unflowed.encode("utf-8")
    removed = inserted_run(base, raw)
    result = bom + inserted.encode("utf-8")
    old_data, new_data = parse_yaml(text).data, parse_yaml(inserted).data
    expected = dict(old_data) if isinstance(old_data, dict) else {}
    expected[key] = [*expected.get(key, []), request.entry()]
    kept = removed is not None and (removed == b"" or _EMPTY_FLOW_LIST.fullmatch(removed))
    if not kept or not only_inserts(base, result) or new_data != expected:  # pragma: no cover
        raise Refusal(
            f"could not insert the {noun} without changing other content; "
            f"the file is unchanged: please add the {noun} by hand"
        )
    return result


_Item = TypeVar("_Item", Objective, Recommendation)


def find_item(
    loaded: Loaded,
    kind: Literal["objective", "recommendation"],
    by_id: Mapping[str, _Item],
    item_id: str,
    verb: str,
) -> _Item:
    """The objective or recommendation to append to, or a Refusal saying why it cannot be."""
    item = by_id.get(item_id)
    if item is not None:
        return item
    about = [f for f in loaded.findings if f.id == item_id]
    if about or loaded.is_known(kind, item_id):
        raise Refusal(
            f"{item_id}'s file has errors, so it cannot be {verb}; "
            "fix them first (sendplan validate)" + (":\n" + _listing(about) if about else "")
        )
    guess = difflib.get_close_matches(item_id, list(by_id), n=1)
    hint = f"; did you mean {guess[0]}?" if guess else ""
    raise Refusal(f"no {kind} {item_id} in this plan{hint}")


def refuse_broken(findings: Sequence[Finding], path: str, item_id: str, doing: str) -> None:
    """Refuse to append to a file that already has errors."""
    broken = _errors(_about(findings, path, item_id))
    if broken:
        raise Refusal(
            f"{path} has {len(broken)} error{'s' if len(broken) != 1 else ''}; fix "
            f"{'them' if len(broken) != 1 else 'it'} before {doing} (sendplan validate):\n"
            + _listing(broken)
        )


def refuse_not_after(item_id: str, dates: Sequence[date], day: date, noun: str) -> None:
    """Refuse an entry not dated after the last one: the history is append-only."""
    if dates:
        last = max(dates)
        if day <= last:
            raise Refusal(
                f"{item_id}'s last {noun} is dated {last}; a new {noun} must be dated "
                f"after it ({noun}s are append-only history), not {day}"
            )


def refuse_future(day: date, today: date, doing: str) -> None:
    """Refuse an entry dated after today."""
    if day > today:
        raise Refusal(f"{day} is in the future (today is {today}); {doing} on or before today")


def refuse_undecodable(options: Sequence[tuple[str, str]]) -> None:
    """Refuse option values that are not text (undecodable bytes from the command line)."""
    for name, value in options:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Refusal(f"{name} is not valid text (it holds undecodable bytes)") from None


def append_checked(
    root: Path, loaded: Loaded, path: str, item_id: str, request: AppendRequest, today: date
) -> tuple[Loaded, list[Finding]]:
    """Write `request` into the file at `path`, or refuse leaving every byte (see
    `write_checked`)."""
    original = loaded.source.read(path)
    candidate = new_bytes(original, request)
    words = (request.noun, request.done_to)
    return write_checked(root, loaded, path, item_id, (original, candidate), words, today)


def write_checked(
    root: Path,
    loaded: Loaded,
    path: str,
    item_id: str,
    contents: tuple[bytes, bytes],
    words: tuple[str, str],
    today: date,
) -> tuple[Loaded, list[Finding]]:
    """Replace the file at `path`, read as the first of `contents`, with the second (the
    candidate), or refuse leaving every byte; a file changed since it was read is refused.

    The new bytes must leave the file valid before they are written; after the atomic write
    the file is read back, and the original is put back if it then has errors. Both checks
    read only the one file, against the rest of the plan as `loaded` holds it (`with_file`):
    a write costs what it touches (issue 19). The plan as written and the findings about the
    file are returned. `words`: what is written and what writing does to the item, for
    messages (`rating`, `rated`)."""
    noun, done_to = words
    original, candidate = contents
    about = (path, item_id)
    trial_findings = run_checks(with_file(loaded, path, candidate), today, about=about)
    if _errors(trial_findings):
        raise Refusal(
            f"the new {noun} would make the file invalid; nothing was written:\n"
            + _listing(_errors(trial_findings))
        )
    file = root / path
    if file.read_bytes() != original:
        raise Refusal(
            f"{path} changed while it was being {done_to}; nothing was written, try again"
        )
    try:
        atomic.replace(file, candidate)
    except OSError as e:
        raise SendplanError(f"could not write {path}: {e}; the file is unchanged") from None
    after = with_file(loaded, path, _confirm_written(file, path, candidate, noun))
    after_findings = run_checks(after, today, about=about)
    written = after.plan.objective_by_id.get(item_id) or after.plan.recommendation_by_id.get(
        item_id
    )
    if _errors(after_findings) or written is None or written.path != path:
        _restore(file, original)
        raise Refusal(
            f"{path} did not validate after writing, so the original was restored:\n"
            + _listing(_errors(after_findings))
        )
    return after, after_findings


def _check_request(loaded: Loaded, objective: Objective, request: RatingRequest) -> None:
    if request.evidence:
        for ref in request.evidence:
            if not _ID.fullmatch(ref) or ref not in loaded.plan.evidence_by_id:
                raise Refusal(
                    f"evidence {ref} is not in evidence/; add it first "
                    f"(sendplan new evidence {ref}) or check the ID"
                )
    refuse_not_after(objective.id, [r.date for r in objective.ratings], request.day, "rating")


def rate(root: Path, request: RatingRequest, today: date) -> Rated:
    """Append `request` to its objective's ratings, or refuse (Refusal) leaving every byte."""
    refuse_future(request.day, today, "rate")
    if not request.note.strip():
        raise Refusal("a rating needs a note: what is it based on? (--note TEXT)")
    refuse_undecodable((("--note", request.note), ("--by", request.by or "")))
    with atomic.plan_lock(root):
        loaded = load_plan(FolderSource(root))  # the plan is read once; then only the file
        plan = loaded.plan
        objective = find_item(
            loaded, "objective", plan.objective_by_id, request.objective_id, "rated"
        )
        path = objective.path
        findings = run_checks(loaded, today, about=(path, objective.id))
        refuse_broken(findings, path, objective.id, "rating")
        _check_request(loaded, objective, request)
        after, after_findings = append_checked(root, loaded, path, objective.id, request, today)
    rated = after.plan.objective_by_id[objective.id]
    old_warnings = {(f.code, f.message) for f in findings if f.path == path}
    return Rated(
        path=path,
        before=objective_state_in(plan, objective, request.day),
        after=objective_state_in(after.plan, rated, request.day),
        warnings=tuple(f for f in after_findings if (f.code, f.message) not in old_warnings),
    )


def _confirm_written(file: Path, path: str, candidate: bytes, noun: str) -> bytes:
    """Read the file back: only bytes that are on disk may be reported as written."""
    try:
        written = file.read_bytes()
    except OSError as e:
        raise SendplanError(
            f"could not read {path} back after writing it ({e}); the {noun} may not be in "
            "it: check the file (sendplan validate)"
        ) from None
    if written != candidate:
        raise SendplanError(
            f"{path} was changed by another program just after the {noun} was written, so "
            f"the {noun} may not be in it; check the file (sendplan validate) and try again"
        )
    return written


def _restore(file: Path, original: bytes) -> None:
    try:
        atomic.replace(file, original)
    except OSError as e:  # pragma: no cover - the disk failed between two writes
        raise SendplanError(
            f"{file} did not validate after writing and could not be restored ({e}); "
            "restore it from git (git checkout -- FILE)"
        ) from None
