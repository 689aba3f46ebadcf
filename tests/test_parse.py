"""Parsing in a worker process gives exactly what parsing in-process gives (issue 9)."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from sendplan import parse
from sendplan.load import Loaded, load_plan
from sendplan.sources import FolderSource, PlanFile, Source

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="the worker process is used on Linux only",
)

BENCH = Path(__file__).parent.parent / "bench"


def _plan(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_for_parse", BENCH / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    generate.generate(40, root, seed=11)
    objectives = sorted(root.glob("plan/*/*-*.yaml"))
    evidence = sorted(root.glob("evidence/*.md"))
    # Every way a file can go wrong, spread over both halves of the file list.
    for path in objectives[::7]:
        path.write_text(path.read_text() + "evidnce: [E1]\nongoing: no\n")
    objectives[3].write_text("id: [unclosed\n")
    objectives[-3].write_bytes(b"id: caf\xe9\n")
    objectives[-5].write_text("- a list\n- not a mapping\n")
    evidence[2].write_text("no front matter\n")
    evidence[-2].write_text(evidence[-2].read_text() + "\nNHS number 943 476 5919\n")
    evidence[-4].write_text("---\nid: [x\n---\nbody\n")
    lines = evidence[5].read_text().splitlines(keepends=True)
    evidence[5].write_text("".join("owner: no\n" if x.startswith("owner:") else x for x in lines))
    (root / "kpis" / "k-empty.yaml").write_text("")
    return root


def _snapshot(loaded: Loaded) -> object:
    plan = loaded.plan
    return (
        loaded.findings,
        loaded.broken,
        plan.files,
        [(a.path, a.model_dump()) for a in plan.areas],
        [(o.path, o.area, o.model_dump()) for o in plan.objectives],
        [(e.path, e.body, e.model_dump()) for e in plan.evidence],
        [(k.path, k.model_dump()) for k in plan.kpis],
    )


def _use_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the worker path whatever the machine (CPUs) and the test run (other threads)."""
    monkeypatch.setattr(parse, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _in_process(root: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(parse, "_worker_pays", lambda source, files: False)
        return _snapshot(load_plan(FolderSource(root)))


@pytest.mark.slow
def test_worker_process_gives_the_same_plan_and_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _plan(tmp_path / "plan")
    expected = _in_process(root, monkeypatch)
    marker = tmp_path / "worker-ran"
    real_worker = parse._parse_in_worker

    def worker(send: Connection, source: Source, files: list[PlanFile], max_bytes: int) -> None:
        marker.write_text(str(len(files)))
        real_worker(send, source, files, max_bytes)

    monkeypatch.setattr(parse, "_parse_in_worker", worker)
    monkeypatch.setattr(parse, "_SLICE", 10)  # several slices
    _use_worker(monkeypatch)
    assert _snapshot(load_plan(FolderSource(root))) == expected
    assert int(marker.read_text()) > 50  # the worker really parsed the second half
    codes = {f.code for f in expected[0]}  # type: ignore[index]
    assert {"yaml-syntax", "encoding", "schema", "unknown-key", "personal-data"} <= codes
    assert "ambiguous-boolean" in codes


@pytest.mark.slow
def test_a_worker_that_dies_leaves_its_half_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _plan(tmp_path / "plan")
    expected = _in_process(root, monkeypatch)

    def dies(send: Connection, source: Source, files: list[PlanFile], max_bytes: int) -> None:
        os._exit(3)

    monkeypatch.setattr(parse, "_parse_in_worker", dies)
    _use_worker(monkeypatch)
    assert _snapshot(load_plan(FolderSource(root))) == expected


@pytest.mark.slow
def test_a_worker_that_dies_half_way_leaves_the_rest_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _plan(tmp_path / "plan")
    expected = _in_process(root, monkeypatch)

    def sends_one_slice(
        send: Connection, source: Source, files: list[PlanFile], max_bytes: int
    ) -> None:
        send.send([parse.parse_file(source, file, max_bytes) for file in files[:7]])
        os._exit(3)

    monkeypatch.setattr(parse, "_parse_in_worker", sends_one_slice)
    _use_worker(monkeypatch)
    assert _snapshot(load_plan(FolderSource(root))) == expected


def test_small_plans_single_cpus_and_threaded_callers_stay_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = FolderSource(Path(__file__).parent / "fixtures" / "plans" / "minimal")
    assert not parse._worker_pays(source, source.files())
    many = source.files() * parse.PARALLEL_MIN_FILES
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parse._worker_pays(source, many)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not parse._worker_pays(source, many)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not parse._worker_pays(source, many)


def test_the_worker_sends_every_parse_in_slices_without_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """_parse_in_worker run here, on one end of a pipe (in a forked child no coverage runs)."""
    source = FolderSource(Path(__file__).parent / "fixtures" / "plans" / "minimal")
    files = source.files()
    expected = [parse.parse_file(source, file, 1_000_000) for file in files]
    assert all(each.text is not None for each in expected)
    for each in expected:
        each.text = None
    monkeypatch.setattr(parse, "_SLICE", 3)
    receive, send = multiprocessing.Pipe(duplex=False)
    parse._parse_in_worker(send, source, files, 1_000_000)
    slices = []
    while True:
        try:
            slices.append(receive.recv())
        except EOFError:  # the worker closed its end: all was sent
            break
    receive.close()
    assert [len(s) for s in slices] == [3] * (len(files) // 3) + (
        [len(files) % 3] if len(files) % 3 else []
    )
    assert [each for s in slices for each in s] == expected


def test_in_process_parse_files_gives_each_file_in_order() -> None:
    source = FolderSource(Path(__file__).parent / "fixtures" / "plans" / "minimal")
    files = source.files()
    assert list(parse.parse_files(source, files, 1_000_000)) == [
        parse.parse_file(source, file, 1_000_000) for file in files
    ]


def test_a_file_that_grew_past_the_limit_since_it_was_listed_is_not_read(
    tmp_path: Path,
) -> None:
    root = tmp_path / "plan"
    (root / "evidence").mkdir(parents=True)
    (root / "sendplan.yaml").write_text("name: Plan\n", encoding="utf-8")
    path = root / "evidence/E1.md"
    path.write_text("---\nid: E1\n---\n", encoding="utf-8")
    source = FolderSource(root)
    (listed,) = [f for f in source.files() if f.path == "evidence/E1.md"]
    assert listed.size == 15
    path.write_text("---\nid: E1\n---\n" + "x" * 200, encoding="utf-8")  # grew after listing
    parsed = parse.parse_file(source, listed, 100)
    assert parsed.errors == [
        (0, 0, "file-too-large",
         "215 bytes is over the 100-byte limit (max_file_bytes in sendplan.yaml); not read"),
    ]  # fmt: skip
    assert (parsed.stop, parsed.broken, parsed.data) == (True, True, None)
