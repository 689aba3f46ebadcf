"""The board report as an accessible A4 PDF: the HTML report through WeasyPrint (extra `pdf`).

Tagged PDF/UA-1 with the document's title and language, bookmarks from the headings, page
numbers and the report's name in the page margins (templates/report.pdf.css), a /Scope on
every table header cell, and the text alternative of every figure.

WeasyPrint keeps every page of a document in memory until it writes the file, and parts of
its PDF writer take time in proportion to pages x structure elements. A report longer than
one part (PART_WEIGHT) is therefore laid out in parts (sendplan.pdf.flow): each part is laid
out, its last page dropped and laid out again as the first page of the next part, so the
pages are those of one continuous layout. The parts' PDFs are then joined into one document
(sendplan.pdf.join) with one structure tree and one outline, and each page's margins
(running heads, "Page N of M") are stamped on from one more layout of empty pages that
knows the page count. Each part's text is marked in the element that holds it, not in a
/Span of its own per line (half the structure elements: _text_in_its_element).
docs/performance.md has the measurements.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from sendplan.errors import SendplanError
from sendplan.pdf import flow as _flow

PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 with a structure tree, title and language
INSTALL = "pip install 'sendplan[pdf]'"
# How much of the flow one part holds (sendplan.pdf.flow.weight: elements, and text by
# lines), about 25 A4 pages of the board report. Memory grows with it; each part costs a
# little fixed work (its stylesheets, its fonts, its PDF file) and one page laid out twice.
PART_WEIGHT = 3_000
Progress = Callable[[int, int], None]  # (units laid out, all units)

# Every margin box, emptied in the parts: the stamp gives the margins of every page.
_MARGIN_BOXES = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
    "left-bottom", "left-middle", "left-top",
)  # fmt: skip
_NO_MARGINS = "".join(
    f"@page{page} {{ {' '.join(f'@{box} {{ content: none; }}' for box in _MARGIN_BOXES)} }}\n"
    for page in ("", " :first", " :left", " :right", " :blank")
)
# The stamp: pages with nothing on them but their margins, over a transparent canvas.
_STAMP_CSS = (
    "html, body { background: transparent !important; }\n"
    "body div { margin: 0 !important; padding: 0 !important; border: 0 !important; }\n"
    ".sendplan-page { break-before: page; }\n"
)
_FORCED_BREAKS = frozenset({"page", "left", "right", "recto", "verso"})
_BARE_SPAN = {"Type", "S", "K", "Pg", "P"}
_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def print_css() -> str:
    """The paged-media stylesheet that WeasyPrint adds to the HTML report's own CSS."""
    return (files("sendplan.templates") / "report.pdf.css").read_text(encoding="utf-8")


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise SendplanError(f"PDF output needs WeasyPrint; run: {INSTALL}") from None
    except OSError as e:  # WeasyPrint is installed but cannot load Pango
        raise SendplanError(
            f"WeasyPrint cannot load the Pango library ({e}); on Debian or Ubuntu run: "
            "apt-get install libpangoft2-1.0-0 (see WeasyPrint's installation guide)"
        ) from None
    return weasyprint


def html_to_pdf(
    html: str,
    *,
    part_weight: int = PART_WEIGHT,
    progress: Progress | None = None,
    workers: bool | None = None,
) -> bytes:
    """Render a self-contained HTML page as a tagged A4 PDF (PDF/UA-1).

    `workers`: lay out a long report's parts in forked processes (default: where that is
    safe, see _workers_pay), the next part's layout beside the last part's writing.
    """
    weasyprint = _weasyprint()
    # WeasyPrint warns through logging (unsupported CSS, refused URLs); keep the CLI quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import tinyhtml5

    renderer = _Renderer(weasyprint)
    document = _flow.Flow(tinyhtml5.parse(html, namespace_html_elements=False), part_weight)
    parts = _Parts(renderer, document, part_weight)
    if workers is None:
        workers = document.total_weight > part_weight and _workers_pay()
    stamps = functools.partial(_margins, renderer, document)
    if workers:
        pdfs, cuts, stamped = parts.in_workers(progress, stamps)
    else:
        pdfs, cuts = parts.in_process(progress)
        stamped = stamps(cuts)
    from sendplan.pdf import join

    bookmarks = [mark for cut in cuts for mark in cut.bookmarks]
    del parts, document, stamps  # the flow and its tree: the join needs only the PDFs
    return join.join(pdfs, stamped, bookmarks)


def _margins(renderer: _Renderer, document: _flow.Flow, cuts: list[_Cut]) -> bytes:
    """The stamp of every page's margins, from the named strings each part's pages assign."""
    return renderer.stamps(document, [page for cut in cuts for page in cut.strings])


