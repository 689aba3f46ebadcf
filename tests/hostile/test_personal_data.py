"""Personal data as a reader sees it, in every text file, and never in any output (issue 13).

The scan once read raw lines only, so a folded note, a YAML escape, an en dash, Markdown
emphasis or an HTML entity between the digits of an NHS number passed `validate` while every
report showed the number whole; and `diff` and `history` printed it verbatim. Each form here
is reported with its exact code, path and line, and then every command in every format runs
on a plan holding all of them, with its history in git: none shows the number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.privacy import reader_text
from tests.conftest import PLANS
from tests.gitrepo import commit, init_repo

OBJECTIVE = "plan/A1/A1a-1.yaml"
NHS_DIGITS = "9434765919"  # passes the NHS check digit
NOTE_LINE = "    note: Mapping **complete**.\n"  # line 17 of the objective
NOTE_AT = 17

ARABIC_INDIC = "\u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669"
FULLWIDTH = "\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19"
# (what, the note's YAML in place of NOTE_LINE, the line reported)
FORMS = [
    ("folded across lines", "    note: >\n      Seen child 943\n      476 5919 at panel.\n", 18),
    ("literal block", "    note: |\n      Seen child 943\n      476 5919 at panel.\n", 18),
    ("YAML space escapes", '    note: "Seen 943\\u0020476\\u00205919."\n', NOTE_AT),
    ("YAML tab escapes", '    note: "Seen 943\\t476\\t5919."\n', NOTE_AT),
    ("YAML line-folded quoted", '    note: "Seen 943\n      476 5919."\n', NOTE_AT),
    ("HTML decimal entity", "    note: Seen 9&#52;3 476 5919.\n", NOTE_AT),
    ("HTML hex entity and &nbsp;", "    note: Seen 94&#x33;&nbsp;476&nbsp;5919.\n", NOTE_AT),
    ("Markdown emphasis", "    note: Seen **943** 476 5919.\n", NOTE_AT),
    ("Markdown link text", "    note: Seen [943](https://example.org) 476 5919.\n", NOTE_AT),
    ("HTML tags inside", "    note: Seen 9<b>4</b>3 476 5919.\n", NOTE_AT),
    ("en dashes", "    note: Seen 943\u2013476\u20135919.\n", NOTE_AT),
    ("em dashes with spaces", "    note: Seen 943 \u2014 476 \u2014 5919.\n", NOTE_AT),
    ("dots", "    note: Seen 943.476.5919.\n", NOTE_AT),
    ("slashes", "    note: Seen 943/476/5919.\n", NOTE_AT),
    ("raw tabs", "    note: Seen 943\t476\t5919.\n", NOTE_AT),
    ("thin spaces", "    note: Seen 943\u2009476\u20095919.\n", NOTE_AT),
    ("narrow no-break spaces", "    note: Seen 943\u202f476\u202f5919.\n", NOTE_AT),
    ("ideographic space", "    note: Seen 943\u3000476 5919.\n", NOTE_AT),
    ("zero-width space inside a group", "    note: Seen 94\u200b3 476 5919.\n", NOTE_AT),
    ("word joiners as separators", "    note: Seen 943\u2060476\u20605919 (NHS).\n", NOTE_AT),
    ("BOM inside", "    note: Seen 943\ufeff476\ufeff5919.\n", NOTE_AT),
    ("soft hyphens", "    note: Seen 943\u00ad476\u00ad5919.\n", NOTE_AT),
    ("Arabic-Indic digits", f"    note: Seen {ARABIC_INDIC}.\n", NOTE_AT),
    ("fullwidth digits", f"    note: Seen {FULLWIDTH}.\n", NOTE_AT),
    ("no separators, NHS label", "    note: NHS no 9434765919.\n", NOTE_AT),
]  # fmt: skip
NHS_MESSAGE = "possible NHS number (10 digits passing the NHS check digit)"


def _objective(root: Path, note: str) -> None:
    path = root / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    assert text.splitlines(keepends=True)[NOTE_AT - 1] == NOTE_LINE
    path.write_text(text.replace(NOTE_LINE, note), encoding="utf-8")


def _validate(root: Path) -> list[tuple[str, str, int, str]]:
    result = CliRunner().invoke(
        app, ["validate", "--plan", str(root), "--format", "json"], catch_exceptions=False
    )
    findings = json.loads(result.output)["findings"]
    return [(f["code"], f["path"], f["line"], f["message"].split(":")[0]) for f in findings]


def _shown(output: str) -> str:
    """The digits a reader of `output` sees, in order (HTML/Markdown decoded first)."""
    return re.sub("[^0-9]", "", reader_text(output))


@pytest.mark.parametrize(("what", "note", "line"), FORMS, ids=[f[0] for f in FORMS])
def test_each_form_of_an_nhs_number_is_found_on_its_line_and_redacted_in_the_report(
    plan_copy: Callable[[str], Path], what: str, note: str, line: int
) -> None:
    root = plan_copy("minimal")
    _objective(root, note)
    assert _validate(root) == [("personal-data", OBJECTIVE, line, NHS_MESSAGE)], what
    result = CliRunner().invoke(
        app,
        ["report", "--plan", str(root), "--month", "2024-06", "--allow-invalid", "--format", "md"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "[redacted\\]" in result.output  # the note's row, Markdown-escaped
    assert NHS_DIGITS not in _shown(result.output)


def test_an_allow_comment_exempts_a_one_line_escaped_value(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    _objective(
        root, '    note: "Helpline 401\\u0020023\\u00202137."  # sendplan: allow personal-data\n'
    )
    assert _validate(root) == []


@pytest.mark.parametrize(
    "address",
    [
        "no.reply@council.gov.uk",
        "short.breaks@council.gov.uk",
        "do.not.reply@council.gov.uk",
        "send.team@council.gov.uk",
        "local.offer@council.gov.uk",
    ],
)
def test_role_mailboxes_pass(plan_copy: Callable[[str], Path], address: str) -> None:
    root = plan_copy("minimal")
    _objective(root, f"    note: Write to {address} for help.\n")
    assert _validate(root) == []


def test_a_personal_address_behind_an_entity_is_found(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    _objective(root, "    note: Parent jane.smith&#64;gmail.com asked.\n")
    webmail = "possible personal email address (at a webmail provider)"
    assert _validate(root) == [("personal-data", OBJECTIVE, NOTE_AT, webmail)]


# --- every text file of the repository ------------------------------------------------------

OTHER_FILES = [
    ("plan/README.md", "# The plan\n\nSeen child **943** 476 5919 at panel.\n", 3),
    ("plan/A1/notes.txt", "Minutes\nChild NHS 943-476-5919 discussed.\n", 2),
    ("evidence/2024/case.md", "---\nid: X\n---\nCase 943 476\n5919 closed.\n", 4),
    ("evidence/README.md", "Evidence index. Contact jane.smith@gmail.com.\n", 1),
    ("notes.txt", "line one\nline two\nNHS 9434765919\n", 3),
    ("templates/report.md.j2", "{{ plan.name }}\n\nChild 943 476 5919\n", 3),
    (".github/workflows/notes.yml", "# DOB 14/02/2016\nname: x\n", 1),
    ("kpis/archive/old.csv", "period,value\n2024-03,943 476 5919\n", 2),
]


@pytest.mark.parametrize(("path", "text", "line"), OTHER_FILES, ids=[f[0] for f in OTHER_FILES])
def test_every_text_file_in_the_repository_is_scanned(
    plan_copy: Callable[[str], Path], path: str, text: str, line: int
) -> None:
    root = plan_copy("minimal")
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    found = [(code, p, at) for code, p, at, _ in _validate(root) if code == "personal-data"]
    assert found == [("personal-data", path, line)]


def test_binary_files_git_store_dot_folders_symlinks_and_skipped_paths_are_not_read(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    number = b"NHS 943 476 5919\n"
    (root / "image.png").write_bytes(b"\x89PNG\x00\x00" + number)  # binary: a NUL byte
    (root / ".git").mkdir()
    (root / ".git" / "COMMIT_EDITMSG").write_bytes(number)
    (root / ".cache").mkdir()
    (root / ".cache" / "x.txt").write_bytes(number)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(number)
    (root / "link.txt").symlink_to(outside)
    (root / "tools").mkdir()
    (root / "tools" / "test_data.txt").write_bytes(number)
    settings = root / "sendplan.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "personal_data_skip: [tools/]\n", encoding="utf-8"
    )
    assert _validate(root) == []


# --- no output shows it -----------------------------------------------------------------------


def _all_forms_objective() -> str:
    """The objective with one rating for each form, in date order (May 2024)."""
    base = (PLANS / "minimal" / OBJECTIVE).read_text(encoding="utf-8")
    head = base[: base.index("ratings:\n")]
    ratings = ["ratings:\n"]
    for day, (_, note, _) in enumerate(FORMS, start=1):
        ratings.append(f"  - date: 2024-05-{day:02d}\n    brag: amber\n{note}")
    return head + "".join(ratings)


@pytest.fixture(scope="module")
def leaky_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_repo(tmp_path_factory.mktemp("leaky") / "plan", PLANS / "minimal")
    commit(root, "Base plan", when="2024-05-01T09:00:00+00:00")
    (root / OBJECTIVE).write_text(_all_forms_objective(), encoding="utf-8")
    evidence = root / "evidence" / "E1.md"
    evidence.write_text(
        evidence.read_text(encoding="utf-8") + "\nCase 943\n476 5919 closed.\n", encoding="utf-8"
    )
    commit(root, "Ratings for May", when="2024-06-01T09:00:00+00:00")
    return root


def test_every_form_in_one_file_is_found(leaky_repo: Path) -> None:
    found = _validate(leaky_repo)
    lines = [line for code, path, line, _ in found if path == OBJECTIVE]
    assert all(code == "personal-data" for code, *_ in found)
    # One finding per rating; each rating is three lines (four for a value of two lines).
    assert len(lines) == len(FORMS)
    assert ("personal-data", "evidence/E1.md", 9, NHS_MESSAGE) in found


OUTPUTS = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "md"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "html"],
    ["report", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["flags", "--month", "2024-06", "--allow-invalid"],
    ["flags", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["flags", "--month", "2024-06", "--allow-invalid", "--format", "md"],
    ["export", "--month", "2024-06", "--allow-invalid"],
    ["export", "--month", "2024-06", "--allow-invalid", "--format", "json"],
    ["diff", "HEAD~1", "HEAD"],
    ["diff", "HEAD~1", "HEAD", "--format", "md"],
    ["diff", "HEAD~1", "HEAD", "--format", "json"],
    ["diff", "HEAD~1", "HEAD", "--check"],
    ["history", "A1a:1"],
    ["history", "A1a:1", "--format", "md"],
    ["history", "A1a:1", "--format", "json"],
    ["history", "E1"],
]


@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_no_output_in_any_format_shows_the_number(leaky_repo: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--plan", str(leaky_repo)], catch_exceptions=False)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.strip(), args
    assert NHS_DIGITS not in _shown(result.output)
    for raw in ("476 5919", "476\u20135919", "476.5919", "&#52;3", "\u0664\u0667\u0666"):
        assert raw not in result.output
    if "json" in args:
        json.loads(result.output)
