"""`sendplan report` and `sendplan flags`: the plan at a date."""

from __future__ import annotations

import enum
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.cli.app import (
    LARGE_PLAN_FILES,
    AllowInvalidOption,
    AsOfOption,
    KindChoice,
    KindOption,
    MonthOption,
    OutputOption,
    PlanOption,
    Progress,
    as_of_option,
    check_output,
    command,
    fail,
    load_valid,
    output_format,
    plan_root,
    stderr,
    stdout,
    write_file,
    write_out,
)
from sendplan.errors import SendplanError
from sendplan.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sendplan.recommendation_rows import RecommendationRow
    from sendplan.rows import ObjectiveRow
    from sendplan.views import ReportView


class ReportFormat(enum.StrEnum):
    md = "md"
    html = "html"
    json = "json"
    pdf = "pdf"


class FlagsFormat(enum.StrEnum):
    text = "text"
    json = "json"
    md = "md"


def generated_at() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so two runs on one commit give identical bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise SendplanError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return datetime.now(tz=UTC).replace(microsecond=0)


REPORT_SUFFIXES = {
    ".md": ReportFormat.md,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
    ".json": ReportFormat.json,
    ".pdf": ReportFormat.pdf,
}


def _print_summary(view: ReportView, output: Path) -> None:
    """The report's own summary section, on one screen of the terminal."""
    from rich.text import Text

    from sendplan.safetext import terminal
    from sendplan.vocabulary import MILESTONE_PASSED, STATUS_WORDS, flag_word, rating_word

    console = stderr()
    summary, header = view.summary, view.header
    console.print(
        Text(
            f"{header.month} (as of {header.as_of}): {summary.objectives} objectives",
            style="bold",
        )
    )
    console.print(
        Text(
            "  "
            + "  ".join(
                f"{rating_word(r.rating)} {r.now} (was {r.previous})" for r in summary.ratings
            )
        )
    )
    console.print(Text("  " + "  ".join(f"{flag_word(f.flag)} {f.count}" for f in summary.flags)))
    if summary.recommendations:
        counts = [f"{STATUS_WORDS[c.status]} {c.now}" for c in summary.recommendations]
        counts += [f"{flag_word(f.flag)} {f.count}" for f in summary.recommendation_flags]
        console.print(Text("  recommendations: " + "  ".join(counts)))
    for milestone in summary.milestones_passed:
        passed = f"  {MILESTONE_PASSED}: {milestone.name}, due {milestone.due}"
        console.print(Text(terminal(passed), style="yellow"))
    console.print(Text(f"  wrote {terminal(output)}"))


@command(
    "sendplan report --month 2024-06 -o build/report.html",
    "sendplan report --month 2024-06 -o build/report.pdf",
    "sendplan report --as-of 2024-06-15 --format json",
    "sendplan report --month 2024-05 --as-approved -o build/approved-2024-05.html",
)
def report(
    plan: PlanOption = None,
    month: MonthOption = None,
    as_of: AsOfOption = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="md, html, json or pdf (default: from -o, else md)."),
    ] = None,
    output: OutputOption = None,
    public: Annotated[
        bool, typer.Option("--public", help="Leave out evidence marked public: false.")
    ] = False,
    allow_invalid: AllowInvalidOption = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress or summary on stderr (after writing -o)."),
    ] = False,
    as_approved: Annotated[
        bool,
        typer.Option(
            "--as-approved",
            help="The plan as it was at the commit the board approved for --month "
            "(approvals/YYYY-MM.yaml): what the board saw.",
        ),
    ] = False,
) -> None:
    """The board report at the end of a month, or at a date.

    Summary, needs attention, movement, KPIs, coming up, objectives by area, areas for
    improvement, evidence and the key. The format follows -o's suffix (.md, .html, .json,
    .pdf) or --format; without either it is Markdown on stdout. A plan with errors is
    refused (exit 1) unless --allow-invalid.

    A month a board approved (approvals/YYYY-MM.yaml) names the approval and lists the
    changes made since that alter it; --as-approved renders the plan as the board saw it.
    """
    day = as_of_option(month, as_of)
    if as_approved and month is None:
        raise SendplanError("--as-approved needs --month YYYY-MM: the month that was approved")
    fmt = output_format(format, output, REPORT_SUFFIXES, ReportFormat.md)
    if fmt is ReportFormat.pdf and output is None:
        raise fail("a PDF is not written to the terminal: pass -o FILE, e.g. -o report.pdf")
    root = plan_root(plan)
    if output is not None:
        check_output(output, root)
    progress = Progress(quiet)
    try:
        view, max_bytes = _report_view(
            root, day, month, public, allow_invalid, as_approved, progress
        )
        large = view.summary.objectives >= LARGE_PLAN_FILES // 4
        if fmt is ReportFormat.json:
            from sendplan.views import as_json

            text = as_json(view)
        elif fmt is ReportFormat.pdf:
            from sendplan.pdf import html_to_pdf
            from sendplan.render import render

            progress.step("rendering the report")
            html = render(view, "html", root, max_bytes)
            progress.step("laying out the PDF pages (WeasyPrint)")
            assert output is not None  # checked before the plan was loaded
            pdf = html_to_pdf(html)
            progress.done()
            write_file(output, pdf, root)
            text = None
        else:
            from sendplan.render import render

            if large:
                progress.step("rendering the report")
            text = render(view, fmt.value, root, max_bytes)
    finally:
        progress.done()
    if text is not None:
        write_out(text, output, root)
    if output is not None and not quiet:
        _print_summary(view, output)


