"""`report --format pdf` without a browser: the messages when it cannot run, and the CSS it adds.

The PDF itself is read back in tests/browser/test_pdf.py (needs poppler and WeasyPrint).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan import pdf
from sendplan.cli import app
from sendplan.errors import SendplanError

runner = CliRunner()


def report_pdf(root: Path, *extra: str) -> tuple[int, str]:
    args = ["report", "--plan", str(root), "--month", "2024-06", "--format", "pdf", *extra]
    result = runner.invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.slow
def test_pdf_without_weasyprint_exits_2_naming_the_extra(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    code, out = report_pdf(plan_copy("minimal"), "-o", str(tmp_path / "r.pdf"))
    assert code == 2
    assert "pip install 'sendplan[pdf]'" in out
    assert not (tmp_path / "r.pdf").exists()


def test_pdf_without_pango_says_which_library_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPango:
        def find_spec(self, name: str, *args: object) -> None:
            if name == "weasyprint":
                raise OSError("cannot load library 'libpangoft2-1.0-0'")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    with pytest.raises(SendplanError, match=r"apt-get install libpangoft2-1.0-0"):
        pdf.html_to_pdf("<!DOCTYPE html><title>x</title>")


def test_pdf_to_the_terminal_is_refused_before_loading_the_plan(tmp_path: Path) -> None:
    code, out = report_pdf(tmp_path)  # not even a plan here: the option is checked first
    assert code == 2
    assert "pass -o FILE" in out


@pytest.mark.slow
def test_format_follows_a_pdf_suffix(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-" + html[:15].encode())
    out = tmp_path / "board.PDF"
    args = ["report", "--plan", str(plan_copy("minimal")), "--month", "2024-06", "-o", str(out)]
    assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
    assert out.read_bytes() == b"%PDF-<!DOCTYPE html>"


def test_print_css_is_shipped_with_a4_pages_and_running_heads() -> None:
    css = pdf.print_css()
    assert "size: A4;" in css
    assert 'content: "Page " counter(page) " of " counter(pages);' in css
    assert "h1 { string-set: plan content(); }" in css
    assert "tr, th, td { break-inside: avoid; }" in css


def test_a_span_stays_where_its_parent_cannot_hold_its_text() -> None:
    """A bare /Span goes into its parent on the same page; one whose parent has no page
    (the Document element) or that carries more than its text keeps its element."""
    import pydyf

    from sendplan.pdf import _text_in_its_element

    document = pydyf.PDF()
    page = b"3 0 R"

    def element(kind: str, parent: pydyf.Dictionary | None, **more: object) -> pydyf.Dictionary:
        made = pydyf.Dictionary({"Type": "/StructElem", "S": kind, "K": pydyf.Array(), **more})
        if parent is not None:
            made["P"] = parent.reference
        document.add_object(made)
        if parent is not None:
            parent["K"].append(made.reference)
        return made

    root = element("/Document", None)
    paragraph = element("/P", root, Pg=page)
    bare = element("/Span", paragraph, Pg=page)
    bare["K"].append(0)
    loose = element("/Span", root, Pg=page)
    loose["K"].append(1)
    french = element("/Span", paragraph, Pg=page, Lang=pydyf.String("fr"))
    french["K"].append(2)
    nums = pydyf.Array([0, pydyf.Array([bare.reference, loose.reference, french.reference])])
    parents = pydyf.Dictionary({"Nums": nums})
    document.add_object(parents)
    tree = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": parents.reference})
    document.add_object(tree)
    document.catalog["StructTreeRoot"] = tree.reference

    _text_in_its_element(document)

    assert paragraph["K"] == [0, french.reference]
    assert root["K"] == [paragraph.reference, loose.reference]
    assert nums[1] == [paragraph.reference, loose.reference, french.reference]
    freed = document.objects[bare.number]
    assert (freed.free, freed.number, freed.generation) == ("f", 0, 65535)
    assert document.objects[loose.number] is loose


def test_work_in_a_worker_gives_its_bytes_or_says_what_failed() -> None:
    from sendplan.pdf import _Worker

    assert _Worker(lambda: b"%PDF-1.7 made in a child").result() == b"%PDF-1.7 made in a child"

    def fails() -> bytes:
        raise ValueError("no pages")

    with pytest.raises(SendplanError) as caught:
        _Worker(fails).result()
    assert str(caught.value) == "the PDF could not be laid out: ValueError: no pages"


@pytest.mark.slow
@pytest.mark.parametrize("failing", ["a part", "the stamp"])
def test_a_part_or_the_stamp_failing_in_its_worker_stops_every_worker(
    failing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    rows = "".join(f"<tr><th scope=row>R{n}</th><td>a<br>b<br>c</td></tr>" for n in range(300))
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Long</title>'
        f"</head><body><h1>Plan</h1><table><tbody>{rows}</tbody></table></body></html>"
    )
    laid_out = pdf._Parts.lay_out

    def lay_out(self: object, start: int, top: bool, first_page: int) -> object:
        if start > 0:  # the second part on
            raise ValueError("no room on the page")
        return laid_out(self, start, top, first_page)  # type: ignore[arg-type]

    def stamps(*args: object) -> bytes:
        raise ValueError("no margins")

    if failing == "a part":
        monkeypatch.setattr(pdf._Parts, "lay_out", lay_out)
    else:
        monkeypatch.setattr(pdf._Renderer, "stamps", stamps)
    with pytest.raises(SendplanError) as caught:
        pdf.html_to_pdf(html, part_weight=300, workers=True)
    reason = "no room on the page" if failing == "a part" else "no margins"
    assert str(caught.value) == f"the PDF could not be laid out: ValueError: {reason}"
    assert multiprocessing.active_children() == []  # none left running or unjoined
