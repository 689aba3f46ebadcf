"""The small hardening pieces behind the hostile corpus, one by one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sendplan.checks import run_checks
from sendplan.findings import Finding, Severity, Summary, as_github, as_json
from sendplan.load import load_plan
from sendplan.safetext import terminal
from sendplan.sources import FolderSource
from sendplan.yamlfile import Problem, parse_yaml
from tests.conftest import TODAY


def where(root: Path) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in run_checks(load_plan(FolderSource(root)), TODAY)]


def test_a_raw_control_character_is_reported_on_its_line_and_column() -> None:
    assert parse_yaml("a: 1\nb: x\x1by\n").problems == [
        Problem(
            2,
            5,
            "yaml-syntax",
            "YAML syntax: unacceptable character #x001b: control characters are not allowed",
        )
    ]


def test_an_integer_too_long_for_python_stays_text() -> None:
    assert parse_yaml("a: " + "9" * 5000 + "\n").data == {"a": "9" * 5000}


@pytest.mark.parametrize("word", ["yes", "No", "ON", "off"])
def test_yaml_1_1_booleans_as_values_are_ambiguous(word: str) -> None:
    parsed = parse_yaml(f"a: {word}\nb: '{word}'\n{word}: 1\nc: [{word}]\n")
    assert parsed.data == {"a": word, "b": word, word: 1, "c": [word]}
    assert [(p.line, p.column, p.code) for p in parsed.problems] == [
        (1, 4, "ambiguous-boolean"),
        (4, 5, "ambiguous-boolean"),
    ]


def test_an_ambiguous_boolean_that_fails_the_schema_is_reported_once(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "evidence/E2.md").write_text(
        "---\nid: E2\ntitle: on\npublic: no\n---\n", encoding="utf-8"
    )
    assert where(root) == [
        ("ambiguous-boolean", "evidence/E2.md", 3),
        ("schema", "evidence/E2.md", 4),
    ]


def test_max_file_bytes_has_a_ceiling(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    settings = root / "sendplan.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "max_file_bytes: 2000001\n", encoding="utf-8"
    )
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line, f.message) for f in findings] == [
        (
            "schema",
            "sendplan.yaml",
            5,
            "max_file_bytes: Input should be less than or equal to 2000000",
        )
    ]


@pytest.mark.parametrize(
    "file", ["/etc/passwd", "\\\\server\\share\\x.pdf", "C:\\Windows\\x.pdf", "C:x.pdf"]
)
def test_absolute_evidence_paths_are_outside_the_plan(
    plan_copy: Callable[[str], Path], file: str
) -> None:
    root = plan_copy("minimal")
    (root / "evidence/E1.md").write_text(
        f"---\nid: E1\ntitle: Map\nfile: '{file}'\n---\n", encoding="utf-8"
    )
    assert where(root) == [("path-outside-plan", "evidence/E1.md", 4)]


def test_an_unknown_key_known_elsewhere_is_not_suggested_as_itself(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    path = root / "kpis/k20.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "file: x\n", encoding="utf-8")
    (finding,) = run_checks(load_plan(FolderSource(root)), TODAY)
    assert finding.code == "unknown-key"
    assert "did you mean 'file'" not in finding.message


def test_terminal_escapes_controls_and_bidi_but_keeps_text() -> None:
    assert terminal("Café \u2013 £5 ok") == "Café \u2013 £5 ok"
    assert terminal("a\x1b[2Jb\x07\x9b\u202ec\nd") == "a\\x1b[2Jb\\x07\\x9b\\u202ec\\nd"


def test_json_output_escapes_c1_and_bidi_controls_and_stays_the_same_data() -> None:
    finding = Finding("plan/x\x9b\u202e.yaml", 1, 1, "schema", Severity.ERROR, "bad \x1b")
    document = as_json([finding], Summary(1, 0, 1))
    for raw in ("\x9b", "\u202e", "\x1b"):
        assert raw not in document
    assert json.loads(document)["findings"][0]["path"] == "plan/x\x9b\u202e.yaml"


def test_github_output_escapes_controls() -> None:
    finding = Finding("plan/\x1b[2J.yaml", 1, 1, "schema", Severity.ERROR, "bad\x1b]0;x\x07")
    assert as_github([finding]) == (
        "::error file=plan/\\x1b[2J.yaml,line=1,col=1,title=schema::bad\\x1b]0;x\\x07\n"
    )
