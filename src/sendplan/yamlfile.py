"""Parse one YAML or front-matter file once, with every YAML trap defused in this one module.

libyaml composes the node tree (keeping line and column for every node) and we build plain
values from it ourselves instead of running PyYAML's constructors. That one walk:

- types plain scalars the YAML 1.2 way: only true/false, null and decimal numbers; `no`, `on`,
  `010`, `1:30` and `2024-03-01` stay text (dates are parsed by `dates.py`), and a plain
  `yes`/`no`/`on`/`off` value is reported (`ambiguous-boolean`): other YAML tools read it as a
  boolean, so what the author meant is unclear;
- refuses aliases, so an alias bomb never expands (plan files have no need for anchors);
- refuses tags outside the core schema, so `!!python/...` is never constructed;
- caps nesting depth, and reports duplicate keys instead of letting the last one win;
- flags control characters and bidi overrides ("Trojan Source") inside values;
- turns YAML's traps for people writing text into what to do, with the line put right: a
  `: ` inside unquoted text, text starting with `- * & ! % @` or a backtick, and a ` #` that
  cut a value short by starting a comment (`comment-in-text`, a warning).

Line numbers are not kept with the data: findings that need one call `locate_all()`, which
parses the text again, once for all of a file's findings. Errors are rare, so the common path
stays as cheap as a bare `yaml.load`.
Editing YAML text (appending a rating, writing safe scalars) lives in `yamledit.py`.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sendplan import privacy

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64
BOM = b"\xef\xbb\xbf"
AMBIGUOUS_BOOLEAN = "ambiguous-boolean"
COMMENT_IN_TEXT = "comment-in-text"

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"
# Tags the resolver gives plain scalars; an explicit tag outside this set is refused.
_SCALAR_TAGS = frozenset(
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value")
)
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_MAYBE_TYPED = frozenset("tTfFnN~+-.0123456789")
# YAML 1.1 booleans that YAML 1.2 (and sendplan) read as text; true/false are the same in both.
_YAML11_BOOLEANS = frozenset(
    w for word in ("yes", "no", "on", "off") for w in (word, word.title(), word.upper())
)
# C0/C1 controls other than tab and newline, and the bidi overrides of "Trojan Source".
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)

YamlPath = Sequence[str | int]


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file's bytes or syntax: a finding without its path."""

    line: int
    column: int
    code: str
    message: str


@dataclass(frozen=True)
class Parsed:
    """Plain data (dicts, lists, str, int, float, bool, None) and the problems met on the way.

    `data` is None when the file could not be read as a whole.
    """

    data: object
    problems: list[Problem]
    tail: tuple[str, int] | None = None
    """(key, column) when the document is a mapping whose last value is a block list: the
    list `parse_extension` can tell was only appended to."""


class _Refused(Exception):
    def __init__(self, node: Node, message: str) -> None:
        self.node = node
        self.message = message


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text without a BOM, or a problem naming the first bad byte's offset."""
    skipped = len(BOM) if raw.startswith(BOM) else 0
    try:
        text = raw[skipped:].decode("utf-8")
    except UnicodeDecodeError as e:
        offset = e.start + skipped
        line = raw.count(b"\n", 0, offset) + 1
        return None, Problem(
            line,
            0,
            "encoding",
            f"not UTF-8: byte 0x{raw[offset]:02x} at offset {offset}; save the file as UTF-8",
        )
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        return None, Problem(line, 0, "encoding", f"binary content: NUL byte on line {line}")
    return text, None


