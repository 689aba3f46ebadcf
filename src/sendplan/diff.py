"""What changed in the plan between two loaded versions, in plan terms (SPEC §4 `diff`). Pure.

Items are matched by ID, never by path, so a renamed file that keeps its ID is one item.
Each change's code and default severity are declared in `catalogue.py` (`history-rewritten`,
`post-approval-change` and `rated-objective-removed` are errors; `silent-rebaseline`,
`kpi-restated` and `removed` are warnings; everything else is information, except that a KPI
point for a period a board has approved is a warning, SPEC §8); the target plan's `checks:`
may change them. Which files to compare, and reading them, is `comparison.py`'s job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, TypeVar, get_args

from pydantic import BaseModel

from sendplan import privacy
from sendplan.dates import long_date, month_label
from sendplan.findings import Change, ItemKind, Severity, change
from sendplan.model import (
    Approval,
    Area,
    DueChange,
    Evidence,
    Kpi,
    Milestone,
    Objective,
    Plan,
    Rating,
    Recommendation,
    RecommendationUpdate,
    Settings,
)
from sendplan.vocabulary import (
    BRAG_ORDER,
    EMPTY,
    area_folder,
    file_stem,
    movement,
    natural_key,
)

KINDS: tuple[ItemKind, ...] = get_args(ItemKind)


@dataclass(frozen=True)
class Unreadable:
    """A compared file that could not be loaded on one side, so its changes are unknown."""

    side: Literal["base", "target"]
    path: str
    message: str


@dataclass(frozen=True)
class PlanDiff:
    changes: list[Change]
    unreadable: list[Unreadable]

    def count(self, level: Severity) -> int:
        return sum(1 for c in self.changes if c.severity is level)

    @property
    def failed(self) -> bool:
        """What `--check` fails on: history rewritten, or a target file it cannot read."""
        return self.count(Severity.ERROR) > 0 or any(u.side == "target" for u in self.unreadable)


@dataclass(frozen=True)
class HistoryEntry:
    """One commit of an objective's history and what it changed, in plan terms."""

    sha: str
    date: datetime
    author: str
    subject: str
    changes: list[Change]
    unreadable: list[str] = field(default_factory=list)
    """Paths of the objective's file that could not be read at this commit."""
    approved: Approval | None = None
    """The first approval whose commit includes this one: the board saw this change in the
    plan it approved (None: not yet approved)."""

    def __post_init__(self) -> None:
        # A commit message is text from the repository like any other: personal data typed
        # into it must not reach `history` output in any format.
        object.__setattr__(self, "author", privacy.redact(self.author))
        object.__setattr__(self, "subject", privacy.redact(self.subject))


# --- values as short text -------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_of(value: object, quote: bool = True) -> str:
    """A field value as one short line of text; free text is quoted unless `quote` is off."""
    if value is None or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(text_of(v, quote) for v in value)
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return _short(", ".join(f"{k} {text_of(v, quote=False)}" for k, v in data.items()))
    return f'"{_short(str(value))}"' if quote else _short(str(value))


def _scalar(label: str, old: object, new: object, quote: bool = True) -> str | None:
    if old == new:
        return None
    return f"{label}: {text_of(old, quote)} -> {text_of(new, quote)}"


def _listed(
    label: str,
    old: Sequence[object],
    new: Sequence[object],
    words: tuple[str, str] = ("", ""),
    quote: bool = True,
) -> str | None:
    if list(old) == list(new):
        return None
    added = [text_of(v, quote) for v in new if v not in old]
    removed = [text_of(v, quote) for v in old if v not in new]
    plus, minus = words
    parts = [f"{plus or 'added '}{a}" for a in added] + [
        f"{minus or 'removed '}{r}" for r in removed
    ]
    return f"{label}: {'; '.join(parts) if parts else 'reordered'}"


# --- objectives -----------------------------------------------------------------------------


def _rating_edit(old: Rating, new: Rating) -> str:
    parts = [
        _scalar("brag", old.brag, new.brag),
        _scalar("note", old.note, new.note),
        _scalar("by", old.by, new.by),
        _listed("evidence", old.evidence, new.evidence, quote=False),
    ]
    return "; ".join(p for p in parts if p)


