"""`sendplan flags`: the objectives (and recommendations) that need attention at a date, as
data. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from sendplan.errors import SendplanError
from sendplan.model import Plan
from sendplan.recommendation_rows import RecommendationRow, recommendation_rows
from sendplan.rows import ObjectiveRow, objective_rows, rows_json
from sendplan.safetext import json_document, md_cell
from sendplan.state import state_at
from sendplan.vocabulary import (
    EMPTY,
    FLAGS,
    ONGOING,
    RECOMMENDATION_FLAGS,
    STATUS_WORDS,
    flag_word,
    owner_word,
    rating_word,
)

Kind = Literal["objectives", "recommendations", "all"]
"""What `flags` and `export` list (`--kind`): objectives by default."""
KINDS: tuple[Kind, ...] = get_args(Kind)


def kind_flags(kind: Kind) -> tuple[str, ...]:
    """The flags the items of `kind` can carry."""
    if kind == "objectives":
        return FLAGS
    if kind == "recommendations":
        return RECOMMENDATION_FLAGS
    return tuple(dict.fromkeys((*FLAGS, *RECOMMENDATION_FLAGS)))


def parse_flag_list(text: str, kind: Kind = "objectives") -> tuple[str, ...]:
    """`red,overdue` -> ("red", "overdue"); a flag `kind` cannot raise cannot proceed."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    known = kind_flags(kind)
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        others = [name for name in unknown if name in kind_flags("all")]
        hint = " (it is a flag of other items: add --kind all)" if others else ""
        raise SendplanError(
            f"unknown flag {', '.join(unknown) or repr(text)}; use any of {','.join(known)}{hint}"
        )
    return names


FLAG_ITEM_KEYS = ("id", "title", "owner", "due", "rating", "flags")
"""SPEC §4: the keys of each item of `flags --format json`."""


def flag_items(plan: Plan, as_of: date, owner: str | None = None) -> list[ObjectiveRow]:
    """Every objective with at least one flag at `as_of` (of `owner`, matched in any case)."""
    return flagged(plan, as_of, "objectives", owner).objectives or []


RECOMMENDATION_ITEM_KEYS = ("id", "text", "from", "owner", "due", "response", "status", "flags")
"""The keys of each recommendation of `flags --format json --kind recommendations|all`."""


@dataclass(frozen=True)
class Flagged:
    """What `flags` lists: objectives, recommendations, or both (None = not asked for)."""

    objectives: list[ObjectiveRow] | None
    recommendations: list[RecommendationRow] | None

    @property
    def raised(self) -> set[str]:
        """Every flag raised on an item listed (for --fail-on)."""
        items: list[ObjectiveRow | RecommendationRow] = [
            *(self.objectives or ()),
            *(self.recommendations or ()),
        ]
        return {flag for item in items for flag in item.flags}


def _owned(owner: str | None, wanted: str | None) -> bool:
    return wanted is None or (owner or "").casefold() == wanted


def flagged(plan: Plan, as_of: date, kind: Kind, owner: str | None = None) -> Flagged:
    """The flagged items of `kind` at `as_of` (of `owner`, matched in any case)."""
    wanted = owner.casefold() if owner is not None else None
    state = state_at(plan, as_of)
    rows = objective_rows(plan, state)
    objectives = recommendations = None
    if kind != "recommendations":
        objectives = [row for row in rows if row.flags and _owned(row.owner, wanted)]
    if kind != "objectives":
        by_id = {row.id: row for row in rows}
        recommendations = [
            row
            for row in recommendation_rows(state, by_id)
            if row.flags and _owned(row.owner, wanted)
        ]
    return Flagged(objectives, recommendations)


def flag_text(row: ObjectiveRow) -> str:
    """`Contradicted (ehcp-20-weeks), Stale`: the flags' words, with the KPIs behind
    `contradicted`."""
    words = []
    for flag in row.flags:
        word = flag_word(flag)
        if flag == "contradicted" and row.contradicted_by:
            word += f" ({', '.join(row.contradicted_by)})"
        words.append(word)
    return ", ".join(words)


def flags_json(
    as_of: date,
    items: list[ObjectiveRow] | None,
    recommendations: list[RecommendationRow] | None = None,
) -> str:
    """SPEC §4: {"as_of", "items": [{"id", "title", "owner", "due", "rating", "flags"}]}; with
    recommendations, `"recommendations": [{"id", "text", "from", ...}]` too (or instead)."""
    document: dict[str, object] = {"as_of": as_of.isoformat()}
    if items is not None:
        document["items"] = rows_json(items, FLAG_ITEM_KEYS)
    if recommendations is not None:
        document["recommendations"] = rows_json(recommendations, RECOMMENDATION_ITEM_KEYS)
    return json_document(document)


def _count(count: int, noun: str) -> str:
    return f"**{count} {noun}{'s' if count != 1 else ''} flagged**"


def recommendations_markdown(as_of: date, items: Sequence[RecommendationRow]) -> str:
    """A GFM table of the flagged recommendations."""
    lines = [f"{_count(len(items), 'recommendation')} as of {as_of.isoformat()}", ""]
    if items:
        lines += [
            "| Recommendation | Text | From | Owner | Due | Status | Flags |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {md_cell(r.id)} | {md_cell(r.text)} | {md_cell(r.from_)} | "
            f"{md_cell(owner_word(r.owner))} | {r.due.isoformat() if r.due else EMPTY} | "
            f"{STATUS_WORDS[r.status]} | {', '.join(flag_word(f) for f in r.flags)} |"
            for r in items
        ]
    return "\n".join(lines) + "\n"


def flags_markdown(
    as_of: date,
    items: list[ObjectiveRow] | None,
    recommendations: list[RecommendationRow] | None = None,
) -> str:
    """GFM tables of the flagged objectives and recommendations (those asked for)."""
    parts = [] if items is None else [_objectives_markdown(as_of, items)]
    if recommendations is not None:
        parts.append(recommendations_markdown(as_of, recommendations))
    return "\n".join(parts)


def _objectives_markdown(as_of: date, items: list[ObjectiveRow]) -> str:
    """A GFM table of the flagged objectives."""
    lines = [
        f"**{len(items)} objective{'s' if len(items) != 1 else ''} flagged** "
        f"as of {as_of.isoformat()}",
        "",
    ]
    if items:
        lines += [
            "| Objective | Title | Owner | Due | Rating | Flags |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {md_cell(i.id)} | {md_cell(i.title)} | {md_cell(owner_word(i.owner))} | "
            f"{i.due.isoformat() if i.due else ONGOING} | {rating_word(i.rating)} | "
            f"{md_cell(flag_text(i))} |"
            for i in items
        ]
    return "\n".join(lines) + "\n"
