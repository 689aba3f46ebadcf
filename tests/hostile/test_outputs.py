"""Every command, every format: nothing from a hostile plan reaches the output raw (issue 13).

One plan carries terminal escapes, a carriage return and bidi overrides in its values, its
file names and its commit messages. Every command that prints runs on it in every format it
has; the output must hold no C0/C1 control character other than tab and newline (CR LF in
CSV), and no bidi control. CliRunner's output is not a terminal, so rich adds no colour codes
of its own: any ESC in it would have come from the plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS
from tests.gitrepo import commit, init_repo

RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
ESCAPED_FILE = "plan/A1/\x1b[2J\x1b]0;pwned\x07.yaml"
OBJECTIVE = "plan/A1/A1a-1.yaml"


def _hostile(root: Path) -> None:
    path = root / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Map assessment timelines", 'title: "Map \\e[31mred\\e[0m \\u202eevil"'
    )
    text = text.replace("owner: Head of SEND", 'owner: "Head\\rFake owner \\x9b2J"')
    text = text.replace(
        "note: Mapping under way.", 'note: "Under \\e]8;;http://x\\e\\\\way \\u2066x"'
    )
    path.write_text(text, encoding="utf-8")
    (root / ESCAPED_FILE).write_text("id: A1a:9\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_repo(tmp_path_factory.mktemp("outputs") / "plan", PLANS / "minimal")
    commit(root, "Base \x1b[2J plan \u202e", when="2024-05-01T09:00:00+00:00")
    _hostile(root)
    commit(root, "Edit\x1b]0;title\x07 \u202eobjective", when="2024-06-20T09:00:00+00:00")
    return root


COMMANDS = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["report", "--month", "2024-06"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "md"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "html"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["flags", "--month", "2024-06"],
    ["flags", "--month", "2024-06", "--allow-invalid"],
    ["flags", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["flags", "--month", "2024-06", "--allow-invalid", "--format", "md"],
    ["export", "--month", "2024-06"],
    ["export", "--month", "2024-06", "--allow-invalid"],
    ["export", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["diff", "HEAD~1", "HEAD"],
    ["diff", "HEAD~1", "HEAD", "--format", "md"],
    ["diff", "HEAD~1", "HEAD", "--format", "json"],
    ["history", "A1a:1"],
    ["history", "A1a:1", "--format", "md"],
    ["history", "A1a:1", "--format", "json"],
    ["rate", "A1a:1", "red", "--note", "x", "--date", "2024-06-30"],
]


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_control_or_bidi_character_reaches_any_output(
    hostile_repo: Path, args: list[str]
) -> None:
    result = CliRunner().invoke(app, [*args, "--plan", str(hostile_repo)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    output = result.output.replace("\r\n", "\n")  # CSV's own line ends
    assert RAW.findall(output) == [], output
    assert "Traceback" not in output
