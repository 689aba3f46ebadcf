"""A long HTML report cut into parts that WeasyPrint can lay out one at a time.

The body is read as one flow of *units*: block elements (a heading, a paragraph, a list) and
the rows of tables, each inside its chain of containers (main, section, table, tbody ...).
A part is the document's <head> and a run of units, inside shallow clones of their
containers; a table continued from an earlier part repeats its <colgroup>, <thead> and
<tfoot> (as every page of a long table does) but not its <caption>.

WeasyPrint's memory and time grow with the whole document it lays out; a part is small. The
page where a part ends is laid out again at the start of the next part (sendplan.pdf), so the
pages come out as one continuous layout gives them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Containers a part may cut between their children. Anything else is kept whole.
BLOCKS = frozenset({"body", "main", "section", "article", "div", "nav", "aside"})
# Children of a table that belong to every part that holds some of its rows.
REPEATED = ("colgroup", "thead", "tfoot")
_TABLE_ORDER = {"caption": 0, "colgroup": 1, "thead": 2, "tfoot": 4}
CONTINUED = "data-sendplan-continued"  # a container begun in an earlier part
TOP = "data-sendplan-top"  # first on a page after an unforced break: no top margin
IDENTIFIER = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")  # a CSS name, e.g. of a named string

# The parts' stylesheet for those marks: the start of a part looks like the top of a page
# that a break reached (margins truncated, a continued box sliced), not like a document's top.
PART_CSS = (
    f"[{CONTINUED}] {{ margin-top: 0 !important; padding-top: 0 !important; "
    "border-top-width: 0 !important; }\n"
    f"[{TOP}] {{ margin-top: 0 !important; }}\n"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One block or row of the flow, with its containers (outermost first, <body> left out)."""

    chain: tuple[ET.Element, ...]
    element: ET.Element
    weight: int


def weight(element: ET.Element) -> int:
    """About how much laying out an element costs: its elements, and its text by lines."""
    total = 0
    for node in element.iter():
        total += 1 + (len(node.text or "") + len(node.tail or "")) // 80
    return total


def _has_text(element: ET.Element) -> bool:
    """Text of the element itself, not inside a child: cutting between children would lose it."""
    return bool((element.text or "").strip()) or any((c.tail or "").strip() for c in element)


class Flow:
    """The units of an HTML document (a tinyhtml5 tree), and the parts made from them."""

    def __init__(self, root: ET.Element, part_weight: int) -> None:
        head, body = root.find("head"), root.find("body")
        if head is None or body is None:  # tinyhtml5 always makes both
            raise ValueError("not an HTML document")
        self.root, self.head, self.body = root, head, body
        # Text of the body's own (outside any element) would be lost between parts.
        self.splittable = not _has_text(body)
        self.units = list(self._cut(body, (), max(part_weight // 8, 1)))
        self.index = {id(unit.element): n for n, unit in enumerate(self.units)}
        self._first_unit: dict[int, int] = {}  # id(container) -> index of its first unit
        for n, unit in enumerate(self.units):
            for container in unit.chain:
                self._first_unit.setdefault(id(container), n)
        self.total_weight = sum(u.weight for u in self.units)

    def _cut(self, parent: ET.Element, chain: tuple[ET.Element, ...], limit: int) -> Iterator[Unit]:
        for child in parent:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                continue
            cost = weight(child)
            inner = (*chain, child)
            if cost <= limit or _has_text(child):
                yield Unit(chain, child, cost)
            elif child.tag in BLOCKS:
                yield from self._cut(child, inner, limit)
            elif child.tag == "table":
                for part in child:
                    if part.tag == "tbody" and not _has_text(part):
                        for row in part:
                            if isinstance(row.tag, str):
                                yield Unit((*inner, part), row, weight(row))
                    elif isinstance(part.tag, str) and part.tag not in REPEATED:
                        yield Unit(inner, part, weight(part))  # a caption, or a row of its own
            else:
                yield Unit(chain, child, cost)

    def end_of_part(self, start: int, part_weight: int) -> int:
        """The index after the last unit of a part that begins at `start`."""
        end, total = start + 1, self.units[start].weight
        while end < len(self.units) and total + self.units[end].weight <= part_weight:
            total += self.units[end].weight
            end += 1
        return end

    def head_with(self, css: str) -> ET.Element:
        """The document's head with one more stylesheet, last (it wins over the document's)."""
        head = _shallow(self.head)
        head.extend(self.head)
        ET.SubElement(head, "style").text = css
        return head

    def document(self, head: ET.Element) -> ET.Element:
        """The whole document, with this head."""
        html = _shallow(self.root)
        html.extend((head, self.body))
        return html

    @contextmanager
    def part(self, start: int, end: int, head: ET.Element, *, top: bool) -> Iterator[ET.Element]:
        """A document of the units [start, end) in their containers, with this head.

        `top`: the part begins where a page broke (after an unforced break), not where a
        document begins. Units are the document's own elements, shared by every part that
        holds them, so the mark on the first one is taken off again afterwards.
        """
        root, opening = self._part(start, end, head)
        first = self.units[start].element
        if top:
            for element in (*opening, first):
                element.set(TOP, "")
        try:
            yield root
        finally:
            first.attrib.pop(TOP, None)

    def _part(self, start: int, end: int, head: ET.Element) -> tuple[ET.Element, list[ET.Element]]:
        """The part's document, and the clones of containers that its first unit opens."""
        html = _shallow(self.root)
        html.append(head)
        body = _shallow(self.body)
        html.append(body)
        opened: list[tuple[ET.Element, ET.Element]] = []  # (container, its clone here)
        tables: list[ET.Element] = []
        opening: list[ET.Element] = []
        for index in range(start, end):
            unit = self.units[index]
            depth = 0
            while (
                depth < len(opened)
                and depth < len(unit.chain)
                and opened[depth][0] is unit.chain[depth]
            ):
                depth += 1
            del opened[depth:]
            parent = opened[-1][1] if opened else body
            for container in unit.chain[depth:]:
                clone = _shallow(container)
                if self._first_unit[id(container)] < start:
                    clone.set(CONTINUED, "")
                elif index == start:
                    opening.append(clone)
                if container.tag == "table":
                    clone.extend(c for c in container if c.tag in REPEATED)
                    tables.append(clone)
                parent.append(clone)
                opened.append((container, clone))
                parent = clone
            parent.append(unit.element)
        for table in tables:  # the caption first, then the column groups and the header
            table[:] = sorted(table, key=lambda c: _TABLE_ORDER.get(str(c.tag), 3))
        return html, opening


def _shallow(element: ET.Element) -> ET.Element:
    return ET.Element(element.tag, dict(element.attrib))
