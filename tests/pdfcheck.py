"""Checks of a tagged PDF read back from the file alone: PDF/UA structure (pikepdf) and the
boxes of tags against their table cells (pdfplumber). Used by tests/browser/test_pdf_ua.py.

`pdf_ua_problems` covers the Matterhorn Protocol checks a renderer can get wrong:
01-005 (content neither tagged nor an artifact), 06-002 (no PDF/UA identifier in the XMP),
07-001 (DisplayDocTitle), 11-001 (no /Lang), 13-004 (a figure without /Alt), 15-003 (a table
header cell without /Scope), 28-xxx (a link annotation outside the structure tree), and the
structure tree's own integrity (parents, pages, the parent tree behind every MCID).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

TEXT = {"Tj", "TJ", "'", '"'}
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "BI"}
SCOPES = {"/Row", "/Column", "/Both"}


def _marked_content_problems(pdf: Any, page: Any, number: int) -> Iterator[tuple[str, Any]]:
    """(problem, mcid or None) for the page's content: each painting operator must be inside
    marked content with an MCID (real content) or inside an /Artifact."""
    import pikepdf

    stack: list[tuple[str, int | None]] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                value = operands[1].get("/MCID")
                mcid = int(value) if value is not None else None
            stack.append((tag, mcid))
            if mcid is not None:
                yield "mcid", mcid
        elif op == "EMC":
            if not stack:
                yield f"page {number}: EMC without BDC", None
            else:
                stack.pop()
        elif op in TEXT or op in PAINT:
            inside = any(tag == "/Artifact" for tag, _ in stack) or any(
                mcid is not None for _, mcid in stack
            )
            if not inside:
                yield f"01-005 page {number}: {op} neither tagged nor an artifact", None
    if stack:
        yield f"page {number}: marked content left open", None


def pdf_ua_problems(path: Path) -> list[str]:
    """Everything found wrong, as 'CHECK where: what' lines (empty: all checks pass)."""
    import pikepdf

    problems: list[str] = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    if not bool(root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)):
        problems.append("01-001: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        problems.append("11-001: no /Lang in the catalog")
    if not bool(
        root.get("/ViewerPreferences", pikepdf.Dictionary()).get("/DisplayDocTitle", False)
    ):
        problems.append("07-001: /DisplayDocTitle is not true")
    metadata = root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""
    if 'pdfuaid:part="1"' not in xmp and "<pdfuaid:part>1<" not in xmp:
        problems.append("06-002: no PDF/UA identifier in the XMP metadata")
    if "dc:title" not in xmp:
        problems.append("06-003: no dc:title in the XMP metadata")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return [*problems, "01-006: no structure tree"]

    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    reached: set[tuple[int, int]] = set()
    ids: dict[bytes, int] = {}
    owners: dict[tuple[int, int], set[tuple[int, int]]] = {}  # (page, mcid) -> elements objgen

    def walk(element: Any, parent: Any) -> None:
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") in (
            "/OBJR",
            "/MCR",
        ):
            return
        kind = str(element.get("/S", ""))
        where = f"{kind} {element.objgen}"
        if element.objgen in reached:
            problems.append(f"structure: {where} is reached twice")
            return
        reached.add(element.objgen)
        if element.get("/P") is None or element.P.objgen != parent.objgen:
            problems.append(f"structure: {where} does not name its parent as /P")
        page = element.get("/Pg")
        if page is not None and page.objgen not in pages:
            problems.append(f"structure: {where} names a page that is not in the document")
        if "/ID" in element:
            key = bytes(element.ID)
            ids[key] = ids.get(key, 0) + 1
        if kind == "/Figure" and not str(element.get("/Alt", "")).strip():
            problems.append(f"13-004: {where} has no /Alt")
        if kind == "/TH":
            attributes = element.get("/A", pikepdf.Dictionary())
            listed = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
            scopes = {str(a.get("/Scope")) for a in listed if isinstance(a, pikepdf.Dictionary)}
            if not scopes & SCOPES:
                problems.append(f"15-003: {where} has no /Scope")
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) and page is not None:
                owners.setdefault((pages[page.objgen], int(kid)), set()).add(element.objgen)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                on = kid.get("/Pg", page)
                assert on is not None, f"structure: {where} has a marked-content kid on no page"
                owners.setdefault((pages[on.objgen], int(kid.MCID)), set()).add(element.objgen)
            else:
                walk(kid, element)

    kids = tree.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        walk(kid, tree)
    problems += [f"structure: ID {key!r} is used {n} times" for key, n in ids.items() if n > 1]

    parent_tree: dict[int, Any] = {}

    def numbers(node: Any) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                parent_tree[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", ()):
            numbers(kid)

    numbers(tree.ParentTree)
    for number, page in enumerate(pdf.pages, start=1):
        if page.obj.get("/Annots") and str(page.obj.get("/Tabs")) != "/S":
            problems.append(f"28-? page {number}: annotations but no /Tabs /S")
        key = page.obj.get("/StructParents")
        marks = parent_tree.get(int(key)) if key is not None else None
        for problem, mcid in _marked_content_problems(pdf, page, number):
            if problem != "mcid":
                problems.append(problem)
                continue
            element = marks[mcid] if marks is not None and mcid < len(marks) else None
            if element is None:
                problems.append(f"01-? page {number}: MCID {mcid} not in the parent tree")
            elif element.objgen not in reached:
                problems.append(f"01-? page {number}: MCID {mcid} belongs outside the tree")
            elif element.objgen not in owners.get((number, mcid), set()):
                problems.append(f"01-? page {number}: MCID {mcid}: its element does not hold it")
        for annotation in page.obj.get("/Annots", ()):
            if annotation.get("/Subtype") != "/Link":
                continue
            key = annotation.get("/StructParent")
            element = parent_tree.get(int(key)) if key is not None else None
            if element is None or element.objgen not in reached or str(element.S) != "/Link":
                problems.append(f"28-011 page {number}: a link outside the structure tree")
    return problems


# --- tag boxes and their cells (pdfplumber) -------------------------------------------------


def _struct_paths(page: Any) -> dict[int, list[dict[str, Any]]]:
    """MCID -> its chain of structure elements on this page, outermost first."""
    paths: dict[int, list[dict[str, Any]]] = {}

    def walk(node: dict[str, Any], chain: list[dict[str, Any]]) -> None:
        inner = [*chain, node]
        for mcid in node.get("mcids", ()):
            paths[mcid] = inner
        for child in node.get("children", ()):
            walk(child, inner)

    for node in page.structure_tree:
        walk(node, [])
    return paths


def _is_box(rect: dict[str, Any], page: Any) -> bool:
    """A tag's background or a flag's border: a small filled box (not a rule, not a page)."""
    return bool(rect["fill"]) and 4 < rect["height"] < 20 and 4 < rect["width"] < page.width / 3


def tag_overflows(path: Path) -> list[str]:
    """Every tag box (a small filled box around text inside a table cell) that is not inside
    its cell: its left edge before its column's, its right edge past the start of the next
    column's text, or its bottom below the rule under its row."""
    import pdfplumber

    problems: list[str] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            paths = _struct_paths(page)
            columns: dict[tuple[int, int], list[float]] = {}  # (table, column) -> chars' x0
            heads: dict[tuple[int, int], list[float]] = {}  # the same, of the header row
            cell_of: dict[int, tuple[int, int]] = {}  # mcid -> (table, column)
            for mcid, chain in paths.items():
                kinds = [node["type"] for node in chain]
                if "TD" not in kinds and "TH" not in kinds:
                    continue
                cell_at = max(i for i, k in enumerate(kinds) if k in ("TD", "TH"))
                row = chain[cell_at - 1]
                table = next(n for n in reversed(chain[:cell_at]) if n["type"] == "Table")
                cells = [c for c in row.get("children", ()) if c["type"] in ("TD", "TH")]
                column = next(i for i, c in enumerate(cells) if c is chain[cell_at])
                cell_of[mcid] = (id(table), column)
            for char in page.chars:
                char_mcid = char.get("mcid")
                if char_mcid in cell_of:
                    columns.setdefault(cell_of[char_mcid], []).append(char["x0"])
                    if "THead" in (node["type"] for node in paths[char_mcid]):
                        heads.setdefault(cell_of[char_mcid], []).append(char["x0"])
            rules = sorted(
                r["top"]
                for r in (*page.rects, *page.lines)
                if r["height"] <= 2.5 and r["width"] > 40
            )
            for box in (r for r in page.rects if _is_box(r, page)):
                inside = sorted(
                    (
                        c
                        for c in page.chars
                        if c.get("mcid") in cell_of
                        and box["x0"] - 1 <= (c["x0"] + c["x1"]) / 2 <= box["x1"] + 1
                        and box["top"] - 1 <= (c["top"] + c["bottom"]) / 2 <= box["bottom"] + 1
                    ),
                    key=lambda c: c["x0"],
                )
                if not inside:
                    continue  # not a tag in a table cell (a list item's tag, a banner)
                cell = cell_of[inside[0]["mcid"]]  # the tag's own text begins the box
                table, column = cell
                label = "".join(c["text"] for c in inside if cell_of[c["mcid"]] == cell)
                foreign = [c for c in inside if cell_of[c["mcid"]] != cell]
                if foreign:
                    problems.append(
                        f"page {number}: {label!r} is drawn over the text of another cell"
                    )
                header = heads.get(cell)  # a page that goes on with a long row has none
                if header and box["x0"] < min(header) - 0.01:
                    problems.append(f"page {number}: {label!r} starts left of its column")
                following = columns.get((table, column + 1))
                if following and box["x1"] > min(following) + 0.01:
                    problems.append(
                        f"page {number}: {label!r} runs {box['x1'] - min(following):.1f} pt "
                        "into the next column"
                    )
                below = [top for top in rules if top >= box["top"] + 1]
                if below and box["bottom"] > below[0] + 0.01:
                    problems.append(f"page {number}: {label!r} crosses the rule under its row")
    return problems
