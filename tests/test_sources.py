"""sources.py: how a plan folder on disk is listed and read, file by file (FolderSource, WithFile,
Narrowed), and what other text files the personal-data scan reads."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sendplan.errors import SendplanError
from sendplan.sources import (
    FolderSource,
    Narrowed,
    PlanFile,
    WithFile,
    classify,
    find_root,
    other_text_files,
)

posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks and FIFOs need POSIX")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("sendplan.yaml", "settings"),
        ("plan/A1/area.yaml", "area"),
        ("plan/A1/A1a-1.yml", "objective"),
        ("plan/A1/old/A1a-1.yaml", "stray"),  # one folder too deep: never an objective
        ("plan/A1a-1.yaml", "stray"),
        ("plan/A1/notes.txt", None),
        ("evidence/E1.md", "evidence"),
        ("evidence/README.md", None),
        ("evidence/2024/E1.md", None),
        ("kpis/k1.yaml", "kpi"),
        ("kpis/old/k1.yaml", "stray"),
        ("approvals/2024-05.yaml", "approval"),
        ("approvals/old/2024-05.yaml", "stray"),
        ("recommendations/SC-1.YAML", "recommendation"),
        ("recommendations/x/SC-1.yaml", "stray"),
        ("templates/report.md.j2", None),
    ],
)
def test_classify_by_the_layout(path: str, kind: str | None) -> None:
    assert classify(path) == kind


def test_an_explicit_plan_folder_must_hold_sendplan_yaml(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    assert find_root(tmp_path, root / "plan" / "..") == root.resolve()
    with pytest.raises(SendplanError) as raised:
        find_root(root, root / "plan")
    assert str(raised.value) == (
        f"no sendplan.yaml in {root / 'plan'}; is --plan the plan's folder?"
    )
    assert find_root(root / "plan" / "A1") == root.resolve()


def _by_path(files: list[PlanFile]) -> dict[str, PlanFile]:
    return {f.path: f for f in files}


@posix_only
def test_files_that_cannot_be_read_are_listed_with_why(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    os.mkfifo(root / "evidence/E8.md")
    (root / "evidence/E7.md").symlink_to(root / "evidence/no-such.md")  # broken, inside
    (root / "kpis/k9.yaml").mkdir()
    outside = tmp_path / "outside-kpi.yaml"
    outside.write_text("id: k1\n", encoding="utf-8")
    (root / "kpis/k8.yaml").symlink_to(outside)
    source = FolderSource(root)
    listed = _by_path(source.files())
    expected = {
        "evidence/E8.md": PlanFile("evidence/E8.md", "evidence", 0, False, "is not a regular file"),
        "evidence/E7.md": PlanFile("evidence/E7.md", "evidence", 0, False, "is a broken symlink"),
        "kpis/k9.yaml": PlanFile("kpis/k9.yaml", "kpi", 0, False, "is a folder, not a file"),
        "kpis/k8.yaml": PlanFile("kpis/k8.yaml", "kpi", 0, True),
    }
    for path, file in expected.items():
        assert listed[path] == file
        assert source.entry(path) == file  # one file looked at alone says the same
    size = (root / "plan/A1/A1a-1.yaml").stat().st_size
    assert source.entry("plan/A1/A1a-1.yaml") == PlanFile("plan/A1/A1a-1.yaml", "objective", size)
    assert source.entry("plan/A1/A1a-9.yaml") is None  # not there
    assert source.entry("README.md") is None  # not a plan file
    assert source.file_state("evidence/E7.md") == "missing"
    assert source.file_state("kpis/k8.yaml") == "outside"
    assert source.file_state("evidence/E1.md") == "ok"
    assert source.file_state("evidence/E1\0.md") == "missing"  # a NUL byte: no such file


@posix_only
def test_a_top_folder_linked_out_of_the_plan_is_listed_never_looked_at(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    elsewhere = tmp_path / "elsewhere-kpis"
    (root / "kpis").rename(elsewhere)
    (root / "kpis").symlink_to(elsewhere, target_is_directory=True)
    kpis = [f for f in FolderSource(root).files() if f.path.startswith("kpis/")]
    names = sorted(p.name for p in elsewhere.iterdir() if classify(f"kpis/{p.name}"))
    assert names  # the fixture has KPIs
    assert kpis == [PlanFile(f"kpis/{name}", "kpi", 0, True) for name in names]


def test_a_plan_without_sendplan_yaml_lists_its_other_files(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "sendplan.yaml").unlink()
    files = FolderSource(root).files()
    assert files
    assert "sendplan.yaml" not in {f.path for f in files}
    assert files[0].path.startswith("plan/")


def _vanishing_scandir(monkeypatch: pytest.MonkeyPatch, folder: Path, victim: Path) -> None:
    """os.scandir of `folder` lists `victim`, which is then deleted before it is looked at."""
    real_scandir = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        with real_scandir(path) as listing:
            entries = list(listing)
        if Path(path) == folder:
            victim.unlink()
        return iter(entries)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_file_gone_between_listing_and_looking_is_listed_as_unreadable(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    victim = root / "evidence/E1.md"
    _vanishing_scandir(monkeypatch, root / "evidence", victim)
    listed = _by_path(FolderSource(root).files())
    assert listed["evidence/E1.md"] == PlanFile(
        "evidence/E1.md", "evidence", 0, False, "no such file or directory"
    )


def test_other_text_files_skip_one_gone_between_listing_and_reading(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    (root / "notes").mkdir()
    (root / "notes/a.md").write_text("kept\n", encoding="utf-8")
    (root / "notes/b.md").write_text("gone\n", encoding="utf-8")
    _vanishing_scandir(monkeypatch, root / "notes", root / "notes/b.md")
    found = dict(other_text_files(root, set(), 1_000))
    assert found["notes/a.md"] == b"kept\n"
    assert "notes/b.md" not in found


def test_a_file_replaced_or_added_before_writing_is_listed_in_order(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    base = FolderSource(root)
    files = base.files()
    paths = [f.path for f in files]

    replaced = WithFile(base, "evidence/E1.md", b"---\nid: E1\n---\n")
    assert [f.path for f in replaced.files()] == paths
    assert _by_path(replaced.files())["evidence/E1.md"].size == len(b"---\nid: E1\n---\n")
    assert replaced.read("evidence/E1.md") == b"---\nid: E1\n---\n"
    assert replaced.read("sendplan.yaml") == (root / "sendplan.yaml").read_bytes()

    added = WithFile(base, "evidence/E0.md", b"new\n")
    listed = [f.path for f in added.files()]
    assert sorted([*paths, "evidence/E0.md"]) == sorted(listed)
    evidence = [p for p in listed if p.startswith("evidence/")]
    assert evidence == sorted(evidence)
    assert evidence[0] == "evidence/E0.md"
    assert listed.index("evidence/E0.md") > max(
        i for i, p in enumerate(listed) if p.startswith("plan/")
    )
    assert added.file_state("evidence/E0.md") == "missing"  # on disk, it is not there yet
    assert added.file_state("evidence/E1.md") == "ok"

    not_a_plan_file = WithFile(base, "README.md", b"# notes\n")
    assert not_a_plan_file.files() == files

    narrowed = Narrowed(base, [f for f in files if f.path.startswith("kpis/")][::-1])
    assert [f.path for f in narrowed.files()] == sorted(
        f.path for f in files if f.path.startswith("kpis/")
    )
    first = narrowed.files()[0].path
    assert narrowed.read(first) == (root / first).read_bytes()
    assert narrowed.file_state("evidence/E1.md") == "ok"
    assert narrowed.file_state("evidence/E99.md") == "missing"
