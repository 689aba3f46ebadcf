"""A strict link checker for the archive site, in the standard library's HTML parser.

Every `href` must be an http(s) link out (evidence), or relative and resolve to a file inside
the site folder, with its fragment (when it has one) an `id` on that page. Nothing may be
loaded from anywhere: no `src`, no `<link>`, no `<script>`, no `url(` in styles, no `<base>`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    hrefs: list[tuple[int, str]] = field(default_factory=list)
    """(line, href) of every link."""
    loads: list[tuple[int, str]] = field(default_factory=list)
    """(line, what) of anything that would make the browser fetch or run something."""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        if tag in ("script", "base", "link", "iframe", "object", "embed", "img", "form"):
            self.page.loads.append((line, f"<{tag}>"))
        for name, value in attrs:
            if name in ("src", "srcset", "poster", "data", "action", "formaction", "ping"):
                self.page.loads.append((line, f"{name}={value}"))
            if name.startswith("on"):
                self.page.loads.append((line, f"{name}= (an event handler)"))
            if name == "style" and value and "url(" in value:
                self.page.loads.append((line, "url( in a style attribute"))
        if "href" in values and tag in ("a", "area"):
            self.page.hrefs.append((line, values["href"] or ""))

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style" and "url(" in data:
            self.page.loads.append((self.getpos()[0], "url( in a <style>"))


def parse_page(path: Path) -> PageLinks:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def check_site(folder: Path) -> tuple[list[str], int]:
    """Every problem found, as `page:line: what`, and how many internal links were checked."""
    pages = {
        p.relative_to(folder).as_posix(): parse_page(p) for p in sorted(folder.rglob("*.html"))
    }
    problems = []
    checked = 0
    for name, page in pages.items():
        for line, what in page.loads:
            problems.append(f"{name}:{line}: loads or runs something: {what}")
        for line, href in page.hrefs:
            where = f"{name}:{line}: href={href!r}"
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.netloc:
                continue  # a link out to an evidence item: not part of the site
            if parts.scheme or parts.netloc or href.startswith("/"):
                problems.append(f"{where}: not relative")
                continue
            checked += 1
            target = name
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
                if target.startswith("../") or target == "..":
                    problems.append(f"{where}: leaves the site folder")
                    continue
                if target not in pages:
                    problems.append(f"{where}: no such page {target}")
                    continue
            fragment = unquote(parts.fragment)
            if fragment and fragment not in pages[target].ids:
                problems.append(f"{where}: {target} has no id {fragment!r}")
    return problems, checked


def reachable(folder: Path, start: str = "index.html") -> set[str]:
    """Every page reached from `start` by following the site's own links."""
    seen = {start}
    todo = [start]
    while todo:
        name = todo.pop()
        for _, href in parse_page(folder / name).hrefs:
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
            if target not in seen and (folder / target).is_file():
                seen.add(target)
                todo.append(target)
    return seen


class _Tables(HTMLParser):
    """The text of every cell of every table, by the id of the table's caption."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = dict(attrs).get("id") or ""
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption or ""] = self._rows
            self._rows = self._caption = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Caption id -> rows -> cell texts (whitespace collapsed), header row included."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser.tables
