"""`sendplan withdraw`: withdraw an objective instead of deleting it (SPEC §8).

Adds `withdrawn: {on: DATE, reason: TEXT}` to the objective's file by inserting text after
its last line: every other byte stays, and the write is checked like `rate`'s (valid before
it is written, atomic, read back and validated after, the original restored on failure).
The objective keeps its history; from that date it leaves the counts and flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sendplan import atomic
from sendplan.checks import run_checks
from sendplan.errors import Refusal
from sendplan.load import load_plan
from sendplan.rate import (
    find_item,
    only_inserts,
    refuse_broken,
    refuse_future,
    refuse_undecodable,
    write_checked,
)
from sendplan.sources import FolderSource
from sendplan.yamledit import add_key, scalar
from sendplan.yamlfile import BOM, decode, parse_yaml


@dataclass(frozen=True)
class WithdrawRequest:
    """What `sendplan withdraw` was asked to record."""

    objective_id: str
    reason: str
    day: date


@dataclass(frozen=True)
class Withdrawn:
    path: str
    ratings: int
    """How many ratings the objective keeps."""


def withdrawn_bytes(raw: bytes, request: WithdrawRequest) -> bytes:
    """The file's bytes with the withdrawal added: inserted text only, checked by reading back."""
    text, problem = decode(raw)
    if text is None:  # pragma: no cover - a file that does not decode is refused before
        raise Refusal(problem.message if problem else "the file is not UTF-8 text")
    entry = [("on", request.day.isoformat()), ("reason", scalar(request.reason))]
    try:
        inserted = add_key(text, "withdrawn", entry)
    except ValueError as e:
        raise Refusal(f"cannot add the withdrawal to this file: {e}") from None
    result = (BOM if raw.startswith(BOM) else b"") + inserted.encode("utf-8")
    old_data, new_data = parse_yaml(text).data, parse_yaml(inserted).data
    expected = dict(old_data) if isinstance(old_data, dict) else {}
    expected["withdrawn"] = {"on": request.day.isoformat(), "reason": request.reason}
    if not only_inserts(raw, result) or new_data != expected:  # pragma: no cover - a bug
        raise Refusal(
            "could not add the withdrawal without changing other content; the file is "
            "unchanged: please add `withdrawn: {on: DATE, reason: TEXT}` by hand"
        )
    return result


def withdraw(root: Path, request: WithdrawRequest, today: date) -> Withdrawn:
    """Mark the objective withdrawn, or refuse (Refusal) leaving every byte."""
    refuse_future(request.day, today, "withdraw")
    if not request.reason.strip():
        raise Refusal("a withdrawal needs a reason: why is the objective withdrawn? (--reason)")
    refuse_undecodable((("--reason", request.reason),))
    with atomic.plan_lock(root):
        loaded = load_plan(FolderSource(root))  # the plan is read once; then only the file
        plan = loaded.plan
        objective = find_item(
            loaded, "objective", plan.objective_by_id, request.objective_id, "withdrawn"
        )
        findings = run_checks(loaded, today, about=(objective.path, objective.id))
        if objective.withdrawn is not None:
            raise Refusal(
                f"{objective.id} was already withdrawn on {objective.withdrawn.on}; a withdrawal "
                "is recorded once"
            )
        refuse_broken(findings, objective.path, objective.id, "withdrawing it")
        later = [r.date for r in objective.ratings if r.date > request.day]
        if later:
            raise Refusal(
                f"{objective.id} has a rating dated {max(later)}, after {request.day}; withdraw it "
                "on or after its last rating (--on DATE)"
            )
        original = loaded.source.read(objective.path)
        contents = (original, withdrawn_bytes(original, request))
        words = ("withdrawal", "withdrawn")
        write_checked(root, loaded, objective.path, objective.id, contents, words, today)
    return Withdrawn(objective.path, len(objective.ratings))
