"""`sendplan new` and `sendplan init`: valid plan files and plan repositories from templates.

The templates live in `sendplan/scaffold/` (package data). A `${name}` placeholder is filled
with a value; a line whose placeholder has no value (None) is left out, so optional keys
simply do not appear. Values for YAML files are written as safe YAML scalars. Each new file
is validated with the plan around it before it is written, and never overwrites anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from sendplan import __version__, atomic, git
from sendplan.checks import run_checks
from sendplan.dates import parse_plan_date, previous_month_end
from sendplan.errors import Refusal, SendplanError
from sendplan.findings import Finding, Severity
from sendplan.load import Loaded, load_plan, with_file
from sendplan.model import ID_PATTERN, Area
from sendplan.schema import KINDS, SCHEMA_FOLDER, file_name, schema_text
from sendplan.sources import FolderSource
from sendplan.vocabulary import file_stem
from sendplan.yamledit import flow_list, scalar

NewKind = Literal["objective", "evidence", "kpi", "recommendation"]

PROJECT_URL = "https://github.com/sendplan/sendplan"
"""sendplan's repository: its pre-commit hook (`.pre-commit-hooks.yaml`, `sendplan-validate`)."""

HookKind = Literal["local", "remote"]


@dataclass(frozen=True)
class InitOptions:
    """How a new plan repository gets sendplan: in its pre-commit hook and in CI."""

    name: str = "SEND Improvement Plan"
    hook: HookKind = "local"
    """local: the sendplan on the computer's PATH (offline); remote: pre-commit installs it."""
    rev: str | None = None
    """The tag or commit of sendplan's repository for a remote hook."""
    package: str = f"sendplan=={__version__}"
    """What CI installs (a pip requirement): by default the version that wrote the files."""

    def __post_init__(self) -> None:
        if self.hook == "remote" and not self.rev:
            raise SendplanError("--hook remote needs --rev: the tag or commit of sendplan to use")
        if self.hook == "local" and self.rev is not None:
            raise SendplanError(
                "--rev is for --hook remote (a local hook runs the installed sendplan)"
            )
        if self.rev is not None and not re.fullmatch(r"[\w.@^~+/][\w./@^~+-]*", self.rev):
            raise SendplanError(f"--rev {self.rev!r} is not a git tag or commit")
        if not self.package.strip() or not self.package.isprintable():
            raise SendplanError(
                f"--package {self.package!r}: a pip requirement, e.g. sendplan==1.0.0"
            )


_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
_ID = re.compile(ID_PATTERN)
_DOT = "dot-"  # package data skips dot files: `dot-github` is written as `.github`


def fill(template: str, values: Mapping[str, str | None]) -> str:
    """Replace each `${name}`; drop a line whose placeholder's value is None."""
    out = []
    for line in template.splitlines(keepends=True):
        names = _PLACEHOLDER.findall(line)
        if any(values[name] is None for name in names):
            continue
        out.append(_PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), line))
    return "".join(out)


def _scaffold() -> Traversable:
    return files("sendplan").joinpath("scaffold")


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = "." + entry.name.removeprefix(_DOT) if entry.name.startswith(_DOT) else entry.name
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", entry


@dataclass(frozen=True)
class NewRequest:
    """What `sendplan new` was asked to create."""

    kind: NewKind
    id: str
    title: str | None = None
    area: str | None = None
    theme: str | None = None
    owner: str | None = None
    due: str | None = None
    from_: str | None = None
    """A recommendation: who made it."""
    made: str | None = None
    """A recommendation: when it was made (default: today)."""
    objectives: tuple[str, ...] = ()
    """A recommendation: the objectives that deliver it."""


@dataclass(frozen=True)
class Created:
    path: str
    """Relative to the plan root."""
    warnings: tuple[Finding, ...]
    """What `validate` will say about the new file (e.g. a new evidence item nobody cites)."""


def _theme_area(loaded: Loaded, theme: str) -> Area | None:
    for area in loaded.plan.area_by_id.values():
        if any(t.id == theme for t in area.themes):
            return area
    return None


