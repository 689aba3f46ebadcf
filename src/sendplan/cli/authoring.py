"""`sendplan rate`, `update`, `new`, `init`, `schema` and `export`: changing the plan without
editing YAML.

A refused write exits 1 with the reason and leaves every file as it was; exit 2 is kept for
what stops any command (no plan found, an option typer cannot parse, a failing disk).
"""

from __future__ import annotations

import enum
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan import __version__
from sendplan.cli.app import (
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
    output_format,
    plan_root,
    stderr,
    stdout,
    today,
    write_file,
    write_out,
)
from sendplan.errors import Refusal, SendplanError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sendplan.findings import Finding


def _flag_change(before: Sequence[str], after: Sequence[str]) -> str:
    parts = []
    if cleared := [f for f in before if f not in after]:
        parts.append("cleared " + ", ".join(cleared))
    if raised := [f for f in after if f not in before]:
        parts.append("raised " + ", ".join(raised))
    now = ", ".join(after) or "none"
    return "; ".join([*parts, f"now {now}"]) if parts else f"unchanged ({now})"


def _entry_day(day: str | None, now: date) -> date:
    from sendplan.dates import parse_day

    try:
        return parse_day(day) if day is not None else now
    except ValueError as e:
        raise Refusal(f"--date: {e}") from None


def _print_warnings(warnings: Sequence[Finding]) -> None:
    from rich.text import Text

    from sendplan.safetext import terminal

    for f in warnings:
        warning = terminal(f"warning: {f}")
        stderr().print(Text(warning, style="yellow"))


@command(
    'sendplan rate P1A:1 green --note "Process map agreed." --evidence E1',
    'sendplan rate P1A:1 amber --note "Recruitment delayed." --date 2024-06-30 --by "PDG"',
)
def rate(
    objective_id: Annotated[str, typer.Argument(metavar="ID", help="The objective, e.g. P1A:1.")],
    brag: Annotated[str, typer.Argument(metavar="BRAG", help="red, amber, green or blue.")],
    note: Annotated[str, typer.Option("--note", "-n", help="What the rating is based on.")],
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).", show_default=False)
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who gives the rating.")] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", "-e", help="Evidence IDs, e.g. E24,E25.")
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Append a dated rating to an objective.

    Every other byte of the objective's file stays as it is. Refuses (exit 1, nothing
    written) a date not after the last rating or in the future, unknown evidence, a blank
    note, and an objective whose file has errors.
    """
    from rich.text import Text

    from sendplan.rate import RatingRequest, parse_brag, parse_ids
    from sendplan.rate import rate as append_rating
    from sendplan.safetext import terminal

    now = today()
    rated_on = _entry_day(day, now)
    request = RatingRequest(
        objective_id=objective_id,
        brag=parse_brag(brag),
        note=note,
        day=rated_on,
        by=(by.strip() or None) if by is not None else None,
        evidence=parse_ids(evidence),
    )
    rated = append_rating(plan_root(plan), request, now)
    console = stdout()
    was = rated.before.brag
    done = f"{objective_id}: {was} -> {request.brag} on {rated_on} (added to {rated.path})"
    console.print(Text(terminal(done)))
    console.print(
        Text(f"flags at {rated_on}: {_flag_change(rated.before.flags, rated.after.flags)}")
    )
    _print_warnings(rated.warnings)


@command(
    'sendplan update HOSC-7 in-progress --note "Portal access extended to partners."',
    'sendplan update HOSC-7 implemented --note "Reported to the committee." --date 2024-09-12',
)
def update(
    recommendation_id: Annotated[
        str, typer.Argument(metavar="REC-ID", help="The recommendation, e.g. HOSC-7.")
    ],
    status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help="open, in-progress, implemented or closed."),
    ],
    note: Annotated[str, typer.Option("--note", "-n", help="What happened.")],
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).", show_default=False)
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Append a dated status update to a recommendation.

    Written like `rate`: every other byte of the recommendation's file stays as it is.
    Refuses (exit 1, nothing written) a date not after the last update, before the
    recommendation was made or in the future, a blank note, and a file that has errors.
    """
    from rich.text import Text

    from sendplan.safetext import terminal
    from sendplan.update import UpdateRequest, parse_status
    from sendplan.update import update as append_update

    now = today()
    request = UpdateRequest(recommendation_id, parse_status(status), note, _entry_day(day, now))
    updated = append_update(plan_root(plan), request, now)
    was = updated.before.status
    done = (
        f"{recommendation_id}: {was} -> {request.status} on {request.day} (added to {updated.path})"
    )
    console = stdout()
    console.print(Text(terminal(done)))
    flags = _flag_change(updated.before.flags, updated.after.flags)
    console.print(Text(f"flags at {request.day}: {flags}"))
    _print_warnings(updated.warnings)


