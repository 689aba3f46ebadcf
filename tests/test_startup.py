"""`validate` starts fast: it leaves out what only other commands need (issue 9).

Start-up is most of the time of `validate` on a plan of a few hundred files (the pre-commit
hook), so what it imports is pinned here, in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = Path(__file__).parent / "fixtures" / "plans" / "minimal"

_PROBE = """
import json, sys
import contextlib, io
sys.argv = ["sendplan", "validate", "--format", sys.argv[2], "--plan", sys.argv[1]]
from sendplan.cli import main
with contextlib.redirect_stdout(io.StringIO()):  # its report is no terminal: no rich
    try:
        main()
    except SystemExit as exit:
        code = exit.code
from sendplan.model import Objective
heavy = ("jinja2", "markdown_it", "rich", "multiprocessing", "sendplan.git", "weasyprint")
print(json.dumps({
    "code": code,
    "imported": sorted(name for name in heavy if name in sys.modules),
    "description": Objective.model_fields["owner"].description,
}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("output", ["json", "text"])
def test_validate_imports_no_renderer_terminal_or_git_library(output: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(PLAN), output],
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")},
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe == {"code": 0, "imported": [], "description": None}


def test_schema_still_describes_every_field() -> None:
    from sendplan.model import Objective
    from sendplan.schema import json_schema

    properties = json_schema("objective")["properties"]
    assert isinstance(properties, dict)
    assert properties["owner"]["description"] == "The accountable role."
    assert Objective.model_fields["owner"].description == "The accountable role."
