"""`sendplan validate`."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.app import (
    PlanOption,
    Progress,
    command,
    load_and_check,
    may_style,
    plan_root,
    stdout,
    write_out,
)
from sendplan.findings import Finding, Severity, Summary
from sendplan.safetext import terminal


class ValidateFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


class ChecksFormat(enum.StrEnum):
    text = "text"
    json = "json"
    md = "md"


Styled = list[tuple[str, str]]  # one line of output: (text, rich style or "") pieces


def _text_lines(findings: list[Finding], summary: Summary, root: Path) -> Iterator[Styled]:
    """The text report, line by line: each file's name, then its findings, then the totals."""
    current = None
    for f in findings:
        if f.path != current:
            current = f.path
            yield [(terminal(f.path), "bold")]
        where = f"{f.line}:{f.column}" if f.line else "-"
        style = "red" if f.severity is Severity.ERROR else "yellow"
        yield [
            ("  ", ""),
            (f"{where:<8}", ""),
            (f"{f.severity!s:<8}", style),
            (f"{f.code:<20} ", "dim"),
            (terminal(f.message), ""),
        ]
    if findings:
        yield []
    noun = "error" if summary.errors == 1 else "errors"
    wnoun = "warning" if summary.warnings == 1 else "warnings"
    style = "red" if summary.errors else ("yellow" if summary.warnings else "green")
    yield [
        (
            f"{summary.errors} {noun}, {summary.warnings} {wnoun} in {summary.files} files "
            f"({terminal(str(root))})",
            style,
        )
    ]


def _print_text(findings: list[Finding], summary: Summary, root: Path) -> None:
    lines = _text_lines(findings, summary, root)
    if may_style(sys.stdout):
        from rich.text import Text

        console = stdout()
        for line in lines:
            console.print(Text.assemble(*line))
    else:  # the same text without rich: pre-commit's and CI's validate starts faster
        write_out("".join(text for line in lines for text, _ in [*line, ("\n", "")]))


@command(
    "sendplan validate",
    "sendplan validate --strict --format github",
)
def validate(
    plan: PlanOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format", "-f", help="text, json, or github (annotations on a pull request)."
        ),
    ] = ValidateFormat.text,
) -> None:
    """Check the whole plan: syntax, schema, links, dates, history.

    Reports every finding with its file, line and column, and exits 1 when there is an error
    (or, with --strict, a warning). docs/checks.md lists what is checked.
    """
    from sendplan.findings import as_github, as_json, summarise

    root = plan_root(plan)
    loaded, findings = load_and_check(root, Progress())
    summary = summarise(findings, loaded.plan.files)
    if format is ValidateFormat.json:
        write_out(as_json(findings, summary))
    elif format is ValidateFormat.github:
        write_out(as_github(findings)) if findings else None
    else:
        _print_text(findings, summary, root)
    raise typer.Exit(1 if summary.failed(strict) else 0)


@command(
    "sendplan checks",
    "sendplan checks --format json",
)
def checks(
    format: Annotated[
        ChecksFormat, typer.Option("--format", "-f", help="text, json or md.")
    ] = ChecksFormat.text,
) -> None:
    """List every code validate and diff report: severity, stage, what it means.

    Locked codes protect the plan's integrity: sendplan.yaml's `checks:` cannot turn them off.
    --format md is docs/checks.md, with each code's explanation and examples.
    """
    from sendplan import catalogue
    from sendplan.safetext import json_document

    codes = catalogue.all_codes()
    if format is ChecksFormat.json:
        write_out(json_document(catalogue.as_json(codes)))
    elif format is ChecksFormat.md:
        write_out(catalogue.as_markdown(codes))
    else:
        write_out(catalogue.as_text(codes))
