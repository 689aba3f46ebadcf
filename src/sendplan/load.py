"""Plan files -> `Plan` and the findings met reading them (bytes, YAML, schema, unknown keys)."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

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
from sendplan.sources import (
    FileKind,
    FolderSource,
    PlanFile,
    Source,
    WithFile,
    classify,
    other_text_files,
    path_order,
)
from sendplan.vocabulary import area_folder, path_stem
from sendplan.yamlfile import (
    FrontMatter,
    TextFixes,
    YamlPath,
    decode,
    locate_all,
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


def _locate_in(path: str, text: str, yaml_paths: Sequence[YamlPath]) -> list[tuple[int, int]]:
    """Line and column of each path in a plan file's YAML (an evidence file's front matter),
    in one pass over the file however many there are."""
    if path.startswith("evidence/"):
        front = split_front_matter(text)
        if not isinstance(front, FrontMatter):
            return [(0, 0)] * len(yaml_paths)
        return locate_all(front.yaml_text, yaml_paths, front.line_offset)
    return locate_all(text, yaml_paths)


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

    def locate_all(self, wanted: Sequence[tuple[str, YamlPath]]) -> list[tuple[int, int]]:
        """Line and column of each (file, key or item), reading and parsing each file named
        once more, one file at a time (errors are rare; no file's parse is kept after)."""
        by_path: dict[str, list[int]] = {}
        for index, (path, _) in enumerate(wanted):
            by_path.setdefault(path, []).append(index)
        found: list[tuple[int, int]] = [(0, 0)] * len(wanted)
        for path, indexes in by_path.items():
            places = _locate_in(path, self._text(path), [wanted[i][1] for i in indexes])
            for index, place in zip(indexes, places, strict=True):
                found[index] = place
        return found

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


# "Did you mean" for at most this many unknown keys of a file: a file with more is no typo,
# and difflib's comparisons took 30 of 33 seconds for 20,000 unknown keys (issue 13).
HINTS_PER_FILE = 100


def _schema_finding(
    error: Any, path: str, item_id: str, where: tuple[int, int], hint: bool = True
) -> Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    line, column = where
    if kind == "extra_forbidden":
        key = str(loc[-1])
        guess = (
            difflib.get_close_matches(key, [k for k in _KNOWN_KEYS if k != key], n=1)
            if hint
            else []
        )
        hint_text = f"; did you mean {guess[0]!r}?" if guess else ""
        place = f" in {_loc_text(loc[:-1])}" if len(loc) > 1 else ""
        return finding(
            "unknown-key", path, line, column, f"unknown key {key!r}{place}{hint_text}", item_id
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


_QUOTED = re.compile(r"'([^']*)'")


_HINTED = ("extra_forbidden", "string_type", "literal_error")
"""Schema errors whose finding may carry a hint: at most HINTS_PER_FILE of them per file."""


def _text_fixes(path: str, text: str) -> TextFixes:
    if path.startswith("evidence/"):
        front = split_front_matter(text)
        return TextFixes(front.yaml_text if isinstance(front, FrontMatter) else "")
    return TextFixes(text)


def _with_yaml_hint(
    found: Finding, error: Any, data: object, fixes: TextFixes, yaml_path: YamlPath
) -> Finding:
    """A schema finding that is one of YAML's traps for people says what to write instead:
    text read as a key and value because of `: `, or a word in the wrong case (`Amber`)."""
    hint = ""
    if error["type"] == "string_type" and (fixed := fixes.text_read_as_key(yaml_path)):
        hint = (
            '; a colon and a space (": ") in unquoted text made YAML read a key and a value, '
            f"so put the text in quotes: {fixed}"
        )
    elif error["type"] == "literal_error":
        value = _value_at(data, yaml_path)
        allowed = _QUOTED.findall(str(error.get("ctx", {}).get("expected", "")))
        if isinstance(value, str) and value != value.lower() and value.lower() in allowed:
            fixed = fixes.with_value(yaml_path, value.lower())
            hint = f"; write `{value.lower()}`, in lower case" + (f": {fixed}" if fixed else "")
    if not hint:
        return found
    return dataclasses.replace(found, message=privacy.redact(found.message + hint))


def _value_at(data: object, path: YamlPath) -> object:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


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
            item_id = privacy.redact(data["id"]) if isinstance(data.get("id"), str) else ""
            errors = e.errors(include_url=False, include_input=False)
            yaml_paths = [
                [s for s in error["loc"] if isinstance(s, (str, int))] for error in errors
            ]
            places = _locate_in(file.path, text, yaml_paths)
            schema_lines = set()
            hints = HINTS_PER_FILE
            fixes = _text_fixes(file.path, text)
            for error, where, yaml_path in zip(errors, places, yaml_paths, strict=True):
                schema_lines.add(where[0])
                hints -= error["type"] in _HINTED
                found = _schema_finding(error, file.path, item_id, where, hints >= 0)
                if hints >= 0:
                    found = _with_yaml_hint(found, error, data, fixes, yaml_path)
                self.findings.append(found)
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
    places = _locate_in(file.path, parsed.text, [("checks", name) for name in settings.checks])
    return {line for line, _ in places}


def _stray_message(path: str) -> str:
    if path.startswith("recommendations/"):
        return "not read: recommendations go directly in recommendations/"
    return "not read: objectives go in plan/<AREA>/, KPIs directly in kpis/"


def other_text_findings(
    root: Path, files: list[PlanFile], max_bytes: int, skip: Sequence[str] = ()
) -> list[Finding]:
    """personal-data in the plan repository's other text files (`other_text_files`): they
    are the plan's too, committed and published with it."""
    listed = {file.path for file in files if file.kind != "stray"}  # a stray is not read
    skipped = tuple(p.strip("/") for p in skip if p.strip("/"))
    found: list[Finding] = []
    for path, data in other_text_files(root, listed, max_bytes):
        if any(path == p or path.startswith(p + "/") for p in skipped):
            continue
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
        for line, column, message in privacy.scan(text):
            found.append(finding("personal-data", path, line, column, message))
    return found


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
    if isinstance(source, FolderSource):  # a revision's templates are diff's to report
        from sendplan.plantemplates import template_findings

        reader.findings += template_findings(source.root, settings.max_file_bytes)
        reader.findings += other_text_findings(
            source.root, files, settings.max_file_bytes, settings.personal_data_skip
        )
    return Loaded(plan, reader.findings, source, reader.broken, files)


_LIST_OF_KIND: dict[FileKind, str] = {
    "objective": "objectives",
    "evidence": "evidence",
    "kpi": "kpis",
    "approval": "approvals",
    "recommendation": "recommendations",
}
"""The Plan list each kind of file `with_file` can change is read into."""


def with_file(loaded: Loaded, path: str, data: bytes) -> Loaded:
    """`loaded` with the file at `path` read from `data` (replaced, or added when new): only
    that file is parsed, everything else is taken as it was loaded. It is how a write is
    checked (`rate`, `update`, `withdraw`, `approve`, `new`): against an index of the plan
    loaded once, at the cost of one file, not the plan again (issue 19).

    The file is read exactly as `load_plan` reads it (one `_Reader`), so its findings are
    the same; the file it replaces is one that was read without errors (what it marked as
    broken is not undone)."""
    kind = classify(path)
    if kind is None or kind not in _LIST_OF_KIND:
        raise ValueError(f"with_file reads an item's file, not {path!r}")
    if not isinstance(loaded.source, FolderSource | WithFile):
        raise ValueError("with_file reads a change to a folder")
    base = loaded.source.base if isinstance(loaded.source, WithFile) else loaded.source
    source = WithFile(base, path, data)
    file = PlanFile(path, kind, len(data))
    reader = _Reader(source)
    plan = loaded.plan
    item = reader.read(file, plan.settings.max_file_bytes)
    name = _LIST_OF_KIND[kind]
    if isinstance(item, Objective):
        folder = area_folder(path)
        areas = {path_stem(area.path): area.id for area in plan.areas}
        item._area = areas.get(folder, folder)
    items = _replaced(getattr(plan, name), path, item)
    files = _replaced(loaded.files, path, file)
    broken = {k: set(v) for k, v in loaded.broken.items()}
    for k, stems in reader.broken.items():
        broken.setdefault(k, set()).update(stems)
    findings = [f for f in loaded.findings if f.path != path] + reader.findings
    changed = dataclasses.replace(plan, files=len(files))  # its indexes made afresh
    setattr(changed, name, items)
    return Loaded(changed, findings, source, broken, files)


_Pathed = TypeVar("_Pathed", bound="_HasPath")


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


def _replaced(items: list[_Pathed], path: str, new: _Pathed | None) -> list[_Pathed]:
    """`items` (in listing order) with the one at `path` replaced by `new`, or dropped when
    `new` is None; a new path goes where the folder listing would put it."""
    for index, each in enumerate(items):
        if each.path == path:
            return [*items[:index], *([new] if new is not None else []), *items[index + 1 :]]
    if new is None:
        return list(items)
    return sorted([*items, new], key=lambda each: path_order(each.path))
