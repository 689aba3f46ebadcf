"""Plan text inside Markdown output: shown literally, never breaking a table, never a link."""

from __future__ import annotations

import re
from urllib.parse import quote

# Characters that start inline Markdown (or a GitHub mention, issue link or math) in a cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]!<>&~|$@#])")
# Notes keep emphasis and code spans; links, HTML, entities and cell breaks are neutralised.
_MD_NOTE_SPECIAL = re.compile(r"([\\\[\]<>&|$@])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def is_http_url(url: str | None) -> bool:
    """Only http(s) addresses become links, in every format."""
    return (
        bool(url)
        and bool(_SAFE_URL.match(url or ""))
        and not any(ch.isspace() or ord(ch) < 32 for ch in url or "")
    )


def md_cell(value: object) -> str:
    """Plain text for a GFM table cell or heading: shows literally, never breaks the row."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text.strip()))


def md_note(value: object) -> str:
    """A note for a GFM table cell: emphasis and code kept, HTML and links shown as text."""
    text = "" if value is None else str(value)
    return _MD_NOTE_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text.strip()))


def md_url(url: str) -> str:
    """An http(s) address safe inside `[text](...)`."""
    return quote(url, safe="/:?#&=%+@;,!$*'~.-_")
