"""`history` and `diff` on repositories built to be large: bounded memory, each version once.

The repositories are written with `git fast-import` (900 commits in well under a second).
Memory is measured with tracemalloc in this process: every byte git hands over is a Python
`bytes`, so reading a blob whole shows in the peak.
"""

from __future__ import annotations

import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.comparison import _with_new_ratings, diff_revisions, objective_history
from sendplan.git import Repository
from sendplan.model import Approval, Objective
from sendplan.revisions import resolve
from sendplan.yamlfile import Parsed, parse_extension, parse_yaml
from tests.gitrepo import git, git_env

runner = CliRunner()
MiB = 1024 * 1024
SETTINGS = b"name: Large plan\n"
AREA = b"id: A1\nkind: priority\ntitle: Timely assessments\n"
HEAD_OF_FILE = (
    "id: A1:1\ntitle: Map assessment timelines\ncommitment: {text}\nowner: Head of SEND\n"
    "due: 2030-04\nratings:\n"
)


def rating(day: int) -> str:
    year, rest = divmod(day, 336)
    month, date = divmod(rest, 28)
    return (
        f"  - date: {2000 + year:04d}-{month + 1:02d}-{date + 1:02d}\n"
        f"    brag: {('red', 'amber', 'green')[day % 3]}\n    note: Step {day} done.\n"
    )


def fast_import(root: Path, commits: Iterator[tuple[str, dict[str, bytes]]]) -> None:
    """Commit each (message, {path: bytes}) in turn on main (files not named stay as they are)."""
    stream = bytearray()
    marks: dict[bytes, int] = {}
    for n, (message, files) in enumerate(commits):
        for data in files.values():  # each distinct content once, as a blob with a mark
            if data not in marks:
                marks[data] = len(marks) + 1
                stream += b"blob\nmark :%d\ndata %d\n%s\n" % (marks[data], len(data), data)
        when = 1_700_000_000 + n * 3600
        msg = message.encode()
        stream += b"commit refs/heads/main\n"
        stream += b"author Alice Officer <alice@example.org> %d +0000\n" % when
        stream += b"committer Alice Officer <alice@example.org> %d +0000\n" % when
        stream += b"data %d\n%s\n" % (len(msg), msg)
        for path, data in files.items():
            stream += b"M 100644 :%d %s\n" % (marks[data], path.encode())
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=git_env())
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True,
        env=git_env(),
    )  # fmt: skip
    git(root, "checkout", "-q", "main")


def growing_objective(commits: int, padding: int) -> Iterator[tuple[str, dict[str, bytes]]]:
    text = HEAD_OF_FILE.format(text="x" * padding)
    base = {"sendplan.yaml": SETTINGS, "plan/A1/area.yaml": AREA}
    for n in range(commits):
        text += rating(n)
        files = {"plan/A1/A1-1.yaml": text.encode()}
        yield f"Rating {n}", ({**base, **files} if n == 0 else files)


def peak_of(run: object) -> tuple[object, int]:
    tracemalloc.start()
    try:
        assert callable(run)
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_history_of_900_commits_reads_each_version_within_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    fast_import(root, growing_objective(900, padding=4_000))  # 900 versions, 4-58 KB each
    monkeypatch.setattr("sendplan.git.READ_BUDGET", MiB)
    repo = Repository(root)
    entries, peak = peak_of(lambda: objective_history(repo, "A1:1"))
    assert isinstance(entries, list)
    assert len(entries) == 900
    assert [c.change for c in entries[0].changes] == ["added"]
    assert all([c.change for c in e.changes] == ["rating-added"] for e in entries[1:])
    assert entries[-1].changes[0].message == "green on 2002-09-04, up from amber: Step 899 done."
    # The versions total 28 MB: held at once they would be; a chunk is 1 MiB.
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB"


