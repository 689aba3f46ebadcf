"""docs/commands.md, generated from the CLI's own help (`make docs`; a test fails when stale).

Run as `python -m sendplan.cli.reference docs/commands.md`; without a path it prints the page.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

import typer.main

from sendplan.cli.app import app

PAGE = "docs/commands.md"

_HEAD = """\
# Command reference

<!-- Generated from the CLI's own help by `make docs` (python -m sendplan.cli.reference); a test
fails when it is stale. Edit the help in src/sendplan/cli/, not this page. -->
"""


def _cell(text: str) -> str:
    """Text for a GFM table cell: a `|` or a newline must not break the row."""
    return " ".join(text.split()).replace("|", "\\|")


def _paragraphs(help_text: str) -> list[str]:
    """click's help paragraphs, each joined into one line (click re-wraps them the same way)."""
    text = inspect.cleandoc(help_text).partition("\f")[0]
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _examples(epilog: str | None) -> list[str]:
    lines = inspect.cleandoc(epilog or "").splitlines()
    if "\b" not in lines:
        return []
    return [line.strip() for line in lines[lines.index("\b") + 1 :] if line.strip()]


def _option_rows(command: Any, ctx: Any) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or param.name == "help":
            continue
        opts, text = record
        rows.append(f"| `{_cell(opts)}` | {_cell(text)} |")
    if not rows:
        return []
    return ["| argument or option | what it does |", "| --- | --- |", *rows, ""]


def _anchor(name: str) -> str:
    return f"sendplan-{name}"


def commands_markdown() -> str:
    """The whole page: the root help, a table of the commands, then each command's help."""
    group: Any = typer.main.get_command(app)
    root = group.context_class(group, info_name="sendplan")
    names = group.list_commands(root)
    out = [_HEAD]
    out += [f"{p}\n" for p in _paragraphs(group.help or "")]
    out.append("| command | what it does |\n| --- | --- |\n")
    out[-1] += "".join(
        f"| [`sendplan {n}`](#{_anchor(n)}) | {_cell(group.get_command(root, n).short_help)} |\n"
        for n in names
    )
    out.append(_example_block(_examples(group.epilog)))
    options = _option_rows(group, root)
    if options:
        out.append("\n".join(options))
    for name in names:
        command = group.get_command(root, name)
        ctx = command.context_class(command, info_name=name, parent=root)
        usage = " ".join(["sendplan", name, *command.collect_usage_pieces(ctx)])
        out.append(f"## sendplan {name}\n")
        out += [f"{p}\n" for p in _paragraphs(command.help or "")]
        out.append(f"```\n{usage}\n```\n")
        out.append("\n".join(_option_rows(command, ctx)))
        out.append(_example_block(_examples(command.epilog)))
    return "\n".join(out).rstrip("\n") + "\n"


def _example_block(examples: list[str]) -> str:
    heading = "Example:" if len(examples) == 1 else "Examples:"
    return f"{heading}\n\n```sh\n" + "".join(f"{e}\n" for e in examples) + "```\n"


def main(argv: list[str]) -> None:
    text = commands_markdown()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
