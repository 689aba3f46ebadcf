"""The command line: options -> one library call -> print -> exit code. No plan logic here."""

from __future__ import annotations

import gc

from sendplan.cli import authoring, gitcmds, report, site, validate  # noqa: F401  (registers the commands)
from sendplan.cli.app import app


def main() -> None:
    """The `sendplan` console script."""
    # One command per process, and the plan it loads lives until exit: the cyclic garbage
    # collector only walked those millions of objects again and again (a fifth of a
    # 10,000-objective report). Reference counting frees the rest; peak RSS is unchanged,
    # on valid and on broken plans (issue 9).
    gc.disable()
    app(prog_name="sendplan")
