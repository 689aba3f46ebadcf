"""Personal data in plan text: NHS numbers, UPNs, personal emails, dates of birth.

`scan()` runs on the raw text of every plan file (YAML, front matter, Markdown bodies and
comments alike) inside a pre-commit hook, so it is a few compiled regular expressions over the
whole text, each behind a cheap prefilter; per-line work happens only around a match.
What counts (README "Security and privacy" says the same for users):

- NHS number: 10 digits passing the modulus-11 check. Written in 3-3-4 groups (a space,
  hyphen or no-break space after the third digit, the sixth, or both) it is always reported; as
  a bare run of 10 digits only when "NHS" stands as a word on the same line or the line before,
  and the run is not part of a web address or path (9% of random 10-digit runs pass the check).
- Unique Pupil Number: a letter and 12 digits whose letter is the DfE check letter.
- Email address of an individual: any address at a webmail provider, or a local part shaped
  like first.last (two or three name-like parts joined by `.` or `_`) without a role word such
  as send, team or enquiries in it.
- Date of birth: a date with a day and a month within 30 characters after "DOB", "date of
  birth", "birth date" or "born" on the same line (not "born after/before/between/since/from/
  until", a cohort), or just before "DOB".

Each rule is also applied to the text as a reader sees it (`reader_text`): HTML entities
decoded, tags and Markdown link targets dropped, invisible characters (zero-width spaces,
word joiners, BOMs, soft hyphens) removed, every kind of decimal digit read as 0-9. There the
separators of an NHS number's groups are any run of up to 8 characters that are not letters or
digits (every Unicode space, tab, dash, dot, slash, Markdown emphasis, a line break from YAML
folding or a Markdown paragraph). `scan` looks at both; `scan_value` at a parsed YAML string
(after escapes), for what only the parser sees.

A line ending in `# sendplan: allow personal-data` (or `<!-- sendplan: allow personal-data -->`
in Markdown) is exempt. Messages never contain the matched text: CI logs are not private.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_ALLOW = re.compile(
    r"(?:#|<!--)[ \t]*sendplan:[ \t]*allow[ \t]+personal-data[ \t]*(?:-->)?[ \t]*\r?$"
)
_ADVICE = (
    "remove it (a plan must not hold a child's personal data), or end the line with "
    "`# sendplan: allow personal-data` if it is not personal data"
)

# --- NHS numbers and UPNs: one pass over runs of digits ---------------------------------------
_SEP = "[ \\-\u00a0]"
_NUMBER = re.compile(
    rf"(?<![0-9])[0-9]{{3}}(?:(?P<s1>{_SEP}?)[0-9]{{3}}(?P<s2>{_SEP}?)[0-9]{{4}}|[0-9]{{9}})(?![0-9])"
)
# In the reader's text: the same 3-3-4 shape with any run of non-alphanumeric characters
# between the groups, a line break included (YAML folding, a Markdown paragraph).
_WIDE_SEP = r"(?:[^\w\n]|_){0,8}(?:\n[ \t]*(?:[^\w\n]|_){0,8})?"  # one line break, any indent
_WIDE_NUMBER = re.compile(
    rf"(?<![0-9])[0-9]{{3}}(?P<s1>{_WIDE_SEP})[0-9]{{3}}(?P<s2>{_WIDE_SEP})[0-9]{{4}}(?![0-9])"
)
# Its shape in `_shape` bytes (digits `#`, letters a-z): the prefilter that keeps it fast.
_SHAPE_SEP = rb"[^#a-z0-9\n]{0,8}(?:\n[ \t]*[^#a-z0-9\n]{0,8})?"
_WIDE_NEEDLE = re.compile(rb"#(?<!##)##" + _SHAPE_SEP + rb"###" + _SHAPE_SEP + rb"####(?!#)")
_NON_DIGIT = re.compile(r"[^0-9]")
# What a reader does not see: format characters inside a number hide nothing from the eye.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_TAG = re.compile(r"<[^<>\n]{0,300}>")  # HTML tags and autolinks: the reader sees what is between
_LINK_TARGET = re.compile(r"\]\([^()\n]{0,300}\)")  # [text](target): the reader sees the text
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_ANY_DIGIT = re.compile(r"[^\x00-\x7f]")
_NHS_LABEL = re.compile(r"(?<![\w.])nhs(?![\w.])", re.IGNORECASE)
_UPN = re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{12}(?![0-9])")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

# --- emails -------------------------------------------------------------------------------------
_DOMAIN = re.compile(r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})\b")
_LOCAL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}\Z")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WEBMAIL = _words(
    "gmail googlemail hotmail outlook live msn windowslive yahoo ymail rocketmail icloud me mac "
    "aol btinternet btopenworld sky virginmedia ntlworld blueyonder talktalk tiscali "
    "protonmail proton pm gmx mail zoho yandex fastmail hey tutanota tuta"
)
_UK_SECOND_LEVEL = _words("co org gov ac nhs net ltd plc sch police me mod")
_NAME_PART = re.compile(r"[a-z][a-z'-]*[0-9]{0,4}\Z")
# Words that make an address a role or team mailbox rather than a person's.
_ROLE_WORDS = _words(
    """
    send sen senco sencos ehcp ehcps ehc sendiass iass info information enquiries enquiry admin
    administration office contact contacts team teams hello help helpdesk support service
    services duty referral referrals hub mailbox inbox noreply no-reply donotreply do-not-reply
    reception parent parents carer carers family families feedback complaints complaint foi dpo
    data privacy safeguarding mash admissions finance hr it ict comms communications press
    media news board partnership programme program project projects pmo performance quality
    governance local offer localoffer transport inclusion education health social care
    children childrens youth young people school schools early years earlyyears post16
    transitions transition improvement assurance plan plans secretary secretariat business
    general group groups unit panel panels commissioning commissioners commissioner
    casework caseworkers caseworker specialist advice advisory assessment assessments review
    reviews tribunal tribunals mediation mediations council county district borough city icb
    nhs ccg trust director directorate strategy policy research insight intelligence
    analytics statistics stats clerk clerks committee committees democratic democracy
    scrutiny members member events event training learning office365 webmaster postmaster
    abuse security reply replies no short breaks respite portage camhs autism therapy
    therapies outreach travel appeals appeal virtual sendco ehcphub sendteam
    """
)

# --- dates of birth -----------------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?[ \t]+[0-9]{4}(?![0-9]))?"  # a written-out date's year, redacted with it
_DATE = (
    r"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|[0-9]{4}[/\-][0-9]{1,2}[/\-][0-9]{1,2}(?![0-9])"
    rf"|{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH}{_YEAR}(?![a-z])"
    rf"|{_MONTH}[ \t]+{_DAY}{_YEAR}(?![0-9a-z]))"
)
_DOB_WORD = r"(?:d\.?o\.?b\b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|born)"
_DOB_BEFORE = re.compile(
    rf"\b(?P<word>{_DOB_WORD})(?P<gap>[^\n0-9]{{0,30}}?)(?<![0-9a-z])(?P<date>{_DATE})",
    re.IGNORECASE,
)
_DOB_AFTER = re.compile(
    rf"(?<![0-9a-z])(?P<date>{_DATE})[^\n0-9a-z]{{0,4}}(?:d\.?o\.?b)\b", re.IGNORECASE
)
_COHORT = re.compile(r"\b(?:after|before|between|since|from|until|or)\b", re.IGNORECASE)

# Prefilters: `_shape()` bytes that every match must contain (`#` a digit, `_` a space or hyphen).
_NUMBER_NEEDLES = (b"###_###", b"##########")
_DOB_NEEDLES = (b"dob", b"d.o.b", b"birth", b"born")
_SHAPE_TABLE = bytes(
    ord("#") if chr(b).isdigit() else ord("_") if chr(b) in " -" else ord(chr(b).lower())
    for b in range(128)
) + bytes(range(128, 256))

_MESSAGES = {
    "nhs": "possible NHS number (10 digits passing the NHS check digit)",
    "upn": "possible Unique Pupil Number (a letter and 12 digits passing the UPN check letter)",
    "webmail": "possible personal email address (at a webmail provider)",
    "name": "possible personal email address (shaped like firstname.lastname@)",
    "dob": "possible date of birth",
}


def nhs_number_valid(digits: str) -> bool:
    """Whether 10 digits pass the NHS number modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits, _NHS_WEIGHTS, strict=False)) % 11
    if check == 10:
        return False
    return (0 if check == 11 else check) == int(digits[9])