def _report_view(
    root: Path,
    day: date,
    month: str | None,
    public: bool,
    allow_invalid: bool,
    as_approved: bool,
    progress: Progress,
) -> tuple[ReportView, int]:
    """The report's view (of the plan, or of the plan the board approved), and the plan's
    max_file_bytes (its templates are read within it)."""
    from sendplan import git
    from sendplan.comparison import approved_month
    from sendplan.signoff import approval_of
    from sendplan.state import state_at
    from sendplan.views import ReportMeta, board_report

    loaded, errors = load_valid(root, allow_invalid, progress)
    approval = approval_of(loaded.plan, day)
    approved = approved_month(root, loaded.plan, approval) if approval else None
    if as_approved:
        if approved is None:
            raise SendplanError(
                f"{month} has no approval: there is no approvals/{month}.yaml "
                "(sendplan approve records one)"
            )
        if approved.loaded is None:
            raise SendplanError(f"cannot read the approved plan: {approved.unavailable}")
        reported = approved.loaded.plan
        at_commit = sum(f.severity is Severity.ERROR for f in approved.loaded.findings)
        meta = ReportMeta(
            generated_at=generated_at(),
            commit=approved.approval.commit,
            public=public,
            invalid=at_commit,
            approval=approved.approval,
            as_approved=True,
        )
    else:
        reported = loaded.plan
        head = git.head_info(root)
        meta = ReportMeta(
            generated_at=generated_at(),
            commit=head.commit if head else None,
            dirty=head.dirty if head else False,
            public=public,
            invalid=errors,
            approval=approval,
            since_approval=approved.changes if approved else None,
            unavailable=approved.unavailable if approved else None,
        )
    view = board_report(reported, state_at(reported, day), meta)
    return view, loaded.plan.settings.max_file_bytes


@command(
    "sendplan flags --month 2024-06",
    "sendplan flags --fail-on red,overdue --format json",
    "sendplan flags --kind recommendations --fail-on unanswered",
)
def flags(
    plan: PlanOption = None,
    month: MonthOption = None,
    as_of: AsOfOption = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only items of this owner (any case).")
    ] = None,
    kind: KindOption = KindChoice.objectives,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Exit 1 when any of these flags is raised, e.g. red,overdue."
        ),
    ] = None,
    format: Annotated[
        FlagsFormat, typer.Option("--format", "-f", help="text, json or md.")
    ] = FlagsFormat.text,
    allow_invalid: AllowInvalidOption = False,
) -> None:
    """Objectives needing attention at a date, with their flags.

    Flags: red, contradicted, overdue, stale, declined, rebaselined, unrated; with --kind
    recommendations (or all), a recommendation's overdue and unanswered. --fail-on exits 1
    when any of the flags named is raised, so a CI job can gate on it.
    """
    from sendplan.flagging import Kind, flagged, flags_json, flags_markdown, parse_flag_list

    day = as_of_option(month, as_of)
    wanted: Kind = kind.value
    gate = parse_flag_list(fail_on, wanted) if fail_on is not None else ()  # `""`: exit 2
    root = plan_root(plan)
    loaded, _ = load_valid(root, allow_invalid, Progress())
    found = flagged(loaded.plan, day, wanted, owner)
    if format is FlagsFormat.json:
        write_out(flags_json(day, found.objectives, found.recommendations))
    elif format is FlagsFormat.md:
        write_out(flags_markdown(day, found.objectives, found.recommendations))
    else:
        if found.objectives is not None:
            _print_flags(day, found.objectives)
        if found.recommendations is not None:
            _print_recommendation_flags(day, found.recommendations)
    if found.raised.intersection(gate):
        raise typer.Exit(1)


def _print_table(
    empty: str, title: str, noun: str, columns: tuple[str, ...], rows: Sequence[Sequence[str]]
) -> None:
    """A table of flagged items (cells already made safe for a terminal), and their count."""
    from rich.table import Table
    from rich.text import Text

    console = stdout()
    if not rows:
        console.print(Text(empty))
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    console.print(Text(f"{len(rows)} {noun}{'s' if len(rows) != 1 else ''} flagged"))


def _print_flags(day: date, items: list[ObjectiveRow]) -> None:
    from sendplan.flagging import flag_text
    from sendplan.safetext import terminal
    from sendplan.vocabulary import ONGOING, owner_word, rating_word

    rows = [
        (
            terminal(item.id),
            terminal(item.title),
            terminal(owner_word(item.owner)),
            str(item.due) if item.due else ONGOING,
            rating_word(item.rating),
            terminal(flag_text(item)),
        )
        for item in items
    ]
    columns = ("Objective", "Title", "Owner", "Due", "Rating", "Flags")
    _print_table(
        f"Nothing flagged as of {day}.", f"Flagged as of {day}", "objective", columns, rows
    )


def _print_recommendation_flags(day: date, items: list[RecommendationRow]) -> None:
    from sendplan.safetext import terminal
    from sendplan.vocabulary import EMPTY, STATUS_WORDS, flag_word, owner_word

    rows = [
        (
            terminal(item.id),
            terminal(item.text),
            terminal(owner_word(item.owner)),
            str(item.due) if item.due else EMPTY,
            STATUS_WORDS[item.status],
            ", ".join(flag_word(f) for f in item.flags),
        )
        for item in items
    ]
    columns = ("Recommendation", "Text", "Owner", "Due", "Status", "Flags")
    title = f"Recommendations flagged as of {day}"
    _print_table(f"No recommendation flagged as of {day}.", title, "recommendation", columns, rows)
