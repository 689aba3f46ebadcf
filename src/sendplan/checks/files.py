"""Checks that tie files to IDs and to the file system."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PureWindowsPath

from sendplan.catalogue import declared
from sendplan.checks.base import Context, Problem, check
from sendplan.findings import Severity
from sendplan.model import Area, Evidence, Kpi, Objective, Recommendation
from sendplan.vocabulary import file_stem, path_stem

_Item = Area | Objective | Evidence | Kpi | Recommendation


@check(
    "duplicate-id",
    Severity.ERROR,
    bad="""    # plan/PAP3/PAP3A-2.yaml
    id: PAP3A:1""",
    good="""    # plan/PAP3/PAP3A-2.yaml
    id: PAP3A:2""",
    locked=True,
)
def duplicate_id(context: Context) -> Iterator[Problem]:
    """Each area, theme, objective, evidence item, KPI and recommendation has an ID of its own;
    each month one approval.

    References are by ID, so two items with one ID make every reference to it ambiguous. The
    message names the file that defined it first."""
    plan = context.plan
    groups: list[tuple[str, Sequence[_Item]]] = [
        ("area", plan.areas),
        ("objective", plan.objectives),
        ("evidence item", plan.evidence),
        ("KPI", plan.kpis),
        ("recommendation", plan.recommendations),
    ]
    for noun, items in groups:
        first: dict[str, str] = {}
        for item in items:
            if item.id in first:
                yield Problem(
                    item.path,
                    ("id",),
                    f"{noun} {item.id} is already defined in {first[item.id]}",
                    item.id,
                )
            else:
                first[item.id] = item.path
    theme_area: dict[str, str] = {}
    for area in plan.areas:
        for index, theme in enumerate(area.themes):
            if theme.id in theme_area:
                yield Problem(
                    area.path,
                    ("themes", index, "id"),
                    f"theme {theme.id} is already defined in area {theme_area[theme.id]}",
                    theme.id,
                )
            else:
                theme_area[theme.id] = area.id
    approved: dict[str, str] = {}
    for approval in plan.approvals:
        if approval.month in approved:
            yield Problem(
                approval.path,
                ("month",),
                f"{approval.month} is already approved in {approved[approval.month]}; "
                "a month has one approval",
                approval.month,
            )
        else:
            approved[approval.month] = approval.path


@check(
    "id-filename-mismatch",
    Severity.ERROR,
    bad="""    # plan/PAP3/PAP3A-1.yaml
    id: PAP3A:2""",
    good="""    # plan/PAP3/PAP3A-2.yaml
    id: PAP3A:2""",
    locked=True,
)
def id_filename_mismatch(context: Context) -> Iterator[Problem]:
    """A file's name comes from its ID (`PAP3A:1` -> `PAP3A-1.yaml`; an area's folder is its ID;
    an approval's file is its month, `approvals/2024-06.yaml`).

    `:` is not allowed in Windows file names, so it becomes `-`. A name that says one ID and a
    file that holds another misleads everyone who finds the file by its name."""
    plan = context.plan
    items: list[_Item] = [
        *plan.areas,
        *plan.objectives,
        *plan.evidence,
        *plan.kpis,
        *plan.recommendations,
    ]
    for item in items:
        expected = file_stem(item.id)
        actual = path_stem(item.path)
        if actual != expected:
            what = "folder" if isinstance(item, Area) else "file"
            yield Problem(
                item.path,
                ("id",),
                f"ID {item.id} belongs in a {what} named {expected!r}, not {actual!r}; "
                "rename one to match the other",
                item.id,
            )
    for approval in plan.approvals:
        stem = approval.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem != approval.month:
            yield Problem(
                approval.path,
                ("month",),
                f"the approval of {approval.month} belongs in a file named "
                f"{approval.month + '.yaml'!r}, not {stem!r}; rename one to match the other",
                approval.month,
            )


def _evidence_files(context: Context, state: str) -> Iterator[tuple[Evidence, str]]:
    for evidence in context.plan.evidence:
        if evidence.file is not None:
            target = f"evidence/{evidence.file}"
            found = (
                "outside" if _absolute(evidence.file) else context.loaded.source.file_state(target)
            )
            if found == state:
                yield evidence, target


def _absolute(path: str) -> bool:
    """`/etc/passwd`, `\\server\\share`, `C:\\x` or `C:x`: never relative to evidence/."""
    return path.startswith(("/", "\\")) or bool(PureWindowsPath(path).drive)


@check(
    "evidence-file-missing",
    Severity.ERROR,
    bad="file: files/E24.pdf   # not in evidence/files/",
    good="file: files/E24.pdf   # evidence/files/E24.pdf is committed",
)
def evidence_file_missing(context: Context) -> Iterator[Problem]:
    """An evidence item's `file` exists (relative to evidence/).

    The report links the evidence to that file; a missing one is a broken promise to the board."""
    for evidence, target in _evidence_files(context, "missing"):
        yield Problem(
            evidence.path, ("file",), f"{evidence.id}: {target} does not exist", evidence.id
        )


@check(declared("path-outside-plan"))  # the loader raises it for a symlink out
def path_outside_plan(context: Context) -> Iterator[Problem]:
    """Evidence files stay inside the plan: no `..`, absolute paths or symlinks out of it."""
    for evidence, _ in _evidence_files(context, "outside"):
        yield Problem(
            evidence.path,
            ("file",),
            f"{evidence.id}: file resolves outside the plan; keep it under evidence/",
            evidence.id,
        )