def _workers_pay() -> bool:
    if sys.platform != "linux" or threading.active_count() > 1:
        return False  # forking a process that runs other threads can deadlock the child
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class _Cut:
    """Where a part ended, and what its pages hold for the join (sendplan.pdf.join)."""

    keep: int  # pages of this part kept
    restart: int  # the unit the next part begins with
    forced: bool  # the next part begins after a forced page break
    bookmarks: list[tuple[int, str, int, float, float, str]]  # level, label, page, x, y, state
    strings: list[list[tuple[str, str]]]  # per page: the named strings it assigns


class _Renderer:
    def __init__(self, weasyprint: Any) -> None:
        self.weasyprint = weasyprint
        # The report is self-contained: rendering it reads no file and no network, only data:.
        self.fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
        self.fonts = weasyprint.text.fonts.FontConfiguration()  # one for every part
        # The print stylesheet goes last in the head: an author stylesheet after the report's
        # own, so its rules win (WeasyPrint's `stylesheets=` are user styles, which lose).
        self.print_css = print_css()

    def _render(self, root: ET.Element, **options: Any) -> Any:
        """Lay out a document tree (tinyhtml5's, as WeasyPrint would parse it from text)."""
        import cssselect2

        html = self.weasyprint.HTML(string="<!DOCTYPE html><html></html>", url_fetcher=self.fetcher)
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
        html.etree_element = root
        return html.render(font_config=self.fonts, **options)

    def tagged(self, root: ET.Element) -> Any:
        return self._render(root, pdf_variant=PDF_VARIANT, pdf_tags=True, custom_metadata=False)

    def write(self, laid_out: Any, prefix: str = "") -> bytes:
        pdf: bytes = laid_out.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            custom_metadata=False,
            finisher=lambda document, pdf: _finish(document, pdf, prefix),
        )
        return pdf

    def stamps(self, document: _flow.Flow, strings: list[list[tuple[str, str]]]) -> bytes:
        """Every page's margins (running heads, page numbers), laid out on empty pages.

        Page N of the stamp assigns the named strings that page N of the report assigned, in
        the same order, so `string()` in a margin gives what one layout would have given.
        """
        root = ET.Element(document.root.tag, dict(document.root.attrib))
        root.append(document.head_with(self.print_css + _STAMP_CSS))
        body = ET.SubElement(root, "body")
        for number, assignments in enumerate(strings):
            page = ET.SubElement(body, "div", {"class": "sendplan-page"} if number else {})
            for name, text in assignments:
                ET.SubElement(page, "div", {"style": f"string-set: {name} {_css_string(text)}"})
        laid_out = self._render(root)
        if len(laid_out.pages) != len(strings):
            raise SendplanError(
                f"internal error: {len(strings)} pages but {len(laid_out.pages)} page margins"
            )
        pdf: bytes = laid_out.write_pdf()
        return pdf


