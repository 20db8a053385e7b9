"""The answers paper (kind antwoorden) in Word: the letter's template and styles, without the
letterhead.

The template is filled as for a letter (one set of styles, numbering and footnotes; the
Document of this paper has no rows, colofon, opening, closing or signatories), and the body's
control gets the Document's blocks as for a letter. Then `draw` finishes the paper:

* the title, as a "Heading 1" paragraph at the top of the body;
* the "Vraag n" / "Antwoord n" labels (the Document's level-2 headings: compose makes every
  label one and nothing else one in this paper) in the template's style "Vraaglabel", based on
  "Heading 2", upright and kept with the next paragraph, so a label never ends a page;
* LibreOffice does not move a heading along when the paragraph after it moves to the next page
  to take its footnote with it (keep-with-next is checked without the footnote's height): a
  paragraph right after a label that calls a footnote may therefore leave a single line with the
  label (no widow/orphan control), which keeps the footnote on the label's page. This stays a
  per-paragraph exception, not a style: it holds for that one paragraph only when it calls a
  footnote, and that paragraph may be in any style (text, a list item, a quote);
* the letterhead goes: the framed return address and recipient, the headers' lint, wordmark
  and colofon, and the different first page; the footer with the page number stays, on every
  page, and the top margin becomes the layout's [answers] top_mm;
* a draft keeps the Document's mark (CONCEPT), as the PDF shows it: the follow-page header
  stays on every page holding only the template's framed Concept paragraph (which docxtpl filled
  with `doc.mark`); a paper without mark has no header at all.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ... import document as d
from ...layout import Layout
from . import ooxml as ox
from .template import ANSWER_LABEL, HEADING_STYLES

LETTERHEAD_STYLES = ("Retouradres", "Adres", "Datum", "Betreft")
MARK_STYLE = "Concept"  # the style id of the mark's framed paragraph in the template's headers


def draw(document, doc: d.Document, body, content, layout: Layout) -> None:
    """Title, labels in their style and the letterhead removed (see the module's text)."""
    title = body.paragraph(None, HEADING_STYLES[0], (d.Run(doc.answers.title),))
    title.paragraph_format.space_after = Pt(layout.type.body_leading_pt
                                            + layout.answers.title_space_after_pt)
    content.insert(0, title.paragraph_format.element)
    after_label = False
    for p in content.iterchildren(ox.W + "p"):
        paragraph = Paragraph(p, body.story)
        if paragraph.style is not None and paragraph.style.name == HEADING_STYLES[1]:
            paragraph.style = body.style(ANSWER_LABEL)
            after_label = True
            continue
        if after_label and p.find(f".//{ox.W}footnoteReference") is not None:
            paragraph.paragraph_format.widow_control = False
        after_label = False
    strip_letterhead(document, layout, doc.mark)


def strip_letterhead(document, layout: Layout, mark: str | None = None) -> None:
    """Remove the letterhead from a filled letter template (python-docx Document); with a
    `mark`, the follow-page header stays on every page with only the mark in it."""
    body = document.element.body
    for p in list(body.iterchildren(ox.W + "p")):
        style = p.find(f"{ox.W}pPr/{ox.W}pStyle")
        if style is not None and style.get(ox.W + "val") in LETTERHEAD_STYLES:
            body.remove(p)
    section = body.find(ox.W + "sectPr")
    dropped = []
    for ref in list(section):
        kind = ref.get(ox.W + "type")
        if ref.tag == ox.W + "headerReference" and kind == "default" and mark:
            # the part as rendered: docxtpl puts it behind the relationship
            _only_the_mark(document.part.rels[ref.get(f"{{{ox.NS['r']}}}id")].target_part)
        elif ref.tag == ox.W + "headerReference" or (ref.tag == ox.W + "footerReference"
                                                     and kind == "first"):
            dropped.append(ref.get(f"{{{ox.NS['r']}}}id"))
            section.remove(ref)
        elif ref.tag == ox.W + "titlePg":
            section.remove(ref)
    margins = section.find(ox.W + "pgMar")
    margins.set(ox.W + "top", str(ox.twips_mm(layout.answers.top_mm)))
    margins.set(ox.W + "header", str(ox.twips_mm(layout.answers.top_mm / 2)))
    part = document.part
    for rid in dropped:
        if part.rels[rid].reltype in (RT.HEADER, RT.FOOTER):
            part.drop_rel(rid)


def _only_the_mark(header) -> None:
    """The header part without the letterhead: its mark paragraph(s) kept, then an empty
    paragraph in the Header style (a header ends in a paragraph that is not framed, the mark's
    frame is anchored to it); the relationships nothing refers to any more (the logo) go."""
    root = header.element
    for child in list(root):
        style = child.find(f"{ox.W}pPr/{ox.W}pStyle")
        if child.tag != ox.W + "p" or style is None or style.get(ox.W + "val") != MARK_STYLE:
            root.remove(child)
        elif (frame := child.find(f"{ox.W}pPr/{ox.W}framePr")) is not None:
            # the body starts at [answers] top_mm, beside the mark: the text goes on under it
            # (as in the PDF) rather than around it (LibreOffice: wrap none = through)
            frame.set(ox.W + "wrap", "none")
    root.append(ox.paragraph(ox.ppr(style="Header")))
    used = {value for node in root.iter() for key, value in node.attrib.items()
            if key.startswith(f"{{{ox.NS['r']}}}")}
    for rid in [rid for rid in header.rels if rid not in used]:
        del header.rels[rid]