def _movement(previous: Rating | None, rating: Rating) -> str:
    moved = movement(previous.brag if previous else None, rating.brag)
    if previous is None:
        return "new (first rating)"
    if moved == "same":
        return f"same as before ({previous.brag})"
    return f"{moved} from {previous.brag}"


_Entry = TypeVar("_Entry", Rating, RecommendationUpdate)


def _appended(
    old: list[_Entry],
    new: list[_Entry],
    noun: str,
    label: Callable[[_Entry], str],
    edit: Callable[[_Entry, _Entry], str],
) -> tuple[list[tuple[str, str, date]], list[_Entry]]:
    """Append-only history matched by date: the entries removed, edited or inserted before
    the latest (each `history-rewritten`, with its date), and the entries appended after it.

    Each old entry is matched with the first unmatched new one of its date. `history` compares
    every version of a file that may hold hundreds of ratings, so the usual case, entries only
    appended, is one list comparison, and the others look dates up in a dict, not a scan.
    """
    rewritten: list[tuple[str, str, date]] = []
    if new[: len(old)] == old:
        unmatched = list(range(len(old), len(new)))
    else:
        by_date: dict[date, list[int]] = {}
        for i, entry in enumerate(new):
            by_date.setdefault(entry.date, []).append(i)
        matched: set[int] = set()
        for before in old:
            match = next((i for i in by_date.get(before.date, ()) if i not in matched), None)
            if match is None:
                rewritten.append(
                    (
                        "history-rewritten",
                        f"{noun} of {before.date} ({label(before)}) was removed from the history",
                        before.date,
                    )
                )
                continue
            matched.add(match)
            if new[match] != before:
                what = edit(before, new[match])
                rewritten.append(
                    (
                        "history-rewritten",
                        f"{noun} of {before.date} was edited: {what}",
                        before.date,
                    )
                )
        unmatched = [i for i in range(len(new)) if i not in matched]
    if not unmatched:
        return rewritten, []
    latest = max((entry.date for entry in old), default=None)
    appended = []
    for i in unmatched:
        entry = new[i]
        if latest is not None and entry.date <= latest:
            rewritten.append(
                (
                    "history-rewritten",
                    f"{noun} dated {entry.date} ({label(entry)}) was inserted before the latest "
                    f"existing {noun} ({latest})",
                    entry.date,
                )
            )
        else:
            appended.append(entry)
    return rewritten, appended


_Found = tuple[str, str, date | None, bool]
"""A change found in an objective: code, message, the plan date it concerns, and whether it
touches a dated history entry (a rating or a re-baseline), which an approval seals."""


def _ratings(old: list[Rating], new: list[Rating]) -> Iterator[_Found]:
    rewritten, appended = _appended(old, new, "rating", lambda r: r.brag, _rating_edit)
    for code, message, on in rewritten:
        yield code, message, on, True
    for rating in appended:
        earlier = [r for r in new if r.date < rating.date]
        previous = max(earlier, key=lambda r: r.date) if earlier else None
        by = f" by {rating.by}" if rating.by else ""
        cites = f" [{', '.join(rating.evidence)}]" if rating.evidence else ""
        yield (
            "rating-added",
            f"{rating.brag} on {rating.date}{by}, {_movement(previous, rating)}: "
            f"{_short(rating.note)}{cites}",
            rating.date,
            True,
        )


def _due_entry(entry: DueChange) -> str:
    return f"on {entry.on}, from {entry.from_} to {entry.to}"


