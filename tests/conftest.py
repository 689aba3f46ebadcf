"""Shared fixtures: copies of the fixture plans, and golden files rewritten only on request."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured by the benchmark, not by timed tests: on a busy shared machine hypothesis's
# 200 ms deadline failed a property test that passed on rerun (FlakyFailure).
settings.register_profile("sendplan", deadline=None)
settings.load_profile("sendplan")

FIXTURES = Path(__file__).parent / "fixtures"
PLANS = FIXTURES / "plans"
GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent
TODAY = date(2024, 7, 1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/")


@pytest.fixture
def plan_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A fresh copy of tests/fixtures/plans/<name> that a test may break."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(PLANS / name, target, symlinks=True)
        return target

    return copy


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name>; `pytest --update-golden` (make golden) rewrites."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
        assert path.exists(), f"no golden file {name}; run: make golden"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs; run: make golden"

    return compare