@pytest.mark.slow
def test_history_reads_no_version_over_max_file_bytes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    big = HEAD_OF_FILE.format(text="x" * (8 * MiB)).encode() + rating(1).encode()
    small = HEAD_OF_FILE.format(text="short").encode() + rating(1).encode()
    fast_import(
        root,
        iter(
            [
                ("Plan", {"sendplan.yaml": SETTINGS, "plan/A1/area.yaml": AREA,
                          "plan/A1/A1-1.yaml": small}),
                ("Pasted a huge file", {"plan/A1/A1-1.yaml": big}),
                ("Put it back", {"plan/A1/A1-1.yaml": small}),
            ]
        ),
    )  # fmt: skip
    repo = Repository(root)
    entries, peak = peak_of(lambda: objective_history(repo, "A1:1"))
    assert isinstance(entries, list)
    assert [(e.subject, [c.change for c in e.changes], e.unreadable) for e in entries] == [
        ("Plan", ["added"], []),
        ("Pasted a huge file", [], ["plan/A1/A1-1.yaml"]),
        ("Put it back", [], []),
    ]
    assert peak < 2 * MiB, f"peak {peak / MiB:.1f} MiB"


@pytest.mark.slow
def test_diff_never_reads_paths_that_point_at_one_8_mib_blob(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    big = b"id: E0\ntitle: " + b"x" * (8 * MiB) + b"\n"
    many = {f"plan/A1/A1-{i}.yaml": big for i in range(40)} | {
        f"evidence/E{i}.md": b"---\n" + big + b"---\n" for i in range(40)
    }
    plan = {"sendplan.yaml": SETTINGS, "plan/A1/area.yaml": AREA}
    fast_import(root, iter([("Plan", plan), ("Eighty paths, one blob", many)]))
    repo = Repository(root)
    result, peak = peak_of(
        lambda: diff_revisions(repo, resolve(repo, "HEAD~1"), resolve(repo, "HEAD"))
    )
    assert peak < 2 * MiB, f"peak {peak / MiB:.1f} MiB"
    unreadable = getattr(result, "unreadable", [])
    assert len(unreadable) == 80
    assert {u.message.split(":")[0] for u in unreadable} == {"file-too-large"}
    code = runner.invoke(app, ["diff", "HEAD~1", "HEAD", "--plan", str(root)]).exit_code
    assert code == 0


# --- parse_extension: only what `parse_yaml` would give, or None --------------------------------


OLD = "id: A1:1\ntitle: T\nratings:\n  - date: 2024-01-31\n    brag: red\n    note: |+\n      a\n\n"


def extended(old: str, new: str) -> Parsed | None:
    return parse_extension(old, parse_yaml(old), new)


def test_an_appended_item_is_parsed_alone_and_equals_the_whole_parse() -> None:
    new = OLD + "  - date: 2024-02-29\n    brag: amber\n    note: Better.\n"
    parsed = extended(OLD, new)
    assert parsed is not None
    assert parsed.data == parse_yaml(new).data
    assert parsed.tail == ("ratings", 2)


@pytest.mark.parametrize(
    "added",
    [
        "\n  - date: 2024-02-29\n    brag: amber\n",  # a blank line first: `|+` would keep it
        "done: 2024-03-01\n",  # a new top-level key
        " - date: 2024-02-29\n",  # left of the list's dash
        "  -date: 2024-02-29\n",  # not an item
        "  - date: 2024-02-29\n note: x\n",  # comes back left of the list
        "  - date: 2024-02-29\n\tbrag: red\n",  # a tab
        "  - date: 2024-02-29\u2028done: x\n",  # a line separator: a line break to libyaml
        "  - date: 2024-02-29\n    date: 2024-03-01\n",  # a duplicate key (a problem)
        "  - brag: no\n",  # an ambiguous boolean (a problem)
        "  - [unclosed\n",  # a syntax error
        "  - *anchor\n",  # an alias
    ],
)
def test_anything_but_more_items_is_parsed_whole(added: str) -> None:
    assert extended(OLD, OLD + added) is None


def test_a_changed_earlier_line_or_a_file_without_a_trailing_list_is_parsed_whole() -> None:
    assert extended(OLD, OLD.replace("red", "blue") + "  - date: 2024-02-29\n") is None
    no_list = "id: A1:1\nratings: []\n"
    assert extended(no_list, no_list + "  - date: 2024-02-29\n") is None
    after = "ratings:\n  - date: 2024-01-31\nowner: X\n"
    assert extended(after, after + "  - date: 2024-02-29\n") is None
    compact = "ratings:\n- date: 2024-01-31\n"
    new = compact + "- date: 2024-02-29\n"
    parsed = extended(compact, new)
    assert parsed is not None
    assert parsed.data == parse_yaml(new).data


LINES = st.sampled_from(
    [
        "  - date: 2024-02-29",
        "    brag: amber",
        "    note: |",
        "    note: >-",
        "      text line",
        "    note: 'quoted",
        "  continued'",
        '    note: "dq',
        'x: y"',
        "",
        "# a comment",
        "  # indented comment",
        "ratings:",
        "done: 2024-03-01",
        "  - plain",
        "    - nested",
        "      key: value",
        "...",
        "---",
        "- top",
        "   odd: indent",
        "    evidence: [E1,",
        "  E2]",
    ]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=8))