def _from_id(loaded: Loaded, request: NewRequest) -> NewRequest:
    """Without --area and --theme, an ID like `PAP3A:2` names its theme (or area) before `:`."""
    if request.area or request.theme or ":" not in request.id:
        return request
    prefix = request.id.rsplit(":", 1)[0]
    if _theme_area(loaded, prefix) is not None:
        return replace(request, theme=prefix)
    if prefix in loaded.plan.area_by_id:
        return replace(request, area=prefix)
    return request


def _area_for(loaded: Loaded, request: NewRequest) -> Area:
    areas = loaded.plan.area_by_id
    if request.area is not None:
        area = areas.get(request.area)
        if area is None:
            known = ", ".join(sorted(areas)) or "none yet"
            raise Refusal(f"no area {request.area} in this plan (areas: {known})")
        return area
    if request.theme is not None:
        found = _theme_area(loaded, request.theme)
        if found is None:
            raise Refusal(f"no area has a theme {request.theme}")
        return found
    if len(areas) == 1:
        return next(iter(areas.values()))
    raise Refusal(f"name the objective's area: --area ({', '.join(sorted(areas))})")


def _theme_for(area: Area, theme: str | None) -> str | None:
    themes = [t.id for t in area.themes]
    if theme is not None and theme not in themes:
        listed = ", ".join(themes) if themes else "no themes"
        raise Refusal(f"area {area.id} has no theme {theme} (it has {listed})")
    if theme is None and len(themes) > 1:
        raise Refusal(
            f"area {area.id} has several themes: name one with --theme ({', '.join(themes)})"
        )
    return theme


def _objective(loaded: Loaded, request: NewRequest) -> tuple[str, dict[str, str | None]]:
    request = _from_id(loaded, request)
    area = _area_for(loaded, request)
    theme = _theme_for(area, request.theme)
    if request.due is not None:
        _plan_date("--due", request.due)
    folder = area.path.rsplit("/", 1)[0]
    values = {
        "theme": theme,
        "title": scalar(request.title or f"New objective {request.id}"),
        "owner": scalar(request.owner) if request.owner else None,
        "due": request.due,
        "ongoing": None if request.due else "true",
    }
    return f"{folder}/{file_stem(request.id)}.yaml", values


def _plan_date(option: str, value: str) -> str:
    try:
        parse_plan_date(value)
    except ValueError as e:
        raise Refusal(f"{option}: {e}") from None
    return value


def _recommendation(request: NewRequest) -> dict[str, str | None]:
    made_by = (request.from_ or "").strip()
    if not made_by:
        raise Refusal(
            "name who made the recommendation: --from, e.g. --from 'Health Scrutiny Committee'"
        )
    for ref in request.objectives:
        if not _ID.fullmatch(ref):
            raise Refusal(f"--objectives: {ref!r} is not a valid ID")
    return {
        "from": scalar(made_by),
        "made": _plan_date("--made", request.made or ""),  # create() defaults it to today
        "text": scalar(request.title or f"New recommendation {request.id}"),
        "owner": scalar(request.owner) if request.owner else None,
        "due": _plan_date("--due", request.due) if request.due else None,
        "objectives": flow_list(request.objectives),
    }


def new_file(loaded: Loaded, request: NewRequest) -> tuple[str, bytes]:
    """The new file's path (relative to the plan root) and bytes; Refusal when it cannot be."""
    if not _ID.fullmatch(request.id):
        raise Refusal(
            f"{request.id!r} is not a valid ID: letters, digits and . _ : - only, "
            "starting with a letter or digit"
        )
    if request.kind != "objective" and (request.area or request.theme):
        raise Refusal("--area and --theme apply to objectives only")
    if request.kind not in ("objective", "recommendation") and request.due:
        raise Refusal("--due applies to objectives and recommendations only")
    if request.kind != "recommendation" and (request.from_ or request.objectives):
        raise Refusal("--from and --objectives apply to recommendations only")
    plan = loaded.plan
    existing = {
        "objective": set(plan.objective_by_id),
        "evidence": set(plan.evidence_by_id),
        "kpi": set(plan.kpi_by_id),
        "recommendation": set(plan.recommendation_by_id),
    }[request.kind]
    if request.id in existing or loaded.is_known(request.kind, file_stem(request.id)):
        raise Refusal(f"the plan already has {request.kind} {request.id}")
    values: dict[str, str | None] = {"id": scalar(request.id)}
    if request.kind == "objective":
        path, more = _objective(loaded, request)
        values.update(more)
    elif request.kind == "recommendation":
        path = f"recommendations/{file_stem(request.id)}.yaml"
        values.update(_recommendation(request))
    elif request.kind == "evidence":
        path = f"evidence/{file_stem(request.id)}.md"
        values["title"] = scalar(request.title or f"New evidence item {request.id}")
    else:
        path = f"kpis/{file_stem(request.id)}.yaml"
        values["title"] = scalar(request.title or f"New KPI {request.id}")
    template = _scaffold().joinpath("new", f"{request.kind}.{path.rsplit('.', 1)[1]}")
    return path, fill(template.read_text(encoding="utf-8"), values).encode("utf-8")