def upn_check_letter(digits: str) -> str:
    """The DfE check letter of a UPN's other 12 characters (digits only)."""
    total = sum(int(d) * position for position, d in enumerate(digits, start=2))
    return _UPN_LETTERS[total % 23]


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _shape(text: str) -> bytes:
    """One byte per character: digits as `#`, space and hyphen as `_`, ASCII letters lower-cased.

    Searching these bytes for a few fixed needles is what keeps `scan` fast: Python's regular
    expressions manage about 50 MB/s over text full of dates, `bytes.find` several GB/s.
    """
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")  # a no-break space separates digit groups too
    return text.encode("ascii", "replace").translate(_SHAPE_TABLE)


def _entity(match: re.Match[str]) -> str:
    import html  # only for text with an entity in it

    decoded = html.unescape(match.group())
    return decoded.replace("\n", " ").replace("\r", " ")  # the same lines as the text


def _ascii_digit(match: re.Match[str]) -> str:
    import unicodedata

    char = match.group()
    return str(unicodedata.decimal(char, "")) or char


_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit of another script (\d is Unicode);
# one character class, not a look-ahead at every character: 3.5x faster over a plan's text


def reader_text(text: str) -> str:
    """`text` as a reader of the report or the Markdown sees it: HTML entities decoded, tags
    and link targets dropped, invisible characters removed, every decimal digit as 0-9.

    Line for line the same as `text` (a decoded line break is a space), so a line number in
    one is a line number in the other. Costs nothing when there is nothing to undo.
    """
    # Each substitution only when it has something to do: the text itself comes back then,
    # and `reader is text` tells the scan that nothing changed (the common case).
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(_entity, text)
    if "<" in text and _TAG.search(text):
        text = _TAG.sub("", text)
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if not text.isascii():
        if _INVISIBLE.search(text):
            text = _INVISIBLE.sub("", text)
        if _OTHER_DIGIT.search(text):
            text = _OTHER_DIGIT.sub(_ascii_digit, text)
    return text


