import pytest
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sendplan.yamlfile import (
    FrontMatter,
    Problem,
    compose,
    decode,
    locate,
    locate_all,
    parse_yaml,
    split_front_matter,
)


def test_plain_scalars_are_typed_the_yaml_1_2_way() -> None:
    text = (
        "a: false\nb: true\nc: no\nd: 12\ne: 1.5\nf:\ng: 2024-03-01\nh: !!str 12\ni: on\nj: 1:30\n"
    )
    assert parse_yaml(text).data == {
        "a": False,
        "b": True,
        "c": "no",
        "d": 12,
        "e": 1.5,
        "f": None,
        "g": "2024-03-01",
        "h": "12",
        "i": "on",
        "j": "1:30",
    }


def test_keys_stay_text_even_when_yaml_1_1_would_make_them_booleans() -> None:
    assert parse_yaml("on: 1\nno: 2\n").data == {"on": 1, "no": 2}


def test_quoted_scalars_stay_text() -> None:
    assert parse_yaml("a: 'true'\nb: \"12\"\n").data == {"a": "true", "b": "12"}


def test_duplicate_key_is_reported_at_the_second_occurrence_and_first_wins() -> None:
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert parsed.data == {"a": 1, "b": 2}
    assert parsed.problems == [Problem(3, 1, "duplicate-key", "key 'a' appears twice")]


