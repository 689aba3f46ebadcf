"""`diff` and `history` orchestrated: which files to compare, read from which side of git.

`diff.py` compares loaded plans and knows nothing of files; this module asks git which paths
changed, loads only those on each side, and adds what a reviewer must see beyond plan terms
(the plan's own report templates). The board's approvals (SPEC §8) are read on both sides of
every diff, since they seal months; an approved month's plan is read here too
(`approved_month`). Cost follows the change, not the plan: the working tree is
compared through `git diff-index` and `ls-files --others`, two commits through `diff-tree`,
and `history` reads only the blobs of the commits that touched the objective's file, a
bounded number of bytes at a time.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from sendplan import catalogue, git
from sendplan.diff import HistoryEntry, PlanDiff, Unreadable, diff_plans, objective_changes
from sendplan.errors import SendplanError
from sendplan.findings import Change, Severity, apply, change
from sendplan.git import (
    NULL_IDS,
    SYMLINK_MODE,
    Commit,
    RawChange,
    Repository,
    file_blob_id,
)
from sendplan.load import Loaded, load_plan
from sendplan.model import Approval, Objective, Plan, Rating, Settings
from sendplan.revisions import UNSHALLOW_HINT, Revision, resolve, source_at
from sendplan.signoff import merged_plan, post_approval_changes
from sendplan.sources import APPROVALS_FOLDER, SETTINGS_FILE, FolderSource, Narrowed, classify
from sendplan.vocabulary import file_stem, path_stem
from sendplan.yamlfile import Parsed, decode, parse_extension, parse_yaml

TEMPLATES = "templates/"
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


# --- diff -------------------------------------------------------------------------------------


def _relative(repo: Repository, paths: Sequence[str]) -> set[str]:
    return {p[len(repo.prefix) :] for p in paths if p.startswith(repo.prefix)}


def diff_revisions(repo: Repository, base: Revision, target: Revision | None) -> PlanDiff:
    """The plan change from `base` to `target` (None = the working tree, untracked files too).

    Only the files git reports as changed are loaded, on each side: matching by ID afterwards
    means a renamed file that keeps its ID is one item, not an add and a remove.
    """
    if target is None:
        raw = repo.changed_in_worktree(base.sha)
        untracked = _relative(repo, repo.untracked(git.REPORT_INPUTS))
    else:
        raw = repo.changed_between(base.sha, target.sha)
        untracked = set()
    changed = _relative(repo, [c.path for c in raw]) | untracked
    plan_paths = {p for p in changed if classify(p) is not None}
    plan_paths.add(SETTINGS_FILE)  # the settings govern how every other file is read
    target_sha = target.sha if target is not None else None
    plan_paths |= _approval_paths(repo, base.sha) | _approval_paths(repo, target_sha)
    old = load_plan(source_at(repo, base, plan_paths))
    if target is None:
        folder = FolderSource(repo.root)
        present = [f for p in plan_paths if (f := folder.entry(p)) is not None]
        new = load_plan(Narrowed(folder, present))
    else:
        new = load_plan(source_at(repo, target, plan_paths))
    templates = sorted(_template_changes(repo, raw, untracked), key=lambda c: c.path)
    return diff_loaded(old, new, templates)


def _approval_paths(repo: Repository, sha: str | None) -> set[str]:
    """The approvals/ files at commit `sha` (None: the working tree), read on both sides of a
    comparison: what either side's board approved seals its months."""
    if sha is not None:
        tree = repo.tree(sha, [APPROVALS_FOLDER])
        return {p for p in tree if classify(p) == "approval"}
    folder = repo.root / APPROVALS_FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return set()
    names = (f"{APPROVALS_FOLDER}/{entry.name}" for entry in folder.iterdir())
    return {p for p in names if classify(p) == "approval"}


def _template_changes(
    repo: Repository, raw: Sequence[RawChange], untracked: set[str]
) -> Iterator[Change]:
    """A warning for each changed file under templates/: plan templates shape every report."""
    for line in raw:
        path = line.path[len(repo.prefix) :]
        if not line.path.startswith(repo.prefix) or not path.startswith(TEMPLATES):
            continue
        if line.new is not None and line.new.sha in NULL_IDS and line.old is not None:
            # diff-index could not vouch for the file (its stat changed): compare it here.
            same = file_blob_id(repo.top / line.path, repo.object_format) == line.old.sha
            if same and line.old.mode == line.new.mode:
                continue
        yield _template_change(path, line.old is not None, line.new is not None, line)
    for path in sorted(p for p in untracked if p.startswith(TEMPLATES)):
        yield _template_change(path, False, True, None)


