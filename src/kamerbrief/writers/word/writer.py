"""The Word writer: a Document to a .docx in the Rijkshuisstijl letter layout.

How it is built (and why in two steps):
1. docxtpl fills the template (kamerbrief.writers.word.template makes it from the layout in use; for
   the repository's layout it is templates/kamerbrief.docx) with the Document's printed parts:
   wordmark, colofon groups, return line, recipient, the Datum and subject rows, the CONCEPT
   mark and the logo's alt text; the list definitions and the footers' page label are drawn
   from the Document too. Autoescape is on,
   so the letter's text is data, never template code.
2. The body is appended to the rendered document with lxml elements from kamerbrief.ooxml:
   blocks in named styles, one Word list (w:num) per list so numbers restart, real footnotes
   in word/footnotes.xml, hyperlinks as external relationships. docxtpl cannot create
   footnotes or numbering instances, and a subdocument would bring python-docx's default
   styles; appending to the rendered tree keeps one set of styles and one numbering part.
Finally the core properties are set and the package is re-zipped with fixed timestamps, so
the same Document always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from lxml import etree

from ... import document as d
from . import ooxml as ox
from .template import (BULLET_LIST, DECIMAL_LIST, HEADINGS, LIST_BULLET, LIST_CONTINUE,
                            LIST_NUMBER, QUOTE, SIGNATURE, list_definitions, page_label_runs,
                       template_bytes, zip_parts)
from ...layout import Layout, load_layout


# -- set up once per process ------------------------------------------------------------------

class _CachingEnvironment(jinja2.Environment):
    """docxtpl compiles every part's XML on every render; compile each distinct source once."""

    def __init__(self):
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


@dataclass
class _Kit:
    layout: Layout
    template: bytes
    env: _CachingEnvironment = field(default_factory=_CachingEnvironment)


@lru_cache(maxsize=4)
def _kit_for(layout: Layout) -> _Kit:
    return _Kit(layout, template_bytes(layout))


def _kit() -> _Kit:
    """The docxtpl template of the layout in use, generated in memory (a few ms, once per
    process). For the repository's layout it is byte for byte templates/kamerbrief.docx (a test
    fails when that file is stale); a ministry's own layout file, or an edited copy of the
    templates folder, is followed without regenerating anything by hand."""
    return _kit_for(load_layout())


# -- what docxtpl fills -----------------------------------------------------------------------

def _lines(items) -> str:
    """Lines for one template field; docxtpl turns "\\n" into a line break."""
    return "\n".join(item for item in items if item)


def _entries(entries: tuple[d.ColofonEntry, ...]) -> list[dict]:
    return [{"label": e.label, "text": _lines(e.lines), "gap": e.gap, "bold": e.bold,
             "italic": e.italic} for e in entries]


def template_context(doc: d.Document) -> dict:
    """The values of the template's Jinja tags: the Document's printed parts as they are
    (plain text, escaped by docxtpl)."""
    return {
        "mark": doc.mark,
        "logo_alt": doc.logo_alt,
        "wordmark": _lines(doc.sender.wordmark),
        "wordmark_italic": _lines(doc.sender.wordmark_italic),
        "colofon": _entries(doc.colofon),
        "short_colofon": _entries(doc.short_colofon),
        "return_line": doc.return_line,
        "recipient": _lines(doc.recipient),
        "rows": doc.rows,
    }


def _draw_lists_and_page_labels(document, doc: d.Document, layout: Layout) -> None:
    """The Document's list markers as the list definitions and its page label in the
    footers (the template holds the layout's; the Document's are what is drawn)."""
    numbering = document.part.numbering_part.element
    for old, new in zip([numbering.find(f"{ox.W}abstractNum[@{ox.W}abstractNumId='{i}']")
                         for i in (BULLET_LIST, DECIMAL_LIST)],
                        list_definitions(doc.list_levels, layout)):
        old.getparent().replace(old, new)
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        (p,) = footer._element.iterfind(f"{ox.W}p")
        for run in p.findall(f"{ox.W}r"):
            p.remove(run)
        p.extend(page_label_runs(doc.page_label))


# -- Datum and subject labels -----------------------------------------------------------------

