"""`sendplan update`: a recommendation's status history, appended like `rate` appends ratings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.errors import Refusal
from sendplan.rate import only_inserts
from sendplan.update import UpdateRequest, update

TODAY = date(2024, 8, 1)
runner = CliRunner()


@pytest.fixture
def root(plan_copy: Callable[[str], Path]) -> Path:
    return plan_copy("scrutiny")


@pytest.mark.slow
def test_update_appends_exactly_one_entry_and_keeps_every_byte(root: Path) -> None:
    path = root / "recommendations/SC-1.yaml"
    before = path.read_bytes()
    done = update(root, UpdateRequest("SC-1", "closed", "Signed off: by the panel", TODAY), TODAY)
    after = path.read_bytes()
    assert after == before + (
        b'  - {date: 2024-08-01, status: closed, note: "Signed off: by the panel"}\n'
    )
    assert only_inserts(before, after)
    assert done.path == "recommendations/SC-1.yaml"
    assert (done.before.status, done.after.status) == ("implemented", "closed")
    assert done.warnings == ()


@pytest.mark.slow
def test_update_of_a_recommendation_without_updates_adds_the_list(root: Path) -> None:
    path = root / "recommendations/SC-3.yaml"
    before = path.read_bytes()
    done = update(root, UpdateRequest("SC-3", "in-progress", "Panel booked.", TODAY), TODAY)
    assert path.read_bytes() == before + (
        b"updates:\n  - date: 2024-08-01\n    status: in-progress\n    note: Panel booked.\n"
    )
    assert (done.before.status, done.before.flags) == ("open", ("unanswered",))
    assert (done.after.status, done.after.flags) == ("in-progress", ("unanswered",))


def test_update_keeps_crlf_line_ends(root: Path) -> None:
    path = root / "recommendations/SC-4.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    update(root, UpdateRequest("SC-4", "open", "Reopened.", TODAY), TODAY)
    assert (
        path.read_bytes() == before + b"  - {date: 2024-08-01, status: open, note: Reopened.}\r\n"
    )


REFUSED: dict[str, tuple[UpdateRequest, str]] = {
    "not after the last update": (
        UpdateRequest("SC-1", "closed", "x", date(2024, 7, 15)),
        "SC-1's last update is dated 2024-07-15; a new update must be dated after it "
        "(updates are append-only history), not 2024-07-15",
    ),
    "before it was made": (
        UpdateRequest("SC-3", "open", "x", date(2024, 6, 9)),
        "SC-3 was made on 2024-06-10; an update cannot be dated before it (2024-06-09)",
    ),
    "in the future": (
        UpdateRequest("SC-3", "open", "x", date(2024, 8, 2)),
        "2024-08-02 is in the future (today is 2024-08-01); update on or before today",
    ),
    "a blank note": (
        UpdateRequest("SC-3", "open", "  ", TODAY),
        "an update needs a note: what happened? (--note TEXT)",
    ),
    "an unknown recommendation": (
        UpdateRequest("SC-5", "open", "x", TODAY),
        "no recommendation SC-5 in this plan; did you mean SC-4?",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSED))
def test_update_refuses_and_changes_nothing(root: Path, case: str) -> None:
    request, message = REFUSED[case]
    files = {p: p.read_bytes() for p in (root / "recommendations").iterdir()}
    with pytest.raises(Refusal) as refused:
        update(root, request, TODAY)
    assert str(refused.value) == message
    assert {p: p.read_bytes() for p in (root / "recommendations").iterdir()} == files


def test_update_refuses_a_file_with_errors(root: Path) -> None:
    path = root / "recommendations/SC-2.yaml"
    path.write_text(path.read_text().replace("[W1.2, W2.1]", "[W1.2, W9.9]"))
    before = path.read_bytes()
    with pytest.raises(Refusal) as refused:
        update(root, UpdateRequest("SC-2", "open", "x", TODAY), TODAY)
    assert str(refused.value) == (
        "recommendations/SC-2.yaml has 1 error; fix it before updating (sendplan validate):\n"
        "  recommendations/SC-2.yaml:7:20: unknown-objective: SC-2 names objective W9.9, "
        "which is not in plan/"
    )
    assert path.read_bytes() == before


@pytest.mark.slow
def test_update_command_prints_the_change_and_its_flags(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sendplan.cli.authoring.today", lambda: TODAY)
    args = ["update", "SC-2", "In-Progress", "--note", "Agreed.", "--date", "2024-06-19"]
    result = runner.invoke(app, [*args, "--plan", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "SC-2: open -> in-progress on 2024-06-19 (added to recommendations/SC-2.yaml)",
        "flags at 2024-06-19: unchanged (unanswered)",
    ]
    refused = runner.invoke(app, ["update", "SC-2", "done", "--note", "x", "--plan", str(root)])
    assert refused.exit_code == 1
    assert "'done' is not a status: use open, in-progress, implemented or closed" in refused.stderr
    bad_date = runner.invoke(
        app, ["update", "SC-2", "open", "--note", "x", "--date", "2024-6-1", "--plan", str(root)]
    )
    assert bad_date.exit_code == 1
    assert "--date: '2024-6-1' is not a date: use YYYY-MM-DD" in bad_date.stderr
