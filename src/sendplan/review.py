"""`diff` and `history` as reviewers read them: Markdown for a PR comment, and JSON (SPEC §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sendplan.dates import long_date, month_label
from sendplan.diff import KINDS, HistoryEntry, PlanDiff
from sendplan.findings import Change, Severity
from sendplan.model import Approval
from sendplan.safetext import json_document, md_cell, terminal

KIND_HEADINGS = {
    "objective": "Objectives",
    "evidence": "Evidence",
    "kpi": "KPIs",
    "area": "Areas",
    "recommendation": "Recommendations",
    "approval": "Approvals",
    "config": "Settings (sendplan.yaml)",
    "template": "Report templates (templates/)",
}
KIND_NAMES = {
    "objective": "Objective",
    "evidence": "Evidence",
    "kpi": "KPI",
    "area": "Area",
    "recommendation": "Recommendation",
    "approval": "Approval",
    "config": "Setting",
    "template": "Template",
}


@dataclass(frozen=True)
class Sides:
    """What was compared: names as the user gave them, and the commits they resolved to."""

    base: str
    base_commit: str
    target: str  # "worktree" for the working tree
    target_commit: str | None

    def label(self, name: str, commit: str | None) -> str:
        if commit is None:
            return "the working tree"
        return commit[:10] if name == commit else f"{name} ({commit[:10]})"

    @property
    def base_label(self) -> str:
        return self.label(self.base, self.base_commit)

    @property
    def target_label(self) -> str:
        return self.label(self.target, self.target_commit)


def cell(text: str) -> str:
    """Text that shows literally in a GFM table cell and cannot break it."""
    return md_cell(terminal(" ".join(text.splitlines())))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary(result: PlanDiff) -> str:
    """`5 changes (1 error, 2 warnings, 2 info)`."""
    total = len(result.changes)
    if not total:
        return "no changes"
    counts = ", ".join(
        _plural(result.count(level), str(level))
        for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if result.count(level)
    )
    return f"{_plural(total, 'change')} ({counts})"


def _change_json(change: Change) -> dict[str, str]:
    return {
        "kind": change.kind,
        "id": change.id,
        "change": change.change,
        "severity": str(change.severity),
        "message": change.message,
        "path": change.path,
    }


def diff_json(result: PlanDiff, sides: Sides) -> str:
    """The `diff --format json` document."""
    return json_document(
        {
            "base": sides.base,
            "base_commit": sides.base_commit,
            "target": sides.target,
            "target_commit": sides.target_commit,
            "changes": [_change_json(c) for c in result.changes],
            "unreadable": [
                {"side": u.side, "path": u.path, "message": u.message} for u in result.unreadable
            ],
        }
    )


def _severity_cell(level: Severity) -> str:
    return f"**{level}**" if level is Severity.ERROR else str(level)


_ERROR_NOTES = {
    "history-rewritten": "History was rewritten: past entries must stay as they were; add a "
    "new dated entry instead.",
    "post-approval-change": "A month a board approved was changed: its report no longer shows "
    "what the board saw. Date the new entry after the approved month instead.",
    "rated-objective-removed": "A rated objective's file was deleted: its history is lost. "
    "Keep the file and withdraw the objective (sendplan withdraw ID --reason TEXT).",
}


def error_notes(result: PlanDiff) -> list[str]:
    """One sentence for each kind of error in the diff: what went wrong and what to do."""
    codes = {c.change for c in result.changes if c.severity is Severity.ERROR}
    return [note for code, note in _ERROR_NOTES.items() if code in codes]


def diff_markdown(result: PlanDiff, sides: Sides) -> str:
    """GitHub-flavoured Markdown, ready to paste as a pull-request comment."""
    lines = [
        f"**Plan changes** from {cell(sides.base_label)} to {cell(sides.target_label)}: "
        f"{summary(result)}",
    ]
    for note in error_notes(result):
        lines += ["", note]
    for kind in KINDS:
        changes = [c for c in result.changes if c.kind == kind]
        if not changes:
            continue
        lines += ["", f"#### {KIND_HEADINGS[kind]}", ""]
        first = {"config": "Key", "template": "Path"}.get(kind, "ID")
        lines.append(f"| {first} | Title | Change | Severity | Details |")
        lines.append("| --- | --- | --- | --- | --- |")
        for c in changes:
            lines.append(
                f"| {cell(c.id)} | {cell(c.title)} | {cell(c.change)} | "
                f"{_severity_cell(c.severity)} | {cell(c.message)} |"
            )
    if result.unreadable:
        lines += ["", "#### Files that could not be read", ""]
        lines.append("| Side | Path | Problem |")
        lines.append("| --- | --- | --- |")
        for u in result.unreadable:
            lines.append(f"| {u.side} | {cell(u.path)} | {cell(u.message)} |")
    return "\n".join(lines) + "\n"


def _approved_json(approval: Approval | None) -> dict[str, str] | None:
    if approval is None:
        return None
    return {
        "month": approval.month,
        "board": approval.board,
        "date": approval.date.isoformat(),
        "commit": approval.commit,
    }


def approved_words(approval: Approval | None) -> str:
    """`approved: May 2024 report, SIAB, 26 June 2024`, or `not yet approved`."""
    if approval is None:
        return "not yet approved"
    return (
        f"approved: {month_label(approval.month_end)} report, {approval.board}, "
        f"{long_date(approval.date)}"
    )


def history_json(objective_id: str, entries: Sequence[HistoryEntry]) -> str:
    """The `history --format json` document."""
    return json_document(
        {
            "id": objective_id,
            "commits": [
                {
                    "commit": e.sha,
                    "date": e.date.isoformat(),
                    "author": e.author,
                    "subject": e.subject,
                    "changes": [_change_json(c) for c in e.changes],
                    "unreadable": e.unreadable,
                    "approved": _approved_json(e.approved),
                }
                for e in entries
            ],
        }
    )


def history_markdown(objective_id: str, entries: Sequence[HistoryEntry]) -> str:
    """The objective's history as one GFM table, a row per change."""
    lines = [
        f"**History of {cell(objective_id)}**: {_plural(len(entries), 'commit')}",
        "",
    ]
    # The Approved column only when a board approved any of it (approvals/).
    marked = any(e.approved is not None for e in entries)
    approved_column = (" Approved |", " --- |") if marked else ("", "")
    lines.append(f"| Date | Commit | Author | Subject |{approved_column[0]} Change | Details |")
    lines.append(f"| --- | --- | --- | --- |{approved_column[1]} --- | --- |")
    for e in entries:
        head = (
            f"| {e.date.date().isoformat()} | {e.sha[:10]} | {cell(e.author)} | {cell(e.subject)}"
        )
        if marked:
            head += f" | {cell(approved_words(e.approved).removeprefix('approved: '))}"
        rows = [(c.change, c.message) for c in e.changes]
        rows += [("unreadable", f"{path} could not be read") for path in e.unreadable]
        for change, message in rows or [("", "no change in plan terms")]:
            lines.append(f"{head} | {cell(change)} | {cell(message)} |")
    return "\n".join(lines) + "\n"
