"""The command line: options -> one library call -> print -> exit code. No plan logic here."""

from __future__ import annotations

import gc
import sys

from sendplan.cli import (  # noqa: F401  (registers the commands)
    authoring,
    gitcmds,
    report,
    signoff,
    site,
    validate,
)
from sendplan.cli.app import UNWRAPPED, app, is_terminal

__all__ = ["app", "main"]


def main() -> None:
    """The `sendplan` console script."""
    # One command per process, and the plan it loads lives until exit: the cyclic garbage
    # collector only walked those millions of objects again and again (a fifth of a
    # 10,000-objective report). Reference counting frees the rest; peak RSS is unchanged,
    # on valid and on broken plans (issue 9).
    gc.disable()
    # --help in a pipe or a CI log is not wrapped at 80 columns (a terminal's width is used).
    width = {} if is_terminal(sys.stdout) else {"terminal_width": UNWRAPPED}
    app(prog_name="sendplan", max_content_width=UNWRAPPED, **width)