def _due(old: Objective, new: Objective) -> Iterator[_Found]:
    fresh = [e for e in new.due_history if e not in old.due_history]
    for entry in old.due_history:
        if entry in new.due_history:
            continue
        edited = next((e for e in fresh if e.on == entry.on), None)
        if edited is not None:
            fresh.remove(edited)
            parts = [
                _scalar("from", entry.from_, edited.from_),
                _scalar("to", entry.to, edited.to),
                _scalar("reason", entry.reason, edited.reason),
            ]
            what = "; ".join(p for p in parts if p)
            yield (
                "history-rewritten",
                f"due_history entry of {entry.on} was edited: {what}",
                entry.on,
                True,
            )
        else:
            yield (
                "history-rewritten",
                f"due_history entry ({_due_entry(entry)}) was removed from the history",
                entry.on,
                True,
            )
    old_due = None if old.ongoing else old.due
    new_due = None if new.ongoing else new.due
    if old_due != new_due:
        reasons = [e for e in fresh if e.to == new_due]
        if new_due is None:
            yield "silent-rebaseline", f"deadline {old_due} removed: now ongoing", None, False
        elif old_due is None:
            yield "due-changed", f"deadline set: due {new_due} (was ongoing)", None, False
        elif reasons and any(e.from_ == old_due for e in fresh):
            reason = _short(reasons[-1].reason)
            message = f"due moved from {old_due} to {new_due}: {reason}"
            yield "due-changed", message, min(e.on for e in reasons), True
            fresh = [e for e in fresh if e not in reasons and e.from_ != old_due]
        else:
            yield (
                "silent-rebaseline",
                f"due moved from {old_due} to {new_due} with no due_history entry giving the "
                f"reason; add one: {{on: DATE, from: {old_due}, to: {new_due}, reason: ...}}",
                None,
                False,
            )
    for entry in fresh:
        yield "field-changed", f"due_history entry added ({_due_entry(entry)})", entry.on, True


def _withdrawal(old: Objective, new: Objective) -> Iterator[_Found]:
    before, after = old.withdrawn, new.withdrawn
    if before == after:
        return
    if before is None and after is not None:
        yield "withdrawn", f"withdrawn on {after.on}: {_short(after.reason)}", after.on, False
    elif after is None and before is not None:
        message = f"withdrawal of {before.on} removed: the objective is back in the plan"
        yield "field-changed", message, before.on, False
    elif before is not None and after is not None:
        parts = [_scalar("on", before.on, after.on), _scalar("reason", before.reason, after.reason)]
        message = f"withdrawal edited: {'; '.join(p for p in parts if p)}"
        yield "field-changed", message, min(before.on, after.on), False


def sealing_approval(approvals: Sequence[Approval], day: date) -> Approval | None:
    """The first approved month ending on or after `day`: the report that sealed it."""
    covering = [a for a in approvals if a.month_end >= day]
    return min(covering, key=lambda a: a.month) if covering else None


def approval_words(approval: Approval) -> str:
    """`the May 2024 report approved by SIAB on 26 June 2024`."""
    return (
        f"the {month_label(approval.month_end)} report approved by {approval.board} on "
        f"{long_date(approval.date)}"
    )


def objective_changes(
    old: Objective | None, new: Objective | None, approvals: Sequence[Approval] = ()
) -> list[Change]:
    """Every change to one objective, in plan terms; a change to a rating or re-baseline
    dated in an approved month is a `post-approval-change` (given the plan's `approvals`)."""
    if new is None:
        if old is None:
            return []
        if old.ratings:
            count = len(old.ratings)
            return [
                change(
                    "objective",
                    old.id,
                    "rated-objective-removed",
                    f"objective file deleted with {count} rating{'s' if count != 1 else ''}: "
                    f"{_short(old.title)}; keep the file and withdraw it instead "
                    f"(sendplan withdraw {old.id} --reason TEXT)",
                    old.path,
                    old.title,
                )
            ]
        return [
            change(
                "objective",
                old.id,
                "removed",
                f"objective removed: {_short(old.title)}",
                old.path,
                old.title,
            )
        ]
    if old is None:
        due = "ongoing" if new.ongoing else f"due {new.due}"
        owner = f", owner {new.owner}" if new.owner else ""
        return [
            change(
                "objective", new.id, "added", f"new objective, {due}{owner}", new.path, new.title
            )
        ]

    found: list[_Found] = [
        *_ratings(old.ratings, new.ratings),
        *_due(old, new),
        *_withdrawal(old, new),
    ]
    if old.done != new.done:
        dates = [d for d in (old.done, new.done) if d is not None]
        if old.done is None:
            found.append(("completed", f"marked done on {new.done}", new.done, False))
        else:
            message = f"done: {text_of(old.done)} -> {text_of(new.done)}"
            found.append(("field-changed", message, min(dates), False))
    messages = [
        _scalar("area", area_folder(old.path), area_folder(new.path), quote=False),
        _scalar("title", old.title, new.title),
        _scalar("theme", old.theme, new.theme, quote=False),
        _scalar("owner", old.owner, new.owner),
        _scalar("commitment", old.commitment, new.commitment),
        _listed("impact", old.impact, new.impact),
        _listed("evidence", old.evidence, new.evidence, ("now cites ", "no longer cites "), False),
        _listed("kpis", old.kpis, new.kpis, quote=False),
        _listed("supports", old.supports, new.supports, quote=False),
    ]
    found += [("field-changed", m, None, False) for m in messages if m]
    changes = []
    for code, message, on, history in found:
        sealed = sealing_approval(approvals, on) if history and on is not None else None
        if sealed is not None:
            code = "post-approval-change"
            message = f"{message} (after {approval_words(sealed)})"
        changes.append(change("objective", new.id, code, message, new.path, new.title, on))
    return changes


