"""Plan files -> `Plan` and the findings met reading them (bytes, YAML, schema, unknown keys)."""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from sendplan import privacy
from sendplan.findings import Finding, finding
from sendplan.model import (
    Approval,
    Area,
    Benchmark,
    BragDefinitions,
    DataPoint,
    DueChange,
    Evidence,
    Kpi,
    KpiMilestone,
    Milestone,
    Objective,
    Plan,
    Rating,
    Recommendation,
    RecommendationUpdate,
    Settings,
    Target,
    Theme,
    Withdrawal,
)
from sendplan.parse import ParsedFile, parse_file, parse_files
from sendplan.sources import FileKind, PlanFile, Source
from sendplan.vocabulary import area_folder, path_stem
from sendplan.yamlfile import (
    FrontMatter,
    Positions,
    YamlPath,
    decode,
    split_front_matter,
)

_MODEL_BY_KIND: dict[FileKind, type[BaseModel]] = {
    "settings": Settings,
    "area": Area,
    "objective": Objective,
    "evidence": Evidence,
    "kpi": Kpi,
    "approval": Approval,
    "recommendation": Recommendation,
}
_ALL_MODELS: tuple[type[BaseModel], ...] = (
    *_MODEL_BY_KIND.values(),
    Theme,
    DueChange,
    Rating,
    BragDefinitions,
    Target,
    KpiMilestone,
    Benchmark,
    DataPoint,
    Withdrawal,
    Milestone,
    RecommendationUpdate,
)
_KNOWN_KEYS = sorted(
    {
        model_field.alias or name
        for model in _ALL_MODELS
        for name, model_field in model.model_fields.items()
    }
)
_DEFAULT_SETTINGS = Settings(name="(sendplan.yaml could not be read)")


_POSITIONS_KEPT = 16


def _positions(path: str, text: str) -> Positions:
    """Where things are in a plan file's YAML (an evidence file's front matter)."""
    if path.startswith("evidence/"):
        front = split_front_matter(text)
        if not isinstance(front, FrontMatter):
            return Positions("")
        return Positions(front.yaml_text, front.line_offset)
    return Positions(text)


