"""`sendplan rate`: inserted text only, byte-exact on odd files; refusals leave every byte."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import sendplan.parse
import sendplan.rate
from sendplan import atomic
from sendplan.checks import run_checks
from sendplan.cli import app
from sendplan.errors import Refusal, SendplanError
from sendplan.findings import Finding, Severity
from sendplan.load import load_plan
from sendplan.rate import RatingRequest, only_inserts, rate
from sendplan.sources import FolderSource, PlanFile
from sendplan.state import state_at
from sendplan.yamledit import append_to_list, scalar
from sendplan.yamlfile import parse_yaml
from tests.conftest import REPO, TODAY

runner = CliRunner()
NOTE = 'Agreed: "yes" # see E2\n- next: étape'
QUOTED = b'"Agreed: \\"yes\\" # see E2\\n- next: \xc3\xa9tape"'
OBJECTIVE = "plan/I1/I1-2.yaml"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The CLI's clock, fixed at TODAY (2024-07-01)."""
    monkeypatch.setattr("sendplan.cli.authoring.today", lambda: TODAY)
    return TODAY


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def with_objective(plan_copy: Callable[[str], Path], data: bytes) -> Path:
    """The minimal plan plus objective I1:2 (area I1, no themes) holding exactly `data`."""
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_bytes(data)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def rate_i1_2(root: Path, note: str = NOTE, **more: object) -> bytes:
    request = RatingRequest("I1:2", "amber", note, TODAY, **more)  # type: ignore[arg-type]
    rate(root, request, TODAY)
    return (root / OBJECTIVE).read_bytes()


# --- byte-exact results on odd file shapes --------------------------------------------------

