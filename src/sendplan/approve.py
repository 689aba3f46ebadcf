"""`sendplan approve`: record that a board approved a month's report (SPEC §8).

Writes `approvals/<YYYY-MM>.yaml` naming the full hash of the commit the approved report came
from. It refuses (nothing written) a month already approved, a meeting date in the future, a
revision git does not know, and, when no `--commit` is given, uncommitted changes to plan
files: the report the board saw must be reproducible from the commit recorded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sendplan import atomic
from sendplan.checks import run_checks
from sendplan.errors import Refusal, SendplanError
from sendplan.findings import Severity
from sendplan.load import load_plan, with_file
from sendplan.sources import APPROVALS_FOLDER, YAML_SUFFIXES, FolderSource
from sendplan.yamledit import scalar
from sendplan.yamlfile import parse_yaml

_SHOWN = 5
MODELINE = "# yaml-language-server: $schema=../.sendplan/schemas/approval.schema.json\n"


@dataclass(frozen=True)
class ApprovalRequest:
    """What `sendplan approve` was asked to record."""

    month: str
    """YYYY-MM."""
    board: str
    day: date
    """The meeting."""
    by: str | None = None
    note: str | None = None
    commit: str | None = None
    """A revision as the user named it; None = HEAD."""


@dataclass(frozen=True)
class Approved:
    path: str
    commit: str
    """The full hash recorded."""


def approval_text(request: ApprovalRequest, commit: str) -> str:
    """The file's YAML: one line per field, in the SPEC's order."""
    lines = [
        MODELINE,
        f"month: {request.month}\n",
        f"board: {scalar(request.board)}\n",
        f"date: {request.day.isoformat()}\n",
        f"commit: {_plain_if_safe(commit)}\n",
    ]
    if request.by:
        lines.append(f"by: {scalar(request.by)}\n")
    if request.note:
        lines.append(f"note: {scalar(request.note)}\n")
    return "".join(lines)


def _plain_if_safe(text: str) -> str:
    """A hash as written by git (plain), unless YAML would read it as a number (all digits)."""
    return text if parse_yaml(f"x: {text}").data == {"x": text} else scalar(text)


def _listing(paths: list[str]) -> str:
    shown = ", ".join(paths[:_SHOWN])
    return shown + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")


def _resolve(root: Path, request: ApprovalRequest) -> str:
    """The full hash of the approved commit, or a Refusal saying why there is none."""
    from sendplan.comparison import uncommitted_plan_files
    from sendplan.git import Repository
    from sendplan.revisions import resolve

    try:
        repo = Repository(root)
        revision = resolve(repo, request.commit or "HEAD")
        dirty = uncommitted_plan_files(repo) if request.commit is None else []
    except SendplanError as e:
        raise Refusal(f"no commit to approve: {e}") from None
    if dirty:
        raise Refusal(
            f"the plan has uncommitted changes ({_listing(dirty)}), so HEAD is not what "
            "the report was made from; commit them first, or name the commit the "
            "approved report came from with --commit REV"
        )
    return revision.sha


def approve(root: Path, request: ApprovalRequest, today: date) -> Approved:
    """Write approvals/<month>.yaml, or refuse (Refusal) leaving every file as it was."""
    if request.day > today:
        raise Refusal(
            f"{request.day} is in the future (today is {today}); record an approval on or "
            "after the meeting that gave it"
        )
    if not request.board.strip():
        raise Refusal("name the board that approved the report (--board)")
    folder = root / APPROVALS_FOLDER
    if folder.is_symlink() and not Path(os.path.realpath(folder)).is_relative_to(root.resolve()):
        raise Refusal(f"{APPROVALS_FOLDER}/ is a link out of the plan; nothing was written")
    with atomic.plan_lock(root):
        source = FolderSource(root)
        loaded = load_plan(source)
        existing = [
            f"{APPROVALS_FOLDER}/{request.month}{suffix}"
            for suffix in YAML_SUFFIXES
            if (folder / f"{request.month}{suffix}").exists()
        ]
        claimed = loaded.plan.approval_by_month.get(request.month)
        if claimed is not None:
            existing.append(claimed.path)
        if existing:
            raise Refusal(
                f"{request.month} is already approved ({_listing(sorted(set(existing)))}); an "
                "approval records what a board decided and is not rewritten"
            )
        commit = _resolve(root, request)
        path = f"{APPROVALS_FOLDER}/{request.month}.yaml"
        data = approval_text(request, commit).encode("utf-8")
        trial = run_checks(with_file(loaded, path, data), today, about=(path, request.month))
        errors = [f for f in trial if f.path == path and f.severity is Severity.ERROR]
        if errors:
            details = "; ".join(f"line {f.line}: {f.code}: {f.message}" for f in errors[:_SHOWN])
            raise Refusal(f"the approval would not be valid, so nothing was written: {details}")
        try:
            atomic.create(root / path, data)
        except FileExistsError:
            raise Refusal(f"{path} appeared while approving; nothing was written") from None
        except OSError as e:
            raise SendplanError(f"could not write {path}: {e}") from None
    return Approved(path, commit)
