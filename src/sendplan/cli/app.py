"""The typer application and what every command shares: finding the plan, printing, exiting."""

from __future__ import annotations

import enum
import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TextIO, TypeVar

import typer
from typer.core import TyperGroup

from sendplan import __version__
from sendplan.errors import Refusal, SendplanError

if TYPE_CHECKING:
    from rich.console import Console

    from sendplan.findings import Finding
    from sendplan.load import Loaded

COMMAND_ORDER = (
    "validate",
    "checks",
    "flags",
    "report",
    "diff",
    "history",
    "rate",
    "withdraw",
    "approve",
    "new",
    "init",
    "schema",
    "export",
)
"""The order `sendplan --help` and docs/commands.md list the commands in (others follow)."""


class _Commands(TyperGroup):
    def list_commands(self, ctx: object) -> list[str]:
        known = [name for name in COMMAND_ORDER if name in self.commands]
        return known + [name for name in self.commands if name not in COMMAND_ORDER]


app = typer.Typer(
    name="sendplan",
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # plan contents must never land in a traceback
    rich_markup_mode=None,
)

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        envvar="SENDPLAN_PLAN",
        help="The plan repository (default: the nearest folder with sendplan.yaml).",
        file_okay=False,
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


# rich is imported by the commands that print with it, not at start-up: `validate --format
# json` (CI) never needs it, and it is a sixth of the start-up time (issue 9).
def stderr() -> Console:
    return _console(sys.stderr)


def stdout() -> Console:
    return _console(sys.stdout)


UNWRAPPED = 100_000
"""The line width for a pipe or a CI log: a line is never cut where a terminal's would be."""


def _console(stream: TextIO) -> Console:
    from rich.console import Console

    # Soft wrapping leaves long lines to the terminal; off a terminal (a pipe, a CI log) a
    # table is laid out at its natural width instead of rich's 80 columns (issue 15).
    width = None if is_terminal(stream) else UNWRAPPED
    return Console(file=stream, highlight=False, soft_wrap=True, width=width)


def may_style(stream: TextIO) -> bool:
    """Whether rich may colour what is printed to `stream`: on a terminal, or where the
    environment asks it to (FORCE_COLOR, TTY_COMPATIBLE; rich reads their values). Off a
    terminal with neither, rich prints plain text, which a command can print without it."""
    return is_terminal(stream) or "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `message` to stderr; the caller raises the returned Exit."""
    from rich.text import Text

    from sendplan.safetext import terminal_lines

    stderr().print(Text(f"sendplan: {terminal_lines(message)}", style="red"))
    return typer.Exit(code)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn an exception a user may see into its message on stderr and its exit code:
    a Refusal (a write not done, nothing changed) exits 1, a SendplanError (cannot proceed) 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Refusal as e:
            raise fail(str(e), code=1) from None
        except SendplanError as e:
            raise fail(str(e)) from None

    return run


def plan_root(option: Path | None) -> Path:
    from sendplan.sources import find_root

    return find_root(Path.cwd(), option)


def today() -> date:
    """The only place that reads the clock's date (everything below takes it as an argument)."""
    return date.today()  # noqa: DTZ011 - the local calendar day is what `today` means to a user


def check_output(output: Path, root: Path) -> None:
    """Refuse (exit 2) an -o path that is part of the plan: an output never overwrites a plan
    file, its templates or its git folder. Called before the work, and again by write_file."""
    from sendplan.safetext import terminal
    from sendplan.sources import SETTINGS_FILE, plan_part

    part = plan_part(output, root)
    if part is None:
        return
    where = f"the plan's {part}" if part == SETTINGS_FILE else f"inside the plan's {part}/ folder"
    example = terminal(str(Path("build") / output.name))
    raise SendplanError(
        f"cannot write {terminal(str(output))}: it is {where}; write it elsewhere, "
        f"e.g. -o {example}"
    )