# --- evidence, KPIs, areas, settings --------------------------------------------------------


_ItemChange = tuple[str, str, date | None]
"""A change found in an item: code, message, and the plan date it concerns (or None)."""


def _evidence_changes(old: Evidence, new: Evidence) -> Iterator[_ItemChange]:
    for name in ("title", "kind", "date", "owner", "link", "file", "public"):
        if message := _scalar(name, getattr(old, name), getattr(new, name)):
            yield "field-changed", message, None
    if old.body != new.body:
        yield "field-changed", "text edited", None


def _with_unit(value: float, unit: str) -> str:
    return f"{_number(value)}{unit}" if unit in ("%", "") else f"{_number(value)} {unit}"


def _kpi_changes(old: Kpi, new: Kpi) -> Iterator[_ItemChange]:
    for name in ("title", "description", "owner", "unit", "better", "target", "tolerance"):
        if message := _scalar(name, getattr(old, name), getattr(new, name)):
            yield "field-changed", message, None
    if message := _listed("trajectory", old.trajectory, new.trajectory, quote=False):
        yield "field-changed", message, None
    if message := _listed("benchmarks", old.benchmarks, new.benchmarks, quote=False):
        yield "field-changed", message, None
    before = {str(p.period): p for p in reversed(old.data)}
    after = {str(p.period): p for p in reversed(new.data)}
    for point in new.data:
        period = str(point.period)
        was = before.get(period)
        if was is None:
            message = f"{period}: {_with_unit(point.value, new.unit)}"
            yield "kpi-point-added", message, point.period.end
        elif was.value != point.value:
            yield (
                "kpi-restated",
                f"{period} restated: {_with_unit(was.value, old.unit)} -> "
                f"{_with_unit(point.value, new.unit)}",
                point.period.end,
            )
        elif was != point:
            parts = [
                _listed("evidence", was.evidence, point.evidence, quote=False),
                _scalar("note", was.note, point.note),
            ]
            yield "field-changed", f"{period}: {'; '.join(p for p in parts if p)}", None
    for period, point in before.items():
        if period not in after:
            yield (
                "kpi-restated",
                f"{period} ({_with_unit(point.value, old.unit)}) was removed from the series",
                point.period.end,
            )


def _area_changes(old: Area, new: Area) -> Iterator[_ItemChange]:
    for name in ("title", "kind", "finding"):
        if message := _scalar(name, getattr(old, name), getattr(new, name)):
            yield "field-changed", message, None
    themes_before = {t.id: t for t in old.themes}
    themes_after = {t.id: t for t in new.themes}
    for theme in new.themes:
        was = themes_before.get(theme.id)
        if was is None:
            yield "field-changed", f"theme {theme.id} added", None
            continue
        for name in ("title", "response", "outcomes"):
            if message := _scalar(name, getattr(was, name), getattr(theme, name)):
                yield "field-changed", f"theme {theme.id} {message}", None
        if message := _listed(
            "success_looks_like", was.success_looks_like, theme.success_looks_like
        ):
            yield "field-changed", f"theme {theme.id} {message}", None
    for theme_id in themes_before:
        if theme_id not in themes_after:
            yield "field-changed", f"theme {theme_id} removed", None


