"""`sendplan update`: append one dated status update to a recommendation, like `rate`.

The update is written by rate.py's append: inserted text only, checked before and after an
atomic write, every other byte of the file left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sendplan import atomic
from sendplan.checks import run_checks
from sendplan.errors import Refusal
from sendplan.findings import Finding
from sendplan.load import load_plan
from sendplan.rate import (
    append_checked,
    find_item,
    parse_choice,
    refuse_broken,
    refuse_future,
    refuse_not_after,
    refuse_undecodable,
)
from sendplan.recommendations import RecommendationState, recommendation_state
from sendplan.sources import FolderSource
from sendplan.vocabulary import STATUSES
from sendplan.yamledit import scalar


@dataclass(frozen=True)
class UpdateRequest:
    """What `sendplan update` was asked to append."""

    list_key = "updates"
    noun = "update"
    done_to = "updated"
    recommendation_id: str
    status: str
    note: str
    day: date

    def entry(self) -> dict[str, object]:
        """The update as the loader reads it back."""
        return {"date": self.day.isoformat(), "status": self.status, "note": self.note}

    def yaml_entry(self) -> list[tuple[str, str]]:
        """The update as one-line YAML values, in the SPEC's key order."""
        return [
            ("date", self.day.isoformat()),
            ("status", self.status),
            ("note", scalar(self.note)),
        ]


@dataclass(frozen=True)
class Updated:
    """What `update` did: the file, and the recommendation at the update's date before and
    after."""

    path: str
    before: RecommendationState
    after: RecommendationState
    warnings: tuple[Finding, ...]


def parse_status(text: str) -> str:
    """open, in-progress, implemented or closed, in any case."""
    return parse_choice(text, STATUSES, "status")


def update(root: Path, request: UpdateRequest, today: date) -> Updated:
    """Append `request` to its recommendation's updates, or refuse leaving every byte."""
    refuse_future(request.day, today, "update")
    if not request.note.strip():
        raise Refusal("an update needs a note: what happened? (--note TEXT)")
    refuse_undecodable((("--note", request.note),))
    with atomic.plan_lock(root):
        loaded = load_plan(FolderSource(root))  # the plan is read once; then only the file
        by_id = loaded.plan.recommendation_by_id
        rec = find_item(loaded, "recommendation", by_id, request.recommendation_id, "updated")
        findings = run_checks(loaded, today, about=(rec.path, rec.id))
        refuse_broken(findings, rec.path, rec.id, "updating")
        if request.day < rec.made:
            raise Refusal(
                f"{rec.id} was made on {rec.made}; an update cannot be dated before it "
                f"({request.day})"
            )
        refuse_not_after(rec.id, [u.date for u in rec.updates], request.day, "update")
        after, after_findings = append_checked(root, loaded, rec.path, rec.id, request, today)
    updated = after.plan.recommendation_by_id[rec.id]
    days = loaded.plan.settings.response_days
    old_warnings = {(f.code, f.message) for f in findings if f.path == rec.path}
    return Updated(
        path=rec.path,
        before=recommendation_state(rec, request.day, days),
        after=recommendation_state(updated, request.day, after.plan.settings.response_days),
        warnings=tuple(f for f in after_findings if (f.code, f.message) not in old_warnings),
    )
