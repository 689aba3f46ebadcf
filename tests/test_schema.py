"""`sendplan schema`: the JSON Schema accepts exactly what the models accept, on real files."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from sendplan.cli import app
from sendplan.model import Approval, Area, Evidence, Kpi, Objective, Recommendation, Settings
from sendplan.schema import KINDS, SchemaKind, json_schema
from sendplan.sources import FolderSource
from sendplan.yamlfile import FrontMatter, decode, parse_yaml, split_front_matter
from tests.conftest import PLANS, REPO

runner = CliRunner()
MODELS: dict[SchemaKind, type[BaseModel]] = {
    "objective": Objective,
    "area": Area,
    "evidence": Evidence,
    "kpi": Kpi,
    "recommendation": Recommendation,
    "settings": Settings,
    "approval": Approval,
}
PLAN_ROOTS = {
    "minimal": PLANS / "minimal",
    "board": PLANS / "board",
    "scrutiny": PLANS / "scrutiny",
    "bundled": REPO,
    "oldham": REPO / "examples/oldham-wsoa",
}


@functools.cache
def validator(kind: SchemaKind) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind))


def file_data(root: Path, path: str) -> Any:
    text, _ = decode((root / path).read_bytes())
    assert text is not None
    if path.startswith("evidence/"):
        front = split_front_matter(text)
        assert isinstance(front, FrontMatter)
        text = front.yaml_text
    return parse_yaml(text).data


def plan_files(root: Path) -> list[tuple[SchemaKind, str]]:
    files = [(f.kind, f.path) for f in FolderSource(root).files() if f.kind != "stray"]
    return files


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_valid_json_schema_2020_12(kind: SchemaKind) -> None:
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("plan", list(PLAN_ROOTS))
def test_every_plan_file_passes_both_the_schema_and_the_model(plan: str) -> None:
    root = PLAN_ROOTS[plan]
    files = plan_files(root)
    assert len(files) >= 8
    for kind, path in files:
        data = file_data(root, path)
        errors = [e.message for e in validator(kind).iter_errors(data)]
        assert errors == [], f"{plan}: {path}"
        model = MODELS[kind].model_validate(data)
        dumped = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        assert [e.message for e in validator(kind).iter_errors(dumped)] == [], path


def test_the_bundled_plan_has_every_kind() -> None:
    kinds = {kind for kind, _ in plan_files(REPO)}
    assert kinds == set(KINDS)


GOOD_OBJECTIVE: dict[str, Any] = {
    "id": "W1.2",
    "title": "t",
    "due": "2024-04",
    "ratings": [{"date": "2024-03-31", "brag": "amber", "evidence": "E1"}],
}

GOOD_RECOMMENDATION: dict[str, Any] = {
    "id": "HOSC-7",
    "from": "Joint Health Overview and Scrutiny Committee",
    "made": "2023-10-17",
    "text": "Keep EHCPs up to date.",
    "response": "accepted",
    "objectives": "PAP3A:1",
    "updates": [{"date": "2024-06-30", "status": "in-progress", "note": "n"}],
}

AGREE: list[tuple[SchemaKind, dict[str, Any], bool]] = [
    ("objective", GOOD_OBJECTIVE, True),
    ("objective", {**GOOD_OBJECTIVE, "due": "2024-04-15"}, True),
    ("objective", {**GOOD_OBJECTIVE, "evidnce": ["E1"]}, False),
    ("objective", {**GOOD_OBJECTIVE, "due": "2024/04"}, False),
    ("objective", {**GOOD_OBJECTIVE, "id": "-bad"}, False),
    ("objective", {**GOOD_OBJECTIVE, "ongoing": "yes"}, False),
    ("objective", {**GOOD_OBJECTIVE, "ratings": [{"date": "2024-03-31", "brag": "Amber"}]}, False),
    ("objective", {**GOOD_OBJECTIVE, "ratings": [{"date": "2024-03-31", "brug": "red"}]}, False),
    ("objective", {k: v for k, v in GOOD_OBJECTIVE.items() if k != "title"}, False),
    ("kpi", {"id": "k", "title": "t", "data": [{"period": 2023, "value": 5}]}, True),
    ("kpi", {"id": "k", "title": "t", "data": [{"period": "2023-05", "value": 5.5}]}, True),
    ("kpi", {"id": "k", "title": "t", "data": [{"period": "May 2023", "value": 5}]}, False),
    ("kpi", {"id": "k", "title": "t", "better": "more"}, False),
    ("evidence", {"id": "E1", "title": "t", "kind": "minutes", "public": False}, True),
    ("evidence", {"id": "E1", "title": "t", "kind": "memo"}, False),
    ("area", {"id": "A", "kind": "priority", "title": "t", "themes": [{"id": "A1"}]}, True),
    ("area", {"id": "A", "kind": "priority", "title": "t", "themes": [{"id": "A", "x": 1}]}, False),
    ("settings", {"name": "n", "stale_after_days": 30, "brag": {"red": "late"}}, True),
    ("settings", {"name": "n", "brag": {"purple": "?"}}, False),
    ("settings", {"name": "n", "stale_after_days": 0}, False),
    ("settings", {"name": "n", "type": "wsoa", "response_days": 14}, True),
    ("settings", {"name": "n", "type": "WSOA"}, False),
    ("settings", {"name": "n", "response_days": 0}, False),
    ("settings", {"name": "n", "milestones": [{"name": "Revisit", "due": "2025-03"}]}, True),
    ("settings", {"name": "n", "milestones": [{"name": "R", "due": "2025-03", "x": 1}]}, False),
    ("settings", {"name": "n", "milestones": [{"name": "Revisit"}]}, False),
    ("recommendation", GOOD_RECOMMENDATION, True),
    ("recommendation", {**GOOD_RECOMMENDATION, "responded": "2023-11-13", "due": "2024-09"}, True),
    ("recommendation", {**GOOD_RECOMMENDATION, "response": "accept"}, False),
    ("recommendation", {**GOOD_RECOMMENDATION, "made": "17 Oct 2023"}, False),
    ("recommendation", {k: v for k, v in GOOD_RECOMMENDATION.items() if k != "from"}, False),
    ("recommendation", {**GOOD_RECOMMENDATION, "updates": [{"date": "2024-06-30"}]}, False),
    (
        "recommendation",
        {**GOOD_RECOMMENDATION, "updates": [{"date": "2024-06-30", "status": "done"}]},
        False,
    ),
]


@pytest.mark.parametrize(("kind", "data", "valid"), AGREE)
def test_schema_and_model_agree(kind: SchemaKind, data: dict[str, Any], valid: bool) -> None:
    schema_ok = validator(kind).is_valid(data)
    try:
        MODELS[kind].model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert (schema_ok, model_ok) == (valid, valid)


def test_objective_schema_describes_ratings() -> None:
    schema = json_schema("objective")
    ratings = schema["properties"]["ratings"]  # type: ignore[index]
    assert ratings["description"] == "Dated BRAG history, oldest first, append-only."
    assert ratings["items"] == {"$ref": "#/$defs/Rating"}
    rating = schema["$defs"]["Rating"]  # type: ignore[index]
    assert rating["properties"]["brag"]["enum"] == ["red", "amber", "green", "blue"]
    assert rating["required"] == ["date", "brag"]
    assert rating["additionalProperties"] is False


def test_cli_prints_one_schema_or_all(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "objective"], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema("objective")
    result = runner.invoke(app, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    assert sorted(json.loads(result.output)) == sorted(KINDS)


def test_cli_writes_every_schema(tmp_path: Path) -> None:
    out = tmp_path / ".sendplan/schemas"
    result = runner.invoke(app, ["schema", "--write", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    assert json.loads((out / "kpi.schema.json").read_text()) == json_schema("kpi")


def test_cli_refuses_an_unknown_kind() -> None:
    result = runner.invoke(app, ["schema", "objectives"], catch_exceptions=False)
    assert result.exit_code == 2