def _milestone_changes(old: list[Milestone], new: list[Milestone]) -> Iterator[str]:
    """Milestones matched by name: added, removed, moved, done."""
    before = {m.name: m for m in old}
    after = {m.name: m for m in new}
    for milestone in new:
        was = before.get(milestone.name)
        name = f"milestone {_short(milestone.name)!r}"
        if was is None:
            yield f"{name} added, due {milestone.due}"
            continue
        parts = [
            _scalar("due", was.due, milestone.due),
            _scalar("done", was.done, milestone.done),
            _scalar("note", was.note, milestone.note),
        ]
        if changed := "; ".join(p for p in parts if p):
            yield f"{name} {changed}"
    for milestone in old:
        if milestone.name not in after:
            yield f"milestone {_short(milestone.name)!r} removed (was due {milestone.due})"


def _settings_changes(old: Settings, new: Settings) -> Iterator[Change]:
    path = "sendplan.yaml"
    if not old.path or not new.path:
        if old.path != new.path:
            code = "added" if new.path else "removed"
            yield change("config", path, code, f"sendplan.yaml {code}", path)
        return
    for name in (
        "name",
        "partnership",
        "type",
        "stale_after_days",
        "response_days",
        "kpi_tolerance",
        "claims_progress",
        "notice",
        "max_file_bytes",
    ):
        if message := _scalar(name, getattr(old, name), getattr(new, name)):
            yield change("config", name, "field-changed", message, path)
    for message in _milestone_changes(old.milestones, new.milestones):
        yield change("config", "milestones", "field-changed", message, path)
    for colour in BRAG_ORDER:
        key = f"brag.{colour}"
        if message := _scalar(key, getattr(old.brag, colour), getattr(new.brag, colour)):
            yield change("config", key, "field-changed", message, path)


def _update_edit(old: RecommendationUpdate, new: RecommendationUpdate) -> str:
    parts = [_scalar("status", old.status, new.status), _scalar("note", old.note, new.note)]
    return "; ".join(p for p in parts if p)


def _recommendation_changes(old: Recommendation, new: Recommendation) -> Iterator[_ItemChange]:
    rewritten, appended = _appended(
        old.updates, new.updates, "update", lambda u: u.status, _update_edit
    )
    yield from rewritten
    for update in appended:
        earlier = [u for u in new.updates if u.date < update.date]
        was = max(earlier, key=lambda u: u.date).status if earlier else "open"
        moved = f"from {was}" if was != update.status else "unchanged"
        added = f"{update.status} on {update.date} ({moved}): {_short(update.note)}"
        yield "update-added", added, update.date
    for name in ("from_", "made", "text", "response", "responded", "response_note", "owner"):
        label = name.rstrip("_")
        if message := _scalar(label, getattr(old, name), getattr(new, name)):
            yield "field-changed", message, None
    if message := _scalar("due", old.due, new.due):
        yield "due-changed", message, None
    if message := _listed("objectives", old.objectives, new.objectives, quote=False):
        yield "field-changed", message, None


def _approval_changes(old: Approval, new: Approval) -> Iterator[_ItemChange]:
    """An approval is a record of what a board decided: editing it rewrites history."""
    for name in ("board", "date", "commit", "by", "note"):
        if message := _scalar(name, getattr(old, name), getattr(new, name), quote=False):
            yield "history-rewritten", f"approval edited: {message}", None


# --- the whole plan -------------------------------------------------------------------------


_T = TypeVar("_T", Area, Evidence, Kpi, Recommendation)


def _items(
    kind: ItemKind,
    old: dict[str, _T],
    new: dict[str, _T],
    compare: Callable[[_T, _T], Iterator[_ItemChange]],
    broken: tuple[set[str], set[str]],
) -> Iterator[Change]:
    for item_id in sorted(old.keys() | new.keys(), key=natural_key):
        before, after = old.get(item_id), new.get(item_id)
        known = {item_id, file_stem(item_id)}
        if after is None and before is not None:
            if not known & broken[1]:
                name = _short(before.title)
                yield change(
                    kind, item_id, "removed", f"removed: {name}", before.path, before.title
                )
        elif before is None and after is not None:
            if not known & broken[0]:
                yield change(
                    kind, item_id, "added", f"added: {_short(after.title)}", after.path, after.title
                )
        elif before is not None and after is not None:
            for code, message, on in compare(before, after):
                yield change(kind, item_id, code, message, after.path, after.title, on)


