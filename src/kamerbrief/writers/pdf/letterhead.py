"""The letterhead of page 1, laid out once per sender and stamped on each letter.

What every letter of one sender shares on page 1 (the logo, the wordmark, the return line and
the sender's colofon groups: name, addresses, contact) is about a sixth of WeasyPrint's work per
letter. So the writer renders it once, as a one-page tagged PDF (the "head" part of
templates/kamerbrief.html.j2, with the letter's own stylesheet: same positions to the
thousandth of a point), and WeasyPrint lays out only the rest of each letter (the "letter"
part: the recipient, the colofon's remaining groups from where the sender's end, the body).
`stamp` then merges the two with pikepdf:

- the head page's content becomes a form XObject drawn on page 1, with its own fonts;
- its structure elements join the letter's tag tree where the whole letter has them, so the
  tree, and the order in which a screen reader meets the words, is that of the whole letter:
  Document > Div (Figure), Div (P wordmark), Div (P return line, P recipient, Div (P ...)), Part;
- the marked content inside the XObject is referred to as PDF 1.7 (14.7.4.3) says: marked-content
  references with `/Stm`, and the XObject's `/StructParents` key in the parent tree.

A letter whose parts do not have this shape is rendered whole (`part` "whole"); a tag tree that
is not as expected stops the build (`TagTreeError`), as in the PDF/UA step.
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from dataclasses import dataclass

import pikepdf

from ... import document as d
from ...layout import MM_PER_PT
from .pdfua import TagTreeError, document_element, kids, walk

PX_PER_PT = 4 / 3           # CSS pixels (WeasyPrint's unit) per point
XOBJECT = pikepdf.Name("/KbLetterhead")


def sender_groups(doc: d.Document) -> int:
    """How many colofon groups at the top are the sender's (before the first reference group,
    which starts with the larger "kenmerk" gap)."""
    for index, entry in enumerate(doc.colofon):
        if entry.gap == "kenmerk":
            return index
    return len(doc.colofon)


def applies(doc: d.Document, form: str) -> bool:
    """Whether this paper is drawn as letterhead stamp plus letter: the letter form, with both
    sender groups and the letter's own groups in its colofon."""
    return form == "kamerbrief" and 0 < sender_groups(doc) < len(doc.colofon)


@dataclass
class Stamp:
    """A sender's page-1 letterhead, laid out and tagged, ready to merge into letters."""

    pdf: pikepdf.Pdf               # the one-page head, prepared (see _prepare); kept open
    bundle: pikepdf.Object         # what a letter copies at once (see _prepare)
    colofon_top_mm: float          # where the letter's own colofon groups start (from the
                                   # page area's top, as the CSS `top` of .colofon)


_KEEP = 8  # stamps kept per kit (one per sender and draft state in a usual batch)


def stamp_for(html: str, render, stamps: OrderedDict) -> Stamp:
    """The Stamp of a head HTML, from `stamps` (the kit's: a new layout or templates folder
    means a new kit) or made with `render(html)`, which returns WeasyPrint's rendered Document
    of it (weasyprint.Document)."""
    key = hashlib.sha256(html.encode()).hexdigest()
    found = stamps.get(key)
    if found is None:
        found = stamps[key] = _make(render(html))
        while len(stamps) > _KEEP:  # not closed: a letter may still copy from it lazily
            stamps.popitem(last=False)
    stamps.move_to_end(key)
    return found


def _colofon_box(document):
    """The laid-out box of the colofon (the sender's groups) on the head's only page."""
    pending = [document.pages[0]._page_box]  # noqa: SLF001 (WeasyPrint has no public walk)
    while pending:
        box = pending.pop()
        element = getattr(box, "element", None)
        if element is not None and "colofon" in (element.get("class") or "").split() \
                and getattr(box, "element_tag", None) == "div":
            return box
        pending.extend(getattr(box, "children", ()))
    raise TagTreeError("the colofon in the letterhead's layout", "none")


def _make(rendered) -> Stamp:
    from .writer import PDF_VARIANT, _compress_streams

    box = _colofon_box(rendered)
    top_px = box.position_y - rendered.pages[0]._page_box.content_box_y()  # noqa: SLF001
    bottom_mm = (top_px + box.margin_height()) / PX_PER_PT * MM_PER_PT
    data = rendered.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=False,
                              uncompressed_pdf=True)
    pdf = pikepdf.open(io.BytesIO(data))
    if len(pdf.pages) != 1:
        raise TagTreeError("a letterhead of one page", f"{len(pdf.pages)} pages")
    bundle = _prepare(pdf)
    _compress_streams(pdf)
    return Stamp(pdf, bundle, bottom_mm)