@dataclass
class Loaded:
    """A loaded plan, the findings of loading it, and the way back to file lines."""

    plan: Plan
    findings: list[Finding]
    source: Source
    broken: dict[FileKind, set[str]] = field(default_factory=dict)
    """File stems of evidence/KPI/area files present but unreadable: they still count as known,
    so one broken file does not cascade into an unknown-reference error at every citation."""
    files: list[PlanFile] = field(default_factory=list)
    """Every plan file the source listed, read or not (a diff names those it could not read)."""

    _positions: OrderedDict[str, Positions] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )

    def locate(self, path: str, yaml_path: YamlPath) -> tuple[int, int]:
        """Line and column of a key or item, by parsing the file again (errors are rare).

        The last few files parsed are kept, so a file's many findings cost one parse.
        """
        positions = self._positions.get(path)
        if positions is None:
            positions = self._positions[path] = _positions(path, self._text(path))
            if len(self._positions) > _POSITIONS_KEPT:
                self._positions.popitem(last=False)
        else:
            self._positions.move_to_end(path)
        return positions(yaml_path)

    def _text(self, path: str) -> str:
        try:
            raw = self.source.read(path)
        except OSError:
            return ""
        text, _ = decode(raw)
        return text or ""

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
        return finding(
            "unknown-key", path, line, column, f"unknown key {key!r}{place}{hint}", item_id
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
    return finding("schema", path, line, column, message, item_id)


_FOLDER_KIND: dict[str, FileKind] = {
    "kpis": "kpi",
    "evidence": "evidence",
    "plan": "area",
    "approvals": "approval",
    "recommendations": "recommendation",
}


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.broken: dict[FileKind, set[str]] = {}

    def error(self, file: PlanFile, line: int, column: int, code: str, message: str) -> None:
        # finding() redacts: a key or value quoted back may be personal data.
        self.findings.append(finding(code, file.path, line, column, message))

    def _mark_broken(self, file: PlanFile, data: object) -> None:
        if file.kind == "stray":  # an unreadable folder: kpis/, plan/<AREA>/ ... (_FOLDER_KIND)
            parts = file.path.split("/")
            folder_kind = _FOLDER_KIND.get(parts[0])
            if folder_kind is not None and len(parts) <= 2:
                stem = parts[1] if len(parts) == 2 else "*"  # what it holds counts as known
                self.broken.setdefault(folder_kind, set()).add(stem)
            return
        ids = {path_stem(file.path)}
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
        if isinstance(data, dict) and isinstance(data.get("month"), str):
            ids.add(data["month"])
        self.broken.setdefault(file.kind, set()).update(ids)

    def read(
        self, file: PlanFile, max_bytes: int, parsed: ParsedFile | None = None
    ) -> BaseModel | None:
        """The file's model, or None with findings explaining why not."""
        if parsed is None:
            parsed = parse_file(self.source, file, max_bytes)
        for line, column, code, message in parsed.errors:
            self.error(file, line, column, code, message)
        if parsed.stop:
            if parsed.broken:
                self._mark_broken(file, parsed.data)
            return None
        data = parsed.data
        assert isinstance(data, dict)
        model = _MODEL_BY_KIND[file.kind]
        try:
            item = model.model_validate(data)
        except ValidationError as e:
            text = parsed.text if parsed.text is not None else self._text(file)
            positions = _positions(file.path, text)
            item_id = privacy.redact(data["id"]) if isinstance(data.get("id"), str) else ""
            schema_lines = set()
            for error in e.errors(include_url=False, include_input=False):
                yaml_path = [s for s in error["loc"] if isinstance(s, (str, int))]
                where = positions(yaml_path)
                schema_lines.add(where[0])
                self.findings.append(_schema_finding(error, file.path, item_id, where))
            for p in parsed.ambiguous:
                if p.line not in schema_lines:
                    self.error(file, p.line, p.column, p.code, p.message)
            self._mark_broken(file, data)
            return None
        exempt = _checks_lines(item, parsed, file) if isinstance(item, Settings) else set()
        for p in parsed.ambiguous:
            if p.line not in exempt:
                self.error(file, p.line, p.column, p.code, p.message)
        item._path = file.path  # type: ignore[attr-defined]
        if isinstance(item, Evidence):
            item._body = parsed.body
        return item

    def _text(self, file: PlanFile) -> str:
        """A file's text again, parsed in a worker process (only to place schema errors)."""
        try:
            text, _ = decode(self.source.read(file.path))
        except OSError:
            return ""
        return text or ""


def _checks_lines(settings: Settings, parsed: ParsedFile, file: PlanFile) -> set[int]:
    """Lines of `checks:` entries in sendplan.yaml, where an unquoted `off` is no ambiguity:
    YAML 1.1 reads it as false, which means off too."""
    if not settings.checks or not parsed.ambiguous or parsed.text is None:
        return set()
    positions = _positions(file.path, parsed.text)
    return {positions(("checks", name))[0] for name in settings.checks}


def _stray_message(path: str) -> str:
    if path.startswith("recommendations/"):
        return "not read: recommendations go directly in recommendations/"
    return "not read: objectives go in plan/<AREA>/, KPIs directly in kpis/"


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
    to_parse = [f for f in files if f.kind not in ("settings", "stray") and not f.problem]
    parsed = parse_files(source, to_parse, settings.max_file_bytes)
    for file in files:
        if file.kind == "settings":
            continue
        if file.problem:
            reader.read(file, settings.max_file_bytes)  # reports why it cannot be read
            continue
        if file.kind == "stray":
            reader.findings.append(
                finding("stray-file", file.path, 0, 0, _stray_message(file.path))
            )
            continue
        item = reader.read(file, settings.max_file_bytes, next(parsed))
        if isinstance(item, Area):
            plan.areas.append(item)
            area_of_folder[path_stem(file.path)] = item.id
        elif isinstance(item, Objective):
            plan.objectives.append(item)
        elif isinstance(item, Evidence):
            plan.evidence.append(item)
        elif isinstance(item, Kpi):
            plan.kpis.append(item)
        elif isinstance(item, Approval):
            plan.approvals.append(item)
        elif isinstance(item, Recommendation):
            plan.recommendations.append(item)
    for objective in plan.objectives:
        folder = area_folder(objective.path)
        objective._area = area_of_folder.get(folder, folder)
    return Loaded(plan, reader.findings, source, reader.broken, files)
