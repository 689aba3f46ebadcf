"""`sendplan site`: the archive site of a plan, built with the real command and read back."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sendplan.cli import app
from tests.conftest import PLANS
from tests.gitrepo import commit, edit, init_repo
from tests.sitecheck import check_site, reachable, tables

# Each test renders a whole archive site (or shares one a module fixture renders).
pytestmark = pytest.mark.slow

ENV = {"SOURCE_DATE_EPOCH": "1719824400"}  # 2024-07-01 09:00 UTC
BOARD = PLANS / "board"
MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07")
OBJECTIVES = ("A1a-1", "A1a-2", "A1b-1", "A1b-2", "A2-1", "A2-2", "A2-3", "I1-1", "I2-1")
KPIS = ("camhs-wait", "ehcp-20wk", "places")
CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, ["site", *args], env={**ENV, **(env or {})})


def build(plan: Path, out: Path, *args: str) -> Path:
    result = run("--plan", str(plan), "-o", str(out), "--to", "2024-07", *args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def board_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The board fixture plan's site, January to July 2024, from files outside git."""
    return build(BOARD, tmp_path_factory.mktemp("site") / "site")


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_site_has_a_page_for_each_month_objective_and_kpi(board_site: Path) -> None:
    assert files(board_site) == sorted(
        [
            "index.html",
            *(f"months/{m}.html" for m in MONTHS),
            *(f"objectives/{o}.html" for o in OBJECTIVES),
            *(f"kpis/{k}.html" for k in KPIS),
        ]
    )


def test_every_link_resolves_inside_the_site_and_nothing_loads(board_site: Path) -> None:
    problems, checked = check_site(board_site)
    assert problems == []
    assert checked > 300
    assert reachable(board_site) == set(files(board_site))  # every page is linked from the index