class NewKindChoice(enum.StrEnum):
    objective = "objective"
    evidence = "evidence"
    kpi = "kpi"
    recommendation = "recommendation"


@command(
    'sendplan new objective P1A:2 --title "Publish the offer" --owner "Head of SEND" --due 2025-03',
    'sendplan new evidence E2 --title "Delivery group minutes, June"',
    'sendplan new kpi tribunals --title "Tribunal appeals"',
    'sendplan new recommendation HOSC-13 --from "Health Scrutiny Committee" --objectives P1A:2',
)
def new(
    kind: Annotated[
        NewKindChoice, typer.Argument(help="objective, evidence, kpi or recommendation.")
    ],
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The new item's ID.")],
    area: Annotated[str | None, typer.Option("--area", help="Objective: its area.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="Objective: its theme.")] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The title (a recommendation: its text).")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Objective or recommendation: the accountable role."),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", help="Objective (default: ongoing) or recommendation: YYYY-MM or YYYY-MM-DD."
        ),
    ] = None,
    made_by: Annotated[
        str | None, typer.Option("--from", help="Recommendation: who made it.")
    ] = None,
    made: Annotated[
        str | None,
        typer.Option("--made", help="Recommendation: when it was made (default: today)."),
    ] = None,
    objectives: Annotated[
        str | None,
        typer.Option("--objectives", help="Recommendation: the objectives delivering it."),
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Create a valid objective, evidence, KPI or recommendation file.

    The file is written from a template, checked with the plan around it first, and never
    overwrites anything. An objective's area comes from --area, --theme or its ID
    (P1A:2 is in theme P1A). A recommendation needs --from; it is made today unless --made
    says otherwise.
    """
    from rich.text import Text

    from sendplan.rate import parse_ids
    from sendplan.safetext import terminal
    from sendplan.scaffolding import NewRequest, create
    from sendplan.schema import SCHEMA_FOLDER

    root = plan_root(plan)
    request = NewRequest(
        kind.value,
        item_id,
        title,
        area,
        theme,
        owner,
        due,
        from_=made_by,
        made=made,
        objectives=parse_ids(objectives),
    )
    created = create(root, request, today())
    console = stdout()
    console.print(Text(f"created {terminal(created.path)}"))
    if kind is NewKindChoice.objective and due is None:
        console.print(Text("  no --due: written as ongoing: true; replace it with due: YYYY-MM"))
    for f in created.warnings:
        warning = terminal(f"  validate will warn: {f.code}: {f.message}")
        console.print(Text(warning, style="yellow"))
    if not (root / SCHEMA_FOLDER).is_dir():
        hint = f"  for editors to check it: sendplan schema --write {SCHEMA_FOLDER}"
        console.print(Text(hint))


class HookChoice(enum.StrEnum):
    local = "local"
    remote = "remote"


@command(
    'sendplan init my-plan --name "Riverside SEND Improvement Plan"',
    "sendplan init my-plan --hook remote --rev v1.0.0 --package sendplan==1.0.0",
)
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder.")],
    name: Annotated[str, typer.Option("--name", help="The plan's name.")] = "SEND Improvement Plan",
    hook: Annotated[
        HookChoice,
        typer.Option(
            "--hook",
            help="The pre-commit hook: local runs the sendplan installed here (offline); "
            "remote has pre-commit install sendplan from its repository at --rev.",
        ),
    ] = HookChoice.local,
    rev: Annotated[
        str | None,
        typer.Option("--rev", help="With --hook remote: the tag or commit of sendplan to use."),
    ] = None,
    package: Annotated[
        str | None,
        typer.Option(
            "--package",
            metavar="SPEC",
            help="What the CI workflow installs, as pip reads it "
            f"(default: sendplan=={__version__}, the version writing the files).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a new plan repository that validates.

    An example area, objective, evidence item and KPI, JSON schemas for editors, a
    pre-commit config, a CI workflow and a README for the plan's owners; then git init.
    Nothing in it needs editing before the first commit.
    """
    from rich.text import Text

    from sendplan.safetext import terminal
    from sendplan.scaffolding import InitOptions, init_plan

    chosen = {"package": package} if package is not None else {}
    options = InitOptions(name=name, hook=hook.value, rev=rev, **chosen)
    done = init_plan(folder, options, today())
    console = stdout()
    console.print(
        Text(terminal(f"created a plan repository in {folder} ({len(done.written)} files)"))
    )
    if done.git:
        console.print(Text("  git init: done"))
    console.print(Text(terminal(f"next: cd {folder} && pre-commit install && sendplan validate")))
    console.print(Text("  README.md has the first steps"))


class SchemaKindChoice(enum.StrEnum):
    objective = "objective"
    area = "area"
    evidence = "evidence"
    kpi = "kpi"
    recommendation = "recommendation"
    settings = "settings"
    approval = "approval"


@command(
    "sendplan schema objective",
    "sendplan schema --write .sendplan/schemas",
)
def schema(
    kind: Annotated[
        SchemaKindChoice | None,
        typer.Argument(
            help="objective, area, evidence (front matter), kpi, recommendation, settings or "
            "approval."
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option("--write", metavar="DIR", help="Write <kind>.schema.json files into DIR."),
    ] = None,
) -> None:
    """JSON Schema of the plan's files, for editors.

    Generated from the models validate uses, with a description of every field.
    """
    from rich.text import Text

    from sendplan.schema import KINDS, SchemaKind, all_schemas_text, schema_text, write_schemas

    chosen: SchemaKind | None = kind.value if kind is not None else None
    if write is not None:
        written = write_schemas(write, (chosen,) if chosen is not None else KINDS)
        stderr().print(Text(f"wrote {len(written)} schema{'s' * (len(written) != 1)} to {write}"))
        return
    write_out(schema_text(chosen) if chosen is not None else all_schemas_text())


class ExportFormat(enum.StrEnum):
    csv = "csv"
    json = "json"


@command(
    "sendplan export --month 2024-06 -o plan.csv",
    "sendplan export --as-of 2024-06-15 --format json",
)
def export(
    plan: PlanOption = None,
    month: MonthOption = None,
    as_of: AsOfOption = None,
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="csv or json (default: from -o, else csv)."),
    ] = None,
    output: OutputOption = None,
    kind: KindOption = KindChoice.objectives,
    allow_invalid: AllowInvalidOption = False,
) -> None:
    """One row per objective with its state at a date (CSV or JSON).

    With --kind recommendations, one row per recommendation; for Excel or Power BI. CSV is
    UTF-8 with a BOM; a cell that a spreadsheet would run as a formula gets a leading
    apostrophe. A CSV file holds one table: --kind all needs JSON.
    """
    from sendplan.cli.app import load_valid
    from sendplan.export import (
        RECOMMENDATION_COLUMNS,
        as_csv,
        as_json,
        export_rows,
        recommendation_export_rows,
    )
    from sendplan.state import state_at

    day = as_of_option(month, as_of)
    fmt = output_format(
        format, output, {".csv": ExportFormat.csv, ".json": ExportFormat.json}, ExportFormat.csv
    )
    if fmt is ExportFormat.csv and kind is KindChoice.all:
        raise SendplanError(
            "a CSV file holds one table: export --kind objectives and --kind recommendations "
            "separately, or use --format json for both"
        )
    root = plan_root(plan)
    if output is not None:
        check_output(output, root)
    loaded, _ = load_valid(root, allow_invalid, Progress())
    state = state_at(loaded.plan, day)
    rows = export_rows(loaded.plan, state) if kind is not KindChoice.recommendations else None
    recommendations = (
        recommendation_export_rows(loaded.plan, state)
        if kind is not KindChoice.objectives
        else None
    )
    if fmt is ExportFormat.json:
        write_out(as_json(day, rows, recommendations), output, root)
        return
    if recommendations is not None:
        data = as_csv(day, recommendations, RECOMMENDATION_COLUMNS).encode("utf-8")
    else:
        data = as_csv(day, rows or []).encode("utf-8")
    if output is not None:
        write_file(output, data, root)
    else:  # bytes, so Windows' text mode cannot turn CRLF into CR CR LF
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