def _shape(document: pikepdf.Object) -> tuple[list, pikepdf.Object, pikepdf.Object]:
    """(the head's Divs of logo and wordmark, its return-line P, its colofon Div)."""
    top = kids(document)
    if [e.S for e in top] != ["/Div"] * 3 or [e.S for e in kids(top[2])] != ["/P", "/Div"]:
        raise TagTreeError("Div (logo), Div (wordmark), Div (P return line, Div colofon) in "
                           "the letterhead", f"{[str(e.S) for e in top]}")
    ret, colofon = kids(top[2])
    return top[:2], ret, colofon


def _prepare(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """Turn the head page into what each letter copies, so that a letter has little left to
    do: the page's content as a form XObject; its structure elements without page, and the
    top ones without parent (both set per letter); their marked content as references (MCR)
    into the XObject. Returns the bundle to copy: [XObject, the parent-tree array of its
    MCIDs, what needs the letter's page (/Pg), the Divs of logo and wordmark, the return-line
    P, the colofon's Ps]."""
    root = pdf.Root.StructTreeRoot
    document = document_element(pdf)
    divs, ret, colofon = _shape(document)
    pdf.pages[0].contents_coalesce()
    page = pdf.pages[0].obj
    xobject = pdf.make_stream(page.Contents.read_bytes())
    xobject.Type = pikepdf.Name.XObject
    xobject.Subtype = pikepdf.Name.Form
    xobject.BBox = page.MediaBox
    xobject.Resources = page.Resources
    nums = list(root.ParentTree.Nums)
    parent_array = dict(zip((int(n) for n in nums[::2]), nums[1::2]))[int(page.StructParents)]
    moved = [*divs, ret, *kids(colofon)]
    on_page = []
    for top in moved:
        del top.P
        for element in (top, *walk(top)):
            if "/Pg" in element:
                del element.Pg
            items = element.get("/K")
            items = list(items) if isinstance(items, pikepdf.Array) else [items]
            references = []
            for item in items:
                if isinstance(item, int):
                    item = pdf.make_indirect(pikepdf.Dictionary(
                        Type=pikepdf.Name.MCR, MCID=item, Stm=xobject))
                    on_page.append(item)
                if item is not None:
                    references.append(item)
            element.K = pikepdf.Array(references)
            on_page.append(element)
    return pdf.make_indirect(pikepdf.Array([xobject, parent_array, pikepdf.Array(on_page),
                                            *moved]))


def stamp(pdf: pikepdf.Pdf, head: Stamp) -> None:
    """Merge the letterhead into the letter (open in `pdf`): drawn on page 1, its tags in the
    letter's tree where the whole letter has them."""
    document = document_element(pdf)
    top = kids(document)
    sheet = next((e for e in top if e.S == "/Div"), None)
    inner = kids(sheet) if sheet is not None else []
    if [e.S for e in inner] != ["/P", "/Div"] or not kids(inner[1]):
        raise TagTreeError("a Div with the recipient (P) and the colofon (Div, the letter's "
                           "own groups) on page 1", f"{[str(e.S) for e in inner]}")
    recipient, colofon = inner
    copied = list(pdf.copy_foreign(head.bundle))
    xobject, parent_array, on_page = copied[:3]
    divs, ret, groups = copied[3:5], copied[5], copied[6:]
    page = pdf.pages[0]
    for item in on_page:
        item.Pg = page.obj

    root = pdf.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    key = max(int(n) for n in list(nums)[::2]) + 1
    nums.extend([key, parent_array])
    root.ParentTreeNextKey = key + 1
    xobject.StructParents = key

    def put(parent, before, new):
        for element in new:
            element.P = parent
        items = list(parent.K) if isinstance(parent.K, pikepdf.Array) else [parent.K]
        at = next(i for i, item in enumerate(items)
                  if isinstance(item, pikepdf.Object) and item.objgen == before.objgen)
        parent.K = pikepdf.Array(items[:at] + new + items[at:])

    put(document, top[0], divs)  # first, as in the whole letter (before a CONCEPT mark)
    put(sheet, recipient, [ret])
    put(colofon, kids(colofon)[0], groups)  # the sender's groups before the letter's own

    resources = page.obj.Resources
    if "/XObject" not in resources:
        resources.XObject = pikepdf.Dictionary()
    resources.XObject[XOBJECT] = xobject
    # drawn after the letter's own content, as WeasyPrint draws the absolutely placed
    # letterhead after the body (text extraction in content order starts with "Datum" as
    # before); the letter's content is wrapped in q/Q so its transformation does not apply
    page.contents_coalesce()
    page.obj.Contents.write(b"q\n" + page.obj.Contents.read_bytes() + b"\nQ\nq "
                            + bytes(XOBJECT.unparse()) + b" Do Q\n")