# The structure before a line's text: indentation, list dashes, then a `key: ` if there is one.
_LINE_PREFIX = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[^\s#'\"{}\[\],&*!|>%@`-][^:#\n]*?:[ \t]+)?")
_TRAILING_COMMENT = re.compile(r"[ \t]{2,}#.*$")
# Characters that make YAML read unquoted text as something else when they start it.
_TEXT_STARTERS = "-*&!%@`"


def quoted_fix(text: str, index: int, keep_comment: bool = True) -> str:
    """The line holding offset `index` with its text from `index` on put in double quotes
    (and a trailing comment, two spaces after the text, left as a comment): the fix for text
    YAML reads as something else, as the line should be written."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    line = text[start : len(text) if end < 0 else end].rstrip("\r")
    value, comment = line[index - start :].rstrip(), ""
    if keep_comment and (found := _TRAILING_COMMENT.search(value)):
        value, comment = value[: found.start()], value[found.start() :]
    fixed = line[: index - start] + json.dumps(value, ensure_ascii=False) + comment
    return fixed.strip()


def _text_start(text: str, index: int) -> int:
    """Where the text holding offset `index` starts on its line: after the dashes and key."""
    start = text.rfind("\n", 0, index) + 1
    prefix = _LINE_PREFIX.match(text, start, index)
    return prefix.end() if prefix is not None else start


def _syntax_hint(reason: str, text: str, index: int) -> str:
    """What to do about a syntax error that is really text YAML read as something else."""
    if "mapping values are not allowed" in reason:
        at = _text_start(text, index)
        return (
            f'; a colon and a space (": ") in unquoted text start a key, so put the text in '
            f"quotes: {quoted_fix(text, at)}"
        )
    starter = text[index : index + 1]
    if starter not in _TEXT_STARTERS and index > 0 and text[index - 1] in "&*":
        index -= 1  # `& text`: the parser stops after the & or *
        starter = text[index]
    if starter and starter in _TEXT_STARTERS and _text_start(text, index) == index:
        return (
            f"; unquoted text cannot start with {starter}, so put the text in quotes: "
            f"{quoted_fix(text, index)}"
        )
    return ""


def _typed_plain(value: str) -> object:
    """YAML 1.2 core typing of a plain scalar; anything else stays text."""
    if not value:
        return None
    if value[0] not in _MAYBE_TYPED:
        return value
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if value in ("~", "null", "Null", "NULL"):
        return None
    if _INT.fullmatch(value):
        try:
            return int(value)
        except ValueError:  # over Python's 4,300-digit limit for int(str): keep it as text
            return value
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


class _Builder:
    def __init__(
        self,
        check_text: bool,
        line_offset: int,
        aliases: bool = True,
        text: str = "",
        flagged: Sequence[tuple[int, int]] = (),
    ) -> None:
        # Without an anchor (`&`) in the text no node can be shared: libyaml refuses an alias
        # to an undefined anchor. Only then is every node's identity worth remembering.
        self.seen: set[int] | None = set() if aliases else None
        self.check_text = check_text
        self.line_offset = line_offset
        self.problems: list[Problem] = []
        self.text = text
        # Only a " #" can cut a value short; without one no scalar's end needs looking at.
        self.comments = " #" in text
        # Personal data (privacy.py): the (line, column) of each match the scan of the text
        # found, whose values are redacted here, for every output at once; and whether a
        # double-quoted escape (`\u0020`) can hide one from that scan.
        self.flagged = sorted(flagged)
        self.escapes = '"' in text and "\\" in text
        self.private = bool(self.flagged) or self.escapes

    def problem(self, node: Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(mark.line + 1 + self.line_offset, mark.column + 1, code, message)
        )

    def scalar_value(self, node: ScalarNode) -> object:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            fix = quoted_fix(self.text, node.start_mark.index) if self.text else ""
            hint = f"; if it is text, put it in quotes: {fix}" if fix else ""
            raise _Refused(node, f"tag {tag!r} is not allowed in plan files{hint}")
        value: str = node.value
        start = node.start_mark.index
        if self.seen is not None and self.text[start : start + 1] == "&":
            raise _Refused(
                node,
                f"& starts a YAML anchor, which plan files do not use: the text would read "
                f"{value!r}; put the text in quotes: {quoted_fix(self.text, start)}",
            )
        if (
            self.comments
            and not node.style
            and value
            and self.text.startswith(" #", node.end_mark.index)
        ):
            self._comment_in_text(node)
        if self.check_text and _UNSAFE.search(value):
            self.problem(
                node, "unsafe-text", "control character or bidi override in text; remove it"
            )
        if self.private:
            private = self._private(node, value)
            if private is not None:
                return private
        if not node.style and tag != _STR:  # plain: None (Python) or "" (libyaml)
            if value in _YAML11_BOOLEANS:
                self.problem(
                    node,
                    AMBIGUOUS_BOOLEAN,
                    f"unquoted {value} is a boolean to YAML 1.1 tools but text to sendplan; "
                    f'quote it ("{value}") if you mean the word, or write true or false',
                )
            return _typed_plain(value)
        return value

    def _private(self, node: ScalarNode, value: str) -> str | None:
        """The value redacted when it holds personal data (None: it does not); a match only
        the parsed text shows (a double-quoted escape) is reported here too."""
        start, end = node.start_mark, node.end_mark
        first = (start.line + 1 + self.line_offset, start.column + 1)
        last = (end.line + 1 + self.line_offset, end.column + 1)
        at = bisect.bisect_left(self.flagged, first)
        if at < len(self.flagged) and self.flagged[at] <= last:
            return privacy.redact_flagged(value)
        if not (self.escapes and node.style == '"' and "\\" in self.text[start.index : end.index]):
            return None
        kinds = privacy.value_kinds(value)
        line_end = self.text.find("\n", end.index)
        if not kinds or privacy.allowed(self.text[end.index : None if line_end < 0 else line_end]):
            return None
        for kind in kinds:
            self.problem(node, "personal-data", privacy.message_for(kind))
        return privacy.redact_flagged(value)

    def _comment_in_text(self, node: ScalarNode) -> None:
        text, start, end = self.text, node.start_mark.index, node.end_mark.index
        line_end = text.find("\n", end)
        cut = text[end + 1 : len(text) if line_end < 0 else line_end].rstrip()
        self.problem(
            node,
            COMMENT_IN_TEXT,
            f"YAML read {node.value!r} and took {cut!r} as a comment (a space and # start "
            f"one); if it is part of the text, put the text in quotes: "
            f"{quoted_fix(text, start, keep_comment=False)} (a comment after a value needs two "
            "spaces before its #)",
        )

    def build(self, node: Node, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise _Refused(node, f"nested more than {MAX_DEPTH} levels deep")
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                raise _Refused(node, "aliases (*name) are not allowed in plan files; write it out")
            seen.add(id(node))
        kind = type(node)
        if kind is ScalarNode:
            return self.scalar_value(node)  # type: ignore[arg-type]
        # A scalar child is built here, without a call of build() for it, when it cannot be an
        # alias and is not too deep: most nodes are scalars, so this is the hot path.
        inline = seen is None and depth < MAX_DEPTH
        scalar = self.scalar_value
        if kind is MappingNode:
            if node.tag != _MAP:
                raise _Refused(node, f"tag {node.tag!r} is not allowed in plan files")
            mapping: dict[str, object] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or key_node.tag not in _SCALAR_TAGS:
                    raise _Refused(key_node, "a key must be plain text")
                key = key_node.value
                if key in mapping:
                    self.problem(key_node, "duplicate-key", f"key {key!r} appears twice")
                    continue
                if inline and type(value_node) is ScalarNode:
                    mapping[key] = scalar(value_node)
                else:
                    mapping[key] = self.build(value_node, depth + 1)
            return mapping
        if kind is SequenceNode:
            if node.tag != _SEQ:
                raise _Refused(node, f"tag {node.tag!r} is not allowed in plan files")
            if inline:
                return [
                    scalar(item) if type(item) is ScalarNode else self.build(item, depth + 1)
                    for item in node.value
                ]
            return [self.build(item, depth + 1) for item in node.value]
        raise _Refused(node, "unexpected YAML node")  # pragma: no cover - libyaml has no others


# PyYAML's own implicit resolvers by first character; none match any other first character.
_RESOLVERS = {k: tuple(v) for k, v in _Loader.yaml_implicit_resolvers.items()}
assert None not in _RESOLVERS  # no wildcard resolvers: the first character decides


class _PlanLoader(_Loader):  # type: ignore[misc,valid-type]
    """The C loader, composing nodes only, with a faster but identical resolver.

    libyaml calls back into Python for every node (resolve, descend/ascend_resolver). These
    return what PyYAML's Resolver returns (we add no path resolvers), without its general
    machinery: about a third of the compose time on plan files.
    """

    def __init__(self, stream: str) -> None:
        _Loader.__init__(self, stream)

    def resolve(self, kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def compose(text: str) -> Node | None:
    """The node tree of `text` (lines and offsets for every node), nothing constructed."""
    loader = _PlanLoader(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _syntax_problem(error: Exception, text: str, line_offset: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (0, 0)
    position = getattr(error, "position", None)  # a ReaderError (a control character) has no mark
    if mark is None and isinstance(position, int) and 0 <= position <= len(text):
        line = text.count("\n", 0, position) + 1 + line_offset
        column = position - text.rfind("\n", 0, position)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        reason += " (a tab: YAML is indented with spaces only)"
    elif mark is not None:
        reason += _syntax_hint(reason, text, mark.index)
    return Problem(line, column, "yaml-syntax", f"YAML syntax: {reason}")


def parse_yaml(text: str, line_offset: int = 0, flagged: Sequence[tuple[int, int]] = ()) -> Parsed:
    """Parse YAML text into plain data; `line_offset` shifts lines (front matter). A value
    holding one of the `flagged` (line, column) places is redacted (privacy.py)."""
    try:
        node = compose(text)
    except yaml.YAMLError as e:
        return Parsed(None, [_syntax_problem(e, text, line_offset)])
    except RecursionError:  # only the pure-Python fallback loader recurses
        return Parsed(None, [Problem(1, 1, "yaml-syntax", "YAML nested too deeply")])
    if node is None:
        return Parsed(None, [])
    # Only an escape (a backslash) or a non-ASCII character can put an unsafe character in a
    # value: the YAML reader itself refuses raw ASCII controls and normalises line breaks.
    unsafe = "\\" in text or (not text.isascii() and _UNSAFE.search(text) is not None)
    builder = _Builder(
        check_text=unsafe, line_offset=line_offset, aliases="&" in text, text=text, flagged=flagged
    )
    try:
        data = builder.build(node, 0)
    except _Refused as refused:
        builder.problem(refused.node, "yaml-syntax", refused.message)
        return Parsed(None, builder.problems)
    return Parsed(data, builder.problems, _tail(node))


def _tail(node: Node) -> tuple[str, int] | None:
    if type(node) is not MappingNode or not node.value or node.flow_style:
        return None
    key, value = node.value[-1]
    if type(value) is not SequenceNode or value.flow_style or not value.value:
        return None
    return str(key.value), value.start_mark.column


# Every line break YAML knows (libyaml also breaks lines at NEL, LS and PS).
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def parse_extension(old_text: str, old: Parsed, new_text: str) -> Parsed | None:
    """`new_text` parsed, when it is `old_text` with items appended to its last block list.

    A file whose history is appended to (a rating at a time) is then parsed for the new text
    only, not whole at every version (`sendplan history`). The new lines must start with the
    list's `- ` at its column and never come back left of it, so they can only be more
    items of that list; they are parsed as a document of their own (`key:` + the new lines)
    and must give just that list, without any problem. Anything else: None (parse it all).
    """
    if old.tail is None or old.problems or not isinstance(old.data, dict):
        return None
    if not (new_text.startswith(old_text) and old_text.endswith("\n")):
        return None
    key, column = old.tail
    added = new_text[len(old_text) :]
    lines = _BREAKS.split(added)
    dash = " " * column + "-"
    first = lines[0]
    if not first.startswith(dash) or first[column + 1 : column + 2] not in ("", " "):
        return None
    for line in lines:
        body = line.lstrip(" ")
        if body and not body.startswith("#") and len(line) - len(body) < column:
            return None
        if body[:1] == "\t":
            return None
    more = parse_yaml(f"{json.dumps(key)}:\n{added}")
    if more.problems or not isinstance(more.data, dict) or list(more.data) != [key]:
        return None
    items = more.data[key]
    if not isinstance(items, list) or not items:
        return None
    data = dict(old.data)
    previous = data[key]
    assert isinstance(previous, list)
    data[key] = [*previous, *items]
    return Parsed(data, [], old.tail)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML front matter and its body."""

    yaml_text: str
    body: str
    line_offset: int  # file line of the YAML's first line, minus one
    body_line: int  # file line where the body starts


def split_front_matter(text: str) -> FrontMatter | Problem:
    """Split `---` front matter from a Markdown body."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return Problem(
            1, 1, "yaml-syntax", "evidence must start with YAML front matter: a --- line"
        )
    start = first_end + 1
    closing = _FRONT_MATTER_END.search(text, start) if first_end >= 0 else None
    if closing is None:
        return Problem(1, 1, "yaml-syntax", "front matter is not closed: add a --- line after it")
    body_start = text.find("\n", closing.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    close_line = text.count("\n", 0, closing.start()) + 1
    return FrontMatter(text[start : closing.start()], body, 1, close_line + 1)


class _Step:
    """One step of the requested paths: where its key and its value were found."""

    __slots__ = ("children", "key_at", "value_at")

    def __init__(self) -> None:
        self.children: dict[str | int, _Step] = {}
        self.key_at: tuple[int, int] | None = None
        self.value_at: tuple[int, int] | None = None


class _Frame:
    """A mapping or list being walked: the requested steps inside it, and where we are."""

    __slots__ = ("index", "is_mapping", "pending", "steps", "want_key")

    def __init__(self, steps: dict[str | int, _Step] | None, is_mapping: bool) -> None:
        self.steps = steps  # None: nothing requested below here, walk through
        self.is_mapping = is_mapping
        self.want_key = True
        self.pending: _Step | None = None  # the step whose value comes next
        self.index = 0


def events(text: str) -> Iterator[yaml.Event]:
    """libyaml's parse events of `text`: marks for every node, no node tree kept."""
    loader = _PlanLoader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NODE = (yaml.ScalarEvent, yaml.AliasEvent, *_COLLECTION_START)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _walk(text: str, root: _Step, line_offset: int) -> None:
    """Record where each requested step is, in one pass over the events (no tree in memory).

    A file with 20,000 findings is walked once for all of them, however many keys a mapping
    has: finding each by scanning its mapping's keys again took minutes (issue 13).
    """
    stack: list[_Frame] = []
    try:
        for event in events(text):
            kind = type(event)
            if kind in _COLLECTION_END:
                stack.pop()
                continue
            if kind not in _NODE:
                continue
            mark = event.start_mark
            assert mark is not None  # libyaml marks every event
            at = (mark.line + 1 + line_offset, mark.column + 1)
            step: _Step | None
            if not stack:  # the document's root node
                step = root
                step.value_at = at
            else:
                frame = stack[-1]
                if not frame.is_mapping:
                    step = frame.steps.get(frame.index) if frame.steps else None
                    frame.index += 1
                    if step is not None:
                        step.value_at = at
                elif frame.want_key:
                    frame.want_key = False
                    found = None
                    if frame.steps and isinstance(event, yaml.ScalarEvent):
                        found = frame.steps.get(event.value)
                    if found is not None and found.key_at is None:  # a duplicate keeps the first
                        found.key_at = at
                        frame.pending = found
                    else:
                        frame.pending = None
                    step = None  # nothing below a key is ever requested
                else:
                    frame.want_key = True
                    step = frame.pending
                    if step is not None:
                        step.value_at = at
            if kind in _COLLECTION_START:
                stack.append(
                    _Frame(step.children if step else None, kind is yaml.MappingStartEvent)
                )
    except (yaml.YAMLError, RecursionError):
        pass  # what was found before the error stands; the rest falls back to a parent


def _answer(root: _Step, path: YamlPath) -> tuple[int, int]:
    at = root.value_at or (0, 0)
    step = root
    last = len(path) - 1
    for i, name in enumerate(path):
        child = step.children.get(name)
        if child is None:
            break
        if i == last:
            return child.key_at or child.value_at or at
        if child.value_at is None:  # its value was never read (a syntax error): its key
            return child.key_at or at
        at, step = child.value_at, child
    return at


def locate_all(text: str, paths: Sequence[YamlPath], line_offset: int = 0) -> list[tuple[int, int]]:
    """Line and column (1-based) of the key or item at each path, or of its nearest parent.

    The last step of a path into a mapping points at the key, so an unknown key or a bad
    value is reported on its own line; a path into a list points at the item. The text is
    parsed once for all the paths, and no node tree is kept.
    """
    root = _Step()
    for path in paths:
        step = root
        for name in path:
            step = step.children.setdefault(name, _Step())
    _walk(text, root, line_offset)
    return [_answer(root, path) for path in paths]


def locate(text: str, path: YamlPath, line_offset: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the key or item at `path` (see `locate_all`)."""
    return locate_all(text, [path], line_offset)[0]


class TextFixes:
    """The line put right for the schema errors that are YAML traps, read from one file's node
    tree (composed once, on the first question: errors are rare)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: Node | bool | None = False

    def _node(self, path: YamlPath) -> Node | None:
        """The value node at `path` exactly, or None."""
        if self._root is False:
            try:
                self._root = compose(self.text)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        target = self._root if isinstance(self._root, Node) else None
        for step in path:
            if isinstance(target, MappingNode):
                target = next(
                    (v for k, v in target.value if isinstance(k, ScalarNode) and k.value == step),
                    None,
                )
            elif isinstance(target, SequenceNode) and isinstance(step, int):
                target = target.value[step] if 0 <= step < len(target.value) else None
            else:
                return None
        return target

    def text_read_as_key(self, path: YamlPath) -> str | None:
        """The line put right when the value at `path` was meant as text but a `: ` in it made
        YAML read a key and a value (`- Families say: we were heard`), else None."""
        node = self._node(path)
        if (
            isinstance(node, MappingNode)
            and not node.flow_style
            and len(node.value) == 1
            and all(isinstance(n, ScalarNode) and not n.style for n in node.value[0])
            and node.value[0][1].end_mark.line == node.start_mark.line
        ):
            return quoted_fix(self.text, node.start_mark.index)
        return None

    def with_value(self, path: YamlPath, value: str) -> str | None:
        """The line of the scalar at `path` with `value` written in its place, else None."""
        node = self._node(path)
        if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
            return None
        text, start, end = self.text, node.start_mark.index, node.end_mark.index
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end < 0 else line_end].rstrip("\r")
        return (line[: start - line_start] + value + line[end - line_start :]).strip()
