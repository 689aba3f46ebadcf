"""Plan files -> `Plan` and the findings met reading them (bytes, YAML, schema, unknown keys)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from sendplan import privacy
from sendplan.findings import Finding, Severity
from sendplan.model import (
    Area,
    Benchmark,
    BragDefinitions,
    DataPoint,
    DueChange,
    Evidence,
    Kpi,
    Objective,
    Plan,
    Rating,
    Settings,
    Target,
    Theme,
)
from sendplan.sources import FileKind, PlanFile, Source
from sendplan.yamlfile import (
    AMBIGUOUS_BOOLEAN,
    FrontMatter,
    YamlPath,
    decode,
    locate,
    parse_yaml,
    split_front_matter,
)

_MODEL_BY_KIND: dict[FileKind, type[BaseModel]] = {
    "settings": Settings,
    "area": Area,
    "objective": Objective,
    "evidence": Evidence,
    "kpi": Kpi,
}
_ALL_MODELS: tuple[type[BaseModel], ...] = (
    *_MODEL_BY_KIND.values(),
    Theme,
    DueChange,
    Rating,
    BragDefinitions,
    Target,
    Benchmark,
    DataPoint,
)
_KNOWN_KEYS = sorted(
    {
        model_field.alias or name
        for model in _ALL_MODELS
        for name, model_field in model.model_fields.items()
    }
)
_DEFAULT_SETTINGS = Settings(name="(sendplan.yaml could not be read)")


@dataclass
class Loaded:
    """A loaded plan, the findings of loading it, and the way back to file lines."""

    plan: Plan
    findings: list[Finding]
    source: Source
    broken: dict[FileKind, set[str]] = field(default_factory=dict)
    """File stems of evidence/KPI/area files present but unreadable: they still count as known,
    so one broken file does not cascade into an unknown-reference error at every citation."""

    def locate(self, path: str, yaml_path: YamlPath) -> tuple[int, int]:
        """Line and column of a key or item, by parsing the file again (errors are rare)."""
        try:
            raw = self.source.read(path)
        except OSError:
            return (0, 0)
        text, _ = decode(raw)
        if text is None:
            return (0, 0)
        if path.startswith("evidence/"):
            front = split_front_matter(text)
            if not isinstance(front, FrontMatter):
                return (0, 0)
            return locate(front.yaml_text, yaml_path, front.line_offset)
        return locate(text, yaml_path)

    def is_known(self, kind: FileKind, stem: str) -> bool:
        broken = self.broken.get(kind, set())
        return stem in broken or "*" in broken  # "*": the whole folder could not be read


def _loc_text(loc: Sequence[int | str]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _schema_finding(error: Any, path: str, item_id: str, where: tuple[int, int]) -> Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    line, column = where
    if kind == "extra_forbidden":
        key = str(loc[-1])
        guess = difflib.get_close_matches(key, [k for k in _KNOWN_KEYS if k != key], n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        place = f" in {_loc_text(loc[:-1])}" if len(loc) > 1 else ""
        return Finding(
            path,
            line,
            column,
            "unknown-key",
            Severity.ERROR,
            privacy.redact(f"unknown key {key!r}{place}{hint}"),
            item_id,
        )
    if kind == "missing":
        message = f"missing required key {_loc_text(loc)!r}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"{_loc_text(loc)}: not a valid ID (letters, digits and . _ : - only, "
            "starting with a letter or digit)"
        )
    else:
        text = str(error["msg"]).removeprefix("Value error, ")
        message = f"{_loc_text(loc)}: {text}" if loc else text
    return Finding(path, line, column, "schema", Severity.ERROR, privacy.redact(message), item_id)


_FOLDER_KIND: dict[str, FileKind] = {"kpis": "kpi", "evidence": "evidence", "plan": "area"}


def _too_large(size: int, limit: int) -> str:
    return (
        f"{size:,} bytes is over the {limit:,}-byte limit (max_file_bytes in sendplan.yaml); "
        "not read"
    )


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.broken: dict[FileKind, set[str]] = {}

    def error(self, file: PlanFile, line: int, column: int, code: str, message: str) -> None:
        message = privacy.redact(message)  # a key or value quoted back may be personal data
        self.findings.append(Finding(file.path, line, column, code, Severity.ERROR, message))

    def _mark_broken(self, file: PlanFile, data: object) -> None:
        if file.kind == "stray":  # an unreadable folder: kpis/, evidence/, plan/ or plan/<AREA>/
            parts = file.path.split("/")
            folder_kind = _FOLDER_KIND.get(parts[0])
            if folder_kind is not None and len(parts) <= 2:
                stem = parts[1] if len(parts) == 2 else "*"  # what it holds counts as known
                self.broken.setdefault(folder_kind, set()).add(stem)
            return
        stem = file.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if file.kind == "area":
            stem = file.path.split("/")[1]
        ids = {stem}
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
        self.broken.setdefault(file.kind, set()).update(ids)

    def read(self, file: PlanFile, max_bytes: int) -> BaseModel | None:
        """The file's model, or None with findings explaining why not."""
        if file.problem:
            self.error(file, 0, 0, "unreadable", f"{file.problem}; not read")
            self._mark_broken(file, None)
            return None
        if file.outside:
            self.error(
                file,
                0,
                0,
                "path-outside-plan",
                "symlink resolves outside the plan; plan files must live inside it",
            )
            return None
        if file.size > max_bytes:
            self.error(file, 0, 0, "file-too-large", _too_large(file.size, max_bytes))
            self._mark_broken(file, None)
            return None
        try:
            raw = self.source.read(file.path)
        except OSError as e:  # permission denied, vanished since listing, a folder ...
            reason = (e.strerror or type(e).__name__).lower()
            self.error(file, 0, 0, "unreadable", f"cannot be read: {reason}")
            self._mark_broken(file, None)
            return None
        if len(raw) > max_bytes:  # grew since it was listed
            self.error(file, 0, 0, "file-too-large", _too_large(len(raw), max_bytes))
            self._mark_broken(file, None)
            return None
        text, problem = decode(raw)
        # Scanned even when it is not UTF-8: a Latin-1 file can hold an NHS number too.
        for line, column, message in privacy.scan(text or raw.decode("utf-8", "replace")):
            self.error(file, line, column, "personal-data", message)
        if text is None:
            assert problem is not None
            self.error(file, problem.line, problem.column, problem.code, problem.message)
            self._mark_broken(file, None)
            return None
        body = ""
        if file.kind == "evidence":
            front = split_front_matter(text)
            if not isinstance(front, FrontMatter):
                self.error(file, front.line, front.column, front.code, front.message)
                self._mark_broken(file, None)
                return None
            parsed = parse_yaml(front.yaml_text, front.line_offset)
            body = front.body
        else:
            parsed = parse_yaml(text)
        # A YAML 1.1 boolean (`brag: no`) that also fails the schema is reported once, as schema.
        ambiguous = [p for p in parsed.problems if p.code == AMBIGUOUS_BOOLEAN]
        for p in parsed.problems:
            if p.code != AMBIGUOUS_BOOLEAN:
                self.error(file, p.line, p.column, p.code, p.message)
        data = parsed.data
        if not isinstance(data, dict):
            if data is not None or not parsed.problems:
                found = "nothing" if data is None else f"a {type(data).__name__}"
                self.error(
                    file,
                    1 if data is not None else 0,
                    1 if data is not None else 0,
                    "schema",
                    f"expected a mapping of keys, found {found}",
                )
            self._mark_broken(file, data)
            return None
        model = _MODEL_BY_KIND[file.kind]
        try:
            item = model.model_validate(data)
        except ValidationError as e:
            item_id = privacy.redact(data["id"]) if isinstance(data.get("id"), str) else ""
            schema_lines = set()
            for error in e.errors(include_url=False, include_input=False):
                yaml_path = [s for s in error["loc"] if isinstance(s, (str, int))]
                where = self._where(file, text, yaml_path)
                schema_lines.add(where[0])
                self.findings.append(_schema_finding(error, file.path, item_id, where))
            for p in ambiguous:
                if p.line not in schema_lines:
                    self.error(file, p.line, p.column, p.code, p.message)
            self._mark_broken(file, data)
            return None
        for p in ambiguous:
            self.error(file, p.line, p.column, p.code, p.message)
        item._path = file.path  # type: ignore[attr-defined]
        if isinstance(item, Evidence):
            item._body = body
        return item

    def _where(self, file: PlanFile, text: str, yaml_path: YamlPath) -> tuple[int, int]:
        if file.kind == "evidence":
            front = split_front_matter(text)
            assert isinstance(front, FrontMatter)
            return locate(front.yaml_text, yaml_path, front.line_offset)
        return locate(text, yaml_path)


