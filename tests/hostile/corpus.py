"""The hostile corpus: each case dropped into a copy of the minimal fixture plan.

A case is one file in `cases/` (or, where a file cannot be committed - a FIFO, a symlink, a
1 MB file, thousands of files - a recipe that makes it), where it goes in the plan, and exactly
which findings that file must get. Every plan built here also carries a sentinel: an uncited
evidence item, evidence/E9.md, whose `orphan-evidence` warning (line 2) proves that the rest
of the plan was still checked.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
MINIMAL = HERE.parent / "fixtures" / "plans" / "minimal"

OBJECTIVE = "plan/A1/A1a-2.yaml"
EVIDENCE = "evidence/E3.md"
KPI = "kpis/k3.yaml"
AREA = "plan/Z9/area.yaml"
SENTINEL = ("orphan-evidence", "evidence/E9.md", 2)
OBJECTIVE_TEXT = (
    "id: A1a:2\ntheme: A1a\ntitle: Hostile objective\nowner: Head of SEND\ndue: 2024-04\n"
)

Maker = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """A hostile file, where it goes, and exactly the findings the plan must then get."""

    name: str
    dest: str
    expected: tuple[tuple[str, int], ...]
    """(code, line) of every finding on `dest`, in order."""
    exit_code: int = 1
    make: Maker | None = None
    """Builds the case instead of copying cases/<name>."""
    message: str = ""
    """A fragment the message of the first finding on `dest` must contain."""
    elsewhere: tuple[tuple[str, str, int], ...] = ()
    """(code, path, line) of findings on other files, besides the sentinel."""
    bulk: dict[str, int] = field(default_factory=dict)
    """Codes expected many times elsewhere, with their count (thousands of stray files)."""
    heavy: bool = False
    """Seconds to run: only in the one subprocess run of the whole corpus."""


def _write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")


def _oversize(root: Path) -> None:
    _write(root, OBJECTIVE, OBJECTIVE_TEXT + "# " + "x" * (1_000_001 - len(OBJECTIVE_TEXT)) + "\n")


def _over_configured_limit(root: Path) -> None:
    settings = (MINIMAL / "sendplan.yaml").read_text(encoding="utf-8")
    _write(root, "sendplan.yaml", settings + "max_file_bytes: 2000\n")
    _write(root, OBJECTIVE, OBJECTIVE_TEXT + "# " + "x" * 2500 + "\n")


def _node_flood(root: Path) -> None:
    """The most nodes that fit in the default 1 MB: the costliest file to parse."""
    _write(root, KPI, "[" + "a," * 499_990 + "a]\n")


def _very_long_line(root: Path) -> None:
    _write(root, OBJECTIVE, OBJECTIVE_TEXT + "commitment: " + "long " * 180_000 + "\ncolour: red\n")


def _fifo(root: Path) -> None:
    os.mkfifo(root / OBJECTIVE)


def _folder_named_like_a_file(root: Path) -> None:
    (root / EVIDENCE).mkdir(parents=True)
    _write(root, EVIDENCE + "/inner.md", "---\nid: E3\ntitle: Inside a folder\n---\n")


def _broken_symlink(root: Path) -> None:
    (root / KPI).symlink_to("no-such-file.yaml")


def _symlink_out(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside.yaml"
    outside.write_text("id: k3\ntitle: Secret from outside the plan\n", encoding="utf-8")
    (root / KPI).symlink_to(outside)


def _evidence_file_symlink_out(root: Path) -> None:
    outside = root.parent / f"{root.name}-secret.pdf"
    outside.write_bytes(b"%PDF-1.4 secret")
    (root / "evidence/files").mkdir()
    (root / "evidence/files/E3.pdf").symlink_to(outside)
    _write(root, EVIDENCE, "---\nid: E3\ntitle: File\nfile: files/E3.pdf\n---\n")


def _folder_symlink_out(root: Path) -> None:
    outside = root.parent / f"{root.name}-area"
    outside.mkdir()
    (outside / "area.yaml").write_text("id: Z9\nkind: priority\ntitle: Elsewhere\n", "utf-8")
    (root / "plan/Z9").symlink_to(outside, target_is_directory=True)


def _stray_flood(root: Path) -> None:
    for i in range(2_000):  # ignored: not YAML
        (root / f"plan/A1/notes-{i}.txt").write_text("x", encoding="utf-8")
    (root / "plan/A1/deeper").mkdir()
    for i in range(1_000):  # reported: YAML at the wrong depth
        (root / f"plan/A1/deeper/s{i}.yaml").write_text("x: 1\n", encoding="utf-8")
    _write(root, OBJECTIVE, OBJECTIVE_TEXT + "colour: red\n")


def _escape_in_file_name(root: Path) -> None:
    _write(root, "plan/A1/\x1b[2J\x1b]0;pwned\x07.yaml", "id: A1a:2\n")


def _bom_crlf_pair(root: Path) -> None:
    for name, dest in (("bom-crlf-objective.yaml", OBJECTIVE), ("bom-crlf-evidence.md", EVIDENCE)):
        _write(root, dest, (CASES / name).read_bytes())


STATIC: list[Case] = [
    # The refused alias is the anchored node itself, so the line is the anchor's (&a0).
    Case("alias-bomb.yaml", OBJECTIVE, (("yaml-syntax", 9),), message="aliases"),
    Case("nesting-50000.yaml", OBJECTIVE, (("yaml-syntax", 3),), message="nesting depth"),
    Case("tag-python-apply.yaml", OBJECTIVE, (("yaml-syntax", 6),), message="not allowed"),
    Case("tag-python-new.md", EVIDENCE, (("yaml-syntax", 3),), message="not allowed"),
    Case("tag-python-name.yaml", KPI, (("yaml-syntax", 2),), message="not allowed"),
    Case("tag-python-mapping.yaml", OBJECTIVE, (("yaml-syntax", 7),), message="not allowed"),
    Case("tag-local.yaml", AREA, (("yaml-syntax", 3),), message="not allowed"),
    Case("tag-set.yaml", OBJECTIVE, (("yaml-syntax", 1),), message="not allowed"),
    Case("tab-indent.yaml", OBJECTIVE, (("yaml-syntax", 7),), message="tab"),
    Case("not-utf8.yaml", OBJECTIVE, (("encoding", 3),), message="byte 0xe9 at offset 31"),
    Case("binary-png.yaml", OBJECTIVE, (("encoding", 1),), message="byte 0x89 at offset 0"),
    Case("binary-nul.yaml", OBJECTIVE, (("encoding", 2),), message="NUL"),
    Case("empty.yaml", OBJECTIVE, (("schema", 0),), message="found nothing"),
    Case("top-level-list.yaml", OBJECTIVE, (("schema", 1),), message="found a list"),
    Case("top-level-scalar.yaml", OBJECTIVE, (("schema", 1),), message="found a str"),
    Case("yaml11-brag-no.yaml", OBJECTIVE, (("schema", 8),), message="'red', 'amber'"),
    Case("yaml11-title-yes.yaml", OBJECTIVE, (("ambiguous-boolean", 3),), message="quote it"),
    Case("yaml11-public-no.md", EVIDENCE, (("schema", 4),), message="valid boolean"),
    Case("impossible-date.yaml", OBJECTIVE, (("schema", 5),), message="February 2024 has 29"),
    Case("duplicate-key.yaml", OBJECTIVE, (("duplicate-key", 6),), message="appears twice"),
    Case("merge-key.yaml", OBJECTIVE, (("unknown-key", 6),), message="'<<'"),
    Case("huge-integer.yaml", KPI, (("schema", 4),), message="finite number"),
    Case("evidence-unclosed.md", EVIDENCE, (("yaml-syntax", 1),), message="not closed"),
    Case("link-javascript.md", EVIDENCE, (("schema", 4),), message="http"),
    Case("link-data.md", EVIDENCE, (("schema", 4),), message="http"),
    Case("link-file.md", EVIDENCE, (("schema", 4),), message="http"),
    Case("link-mixed-case.md", EVIDENCE, (("schema", 4),), message="http"),
    Case("link-tab-trick.md", EVIDENCE, (("schema", 4),), message="http"),
    Case(
        "file-dotdot.md",
        EVIDENCE,
        (("orphan-evidence", 2), ("path-outside-plan", 4)),
        message="not cited",
    ),
    Case(
        "file-absolute.md",
        EVIDENCE,
        (("orphan-evidence", 2), ("path-outside-plan", 4)),
        message="not cited",
    ),
    Case(
        "file-nul.md",
        EVIDENCE,
        (("orphan-evidence", 2), ("evidence-file-missing", 4), ("unsafe-text", 4)),
        message="not cited",
    ),
    Case("trojan-source.yaml", OBJECTIVE, (("unsafe-text", 6),), message="bidi"),
    Case("escape-sequence.yaml", OBJECTIVE, (("unsafe-text", 6),), message="control"),
    Case("raw-escape.yaml", OBJECTIVE, (("yaml-syntax", 6),), message="control characters"),
    Case("rich-markup.yaml", OBJECTIVE, (("schema", 6), ("schema", 6)), message="not a valid ID"),
]

GENERATED: list[Case] = [
    Case("oversize", OBJECTIVE, (("file-too-large", 0),), make=_oversize, message="1,000,000"),
    Case(
        "over-configured-limit",
        OBJECTIVE,
        (("file-too-large", 0),),
        make=_over_configured_limit,
        message="2,000-byte limit",
    ),
    Case("node-flood", KPI, (("schema", 1),), make=_node_flood, message="found a list", heavy=True),
    Case("very-long-line", OBJECTIVE, (("unknown-key", 7),), make=_very_long_line),
    Case("fifo", OBJECTIVE, (("unreadable", 0),), make=_fifo, message="not a regular file"),
    Case(
        "folder-named-like-a-file",
        EVIDENCE,
        (("unreadable", 0),),
        make=_folder_named_like_a_file,
        message="is a folder",
    ),
    Case("broken-symlink", KPI, (("unreadable", 0),), make=_broken_symlink, message="broken"),
    Case("symlink-out", KPI, (("path-outside-plan", 0),), make=_symlink_out),
    Case(
        "evidence-file-symlink-out",
        EVIDENCE,
        (("orphan-evidence", 2), ("path-outside-plan", 4)),
        make=_evidence_file_symlink_out,
    ),
    Case("folder-symlink-out", AREA, (("path-outside-plan", 0),), make=_folder_symlink_out),
    Case(
        "stray-flood",
        OBJECTIVE,
        (("unknown-key", 6),),
        make=_stray_flood,
        bulk={"stray-file": 1_000},
    ),
    Case(
        "escape-in-file-name",
        "plan/A1/\x1b[2J\x1b]0;pwned\x07.yaml",
        (("schema", 1),),
        make=_escape_in_file_name,
    ),
    Case(
        "bom-crlf",
        OBJECTIVE,
        (("unevidenced-rating", 8),),
        exit_code=0,
        make=_bom_crlf_pair,
        elsewhere=(("orphan-evidence", EVIDENCE, 2),),
    ),
]

ALL: list[Case] = STATIC + GENERATED


def build(case: Case | None, root: Path) -> Path:
    """A copy of the minimal plan at `root` with `case` (if any) dropped in, plus the sentinel."""
    shutil.copytree(MINIMAL, root, symlinks=True)
    _write(root, "evidence/E9.md", "---\nid: E9\ntitle: Sentinel, cited by nothing\n---\n")
    if case is None:
        return root
    if case.make is not None:
        case.make(root)
    else:
        _write(root, case.dest, (CASES / case.name).read_bytes())
    return root
