"""The worst cases of issue 13, in tests: their findings are exact, and each file is parsed a
bounded number of times whatever the number of findings (the benchmark times them:
bench/worst.py, rows `worst` of bench/run.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from sendplan import yamlfile
from sendplan.checks import run_checks
from sendplan.load import HINTS_PER_FILE, load_plan
from sendplan.sources import FolderSource
from tests.conftest import TODAY

KEYS = 20_000
OBJECTIVE = "plan/A1/A1a-2.yaml"
HEAD = "id: A1a:2\ntheme: A1a\ntitle: Many keys\nowner: Head of SEND\ndue: 2024-04\n"


@pytest.mark.slow
def test_20000_unknown_keys_are_each_reported_on_their_line_from_two_parses(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    text = HEAD + "".join(f"evidnce{i}: value {i}\n" for i in range(KEYS))
    (root / OBJECTIVE).write_text(text, encoding="utf-8")
    walked: list[int] = []
    events = yamlfile.events

    def counting(text: str) -> Iterator[yaml.Event]:
        walked.append(len(text))
        return events(text)

    monkeypatch.setattr(yamlfile, "events", counting)
    findings = [f for f in run_checks(load_plan(FolderSource(root)), TODAY) if f.path == OBJECTIVE]
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("unknown-key", 6 + i, 1) for i in range(KEYS)
    ]
    assert findings[0].message == "unknown key 'evidnce0'; did you mean 'evidence'?"
    # "Did you mean" for the first HINTS_PER_FILE keys only: a file with more is no typo.
    hinted = [f for f in findings if "did you mean" in f.message]
    assert len(hinted) == HINTS_PER_FILE
    assert findings[-1].message == "unknown key 'evidnce19999'"
    assert walked == [len(text)]  # placing 20,000 findings walked the file once
