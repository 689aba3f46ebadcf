"""The PDF read back from the file: PDF/UA structure (pikepdf), tag boxes inside their cells
(pdfplumber), and a long report laid out in parts giving the pages of one layout.

tests/browser/test_pdf.py checks what pdfinfo and pypdf see; this adds what a PDF/UA checker
and a reader of the page geometry see (tests/pdfcheck.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.browser.conftest import Report, unavailable
from tests.pdfcheck import pdf_ua_problems, tag_overflows

pytestmark = pytest.mark.browser

SMALL_PART = 400  # parts of about 3 pages: the bundled report in five parts or more


def _ready() -> None:
    try:
        import pdfplumber  # noqa: F401
        import pikepdf  # noqa: F401
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        unavailable(f"the PDF readers cannot be imported ({e})")


@pytest.fixture(scope="module")
def pdfs(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled report whole (one part) and in parts, in this process and in workers."""
    _ready()
    from sendplan.pdf import html_to_pdf

    folder = tmp_path_factory.mktemp("pdf-ua")
    html = reports["oxfordshire"].html.read_text(encoding="utf-8")
    made: dict[str, Path] = {}
    for name, options in {
        "one part": {},
        "parts": {"part_weight": SMALL_PART, "workers": False},
        "workers": {"part_weight": SMALL_PART, "workers": True},
    }.items():
        made[name] = folder / f"{name.replace(' ', '-')}.pdf"
        made[name].write_bytes(html_to_pdf(html, **options))  # type: ignore[arg-type]
    return made