def _lines_with(shape: bytes, needles: tuple[bytes, ...]) -> list[tuple[int, int]]:
    """(start, end) of every line of the text that contains one of the needles."""
    found: set[tuple[int, int]] = set()
    for needle in needles:
        at = shape.find(needle)
        while at >= 0:
            line_start = shape.rfind(b"\n", 0, at) + 1
            line_end = shape.find(b"\n", at)
            line_end = len(shape) if line_end < 0 else line_end
            found.add((line_start, line_end))
            at = shape.find(needle, line_end)
    return sorted(found)


def _numbers(
    text: str, start: int, end: int, pattern: re.Pattern[str] = _NUMBER
) -> Iterator[tuple[int, str]]:
    for m in pattern.finditer(text, start, end):
        first, last = m.span()
        if m.group("s1") is None:  # 12 digits: a UPN when its check letter stands just before
            letter = text[first - 1] if first else ""
            before = text[first - 2] if first >= 2 else ""
            if letter and upn_check_letter(m.group()) == letter and not before.isalnum():
                yield first - 1, "upn"
            continue
        digits = _NON_DIGIT.sub("", m.group())
        if not nhs_number_valid(digits):
            continue
        if m.group("s1") or m.group("s2"):
            yield first, "nhs"
            continue
        line_start, line_end = _line_around(text, first, last)
        token_start = max(
            text.rfind(" ", line_start, first), text.rfind("\t", line_start, first), line_start - 1
        )
        if any(c in text[token_start + 1 : first] for c in "/=?"):
            continue  # part of a web address or a path, not a number someone typed
        previous = text.rfind("\n", 0, line_start - 1) + 1 if line_start else 0
        if _NHS_LABEL.search(text, previous, line_end):
            yield first, "nhs"