SHAPES: dict[str, tuple[bytes, bytes]] = {
    "comments, odd spacing and a folded note": (
        b"# Objective kept by the transitions team.\n"
        b"id: I1:2\n"
        b"title:   Pathway   # odd spacing\n"
        b"owner: 'Transitions lead'\n"
        b"ongoing: true\n"
        b"ratings:   # oldest first\n"
        b"    -   date: 2024-05-10\n"
        b"        brag: red\n"
        b"        note: >-\n"
        b"          Not agreed.\n"
        b"\n"
        b"# end of ratings\n"
        b'impact: ["Young people"]\n',
        b"# Objective kept by the transitions team.\n"
        b"id: I1:2\n"
        b"title:   Pathway   # odd spacing\n"
        b"owner: 'Transitions lead'\n"
        b"ongoing: true\n"
        b"ratings:   # oldest first\n"
        b"    -   date: 2024-05-10\n"
        b"        brag: red\n"
        b"        note: >-\n"
        b"          Not agreed.\n"
        b"\n"
        b"    -   date: 2024-07-01\n"
        b"        brag: amber\n"
        b"        note: " + QUOTED + b"\n"
        b"# end of ratings\n"
        b'impact: ["Young people"]\n',
    ),
    "CRLF line endings": (
        b"id: I1:2\r\ntitle: Pathway\r\nongoing: true\r\nratings:\r\n"
        b"  - date: 2024-05-10\r\n    brag: red\r\n    note: Not agreed.\r\n",
        b"id: I1:2\r\ntitle: Pathway\r\nongoing: true\r\nratings:\r\n"
        b"  - date: 2024-05-10\r\n    brag: red\r\n    note: Not agreed.\r\n"
        b"  - date: 2024-07-01\r\n    brag: amber\r\n    note: " + QUOTED + b"\r\n",
    ),
    "a BOM": (
        b"\xef\xbb\xbfid: I1:2\ntitle: Pathway\nongoing: true\nratings:\n"
        b"  - date: 2024-05-10\n    brag: red\n",
        b"\xef\xbb\xbfid: I1:2\ntitle: Pathway\nongoing: true\nratings:\n"
        b"  - date: 2024-05-10\n    brag: red\n"
        b"  - date: 2024-07-01\n    brag: amber\n    note: " + QUOTED + b"\n",
    ),
    "no final newline": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - date: 2024-05-10\n    brag: red",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - date: 2024-05-10\n    brag: red\n"
        b"  - date: 2024-07-01\n    brag: amber\n    note: " + QUOTED,
    ),
    # The one rewrite: an empty flow list becomes a block list (issue 15), so ratings do not
    # pile up on one line; only `[]` goes, the comment after it stays.
    "ratings: []": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings: []  # none yet\nevidence: [E2]\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\n"
        b"ratings:  # none yet\n"
        b"  - date: 2024-07-01\n    brag: amber\n    note: " + QUOTED + b"\n"
        b"evidence: [E2]\n",
    ),
    "no ratings key": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nimpact:\n    - Young people have a pathway\n"
        b"evidence: [E2]  # the audit\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nimpact:\n    - Young people have a pathway\n"
        b"evidence: [E2]  # the audit\n"
        b"ratings:\n    - date: 2024-07-01\n      brag: amber\n      note: " + QUOTED + b"\n",
    ),
    "a flow list": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings: [{date: 2024-01-31, brag: red}]\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings: [{date: 2024-01-31, brag: red}, "
        b"{date: 2024-07-01, brag: amber, note: " + QUOTED + b"}]\n",
    ),
    "a flow list, one item a line, trailing comma": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings: [\n"
        b"  {date: 2024-01-31, brag: red},\n  {date: 2024-02-29, brag: red},\n]\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings: [\n"
        b"  {date: 2024-01-31, brag: red},\n  {date: 2024-02-29, brag: red},\n"
        b"  {date: 2024-07-01, brag: amber, note: " + QUOTED + b"},\n]\n",
    ),
    "an indentless list": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n- date: 2024-05-10\n  brag: red\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n- date: 2024-05-10\n  brag: red\n"
        b"- date: 2024-07-01\n  brag: amber\n  note: " + QUOTED + b"\n",
    ),
    "flow-mapping items in a block list": (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - {date: 2024-01-31, brag: red}\n",
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - {date: 2024-01-31, brag: red}\n"
        b"  - {date: 2024-07-01, brag: amber, note: " + QUOTED + b"}\n",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_rate_inserts_exactly_the_new_entry(plan_copy: Callable[[str], Path], shape: str) -> None:
    before, expected = SHAPES[shape]
    root = with_objective(plan_copy, before)
    after = rate_i1_2(root)
    assert after == expected
    unflowed = before.replace(b"ratings: []", b"ratings:", 1)  # the one rewrite allowed
    assert only_inserts(unflowed, after)
    data = parse_yaml(after.decode("utf-8-sig")).data
    assert isinstance(data, dict)
    assert data["ratings"][-1] == {"date": "2024-07-01", "brag": "amber", "note": NOTE}


def test_by_and_evidence_are_written_in_the_spec_key_order(
    plan_copy: Callable[[str], Path],
) -> None:
    root = with_objective(
        plan_copy,
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - {date: 2024-05-10, brag: red}\n",
    )
    after = rate_i1_2(root, "Pathway agreed.", by="PDG", evidence=("E1", "E2"))
    assert after == (
        b"id: I1:2\ntitle: Pathway\nongoing: true\nratings:\n  - {date: 2024-05-10, brag: red}\n"
        b"  - {date: 2024-07-01, brag: amber, by: PDG, note: Pathway agreed., evidence: [E1, E2]}\n"
    )


def test_file_mode_is_kept_and_no_temporary_file_stays(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    path = root / "plan/I1/I1-1.yaml"
    path.chmod(0o640)
    rate(root, RatingRequest("I1:1", "amber", "Agreed.", TODAY), TODAY)
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["I1-1.yaml", "area.yaml"]


# --- notes of any content read back exactly ---------------------------------------------------

TRICKY = [
    "Plain note.",
    "Colon: then text",
    "ends with colon:",
    "a # not a comment",
    "#starts with hash",
    "- leading dash",
    "'single' and \"double\" quotes",
    "line one\nline two\n",
    "  leading and trailing spaces  ",
    "yes",
    "No",
    "null",
    "~",
    "12",
    "1:30",
    "2024-06-30",
    "[not, a, list]",
    "{not: a map}",
    "&anchor *alias !tag %directive @at `tick`",
    "back\\slash and tab\t",
    "unicode: é € 😀 — \u2019",
    "\u2028line separator and \x85 NEL",
    "=SUM(A1:A2)",
]


@pytest.mark.parametrize("note", TRICKY)
def test_tricky_notes_read_back_exactly_in_block_and_flow_lists(note: str) -> None:
    entry = [("date", "2024-07-01"), ("brag", "red"), ("note", scalar(note))]
    for text in ("id: X\nratings:\n  - date: 2024-01-31\n", "id: X\nratings: []\n"):
        data = parse_yaml(append_to_list(text, "ratings", entry)).data
        assert isinstance(data, dict)
        assert data["ratings"][-1]["note"] == note


@pytest.mark.slow
@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1))
def test_any_text_reads_back_exactly(note: str) -> None:
    entry = [("note", scalar(note))]
    for text in ("ratings:\n  - note: x\n", "ratings: [{note: x}]\n", "id: X\n"):
        data = parse_yaml(append_to_list(text, "ratings", entry)).data
        assert isinstance(data, dict)
        assert data["ratings"][-1]["note"] == note


