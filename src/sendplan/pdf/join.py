"""Join the PDFs of a report's parts into one tagged PDF (pikepdf, from the `pdf` extra).

The first part gives the document catalog: title, language, PDF/UA metadata, viewer
preferences. Then, over all parts:
- pages, in order, and one structure tree: each part's top-level structure elements go under
  the first part's Document element, and the parent tree (marked content -> structure
  element) is numbered again across pages and link annotations;
- one outline, from the headings' bookmarks with their levels (a part may open with a
  sub-heading of a section that began in the part before);
- the named destinations (HTML ids) of all parts, the first of each name;
- each page's margins (running heads, "Page N of M") from the stamp document, drawn over
  the page as a pagination artifact, outside the structure tree.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

Bookmark = tuple[int, str, int, float, float, str]  # level, label, page, x, y, open/closed


def join(parts: Sequence[bytes], stamps: bytes, bookmarks: Sequence[Bookmark]) -> bytes:
    out = Pdf.open(io.BytesIO(parts[0]))
    tree = out.Root.StructTreeRoot
    document = tree.K[0]
    page_marks: list[pikepdf.Object] = []  # per page: its marked content's structure elements
    link_marks: list[tuple[pikepdf.Object, pikepdf.Object]] = []  # (annotation, its element)
    names: dict[bytes, pikepdf.Object] = {}
    _collect(list(out.pages), _parent_tree(tree.ParentTree), page_marks, link_marks)
    if "/Names" in out.Root:
        _names(out.Root.Names, names)
    for part in parts[1:]:
        # One part open at a time: what is copied from it is made the joined document's own
        # and the part is closed, so memory holds the joined document, not every part too.
        with Pdf.open(io.BytesIO(part)) as source:
            first = len(out.pages)
            out.pages.extend(source.pages)
            root = source.Root.StructTreeRoot
            for kid in _copy(out, source, root.K[0]).K:
                kid.P = document
                document.K.append(kid)
            parents = _parent_tree(_copy(out, source, root.ParentTree))
            _collect(out.pages[first:], parents, page_marks, link_marks)
            if "/Names" in source.Root:
                _names(_copy(out, source, source.Root.Names), names)
            _own_streams(page.obj for page in out.pages[first:])
    _renumber(out, tree, page_marks, link_marks)
    if names:
        flat = Array()
        for name in sorted(names):
            flat.append(pikepdf.String(name))
            flat.append(names[name])
        out.Root.Names = Dictionary(Dests=Dictionary(Names=flat))
    elif "/Names" in out.Root:
        del out.Root.Names
    _outline(out, bookmarks)
    with Pdf.open(io.BytesIO(stamps)) as stamp:
        _stamp(out, stamp)
    buffer = io.BytesIO()
    out.save(
        buffer,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()


def _own_streams(starts: Iterable[pikepdf.Object]) -> None:
    """Give every stream these pages (or forms) draw with its data in memory.

    qpdf copies a stream's data from the document it came from only when the joined document
    is saved; the data read now (still encoded) lets that document be closed first.
    """
    seen: set[tuple[int, int]] = set()
    todo = list(starts)
    first = {obj.objgen for obj in todo}
    while todo:
        obj = todo.pop()
        if not isinstance(obj, pikepdf.Object):
            continue  # a number or a boolean (pikepdf gives those as Python values)
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            encoding: Any = obj.get("/Filter"), obj.get("/DecodeParms")
            obj.write(obj.read_raw_bytes(), filter=encoding[0], decode_parms=encoding[1])
            todo.extend(v for k, v in obj.stream_dict.items() if k not in _NOT_DRAWN)
        elif isinstance(obj, Dictionary):
            if obj.get("/Type") == "/Page" and obj.objgen not in first:
                continue  # a link's destination: another page, reached from its own start
            todo.extend(v for k, v in obj.items() if k not in _NOT_DRAWN)
        elif isinstance(obj, Array):
            todo.extend(obj)


_NOT_DRAWN = frozenset({"/Parent", "/P", "/StructParents", "/StructParent"})


def _copy(out: Pdf, source: Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """`obj` of `source` copied into `out`, with everything it refers to (pages: the copies)."""
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _parent_tree(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """A parent tree (a number tree of Nums and Kids) as {key: value}."""
    found: dict[int, pikepdf.Object] = {}

    def walk(node: pikepdf.Object) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                found[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", ()):
            walk(kid)

    walk(tree)
    return found


def _collect(
    pages: Sequence[pikepdf.Page],
    parents: dict[int, pikepdf.Object],
    page_marks: list[pikepdf.Object],
    link_marks: list[tuple[pikepdf.Object, pikepdf.Object]],
) -> None:
    for page in pages:
        key = page.obj.get("/StructParents")
        page_marks.append(parents[int(key)] if key is not None else Array())
        for annotation in page.obj.get("/Annots", ()):
            key = annotation.get("/StructParent")
            if key is not None and int(key) in parents:
                link_marks.append((annotation, parents[int(key)]))


def _renumber(
    out: Pdf,
    tree: pikepdf.Object,
    page_marks: list[pikepdf.Object],
    link_marks: list[tuple[pikepdf.Object, pikepdf.Object]],
) -> None:
    """One parent tree for the joined pages: pages 0..n-1, then the link annotations."""
    nums = Array()
    for number, (page, marks) in enumerate(zip(out.pages, page_marks, strict=True)):
        page.obj.StructParents = number
        nums.append(number)
        nums.append(out.make_indirect(marks) if not marks.is_indirect else marks)
    for number, (annotation, element) in enumerate(link_marks, start=len(page_marks)):
        annotation.StructParent = number
        nums.append(number)
        nums.append(element)
    tree.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = len(page_marks) + len(link_marks)


def _name_pairs(node: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names) - 1, 2):
            yield names[i], names[i + 1]
    for kid in node.get("/Kids", ()):
        yield from _name_pairs(kid)


def _names(catalog_names: pikepdf.Object, names: dict[bytes, pikepdf.Object]) -> None:
    """The named destinations of a catalog's /Names, into `names` (the first of each name)."""
    dests = catalog_names.get("/Dests")
    if dests is None:
        return
    for name, destination in _name_pairs(dests):
        names.setdefault(bytes(name), destination)


def _outline(out: Pdf, bookmarks: Sequence[Bookmark]) -> None:
    """The bookmarks as one outline: each under the nearest earlier bookmark of a lower level."""
    if "/Outlines" in out.Root:
        del out.Root.Outlines
    with out.open_outline() as outline:
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, label, page, x, y, state in bookmarks:
            item = pikepdf.OutlineItem(label, page, pikepdf.PageLocation.XYZ, left=x, top=y, zoom=0)
            item.is_closed = state == "closed"
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _stamp(out: Pdf, stamps: Pdf) -> None:
    """Draw each stamp page over its page, marked as a pagination artifact (not content)."""
    for number, (page, stamp) in enumerate(zip(out.pages, stamps.pages, strict=True)):
        form = out.copy_foreign(stamp.as_form_xobject())
        _own_streams([form])  # the stamp document is closed before the joined one is saved
        # A part's pages share one resource dictionary: one name per page of the document.
        name = page.add_resource(form, Name.XObject, Name(f"/SendplanMargin{number}"))
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(
                out,
                b"Q\n/Artifact <</Type /Pagination>> BDC\nq\n"
                + bytes(name.unparse())
                + b" Do\nQ\nEMC\n",
            )
        )