def test_aliases_are_refused_before_anything_expands() -> None:
    bomb = "a: &a [x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    parsed = parse_yaml(bomb)
    assert parsed.data is None
    assert [p.code for p in parsed.problems] == ["yaml-syntax"]
    assert "aliases" in parsed.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system [echo hi]\n",
        "a: !!python/name:os.system\n",
        "a: !custom x\n",
        "a: !!binary aGVsbG8=\n",
        "!!set {a, b}\n",
    ],
)
def test_tags_outside_the_core_schema_are_refused(text: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.data is None
    assert parsed.problems[0].code == "yaml-syntax"
    assert "not allowed" in parsed.problems[0].message


def test_deep_nesting_is_refused_not_crashed() -> None:
    parsed = parse_yaml("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert parsed.data is None
    assert parsed.problems[0].code == "yaml-syntax"


def test_tab_indentation_names_the_tab() -> None:
    parsed = parse_yaml("a:\n\t- b\n")
    assert parsed.problems[0].line == 2
    assert "tab" in parsed.problems[0].message


def test_control_characters_and_bidi_overrides_are_flagged() -> None:
    parsed = parse_yaml('a: "\\e[31mred"\nb: "x\\u202ey"\nc: fine\n')
    assert [(p.line, p.code) for p in parsed.problems] == [(1, "unsafe-text"), (2, "unsafe-text")]


def test_decode_strips_a_bom_and_names_a_bad_byte_offset() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n") == ("a: 1\n", None)
    text, problem = decode(b"a: 1\nb: caf\xe9\n")
    assert text is None
    assert problem == Problem(
        2, 0, "encoding", "not UTF-8: byte 0xe9 at offset 11; save the file as UTF-8"
    )
    text, problem = decode(b"a\x00b")
    assert text is None
    assert problem is not None
    assert "NUL" in problem.message


def test_crlf_files_parse_like_lf_files() -> None:
    assert parse_yaml("a: 1\r\nb:\r\n  - x\r\n").data == {"a": 1, "b": ["x"]}


def test_front_matter_split_keeps_file_lines() -> None:
    front = split_front_matter("---\nid: E1\ntitle: T\n---\nBody\n")
    assert front == FrontMatter("id: E1\ntitle: T\n", "Body\n", 1, 5)
    assert parse_yaml(front.yaml_text, front.line_offset).data == {"id": "E1", "title": "T"}
    assert locate(front.yaml_text, ["title"], front.line_offset) == (3, 1)


def test_front_matter_must_open_and_close() -> None:
    unclosed = split_front_matter("---\nid: E1\n")
    assert isinstance(unclosed, Problem)
    assert "not closed" in unclosed.message
    missing = split_front_matter("id: E1\n")
    assert isinstance(missing, Problem)
    assert "must start" in missing.message


def test_locate_points_at_keys_and_list_items() -> None:
    text = "id: X\nevidence:\n  - E1\n  - E9\nratings:\n  - date: 2024-01-01\n    brag: red\n"
    assert locate(text, ["evidence", 1]) == (4, 5)
    assert locate(text, ["ratings", 0, "brag"]) == (7, 5)
    assert locate(text, ["id"]) == (1, 1)
    assert locate(text, ["ratings", 0, "missing"]) == (6, 5)  # nearest parent


def test_locate_all_answers_every_path_like_the_node_tree_does() -> None:
    text = (
        "id: X\n"  # 1
        "id: Y\n"  # 2: a duplicate keeps the first's place
        "tags: [a, {k: v}, c]\n"  # 3
        "title: plain\n"  # 4
        "? [complex, key]\n"  # 5
        ": value\n"  # 6
        "ratings:\n"  # 7
        "  - date: 2024-01-01\n"  # 8
        "    brag: red\n"  # 9
        "  - {date: 2024-02-01, brag: amber}\n"  # 10
    )
    paths: list[list[str | int]] = [
        ["id"],
        ["tags", 1, "k"],
        ["tags", 2],
        ["tags", 9],  # no such item: the list
        ["title", "deeper"],  # a scalar has no keys: the scalar
        ["ratings", 1, "brag"],
        ["ratings", 0, "date"],
        ["ratings", 0],
        ["missing"],  # the root
        [],
        ["ratings", "x"],  # a name into a list: the list
    ]
    assert locate_all(text, paths) == [
        (1, 1),
        (3, 12),
        (3, 19),
        (3, 7),
        (4, 8),
        (10, 24),
        (8, 5),
        (8, 5),
        (1, 1),
        (1, 1),
        (8, 3),
    ]
    assert locate_all(text, paths) == [locate(text, path) for path in paths]
    assert locate_all(text, paths) == [_by_node_tree(text, path) for path in paths]


def _by_node_tree(text: str, path: list[str | int]) -> tuple[int, int]:
    """The way lines were found before issue 13: walking the composed node tree."""
    target = compose(text)
    assert target is not None
    for i, step in enumerate(path):
        if isinstance(target, MappingNode):
            pairs = [(k, v) for k, v in target.value if isinstance(k, ScalarNode)]
            found = next(((k, v) for k, v in pairs if k.value == step), None)
            if found is None:
                break
            target = found[0] if i == len(path) - 1 else found[1]
        elif isinstance(target, SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(target.value):
                break
            target = target.value[step]
        else:
            break
    return target.start_mark.line + 1, target.start_mark.column + 1


def test_locate_all_keeps_what_it_found_before_a_syntax_error() -> None:
    text = "id: X\nowner: Y\nbroken: [\n"
    assert locate_all(text, [["owner"], ["broken", 0]]) == [(2, 1), (3, 9)]  # (the list)
    assert locate_all("", [["id"]]) == [(0, 0)]


# --- refusals of the builder, the ratings shortcut and the fix hints on odd input ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: " + "[" * 66 + "]" * 66 + "\n", (1, 68, "nested more than 64 levels deep")),
        ("- " * 70 + "1\n", (1, 131, "nested more than 64 levels deep")),
        ("? [a, b]\n: 1\n", (1, 3, "a key must be plain text")),
        ("{[1]: 2}\n", (1, 2, "a key must be plain text")),
        ("? !!binary aGk=\n: 1\n", (1, 3, "a key must be plain text")),
        ("x: &a {k: 1}\n? *a\n: 2\n", (1, 4, "a key must be plain text")),
    ],
    ids=["deep-flow", "deep-block", "flow-key", "flow-map-key", "tagged-key", "alias-key"],
)
def test_what_the_builder_refuses_is_one_syntax_problem_where_it_starts(
    text: str, expected: tuple[int, int, str]
) -> None:
    from sendplan.yamlfile import MAX_DEPTH

    assert MAX_DEPTH == 64
    parsed = parse_yaml(text)
    assert parsed.data is None
    assert [(p.line, p.column, p.code, p.message) for p in parsed.problems] == [
        (*expected[:2], "yaml-syntax", expected[2])
    ]


def test_the_ratings_shortcut_leaves_a_tab_in_the_new_lines_to_the_whole_parse() -> None:
    from sendplan.yamlfile import parse_extension

    old = "id: X\nratings:\n  - a\n"
    parsed = parse_yaml(old)
    assert parsed.tail == ("ratings", 2)
    assert parse_extension(old, parsed, old + "  - b\n  \t- c\n") is None
    grown = parse_extension(old, parsed, old + "  - b\n")
    assert grown is not None
    assert grown.data == {"id": "X", "ratings": ["a", "b"]}


def test_a_path_below_a_key_whose_value_never_parsed_is_located_at_the_key() -> None:
    from sendplan.yamlfile import locate_all

    text = 'x: 1\na: "unclosed\n'
    assert locate_all(text, [("a",), ("a", "b"), ("x",), ("nope", "z")]) == [
        (2, 1),  # the key was read
        (2, 1),  # its value never was: the key, the nearest parent that was read
        (1, 1),
        (1, 1),
    ]


def test_fix_hints_are_given_only_for_one_line_values_they_can_rewrite() -> None:
    from sendplan.yamlfile import TextFixes

    broken = TextFixes("a: [unclosed\n")  # no node tree at all
    assert broken.with_value(("a",), "x") is None
    assert broken.text_read_as_key(("a",)) is None
    fixes = TextFixes("a:\n  - one\n  - two\nb: |\n  two\n  lines\nc: Amber  # colour\n")
    assert fixes.with_value(("c",), "amber") == "c: amber  # colour"
    assert fixes.with_value(("a", 1), "2") == "- 2"
    assert fixes.with_value(("a", 5), "x") is None  # no such item
    assert fixes.with_value(("a", "k"), "x") is None  # a list has no keys
    assert fixes.with_value(("b",), "x") is None  # a block of two lines