class _Parts:
    """A long report laid out and written part after part."""

    def __init__(self, renderer: _Renderer, document: _flow.Flow, part_weight: int) -> None:
        self.renderer, self.document, self.part_weight = renderer, document, part_weight
        self.head = document.head_with(renderer.print_css + _flow.PART_CSS + _NO_MARGINS)

    def lay_out(self, start: int, top: bool, first_page: int) -> tuple[Any, _Cut]:
        """Lay out the part that begins at unit `start`; `first_page`: its number in the PDF."""
        document, total, budget = self.document, len(self.document.units), self.part_weight
        while True:
            end = document.end_of_part(start, budget)
            with document.part(start, end, self.head, top=top) as root:
                laid_out = self.renderer.tagged(root)
            cut = None if end == total else _cut(document, laid_out.pages, start)
            if end == total or cut is not None:
                break
            budget *= 2  # a unit longer than the part: take more of the flow
        keep, restart, forced = (len(laid_out.pages), end, False) if cut is None else cut
        bookmarks, strings = [], []
        for number, page in enumerate(laid_out.pages[:keep], start=first_page):
            for level, label, (x, y), state in page.bookmarks:  # CSS px from the top left
                bookmarks.append((level, label, number, x * 0.75, (page.height - y) * 0.75, state))
            strings.append(list(_strings(page)))
        return laid_out, _Cut(keep, restart, forced, bookmarks, strings)

    def write(self, laid_out: Any, cut: _Cut, number: int) -> bytes:
        return self.renderer.write(laid_out.copy(laid_out.pages[: cut.keep]), prefix=f"p{number}-")

    def in_process(self, progress: Progress | None) -> tuple[list[bytes], list[_Cut]]:
        # The caller's objects (the plan, its views) are frozen out of the collector's way:
        # after each part one collection frees that part's reference cycles (WeasyPrint
        # makes many), and walks nothing else. A one-part report needs no collection.
        pdfs: list[bytes] = []
        cuts: list[_Cut] = []
        start, top, pages, total = 0, False, 0, len(self.document.units)
        gc.freeze()
        try:
            while start < total:
                laid_out, cut = self.lay_out(start, top, pages)
                pdfs.append(self.write(laid_out, cut, len(pdfs)))
                cuts.append(cut)
                del laid_out
                if cut.restart < total:  # more parts to come
                    gc.collect()
                start, top, pages = cut.restart, not cut.forced, pages + cut.keep
                if progress is not None:
                    progress(start, total)
        finally:
            gc.unfreeze()
        return pdfs, cuts

    def in_workers(
        self, progress: Progress | None, stamps: Callable[[list[_Cut]], bytes]
    ) -> tuple[list[bytes], list[_Cut], bytes]:
        """Each part in a forked process, which sends where it ended as soon as it is laid out
        and its PDF when written: the next part is laid out while the last one is written, and
        each process's memory goes when it ends (no collection of WeasyPrint's cycles).

        `stamps(cuts)`, the margins of every page, needs only where the parts ended: it is
        made in one more worker as soon as the last part is laid out, while parts are written.
        """
        import multiprocessing

        context = multiprocessing.get_context("fork")
        pdfs: list[bytes] = []
        cuts: list[_Cut] = []
        writing: tuple[Any, Any] | None = None  # (connection, process) of the part being written
        started: list[Any] = []  # every worker process
        stamping: _Worker | None = None
        start, top, pages, total = 0, False, 0, len(self.document.units)
        try:
            while start < total:
                receive, send = context.Pipe(duplex=False)
                process = context.Process(
                    target=self._work, args=(send, start, top, pages, len(cuts)), daemon=True
                )
                process.start()
                started.append(process)
                send.close()
                cut = _received(receive)
                cuts.append(cut)
                start, top, pages = cut.restart, not cut.forced, pages + cut.keep
                if start >= total:  # every part laid out
                    stamping = _Worker(functools.partial(stamps, cuts))
                    started.append(stamping.process)
                if writing is not None:
                    pdfs.append(_received(writing[0]))
                    writing[1].join()
                writing = (receive, process)
                if progress is not None:
                    progress(start, total)
            assert writing is not None  # a report laid out in workers has parts
            assert stamping is not None
            pdfs.append(_received(writing[0]))
            writing[1].join()
            stamped = stamping.result()
        finally:
            for process in started:
                if process.is_alive():  # an error left it running
                    process.terminate()
                    process.join()
        return pdfs, cuts, stamped

    def _work(self, send: Any, start: int, top: bool, first_page: int, number: int) -> None:
        """A worker process: lay out one part, send where it ended, write it, send the PDF."""
        try:
            laid_out, cut = self.lay_out(start, top, first_page)
            send.send(cut)
            send.send(self.write(laid_out, cut, number))
        except BaseException as e:
            send.send(_failed(e))
        finally:
            send.close()


class _Worker:
    """`work()` begun in a forked process, whose memory goes when it ends."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_send_result, args=(send, work), daemon=True)
        self.process.start()
        send.close()

    def result(self) -> bytes:
        """What `work()` returned, once it has; its error as a SendplanError."""
        try:
            result: bytes = _received(self.receive)
        finally:
            self.process.join()
        return result


def _send_result(send: Any, work: Callable[[], bytes]) -> None:
    try:
        send.send(work())
    except BaseException as e:
        send.send(_failed(e))
    finally:
        send.close()


def _failed(error: BaseException) -> SendplanError:
    """What a worker sends back when its work raised: the error as one line for the user."""
    return SendplanError(f"the PDF could not be laid out: {type(error).__name__}: {error}")


def _received(connection: Any) -> Any:
    try:
        value = connection.recv()
    except EOFError:  # killed, out of memory
        raise SendplanError("the PDF could not be laid out: a worker process died") from None
    if isinstance(value, SendplanError):
        raise value
    return value


def _units_on(document: _flow.Flow, page: Any) -> Iterator[tuple[int, Any]]:
    """The flow's units that have a box on this page, in order, each with its first box."""
    seen: set[int] = set()
    index = document.index
    for box in page._page_box.descendants():
        number = index.get(id(box.element))
        if number is not None and number not in seen:
            seen.add(number)
            yield number, box


