"""docs/commands.md is generated from the CLI's own help, and --help is useful everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sendplan import __version__
from sendplan.cli import app
from sendplan.cli.app import COMMAND_ORDER
from sendplan.cli.reference import PAGE, commands_markdown
from tests.conftest import REPO

runner = CliRunner()


def every_command() -> list[str]:
    """Every registered command, not only the ones COMMAND_ORDER places first."""
    group: Any = typer.main.get_command(app)
    names: list[str] = group.list_commands(group.context_class(group, info_name="sendplan"))
    return names


def test_every_command_is_counted() -> None:
    assert set(COMMAND_ORDER) < set(every_command())
    assert {"update", "site"} <= set(every_command())


def test_docs_commands_md_is_up_to_date() -> None:
    assert (REPO / PAGE).read_text(encoding="utf-8") == commands_markdown(), "run: make docs"


def test_the_page_documents_every_command_and_option() -> None:
    page = commands_markdown()
    for name in every_command():
        assert f"\n## sendplan {name}\n" in page
    assert "| `-o, --output <path>` | Write here instead of stdout. |" in page
    assert "| `--plan <dir>` | The plan repository" in page
    assert "| [`sendplan rate`](#sendplan-rate) | Append a dated rating to an objective. |" in page


def root_help(width: int) -> str:
    result = runner.invoke(app, ["--help"], terminal_width=width, catch_exceptions=False)
    assert result.exit_code == 0
    return result.output


@pytest.mark.parametrize("width", [80, 60])
def test_root_help_shows_every_summary_whole(width: int) -> None:
    text = " ".join(root_help(width).split())
    for name in every_command():
        command = next(
            c
            for c in app.registered_commands
            if c.short_help
            and c.name is None
            and c.callback is not None
            and c.callback.__name__.replace("_", "-") == name
        )
        assert command.callback is not None
        summary = (command.callback.__doc__ or "").strip().splitlines()[0]
        assert summary.endswith(".")
        assert f"{name} {summary}" in text


@pytest.mark.slow
def test_every_command_help_has_its_summary_and_an_example() -> None:
    for name in every_command():
        result = runner.invoke(app, [name, "--help"], terminal_width=80, catch_exceptions=False)
        assert result.exit_code == 0
        lines = result.output.splitlines()
        assert lines[0].startswith(f"Usage: sendplan {name} ")
        assert lines[2].strip().endswith(".")  # the summary, on one line
        examples = lines[lines.index("  Examples:" if "  Examples:" in lines else "  Example:") :]
        assert any(line.startswith(f"    sendplan {name}") for line in examples), name


def test_version() -> None:
    result = runner.invoke(app, ["--version"], catch_exceptions=False)
    assert (result.exit_code, result.output) == (0, f"sendplan {__version__}\n")


@pytest.mark.slow
def test_help_in_a_pipe_is_not_wrapped() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )
    summary = next(line for line in done.stdout.splitlines() if "The format follows" in line)
    assert len(summary) > 100
    assert summary.rstrip().endswith("unless --allow-invalid.")


def test_make_docs_writes_the_page_or_prints_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sendplan.cli.reference import main

    page = commands_markdown()
    main([str(tmp_path / "commands.md")])
    assert (tmp_path / "commands.md").read_bytes() == page.encode("utf-8")  # "\n" endings
    assert capsys.readouterr().out == ""
    main([])
    assert capsys.readouterr().out == page


def test_a_command_without_examples_or_options_documents_neither() -> None:
    import click

    from sendplan.cli.reference import _examples, _option_rows

    assert _examples(None) == []
    assert _examples("See docs/workflow.md.") == []  # no \b block: no examples
    assert _examples("\b\n  sendplan validate\n\n  sendplan report\n") == [
        "sendplan validate",
        "sendplan report",
    ]
    bare = click.Command("bare", help="Nothing to set.", add_help_option=False)
    assert _option_rows(bare, click.Context(bare)) == []
