"""A file with thousands of findings is parsed once to place them all, not once per finding.

Placing each finding by parsing its file again made a 224 KB objective with 3,000 ratings out
of order take 100 s to validate (issue 9); the count of parses is what these tests pin down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from yaml.nodes import Node

from sendplan import yamlfile
from sendplan.checks import run_checks
from sendplan.load import load_plan
from sendplan.sources import FolderSource

RATINGS = 300


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each text parsed: composed (loading) or walked as events (locating)."""
    sizes: list[int] = []
    compose, events = yamlfile.compose, yamlfile.events

    def counting(text: str) -> Node | None:
        sizes.append(len(text))
        return compose(text)

    def counting_events(text: str) -> Iterator[yaml.Event]:
        sizes.append(len(text))
        return events(text)

    monkeypatch.setattr(yamlfile, "compose", counting)
    monkeypatch.setattr(yamlfile, "events", counting_events)
    return sizes


def _long_history(plan: Path, brag: str, same_day: bool) -> Path:
    path = plan / "plan" / "A1" / "A1a-1.yaml"
    head = path.read_text(encoding="utf-8").split("ratings:")[0]
    entries = "".join(
        f"  - date: 2024-01-{1 if same_day else 1 + i % 28:02d}\n    brag: {brag}\n"
        f"    note: Entry {i}.\n"
        for i in range(RATINGS)
    )
    path.write_text(head + "ratings:\n" + entries, encoding="utf-8")
    return path


def test_many_check_findings_in_one_file_cost_one_more_parse(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_copy("minimal")
    path = _long_history(plan, "amber", same_day=True)
    size = len(path.read_text(encoding="utf-8"))
    parses = _count_parses(monkeypatch)
    findings = run_checks(load_plan(FolderSource(plan)), date(2024, 7, 1))
    order = [f for f in findings if f.code == "ratings-order"]
    assert len(order) == RATINGS - 1
    assert (order[0].line, order[-1].line) == (11 + 3, 11 + 3 * (RATINGS - 1))  # their dates
    assert parses.count(size) == 2  # loading, then placing all 299 findings


@pytest.mark.slow
def test_many_schema_errors_in_one_file_cost_one_more_parse(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_copy("minimal")
    path = _long_history(plan, "purple", same_day=False)
    size = len(path.read_text(encoding="utf-8"))
    parses = _count_parses(monkeypatch)
    loaded = load_plan(FolderSource(plan))
    schema = [f for f in loaded.findings if f.code == "schema"]
    assert len(schema) == RATINGS
    assert (schema[0].line, schema[-1].line) == (12, 12 + 3 * (RATINGS - 1))  # each brag
    assert parses.count(size) == 2