def create(root: Path, request: NewRequest, today: date) -> Created:
    """Write the new file into the plan at `root` after checking it validates there."""
    with atomic.plan_lock(root):
        source = FolderSource(root)
        loaded = load_plan(source)
        if request.kind == "recommendation" and request.made is None:
            request = replace(request, made=today.isoformat())
        path, data = new_file(loaded, request)
        if (root / path).exists():
            raise Refusal(f"{path} already exists; sendplan new never overwrites a file")
        trial = run_checks(with_file(loaded, path, data), today, about=(path, request.id))
        about = [f for f in trial if f.path == path]
        errors = [f for f in about if f.severity is Severity.ERROR]
        if errors:
            listing = "\n".join(f"  {f}" for f in errors)
            raise Refusal(f"{path} would not validate; nothing was written:\n{listing}")
        try:
            atomic.create(root / path, data)
        except FileExistsError:
            raise Refusal(f"{path} already exists; sendplan new never overwrites a file") from None
    return Created(path, tuple(about))


def _months_before(day: date, months: int) -> date:
    for _ in range(months):
        day = previous_month_end(day)
    return day


def init_files(options: InitOptions, today: date) -> dict[str, bytes]:
    """Every file of a new plan repository, by relative path (example dates follow `today`)."""
    soon = today + timedelta(days=183)
    year_on = today + timedelta(days=365)
    remote = options.hook == "remote"
    yaml_values: dict[str, str | None] = {
        "name": scalar(options.name),
        "rated": previous_month_end(today).isoformat(),
        "due": soon.strftime("%Y-%m"),
        "target_by": year_on.strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "last_month": previous_month_end(today).strftime("%Y-%m"),
        "earlier_month": _months_before(today, 4).strftime("%Y-%m"),
        "project_url": PROJECT_URL,
        "hook_repo": PROJECT_URL,
        "hook_rev": scalar(options.rev) if remote and options.rev else None,
        "hook_local": None if remote else "",
        "install": scalar(options.package),
        "package": options.package,
    }
    text_values = {**yaml_values, "name": options.name, "hook_rev": options.rev}
    out: dict[str, bytes] = {}
    for path, entry in _walk(_scaffold().joinpath("init")):
        values = text_values if path == "README.md" else yaml_values
        out[path] = fill(entry.read_text(encoding="utf-8"), values).encode("utf-8")
    hook = _scaffold().joinpath("pre-commit", f"{options.hook}.yaml").read_text(encoding="utf-8")
    out[".pre-commit-config.yaml"] = fill(hook, yaml_values).encode("utf-8")
    for kind in KINDS:
        out[f"{SCHEMA_FOLDER}/{file_name(kind)}"] = schema_text(kind).encode("utf-8")
    return out


@dataclass(frozen=True)
class Initialised:
    written: list[str]
    """Relative paths of the files written."""
    git: bool
    """True when this run made the folder a git repository."""


def init_plan(folder: Path, options: InitOptions, today: date) -> Initialised:
    """Create a new plan repository in `folder` (missing or empty, or holding only `.git`)."""
    if folder.exists() and not folder.is_dir():
        raise Refusal(f"{folder} is a file, not a folder")
    if folder.is_dir():
        present = sorted(entry.name for entry in folder.iterdir() if entry.name != ".git")
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise Refusal(
                f"{folder} is not empty ({shown}); sendplan init only writes into an empty "
                "folder (or one holding only .git)"
            )
    had_git = (folder / ".git").exists()
    written = []
    for path, data in sorted(init_files(options, today).items()):
        atomic.create(folder / path, data)
        written.append(path)
    return Initialised(written, not had_git and git.init_repository(folder))
