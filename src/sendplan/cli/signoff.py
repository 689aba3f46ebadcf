"""`sendplan approve` and `sendplan withdraw`: the board's sign-off, and withdrawal instead of
deletion (SPEC §8). A refusal exits 1 and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from sendplan.cli.app import PlanOption, command, plan_root, stdout, today
from sendplan.errors import Refusal


def _day(option: str, text: str) -> date:
    from sendplan.dates import parse_day

    try:
        return parse_day(text)
    except ValueError as e:
        raise Refusal(f"{option}: {e}") from None


@command(
    'sendplan approve --month 2024-05 --board "SEND Improvement Board" --date 2024-06-26',
    'sendplan approve --month 2024-05 --board "SIAB" --date 2024-06-26 --commit 3f2a9c1 '
    '--by "Independent chair" --note "Approved with two actions for PDG."',
)
def approve(
    month: Annotated[
        str, typer.Option("--month", "-m", help="YYYY-MM: the month whose report was approved.")
    ],
    board: Annotated[str, typer.Option("--board", help="The board that approved it.")],
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD: the meeting.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who signed it off (a role), e.g. the chair.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="e.g. actions the board set.")] = None,
    commit: Annotated[
        str | None,
        typer.Option(
            "--commit",
            help="The revision the approved report came from (default: HEAD, which must "
            "have no uncommitted plan changes).",
        ),
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Record that a board approved a month's report.

    Writes approvals/YYYY-MM.yaml with the full hash of the commit the report came from,
    so that month's report can name the approval, list what changed since, and render
    what the board saw (report --month M --as-approved). Refuses (exit 1, nothing written)
    a month already approved, a date in the future, a revision that does not exist, and
    uncommitted changes to plan files when --commit is not given. Commit the new file
    afterwards.
    """
    from rich.text import Text

    from sendplan.approve import ApprovalRequest
    from sendplan.approve import approve as record
    from sendplan.dates import parse_month
    from sendplan.safetext import terminal

    try:
        parse_month(month)
    except ValueError as e:
        raise Refusal(f"--month: {e}") from None
    meeting = _day("--date", day)
    request = ApprovalRequest(
        month=month,
        board=board.strip(),
        day=meeting,
        by=(by.strip() or None) if by else None,
        note=(note.strip() or None) if note else None,
        commit=commit,
    )
    done = record(plan_root(plan), request, today())
    console = stdout()
    console.print(
        Text(terminal(f"{month}: approved by {request.board} on {meeting}, commit {done.commit}"))
    )
    console.print(Text(terminal(f"wrote {done.path}; next: git add {done.path} && git commit")))


@command(
    'sendplan withdraw P1A:3 --reason "Merged into P1A:2 at the June review."',
    'sendplan withdraw P1A:3 --reason "Superseded by the new strategy." --on 2024-06-30',
)
def withdraw(
    objective_id: Annotated[str, typer.Argument(metavar="ID", help="The objective, e.g. P1A:3.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn.")],
    on: Annotated[
        str | None, typer.Option("--on", help="YYYY-MM-DD (default: today).", show_default=False)
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Withdraw an objective instead of deleting it.

    Adds withdrawn: {on, reason} to the objective's file (every other byte stays as it is):
    it keeps its history, and leaves the counts and flags from that date. Deleting a rated
    objective's file instead fails diff --check (rated-objective-removed). Refuses (exit 1,
    nothing written) a date in the future or before its last rating, an objective already
    withdrawn, a blank reason, and a file with errors.
    """
    from rich.text import Text

    from sendplan.safetext import terminal
    from sendplan.withdraw import WithdrawRequest
    from sendplan.withdraw import withdraw as record

    now = today()
    withdrawn_on = _day("--on", on) if on is not None else now
    done = record(plan_root(plan), WithdrawRequest(objective_id, reason, withdrawn_on), now)
    kept = f"{done.ratings} rating{'s' if done.ratings != 1 else ''}"
    stdout().print(
        Text(terminal(f"{objective_id}: withdrawn on {withdrawn_on} ({done.path}; keeps {kept})"))
    )
