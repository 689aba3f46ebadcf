"""The plan at each approval commit (what the board saw), read in bulk and shared.

A file whose blob is the same at a commit as in the working tree (or as at a commit already
read) is not read or parsed again: its model is reused. Each commit's other files are read in
bounded `git cat-file --batch` chunks (as `diff` reads a revision), so twelve approvals of a
plan whose evidence rarely changes cost little more than the objective files that did change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel

from sendplan.errors import SendplanError
from sendplan.git import SUBMODULE_MODE, SYMLINK_MODE, Repository, blob_id
from sendplan.load import Loaded, load_plan
from sendplan.model import Approval, Area, Evidence, Kpi, Objective, Plan, Recommendation
from sendplan.revisions import RevisionSource, resolve
from sendplan.sources import SETTINGS_FILE, classify
from sendplan.vocabulary import area_folder, path_stem

Item = Area | Objective | Evidence | Kpi | Recommendation | Approval


def _items(plan: Plan) -> Iterable[Item]:
    yield from plan.areas
    yield from plan.objectives
    yield from plan.evidence
    yield from plan.kpis
    yield from plan.recommendations
    yield from plan.approvals


def plans_at(root: Path, current: Loaded, commits: Sequence[str]) -> dict[str, Plan | str]:
    """Each commit's plan, or why it cannot be read (no git, not in this history)."""
    try:
        repo = Repository(root)
    except SendplanError as e:
        return {sha: str(e) for sha in commits}
    known: dict[tuple[str, str], Item] = {}
    for item in _items(current.plan):
        try:
            data = current.source.read(item.path)
        except OSError:
            continue
        known[(item.path, blob_id(data, repo.object_format))] = item
    result: dict[str, Plan | str] = {}
    for sha in dict.fromkeys(commits):
        try:
            revision = resolve(repo, sha)
        except SendplanError as e:
            result[sha] = str(e)
            continue
        tree = repo.tree(revision.sha)
        files = {
            path: entry.sha
            for path, entry in tree.items()
            if classify(path) not in (None, "stray") and entry.mode != SUBMODULE_MODE
        }
        fresh = {p for p, blob in files.items() if (p, blob) not in known}
        fresh.add(SETTINGS_FILE)  # the settings govern how every other file is read
        loaded = load_plan(RevisionSource(repo, revision, tree, fresh))
        for item in _items(loaded.plan):
            if tree[item.path].mode != SYMLINK_MODE:
                known[(item.path, files[item.path])] = item
        result[sha] = _assemble(loaded.plan, files, known)
    return result


def _assemble(fresh: Plan, files: dict[str, str], known: dict[tuple[str, str], Item]) -> Plan:
    """The commit's plan: its settings and each file's model (by path; views sort by ID)."""
    plan = Plan(settings=fresh.settings, files=len(files))
    lists: dict[type[BaseModel], list[Item]] = {
        Area: plan.areas,  # type: ignore[dict-item]
        Objective: plan.objectives,  # type: ignore[dict-item]
        Evidence: plan.evidence,  # type: ignore[dict-item]
        Kpi: plan.kpis,  # type: ignore[dict-item]
        Recommendation: plan.recommendations,  # type: ignore[dict-item]
        Approval: plan.approvals,  # type: ignore[dict-item]
    }
    for path in sorted(files):
        item = known.get((path, files[path]))
        if item is not None:
            lists[type(item)].append(item)
    # An objective belongs to the area whose folder holds it: the same file can sit beside
    # another area.yaml at another commit, so a shared model may need its own copy here.
    area_of_folder = {path_stem(a.path): a.id for a in plan.areas}
    for i, objective in enumerate(plan.objectives):
        folder = area_folder(objective.path)
        area = area_of_folder.get(folder, folder)
        if objective.area != area:
            moved = objective.model_copy()
            moved._path = objective.path
            moved._area = area
            plan.objectives[i] = moved
    return plan
