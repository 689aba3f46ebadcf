"""The HTML report in a real browser: axe-core, requests, console, reflow, keyboard, screenshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Loaded, Report

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core's tag names).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} - {targets}")
    return "\n".join(lines)


def test_page_makes_no_request_and_logs_no_error(loaded: Loaded) -> None:
    assert loaded.requests == []
    assert loaded.errors == []


# Text inside a table that scrolls sideways is clipped by its scroll box at phone width, so
# axe cannot see its background there; the desktop run, where nothing is clipped, decides it.
CLIPPED = (
    "Element's background color could not be determined because it's partially obscured",
    "Element content is too short to determine if it is actual text content",
)


def assert_axe_passes(
    loaded: Loaded, viewport: tuple[int, int], decided_elsewhere: Callable[[str, str], bool]
) -> None:
    """axe-core's WCAG A and AA rules: no violation, and nothing left undecided at desktop
    width (at phone width only the clipped-table contrast cases), except the (rule, node HTML)
    that `decided_elsewhere` says another test decides."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations", "incomplete"],
    }
    results = Axe().run(loaded.page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    assert results.response["testEngine"]["name"] == "axe-core"
    assert results.response["toolOptions"]["runOnly"]["values"] == WCAG_TAGS
    assert violations == [], describe(violations)
    # "incomplete" means axe could not decide: nothing may be left undecided at desktop width
    undecided = {
        (rule["id"], check["message"])
        for rule in results.response["incomplete"]
        for node in rule["nodes"]
        for check in node["any"] + node["all"] + node["none"]
        if not decided_elsewhere(rule["id"], node["html"])
    }
    if viewport[0] >= 1280:
        assert undecided == set()
    else:
        assert {
            m for r, m in undecided if r != "color-contrast" or not m.startswith(CLIPPED)
        } == set()
    assert loaded.requests == []  # injecting axe fetched nothing either


def test_axe_finds_no_wcag_a_or_aa_violation(loaded: Loaded, viewport: tuple[int, int]) -> None:
    assert_axe_passes(loaded, viewport, lambda rule, html: False)


def test_page_reflows_without_horizontal_scrolling(loaded: Loaded) -> None:
    """WCAG 1.4.10: content fits the width; wide tables scroll inside their own box."""
    width = loaded.page.evaluate("document.documentElement.scrollWidth")
    assert width <= loaded.page.viewport_size["width"]  # type: ignore[index]


def test_screenshot_of_the_whole_page(loaded: Loaded, report: Report) -> None:
    size = loaded.page.viewport_size
    assert size is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{report.name}-{size['width']}.png"
    png = loaded.page.screenshot(path=str(path), full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == size["width"]  # IHDR width, device scale 1


FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                   && !/rgba\\(.*, 0\\)|transparent/.test(s.outlineColor)
                   ? `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}` : '',
          shadow: s.boxShadow === 'none' ? '' : s.boxShadow,
          background: s.backgroundColor, color: s.color};
}"""


def tab_to(loaded: Loaded, href: str, limit: int = 100) -> int:
    """Press Tab from the top of the page until the link to `href` has focus; count presses."""
    page = loaded.page
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            return presses
    pytest.fail(f"the link to {href} cannot be reached with Tab in {limit} presses")


def test_contents_links_move_focus_to_their_sections(
    loaded: Loaded, viewport: tuple[int, int]
) -> None:
    """Tab reaches each contents link with a visible focus; Enter moves focus to its section."""
    page = loaded.page
    hrefs: list[str] = page.eval_on_selector_all(
        "nav a[href^='#']", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(hrefs) >= 2, "no table of contents (nav a[href^='#']) found"
    previous = None
    for href in hrefs:
        link = page.locator(f"nav a[href='{href}']").first
        unfocused = link.evaluate(FOCUS_STYLE)
        if previous is None:
            tab_to(loaded, href)  # from the top of the page: the skip link, then the contents
        else:
            previous.focus()  # back to the contents; the next Tab must land on this link
            page.keyboard.press("Tab")
            assert link.evaluate("el => el === document.activeElement"), f"Tab skips {href}"
        focused = link.evaluate(FOCUS_STYLE)
        assert link.evaluate("el => el.matches(':focus-visible')")
        assert focused["outline"] or focused["shadow"], f"{href}: no visible focus indicator"
        assert focused != unfocused, f"{href}: focus does not change how the link looks"

        page.keyboard.press("Enter")
        page.wait_for_function(f"location.hash === {href!r}")
        target = page.locator(href)
        assert target.evaluate(
            "el => el === document.activeElement || el.contains(document.activeElement)"
        ), f"{href}: focus stayed on {page.evaluate('document.activeElement.outerHTML')[:80]}"
        top = target.evaluate("el => el.getBoundingClientRect().top")
        assert -1 <= top < viewport[1], f"{href}: the section is not scrolled into view"
        previous = link
    assert loaded.requests == []


# Every body cell of a card table: its column's header, its data-label, how it is laid out and
# what is drawn before it.
CARD_CELLS = """() => [...document.querySelectorAll('.cards > table')].flatMap(t => {
  const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
  return [...t.tBodies].flatMap(b => [...b.rows]).flatMap(r => [...r.cells].map((c, i) => ({
    table: t.parentElement.getAttribute('aria-labelledby'), header: heads[i],
    label: c.dataset.label ?? null, display: getComputedStyle(c).display,
    before: getComputedStyle(c, '::before').content})));
})"""


def test_wide_tables_are_labelled_cards_on_a_phone(
    loaded: Loaded, report: Report, viewport: tuple[int, int]
) -> None:
    """Under 40rem every row of a wide table is a card whose cells show their header; no
    table scrolls sideways. At desktop width the same cells are a plain table (issue 15)."""
    page = loaded.page
    cells: list[dict[str, str | None]] = page.evaluate(CARD_CELLS)
    tables = {c["table"] for c in cells}
    assert {"summary-areas", "attention-table", "objectives-table-1", "evidence-table"} <= tables
    if report.name != "minimal":
        assert "kpi-table" in tables
    wrong = [c for c in cells if c["label"] != c["header"]]
    assert wrong == [], wrong[:3]
    if viewport[0] < 640:
        assert {c["display"] for c in cells} == {"block"}
        # drawn for the eye, with alt text "": a screen reader hears the header once
        drawn = [c for c in cells if c["before"] != f'"{c["header"]}" / ""']
        assert drawn == [], drawn[:3]
    else:
        assert {(c["display"], c["before"]) for c in cells} == {("table-cell", "none")}
    scrolling = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".filter(w => w.scrollWidth > w.clientWidth).map(w => w.getAttribute('aria-labelledby'))"
    )
    assert scrolling == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]


def test_needs_attention_shows_rating_flags_and_note_within_the_screen(
    loaded: Loaded, viewport: tuple[int, int]
) -> None:
    rows = loaded.page.locator("[aria-labelledby='attention-table'] tbody tr")
    assert rows.count() >= 1
    for label in ("Rating", "Flags", "Latest note"):
        cell = rows.first.locator(f"td[data-label='{label}']")
        box = cell.bounding_box()
        assert box is not None, label
        assert min(box["width"], box["height"]) > 0, (label, box)
        assert box["x"] >= 0, (label, box)
        assert box["x"] + box["width"] <= viewport[0] + 0.5, (label, box)
    flag = rows.first.locator(".flag").first.bounding_box()
    assert flag is not None
    assert flag["x"] + flag["width"] <= viewport[0]


def test_evidence_titles_open_from_the_keyboard_not_from_tooltips(
    loaded: Loaded, viewport: tuple[int, int]
) -> None:
    """No `title` tooltips (touch and keyboard cannot reach them): each objective's evidence
    IDs open with Enter to show their titles (issue 15)."""
    page = loaded.page
    assert page.evaluate("document.querySelectorAll('[title], abbr').length") == 0
    disclosures = page.locator("details.evidence")
    assert disclosures.count() >= 1
    first = disclosures.first
    title = first.locator("li").first
    assert not title.is_visible()
    first.locator("summary").focus()
    assert first.locator("summary").evaluate("el => el.matches(':focus-visible')")
    page.keyboard.press("Enter")
    assert first.evaluate("el => el.open")
    assert title.is_visible()
    box = title.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= viewport[0]
    # the title shown is the one the Evidence section lists for that ID
    ident = title.locator("strong").inner_text()
    row = page.locator(f"[aria-labelledby='evidence-table'] th[scope='row']:text-is('{ident}')")
    listed = row.locator("xpath=following-sibling::td[1]").inner_text()
    assert title.inner_text() == f"{ident} {listed}"