def write_file(output: Path, data: bytes, root: Path) -> None:
    """Write an -o file atomically (its folder made if missing), never into the plan at `root`;
    a failure is one line naming the path, exit 2, and leaves no file behind."""
    from sendplan import atomic
    from sendplan.safetext import terminal

    check_output(output, root)
    parent = output.parent
    if parent.exists() and not parent.is_dir():
        raise SendplanError(
            f"cannot write {terminal(str(output))}: {terminal(str(parent))} is a file"
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
        atomic.write_output(output, data)
    except OSError as e:
        reason = (e.strerror or type(e).__name__).lower()
        raise SendplanError(f"cannot write {terminal(str(output))}: {reason}") from None


def write_out(text: str, output: Path | None = None, root: Path | None = None) -> None:
    """Machine-readable output: UTF-8 whatever the console's code page (Windows). With
    `output`, written there (`write_file`; `root` is the plan it must stay out of)."""
    if output is not None:
        assert root is not None, "an -o file is checked against the plan's root"
        write_file(output, text.encode("utf-8"), root)
        return
    stream = sys.stdout
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.flush()


F = TypeVar("F")


def output_format(
    given: F | None, output: Path | None, by_suffix: Mapping[str, F], default: F
) -> F:
    """The format to write: --format, else -o's suffix, else `default`. Before any work is done,
    an -o that is a folder, or whose suffix names none of the formats, is refused (exit 2)."""
    from sendplan.safetext import terminal

    if output is not None and output.is_dir():
        example = terminal(str(output / f"report{next(iter(by_suffix))}"))
        raise SendplanError(
            f"-o {terminal(str(output))} is a folder: give a file name, e.g. -o {example}"
        )
    if given is not None:
        return given
    if output is None:
        return default
    suffix = output.suffix.lower()
    found = by_suffix.get(suffix)
    if found is not None:
        return found
    *most, last = by_suffix
    what = f"{terminal(suffix)} is not a format sendplan writes" if suffix else "no suffix"
    raise SendplanError(
        f"-o {terminal(str(output))}: {what}; end the file name with {', '.join(most)} or "
        f"{last} (or choose with --format)"
    )


def use_colour() -> bool:
    return "NO_COLOR" not in os.environ


def command(*examples: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a command. The first line of its docstring is its summary in `sendplan --help`,
    shown whole (click would cut it to fit); the examples end its own --help."""

    def register(function: Callable[P, R]) -> Callable[P, R]:
        summary = (function.__doc__ or "").strip().splitlines()[0]
        assert summary, f"{function.__name__}: its docstring's first line is its summary"
        assert examples, f"{function.__name__}: --help shows at least one example"
        app.command(short_help=summary, epilog=examples_text(examples))(handles_errors(function))
        return function

    return register


def examples_text(examples: tuple[str, ...]) -> str:
    """An epilog click prints as it is: `\\b` stops it from re-wrapping the lines."""
    heading = "Example:" if len(examples) == 1 else "Examples:"
    return "\n".join([heading, "", "\b", *(f"  {e}" for e in examples)])


def _print_version(wanted: bool) -> None:
    if wanted:
        write_out(f"sendplan {__version__}")
        raise typer.Exit()


@app.callback(
    epilog=examples_text(
        (
            "sendplan validate",
            "sendplan report --month 2024-06 -o build/report.html",
            "sendplan COMMAND --help",
        )
    )
)
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """A local area's SEND improvement plan kept as code: validate, flag, report, review.

    Every command finds the plan by walking up from the current folder to the nearest
    sendplan.yaml, or takes --plan DIR (or the SENDPLAN_PLAN environment variable).

    Exit codes: 0 success; 1 the plan has errors (or --strict warnings, a --fail-on flag was
    raised, diff --check found an error, or a write was refused); 2 a usage error, no plan
    found, or git cannot answer (diff, history).
    """


MonthOption = Annotated[
    str | None,
    typer.Option("--month", "-m", help="YYYY-MM: as of the last day of that month."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
AllowInvalidOption = Annotated[
    bool,
    typer.Option("--allow-invalid", help="Go ahead on a plan with errors (a report says so)."),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="YYYY-MM-DD: as of that day (default: today).")
]


class KindChoice(enum.StrEnum):
    """What `flags` and `export` list (flagging.Kind)."""

    objectives = "objectives"
    recommendations = "recommendations"
    all = "all"


KindOption = Annotated[
    KindChoice,
    typer.Option("--kind", help="objectives, recommendations or all (default: objectives)."),
]


def as_of_option(month: str | None, as_of: str | None) -> date:
    """The as-of date A from --month or --as-of (default today)."""
    from sendplan.dates import parse_day, parse_month

    if month is not None and as_of is not None:
        raise SendplanError("give --month or --as-of, not both")
    try:
        if month is not None:
            return parse_month(month)
        if as_of is not None:
            return parse_day(as_of)
    except ValueError as e:
        raise SendplanError(f"{e}") from None
    return today()


def commit_lookup(root: Path) -> Callable[[Sequence[str]], set[str]]:
    """How checks find out which approval commits the plan's git history lacks."""

    def missing(commits: Sequence[str]) -> set[str]:
        if not commits:
            return set()  # no approvals: no git process at all
        from sendplan.git import missing_commits

        return missing_commits(root, commits)

    return missing


LARGE_PLAN_FILES = 2_000
"""From this many files reading and checking a plan takes about a second: progress is shown."""


class Progress:
    """What a long command is doing, on one line of stderr that each step rewrites and the end
    clears. Only on a terminal and without --quiet: a pipe or a CI log never sees it. Written
    from the main thread (a thread would keep a large plan's parse in one process)."""

    def __init__(self, quiet: bool = False) -> None:
        self.enabled = not quiet and is_terminal(sys.stderr)
        self.shown = False

    def step(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K{text}...")
            sys.stderr.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def load_and_check(root: Path, progress: Progress | None = None) -> tuple[Loaded, list[Finding]]:
    """The plan at `root` and every finding on it, with progress shown for a large plan."""
    from sendplan.checks import run_checks
    from sendplan.load import load_plan
    from sendplan.sources import FolderSource

    source = FolderSource(root)
    if progress is not None and progress.enabled:
        count = len(source.files())  # listed twice, only when a terminal will show it
        if count >= LARGE_PLAN_FILES:
            progress.step(f"reading and checking {count:,} plan files")
    try:
        loaded = load_plan(source)
        return loaded, run_checks(loaded, today(), commit_lookup(root))
    finally:
        if progress is not None:
            progress.done()


def load_valid(
    root: Path, allow_invalid: bool, progress: Progress | None = None
) -> tuple[Loaded, int]:
    """The loaded plan and its error count; refuses (exit 1) an invalid plan unless allowed."""
    from sendplan.findings import Severity

    loaded, found = load_and_check(root, progress)
    errors = [f for f in found if f.severity is Severity.ERROR]
    if errors and not allow_invalid:
        from rich.text import Text

        from sendplan.safetext import terminal

        console = stderr()
        for f in errors[:20]:
            console.print(Text(terminal(str(f))))
        if len(errors) > 20:
            console.print(Text(f"... and {len(errors) - 20} more"))
        raise fail(
            f"the plan has {len(errors)} error{'s' if len(errors) != 1 else ''}; "
            "fix them (sendplan validate) or pass --allow-invalid",
            code=1,
        )
    return loaded, len(errors)