def _cut(document: _flow.Flow, pages: list[Any], start: int) -> tuple[int, int, bool] | None:
    """Where to end a part: (pages to keep, unit the next part starts with, after a forced break).

    The last page whose first unit begins on it (and does not go on from the page before) is
    dropped, and the next part starts with that unit: every page kept was laid out with what
    follows it in view, as in one continuous layout.
    """
    units = [list(_units_on(document, page)) for page in pages]
    for number in range(len(pages) - 1, 0, -1):
        if not units[number]:
            continue
        first, box = units[number][0]
        if first > start and first not in {n for n, _ in units[number - 1]}:
            return number, first, box.style["break_before"] in _FORCED_BREAKS
    return None


def _strings(page: Any) -> Iterator[tuple[str, str]]:
    """The named strings (CSS string-set) that boxes on this page assign, in order."""
    for box in page._page_box.descendants():
        assignments = box.string_set
        if assignments and assignments != "none":
            for name, text in assignments:
                if _flow.IDENTIFIER.fullmatch(name):
                    yield name, text


def _css_string(text: str) -> str:
    """A CSS string literal of any text: all but letters, digits and spaces hex-escaped."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _finish(document: Any, pdf: Any, prefix: str) -> None:
    """WeasyPrint's finisher: header cells scoped, and text marked in its element."""
    _finish_tables(document, prefix)
    _text_in_its_element(pdf)


def _text_in_its_element(pdf: Any) -> None:
    """Each run of text marked in the element that holds it, not in a /Span of its own.

    WeasyPrint gives every line of text (every text box) a /Span structure element with one
    marked-content ID and nothing else; that is over half the elements of a board report,
    and their cost shows in the PDF's size, the writing and the join. The element above
    (a cell, a paragraph, a link, a list body) can hold the ID itself, on the same page
    (PDF 1.7, 14.7.4): the parent tree then names that element for the ID, and the /Span
    is freed. A /Span with anything more (attributes, a language, alternative text) stays.
    """
    objects: list[Any] = pdf.objects
    moved: dict[bytes, bytes] = {}  # the freed /Span's reference -> its parent's
    for number, span in enumerate(objects):
        if not _bare_span(span):
            continue
        kids = span["K"]
        parent = objects[int(span["P"].split()[0])]
        if parent.get("Pg") != span["Pg"]:
            continue  # an ID needs its page: only an element on the same page may hold it
        siblings = parent["K"]
        siblings[siblings.index(span.reference)] = kids[0]
        moved[span.reference] = parent.reference
        objects[number] = _free_object()
    if not moved:
        return
    root = objects[int(pdf.catalog["StructTreeRoot"].split()[0])]
    nums = objects[int(root["ParentTree"].split()[0])]["Nums"]
    for value in nums[1::2]:
        if isinstance(value, list):  # a page's ID -> element array (links name one element)
            value[:] = [moved.get(ref, ref) for ref in value]


def _bare_span(obj: Any) -> bool:
    """A /Span structure element with one marked-content ID and nothing else."""
    if not isinstance(obj, dict) or obj.get("S") != "/Span" or obj.keys() != _BARE_SPAN:
        return False
    return len(obj["K"]) == 1 and isinstance(obj["K"][0], int)


def _free_object() -> Any:
    """A free entry of pydyf's cross-reference table, like its object 0 (offset 0, gen 65535)."""
    import pydyf

    free = pydyf.Object()
    free.number, free.generation, free.free = 0, 65535, "f"
    return free


def _finish_tables(document: Any, prefix: str) -> None:
    """A /Scope on every header cell (PDF/UA, Matterhorn 15-003).

    A header's scope is its HTML `scope`; without one, a header in <thead> or in a row of
    headers only is a column header, any other a row header. The IDs that tie cells to their
    headers get the part's prefix, so that they stay unique once the parts are joined.
    """
    for page in document.pages:
        _scope_cells(page._page_box, prefix, in_head=False)


def _scope_cells(box: Any, prefix: str, *, in_head: bool) -> None:
    for child in getattr(box, "children", ()):
        tag = child.element_tag if child.element is not None else None
        if tag != "tr":
            _scope_cells(child, prefix, in_head=in_head or tag == "thead")
            continue
        cells = [c for c in child.children if getattr(c, "mark", None) is not None]
        headers_only = all(c.element_tag == "th" for c in cells)
        for cell in cells:
            mark = cell.mark
            if cell.element_tag != "th":
                continue
            scope = _SCOPES.get(cell.element.get("scope", "").lower())
            if scope is None:
                scope = "/Column" if in_head or headers_only else "/Row"
            mark["A"]["Scope"] = scope
            if prefix and "ID" in mark:  # the cells' /Headers hold this very string
                mark["ID"].string = prefix + mark["ID"].string
