"""`sendplan schema`: JSON Schema of each file kind, generated from the models that validate.

Editors (VS Code with the YAML extension, via yaml-language-server) use these to complete
and check plan files as they are typed. They come from the same pydantic models as
`sendplan validate`, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel

from sendplan.model import (
    Approval,
    Area,
    Evidence,
    Kpi,
    Objective,
    Recommendation,
    Settings,
    describe_fields,
)

SchemaKind = Literal[
    "objective", "area", "evidence", "kpi", "recommendation", "settings", "approval"
]
KINDS: tuple[SchemaKind, ...] = get_args(SchemaKind)
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = ".sendplan/schemas"
"""Where `sendplan init` writes the schemas, and where new files' modelines point."""

_MODELS: dict[SchemaKind, type[BaseModel]] = {
    "objective": Objective,
    "area": Area,
    "evidence": Evidence,
    "kpi": Kpi,
    "recommendation": Recommendation,
    "settings": Settings,
    "approval": Approval,
}


def file_name(kind: SchemaKind) -> str:
    """`objective.schema.json`."""
    return f"{kind}.schema.json"


def json_schema(kind: SchemaKind) -> dict[str, object]:
    """The JSON Schema (2020-12) of one file kind; evidence: its Markdown front matter."""
    describe_fields()
    return {"$schema": DIALECT, **_MODELS[kind].model_json_schema()}


def schema_text(kind: SchemaKind) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def all_schemas_text() -> str:
    """Every kind's schema in one JSON object, keyed by kind."""
    every = {kind: json_schema(kind) for kind in KINDS}
    return json.dumps(every, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path, kinds: tuple[SchemaKind, ...] = KINDS) -> list[Path]:
    """Write `<kind>.schema.json` files into `folder` (created if missing); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        path = folder / file_name(kind)
        path.write_bytes(schema_text(kind).encode("utf-8"))
        written.append(path)
    return written