def _words(path: Path) -> list[list[tuple[str, float, float]]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [
            [(w["text"], w["x0"], w["top"]) for w in page.extract_words()] for page in pdf.pages
        ]


@pytest.mark.parametrize("name", ["one part", "parts", "workers"])
def test_pdf_passes_the_pdf_ua_checks(pdfs: dict[str, Path], name: str) -> None:
    assert pdf_ua_problems(pdfs[name]) == []


@pytest.mark.parametrize("name", ["one part", "parts"])
def test_every_tag_box_is_inside_its_cell(pdfs: dict[str, Path], name: str) -> None:
    assert tag_overflows(pdfs[name]) == []


def test_every_figure_has_alt_and_every_header_cell_a_scope(pdfs: dict[str, Path]) -> None:
    import pikepdf

    figures: list[str] = []
    scopes: dict[str, int] = {}
    with pikepdf.open(pdfs["one part"]) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/StructElem":
                continue
            if obj.get("/S") == "/Figure":
                figures.append(str(obj.Alt))
            elif obj.get("/S") == "/TH":
                scope = str(obj.A.Scope)
                scopes[scope] = scopes.get(scope, 0) + 1
    # The bundled plan's four KPIs with two or more points each have a trend line.
    assert len(figures) == 4
    assert all(re.fullmatch(r"Trend of .+: .+ in .+", alt) for alt in figures), figures
    assert set(scopes) == {"/Column", "/Row"}
    assert scopes["/Column"] >= 60, scopes
    assert scopes["/Row"] >= 150, scopes


def test_parts_give_the_pages_of_one_layout(pdfs: dict[str, Path]) -> None:
    """Same pages, same words at the same places (a table continued at the top of a part
    starts half a pixel lower: its repeated header's border is drawn whole)."""
    whole, parts = _words(pdfs["one part"]), _words(pdfs["parts"])
    assert len(parts) == len(whole)
    for number, (a, b) in enumerate(zip(whole, parts, strict=True), start=1):
        assert [w[0] for w in a] == [w[0] for w in b], f"page {number}"
        for (text, x, y), (_, x2, y2) in zip(a, b, strict=True):
            assert abs(x - x2) < 0.01, f"page {number}: {text}"
            assert abs(y - y2) < 0.5, f"page {number}: {text}"


def test_parts_keep_outline_page_numbers_and_running_heads(pdfs: dict[str, Path]) -> None:
    from pypdf import PdfReader
    from pypdf.generic import Destination

    def outline(path: Path) -> list[tuple[int, str, int]]:
        reader = PdfReader(path)
        found: list[tuple[int, str, int]] = []

        def walk(items: Iterable[object], depth: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    assert isinstance(item, Destination)
                    page = reader.get_destination_page_number(item)
                    assert item.title is not None
                    assert page is not None
                    found.append((depth, item.title, page))

        walk(reader.outline, 0)
        return found

    whole = outline(pdfs["one part"])
    assert [t for d, t, _ in whole if d == 0][:2] == ["1. Summary", "2. Needs attention"]
    assert any(d == 1 for d, _, _ in whole)  # the areas, under "6. Objectives"
    assert outline(pdfs["parts"]) == whole
    assert outline(pdfs["workers"]) == whole
    pages = _words(pdfs["parts"])
    head = "Oxfordshire SEND Priority Action Plan Board report, June 2024"
    for number, words in enumerate(pages, start=1):
        top = " ".join(w[0] for w in words if w[2] < 50)  # above the 20 mm top margin
        assert top == (head if number > 1 else ""), f"page {number}"  # none on the title page
        bottom = " ".join(w[0] for w in words if w[2] > 842 - 51)  # below the 18 mm one
        assert bottom == f"Page {number} of {len(pages)}"


def test_workers_and_one_process_write_the_same_file(pdfs: dict[str, Path]) -> None:
    assert pdfs["workers"].read_bytes() == pdfs["parts"].read_bytes()


def test_margins_are_artifacts_outside_the_structure_tree(pdfs: dict[str, Path]) -> None:
    import pdfplumber

    with pdfplumber.open(pdfs["parts"]) as pdf:
        page = pdf.pages[1]
        footer = [c for c in page.chars if c["top"] > page.height - 60]
        assert "".join(c["text"] for c in footer).startswith("Page 2 of")
        assert all(c.get("mcid") is None for c in footer)


# --- the checks can fail ------------------------------------------------------------------


def _weasyprint_pdf(html: str, path: Path) -> Path:
    """A PDF straight from WeasyPrint (no sendplan.pdf): what the checks must catch."""
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
    return path


FLAWED = """<!DOCTYPE html><html lang="en-GB"><head><title>Flawed</title><style>
@page { @bottom-right { content: "Page " counter(page); } }
table { table-layout: fixed; width: 300px; border-collapse: collapse; }
th, td { border-bottom: 1px solid #999; padding: 0 4px 0 0; text-align: left; }
.flag { display: inline-block; white-space: nowrap; border: 2px solid #333; padding: 1px 6px; }
</style></head><body><h1>Flawed</h1>
<table><thead><tr><th scope="col" style="width: 40px">Flags</th><th scope="col">Note</th></tr>
</thead><tbody><tr><td><span class="flag">Re-baselined</span></td><td>Latest note text</td></tr>
</tbody></table>
<p><svg role="img" aria-label="Trend" width="60" height="20" viewBox="0 0 60 20">
<polyline points="0,0 60,20" stroke="#000" fill="none"/></svg></p></body></html>"""


def test_the_checks_catch_overflow_missing_alt_and_missing_scope(tmp_path: Path) -> None:
    _ready()
    path = _weasyprint_pdf(FLAWED, tmp_path / "flawed.pdf")
    overflows = tag_overflows(path)
    assert any("'Re-baselined' runs" in p and "into the next column" in p for p in overflows)
    assert any("drawn over the text of another cell" in p for p in overflows)
    problems = pdf_ua_problems(path)
    assert sum(p.startswith("13-004") for p in problems) == 1
    assert sum(p.startswith("15-003") for p in problems) == 2  # both header cells
    assert any(p.startswith("01-? ") and "outside the tree" in p for p in problems)  # margins


def test_sendplan_mends_what_weasyprint_alone_leaves(tmp_path: Path) -> None:
    _ready()
    from sendplan.pdf import html_to_pdf

    path = tmp_path / "sendplan.pdf"
    path.write_bytes(html_to_pdf(FLAWED))
    problems = pdf_ua_problems(path)
    # Scopes come from the HTML, the margins are artifacts; an SVG without a <title> still
    # has no text alternative (sendplan's own trend lines have one: test above).
    assert [p.split(":")[0] for p in problems] == ["13-004"]


def test_a_long_table_in_parts_repeats_its_header_and_caption_once(tmp_path: Path) -> None:
    _ready()
    from sendplan.pdf import html_to_pdf

    rows = "".join(
        f"<tr><th scope=row>R{n}</th><td>top-{n}<br>middle<br>bottom-{n}</td></tr>"
        for n in range(400)
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Long</title>'
        "</head><body><h1>Plan</h1><p class=lede>June 2024</p><h2>Rows</h2><table>"
        "<caption>CAPTION</caption><thead><tr><th scope=col>HEADCOL</th>"
        f"<th scope=col>Body</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(html_to_pdf(html, part_weight=300, workers=False))
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) >= 8
    assert "CAPTION" in texts[0]
    assert not any("CAPTION" in t for t in texts[1:])
    seen: list[int] = []
    for number, text in enumerate(texts, start=1):
        assert "HEADCOL" in text, f"page {number}"
        assert f"Page {number} of {len(texts)}" in text
        seen += [int(n) for n in re.findall(r"top-(\d+)", text)]
    assert seen == list(range(400))  # every row once, in order
    assert pdf_ua_problems(path) == []


def _tree(element: object) -> list[object]:
    """A structure element as [type, its marked-content IDs, its child elements...]."""
    import pikepdf

    assert isinstance(element, pikepdf.Dictionary)
    kids = element.get("/K")
    listed = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    ids = [kid for kid in listed if isinstance(kid, int)]
    children = [
        _tree(kid)
        for kid in listed
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"
    ]
    return [str(element.S), ids, *children]


def test_text_is_marked_in_its_element_not_in_a_span_of_its_own(tmp_path: Path) -> None:
    _ready()
    import pikepdf

    from sendplan.pdf import html_to_pdf

    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title></head>'
        '<body><p>One <b>two</b> <a href="#t">three</a></p><table id=t><tr><th scope=col>H'
        "</th></tr><tr><td>Cell</td></tr></table></body></html>"
    )
    path = tmp_path / "spans.pdf"
    path.write_bytes(html_to_pdf(html))
    with pikepdf.open(path) as pdf:
        tree = _tree(pdf.Root.StructTreeRoot.K[0])
        elements = sum(isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
                       for o in pdf.objects)  # fmt: skip
    assert tree == [
        "/Document", [],
        ["/P", [0, 2], ["/NonStruct", [1]], ["/Link", [3]]],
        ["/Table", [], ["/TBody", [], ["/TR", [], ["/TH", [4]]], ["/TR", [], ["/TD", [5]]]]],
    ]  # fmt: skip
    assert elements == 10  # no /Span left over: every one freed
    assert pdf_ua_problems(path) == []
