"""archive/publish.py: where a site may be written, all pages or none, in one process or in
forked ones (a failed share is written again here)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from sendplan.archive import publish
from sendplan.archive.publish import GENERATOR, check_target, render_processes, write_site
from sendplan.errors import Refusal, SendplanError

PAGES = [(f"objectives/O{i}.html", f"<p>objective {i}</p>") for i in range(7)] + [
    ("index.html", '<meta name="generator" content="sendplan"><h1>Plan</h1>'),
]
forking = pytest.mark.skipif(
    sys.platform != "linux" or not hasattr(os, "fork"), reason="the site forks on Linux only"
)


def shares_of(pages: list[tuple[str, str]]) -> publish.Shares:
    def share(k: int, n: int) -> Iterable[tuple[str, str]]:
        return pages[k::n]

    return share


def site_files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    (root / "plan").mkdir(parents=True)
    (root / "sendplan.yaml").write_text("name: Plan\n", encoding="utf-8")
    return root


def test_a_new_an_empty_or_an_earlier_site_folder_may_be_written(
    plan: Path, tmp_path: Path
) -> None:
    assert check_target(tmp_path / "new", plan) == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert check_target(tmp_path / "empty", plan) == tmp_path / "empty"
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier/index.html").write_bytes(b"<!doctype html>" + GENERATOR)
    assert check_target(tmp_path / "earlier", plan) == tmp_path / "earlier"


def test_a_file_or_a_folder_of_something_else_is_refused(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(Refusal) as raised:
        check_target(tmp_path / "notes.txt", plan)
    assert str(raised.value) == (
        f"{tmp_path / 'notes.txt'} is a file, not a folder; name a folder for the site"
    )
    odd = tmp_path / "odd"
    (odd / "index.html").mkdir(parents=True)  # an index that cannot be read as a page
    with pytest.raises(Refusal) as raised:
        check_target(odd, plan)
    assert str(raised.value) == (
        f"{odd} is not empty and holds no sendplan site; the site replaces the whole folder, "
        "so name a new or empty one"
    )


def test_render_processes_forks_only_for_a_large_site_without_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert render_processes(publish.FORK_MIN_PAGES - 1) == 1
    expected = 4 if sys.platform == "linux" else 1
    assert render_processes(publish.FORK_MIN_PAGES) == expected  # at most four
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert render_processes(10_000) == (2 if sys.platform == "linux" else 1)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # forking could deadlock
    assert render_processes(10_000) == 1


def test_a_site_folder_that_cannot_be_made_is_one_error(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x\n", encoding="utf-8")
    out = tmp_path / "a-file" / "site"
    with pytest.raises(SendplanError) as raised:
        write_site(shares_of(PAGES), out, plan)
    assert str(raised.value).startswith(f"cannot write the site to {out}: ")


def test_a_page_that_cannot_be_written_leaves_no_site_and_no_staging(
    plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    pages = [*PAGES, ("a/b/deep.html", "<p>two folders down</p>")]  # only one level is made
    with pytest.raises(SendplanError) as raised:
        write_site(shares_of(pages), out, plan)
    assert str(raised.value) == f"cannot write the site to {out}: No such file or directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_an_interrupted_site_leaves_no_staging(plan: Path, tmp_path: Path) -> None:
    def interrupted(k: int, n: int) -> Iterable[tuple[str, str]]:
        yield PAGES[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_site(interrupted, tmp_path / "site", plan)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


@forking
def test_forked_shares_write_every_page_once(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert write_site(shares_of(PAGES), out, plan, processes=3) == len(PAGES)
    assert site_files(out) == dict(PAGES)
    assert oct(out.stat().st_mode & 0o777) == "0o755"


@forking
def test_a_share_whose_child_failed_is_written_again_here(plan: Path, tmp_path: Path) -> None:
    parent = os.getpid()

    def fails_in_children(k: int, n: int) -> Iterable[tuple[str, str]]:
        if os.getpid() != parent:
            raise OSError("the child ran out of memory")
        return PAGES[k::n]

    out = tmp_path / "site"
    assert write_site(fails_in_children, out, plan, processes=2) == len(PAGES)
    assert site_files(out) == dict(PAGES)


@forking
def test_when_this_process_fails_its_children_are_stopped(plan: Path, tmp_path: Path) -> None:
    parent = os.getpid()

    def fails_here(k: int, n: int) -> Iterable[tuple[str, str]]:
        if os.getpid() == parent:
            raise OSError(28, "No space left on device")
        return PAGES[k::n]

    out = tmp_path / "site"
    with pytest.raises(SendplanError) as raised:
        write_site(fails_here, out, plan, processes=2)
    assert str(raised.value) == f"cannot write the site to {out}: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".", "holds the plan itself; write the site elsewhere, e.g. -o build/site"),
        ("..", "holds the plan itself; write the site elsewhere, e.g. -o build/site"),
        ("plan/site", "is inside the plan's plan/ folder; write the site elsewhere"),
        ("templates", "is inside the plan's templates/ folder; write the site elsewhere"),
    ],
)
def test_the_plan_and_its_folders_are_refused(plan: Path, where: str, message: str) -> None:
    with pytest.raises(Refusal) as raised:
        check_target(plan / where, plan)
    assert str(raised.value) == f"{plan / where} {message}"


def test_an_earlier_site_is_replaced_whole_and_a_link_is_replaced_not_followed(
    plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    write_site(shares_of(PAGES), out, plan)
    fewer = [PAGES[0], PAGES[-1]]
    assert write_site(shares_of(fewer), out, plan) == 2
    assert site_files(out) == dict(fewer)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan", "site"]  # nothing left over
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "linked"
    link.symlink_to(elsewhere, target_is_directory=True)
    write_site(shares_of(fewer), link, plan)
    assert not link.is_symlink()
    assert site_files(link) == dict(fewer)
    assert list(elsewhere.iterdir()) == []  # never written through