def diff_plans(
    old: Plan,
    new: Plan,
    old_broken: dict[str, set[str]] | None = None,
    new_broken: dict[str, set[str]] | None = None,
) -> list[Change]:
    """Every change from `old` to `new`; items whose file is broken on one side are skipped."""
    old_broken, new_broken = old_broken or {}, new_broken or {}

    def broken(kind: str) -> tuple[set[str], set[str]]:
        return old_broken.get(kind, set()), new_broken.get(kind, set())

    # What either side's board approved seals its months (an approval being added in this
    # very change seals them too: the change is then reviewed against it).
    sealed = tuple({**old.approval_by_month, **new.approval_by_month}.values())
    changes: list[Change] = []
    for item_id in sorted(old.objective_by_id.keys() | new.objective_by_id.keys(), key=natural_key):
        before, after = old.objective_by_id.get(item_id), new.objective_by_id.get(item_id)
        known = {item_id, file_stem(item_id)}
        if (after is None and known & broken("objective")[1]) or (
            before is None and known & broken("objective")[0]
        ):
            continue
        changes += objective_changes(before, after, sealed)
    changes += _items(
        "evidence", old.evidence_by_id, new.evidence_by_id, _evidence_changes, broken("evidence")
    )
    kpi_changes = list(_items("kpi", old.kpi_by_id, new.kpi_by_id, _kpi_changes, broken("kpi")))
    changes += _in_approved_periods(kpi_changes, new.kpi_by_id, sealed)
    changes += _items("area", old.area_by_id, new.area_by_id, _area_changes, broken("area"))
    changes += _items(
        "recommendation",
        old.recommendation_by_id,
        new.recommendation_by_id,
        _recommendation_changes,
        broken("recommendation"),
    )
    changes += _approvals_changes(old, new, broken("approval"))
    if not (old_broken.get("settings") or new_broken.get("settings")):
        changes += _settings_changes(old.settings, new.settings)
    return changes


def _in_approved_periods(
    changes: list[Change], kpis: dict[str, Kpi], sealed: Sequence[Approval]
) -> list[Change]:
    """KPI points for a period a board has approved: a warning, shown in that month's report.

    A KPI added with such points gets one `kpi-point-added` per point after its `added`.
    """
    result: list[Change] = []
    for each in changes:
        if each.change == "kpi-point-added" and each.on is not None:
            approval = sealing_approval(sealed, each.on)
            if approval is not None:
                message = f"{each.message} (a period of {approval_words(approval)})"
                each = dataclasses.replace(each, message=message, severity=Severity.WARNING)
        result.append(each)
        kpi = kpis.get(each.id)
        if each.change == "added" and kpi is not None:
            for point in kpi.data:
                approval = sealing_approval(sealed, point.period.end)
                if approval is not None:
                    message = (
                        f"{point.period}: {_with_unit(point.value, kpi.unit)} (a period of "
                        f"{approval_words(approval)})"
                    )
                    added = change(
                        "kpi",
                        kpi.id,
                        "kpi-point-added",
                        message,
                        kpi.path,
                        kpi.title,
                        point.period.end,
                    )
                    result.append(dataclasses.replace(added, severity=Severity.WARNING))
    return result


def _approval_title(approval: Approval) -> str:
    return f"{month_label(approval.month_end)} report"


def _approvals_changes(old: Plan, new: Plan, broken: tuple[set[str], set[str]]) -> Iterator[Change]:
    before, after = old.approval_by_month, new.approval_by_month
    for month in sorted(before.keys() | after.keys()):
        was, now = before.get(month), after.get(month)
        if now is not None and was is None:
            if month not in broken[0]:
                message = f"approved by {now.board} on {now.date}, from commit {now.commit[:12]}"
                yield change("approval", month, "added", message, now.path, _approval_title(now))
        elif was is not None and now is None:
            if month not in broken[1]:
                message = (
                    f"the approval by {was.board} on {was.date} was removed: an approval "
                    "records what a board decided and stays"
                )
                yield change(
                    "approval", month, "history-rewritten", message, was.path, _approval_title(was)
                )
        elif was is not None and now is not None:
            for code, message, on in _approval_changes(was, now):
                yield change("approval", month, code, message, now.path, _approval_title(now), on)