def test_link_checker_finds_a_broken_link_and_a_missing_fragment(
    board_site: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(board_site, broken)
    edit(broken / "months/2024-06.html", 'href="../index.html#months"', 'href="../index.html#m"')
    name = "objectives/A1a-1.html"
    edit(broken / name, 'href="../kpis/ehcp-20wk.html"', 'href="../kpis/nope.html"')
    problems, _ = check_site(broken)
    assert [re.sub(r":\d+:", ":N:", p) for p in problems] == [
        "months/2024-06.html:N: href='../index.html#m': index.html has no id 'm'",
        "objectives/A1a-1.html:N: href='../kpis/nope.html': no such page kpis/nope.html",
    ]


def test_every_page_has_the_csp_and_no_script(board_site: Path) -> None:
    for name in files(board_site):
        text = page(board_site, name)
        assert text.startswith('<!DOCTYPE html>\n<html lang="en-GB">\n'), name
        assert CSP in text, name
        assert "<script" not in text.lower(), name
        assert text.count("<h1>") == 1, name
        (title,) = re.findall(r"<title>(.*?)</title>", text[: text.index("</head>")], re.S)
        assert "<" not in title, name  # text only
        assert "\n" not in title, name  # on one line


def test_a_second_build_writes_the_same_bytes(board_site: Path, tmp_path: Path) -> None:
    again = build(BOARD, tmp_path / "again")
    assert files(again) == files(board_site)
    for name in files(again):
        assert (again / name).read_bytes() == (board_site / name).read_bytes(), name


def test_index_counts_each_month_and_says_which_are_approved(board_site: Path) -> None:
    rows = tables(page(board_site, "index.html"))["months-table"]
    assert rows[0] == [
        "Month",
        *("Red", "Amber", "Green", "Blue", "Unrated"),
        *("Contradicted", "Overdue", "Stale", "Declined", "Re-baselined"),
        "Approval",
    ]
    # Newest first. Worked out by hand from the fixture's ratings; June's are those of the June
    # report (tests/golden/board-2024-06.json).
    assert rows[1:] == [
        ["July 2024", "1", "4", "2", "1", "1", "0", "1", "4", "0", "0", "Not approved"],
        ["June 2024", "1", "4", "1", "1", "2", "0", "1", "3", "1", "1", "Not approved"],
        ["May 2024", "0", "5", "0", "1", "3", "0", "0", "5", "0", "0", "Not approved"],
        ["April 2024", "0", "3", "0", "1", "5", "0", "0", "5", "0", "0", "Not approved"],
        ["March 2024", "0", "1", "0", "1", "7", "0", "0", "7", "0", "0", "Not approved"],
        ["February 2024", "0", "0", "1", "0", "8", "0", "0", "8", "0", "0", "Not approved"],
        ["January 2024", "0", "0", "1", "0", "8", "0", "0", "8", "0", "0", "Not approved"],
    ]


@pytest.mark.parametrize("month", MONTHS)
def test_index_row_of_each_month_is_that_months_report_summary(
    board_site: Path, month: str
) -> None:
    import json

    args = ["report", "--plan", str(BOARD), "--month", month, "--format", "json"]
    summary = json.loads(CliRunner().invoke(app, args, env=ENV).stdout)["summary"]
    rows = tables(page(board_site, "index.html"))["months-table"]
    (row,) = [r for r in rows if r[0].endswith(month[:4]) and r[0].startswith(_month_name(month))]
    flags = {f["flag"]: f["count"] for f in summary["flags"]}
    assert row[1:6] == [str(r["now"]) for r in summary["ratings"]]
    assert row[6:11] == [
        str(flags[f]) for f in ("contradicted", "overdue", "stale", "declined", "rebaselined")
    ]


def _month_name(month: str) -> str:
    import calendar

    return calendar.month_name[int(month[5:])]


def test_index_chart_draws_the_counts_of_the_table(board_site: Path) -> None:
    text = page(board_site, "index.html")
    figure = text[text.index("<figure>") : text.index("</figure>")]
    assert '<svg class="chart" role="img" aria-labelledby="brag-chart"' in figure
    assert (
        '<figcaption id="brag-chart">Ratings at the end of each month, January 2024 to ' in figure
    )
    # One bar per month, one rectangle per rating with objectives; June: 1 red, 4 amber ...
    assert figure.count("<g>") == 7
    june = figure.split("<g>")[6]
    assert re.findall(r'class="bar bar--(\w+)"', june) == [
        "red",
        "amber",
        "green",
        "blue",
        "unrated",
    ]


def test_month_page_is_that_months_board_report_marked_not_approved(
    board_site: Path, tmp_path: Path
) -> None:
    month = page(board_site, "months/2024-06.html")
    report = tmp_path / "report.html"
    args = ["report", "--plan", str(BOARD), "--month", "2024-06", "-o", str(report), "--quiet"]
    assert CliRunner().invoke(app, args, env=ENV).exit_code == 0
    expected = report.read_text(encoding="utf-8")

    def main(html: str) -> str:
        body = html[html.index('<main id="main"') : html.index("</main>")]
        return re.sub(r'<a href="\.\./[^"]*">([^<]*)</a>', r"\1", body)  # the site's own links

    banner = (
        '<div class="banner" role="note"><p><strong>Not approved:</strong> no approval is '
        "recorded for June 2024, so this page shows the month as the current plan tells it."
        "</p></div>\n"
    )
    assert banner in month
    assert main(month).replace(banner, "") == main(expected)
    assert "<title>Lakeside SEND Improvement Plan: board report, June 2024</title>" in month
    assert '<a href="2024-05.html" rel="prev">Previous month: May 2024</a>' in month
    assert '<a href="2024-07.html" rel="next">Next month: July 2024</a>' in month
    assert '<li aria-current="page">June 2024</li>' in month
    # Objective IDs and KPI titles in the report link to their own pages.
    assert (
        '<th scope="row" data-label="Objective"><a href="../objectives/A1a-2.html">A1a:2</a></th>'
        in month
    )
    assert '<a href="../kpis/ehcp-20wk.html">New EHC plans issued within 20 weeks</a>' in month
    first, last = page(board_site, "months/2024-01.html"), page(board_site, "months/2024-07.html")
    assert 'rel="prev"' not in first
    assert 'rel="next"' not in last


def test_objective_page_tells_the_whole_timeline(board_site: Path) -> None:
    text = page(board_site, "objectives/A1a-1.html")
    found = tables(text)
    assert found["ratings-table"] == [
        ["Date", "Rating", "By", "Note", "Evidence", "Board report"],
        ["30 Apr 2024", "Amber", "Not named", "Tracker built.", "—", "April 2024 Not approved"],
        [
            "15 Jun 2024",
            "Green",
            "PDG",
            "Tracker in daily use; 58% on time in May.",
            "E1 E1 EHCP timeliness dashboard, May 2024",  # the disclosure: ID, then ID and title
            "June 2024 Not approved",
        ],
    ]
    # Stale in July: 31 July is 46 days after the rating of 15 June (stale_after_days: 45).
    assert found["months-table"][1:] == [
        ["July 2024", "Green", "Stale", "Not approved"],
        ["June 2024", "Green", "—", "Not approved"],
        ["May 2024", "Amber", "—", "Not approved"],
        ["April 2024", "Amber", "—", "Not approved"],
        ["March 2024", "Unrated", "Stale Unrated", "Not approved"],
        ["February 2024", "Unrated", "Stale Unrated", "Not approved"],
        ["January 2024", "Unrated", "Stale Unrated", "Not approved"],
    ]
    assert found["kpi-1-table"] == [
        # Expected: the line from 12% on 31 Dec 2023 to the 60% target on 31 Mar 2025 (456 days).
        ["Period", "Value", "Change", "Expected", "Evidence", "Note"],
        ["December 2023", "12%", "—", "12%", "E2 E2 Assessment backlog report", "—"],
        ["March 2024", "40%", "+28pp", "21.58%", "E2 E2 Assessment backlog report", "—"],
        ["May 2024", "58%", "+18pp", "28%", "E1 E1 EHCP timeliness dashboard, May 2024", "—"],
        ["July 2024", "61%", "+3pp", "34.42%", "E1 E1 EHCP timeliness dashboard, May 2024", "—"],
    ]
    assert "<h1>A1a:1: Daily tracking of every assessment</h1>" in text
    assert '<a href="../months/2024-06.html">June 2024</a>' in text
    assert '<a href="../index.html#area-I1">I1: Preparing for adulthood</a>' in text
    assert '<svg class="chart" role="img" aria-labelledby="kpi-1-chart"' in text
    assert "<li>None</li>" not in text


def test_kpi_page_has_series_target_and_benchmarks(board_site: Path) -> None:
    text = page(board_site, "kpis/ehcp-20wk.html")
    found = tables(text)
    assert found["series-table"][1:] == [
        ["December 2023", "12%", "—", "12%", "E2 E2 Assessment backlog report", "—"],
        ["March 2024", "40%", "+28pp", "21.58%", "E2 E2 Assessment backlog report", "—"],
        ["May 2024", "58%", "+18pp", "28%", "E1 E1 EHCP timeliness dashboard, May 2024", "—"],
        ["July 2024", "61%", "+3pp", "34.42%", "E1 E1 EHCP timeliness dashboard, May 2024", "—"],
    ]
    assert "<dt>Status</dt><dd>Met at 31 July 2024 (tolerance 10%)</dd>" in text
    assert found["benchmarks-table"] == [
        ["For", "Period", "Value", "Source"],
        ["England", "2022", "50.7%", "DfE EHC plans statistics 2023"],
        ["England", "2023", "50.3%", "DfE EHC plans statistics 2024"],
    ]
    assert "<dt>Target</dt><dd>60% by 31 March 2025: met</dd>" in text
    assert '<line class="target"' in text
    assert text.count('class="benchmark"') == 2  # 2024's figure is not out by July 2024
    assert '<a href="../objectives/A1a-1.html"><strong>A1a:1</strong>' in text


def test_public_site_leaves_internal_evidence_out(board_site: Path, tmp_path: Path) -> None:
    internal = "E5"
    everywhere = "".join(page(board_site, n) for n in files(board_site))
    assert internal in everywhere
    public = build(BOARD, tmp_path / "public", "--public")
    for name in files(public):
        text = page(public, name)
        assert f">{internal}<" not in text, name
        assert "Public: internal evidence is left out" in text, name


def test_from_and_to_choose_the_months(tmp_path: Path) -> None:
    site = build(BOARD, tmp_path / "site", "--from", "2024-05")
    assert sorted(p.name for p in (site / "months").iterdir()) == [
        "2024-05.html",
        "2024-06.html",
        "2024-07.html",
    ]
    result = run(
        "--plan", str(BOARD), "-o", str(tmp_path / "x"), "--from", "2024-08", "--to", "2024-07"
    )
    assert result.exit_code == 2
    assert "--from 2024-08 is after --to 2024-07" in " ".join(result.output.split())
    assert not (tmp_path / "x").exists()
    result = run("--plan", str(BOARD), "-o", str(tmp_path / "x"), "--to", "2024-13")
    assert result.exit_code == 2
    assert "--to: '2024-13' has no month 13" in " ".join(result.output.split())


def test_an_earlier_site_is_replaced_whole(
    tmp_path: Path, plan_copy: Callable[[str], Path]
) -> None:
    plan = plan_copy("board")
    site = build(plan, tmp_path / "site")
    assert (site / "objectives/A2-3.html").is_file()
    (plan / "plan/A2/A2-3.yaml").unlink()
    build(plan, site)
    assert not (site / "objectives/A2-3.html").exists()
    assert len(list(tmp_path.iterdir())) == 2  # the plan and the site: nothing left behind


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("plan/site", "is inside the plan's plan/ folder"),
        ("evidence", "is inside the plan's evidence/ folder"),
        (".", "holds the plan itself"),
        ("busy", "is not empty and holds no sendplan site"),
    ],
)
def test_site_refuses_a_folder_it_must_not_replace(
    plan_copy: Callable[[str], Path], where: str, message: str
) -> None:
    plan = plan_copy("board")
    (plan / "busy").mkdir()
    (plan / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    before = files(plan)
    result = run("--plan", str(plan), "-o", str(plan / where), "--to", "2024-07")
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split())
    assert files(plan) == before