@pytest.mark.slow
@settings(max_examples=400)
@given(st.text("Aa1 .'()/&%+_:;!?-#,[]{}\"yesnoulYN~*|>@`\t", min_size=1))
def test_text_near_the_plain_rule_reads_back_exactly_in_every_loader(note: str) -> None:
    """Plain text must mean the same to our loader and to PyYAML's YAML 1.1 loaders."""
    entry = [("note", scalar(note))]
    for text in ("ratings:\n  - note: x\n", "ratings: [{note: x}]\n"):
        new = append_to_list(text, "ratings", entry)
        data = parse_yaml(new).data
        assert isinstance(data, dict)
        assert data["ratings"][-1]["note"] == note
        for loader in (yaml.SafeLoader, yaml.CSafeLoader):
            assert yaml.load(new, Loader=loader)["ratings"][-1]["note"] == note


def test_plain_scalars_only_where_unambiguous() -> None:
    assert scalar("Mapping under way.") == "Mapping under way."
    assert scalar("PAP1:2") == "PAP1:2"
    assert scalar("Done; see E30!") == "Done; see E30!"
    assert scalar("Done?") == '"Done?"'
    assert scalar("A:?") == '"A:?"'
    assert scalar("Agreed: yes") == '"Agreed: yes"'
    assert scalar("yes") == '"yes"'
    assert scalar("a\u2028b") == '"a\\u2028b"'


# --- the CLI: output, flags, refusals ----------------------------------------------------------