@functools.lru_cache(maxsize=4096)  # the same team mailboxes recur in file after file
def _email_kind(local: str, domain: str) -> str | None:
    labels = domain.lower().split(".")
    name = labels[-2]
    if len(labels) >= 3 and labels[-1] == "uk" and name in _UK_SECOND_LEVEL:
        name = labels[-3]
    if name in _WEBMAIL:
        return "webmail"
    parts = re.split(r"[._]", local.lower())
    if not 2 <= len(parts) <= 3 or any(not _NAME_PART.match(p) for p in parts):
        return None
    words = {w for p in parts for w in p.split("-")} | set(parts)
    if words & _ROLE_WORDS:
        return None
    return "name"


def _emails(text: str) -> Iterator[tuple[int, str]]:
    for m in _DOMAIN.finditer(text):
        at = m.start()
        local = _LOCAL.search(text, max(0, at - 64), at)
        if local is None:
            continue
        part = local.group().strip(".'-")
        kind = _email_kind(part, m.group(1)) if part else None
        if kind is not None:
            yield local.start(), kind


def _dates_of_birth(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    for m in _DOB_BEFORE.finditer(text, start, end):
        if m.group("word").lower() == "born" and _COHORT.search(m.group("gap")):
            continue
        yield m.start("date"), "dob"
    for m in _DOB_AFTER.finditer(text, start, end):
        yield m.start("date"), "dob"


def _raw_hits(text: str, shape: bytes | None = None) -> list[tuple[int, str]]:
    """(offset, kind) of each match in the text as written, behind the byte prefilters."""
    shape = _shape(text) if shape is None else shape
    hits: list[tuple[int, str]] = []
    for start, end in _lines_with(shape, _NUMBER_NEEDLES):
        hits.extend(_numbers(text, start, end))
    if "@" in text:
        hits.extend(_emails(text))
    for start, end in _lines_with(shape, _DOB_NEEDLES):
        hits.extend(_dates_of_birth(text, start, end))
    return hits


def _wide_numbers(text: str, shape: bytes) -> Iterator[tuple[int, str]]:
    """NHS numbers with any separators: `_WIDE_NUMBER` run only where its shape matches in
    the `_shape` bytes (Python's regular expressions manage 6 MB/s over text full of dates,
    70 MB/s over those bytes)."""
    for m in _WIDE_NEEDLE.finditer(shape):
        yield from _numbers(text, m.start(), m.end(), _WIDE_NUMBER)


def _reader_hits(text: str, reader: str, shape: bytes) -> list[tuple[int, str]]:
    """(offset in `reader`, kind) of what the reader's text of `text` shows: numbers with any
    separators, and (when decoding changed the text) everything `_raw_hits` finds in it.
    `shape` is `_shape(text)`."""
    if reader is text:
        return list(_wide_numbers(text, shape))
    shape = _shape(reader)
    return [*_wide_numbers(reader, shape), *_raw_hits(reader, shape)]


def _invisible_separators(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, "nhs") of numbers whose groups an invisible character separates
    (`943<U+FEFF>476...`): removed, as `reader_text` does, they would leave a bare run of 10
    digits, which needs an "NHS" label; nobody types one into a budget figure."""
    if text.isascii() or not _INVISIBLE.search(text):
        return []
    spaced = _INVISIBLE.sub(" ", text)  # the same length: offsets hold
    return [hit for hit in _wide_numbers(spaced, _shape(spaced)) if hit[1] == "nhs"]


def _placed(text: str, hits: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    placed: list[tuple[int, int, str]] = []
    line, line_start = 1, 0
    for offset, kind in sorted(hits):
        line += text.count("\n", line_start, offset)
        line_start = text.rfind("\n", 0, offset) + 1
        placed.append((line, offset - line_start + 1, kind))
    return placed


def scan(text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) for each likely piece of personal data in `text`.

    Lines and columns are 1-based; at most one finding of each kind per line. The message says
    what was found, never the text itself. What is found only in the reader's text
    (`reader_text`) is placed at its line there, which is the same line in `text`.
    """
    reader = reader_text(text)
    shape = _shape(text)
    raw = _raw_hits(text, shape) + _invisible_separators(text)
    wide = _reader_hits(text, reader, shape)
    if not raw and not wide:
        return []
    placed = _placed(text, raw) + _placed(reader, wide)
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    seen: set[tuple[int, str]] = set()
    for line, column, kind in sorted(placed):
        if (line, kind) in seen:
            continue
        seen.add((line, kind))
        if not _ALLOW.search(lines[line - 1]):
            found.append((line, column, f"{_MESSAGES[kind]}: {_ADVICE}"))
    return found


def allowed(line: str) -> bool:
    """Whether a line ends with the exemption comment."""
    return _ALLOW.search(line) is not None


def message_for(kind: str) -> str:
    """The message of a `personal-data` finding of `kind` (nhs, upn, webmail, name, dob)."""
    return f"{_MESSAGES[kind]}: {_ADVICE}"


def value_kinds(value: str) -> list[str]:
    """What kinds of personal data a parsed string holds, read as a reader sees it (an "NHS"
    label counts anywhere in the string)."""
    reader = reader_text(value)
    shape = _shape(reader)
    hits = [*_invisible_separators(value), *_raw_hits(reader, shape)]
    hits += _wide_numbers(reader, shape)
    return sorted({kind for _, kind in hits})


def redact(message: str) -> str:
    """`message` with each likely piece of personal data in it replaced by `[redacted]`.

    For the findings of other checks that quote a value (a bad date, an unknown key, an ID),
    and for every plan value the scan flagged: personal data typed into the wrong place must
    not reach the output either. Wider than `scan`, since a message has no "NHS" label to go
    by: any 10 digits passing the NHS check go, with any separators. Matching is on the
    reader's text (`reader_text`); when something is redacted, that text is what is returned.
    """
    if "@" not in message and not any(c.isdigit() for c in message) and "&#" not in message:
        return message
    text = reader_text(message)
    spans: list[tuple[int, int]] = []
    for m in _WIDE_NUMBER.finditer(text):
        if nhs_number_valid(_NON_DIGIT.sub("", m.group())):
            spans.append(m.span())
    for m in _UPN.finditer(text):
        first = m.start() + 1
        if upn_check_letter(text[first : m.end()]) == text[m.start()]:
            spans.append(m.span())
    for m in _DOMAIN.finditer(text):
        local = _LOCAL.search(text, max(0, m.start() - 64), m.start())
        if local and _email_kind(local.group().strip(".'-") or "-", m.group(1)):
            spans.append((local.start(), m.end()))
    for pattern in (_DOB_BEFORE, _DOB_AFTER):
        spans.extend(m.span("date") for m in pattern.finditer(text))
    if not spans:
        return message
    pieces: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if end <= done:
            continue
        pieces.append(text[done : max(start, done)] + "[redacted]")
        done = end
    return "".join(pieces) + text[done:]


def redact_flagged(value: str) -> str:
    """A plan value the scan flagged, for every output: what `redact` finds replaced, or, when
    it finds nothing (the flag came from a label or a date-of-birth word elsewhere on the
    line), the whole value."""
    redacted = redact(value)
    return redacted if redacted != value else REDACTED


REDACTED = "[redacted]"
