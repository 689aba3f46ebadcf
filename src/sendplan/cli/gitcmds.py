"""`sendplan diff` and `sendplan history`: pull requests reviewed as changes to the plan."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.cli.app import PlanOption, command, plan_root, stdout, write_out

if TYPE_CHECKING:
    from rich.text import Text

    from sendplan.diff import HistoryEntry, PlanDiff
    from sendplan.findings import Change
    from sendplan.review import Sides


class DiffFormat(enum.StrEnum):
    text = "text"
    md = "md"
    json = "json"


FormatOption = Annotated[
    DiffFormat, typer.Option("--format", "-f", help="text, md (a pull-request comment) or json.")
]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _change_line(change: Change, indent: str = "  ") -> Text:
    from rich.text import Text

    from sendplan.safetext import terminal

    severity = str(change.severity)
    line = Text(indent)
    line.append(f"{severity:<8}", style=_STYLE[severity])
    line.append(f"{change.change:<18} ", style="bold" if severity != "info" else "")
    line.append(terminal(change.message))
    return line


def _print_diff(result: PlanDiff, sides: Sides) -> None:
    from rich.text import Text

    from sendplan.review import KIND_NAMES, summary
    from sendplan.safetext import terminal

    console = stdout()
    title = terminal(f"Plan changes from {sides.base_label} to {sides.target_label}")
    console.print(Text(title, style="bold"))
    current = None
    for change in result.changes:
        if (change.kind, change.id) != current:
            current = (change.kind, change.id)
            head = Text(f"\n{KIND_NAMES[change.kind]} {terminal(change.id)}", style="bold")
            if change.title:
                head.append(f"  {terminal(change.title)}", style="")
            head.append(f"  ({terminal(change.path)})", style="dim")
            console.print(head)
        console.print(_change_line(change))
    for u in result.unreadable:
        console.print(
            Text(
                f"\n{u.side}: {terminal(u.path)} could not be read: {terminal(u.message)}",
                style="red",
            )
        )
    style = "red" if result.failed else ("yellow" if result.changes else "green")
    console.print(Text(f"\n{summary(result)}", style=style))


@command(
    "sendplan diff origin/main",
    "sendplan diff v2024-05 v2024-06 --format md",
    "sendplan diff origin/main --check",
)
def diff(
    base: Annotated[str, typer.Argument(help="The revision to compare from (e.g. origin/main).")],
    target: Annotated[
        str | None,
        typer.Argument(help="The revision to compare to (default: the working tree)."),
    ] = None,
    plan: PlanOption = None,
    format: FormatOption = DiffFormat.text,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when history was rewritten (an error).")
    ] = False,
) -> None:
    """The change of the plan between two git revisions, in plan terms.

    Ratings added (with their movement), deadlines moved, completion, evidence, KPI points,
    and history rewritten: an edited or removed past rating is an error, which --check turns
    into exit 1. A change to the plan's own templates/ is a warning. TARGET defaults to the
    working tree.
    """
    from sendplan.comparison import diff_revisions
    from sendplan.git import Repository
    from sendplan.review import Sides, diff_json, diff_markdown
    from sendplan.revisions import resolve

    repo = Repository(plan_root(plan))
    base_rev = resolve(repo, base)
    target_rev = resolve(repo, target) if target is not None else None
    result = diff_revisions(repo, base_rev, target_rev)
    sides = Sides(
        base,
        base_rev.sha,
        "worktree" if target_rev is None else target_rev.name,
        None if target_rev is None else target_rev.sha,
    )
    if format is DiffFormat.json:
        write_out(diff_json(result, sides))
    elif format is DiffFormat.md:
        write_out(diff_markdown(result, sides))
    else:
        _print_diff(result, sides)
    raise typer.Exit(1 if check and result.failed else 0)


def _print_history(objective_id: str, entries: list[HistoryEntry]) -> None:
    from rich.text import Text

    from sendplan.review import approved_words
    from sendplan.safetext import terminal

    console = stdout()
    console.print(Text(f"History of {terminal(objective_id)}", style="bold"))
    for e in entries:
        head = Text(f"\n{e.date.date().isoformat()}  ")
        head.append(e.sha[:10], style="yellow")
        head.append(f"  {terminal(e.author)}", style="cyan")
        head.append(f"  {terminal(e.subject)}")
        console.print(head)
        if e.approved is not None:
            console.print(Text(f"  {terminal(approved_words(e.approved))}", style="green"))
        for change in e.changes:
            console.print(_change_line(change))
        for path in e.unreadable:
            console.print(Text(f"  {terminal(path)} could not be read at this commit", style="red"))
        if not e.changes and not e.unreadable:
            console.print(Text("  no change in plan terms (layout or comments only)", style="dim"))


@command(
    "sendplan history P1A:1",
    "sendplan history P1A:1 --format md",
)
def history(
    objective_id: Annotated[str, typer.Argument(metavar="ID", help="The objective's ID.")],
    plan: PlanOption = None,
    format: FormatOption = DiffFormat.text,
) -> None:
    """An objective's changes, commit by commit.

    Each commit that touched the objective's file, oldest first: date, author, subject and
    what changed in plan terms, and which board approval (approvals/) first included it.
    """
    from sendplan.comparison import objective_history, worktree_approvals
    from sendplan.git import Repository
    from sendplan.review import history_json, history_markdown

    root = plan_root(plan)
    entries = objective_history(Repository(root), objective_id, worktree_approvals(root))
    if format is DiffFormat.json:
        write_out(history_json(objective_id, entries))
    elif format is DiffFormat.md:
        write_out(history_markdown(objective_id, entries))
    else:
        _print_history(objective_id, entries)