def test_parse_extension_never_differs_from_parsing_the_whole_text(lines: list[str]) -> None:
    new = OLD + "\n".join(lines) + "\n"
    parsed = extended(OLD, new)
    if parsed is not None:
        whole = parse_yaml(new)
        assert whole.problems == []
        assert parsed.data == whole.data


def test_the_ratings_shortcut_builds_the_objective_validation_would() -> None:
    old_text = HEAD_OF_FILE.format(text="t") + rating(0) + rating(1)
    new_text = old_text + rating(2) + "    evidence: [E1]\n    by: PDG\n"
    old = parse_yaml(old_text)
    new = parse_extension(old_text, old, new_text)
    assert new is not None
    assert isinstance(old.data, dict)
    grown = _with_new_ratings(Objective.model_validate(old.data), old, new)
    assert isinstance(new.data, dict)
    validated = Objective.model_validate(new.data)
    assert grown == validated
    assert grown is not None
    assert grown.model_dump() == validated.model_dump()


# --- history through broken, reverted and re-encoded versions ----------------------------------


def test_history_through_bad_reverted_and_non_utf8_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each version read once more only when it comes back (a revert after its chunk has
    gone: one blob per chunk here); a version that does not validate or decode is unreadable
    at its commit, never a removal; a file of the same name holding another objective is not
    this one; each commit is marked with the first approval that includes it."""
    v1 = (HEAD_OF_FILE.format(text="t") + rating(0)).encode()
    bad = v1 + b"  - date: not-a-date\n    brag: purple\n"  # appended, but not a rating
    v5 = v1 + rating(1).encode()
    latin1 = v5 + b"  - date: 2000-01-05\n    brag: red\n    note: caf\xe9\n"
    root = tmp_path / "repo"
    fast_import(
        root,
        iter(
            [  # no sendplan.yaml: the default max_file_bytes applies
                ("Plan", {"plan/A1/area.yaml": AREA, "plan/A1/A1-1.yaml": v1}),
                ("A bad rating", {"plan/A1/A1-1.yaml": bad}),
                ("A good one after it", {"plan/A1/A1-1.yaml": bad + rating(1).encode()}),
                ("Back to the first", {"plan/A1/A1-1.yaml": v1}),
                ("Rating added", {"plan/A1/A1-1.yaml": v5}),
                ("Latin-1 note", {"plan/A1/A1-1.yaml": latin1}),
                ("Same name, another ID", {"plan/A2/A1-1.yml": v1.replace(b"A1:1", b"A2:7")}),
                ("Encoding fixed", {"plan/A1/A1-1.yaml": v5 + rating(2).encode()}),
            ]
        ),
    )
    shas = git(root, "log", "--reverse", "--format=%H").split()
    monkeypatch.setattr("sendplan.git.READ_BUDGET", 1)
    approvals = [
        Approval.model_validate({"month": m, "board": "SIAB", "date": "2024-01-01", "commit": c})
        for m, c in [
            ("2023-12", "e" * 40),  # not in this clone: marks nothing
            ("2024-01", shas[4]),
            ("2024-02", shas[-1]),
            ("2024-03", shas[-1]),  # nothing left to mark
        ]
    ]
    entries = objective_history(Repository(root), "A1:1", approvals)
    unreadable = ["plan/A1/A1-1.yaml"]
    assert [
        (e.subject, [(c.change, c.message) for c in e.changes], e.unreadable, e.approved)
        for e in entries
    ] == [
        ("Plan", [("added", "new objective, due 2030-04-30, owner Head of SEND")], [],
         approvals[1]),
        ("A bad rating", [], unreadable, approvals[1]),
        ("A good one after it", [], [], approvals[1]),  # still unreadable: nothing new
        ("Back to the first", [], [], approvals[1]),
        ("Rating added", [("rating-added", "amber on 2000-01-02, up from red: Step 1 done.")],
         [], approvals[1]),
        ("Latin-1 note", [], unreadable, approvals[2]),
        ("Same name, another ID", [], [], approvals[2]),
        ("Encoding fixed", [], [], approvals[2]),
    ]  # fmt: skip
    assert [e.sha for e in entries] == shas


def test_a_commit_date_git_gives_oddly_falls_back_to_its_timestamp_then_to_1970() -> None:
    from datetime import UTC, datetime

    from sendplan.comparison import _commit_date
    from sendplan.git import Commit

    def dated(date: str, timestamp: int) -> datetime:
        return _commit_date(Commit("c" * 40, date, timestamp, "Alice", "Subject", ()))

    assert dated("2024-06-01T09:00:00+01:00", 0) == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert dated("yesterday", 1_717_232_400) == datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    assert dated("", 10**20) == datetime(1970, 1, 1, tzinfo=UTC)


def test_the_ratings_shortcut_is_only_for_ratings_appended() -> None:
    old_text = HEAD_OF_FILE.format(text="t") + rating(0) + "evidence:\n  - E1\n"
    new_text = old_text + "  - E2\n"  # appended to evidence, the last list: not a rating
    old = parse_yaml(old_text)
    new = parse_extension(old_text, old, new_text)
    assert new is not None
    assert new.tail is not None
    assert new.tail[0] == "evidence"
    assert _with_new_ratings(Objective.model_validate(old.data), old, new) is None


def test_no_uncommitted_plan_files_before_the_first_commit(tmp_path: Path) -> None:
    from sendplan.comparison import uncommitted_plan_files

    root = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=git_env())
    (root / "sendplan.yaml").write_bytes(SETTINGS)
    assert uncommitted_plan_files(Repository(root)) == []


def test_history_text_names_a_version_that_could_not_be_read(tmp_path: Path) -> None:
    v1 = (HEAD_OF_FILE.format(text="t") + rating(0)).encode()
    root = tmp_path / "repo"
    fast_import(
        root,
        iter(
            [
                ("Plan", {"sendplan.yaml": SETTINGS, "plan/A1/area.yaml": AREA,
                          "plan/A1/A1-1.yaml": v1}),
                ("Broke it", {"plan/A1/A1-1.yaml": v1 + b"  - [unclosed\n"}),
                ("Mended it", {"plan/A1/A1-1.yaml": v1}),
            ]
        ),
    )  # fmt: skip
    result = runner.invoke(app, ["history", "A1:1", "--plan", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    shas = git(root, "log", "--reverse", "--format=%h", "--abbrev=10").split()
    assert result.stdout.splitlines()[2] == f"2023-11-14  {shas[0]}  Alice Officer  Plan"
    # Each commit's line is "<date>  <sha>  <author>  <subject>": its subject is kept.
    lines = [
        line.split("  ", 3)[-1] if line[:2] == "20" else line for line in result.stdout.splitlines()
    ]
    assert lines == [
        "History of A1:1",
        "",
        "Plan",
        "  info    added              new objective, due 2030-04-30, owner Head of SEND",
        "",
        "Broke it",
        "  plan/A1/A1-1.yaml could not be read at this commit",
        "",
        "Mended it",
        "  no change in plan terms (layout or comments only)",
    ]
