"""load.with_file: a write checked against the plan loaded once reads the one file exactly as
load_plan would (issue 19), and refuses what it is not for."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sendplan.load import load_plan, with_file
from sendplan.sources import FolderSource, Narrowed


def _summary(loaded: object, path: str) -> list[tuple[str, str, int, str]]:
    findings = getattr(loaded, "findings", [])
    return [(f.code, f.path, f.line, f.message) for f in findings if f.path == path]


@pytest.mark.parametrize("path", ["README.md", "sendplan.yaml", "plan/A1/area.yaml"])
def test_with_file_reads_only_an_items_file(plan_copy: Callable[[str], Path], path: str) -> None:
    loaded = load_plan(FolderSource(plan_copy("minimal")))
    message = f"with_file reads an item's file, not {path!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        with_file(loaded, path, b"x: 1\n")


def test_with_file_reads_only_a_change_to_a_folder(plan_copy: Callable[[str], Path]) -> None:
    folder = FolderSource(plan_copy("minimal"))
    narrowed = load_plan(Narrowed(folder, folder.files()[:2]))
    with pytest.raises(ValueError, match=r"^with_file reads a change to a folder$"):
        with_file(narrowed, "evidence/E1.md", b"---\nid: E1\n---\n")


def test_a_new_file_that_does_not_read_is_broken_and_found_as_load_plan_finds_it(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    loaded = load_plan(FolderSource(root))
    data = b"---\nid: E9\ntitle: [unclosed\n---\nBody.\n"
    changed = with_file(loaded, "evidence/E9.md", data)
    assert [e.id for e in changed.plan.evidence] == [e.id for e in loaded.plan.evidence]
    assert "evidence/E9.md" in [f.path for f in changed.files]
    assert changed.is_known("evidence", "E9")  # broken, so citing it is no unknown-evidence
    assert not loaded.is_known("evidence", "E9")
    (root / "evidence/E9.md").write_bytes(data)
    whole = load_plan(FolderSource(root))
    assert _summary(changed, "evidence/E9.md") == _summary(whole, "evidence/E9.md") != []
    assert [f.path for f in changed.files] == [f.path for f in whole.files]


def test_with_file_on_with_file_replaces_the_first_change(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    loaded = load_plan(FolderSource(root))
    first = with_file(loaded, "evidence/E3.md", b"---\nid: E3\ntitle: Draft\nkind: document\n---\n")
    second = with_file(first, "evidence/E3.md", b"---\nid: E3\ntitle: Final\nkind: document\n---\n")
    titles = {e.id: e.title for e in second.plan.evidence}
    assert titles["E3"] == "Final"
    assert [e.id for e in second.plan.evidence] == [*(e.id for e in loaded.plan.evidence), "E3"]
    assert second.source.read("evidence/E3.md").endswith(b"title: Final\nkind: document\n---\n")


def test_a_file_gone_or_changed_since_loading_is_located_nowhere(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    loaded = load_plan(FolderSource(root))
    wanted = [("plan/A1/A1a-1.yaml", ("owner",)), ("evidence/E1.md", ("title",))]
    assert loaded.locate_all(wanted) == [(5, 1), (3, 1)]
    (root / "plan/A1/A1a-1.yaml").unlink()
    (root / "evidence/E1.md").write_text("No front matter any more.\n", encoding="utf-8")
    assert loaded.locate_all(wanted) == [(0, 0), (0, 0)]