def test_rating_a_stale_red_objective_amber_today_clears_both_flags(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    before = state_at(load_plan(FolderSource(root)).plan, today).objectives[1]
    assert (before.objective.id, before.flags) == ("I1:1", ("red", "stale"))
    code, out = invoke("rate", "I1:1", "amber", "--note", "Pathway agreed.", "--plan", str(root))
    assert code == 0, out
    assert out.splitlines() == [
        "I1:1: red -> amber on 2024-07-01 (added to plan/I1/I1-1.yaml)",
        "flags at 2024-07-01: cleared red, stale; now none",
    ]
    after = state_at(load_plan(FolderSource(root)).plan, today).objectives[1]
    assert (after.brag, after.movement, after.flags) == ("amber", "up", ())
    assert (root / "plan/I1/I1-1.yaml").read_bytes() == (
        b"id: I1:1\ntitle: Preparation for adulthood pathway\nowner: Transitions lead\n"
        b"ongoing: true\nevidence: [E2]\nratings:\n  - date: 2024-05-10\n    brag: red\n"
        b"    note: Pathway not agreed.\n"
        b"  - date: 2024-07-01\n    brag: amber\n    note: Pathway agreed.\n"
    )


def test_rating_down_raises_declined_and_dates_default_to_today(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke("rate", "A1a:1", "AMBER", "--note", "Slipped.", "--plan", str(root))
    assert code == 0, out
    assert "A1a:1: green -> amber on 2024-07-01" in out
    assert "flags at 2024-07-01: raised overdue, declined; now overdue, declined" in out


def add_unknown_key(root: Path) -> None:
    path = root / "plan/A1/A1a-1.yaml"
    path.write_text(path.read_text() + "evidnce: [E1]\n")


def add_broken_link(root: Path) -> None:
    path = root / "plan/I1/I1-1.yaml"
    path.write_text(path.read_text().replace("[E2]", "[E2, E77]"))


REFUSALS: dict[str, tuple[list[str], Callable[[Path], None] | None, str]] = {
    "unknown objective": (["Z9:9", "red", "--note", "x"], None, "no objective Z9:9 in this plan"),
    "not a BRAG": (
        ["I1:1", "purple", "--note", "x"],
        None,
        "'purple' is not a rating: use red, amber, green or blue",
    ),
    "date not after the last entry": (
        ["I1:1", "red", "--note", "x", "--date", "2024-05-10"],
        None,
        "I1:1's last rating is dated 2024-05-10; a new rating must be dated after it",
    ),
    "date before the last entry": (
        ["I1:1", "red", "--note", "x", "--date", "2024-05-01"],
        None,
        "I1:1's last rating is dated 2024-05-10",
    ),
    "future date": (
        ["I1:1", "red", "--note", "x", "--date", "2024-07-02"],
        None,
        "2024-07-02 is in the future (today is 2024-07-01)",
    ),
    "malformed date": (
        ["I1:1", "red", "--note", "x", "--date", "2024-7-2"],
        None,
        "--date: '2024-7-2' is not a date: use YYYY-MM-DD",
    ),
    "unknown evidence": (
        ["I1:1", "red", "--note", "x", "--evidence", "E1,E9"],
        None,
        "evidence E9 is not in evidence/",
    ),
    "blank note": (["I1:1", "red", "--note", "  "], None, "a rating needs a note"),
    "file that does not load": (
        ["A1a:1", "red", "--note", "x"],
        add_unknown_key,
        "A1a:1's file has errors, so it cannot be rated; fix them first (sendplan validate): "
        "plan/A1/A1a-1.yaml:19:1: unknown-key",
    ),
    "file with a broken link": (
        ["I1:1", "red", "--note", "x"],
        add_broken_link,
        "plan/I1/I1-1.yaml has 1 error; fix it before rating (sendplan validate): "
        "plan/I1/I1-1.yaml:5:16: unknown-evidence",
    ),
    "note that would make the file invalid": (
        ["I1:1", "red", "--note", "a\u202eb"],
        None,
        "the new rating would make the file invalid; nothing was written: "
        "plan/I1/I1-1.yaml:12:11: unsafe-text",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_exits_1_and_leaves_every_byte(
    plan_copy: Callable[[str], Path], today: date, case: str
) -> None:
    args, prepare, message = REFUSALS[case]
    root = plan_copy("minimal")
    if prepare is not None:
        prepare(root)
    before = snapshot(root)
    code, out = invoke("rate", *args, "--plan", str(root))
    assert code == 1, out
    assert message in " ".join(out.split())
    assert snapshot(root) == before


def test_a_failing_rename_leaves_the_original_and_no_temporary_file(
    plan_copy: Callable[[str], Path], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    before = snapshot(root)

    def crash(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    code, out = invoke("rate", "I1:1", "amber", "--note", "x", "--plan", str(root))
    assert code == 2
    assert "could not write plan/I1/I1-1.yaml" in " ".join(out.split())
    assert snapshot(root) == before


def test_a_file_invalid_after_writing_is_restored(
    plan_copy: Callable[[str], Path], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-read after the write is the last line of defence: fake it failing."""
    root = plan_copy("minimal")
    before = snapshot(root)
    calls: list[int] = []

    def checks_failing_the_third_time(loaded: object, day: date, **options: Any) -> list[Finding]:
        calls.append(1)
        found = run_checks(loaded, day, **options)  # type: ignore[arg-type]
        if len(calls) == 3:
            found.append(
                Finding("plan/I1/I1-1.yaml", 9, 5, "schema", Severity.ERROR, "disk said no")
            )
        return found

    monkeypatch.setattr("sendplan.rate.run_checks", checks_failing_the_third_time)
    code, out = invoke("rate", "I1:1", "amber", "--note", "x", "--plan", str(root))
    assert code == 1
    assert "did not validate after writing, so the original was restored" in " ".join(out.split())
    assert "disk said no" in out
    assert snapshot(root) == before
    assert len(calls) == 3


@pytest.mark.slow
def test_rate_on_the_bundled_plan_only_adds_lines(tmp_path: Path, today: date) -> None:
    """A plan no one here wrote: every file but one identical, that one only grew."""
    root = tmp_path / "oxfordshire"
    root.mkdir()
    shutil.copy(REPO / "sendplan.yaml", root)
    for folder in ("plan", "evidence", "kpis"):
        shutil.copytree(REPO / folder, root / folder)
    before = snapshot(root)
    code, out = invoke(
        "rate", "PAP3A:1", "green", "--note", "Mapping complete: see E24.", "--evidence", "E24",
        "--date", "2024-06-30", "--plan", str(root),
    )  # fmt: skip
    assert code == 0, out
    after = snapshot(root)
    changed = [path for path in after if after[path] != before[path]]
    assert changed == ["plan/PAP3/PAP3A-1.yaml"]
    old, new = before[changed[0]], after[changed[0]]
    assert only_inserts(old, new)
    assert new[len(old) :] == (
        b'  - date: 2024-06-30\n    brag: green\n    note: "Mapping complete: see E24."\n'
        b"    evidence: [E24]\n"
    )


# --- edges of the insertion and of the write ---------------------------------------------------


def test_a_flow_root_mapping_gets_the_key_inside_its_braces() -> None:
    text = "{id: X, title: t}  # one line\n"
    assert append_to_list(text, "ratings", [("brag", "red")]) == (
        "{id: X, title: t, ratings: [{brag: red}]}  # one line\n"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [("- a\n", "not a mapping"), ("{}\n", "has no keys"), ("ratings: x\n", "is not a list")],
)
def test_what_cannot_take_a_new_item_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        append_to_list(text, "ratings", [("brag", "red")])


def test_a_note_with_undecodable_bytes_is_refused(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    with pytest.raises(Refusal, match="--note is not valid text"):
        rate(root, RatingRequest("I1:1", "red", "bad \udcff byte", TODAY), TODAY)


def test_a_file_changed_while_rating_is_not_overwritten(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    path = root / "plan/I1/I1-1.yaml"
    real = sendplan.rate.new_bytes

    def someone_saves_meanwhile(raw: bytes, request: RatingRequest) -> bytes:
        path.write_bytes(raw + b"# edited elsewhere\n")
        return real(raw, request)

    monkeypatch.setattr("sendplan.rate.new_bytes", someone_saves_meanwhile)
    with pytest.raises(Refusal, match="changed while it was being rated"):
        rate(root, RatingRequest("I1:1", "amber", "x", TODAY), TODAY)
    assert path.read_bytes().endswith(b"    note: Pathway not agreed.\n# edited elsewhere\n")


def test_create_removes_a_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        atomic.create(tmp_path / "a/new.yaml", b"id: x\n")
    assert list((tmp_path / "a").iterdir()) == []
    (tmp_path / "a/new.yaml").write_bytes(b"mine")
    monkeypatch.undo()
    with pytest.raises(FileExistsError):
        atomic.create(tmp_path / "a/new.yaml", b"id: x\n")
    assert (tmp_path / "a/new.yaml").read_bytes() == b"mine"


def test_the_flags_rate_prints_are_the_reports_contradicted_included(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    """rate works out the objective's flags as state_at does: with its KPIs' status."""
    root = plan_copy("minimal")
    kpi = root / "kpis/k20.yaml"
    text = kpi.read_text(encoding="utf-8")
    text = text.replace("data:\n", "trajectory:\n  - {by: 2024-06, value: 55}\ndata:\n")
    kpi.write_text(text.replace("value: 58.5", "value: 41"), encoding="utf-8")
    code, out = invoke("rate", "A1a:1", "blue", "--note", "Delivered.", "--plan", str(root))
    assert code == 0, out
    # A1a:1 was green already, so contradicted before as after (without the KPIs: "none").
    assert out.splitlines()[1] == "flags at 2024-07-01: unchanged (contradicted)"
    after = state_at(load_plan(FolderSource(root)).plan, today).objectives[0]
    assert after.flags == ("contradicted",)


def test_rate_reads_the_plan_once_and_then_only_the_file_it_changes(
    plan_copy: Callable[[str], Path], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: the check before writing and the one after read the changed file alone,
    against the plan as loaded, not the whole plan again (rate cost ~ one validate)."""
    root = plan_copy("minimal")
    parsed: list[str] = []
    real = sendplan.parse.parse_file

    def counted(source: object, file: PlanFile, max_bytes: int) -> object:
        parsed.append(file.path)
        return real(source, file, max_bytes)  # type: ignore[arg-type]

    monkeypatch.setattr("sendplan.parse.parse_file", counted)
    monkeypatch.setattr("sendplan.load.parse_file", counted)
    code, out = invoke("rate", "I1:1", "amber", "--note", "x", "--plan", str(root))
    assert code == 0, out
    plan_files = [f.path for f in FolderSource(root).files()]
    changed = "plan/I1/I1-1.yaml"
    assert sorted(parsed) == sorted([*plan_files, changed, changed])


# --- refusals with long listings, and a file gone right after it was written -------------------


def test_a_refusal_lists_ten_errors_and_counts_the_rest(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    bad = "".join(
        f"  - date: 2024-0{1 + i % 6}-{10 + i}\n    brag: purple\n    note: n{i}\n"
        for i in range(12)
    )
    root = with_objective(
        plan_copy, f"id: I1:2\ntitle: T\nowner: O\nongoing: true\nratings:\n{bad}".encode()
    )
    before = snapshot(root)
    code, out = invoke("rate", "I1:2", "amber", "--note", "x", "--plan", str(root))
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        "sendplan: I1:2's file has errors, so it cannot be rated; fix them first "
        "(sendplan validate):"
    )
    brag = "Input should be 'red', 'amber', 'green' or 'blue'"
    assert lines[1:11] == [
        f"  plan/I1/I1-2.yaml:{7 + 3 * i}:5: schema: ratings[{i}].brag: {brag}" for i in range(10)
    ]
    assert lines[11:] == ["  ... and 2 more"]
    assert snapshot(root) == before


def test_a_file_removed_right_after_the_write_is_not_reported_as_rated(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_objective(plan_copy, b"id: I1:2\ntitle: T\nowner: O\nongoing: true\nratings: []\n")
    real_replace = atomic.replace

    def replace_then_removed(path: Path, data: bytes) -> None:
        real_replace(path, data)
        path.unlink()  # another program, at once

    monkeypatch.setattr(atomic, "replace", replace_then_removed)
    with pytest.raises(SendplanError) as raised:
        rate_i1_2(root)
    message = str(raised.value)
    assert message.startswith("could not read plan/I1/I1-2.yaml back after writing it ([Errno 2]")
    assert message.endswith("); the rating may not be in it: check the file (sendplan validate)")


@pytest.mark.parametrize(
    ("old", "new", "run"),
    [
        (b"abc", b"abXc", b"X"),
        (b"abc", b"abc", b""),
        (b"abc", b"Xabc", b"X"),
        (b"abc", b"abcX", b"X"),
        (b"abc", b"ab", None),  # shorter: something was removed
        (b"abc", b"aXbYc", None),  # two runs
        (b"abc", b"abd!", None),  # a byte changed
    ],
)
def test_inserted_run_is_the_one_run_inserted_or_none(
    old: bytes, new: bytes, run: bytes | None
) -> None:
    from sendplan.rate import inserted_run

    assert inserted_run(old, new) == run
    assert only_inserts(old, new) is (run is not None)