def _fit_labels(body: etree._Element, doc: d.Document, layout: Layout) -> None:
    """When a label (e.g. "Onderwerp") is too wide for the layout's tab, move the value tab of
    the Datum and subject lines to the shared `label_tab_mm`, so both values stay aligned (as
    in the PDF) and a long subject still wraps under its value."""
    tab = doc.row_tab_mm
    if tab <= layout.datum.tab_mm:
        return
    for p in body.iterfind(f"{ox.W}p"):
        style = p.find(f"{ox.W}pPr/{ox.W}pStyle")
        if style is None or style.get(ox.W + "val") not in ("Datum", "Betreft"):
            continue
        name = style.get(ox.W + "val")
        wraps = name == "Betreft"  # the template gives these paragraphs only their style
        p.replace(p.find(f"{ox.W}pPr"),
                  ox.ppr(style=name, tabs_mm=[tab], left_mm=tab if wraps else None,
                         hanging_mm=tab if wraps else None))


# -- the body ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Where:
    """Where a block stands: list depth (-1 outside lists), left offset, inside a quote."""

    depth: int = -1
    left_mm: float = 0
    quote: bool = False


class _Body:
    """Turns Document blocks into w:p / w:tbl elements, adding lists and footnote calls."""

    def __init__(self, layout: Layout, document_part, numbering):
        self.L = layout
        self.document_part = document_part
        self.numbering = numbering
        self.next_num = 1 + max(int(n.get(ox.W + "numId"))
                                for n in numbering.iterfind(ox.W + "num"))

    # inlines
    def runs(self, inlines, part, where: _Where = _Where()) -> list[etree._Element]:
        """Runs for inline content; links grouped into w:hyperlink on `part`'s relationships."""
        out: list[etree._Element] = []
        link, link_runs = None, []

        def close_link():
            nonlocal link, link_runs
            if link_runs:
                rel = part.relate_to(link, RT.HYPERLINK, is_external=True)
                out.append(ox.hyperlink(rel, link_runs))
            link, link_runs = None, []

        for item in inlines:
            if isinstance(item, d.Run):
                italic = (not where.quote) if item.italic else None  # upright in a quote
                props = ox.rpr(style="Hyperlink" if item.href else None, bold=item.bold,
                               italic=italic)
                run = ox.text_run(item.text, props if len(props) else None)
                if item.href:
                    if item.href != link:
                        close_link()
                        link = item.href
                    link_runs.append(run)
                    continue
                close_link()
                out.append(run)
            elif isinstance(item, d.FootnoteCall):
                close_link()
                out.append(ox.footnote_reference_run(item.number) if item.first
                           else ox.footnote_number_run(item.number))
            else:
                close_link()
                out.append(ox.break_run())
        close_link()
        return out

    # blocks
    def blocks(self, blocks, where: _Where = _Where()) -> list[etree._Element]:
        out: list[etree._Element] = []
        for block in blocks:
            if isinstance(block, d.Heading):
                out.append(ox.paragraph(ox.ppr(style=HEADINGS[block.level - 1]),
                                        *self.runs(block.inlines, self.document_part)))
            elif isinstance(block, d.Paragraph):
                out.append(self.paragraph(block.inlines, where))
            elif isinstance(block, d.ListBlock):
                out += self.list_block(block, where)
            elif isinstance(block, d.Quote):
                inner = _Where(where.depth, where.left_mm + self.L.body.quote_indent_mm, True)
                out += self.blocks(block.blocks, inner)
        return out

    def paragraph(self, inlines, where: _Where, props=None) -> etree._Element:
        if props is None:
            if where.depth >= 0:
                props = ox.ppr(style=LIST_CONTINUE, left_mm=where.left_mm)
            elif where.quote:
                props = ox.ppr(style=QUOTE, left_mm=where.left_mm)
            else:
                props = None
        return ox.paragraph(props, *self.runs(inlines, self.document_part, where))

    def list_block(self, block: d.ListBlock, where: _Where) -> list[etree._Element]:
        """One list: a fresh w:num (restarting at block.start), one level deeper."""
        depth = where.depth + 1
        indent = self.L.body.list_indent_mm
        num_id, self.next_num = self.next_num, self.next_num + 1
        self.numbering.append(ox.num(num_id, DECIMAL_LIST if block.ordered else BULLET_LIST,
                                     depth, block.start))
        inner = _Where(depth, where.left_mm + indent, where.quote)
        style = LIST_NUMBER if block.ordered else LIST_BULLET
        out: list[etree._Element] = []
        for item in block.items:
            first, *rest = item or (d.Paragraph(()),)
            if isinstance(first, (d.Paragraph, d.Heading)):
                props = ox.ppr(style=style, num=(num_id, depth), left_mm=inner.left_mm,
                               hanging_mm=indent)
                out.append(self.paragraph(first.inlines, inner, props))
            else:
                rest = [first, *rest]
            out += self.blocks(rest, inner)
        if where.depth < 0 and out:  # a list in the flow ends with one empty line
            _space_after(out[-1], self.L.type.body_leading_pt)
        return out

    def signatures(self, signatories) -> list[etree._Element]:
        """Title and comma, room to sign, name; several signatories side by side."""
        L = self.L
        room = L.signature.blank_lines_to_sign * L.type.body_leading_pt

        def one(person: d.Signatory):
            title, *names = person.lines
            return [ox.paragraph(ox.ppr(style=SIGNATURE, keep_next=True), ox.text_run(title)),
                    *(ox.paragraph(ox.ppr(style=SIGNATURE, before_pt=room), ox.text_run(name))
                      for name in names)]

        if len(signatories) == 1:
            return one(signatories[0])
        n, gap = len(signatories), L.signature.column_gap_mm
        width = (L.body.width_mm - gap * (n - 1)) / n
        widths = [width] + [width + gap] * (n - 1)
        table = ox.borderless_table(widths, [one(p) for p in signatories], gap)
        return [table, ox.paragraph(ox.ppr(style=SIGNATURE))]  # Word ends a body with a w:p

    def footnotes(self, notes, part) -> list[etree._Element]:
        return [ox.footnote(note.number, self.runs(note.inlines, part)) for note in notes]


