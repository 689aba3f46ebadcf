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
# A script-capable URL scheme written in plan text: shown, but never as "javascript:" in output
# bytes, so nothing downstream (a sanitiser, a grep, a careless template) can take it for a URL.
_SCHEME = re.compile(r"\b(javascript|vbscript|livescript|data|file)(\s*):", re.IGNORECASE)


def defang_schemes(text: str, colon: str) -> str:
    """`javascript:` -> `javascript` + `colon` (an entity in HTML, an escape in Markdown)."""
    return _SCHEME.sub(lambda m: m.group(1) + m.group(2) + colon, text)


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
    return defang_schemes(_MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text.strip())), "\\:")


def md_note(value: object) -> str:
    """A note for a GFM table cell: emphasis and code kept, HTML and links shown as text."""
    text = "" if value is None else str(value)
    return defang_schemes(_MD_NOTE_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text.strip())), "\\:")


def md_url(url: str) -> str:
    """An http(s) address safe inside `[text](...)`."""
    return quote(url, safe="/:?#&=%+@;,!$*'~.-_")