def _template_change(path: str, before: bool, after: bool, raw: RawChange | None) -> Change:
    if raw is not None and raw.new is not None and raw.new.mode == SYMLINK_MODE:
        what = "is now a symlink: report refuses templates that are symlinks"
    elif not after:
        what = "removed: reports fall back to the built-in template"
    elif not before:
        what = "added: it changes how every report of this plan is rendered; review it"
    else:
        what = "edited: it changes how every report of this plan is rendered; review it"
    return change("template", path, "template-changed", f"template {what}", path)


def _unreadable(loaded: Loaded, side: Literal["base", "target"]) -> Iterator[Unreadable]:
    plan = loaded.plan
    items = [
        *plan.areas,
        *plan.objectives,
        *plan.evidence,
        *plan.kpis,
        *plan.recommendations,
        *plan.approvals,
    ]
    read = {item.path for item in items}
    read.add(plan.settings.path)
    errors: dict[str, str] = {}
    for finding in loaded.findings:
        if finding.severity is Severity.ERROR:
            errors.setdefault(finding.path, f"{finding.code}: {finding.message}")
    for file in loaded.files:
        if file.kind != "stray" and file.path not in read and file.path in errors:
            yield Unreadable(side, file.path, errors[file.path])


def diff_loaded(old: Loaded, new: Loaded, more: Sequence[Change] = ()) -> PlanDiff:
    """The diff of two loaded plans (and `more` changes), with the files not compared."""
    old_broken: dict[str, set[str]] = {k: set(v) for k, v in old.broken.items()}
    new_broken: dict[str, set[str]] = {k: set(v) for k, v in new.broken.items()}
    unreadable = [*_unreadable(old, "base"), *_unreadable(new, "target")]
    for item in unreadable:  # e.g. a symlink out of the plan, which the loader never reads
        kind = classify(item.path)
        stem = path_stem(item.path)
        side = old_broken if item.side == "base" else new_broken
        side.setdefault(kind or "stray", set()).add(stem)
    changes = [*diff_plans(old.plan, new.plan, old_broken, new_broken), *more]
    # The target's `checks:` decides severities, as `validate` of the target would.
    policy, _ = catalogue.policy(new.plan.settings.checks, catalogue.all_codes())
    return PlanDiff(apply(policy, changes), unreadable)


# --- history ----------------------------------------------------------------------------------


@dataclass
class _Side:
    """The objective as one commit left it: parsed, and the files that did not read."""

    objective: Objective | None
    bad: set[str]


class _Blobs:
    """The blobs `history` needs, fetched in order a bounded number of bytes at a time."""

    def __init__(self, repo: Repository, order: list[str], sizes: dict[str, int]) -> None:
        self.repo = repo
        self.sizes = sizes
        self._chunks: dict[str, int] = {}
        chunk, used = 0, 0
        for sha in order:
            size = sizes.get(sha, 0)
            if used and used + size > git.READ_BUDGET:
                chunk, used = chunk + 1, 0
            self._chunks.setdefault(sha, chunk)
            used += size
        self._held: dict[str, bytes] = {}
        self._held_chunk = -1

    def get(self, sha: str) -> bytes | None:
        chunk = self._chunks.get(sha)
        if chunk is None:
            return None
        if chunk < self._held_chunk:  # asked again after its chunk has gone: this one alone
            return self.repo.read_objects([sha]).get(sha)
        if chunk != self._held_chunk:
            self._held = {}  # let the previous chunk go before the next one arrives
            wanted = [s for s, c in self._chunks.items() if c == chunk]
            self._held = self.repo.read_objects(wanted)
            self._held_chunk = chunk
        return self._held.get(sha)


def _history_limit(repo: Repository, head: str) -> int:
    """max_file_bytes of the plan at HEAD (the default when sendplan.yaml does not say)."""
    default: int = Settings.model_fields["max_file_bytes"].default
    tree = repo.tree(head, [SETTINGS_FILE])
    entry = tree.get(SETTINGS_FILE)
    if entry is None or entry.mode == SYMLINK_MODE or entry.size > default:
        return default
    loaded = load_plan(source_at(repo, Revision(head, head), {SETTINGS_FILE}))
    return loaded.plan.settings.max_file_bytes