def _space_after(paragraph: etree._Element, pt: float) -> None:
    """Set the space after one paragraph (direct formatting)."""
    ppr = paragraph.find(ox.W + "pPr")
    if ppr is None:
        ppr = ox.el("w:pPr")
        paragraph.insert(0, ppr)
    spacing = ppr.find(ox.W + "spacing")
    if spacing is None:
        spacing = ox.el("w:spacing")
        after = [ppr.find(ox.W + tag) for tag in ("ind", "outlineLvl", "rPr")]
        anchor = next((a for a in after if a is not None), None)
        anchor.addprevious(spacing) if anchor is not None else ppr.append(spacing)
    spacing.set(ox.W + "after", str(ox.twips_pt(pt)))


def body_elements(doc: d.Document, layout: Layout, body: _Body) -> list[etree._Element]:
    """Everything after the subject line: opening, blocks, closing, signatures."""
    out = []
    if doc.opening:
        out.append(ox.paragraph(None, ox.text_run(doc.opening)))
    out += body.blocks(doc.blocks)
    if doc.closing:
        out.append(ox.paragraph(None, ox.text_run(doc.closing)))
    out += body.signatures(doc.signatories)
    return out


# -- properties and package -------------------------------------------------------------------

def _set_properties(core, doc: d.Document, when: dt.datetime) -> None:
    core.title = doc.title
    core.subject = doc.subject
    core.author = doc.author
    core.last_modified_by = doc.author
    core.keywords = "; ".join(["Kamerbrief", doc.kenmerk])
    core.category = "Kamerbrief"
    core.language = doc.language
    core.content_status = "Concept" if doc.draft else "Definitief"
    core.created = when
    core.modified = when
    core.revision = 1


def _repack(data: bytes, when: dt.datetime) -> bytes:
    """The package again, every entry with the same timestamp (zip cannot go before 1980)."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    return zip_parts(parts, stamp)


def render_docx(doc: d.Document) -> bytes:
    """The .docx of one letter; the same Document gives the same bytes."""
    kit = _kit()
    L = kit.layout
    tpl = DocxTemplate(io.BytesIO(kit.template))
    tpl.render(template_context(doc), jinja_env=kit.env, autoescape=True)
    document = tpl.docx
    _fit_labels(document.element.body, doc, L)
    _draw_lists_and_page_labels(document, doc, L)

    part = document.part
    body = _Body(L, part, part.numbering_part.element)
    sect_pr = document.element.body.find(ox.W + "sectPr")
    for element in body_elements(doc, L, body):
        sect_pr.addprevious(element)

    notes_part = part.part_related_by(ox.RT_FOOTNOTES)
    notes = etree.fromstring(notes_part.blob)
    for note in body.footnotes(doc.footnotes, notes_part):
        notes.append(note)
    notes_part._blob = ox.part_xml(notes)

    when = d.timestamp(doc).replace(tzinfo=None)
    _set_properties(document.core_properties, doc, when)
    out = io.BytesIO()
    document.save(out)
    return _repack(out.getvalue(), when)


render = render_docx  # the writer interface (kamerbrief.writers)


def warm_up() -> None:
    """Set up what every letter of this process shares (called once per build worker)."""
    _kit()
