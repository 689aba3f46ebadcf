"""Edit YAML text by inserting characters only: `sendplan rate` appends a rating, and new
files get values as safe one-line scalars.

Every existing byte of a file stays (comments, quoting, BOM, line endings); reading YAML and all
its traps live in `yamlfile.py`, which this module asks for the node tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sendplan.yamlfile import compose

# Every line break YAML knows (libyaml counts NEL, LS and PS as breaks too).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAK_CHARS = "\r\n\x85\u2028\u2029"
_LINE_END = re.compile("\r\n|\n|\r")
# Plain text that every YAML reader (1.1 or 1.2, block or flow context) reads back unchanged.
_PLAIN_SAFE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .'()/&%+_:;!-]*[A-Za-z0-9.')%!])?")
# A colon inside plain text only before a letter or digit (`PAP1:2`): libyaml refuses `A:?` in
# a flow collection, and `a: b` would be a mapping.
_LOOSE_COLON = re.compile(r":(?![A-Za-z0-9])")
_YAML11_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))
# Characters JSON leaves raw that YAML reads as line breaks or refuses as non-printable.
_JSON_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")

Entry = Sequence[tuple[str, str]]
"""A mapping to write: (key, value already rendered as one line of YAML) pairs, in order."""


def scalar(text: str) -> str:
    """`text` as a one-line YAML scalar that reads back exactly: plain when that is
    unambiguous, else a JSON-style double-quoted string (YAML accepts JSON's escapes)."""
    if (
        _PLAIN_SAFE.fullmatch(text)
        and not _LOOSE_COLON.search(text)
        and text.lower() not in _YAML11_WORDS
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _JSON_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def flow_list(items: Sequence[str]) -> str:
    """`[E1, E2]`, each item a safe scalar."""
    return "[" + ", ".join(scalar(item) for item in items) + "]"


def _flow_mapping(entry: Entry) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in entry) + "}"


def _content_end(node: Node) -> int:
    """Offset just after the last character that belongs to `node`.

    A block collection's own end mark lies at the next token, past any comments that follow,
    so only scalars and flow collections are trusted; an empty plain scalar (`by:`) has no
    characters of its own.
    """
    if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
        if isinstance(node, ScalarNode) and not node.style and node.value == "":
            return node.start_mark.index
        return int(node.end_mark.index)
    end = int(node.start_mark.index)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            end = max(end, _content_end(key_node), _content_end(value_node))
    elif isinstance(node, SequenceNode):
        for item in node.value:
            end = max(end, _content_end(item))
    return end


def _line_after(text: str, offset: int) -> tuple[int, str]:
    """The start of the line after the one holding `offset`, and the break ending that line.

    An offset already at a line start (a block scalar's end) stays where it is, so trailing
    lines kept by `|+` stay with their scalar. (len(text), "") when the last line has no break.
    """
    if offset > 0 and text[offset - 1] in _BREAK_CHARS:
        return offset, "\r\n" if text[offset - 2 : offset] == "\r\n" else text[offset - 1]
    found = _BREAK.search(text, offset)
    if found is None:
        return len(text), ""
    return found.end(), found.group()


def _newline_of(text: str, found: str = "") -> str:
    """The line break to write: `found` when it is an ordinary one, else the file's first."""
    if found in ("\r\n", "\n", "\r"):
        return found
    first = _LINE_END.search(text)
    return first.group() if first is not None else "\n"


def _insert_lines(text: str, after: int, lines: Sequence[str]) -> str:
    """Insert whole lines after the line holding offset `after`, in the file's line endings."""
    at, found = _line_after(text, after)
    newline = _newline_of(text, found)
    if not found and at == len(text) and text:
        block = newline + newline.join(lines)  # keep the file without a final line break
    else:
        block = "".join(line + newline for line in lines)
    return text[:at] + block + text[at:]


def _insert_in_flow(text: str, collection: Node, last: tuple[Node, ...], item: str) -> str:
    """Append `item` inside a flow collection's brackets (`last`: the last item, or the last
    key and value), on a line of its own when the items before it are each on their own line."""
    if not last:
        at = collection.start_mark.index + 1
        return text[:at] + item + text[at:]
    at = max(_content_end(node) for node in last)
    start = last[0].start_mark.index
    line_start = max(text.rfind(c, 0, start) for c in _BREAK_CHARS) + 1
    own_line = not text[line_start:start].strip()
    closing_later = _BREAK.search(text, at, collection.end_mark.index) is not None
    if own_line and closing_later:
        separator = "," + _newline_of(text) + " " * (start - line_start)
    else:
        separator = ", "
    return text[:at] + separator + item + text[at:]


def _item_lines(entry: Entry, dash: int, gap: int, flow: bool) -> list[str]:
    first = " " * dash + "-" + " " * (gap - 1)
    if flow:
        return [first + _flow_mapping(entry)]
    lines = [f"{first}{key}: {value}" for key, value in entry[:1]]
    lines += [f"{' ' * (dash + gap)}{key}: {value}" for key, value in entry[1:]]
    return lines


def _block_style(sequence: SequenceNode) -> tuple[int, int]:
    """Column of a block list's `-`, and how far its items' content sits from the dash."""
    dash = sequence.start_mark.column
    first = sequence.value[0]
    gap = first.start_mark.column - dash if first.start_mark.line == sequence.start_mark.line else 2
    return dash, max(gap, 2)


_EMPTY_FLOW_LIST = re.compile(r"[ \t]*\[[ \t]*\]")


def unflow_empty_list(text: str, key: str) -> str:
    """`key: []` becomes `key:`, so that entries appended to it form a block list, one item
    per entry, instead of one ever-growing line. The one rewrite `rate` may make: only the
    `[]` (and the spaces before it) go; every other character stays (issue 15)."""
    root = compose(text)
    if not isinstance(root, MappingNode) or root.flow_style:
        return text
    _, value = _entry_of(root, key)
    if not isinstance(value, SequenceNode) or not value.flow_style or value.value:
        return text
    start, end = value.start_mark.index, value.end_mark.index
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if not _EMPTY_FLOW_LIST.fullmatch(text, start, end):
        return text  # `[ # a comment ... ]` across lines: leave the author's text alone
    return text[:start] + text[end:]


def _entry_of(root: MappingNode, key: str) -> tuple[Node, Node] | tuple[None, None]:
    """The key node and value node of the top-level `key`."""
    for key_node, value in root.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value
    return None, None


def _new_block_list(root: MappingNode, key_line: str, entry: Entry) -> list[str]:
    """The lines of a new block list holding `entry`, indented like the file's other lists
    (two spaces if it has none), under `key_line` (the key itself, or nothing)."""
    dash, gap = 2, 2
    for key_node, sibling in root.value:
        if isinstance(sibling, SequenceNode) and not sibling.flow_style and sibling.value:
            dash, gap = _block_style(sibling)
            dash -= key_node.start_mark.column
            break
    column = root.start_mark.column
    lines = [key_line] if key_line else []
    return lines + _item_lines(entry, column + dash, gap, False)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value == ""


def append_to_list(text: str, key: str, entry: Entry) -> str:
    """`text` with `entry` appended to the list under the top-level `key`, by inserting text.

    Every existing character stays. A block list gets a new item after its last one, indented
    like the items before it (a flow-mapping item if they are flow mappings); a flow list
    `[...]` gets the item inside its brackets; a missing key is added after the mapping's last
    line, and an empty one (`key:`, see unflow_empty_list) gets a block list under it, indented
    like the file's other lists. Raises ValueError when the text is not a mapping or `key`
    holds something other than a list.
    """
    root = compose(text)
    if not isinstance(root, MappingNode):
        raise ValueError("the file is not a mapping of keys")
    pairs = root.value
    key_node, value = _entry_of(root, key)
    if key_node is None or value is None:
        if not pairs:
            raise ValueError("the file has no keys")
        if root.flow_style:
            new = f"{key}: [{_flow_mapping(entry)}]"
            return _insert_in_flow(text, root, tuple(pairs[-1]), new)
        key_line = " " * root.start_mark.column + f"{key}:"
        return _insert_lines(text, _content_end(root), _new_block_list(root, key_line, entry))
    if _is_empty(value) and not root.flow_style:  # `key:` with nothing after it
        return _insert_lines(text, key_node.end_mark.index, _new_block_list(root, "", entry))
    if not isinstance(value, SequenceNode):
        raise ValueError(f"{key} is not a list")
    if value.flow_style:
        last_item = tuple(value.value[-1:])
        return _insert_in_flow(text, value, last_item, _flow_mapping(entry))
    last = value.value[-1]
    dash, gap = _block_style(value)
    flow = isinstance(last, MappingNode) and bool(last.flow_style)
    return _insert_lines(text, _content_end(last), _item_lines(entry, dash, gap, flow))


def add_key(text: str, key: str, entry: Entry) -> str:
    """`text` with `key: {entry}` (a flow mapping) added to its top-level mapping, by
    inserting text after the mapping's last line (or inside its braces). Every existing
    character stays. Raises ValueError when the text is not a mapping or already has `key`."""
    root = compose(text)
    if not isinstance(root, MappingNode) or not root.value:
        raise ValueError("the file is not a mapping of keys")
    pairs = root.value
    if any(isinstance(k, ScalarNode) and k.value == key for k, _ in pairs):
        raise ValueError(f"the file already has {key}:")
    line = f"{key}: {_flow_mapping(entry)}"
    if root.flow_style:
        return _insert_in_flow(text, root, tuple(pairs[-1]), line)
    return _insert_lines(text, _content_end(root), [" " * root.start_mark.column + line])
