"""The fast paths of yamlfile.py give exactly what the plain PyYAML machinery gives (issue 9).

The loader's resolver is a shortcut of PyYAML's, and the unsafe-text scan is skipped where no
unsafe character can reach a value: both are checked here against the slow, obvious way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sendplan import yamlfile
from sendplan.yamlfile import _Builder, _PlanLoader, compose, parse_yaml, split_front_matter

REPO = Path(__file__).parent.parent
PLANS = Path(__file__).parent / "fixtures" / "plans"

_SPECIMENS = (
    "~ null Null NULL true True TRUE false yes No on OFF y n 0 00 010 09 0x1F 0b101 0o17 1_000 "
    "-12 +3 1.5 1e5 1.5e3 1.5e+3 .5 -.inf .NaN 1:30 190:20:30 2024-03-01 2024-3-1 2024-02-30 "
    "2024-03-01T10:00:00Z 2024-06 << = ! & * tomorrow note E24 PAP3A:1 58.5% - . +"
)
_SCALARS = st.one_of(
    st.sampled_from(["", *_SPECIMENS.split()]),
    st.text(alphabet="0123456789+-._:eEtTfFnNoOyY~xX ", min_size=1, max_size=8),
)


def _tags(node: Node | None) -> list[tuple[str, str]]:
    """Every node's (tag, value) in document order."""
    if node is None:
        return []
    if isinstance(node, ScalarNode):
        return [(node.tag, node.value)]
    found: list[tuple[str, str]] = [(node.tag, "")]
    if isinstance(node, MappingNode):
        for key, value in node.value:
            found += _tags(key) + _tags(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            found += _tags(item)
    return found


def _stock(text: str) -> Node | None:
    node: Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    return node


def _document(scalars: list[str]) -> str:
    lines = []
    for i, value in enumerate(scalars):
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines.append(f"k{i}: {value}" if value.strip() == value and value else f"k{i}: {quoted}")
        lines.append(f"'q{i}': {quoted}")
        lines.append(f"l{i}: [{value}, {quoted}]" if "," not in value else f"l{i}: []")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(_SCALARS, min_size=1, max_size=6))
def test_loader_resolves_every_node_to_the_tag_pyyaml_gives(scalars: list[str]) -> None:
    text = _document(scalars)
    try:
        expected = _tags(_stock(text))
    except yaml.YAMLError:
        return
    assert _tags(compose(text)) == expected


def _plan_texts() -> list[str]:
    texts = []
    for root in (REPO, *PLANS.iterdir()):
        for path in sorted(root.glob("plan/*/*.yaml")) + sorted(root.glob("kpis/*.yaml")):
            texts.append(path.read_text(encoding="utf-8"))
        for path in sorted(root.glob("evidence/*.md")):
            front = split_front_matter(path.read_text(encoding="utf-8"))
            if not isinstance(front, yamlfile.Problem):
                texts.append(front.yaml_text)
    return texts


@pytest.mark.slow
def test_loader_resolves_the_bundled_and_fixture_plans_like_pyyaml() -> None:
    texts = _plan_texts()
    assert len(texts) > 150
    for text in texts:
        assert _tags(compose(text)) == _tags(_stock(text))


@pytest.mark.parametrize(
    "text", ["a: [b\n", "a: *nowhere\n", "a:\n\t- b\n", "a: b: c\n", "a: 'x\n"]
)
def test_loader_refuses_what_pyyaml_refuses_with_the_same_message(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as stock:
        _stock(text)
    loader = _PlanLoader(text)
    try:
        with pytest.raises(yaml.YAMLError) as ours:
            loader.get_single_node()
    finally:
        loader.dispose()
    assert str(ours.value) == str(stock.value)


def _with_scan(text: str) -> tuple[object, list[yamlfile.Problem]]:
    """parse_yaml as it was: every value scanned for unsafe characters."""
    node = compose(text)
    builder = _Builder(check_text=True, line_offset=0, text=text)
    return (None if node is None else builder.build(node, 0)), builder.problems


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab: -\"'|>\n\r\t\x0b\x0c\x1b\x7f#[]{},é\u202e\x85")),
        max_size=40,
    )
)
def test_skipping_the_unsafe_scan_never_changes_the_result(text: str) -> None:
    try:
        expected = _with_scan(text)
    except (yaml.YAMLError, yamlfile._Refused):
        return
    parsed = parse_yaml(text)
    assert (parsed.data, parsed.problems) == expected