def _commit_date(commit: Commit) -> datetime:
    try:
        return datetime.fromisoformat(commit.date)
    except ValueError:
        try:
            return datetime.fromtimestamp(commit.timestamp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return datetime(1970, 1, 1, tzinfo=UTC)


def objective_history(
    repo: Repository, objective_id: str, approvals: Sequence[Approval] = ()
) -> list[HistoryEntry]:
    """The objective's changes commit by commit, oldest first; each marked with the first of
    `approvals` whose commit includes it (SPEC §8).

    An objective's file name comes from its ID, so matching `plan/*/<stem>.yaml|yml` follows
    the objective across folder moves without relying on git's rename guessing.
    """
    if repo.shallow:
        raise SendplanError(
            f"cannot show the history of {objective_id}: this is a shallow clone and its "
            f"history is cut short; {UNSHALLOW_HINT}"
        )
    stem = _GLOB_SPECIAL.sub(r"\\\1", file_stem(objective_id))
    commits = repo.log([f"plan/*/{stem}.{ext}" for ext in ("yaml", "yml")])
    if not commits:
        raise SendplanError(
            f"no commit changes objective {objective_id} (looked for "
            f"plan/*/{file_stem(objective_id)}.yaml); check the ID with: sendplan validate"
        )
    commits.reverse()
    limit = _history_limit(repo, commits[-1].sha)
    order = [
        entry.sha
        for commit in commits
        for change in commit.changes
        for entry in (change.old, change.new)
        if entry is not None and entry.mode != SYMLINK_MODE
    ]
    sizes = repo.sizes(order)
    blobs = _Blobs(repo, [s for s in order if sizes.get(s, 0) <= limit], sizes)
    reader = _VersionReader(repo.prefix, objective_id, blobs, sizes, limit)
    history = []
    last: tuple[tuple[tuple[str, str], ...], _Side] | None = None
    for commit in commits:
        before = tuple((c.path, c.old.sha) for c in commit.changes if c.old is not None)
        after = tuple((c.path, c.new.sha) for c in commit.changes if c.new is not None)
        modes = {(c.path, e.sha): e.mode for c in commit.changes for e in (c.old, c.new) if e}
        # The "before" of a commit is usually the "after" of the one before: parsed once.
        old = last[1] if last is not None and last[0] == before else reader.side(before, modes)
        new = reader.side(after, modes)
        last = (after, new)
        # A file that does not parse on one side is unreadable there, not added or removed.
        unknown = (new.objective is None and bool(new.bad)) or (
            old.objective is None and bool(old.bad)
        )
        changes = [] if unknown else objective_changes(old.objective, new.objective)
        history.append(
            HistoryEntry(
                commit.sha,
                _commit_date(commit),
                commit.author,
                commit.subject,
                changes,
                sorted(new.bad - old.bad),
            )
        )
    return _mark_approved(repo, history, approvals)


def _mark_approved(
    repo: Repository, history: list[HistoryEntry], approvals: Sequence[Approval]
) -> list[HistoryEntry]:
    """Each entry with the first approval (by month) whose commit is it or comes after it."""
    unmarked = {e.sha for e in history}
    marks: dict[str, Approval] = {}
    for approval in sorted(approvals, key=lambda a: a.month):
        if not unmarked:
            break
        sha = repo.commit_id(approval.commit)
        if sha is None:
            continue  # not in this clone: validate reports it (approval-commit-unknown)
        ancestors = set(repo.run("rev-list", sha).decode("ascii", "replace").split())
        for entry_sha in unmarked & ancestors:
            marks[entry_sha] = approval
        unmarked -= ancestors
    return [dataclasses.replace(e, approved=marks.get(e.sha)) for e in history]


# --- sign-off (SPEC §8) ---------------------------------------------------------------------


def worktree_approvals(root: Path) -> list[Approval]:
    """The approvals in the working tree's approvals/ folder, read without the rest of the plan."""
    folder = FolderSource(root)
    wanted = [f for f in folder.files() if f.kind in ("approval", "settings")]
    return load_plan(Narrowed(folder, wanted)).plan.approvals


def plan_at_commit(repo: Repository, commit: str, current: Plan) -> Loaded:
    """The plan as it was at `commit` (an approval's): the files that differ from the working
    tree are read from the commit; the rest are `current`'s. The loaded plan's findings are
    those of the files read from the commit. A commit this clone cannot see raises a
    SendplanError saying what to do (fetch more history)."""
    revision = resolve(repo, commit)
    changed = _relative(repo, [c.path for c in repo.changed_in_worktree(revision.sha)])
    changed |= _relative(repo, repo.untracked(git.REPORT_INPUTS))
    paths = {p for p in changed if classify(p) is not None}
    paths |= {SETTINGS_FILE} | _approval_paths(repo, revision.sha) | _approval_paths(repo, None)
    at_commit = load_plan(source_at(repo, revision, paths))
    at_commit.plan = merged_plan(current, at_commit.plan, paths)
    return at_commit


@dataclass(frozen=True)
class ApprovedMonth:
    """A month's approval and what git can say about it: the plan the board saw, and the
    changes since that alter the month (SPEC §8)."""

    approval: Approval
    loaded: Loaded | None
    """The plan at the approval's commit; None when it cannot be read (see `unavailable`)."""
    changes: tuple[Change, ...] | None
    """Post-approval changes from that plan to the current one; None when unavailable."""
    unavailable: str | None = None
    """Why the approved plan could not be read (no git, a shallow clone, an unknown commit)."""


def approved_month(root: Path, current: Plan, approval: Approval) -> ApprovedMonth:
    """The approved plan of `approval`'s month and its post-approval changes against
    `current` (the plan at `root`); never raises for missing history, it says why instead."""
    try:
        loaded = plan_at_commit(Repository(root), approval.commit, current)
    except SendplanError as e:
        return ApprovedMonth(approval, None, None, str(e))
    changes = post_approval_changes(loaded.plan, current, approval.month_end)
    return ApprovedMonth(approval, loaded, tuple(changes))


def uncommitted_plan_files(repo: Repository) -> list[str]:
    """Plan files and templates (relative to the plan root) new, changed or deleted against
    HEAD, leaving out approvals/: an approval does not change what a report shows."""
    head = repo.head()
    if head is None:
        return []
    found = {
        line.path
        for line in repo.changed_in_worktree(head)
        if git.report_input(repo, line.path) and git.really_changed(repo, line)
    }
    found |= {p for p in repo.untracked(git.REPORT_INPUTS) if git.report_input(repo, p)}
    relative = _relative(repo, sorted(found))
    return sorted(p for p in relative if classify(p) != "approval")


@dataclass(frozen=True)
class _Version:
    """One version of one file: its text and parse (kept to parse the next one), objective."""

    sha: str
    text: str | None
    parsed: Parsed | None
    objective: Objective | None


class _VersionReader:
    """Reads the objective from the versions of its file(s), one commit after another.

    Each version is parsed the way the loader parses a file, except that a version which only
    appends to the file's last list (a rating added) has just its new lines parsed
    (`parse_extension`): a file with hundreds of ratings is not parsed whole at every commit.
    Only the latest version of each path is kept.
    """

    def __init__(
        self, prefix: str, objective_id: str, blobs: _Blobs, sizes: dict[str, int], limit: int
    ) -> None:
        self.prefix = prefix
        self.objective_id = objective_id
        self.blobs = blobs
        self.sizes = sizes
        self.limit = limit
        self._latest: dict[str, _Version] = {}

    def side(self, files: Sequence[tuple[str, str]], modes: dict[tuple[str, str], str]) -> _Side:
        found: Objective | None = None
        bad = set()
        for full_path, sha in files:
            path = full_path[len(self.prefix) :]
            version = self._version(path, sha, modes.get((full_path, sha), ""))
            if version.objective is None:
                bad.add(path)
            elif version.objective.id == self.objective_id and found is None:
                found = version.objective
        return _Side(found, bad)

    def _version(self, path: str, sha: str, mode: str) -> _Version:
        latest = self._latest.get(path)
        if latest is not None and latest.sha == sha:
            return latest
        version = self._read(path, sha, mode, latest)
        self._latest[path] = version
        return version

    def _read(self, path: str, sha: str, mode: str, latest: _Version | None) -> _Version:
        unread = _Version(sha, None, None, None)
        if mode == SYMLINK_MODE or self.sizes.get(sha, 0) > self.limit:
            return unread  # a symlink is never followed; a file over max_file_bytes never read
        raw = self.blobs.get(sha)
        text = decode(raw)[0] if raw is not None else None
        if text is None:
            return unread
        parsed = None
        if latest is not None and latest.text is not None and latest.parsed is not None:
            parsed = parse_extension(latest.text, latest.parsed, text)
            if parsed is not None and latest.objective is not None:
                grown = _with_new_ratings(latest.objective, latest.parsed, parsed)
                if grown is not None:
                    return _Version(sha, text, parsed, grown)
        if parsed is None:
            parsed = parse_yaml(text)
        if not isinstance(parsed.data, dict):
            return _Version(sha, text, parsed, None)
        try:
            objective = Objective.model_validate(parsed.data)
        except ValidationError:
            return _Version(sha, text, parsed, None)
        objective._path = path
        objective._area = path.split("/")[1] if path.count("/") == 2 else ""
        return _Version(sha, text, parsed, objective)


def _with_new_ratings(objective: Objective, old: Parsed, new: Parsed) -> Objective | None:
    """The objective with the ratings `new` appended, validating only those; None otherwise.

    Nothing else of an objective depends on its ratings (tests/test_git.py compares this with
    validating the whole file), so the earlier ratings are kept as they are, shared.
    """
    if old.tail is None or old.tail[0] != "ratings":
        return None
    assert isinstance(old.data, dict)
    assert isinstance(new.data, dict)
    added = new.data["ratings"][len(old.data["ratings"]) :]
    try:
        ratings = [Rating.model_validate(item) for item in added]
    except ValidationError:
        return None
    return objective.model_copy(update={"ratings": [*objective.ratings, *ratings]})
