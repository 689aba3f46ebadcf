"""Fuzzing the loader and the checks: whatever a plan file holds, the answer is findings.

Random bytes, random YAML structures and small mutations of the fixture plan's own files go
into each file kind (settings, area, objective, evidence front matter and body, KPI); loading
and checking must return findings that serialise, and never raise.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendplan.checks import run_checks
from sendplan.findings import Finding, as_github, as_json, summarise
from sendplan.load import load_plan
from sendplan.model import (
    Area,
    Benchmark,
    BragDefinitions,
    DataPoint,
    DueChange,
    Evidence,
    Kpi,
    Objective,
    Rating,
    Settings,
    Target,
    Theme,
)
from sendplan.sources import FolderSource
from tests.conftest import PLANS, TODAY

FILES = [
    "sendplan.yaml",
    "plan/A1/area.yaml",
    "plan/A1/A1a-1.yaml",
    "plan/I1/I1-1.yaml",
    "evidence/E1.md",
    "kpis/k20.yaml",
]
NEW_FILES = ["plan/A1/A1a-7.yaml", "evidence/E7.md", "kpis/k7.yaml", "plan/Z7/area.yaml"]
MODELS = (Settings, BragDefinitions, Area, Theme, Objective, DueChange, Rating, Evidence, Kpi)
KEYS = sorted(
    {
        f.alias or n
        for m in (*MODELS, Target, Benchmark, DataPoint)
        for n, f in m.model_fields.items()
    }
)
TRICKY = [
    "2024-02-30", "2024-06", "2024-13", "9999-12-31", "0001-01-01", "0000-01-01", "2024",
    "red", "amber", "green", "blue", "no", "yes", "on", "~", "", " ", "E1", "E2", "k20", "A1",
    "A1a", "A1b", "I1", "A1a:1", "I1:1", "../../etc/passwd", "/etc/passwd", "files/x.pdf",
    "javascript:alert(1)", "https://example.org/", "943 476 5919", "B801200005001",
    "jane.smith@gmail.com", "DOB 01/02/2015", "1e999", "-0", "0x10", "1_000", "\x1b[2J",
    "\u202e", "[/bold]", "<script>", "&a", "*a", "! tag",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(TRICKY)
)
keys = st.sampled_from(KEYS) | st.text(max_size=12)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # a value used twice is written out twice: plan files refuse aliases


def _dump(value: object) -> str:
    return yaml.dump(value, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def _as_file(path: str, value: object, body: str = "") -> str:
    if path.endswith(".md"):
        return f"---\n{_dump(value)}---\n{body}"
    return _dump(value)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "plan"
    shutil.copytree(PLANS / "minimal", root)
    return root


def _originals(root: Path) -> dict[str, Any]:
    docs = {}
    for rel in FILES:
        text = (root / rel).read_text(encoding="utf-8")
        if rel.endswith(".md"):
            text = text.split("---\n")[1]
        docs[rel] = yaml.safe_load(text)
    return docs


ORIGINALS = _originals(PLANS / "minimal")


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value: Any, path: tuple[Any, ...], new: object) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _leaves(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


# The plan's own values (IDs, dates, BRAGs) moved elsewhere reach the checks' logic, not just
# the schema; random structures mostly stop at the schema.
OWN = sorted({str(v) for doc in ORIGINALS.values() for v in _leaves(doc)})
replacements = st.sampled_from(OWN) | st.sampled_from(TRICKY) | values


def _check(root: Path, writes: dict[str, bytes]) -> None:
    saved = {rel: (root / rel).read_bytes() if (root / rel).exists() else None for rel in writes}
    try:
        for rel, data in writes.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        loaded = load_plan(FolderSource(root))
        findings = run_checks(loaded, TODAY)
        assert all(isinstance(f, Finding) for f in findings)
        json.loads(as_json(findings, summarise(findings, loaded.plan.files)))
        as_github(findings)
    finally:
        for rel, original in saved.items():
            if original is None:
                (root / rel).unlink()
            else:
                (root / rel).write_bytes(original)


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.slow
@FUZZ
@given(path=st.sampled_from(FILES + NEW_FILES), data=st.binary(max_size=3000))
def test_random_bytes_in_any_file_give_findings(plan: Path, path: str, data: bytes) -> None:
    _check(plan, {path: data})


@pytest.mark.slow
@FUZZ
@given(
    path=st.sampled_from(FILES + NEW_FILES),
    value=values,
    body=st.text(max_size=200),
)
def test_random_yaml_structures_in_any_file_give_findings(
    plan: Path, path: str, value: object, body: str
) -> None:
    _check(plan, {path: _as_file(path, value, body).encode("utf-8")})


@pytest.mark.slow
@FUZZ
@given(data=st.data(), path=st.sampled_from(FILES), new=replacements)
def test_mutated_plan_files_give_findings(
    plan: Path, data: st.DataObject, path: str, new: object
) -> None:
    """One value of a valid file replaced or dropped: deep enough that the checks run."""
    doc = ORIGINALS[path]
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(list(_paths(doc))))
        if where and data.draw(st.booleans()):  # drop the key or item instead
            parent = _get(doc, where[:-1])
            new_parent = (
                {k: v for k, v in parent.items() if k != where[-1]}
                if isinstance(parent, dict)
                else [v for i, v in enumerate(parent) if i != where[-1]]
            )
            doc = _replace(doc, where[:-1], new_parent)
        else:
            doc = _replace(doc, where, new)
    _check(plan, {path: _as_file(path, doc).encode("utf-8")})


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value