def test_default_folder_is_build_site_in_the_plan(plan_copy: Callable[[str], Path]) -> None:
    plan = plan_copy("minimal")
    result = run("--plan", str(plan), "--to", "2024-07")
    assert result.exit_code == 0, result.output
    assert (plan / "build/site/index.html").is_file()
    assert "pages to" in result.output


def test_invalid_plan_is_refused_unless_allowed(
    tmp_path: Path, plan_copy: Callable[[str], Path]
) -> None:
    plan = plan_copy("board")
    edit(plan / "plan/A2/A2-1.yaml", "evidence: [E4]", "evidence: [E404]")
    result = run("--plan", str(plan), "-o", str(tmp_path / "site"), "--to", "2024-07")
    assert result.exit_code == 1
    assert "unknown-evidence" in result.output
    assert not (tmp_path / "site").exists()
    site = build(plan, tmp_path / "site", "--allow-invalid")
    assert "this plan has 1 validation error. This site was built anyway" in page(
        site, "index.html"
    )


def test_plan_text_is_escaped_on_every_page(
    tmp_path: Path, plan_copy: Callable[[str], Path]
) -> None:
    plan = plan_copy("board")
    edit(
        plan / "plan/A2/A2-1.yaml",
        "title: Joint commissioning strategy",
        'title: "<script>alert(1)</script> javascript:x"',
    )
    site = build(plan, tmp_path / "site")
    for name in files(site):
        text = page(site, name).lower()
        assert "<script" not in text, name
        assert "javascript:" not in text, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt; javascript&#58;x" in page(
        site, "objectives/A2-1.html"
    )


