"""The report's fast paths give exactly what the slow, obvious way gives (issue 9)."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sendplan import render, safetext

_SCHEME_SLOW = re.compile(r"\b(javascript|vbscript|livescript|data|file)(\s*):", re.IGNORECASE)

# Characters that matter to Markdown, to URLs and to the fast paths, and some that do not.
_ALPHABET = st.sampled_from(
    [
        *"aZé1 .,:;-+*_`[]()<>&!#=~|\\\"'\n\r\t\x00\x0b\x0c\u00a0\u2028\u3000ß",
        *("javascript:", "http://x.org/a", "1. ", "- ", "> ", "    ", "&amp;", "**b**", "[a](b)"),
    ]
)
_TEXTS = st.lists(_ALPHABET, max_size=16).map("".join)


def _markdown_it(text: str) -> str:
    return render._note_renderer().render(text)  # type: ignore[no-any-return]


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(st.one_of(_TEXTS, st.text(max_size=30)))
@example('Mapping complete; 58.5% within 20 weeks, up from 4% ("Dec") - see below.')
@example("Plan agreed   with  partners")
@example("a\u00a0")
@example("a\u2028b")
@example("Sign-off by 31 March: javascript: no")
def test_plain_note_fast_path_renders_what_markdown_it_renders(text: str) -> None:
    render._markdown_html.cache_clear()
    assert render._markdown_html(text) == _markdown_it(text)


def test_typical_notes_take_the_fast_path() -> None:
    for note in ("Mapping under way.", "Pathway not agreed; 58.5% in May", 'Über 20 "weeks"'):
        assert render._PLAIN_NOTE.fullmatch(note)
    for note in ("Mapping **complete**.", "1. First", "- item", "a\nb", "Q&A", "see <x>", " a"):
        assert not render._PLAIN_NOTE.fullmatch(note)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_defang_schemes_without_a_colon_is_the_identity(text: str) -> None:
    expected = _SCHEME_SLOW.sub(lambda m: m.group(1) + m.group(2) + "&#58;", text)
    assert safetext.defang_schemes(text, "&#58;") == expected


def test_url_check_rejects_exactly_whitespace_and_c0_controls() -> None:
    def slow(url: str) -> bool:
        return not any(ch.isspace() or ord(ch) < 32 for ch in url)

    for code in [*range(0x3100), *range(0xFE00, 0x10000), sys.maxunicode]:  # all spaces
        url = f"https://example.org/{chr(code)}"
        assert safetext.is_http_url(url) == slow(url), hex(code)
    assert safetext.is_http_url("HTTPS://example.org/a")
    assert not safetext.is_http_url("javascript:alert(1)")
    assert not safetext.is_http_url(None)
    assert not safetext.is_http_url("")
