"""`sendplan flags`: the objectives that need attention at a date, as data. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sendplan.errors import SendplanError
from sendplan.model import Plan
from sendplan.safetext import json_document, md_cell
from sendplan.state import state_at
from sendplan.vocabulary import FLAGS, ONGOING, flag_word, natural_key, owner_word, rating_word


@dataclass(frozen=True)
class FlagItem:
    id: str
    title: str
    owner: str | None
    due: date | None
    """The deadline in force at the as-of date (None when ongoing)."""
    rating: str
    """red, amber, green, blue or unrated."""
    flags: tuple[str, ...]


def parse_flag_list(text: str) -> tuple[str, ...]:
    """`red,overdue` -> ("red", "overdue"); an unknown flag cannot proceed."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FLAGS]
    if unknown or not names:
        raise SendplanError(
            f"unknown flag {', '.join(unknown) or repr(text)}; use any of {','.join(FLAGS)}"
        )
    return names


def flag_items(plan: Plan, as_of: date, owner: str | None = None) -> list[FlagItem]:
    """Every objective with at least one flag at `as_of` (of `owner`, matched in any case)."""
    wanted = owner.casefold() if owner is not None else None
    items = [
        FlagItem(s.objective.id, s.objective.title, s.objective.owner, s.due, s.brag, s.flags)
        for s in state_at(plan, as_of).objectives
        if s.flags and (wanted is None or (s.objective.owner or "").casefold() == wanted)
    ]
    return sorted(items, key=lambda item: natural_key(item.id))


def flags_json(as_of: date, items: list[FlagItem]) -> str:
    """SPEC §4: {"as_of", "items": [{"id", "title", "owner", "due", "rating", "flags"}]}."""
    return json_document(
        {
            "as_of": as_of.isoformat(),
            "items": [
                {
                    "id": item.id,
                    "title": item.title,
                    "owner": item.owner,
                    "due": item.due.isoformat() if item.due else None,
                    "rating": item.rating,
                    "flags": list(item.flags),
                }
                for item in items
            ],
        }
    )


def flags_markdown(as_of: date, items: list[FlagItem]) -> str:
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
            f"{', '.join(flag_word(f) for f in i.flags)} |"
            for i in items
        ]
    return "\n".join(lines) + "\n"
