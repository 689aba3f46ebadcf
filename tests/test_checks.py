"""Each finding code on a broken copy of the minimal plan: exact code, path and line."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sendplan.checks import ALL_CHECKS, run_checks
from sendplan.findings import Finding, Severity
from sendplan.load import load_plan
from sendplan.sources import FolderSource
from tests.conftest import PLANS, TODAY

OBJECTIVE = "plan/A1/A1a-1.yaml"
GOOD_OBJECTIVE = """\
id: A1a:1
theme: A1a
title: Map assessment timelines
owner: Head of SEND
due: 2024-04
evidence: [E1, E2]
kpis: [k20]
supports: [I1]
ratings:
  - date: 2024-03-31
    brag: amber
    note: Mapping under way.
"""

RECOMMENDATION = "recommendations/R1.yaml"
GOOD_RECOMMENDATION = """\
id: R1
from: Health Scrutiny Committee
made: 2024-02-01
text: Publish waiting times.
response: accepted
responded: 2024-02-20
objectives: [A1a:1]
updates:
  - {date: 2024-03-01, status: in-progress, note: Started.}
"""


KPI = "kpis/k20.yaml"
GOOD_KPI = """\
id: k20
title: New EHC plans issued within 20 weeks
unit: "%"
better: higher
target: {value: 60, by: 2025-03}
trajectory:
  - {by: 2024-09, value: 50}
data:
  - {period: 2024-03, value: 40, evidence: E1}
  - {period: 2024-05, value: 58.5, evidence: E1}