def test_site_of_a_git_repository_names_its_commit(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo", BOARD)
    sha = commit(repo, "The plan", when="2024-07-01T09:00:00+00:00")
    site = build(repo, tmp_path / "site")
    assert f"git commit <code>{sha[:12]}</code></dd>" in page(site, "index.html")
    assert "files outside git" not in page(site, "months/2024-06.html")


def test_objective_page_lists_the_recommendations_that_name_it(tmp_path: Path) -> None:
    site = build(PLANS / "scrutiny", tmp_path / "site")
    text = page(site, "objectives/W1.2.html")
    assert text.count('<h2 id="recommendations"') == 1
    (title,) = re.findall(r"<title>(.*)</title>", text)
    plan = "Northshire SEND Written Statement of Action"
    assert title == f"W1.2: Quarterly performance reports to scrutiny ({plan})"
    found = tables(text)
    # SC-2 names W1.2 (and W2.1); at 31 July 2024 its response is still pending 72 days after
    # it was made (more than response_days), and its due date of 20 June has passed.
    assert found["recommendations-table"] == [
        ["ID", "From", "Recommendation", "Response", "Status", "Due", "Latest update"],
        [
            "SC-2",
            "Health Scrutiny Committee 20 May 2024",
            "Report waiting times to the committee every quarter.",
            "Pending",
            "Open Overdue Unanswered",
            "20 Jun 2024",
            "—",
        ],
    ]
    w11 = tables(page(site, "objectives/W1.1.html"))["recommendations-table"]
    assert w11[1][4:] == [
        "Implemented",
        "31 May 2024",
        "Framework published and presented. 15 Jul 2024",
    ]
    # A plan without recommendations has no such section.
    assert 'id="recommendations"' not in page(build(BOARD, tmp_path / "b"), "objectives/A1a-1.html")


JUNE_RATING = """  - date: 2024-06-15
    brag: green
    by: PDG
    note: "Tracker in daily use; **58%** on time in May."
    evidence: [E1]
"""


@pytest.fixture(scope="module")
def approved_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A plan with history: the board approves May 2024 from commit A; later commits rate an
    objective for May and restate May's KPI figure (post-approval changes), and add June's."""
    root = tmp_path_factory.mktemp("history")
    repo = init_repo(root / "repo", BOARD)
    a1a1 = repo / "plan/A1/A1a-1.yaml"
    edit(a1a1, JUNE_RATING, "")
    kpi = repo / "kpis/ehcp-20wk.yaml"
    edit(
        kpi,
        "{period: 2024-05, value: 58, evidence: E1}",
        "{period: 2024-05, value: 55, evidence: E1}",
    )
    seen = commit(repo, "The plan for the May report", when="2024-06-03T09:00:00+00:00")
    (repo / "approvals").mkdir()
    (repo / "approvals/2024-05.yaml").write_text(
        "month: 2024-05\nboard: Lakeside Improvement Board\ndate: 2024-06-26\n"
        f"commit: {seen}\nby: Independent chair\nnote: Approved with one action.\n",
        encoding="utf-8",
    )
    commit(repo, "The board approved May", when="2024-06-27T09:00:00+00:00")
    a1a1.write_text(a1a1.read_text(encoding="utf-8") + JUNE_RATING, encoding="utf-8")
    (repo / "plan/A1/A1b-2.yaml").write_text(
        (repo / "plan/A1/A1b-2.yaml").read_text(encoding="utf-8")
        + "ratings:\n  - {date: 2024-05-20, brag: amber, note: Audit started in May.}\n",
        encoding="utf-8",
    )
    edit(
        kpi,
        "{period: 2024-05, value: 55, evidence: E1}",
        "{period: 2024-05, value: 58, evidence: E1}",
    )
    commit(
        repo,
        "June ratings; May's audit rating and KPI figure late",
        when="2024-07-10T09:00:00+00:00",
    )
    return build(repo, root / "site"), seen


def test_approved_month_shows_the_plan_the_board_saw_and_the_changes_since(
    approved_site: tuple[Path, str],
) -> None:
    site, seen = approved_site
    may = page(site, "months/2024-05.html")
    assert (
        "<dt>Approval</dt><dd><strong>As approved</strong>: the plan as it was at commit "
        f"<code>{seen[:12]}</code>, what Lakeside Improvement Board approved on 26 June 2024 "
        "(Independent chair). 2 changes since then alter this month: see "
        '<a href="#since-approval">Changes since approval</a>'
    ) in may
    assert f"<dt>Source</dt><dd>git commit <code>{seen[:12]}</code></dd>" in may
    assert tables(may)["since-approval-table"][1:] == [
        [
            "A1b:2 Objective",
            "Multi-agency audit of new plans",
            "post-approval-change",
            "Error",
            "amber on 2024-05-20, new (first rating): Audit started in May. (after the May 2024 "
            "report approved by Lakeside Improvement Board on 26 June 2024)",
        ],
        [
            "ehcp-20wk Kpi",
            "New EHC plans issued within 20 weeks",
            "kpi-restated",
            "Warning",
            "2024-05 restated: 55% -> 58%",
        ],
    ]
    assert '<a href="../objectives/A1b-2.html">A1b:2</a>' in may
    assert '<a href="../kpis/ehcp-20wk.html">ehcp-20wk</a>' in may
    assert "this report is the plan as the board saw it, before them." in may
    # The ratings as at the approval commit: A1b:2 unrated, the KPI at 55%.
    summary = tables(may)["summary-ratings"]
    assert summary[1:] == [
        ["Red", "0", "0"],
        ["Amber", "5", "3"],
        ["Green", "0", "0"],
        ["Blue", "1", "1"],
        ["Unrated", "3", "5"],
    ]
    assert "<strong>55%</strong>" in may
    june = page(site, "months/2024-06.html")
    assert (
        "<dt>Approval</dt><dd><strong>Not approved</strong>: no board approval of the June 2024 "
        "report is recorded</dd>"
    ) in june
    assert "no approval is recorded for June 2024, so this page" not in june  # said once
    assert "<strong>58%</strong>" in june  # June comes from the current plan
    assert 'id="since-approval"' not in june


def test_index_counts_an_approved_month_as_the_board_saw_it(
    approved_site: tuple[Path, str],
) -> None:
    site, _ = approved_site
    rows = {r[0]: r[1:] for r in tables(page(site, "index.html"))["months-table"][1:]}
    # The current plan has A1b:2 amber in May (6 amber, 2 unrated); the board saw 5 and 3.
    assert rows["May 2024"] == [
        *("0", "5", "0", "1", "3"),
        *("0", "0", "5", "0", "0"),
        "Approved by Lakeside Improvement Board, 26 Jun 2024",
    ]
    assert rows["June 2024"][-1] == "Not approved"
    assert "1 approved by the board" in page(site, "index.html")


def test_objective_page_says_which_ratings_the_board_approved(
    approved_site: tuple[Path, str],
) -> None:
    site, _ = approved_site
    a1a1 = tables(page(site, "objectives/A1a-1.html"))
    assert [r[0] + " " + r[-1] for r in a1a1["ratings-table"][1:]] == [
        "30 Apr 2024 April 2024 Approved with May 2024",
        "15 Jun 2024 June 2024 Not approved",
    ]
    late = tables(page(site, "objectives/A1b-2.html"))
    assert late["ratings-table"][1][-1] == "May 2024 Not approved"  # added after the approval
    months = {r[0]: r[1:] for r in late["months-table"][1:]}
    assert months["May 2024"] == ["Unrated", "Stale Unrated", "Approved"]  # as the board saw it
    assert months["June 2024"] == ["Amber", "—", "Not approved"]


def test_approved_month_of_a_folder_outside_git_says_it_cannot_be_read(
    approved_site: tuple[Path, str], tmp_path: Path
) -> None:
    site, _ = approved_site
    copy = tmp_path / "zip"
    shutil.copytree(site.parent / "repo", copy, ignore=shutil.ignore_patterns(".git"))
    out = build(copy, tmp_path / "site")  # no history to check the commit against: valid
    may = page(out, "months/2024-05.html")
    assert "<strong>Approved</strong> by Lakeside Improvement Board on 26 June 2024" in may
    assert "Changes since then could not be listed: " in may
    assert (
        "<strong>Not the approved plan:</strong> the plan at the approval's commit cannot be "
        "read here, so this page shows May 2024 as the current plan tells it"
    ) in may


def test_a_withdrawn_objective_keeps_its_page_and_says_why(
    tmp_path: Path, plan_copy: Callable[[str], Path]
) -> None:
    plan = plan_copy("board")
    edit(
        plan / "plan/A2/A2-3.yaml",
        "ratings:",
        "withdrawn: {on: 2024-06-28, reason: Merged into A2:2}\nratings:",
    )
    site = build(plan, tmp_path / "site")
    text = page(site, "objectives/A2-3.html")
    assert (
        "<p><strong>Withdrawn</strong> on 28 June 2024: Merged into A2:2. From that date it "
        "leaves the counts and flags; its history stays here.</p>"
    ) in text
    assert len(tables(text)["ratings-table"]) == 3  # both ratings are still told


def test_a_site_of_more_than_600_months_is_refused(tmp_path: Path) -> None:
    result = run("--plan", str(BOARD), "-o", str(tmp_path / "site"), "--from", "1900-01",
                 "--to", "2024-07")  # fmt: skip
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        "sendplan: the site would have 1,495 months (1900-01 to 2024-07); pass --from YYYY-MM "
        "to start it later (at most 600)"
    )
    assert not (tmp_path / "site").exists()
