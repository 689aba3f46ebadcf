"""The benchmark's plan generator (bench/generate.py) writes valid, reproducible plans."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from sendplan.checks import run_checks
from sendplan.load import load_plan
from sendplan.sources import FolderSource

BENCH = Path(__file__).parent.parent / "bench"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_plan_has_no_findings(generate: ModuleType, tmp_path: Path) -> None:
    generate.generate(30, tmp_path, seed=7)
    loaded = load_plan(FolderSource(tmp_path))
    findings = run_checks(loaded, date(2026, 1, 1))
    assert findings == []
    plan = loaded.plan
    assert len(plan.objectives) == 30
    assert {a.kind for a in plan.areas} == {"priority", "improvement"}
    assert all(3 <= len(o.ratings) <= 6 for o in plan.objectives)
    assert all(2 <= len(o.evidence) <= 6 for o in plan.objectives)
    assert all(1 <= len(o.kpis) <= 2 for o in plan.objectives)
    assert any(o.due_history for o in plan.objectives)
    assert any(o.supports for o in plan.objectives)
    assert any("\n" in r.note for o in plan.objectives for r in o.ratings)
    assert all(e.body.strip() for e in plan.evidence)
    assert all(len(k.data) >= 12 for k in plan.kpis)
    # The national shape: about 4.1 files per objective.
    assert 3.8 <= plan.files / 30 <= 4.6


@pytest.mark.slow
def test_same_seed_same_bytes_other_seed_other_plan(generate: ModuleType, tmp_path: Path) -> None:
    generate.generate(30, tmp_path / "a", seed=3)
    generate.generate(30, tmp_path / "b", seed=3)
    generate.generate(30, tmp_path / "c", seed=4)
    a = _tree(tmp_path / "a")
    assert a == _tree(tmp_path / "b")
    assert a != _tree(tmp_path / "c")


@pytest.mark.slow
def test_changed_files_keep_the_plan_valid(generate: ModuleType, tmp_path: Path) -> None:
    generate.generate(30, tmp_path, seed=5)
    before = _tree(tmp_path)
    changed = generate.change_files(tmp_path, 10, seed=6)
    after = _tree(tmp_path)
    assert len(changed) == 10
    assert sorted(path for path in after if after[path] != before[path]) == changed
    assert run_checks(load_plan(FolderSource(tmp_path)), date(2026, 1, 1)) == []


def test_command_line_writes_the_plan(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "5", str(tmp_path / "plan"), "--seed", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan" / "sendplan.yaml").is_file()
    assert len(list((tmp_path / "plan" / "plan").glob("*/*.yaml"))) == 5 + 2  # and 2 area.yaml


@pytest.fixture(scope="module")
def history() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # history.py imports generate as its neighbour
    try:
        spec = importlib.util.spec_from_file_location("bench_history", BENCH / "history.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.mark.slow
def test_history_commits_each_month_as_it_was_known_and_approves_every_other(
    history: ModuleType, tmp_path: Path
) -> None:
    from sendplan.comparison import approved_month

    root = tmp_path / "plan"
    history.history(30, root, months=6, approvals=3, seed=7)
    loaded = load_plan(FolderSource(root))
    assert run_checks(loaded, date(2026, 1, 1)) == []  # approval commits exist: valid
    log = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert log == [
        "Approvals, and restated KPI figures",
        *(
            f"Ratings for {m} 2025"
            for m in ("June", "May", "April", "March", "February", "January")
        ),
    ]
    approvals = sorted(loaded.plan.approvals, key=lambda a: a.month)
    assert [a.month for a in approvals] == ["2025-01", "2025-03", "2025-05"]
    for approval in approvals:
        found = approved_month(root, loaded.plan, approval)
        assert found.loaded is not None, found.unavailable
        plan, end = found.loaded.plan, approval.month_end
        assert len(plan.objectives) == 30
        assert max(r.date for o in plan.objectives for r in o.ratings) <= end
        assert max(p.period.end for k in plan.kpis for p in k.data) <= end
        assert plan.evidence == loaded.plan.evidence  # unchanged files: the very same models
        # One KPI per area is restated after each approval: a change since every approval.
        assert [c.change for c in found.changes or ()].count("kpi-restated") >= 1