def load_plan(source: Source) -> Loaded:
    """Read every plan file of `source` once; bad content becomes findings, never exceptions."""
    files = source.files()
    reader = _Reader(source)
    settings: Settings = _DEFAULT_SETTINGS
    settings_files = [f for f in files if f.kind == "settings"]
    if settings_files:
        read = reader.read(settings_files[0], _DEFAULT_SETTINGS.max_file_bytes)
        if isinstance(read, Settings):
            settings = read
    plan = Plan(settings=settings, files=len(files))
    area_of_folder: dict[str, str] = {}
    for file in files:
        if file.kind == "settings":
            continue
        if file.problem:
            reader.read(file, settings.max_file_bytes)  # reports why it cannot be read
            continue
        if file.kind == "stray":
            reader.findings.append(
                Finding(
                    file.path,
                    0,
                    0,
                    "stray-file",
                    Severity.WARNING,
                    "not read: objectives go in plan/<AREA>/, KPIs directly in kpis/",
                )
            )
            continue
        item = reader.read(file, settings.max_file_bytes)
        if isinstance(item, Area):
            plan.areas.append(item)
            area_of_folder[file.path.split("/")[1]] = item.id
        elif isinstance(item, Objective):
            plan.objectives.append(item)
        elif isinstance(item, Evidence):
            plan.evidence.append(item)
        elif isinstance(item, Kpi):
            plan.kpis.append(item)
    for objective in plan.objectives:
        folder = objective.path.split("/")[1]
        objective._area = area_of_folder.get(folder, folder)
    return Loaded(plan, reader.findings, source, reader.broken)
