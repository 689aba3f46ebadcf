"""The A4 PDF (WeasyPrint), read back with poppler and pypdf: size, text, fonts, tags, outline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sendplan.views import SECTIONS  # the PDF's top-level bookmarks
from tests.browser.conftest import ENV, MONTH, PAGES, PLANS, SCREENSHOTS, Report, unavailable

pytestmark = pytest.mark.browser

A4 = (595.276, 841.89)  # points, as pdfinfo prints them


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        unavailable(f"{tool} not found (Debian package poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def weasyprint_ready() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        unavailable(f"WeasyPrint cannot be imported ({e})")


def pdf_of(report: Report, folder: Path) -> Path:
    """`sendplan report --format pdf -o FILE`, run as a user would."""
    from typer.testing import CliRunner

    from sendplan.cli import app

    path = folder / f"{report.name}-{MONTH}.pdf"
    args = ["report", "--plan", str(PLANS[report.name]), "--month", MONTH, "--format", "pdf"]
    result = CliRunner().invoke(app, [*args, "-o", str(path), "--quiet"], env=ENV)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def pdfs(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    weasyprint_ready()
    folder = tmp_path_factory.mktemp("pdf")
    return {name: pdf_of(report, folder) for name, report in reports.items()}


@pytest.fixture(params=PAGES)
def pdf(request: pytest.FixtureRequest, pdfs: dict[str, Path]) -> tuple[str, Path]:
    return request.param, pdfs[request.param]


def info(path: Path) -> dict[str, str]:
    lines = poppler("pdfinfo", str(path)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def test_pdf_is_a4_tagged_with_a_title(pdf: tuple[str, Path], reports: dict[str, Report]) -> None:
    name, path = pdf
    fields = info(path)
    assert fields["Page size"].endswith("(A4)"), fields["Page size"]
    width, height = (float(n) for n in fields["Page size"].split()[0:3:2])
    assert (width, height) == pytest.approx(A4, abs=0.01)
    assert fields["Tagged"] == "yes"
    assert fields["Encrypted"] == "no"
    title = re.search(r"<title>(.*?)</title>", reports[name].html.read_text(encoding="utf-8"))
    assert title is not None
    assert fields["Title"] == title.group(1)
    assert 1 <= int(fields["Pages"]) <= 60


def test_pdf_declares_language_outline_and_pdf_ua(
    pdf: tuple[str, Path], reports: dict[str, Report]
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf[1])
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert 'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data().decode()
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    # The report's numbered sections: every one of SECTIONS but the optional ones left empty.
    page = reports[pdf[0]].html.read_text(encoding="utf-8")
    shown = [s for s in SECTIONS if f'<h2 id="{s.anchor}"' in page]
    assert [s for s in SECTIONS if not s.optional] == [s for s in shown if not s.optional]
    assert titles == [f"{n}. {s.title}" for n, s in enumerate(shown, start=1)]


def test_pdf_text_holds_every_objective_id(
    pdf: tuple[str, Path], reports: dict[str, Report]
) -> None:
    name, path = pdf
    text = poppler("pdftotext", "-layout", str(path), "-")
    missing = [i for i in reports[name].ids if i not in text]
    assert missing == []


def test_pdf_embeds_every_font(pdf: tuple[str, Path]) -> None:
    rows = poppler("pdffonts", str(pdf[1])).splitlines()[2:]
    assert rows, "no fonts at all"
    # columns: name type encoding emb sub uni object ID; the type may hold spaces
    embedded = [re.split(r"\s+", row.strip())[-5] for row in rows]
    assert embedded == ["yes"] * len(rows), rows


def test_first_two_pdf_pages_as_png(pdf: tuple[str, Path]) -> None:
    name, path = pdf
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-pdf-*.png"):
        old.unlink()
    poppler(
        "pdftoppm",
        "-png",
        "-r",
        "80",
        "-f",
        "1",
        "-l",
        "2",
        str(path),
        str(SCREENSHOTS / f"{name}-pdf"),
    )
    pages = sorted(SCREENSHOTS.glob(f"{name}-pdf-*.png"))
    assert 1 <= len(pages) <= 2
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)


def test_long_table_repeats_its_header_and_never_splits_a_row(tmp_path: Path) -> None:
    weasyprint_ready()
    from sendplan.pdf import html_to_pdf

    rows = "".join(
        f"<tr><th scope=row>R{n}</th><td>top-{n}{'<br>middle' * 5}<br>bottom-{n}</td></tr>"
        for n in range(60)  # 7 lines a row: orphans and widows alone would allow a split
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Long</title></head>'
        "<body><h1>Plan</h1><p class=lede>June 2024</p><table><thead><tr><th scope=col>HEADCOL</th>"
        f"<th scope=col>Body</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(html_to_pdf(html))
    pages = poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "HEADCOL" in page, f"page {number} has no table header"
        assert f"Page {number} of {len(pages)}" in page
        if number > 1:
            head = page.strip().splitlines()[0].split()
            assert head == ["Plan", "June", "2024"], f"page {number} has no running head"
        tops = set(re.findall(r"top-(\d+)", page))
        assert tops == set(re.findall(r"bottom-(\d+)", page)), f"a row splits after page {number}"
