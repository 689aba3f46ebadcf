"""YAML's traps for people writing text: each finding says what to do, with the line put right.

And authoring without them: `new` then `rate` three times gives one block entry per rating.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.yamlfile import parse_yaml
from tests.conftest import TODAY

runner = CliRunner()
OBJECTIVE = "plan/A1/A1a-1.yaml"


def findings_after(root: Path, old: str, new: str) -> list[tuple[str, int, int, str, str]]:
    path = root / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--plan", str(root), "--format", "json"])
    found = json.loads(result.output)["findings"]
    return [
        (f["severity"], f["line"], f["column"], f["code"], f["message"])
        for f in found
        if f["path"] == OBJECTIVE
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Map assessment timelines",
            "title: Charter: phase 2",
            ("error", 3, 15, "yaml-syntax", "YAML syntax: mapping values are not allowed in "
             'this context; a colon and a space (": ") in unquoted text start a key, so put '
             'the text in quotes: title: "Charter: phase 2"'),
        ),
        (
            "commitment: Map every step of the assessment process.",
            "impact:\n  - Families say: we were heard",
            ("error", 5, 5, "schema", "impact[0]: Input should be a valid string; a colon and "
             'a space (": ") in unquoted text made YAML read a key and a value, so put the '
             'text in quotes: - "Families say: we were heard"'),
        ),
        (
            "title: Map assessment timelines",
            "title: Charter #2",
            ("warning", 3, 8, "comment-in-text", "YAML read 'Charter' and took '#2' as a "
             "comment (a space and # start one); if it is part of the text, put the text in "
             'quotes: title: "Charter #2" (a comment after a value needs two spaces before '
             "its #)"),
        ),
        (
            "    brag: amber",
            "    brag: Amber",
            ("error", 12, 5, "schema", "ratings[0].brag: Input should be 'red', 'amber', "
             "'green' or 'blue'; write `amber`, in lower case: brag: amber"),
        ),
        (
            "    note: Mapping under way.",
            "    note: @home visits mapped  # from the audit",
            ("error", 13, 11, "yaml-syntax", "YAML syntax: found character that cannot start "
             "any token; unquoted text cannot start with @, so put the text in quotes: "
             'note: "@home visits mapped"  # from the audit'),
        ),
        (
            "    note: Mapping under way.",
            "    note: - mapping under way",
            ("error", 13, 11, "yaml-syntax", "YAML syntax: block sequence entries are not "
             "allowed in this context; unquoted text cannot start with -, so put the text in "
             'quotes: note: "- mapping under way"'),
        ),
        (
            "title: Map assessment timelines",
            "title: &first Map assessment timelines",
            ("error", 3, 8, "yaml-syntax", "& starts a YAML anchor, which plan files do not "
             "use: the text would read 'Map assessment timelines'; put the text in quotes: "
             'title: "&first Map assessment timelines"'),
        ),
        (
            "title: Map assessment timelines",
            "title: *first",
            ("error", 3, 8, "yaml-syntax", "YAML syntax: found undefined alias; unquoted text "
             'cannot start with *, so put the text in quotes: title: "*first"'),
        ),
        (
            "title: Map assessment timelines",
            "title: !important timelines",
            ("error", 3, 8, "yaml-syntax", "tag '!important' is not allowed in plan files; if "
             'it is text, put it in quotes: title: "!important timelines"'),
        ),
        (
            "title: Map assessment timelines",
            "title: %complete",
            ("error", 3, 8, "yaml-syntax", "YAML syntax: found character that cannot start "
             "any token; unquoted text cannot start with %, so put the text in quotes: "
             'title: "%complete"'),
        ),
        (
            "title: Map assessment timelines",
            "title: `sendplan` pilot",
            ("error", 3, 8, "yaml-syntax", "YAML syntax: found character that cannot start "
             "any token; unquoted text cannot start with `, so put the text in quotes: "
             'title: "`sendplan` pilot"'),
        ),
    ],
    ids=["colon", "colon-in-list", "comment", "brag-case", "at", "dash", "anchor", "alias",
         "tag", "percent", "backtick"],
)  # fmt: skip
def test_yaml_trap_says_what_to_write(
    plan_copy: Callable[[str], Path], old: str, new: str, expected: tuple[object, ...]
) -> None:
    assert findings_after(plan_copy("minimal"), old, new) == [expected]


def test_the_fixed_line_shown_is_valid_and_reads_as_meant(plan_copy: Callable[[str], Path]) -> None:
    (finding,) = findings_after(
        plan_copy("minimal"), "title: Map assessment timelines", "title: Charter: phase 2"
    )
    fixed = finding[4].rsplit("put the text in quotes: ", 1)[1]
    assert parse_yaml(fixed).data == {"title": "Charter: phase 2"}


@pytest.mark.slow
def test_a_comment_two_spaces_after_a_value_is_fine(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    assert findings_after(root, "    brag: amber", "    brag: amber  # was red in May") == []
    assert findings_after(root, "owner: Head of SEND", "owner: Head of SEND # acting") == [
        ("warning", 5, 8, "comment-in-text", "YAML read 'Head of SEND' and took '# acting' as a "
         "comment (a space and # start one); if it is part of the text, put the text in quotes: "
         'owner: "Head of SEND # acting" (a comment after a value needs two spaces before '
         "its #)"),
    ]  # fmt: skip


@pytest.mark.slow
def test_new_then_three_rates_give_one_block_entry_per_rating(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sendplan.cli.authoring.today", lambda: TODAY)
    root = plan_copy("minimal")
    plan = ["--plan", str(root)]
    made = runner.invoke(app, ["new", "objective", "A1a:2", "--title", "Audit", *plan])
    assert made.exit_code == 0, made.output
    for day, brag in (("2024-04-30", "red"), ("2024-05-31", "amber"), ("2024-06-30", "green")):
        rated = runner.invoke(
            app, ["rate", "A1a:2", brag, "--note", f"{brag} in review", "--date", day, *plan]
        )
        assert rated.exit_code == 0, rated.output
    text = (root / "plan/A1/A1a-2.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "ratings:\n"
        "  - date: 2024-04-30\n    brag: red\n    note: red in review\n"
        "  - date: 2024-05-31\n    brag: amber\n    note: amber in review\n"
        "  - date: 2024-06-30\n    brag: green\n    note: green in review\n"
    )
    assert "[]" not in text
