"""`sendplan flags`: the objectives that need attention at a date, as data. Pure."""

from __future__ import annotations

from datetime import date

from sendplan.errors import SendplanError
from sendplan.model import Plan
from sendplan.rows import ObjectiveRow, objective_rows, rows_json
from sendplan.safetext import json_document, md_cell
from sendplan.state import state_at
from sendplan.vocabulary import FLAGS, ONGOING, flag_word, owner_word, rating_word


def parse_flag_list(text: str) -> tuple[str, ...]:
    """`red,overdue` -> ("red", "overdue"); an unknown flag cannot proceed."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FLAGS]
    if unknown or not names:
        raise SendplanError(
            f"unknown flag {', '.join(unknown) or repr(text)}; use any of {','.join(FLAGS)}"
        )
    return names


FLAG_ITEM_KEYS = ("id", "title", "owner", "due", "rating", "flags")
"""SPEC §4: the keys of each item of `flags --format json`."""


def flag_items(plan: Plan, as_of: date, owner: str | None = None) -> list[ObjectiveRow]:
    """Every objective with at least one flag at `as_of` (of `owner`, matched in any case)."""
    wanted = owner.casefold() if owner is not None else None
    return [
        row
        for row in objective_rows(plan, state_at(plan, as_of))
        if row.flags and (wanted is None or (row.owner or "").casefold() == wanted)
    ]


def flags_json(as_of: date, items: list[ObjectiveRow]) -> str:
    """SPEC §4: {"as_of", "items": [{"id", "title", "owner", "due", "rating", "flags"}]}."""
    return json_document({"as_of": as_of.isoformat(), "items": rows_json(items, FLAG_ITEM_KEYS)})


def flags_markdown(as_of: date, items: list[ObjectiveRow]) -> str:
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
