"""Plan text on its way out: the one place that makes it safe for each kind of output.

A plan repository is untrusted (SPEC §6): a value, a file name or a commit message may hold a
terminal escape (ESC, CSI), a carriage return that overwrites a line, a bidi override that
reorders what a reviewer reads ("Trojan Source"), Markdown or HTML that would become a link,
a spreadsheet formula. Every command's output goes through one of these:

- terminal and CI log lines: `terminal()` (every control and bidi character as `\\x1b`),
  `terminal_lines()` for a message of several lines;
- JSON: `json_document()` (C1, bidi and line-separator characters as `\\uXXXX` too, and
  never `Infinity` or `NaN`);
- Markdown: `md_cell()`, `md_note()`, `md_url()`;
- HTML: `html_value()` for every `{{ value }}`;
- whole Markdown or HTML documents and CSV cells: `document_text()`, `csv_cell()`;
- GitHub workflow annotations: `github_data()`, `github_property()`.

Personal data is not redacted here but earlier, once, as plan files are loaded
(`privacy.py`), so no output can forget it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

# Characters that must not reach a terminal or a CI log raw: C0/C1 controls (ESC starts a
# terminal escape sequence; C1 0x9b does too), DEL, the line and paragraph separators, and the
# bidi controls of "Trojan Source" (embeddings, overrides, isolates and the LRM/RLM marks).
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_TERMINAL_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
# In a document (Markdown, HTML, CSV) tab and newline are text; everything else above is not.
_DOCUMENT_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
# json.dumps escapes C0 controls itself; these it leaves raw.
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}]")


def _escape_code(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]  # `\x1b`, `\u202e`, `\n`


def terminal(text: object) -> str:
    """`text` for one line of a terminal or a CI log: each control or bidi character (newline
    and tab included) written as an escape such as `\\x1b`."""
    value = "" if text is None else str(text)
    return _TERMINAL_UNSAFE.sub(_escape_code, value)


def terminal_lines(text: str) -> str:
    """Several lines for a terminal: each line as `terminal()` writes it."""
    return "\n".join(terminal(line) for line in text.split("\n"))


def document_text(text: str) -> str:
    """Markdown, HTML or CSV text with every control and bidi character but tab and newline
    written as an escape: a report printed to a terminal cannot drive it either."""
    if text.isascii() and text.isprintable():
        return text
    return _DOCUMENT_UNSAFE.sub(_escape_code, text)


def json_document(document: object) -> str:
    """`document` as indented JSON (UTF-8 text, not \\u escapes), safe to print.

    Non-finite numbers are refused (ValueError): the loader keeps them out of every model,
    so one reaching here is a bug, and JSON has no `Infinity`.
    """
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)
    # Chunk by chunk into one buffer: json.dumps joins a list of every chunk (6 million for
    # 178,000 findings: 250 MB) before it makes the text.
    buffer = io.StringIO()
    for chunk in encoder.iterencode(document):
        buffer.write(chunk)
    text = buffer.getvalue()
    if text.isascii():
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --- Markdown -------------------------------------------------------------------------------

# Characters that start inline Markdown (or a GitHub mention, issue link or math) in a cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]!<>&~|$@#])")
# Notes keep emphasis and code spans; links, HTML, entities and cell breaks are neutralised.
_MD_NOTE_SPECIAL = re.compile(r"([\\\[\]<>&|$@])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
# A script-capable URL scheme written in plan text: shown, but never as "javascript:" in output
# bytes, so nothing downstream (a sanitiser, a grep, a careless template) can take it for a URL.
_SCHEME = re.compile(r"\b(javascript|vbscript|livescript|data|file)(\s*):", re.IGNORECASE)
# What str.isspace() calls whitespace (re's Unicode \s is the same set), and C0 controls.
_URL_BREAK = re.compile(r"[\s\x00-\x1f]")


def defang_schemes(text: str, colon: str) -> str:
    """`javascript:` -> `javascript` + `colon` (an entity in HTML, an escape in Markdown)."""
    if ":" not in text:  # the common case, and every scheme needs its colon
        return text
    return _SCHEME.sub(lambda m: m.group(1) + m.group(2) + colon, text)


def is_http_url(url: str | None) -> bool:
    """Only http(s) addresses become links, in every format."""
    return bool(url) and bool(_SAFE_URL.match(url or "")) and not _URL_BREAK.search(url or "")


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    return document_text(_NEWLINES.sub(" ", text.strip()))


def md_cell(value: object) -> str:
    """Plain text for a GFM table cell or heading: shows literally, never breaks the row."""
    return defang_schemes(_MD_SPECIAL.sub(r"\\\1", _one_line(value)), "\\:")


def md_note(value: object) -> str:
    """A note for a GFM table cell: emphasis and code kept, HTML and links shown as text."""
    return defang_schemes(_MD_NOTE_SPECIAL.sub(r"\\\1", _one_line(value)), "\\:")


def md_url(url: str) -> str:
    """An http(s) address safe inside `[text](...)`."""
    from urllib.parse import quote  # 10 ms at start-up, for `validate` that never needs it

    return quote(url, safe="/:?#&=%+@;,!$*'~.-_")


# --- HTML -----------------------------------------------------------------------------------


def html_value() -> Callable[[object, bool], object]:
    """The function every `{{ value }}` of an HTML template goes through: it escapes (when
    autoescape will not) and defangs script-capable schemes. Controls are made visible in the
    whole page after (`document_text`). A factory, so that `validate` never imports markupsafe.
    """
    from markupsafe import Markup, escape

    def value_for_html(value: object, autoescape: bool = True) -> object:
        if not isinstance(value, str) or isinstance(value, Markup):
            return value
        if ":" not in value:
            # The common case: autoescape escapes it next; escaping here too cost a second copy.
            return value if autoescape else escape(value)
        return Markup(defang_schemes(escape(value), "&#58;"))

    return value_for_html


# --- CSV ------------------------------------------------------------------------------------

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets: OWASP's list for CSV injection.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell: `'` before what a spreadsheet would run as a formula (CSV injection), and
    control and bidi characters visible."""
    text = "'" + text if text.startswith(_FORMULA_START) else text
    return document_text(text)


# --- GitHub workflow commands ---------------------------------------------------------------


def github_data(text: str) -> str:
    """The message of a `::error ...::MESSAGE` annotation: one line, nothing raw."""
    return terminal(text).replace("%", "%25")  # terminal() already wrote CR and LF as escapes


def github_property(text: str) -> str:
    """A property value (`file=...`, `title=...`) of an annotation."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
