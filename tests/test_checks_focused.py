"""`run_checks(about=...)`, what a write checks its one file with (issue 19), finds exactly
what a whole run finds on that file or naming that item, on every item of every fixture plan,
the bundled plan and a plan built to have every cross-file finding (duplicates, orphans)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sendplan.checks import run_checks
from sendplan.findings import Finding
from sendplan.load import Loaded, load_plan
from sendplan.model import Area, Evidence, Kpi, Objective, Recommendation
from sendplan.sources import FolderSource
from sendplan.vocabulary import path_stem
from tests.conftest import PLANS, REPO, TODAY


def _items(loaded: Loaded) -> list[tuple[str, str]]:
    """(file, ID) of every item, and of every file that was read without an item (broken)."""
    plan = loaded.plan
    kinds: tuple[Sequence[Area | Objective | Evidence | Kpi | Recommendation], ...] = (
        plan.areas,
        plan.objectives,
        plan.evidence,
        plan.kpis,
        plan.recommendations,
    )
    items = [(each.path, each.id) for kind in kinds for each in kind]
    items += [(a.path, a.month) for a in plan.approvals]
    held = {path for path, _ in items}
    items += [(f.path, path_stem(f.path)) for f in loaded.files if f.path not in held]
    return items


def _whole_run_about(found: list[Finding], path: str, item_id: str) -> list[Finding]:
    return [f for f in found if f.path == path or (f.id and f.id == item_id)]


def _assert_focused_is_whole(root: Path) -> int:
    loaded = load_plan(FolderSource(root))
    whole = run_checks(loaded, TODAY)
    compared = 0
    for path, item_id in _items(loaded):
        expected = _whole_run_about(whole, path, item_id)
        assert run_checks(loaded, TODAY, about=(path, item_id)) == expected, path
        compared += bool(expected)
    return compared


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.iterdir()))
def test_focused_checks_match_a_whole_run_on_every_fixture_plan(name: str) -> None:
    _assert_focused_is_whole(PLANS / name)


def test_focused_checks_match_a_whole_run_on_the_bundled_plan(tmp_path: Path) -> None:
    root = tmp_path / "bundled"
    root.mkdir()
    shutil.copy(REPO / "sendplan.yaml", root)
    for folder in ("plan", "evidence", "kpis", "recommendations", "approvals"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    assert _assert_focused_is_whole(root) > 0


def test_focused_checks_find_duplicates_orphans_and_broken_files(
    plan_copy: Callable[[str], Path],
) -> None:
    """Findings that depend on other files: a duplicate ID (reported on the later file), an
    evidence item cited only by another file's rating, one cited nowhere, a broken file."""
    root = plan_copy("minimal")
    a1 = root / "plan/A1/A1a-1.yaml"
    (root / "plan/A1/A1a-2.yaml").write_bytes(a1.read_bytes())  # a second A1a:1
    (root / "evidence/E9.md").write_text(
        "---\nid: E9\ntitle: Cited nowhere\nkind: document\ndate: 2024-06-01\n---\nx\n",
        encoding="utf-8",
    )
    (root / "evidence/E8.md").write_text(
        "---\nid: E8\ntitle: Cited by a rating\nkind: document\ndate: 2024-06-01\n---\nx\n",
        encoding="utf-8",
    )
    i1 = root / "plan/I1/I1-1.yaml"
    i1.write_bytes(i1.read_bytes() + b"    evidence: [E8]\n")
    (root / "kpis/broken.yaml").write_bytes(b"id: [unclosed\n")
    loaded = load_plan(FolderSource(root))
    whole = run_checks(loaded, TODAY)
    codes = {f.code for f in whole}
    assert {"duplicate-id", "orphan-evidence", "yaml-syntax", "id-filename-mismatch"} <= codes
    orphans = [f.path for f in whole if f.code == "orphan-evidence"]
    assert "evidence/E9.md" in orphans
    assert "evidence/E8.md" not in orphans
    assert _assert_focused_is_whole(root) >= 4
