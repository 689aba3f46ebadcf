"""Real-browser fixtures: Debian's Chromium driven by Playwright, never a downloaded browser.

When Chromium (or Java, or poppler) is missing these tests skip and say how to enable them;
with SENDPLAN_REQUIRE_BROWSER=1 (set by .ci/run) a missing tool is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route

HERE = Path(__file__).parent
REPO = HERE.parent.parent
SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM = os.environ.get("SENDPLAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The probe's flags: without the background-networking ones Chromium tries to reach Google
# at every start, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
HOW = (
    "apt-get install chromium poppler-utils default-jre-headless, and "
    "pip install -e '.[browser,pdf]' (make does this); "
    "SENDPLAN_REQUIRE_BROWSER=1 turns this skip into a failure"
)


def required() -> bool:
    return os.environ.get("SENDPLAN_REQUIRE_BROWSER", "") not in ("", "0")


def unavailable(what: str) -> NoReturn:
    """Skip, or fail under SENDPLAN_REQUIRE_BROWSER=1, saying how to get `what`."""
    message = f"{what}; to run the browser tests: {HOW}"
    if required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Report:
    """One report the browser and PDF tests run on."""

    name: str
    html: Path
    ids: tuple[str, ...]  # every objective ID, which the PDF's text must hold


# The bundled Oxfordshire plan (the repository root), the smallest fixture plan, and the
# signoff fixture (KPI statuses, contradicted, worst-of and a Withdrawn section: issue 16).
PLANS = {
    "oxfordshire": REPO,
    "minimal": REPO / "tests" / "fixtures" / "plans" / "minimal",
    "signoff": REPO / "tests" / "fixtures" / "plans" / "signoff",
}
PAGES = tuple(PLANS)
MONTH = "2024-06"
ENV = {"SOURCE_DATE_EPOCH": "1719824400"}  # 2024-07-01 09:00 UTC: the same bytes every run


def build_report(name: str, folder: Path) -> Report:
    """Render the plan's June 2024 report with the real command, as a user would."""
    from typer.testing import CliRunner

    from sendplan.cli import app
    from sendplan.load import load_plan
    from sendplan.sources import FolderSource

    root = PLANS[name]
    html = folder / f"{name}-{MONTH}.html"
    args = ["report", "--plan", str(root), "--month", MONTH, "-o", str(html), "--quiet"]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    ids = tuple(o.id for o in load_plan(FolderSource(root)).plan.objectives)
    assert ids
    return Report(name, html, ids)


SITE_TO = "2024-07"  # a fixed last month, so the site is the same whatever today is


@dataclass(frozen=True)
class SitePage:
    """One page of an archive site, of one of the four kinds the browser tests look at."""

    plan: str
    kind: str  # index, month, objective or kpi
    path: Path

    @property
    def name(self) -> str:
        return f"{self.plan}-{self.kind}"


def build_site(name: str, folder: Path) -> Path:
    """The plan's archive site up to July 2024, written by the real command."""
    from typer.testing import CliRunner

    from sendplan.cli import app

    out = folder / f"site-{name}"
    args = ["site", "--plan", str(PLANS[name]), "-o", str(out), "--to", SITE_TO, "--quiet"]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    return out


def site_pages(name: str, site: Path) -> list[SitePage]:
    """The index, the first approved month (else June 2024), the first objective with a KPI
    chart, the first KPI with a chart (a KPI with no data yet has none)."""
    months = sorted((site / "months").glob("*.html"))
    approved = [p for p in months if "banner--approved" in p.read_text(encoding="utf-8")]
    objectives = sorted((site / "objectives").glob("*.html"))
    charted = [p for p in objectives if 'class="chart"' in p.read_text(encoding="utf-8")]
    kpis = sorted((site / "kpis").glob("*.html"))
    charted_kpis = [p for p in kpis if 'class="chart"' in p.read_text(encoding="utf-8")]
    return [
        SitePage(name, "index", site / "index.html"),
        SitePage(name, "month", approved[0] if approved else site / "months" / f"{MONTH}.html"),
        SitePage(name, "objective", (charted or objectives)[0]),
        SitePage(name, "kpi", (charted_kpis or kpis)[0]),
    ]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each plan's archive site, built once per session."""
    folder = tmp_path_factory.mktemp("sites")
    return {name: build_site(name, folder) for name in PAGES}


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """Every report the tests look at, rendered once per session."""
    folder = tmp_path_factory.mktemp("reports")
    return {name: build_report(name, folder) for name in PAGES}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Loaded:
    """A page loaded from a file, with every request it tried and every error it logged."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load(browser: Browser, path: Path, viewport: tuple[int, int]) -> Loaded:
    """Open `path` in a fresh context where any request but the file itself is aborted."""
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        service_workers="block",
        java_script_enabled=True,  # axe needs it; the report itself has no script
    )
    page = context.new_page()
    loaded = Loaded(page, path.resolve().as_uri())

    def route(route: Route, request: Request) -> None:
        if request.url == loaded.url:
            route.continue_()
        else:
            route.abort()

    def record(request: Request) -> None:
        if request.url != loaded.url:
            loaded.requests.append(request.url)

    context.route("**/*", route)  # nothing leaves the machine, even if a test would fail
    page.on("request", record)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            loaded.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: loaded.errors.append(str(e)))
    page.goto(loaded.url, wait_until="load")
    return loaded


# Module scope: each page is loaded once per width and the tests of test_page.py run on it in
# file order (requests first, the keyboard test last, as it moves focus and scrolls).
@pytest.fixture(scope="module", params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> tuple[int, int]:
    return VIEWPORTS[request.param]


@pytest.fixture(scope="module", params=PAGES)
def report(request: pytest.FixtureRequest, reports: dict[str, Report]) -> Report:
    return reports[request.param]


@pytest.fixture(scope="module")
def loaded(chromium: Browser, report: Report, viewport: tuple[int, int]) -> Iterator[Loaded]:
    result = load(chromium, report.html, viewport)
    yield result
    result.page.context.close()