"""
APPROVAL = "approvals/2024-05.yaml"
UNKNOWN_COMMIT = "deadbeef" * 5
GOOD_APPROVAL = f"""\
month: 2024-05
board: Improvement Board
date: 2024-06-26
commit: {"a" * 40}
"""


def _missing(commits: Sequence[str]) -> set[str]:
    """A stand-in for git: only deadbeef... is unknown."""
    return {c for c in commits if c == UNKNOWN_COMMIT}


def findings_of(root: Path) -> list[Finding]:
    return run_checks(load_plan(FolderSource(root)), TODAY, _missing)


def where(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in findings]


def test_minimal_plan_is_clean(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    assert findings_of(root) == []


# (code, files to write {path: text}, expected path, expected line)
CASES: list[tuple[str, dict[str, str], str, int]] = [
    ("yaml-syntax", {OBJECTIVE: GOOD_OBJECTIVE + "  - [unclosed\n"}, OBJECTIVE, 14),
    ("duplicate-key", {OBJECTIVE: GOOD_OBJECTIVE + "title: Again\n"}, OBJECTIVE, 13),
    (
        "schema",
        {OBJECTIVE: GOOD_OBJECTIVE.replace("due: 2024-04", "due: 2024-02-30")},
        OBJECTIVE,
        5,
    ),
    ("schema", {OBJECTIVE: GOOD_OBJECTIVE.replace("brag: amber", "brag: no")}, OBJECTIVE, 11),
    ("unknown-key", {OBJECTIVE: GOOD_OBJECTIVE.replace("evidence:", "evidnce:")}, OBJECTIVE, 6),
    ("unknown-key", {OBJECTIVE: GOOD_OBJECTIVE + "    colour: red\n"}, OBJECTIVE, 13),
    (
        "duplicate-id",
        {"plan/I1/A1a-1.yaml": GOOD_OBJECTIVE.replace("theme: A1a\n", "")},
        "plan/I1/A1a-1.yaml",
        1,
    ),
    (
        "id-filename-mismatch",
        {"plan/A1/A1a-3.yaml": GOOD_OBJECTIVE.replace("A1a:1", "A1a:9"), OBJECTIVE: ""},
        "plan/A1/A1a-3.yaml",
        1,
    ),
    (
        "unknown-evidence",
        {OBJECTIVE: GOOD_OBJECTIVE.replace("[E1, E2]", "\n  - E1\n  - E9O")},
        OBJECTIVE,
        8,
    ),
    ("unknown-kpi", {OBJECTIVE: GOOD_OBJECTIVE.replace("[k20]", "[k20, k99]")}, OBJECTIVE, 7),
    (
        "unknown-area",
        {"plan/ZZ/ZZ-1.yaml": GOOD_OBJECTIVE.replace("A1a:1", "ZZ:1")},
        "plan/ZZ/ZZ-1.yaml",
        1,
    ),
    (
        "unknown-theme",
        {OBJECTIVE: GOOD_OBJECTIVE.replace("theme: A1a", "theme: A1z")},
        OBJECTIVE,
        2,
    ),
    ("unknown-support", {OBJECTIVE: GOOD_OBJECTIVE.replace("[I1]", "[I1, A1]")}, OBJECTIVE, 8),
    (
        "ratings-order",
        {OBJECTIVE: GOOD_OBJECTIVE + "  - date: 2024-03-31\n    brag: red\n    note: Same day.\n"},
        OBJECTIVE,
        13,
    ),
    (
        "future-rating",
        {OBJECTIVE: GOOD_OBJECTIVE + "  - date: 2024-07-02\n    brag: red\n    note: Tomorrow.\n"},
        OBJECTIVE,
        13,
    ),
    (
        "due-history",
        {
            OBJECTIVE: GOOD_OBJECTIVE.replace(
                "due: 2024-04\n",
                "due: 2024-04\ndue_history:\n"
                "  - {on: 2024-03-20, from: 2024-02, to: 2024-05, reason: x}\n",
            )
        },
        OBJECTIVE,
        7,
    ),
    (
        "evidence-file-missing",
        {"evidence/E1.md": "---\nid: E1\ntitle: Map\nfile: files/x.pdf\n---\n"},
        "evidence/E1.md",
        4,
    ),
    (
        "path-outside-plan",
        {"evidence/E1.md": "---\nid: E1\ntitle: Map\nfile: ../../../etc/passwd\n---\n"},
        "evidence/E1.md",
        4,
    ),
    (
        "orphan-evidence",
        {"evidence/E3.md": "---\nid: E3\ntitle: Unused\n---\n"},
        "evidence/E3.md",
        2,
    ),
    (
        "missing-owner",
        {OBJECTIVE: GOOD_OBJECTIVE.replace("owner: Head of SEND\n", "")},
        OBJECTIVE,
        1,
    ),
    (
        "duplicate-period",
        {KPI: GOOD_KPI + "  - {period: 2024-03, value: 41, evidence: E1}\n"},
        KPI,
        11,
    ),
    ("trajectory", {KPI: GOOD_KPI.replace("by: 2024-09", "by: 2025-03")}, KPI, 7),
    (
        "trajectory",
        {
            KPI: GOOD_KPI.replace(
                "  - {by: 2024-09, value: 50}\n",
                "  - {by: 2024-09, value: 50}\n  - {by: 2024-08, value: 45}\n",
            )
        },
        KPI,
        8,
    ),
    ("trajectory", {KPI: GOOD_KPI.replace("target: {value: 60, by: 2025-03}\n", "")}, KPI, 5),
    (
        "future-withdrawal",
        {OBJECTIVE: GOOD_OBJECTIVE + "withdrawn: {on: 2024-07-02, reason: Merged into A1a:2}\n"},
        OBJECTIVE,
        13,
    ),
    (
        "future-record",
        {OBJECTIVE: GOOD_OBJECTIVE.replace("due: 2024-04\n", "due: 2024-04\ndone: 2024-07-02\n")},
        OBJECTIVE,
        6,
    ),
    (
        "future-record",
        {
            OBJECTIVE: GOOD_OBJECTIVE.replace(
                "due: 2024-04\n",
                "due: 2024-04\ndue_history:\n"
                "  - {on: 2024-07-02, from: 2024-02, to: 2024-04, reason: x}\n",
            )
        },
        OBJECTIVE,
        7,
    ),
    (
        "future-record",
        {
            "sendplan.yaml": (PLANS / "minimal" / "sendplan.yaml").read_text(encoding="utf-8")
            + "milestones:\n  - {name: Revisit, due: 2024-09, done: 2024-07-02}\n"
        },
        "sendplan.yaml",
        6,
    ),
    (
        "rated-after-withdrawal",
        {OBJECTIVE: GOOD_OBJECTIVE + "withdrawn:\n  on: 2024-03-01\n  reason: Merged\n"},
        OBJECTIVE,
        10,
    ),
    (
        "unknown-objective",
        {RECOMMENDATION: GOOD_RECOMMENDATION.replace("[A1a:1]", "\n  - A1a:1\n  - A1a:9")},
        RECOMMENDATION,
        9,
    ),
    (
        "recommendation-dates",
        {RECOMMENDATION: GOOD_RECOMMENDATION.replace("ded: 2024-02-20", "ded: 2024-01")},
        RECOMMENDATION,
        6,
    ),
    (
        "ratings-order",
        {RECOMMENDATION: GOOD_RECOMMENDATION + "  - {date: 2024-03-01, status: closed}\n"},
        RECOMMENDATION,
        10,
    ),
    (
        "future-rating",
        {RECOMMENDATION: GOOD_RECOMMENDATION + "  - {date: 2024-07-02, status: closed}\n"},
        RECOMMENDATION,
        10,
    ),
    (
        "schema",
        {OBJECTIVE: GOOD_OBJECTIVE + "withdrawn: {on: 2024-03-31, reason: ' '}\n"},
        OBJECTIVE,
        13,
    ),
    (
        "approval-commit-unknown",
        {APPROVAL: GOOD_APPROVAL.replace("a" * 40, UNKNOWN_COMMIT)},
        APPROVAL,
        4,
    ),
    (
        "id-filename-mismatch",
        {"approvals/2024-06.yaml": GOOD_APPROVAL},
        "approvals/2024-06.yaml",
        1,
    ),
    (
        "duplicate-id",
        {APPROVAL: GOOD_APPROVAL, "approvals/2024-05.yml": GOOD_APPROVAL},
        "approvals/2024-05.yml",
        1,
    ),
    ("schema", {APPROVAL: GOOD_APPROVAL.replace("a" * 40, "a" * 12)}, APPROVAL, 4),
    ("schema", {APPROVAL: GOOD_APPROVAL.replace("2024-05", "2024-13")}, APPROVAL, 1),
    ("unknown-key", {APPROVAL: GOOD_APPROVAL + "approved: true\n"}, APPROVAL, 5),
    (
        "schema",
        {RECOMMENDATION: GOOD_RECOMMENDATION.replace("status: in-progress", "status: done")},
        RECOMMENDATION,
        9,
    ),
    (
        "unknown-key",
        {RECOMMENDATION: GOOD_RECOMMENDATION.replace("responded:", "respnded:")},
        RECOMMENDATION,
        6,
    ),
    (
        "id-filename-mismatch",
        {"recommendations/R2.yaml": GOOD_RECOMMENDATION},
        "recommendations/R2.yaml",
        1,
    ),
    (
        "unevidenced-rating",
        {
            "plan/I1/I1-1.yaml": "id: I1:1\ntitle: T\nowner: O\nongoing: true\n"
            "ratings:\n  - date: 2024-05-10\n    brag: green\n"
        },
        "plan/I1/I1-1.yaml",
        7,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "files", "path", "line"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_broken_copy_gives_exactly_its_finding(
    plan_copy: Callable[[str], Path], code: str, files: dict[str, str], path: str, line: int
) -> None:
    root = plan_copy("minimal")
    for rel, text in files.items():
        target = root / rel
        if text == "":
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    found = findings_of(root)
    assert [(f.code, f.path, f.line) for f in found] == [(code, path, line)]


def test_every_check_code_has_a_case() -> None:
    assert {c.code.name for c in ALL_CHECKS} <= {case[0] for case in CASES}


def test_all_findings_in_one_run(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(
        GOOD_OBJECTIVE.replace("[k20]", "[k99]")
        .replace("theme: A1a", "theme: nope")
        .replace("owner: Head of SEND\n", ""),
        encoding="utf-8",
    )
    (root / "evidence/E9.md").write_text("---\nid: E9\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert where(findings_of(root)) == [
        ("yaml-syntax", "evidence/E9.md", 4),
        ("missing-owner", OBJECTIVE, 1),
        ("unknown-theme", OBJECTIVE, 2),
        ("unknown-kpi", OBJECTIVE, 6),
    ]


def test_unknown_evidence_message_and_severity(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(
        GOOD_OBJECTIVE.replace("[E1, E2]", "[E1, E2, E999]"), encoding="utf-8"
    )
    assert findings_of(root) == [
        Finding(
            OBJECTIVE,
            6,
            20,
            "unknown-evidence",
            Severity.ERROR,
            "A1a:1 cites E999, which is not in evidence/",
            "A1a:1",
        )
    ]


def test_a_broken_evidence_file_does_not_cascade_into_unknown_citations(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "evidence/E1.md").write_text(
        "---\nid: E1\ntitle: x\ndate: 2024-13\n---\n", encoding="utf-8"
    )
    assert where(findings_of(root)) == [("schema", "evidence/E1.md", 4)]


def test_unknown_key_suggests_the_key_meant(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(GOOD_OBJECTIVE.replace("evidence:", "evidnce:"), encoding="utf-8")
    (finding,) = findings_of(root)
    assert finding.message == "unknown key 'evidnce'; did you mean 'evidence'?"


def test_support_of_a_priority_area_is_unknown_support(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(GOOD_OBJECTIVE.replace("[I1]", "[A1]"), encoding="utf-8")
    (finding,) = findings_of(root)
    assert (
        finding.message
        == "A1a:1 supports A1, which is a priority area, not an area for improvement"
    )


def test_objective_in_area_with_themes_must_name_one(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(GOOD_OBJECTIVE.replace("theme: A1a\n", ""), encoding="utf-8")
    assert where(findings_of(root)) == [("unknown-theme", OBJECTIVE, 1)]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlink_out_of_the_plan_is_path_outside_plan(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: k30\ntitle: Secret\n", encoding="utf-8")
    (root / "kpis/k30.yaml").symlink_to(secret)
    assert where(findings_of(root)) == [("path-outside-plan", "kpis/k30.yaml", 0)]


def test_recommendation_dates_that_cannot_be(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("scrutiny")
    sc1 = root / "recommendations/SC-1.yaml"
    text = sc1.read_text(encoding="utf-8")
    sc1.write_text(
        text.replace("responded: 2024-02-20", "responded: 2024-07-20").replace(
            "{date: 2024-03-10,", "{date: 2024-01-10,"
        ),
        encoding="utf-8",
    )
    sc2 = root / "recommendations/SC-2.yaml"
    sc2.write_text(sc2.read_text(encoding="utf-8") + "responded: 2024-06-01\n", encoding="utf-8")
    found = [
        (f.code, f.path, f.line, f.message)
        for f in findings_of(root)
        if f.code == "recommendation-dates" and f.path != "recommendations/SC-10.yaml"
    ]
    assert found == [
        ("recommendation-dates", "recommendations/SC-1.yaml", 7,
         "SC-1: responded 2024-07-20 is in the future (today is 2024-07-01); record a response "
         "once it is given"),
        ("recommendation-dates", "recommendations/SC-1.yaml", 12,
         "SC-1: update dated 2024-01-10 is before it was made (2024-02-01)"),
        ("recommendation-dates", "recommendations/SC-2.yaml", 5,
         "SC-2: response is pending but responded is 2024-06-01; give the response (accepted, "
         "partly-accepted or rejected) or remove responded"),
    ]  # fmt: skip


def test_due_history_out_of_order_disjoint_or_not_moving(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    path = root / "plan/A1/A1a-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "due: 2024-04\n",
            "due: 2024-04\ndue_history:\n"
            "  - {on: 2024-02-01, from: 2024-01, to: 2024-02, reason: Staffing}\n"
            "  - {on: 2024-01-15, from: 2024-03, to: 2024-03, reason: Again}\n"
            "  - {on: 2024-03-01, from: 2024-03, to: 2024-04, reason: Procurement}\n",
        ),
        encoding="utf-8",
    )
    assert [(f.code, f.line, f.message) for f in findings_of(root)] == [
        ("due-history", 9, "A1a:1: re-baseline of 2024-01-15 is listed after one of 2024-02-01; "
         "keep due_history in date order"),
        ("due-history", 9, "A1a:1: re-baseline of 2024-01-15 moves from 2024-03-31, but the one "
         "before moved the deadline to 2024-02-29"),
        ("due-history", 9, "A1a:1: re-baseline of 2024-01-15 does not move the deadline"),
    ]  # fmt: skip


def test_a_theme_id_used_by_two_areas_is_a_duplicate(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    area = root / "plan/I1/area.yaml"
    area.write_text(
        area.read_text(encoding="utf-8") + "themes:\n  - id: A1a\n    title: Again\n",
        encoding="utf-8",
    )
    assert [(f.code, f.path, f.line, f.message) for f in findings_of(root)] == [
        ("duplicate-id", "plan/I1/area.yaml", 5, "theme A1a is already defined in area A1"),
    ]


def test_supporting_an_area_whose_file_is_broken_is_not_an_unknown_area(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")  # A1a:1 supports I1
    (root / "plan/I1/area.yaml").write_text("id: I1\nkind: [broken\n", encoding="utf-8")
    assert [(f.code, f.path, f.line, f.message) for f in findings_of(root)] == [
        ("yaml-syntax", "plan/I1/area.yaml", 3, "YAML syntax: did not find expected ',' or ']'"),
    ]
