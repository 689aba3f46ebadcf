"""The command line: options -> one library call -> print -> exit code. No plan logic here."""

from __future__ import annotations

from sendplan.cli import gitcmds, report, validate  # noqa: F401  (registers the commands)
from sendplan.cli.app import app


def main() -> None:
    """The `sendplan` console script."""
    app(prog_name="sendplan")
