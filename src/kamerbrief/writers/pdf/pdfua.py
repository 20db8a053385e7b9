"""PDF/UA-1 on top of WeasyPrint's tagged PDF/A-2a: checked, mended, identified.

WeasyPrint tags the letter, but not quite as PDF/UA asks: a list item's text hangs directly
under its LI (PDF/UA wants an LBody), and a footnote is a Span (PDF/UA wants a Note with an ID).
This module mends both, and adds the PDF/UA identification to the XMP metadata (with lxml).

The mends rely on the shape of WeasyPrint's tag tree. `check_tag_tree` first verifies that shape
against the Document (one Document element under the StructTreeRoot, one footnote area Span per
footnote, one LI per list item, each with its Lbl) and raises `TagTreeError` with a sentence
when it is not there, so a changed WeasyPrint fails the build loudly instead of writing a PDF
that silently is not PDF/UA.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from lxml import etree

from ... import document as d
from .. import WriterError

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# The PDF/UA identification and its declaration as a PDF/A extension schema (PDF/A-2 allows
# only declared XMP properties); added as elements to WeasyPrint's rdf:RDF.
PDFUA_DESCRIPTIONS = f"""\
<rdf:RDF xmlns:rdf="{RDF}">
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 to which the file conforms</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
</rdf:RDF>"""


class TagTreeError(WriterError):
    """WeasyPrint's tag tree does not have the shape the PDF/UA step relies on."""

    def __init__(self, expected: str, found: str):
        super().__init__(f"PDF/UA step: expected {expected} in WeasyPrint's tag tree, found "
                         f"{found}; the PDF would not be PDF/UA-1. A WeasyPrint update may have "
                         f"changed its tagging: see docs/pdf.md (PDF/UA) before building again")


# -- reading the tree -----------------------------------------------------------------------

def kids(element: pikepdf.Object) -> list:
    """The structure elements directly under `element`."""
    items = element.get("/K")
    items = items if isinstance(items, pikepdf.Array) else [items]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def walk(element: pikepdf.Object):
    """Every structure element under `element`, depth first."""
    pending = kids(element)
    while pending:
        item = pending.pop(0)
        yield item
        pending[:0] = kids(item)


def footnote_spans_of_area(element: pikepdf.Object) -> list:
    """The notes of one footnote area as WeasyPrint tags it: an element-less NonStruct of Span
    children, one per note in printed order (empty for any other element)."""
    notes = kids(element)
    if element.S == "/NonStruct" and notes and all(kid.S == "/Span" for kid in notes):
        return notes
    return []


def footnote_spans(document: pikepdf.Object) -> list:
    """The notes of every footnote area (one per page) directly under the Document."""
    return [span for area in kids(document) for span in footnote_spans_of_area(area)]


def list_items(blocks) -> int:
    """How many list items the Document's blocks hold (nested lists included)."""
    count = 0
    for block in blocks:
        if isinstance(block, d.ListBlock):
            count += len(block.items) + sum(list_items(item) for item in block.items)
        elif isinstance(block, d.Quote):
            count += list_items(block.blocks)
    return count


@dataclass(frozen=True)
class Shape:
    """The parts of WeasyPrint's tag tree that the mends work on."""

    root: pikepdf.Object
    notes: list
    items: list


def document_element(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The one Document element under the StructTreeRoot (TagTreeError if there is not one)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        raise TagTreeError("a StructTreeRoot", "an untagged PDF")
    top = kids(root)
    if [kid.S for kid in top] != ["/Document"]:
        raise TagTreeError("one Document element under the StructTreeRoot",
                           f"{[str(kid.S) for kid in top]}")
    return top[0]


def check_tag_tree(pdf: pikepdf.Pdf, doc: d.Document) -> Shape:
    """The tag tree's parts, after checking they are what the Document leads us to expect."""
    top = [document_element(pdf)]
    root = pdf.Root.StructTreeRoot
    notes = footnote_spans(top[0])
    if len(notes) != len(doc.footnotes):
        raise TagTreeError(f"{len(doc.footnotes)} footnote(s) as Span elements in footnote "
                           f"areas (NonStruct) under the Document", f"{len(notes)}")
    items = [element for element in walk(top[0]) if element.S == "/LI"]
    expected = list_items(doc.blocks)
    if len(items) != expected:
        raise TagTreeError(f"{expected} list item(s) (LI)", f"{len(items)}")
    for item in items:
        if not kids(item) or kids(item)[0].S != "/Lbl":
            raise TagTreeError("a Lbl (the marker) first in every LI",
                               f"{[str(kid.S) for kid in kids(item)]}")
    return Shape(root, notes, items)


# -- mending it -----------------------------------------------------------------------------

def wrap_list_bodies(pdf: pikepdf.Pdf, items: list) -> None:
    """Put what WeasyPrint hangs directly under an LI (a P) into an LBody, as PDF/UA wants."""
    for element in items:
        children = kids(element)
        loose = [kid for kid in children if kid.S not in ("/Lbl", "/LBody")]
        if not loose:
            continue
        body = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=element,
            K=pikepdf.Array(loose)))
        if "/Pg" in element:
            body.Pg = element.Pg
        for kid in loose:
            kid.P = body
        element.K = pikepdf.Array([kid for kid in children if kid.S == "/Lbl"] + [body])


def tag_footnotes(root: pikepdf.Object, notes: list, numbers: list[int]) -> None:
    """Tag each footnote as a Note with an ID ("fn3") and list them in the IDTree."""
    names = []
    for note, number in zip(notes, numbers):
        note.S = pikepdf.Name.Note
        note.ID = pikepdf.String(f"fn{number}")
        names.append((f"fn{number}", note))
    if names:
        root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(
            [item for name, note in sorted(names, key=lambda pair: pair[0])
             for item in (pikepdf.String(name), note)]))


def with_pdfua_identification(xmp: bytes) -> bytes:
    """An XMP packet with the PDF/UA-1 identification added to its one rdf:RDF (lxml)."""
    tree = etree.ElementTree(etree.fromstring(xmp))
    rdfs = tree.getroot().findall(f".//{{{RDF}}}RDF")
    if len(rdfs) != 1:
        raise TagTreeError("one rdf:RDF in the XMP metadata", f"{len(rdfs)}")
    rdfs[0].extend(etree.fromstring(PDFUA_DESCRIPTIONS.encode()))
    return etree.tostring(tree, encoding="utf-8")


def apply(pdf: pikepdf.Pdf, doc: d.Document) -> None:
    """Make WeasyPrint's PDF/A-2a (open in `pdf`) a PDF/UA-1 file too; TagTreeError when its
    tag tree is not what the mends expect."""
    shape = check_tag_tree(pdf, doc)
    wrap_list_bodies(pdf, shape.items)
    tag_footnotes(shape.root, shape.notes, [note.number for note in doc.footnotes])
    metadata = pdf.Root.Metadata
    metadata.write(with_pdfua_identification(metadata.read_bytes()))
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
