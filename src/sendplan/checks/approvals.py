"""Checks of the board's sign-off records (approvals/<YYYY-MM>.yaml, SPEC §8)."""

from __future__ import annotations

from collections.abc import Iterator

from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity


@check(
    "approval-commit-unknown",
    Severity.ERROR,
    bad="commit: 0123456789abcdef0123456789abcdef01234567   # not in this repository",
    good="commit: 3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a   # git rev-parse HEAD on main",
    locked=True,
)
def approval_commit_unknown(context: Context) -> Iterator[Problem]:
    """An approval's `commit` is a commit of the plan's git history (where history is there).

    The approved month's report is compared with, and can be rendered from, that commit: what
    the board saw. A commit of a branch that was squashed, rebased or deleted is gone from
    every fresh clone; name the main-branch commit instead. A shallow clone or a folder
    without git is not checked."""
    missing = context.missing_commits([a.commit for a in context.plan.approvals])
    for approval in context.plan.approvals:
        if approval.commit in missing:
            yield Problem(
                approval.path,
                ("commit",),
                f"the approval of {approval.month} names commit {approval.commit[:12]}, which "
                "is not in this repository's history; was it on a branch that was squashed, "
                "rebased or deleted? Name the commit on the main branch that the approved "
                "report came from",
                approval.month,
            )
