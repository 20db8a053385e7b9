"""The Word writer: a Document to a .docx, drawn from the Word template templates/kamerbrief.docx.

1. The template (opened once per process, see `_template`) is rendered by docxtpl: letterhead,
   return address, recipient, Datum and subject, opening and closing, each field a content
   control bound to the letter's custom XML part. Autoescape is on: letter text is data.
2. The body goes into the template's `kb:body` control, in the template's own styles, through
   python-docx's paragraph and run API (styles, bold, italic, breaks): lists in the list styles
   (their numbering is in the style; a numbered list restarts on its own numbering instance),
   footnotes in word/footnotes.xml, a note called again as a NOTEREF field to a bookmark on its
   first call, and a bookmark at the start of each letter section (kb_sec_0, kb_sec_1_0 ...).
3. The signatures follow the closing; the custom XML part gets the letter's fields and the
   custom properties the letter file's name and the format version (docs/word.md).
Finally the core properties are set and the package is re-zipped with fixed timestamps, so the
same Document always gives the same bytes. Raw WordprocessingML lives in ooxml.py only.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count
from pathlib import Path

import jinja2
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import PartFactory
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import OxmlElement
from docx.parts.story import StoryPart
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from lxml import etree

from ... import document as d
from ..compiled import from_string as compiled_from_string
from ..compiled import template_cache
from . import answers as answers_paper
from . import ooxml as ox
from .template import (BULLET_LIST, BULLET_STYLES, CONTINUE_STYLES, DECIMAL_LIST,
                       FORMAT_VERSION, HEADING_STYLES, HYPERLINK, LIST_LEVELS, NUMBER_STYLES,
                       KEEP, QUOTE, SIGNATURE, SIGNATURE_IN_ROW, layout_fingerprint,
                       list_definitions, made_for, page_label_runs, template_bytes, template_path, zip_parts)
from ...layout import Layout, load_layout

# python-docx has no footnotes part of its own; read as a story part, its paragraphs take
# style names and its links get relationships like the body's.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, StoryPart)

SIGNATORY_IDS = 1000  # content-control ids of the signatories (the template's are below)


# -- set up once per process ------------------------------------------------------------------

class _CachingEnvironment(jinja2.Environment):
    """docxtpl compiles every part's XML on every render; compile each distinct source once."""

    def __init__(self):
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined,
                         bytecode_cache=template_cache())
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:  # compiled code from the cache on disk when there
            self._compiled[source] = compiled_from_string(self, source)
        return self._compiled[source]


@lru_cache(maxsize=64)
def _patched(xml: str) -> str:
    return DocxTemplate.patch_xml(None, xml)


class _Template(DocxTemplate):
    """docxtpl's template; its clean-up of each part's XML for Jinja (a dozen regular
    expressions over the whole part) is done once per distinct part, not per letter."""

    def patch_xml(self, src_xml):
        return _patched(src_xml)


@dataclass
class _Kit:
    layout: Layout
    template: bytes
    env: _CachingEnvironment = field(default_factory=_CachingEnvironment)


def _template(layout: Layout, path: Path) -> bytes:
    """The Word template: templates/kamerbrief.docx (as a template designer left it) when it
    was made from the layout in use; for another layout (KAMERBRIEF_LAYOUT, or a layout file
    changed since `kamerbrief template`) the template that layout gives, made in memory."""
    if path.is_file():
        data = path.read_bytes()
        if made_for(data) == layout_fingerprint(layout):
            return data
    return template_bytes(layout)


@lru_cache(maxsize=4)
def _kit_for(layout: Layout, path: Path, stamp: int | None) -> _Kit:
    return _Kit(layout, _template(layout, path))


def _kit() -> _Kit:
    path = template_path()
    return _kit_for(load_layout(), path, path.stat().st_mtime_ns if path.is_file() else None)


# -- what docxtpl fills -----------------------------------------------------------------------

def _lines(items) -> str:
    """Lines for one template field; docxtpl turns "\\n" into a line break."""
    return "\n".join(item for item in items if item)


def _entries(entries: tuple[d.ColofonEntry, ...]) -> list[dict]:
    return [{"label": e.label, "text": _lines(e.lines), "gap": e.gap, "bold": e.bold,
             "italic": e.italic, "field": e.field} for e in entries]


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
        "rows": [{"label": row.label, "text": row.value, "field": row.field} for row in doc.rows],
        "opening": doc.opening or "",
        "closing": doc.closing or "",
        "fields": _fields(doc),
    }


def _fields(doc: d.Document) -> dict[str, str]:
    """The values of the bound fields: what their controls show and the custom XML holds."""
    return {"date": doc.date_text, "kenmerk": doc.kenmerk,
            "your_reference": doc.your_reference or "", "subject": doc.subject,
            "opening": doc.opening or "", "closing": doc.closing or ""}


def _draw_lists_and_page_labels(document, doc: d.Document, layout: Layout) -> None:
    """The Document's list markers as the list definitions and its page label in the
    footers, where they differ from the layout's (which the template holds)."""
    if doc.list_levels != tuple(d.ListLevel(*pair) for pair in layout.lists.levels()):
        numbering = document.part.numbering_part.element
        for old, new in zip([numbering.find(f"{ox.W}abstractNum[@{ox.W}abstractNumId='{i}']")
                             for i in (BULLET_LIST, DECIMAL_LIST)],
                            list_definitions(doc.list_levels, layout)):
            old.getparent().replace(old, new)
    if doc.page_label == layout.page_number.format:
        return
    for footer in _parts(document, RT.FOOTER):
        (p,) = footer.element.iterfind(ox.W + "p")
        for run in p.findall(ox.W + "r"):
            p.remove(run)
        p.extend(page_label_runs(doc.page_label))


def _parts(document, reltype: str) -> list:
    """The document's parts of one kind (headers, footers) as rendered: docxtpl puts new
    parts behind the relationships, which python-docx's section objects do not see."""
    return [rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype]


def fields_part(doc: d.Document) -> bytes:
    """The letter's custom XML part: one value per field, shown by every control bound to it."""
    return ox.letter_fields_part(
        **_fields(doc), recipient=doc.recipient, attachments=doc.attachments,
        signatories=[(s.title, s.name) for s in doc.signatories],
        notes=[(note.number, note.label) for note in doc.footnotes])


# -- Datum and subject labels -----------------------------------------------------------------

def _fit_labels(document, doc: d.Document, layout: Layout) -> None:
    """When a label (e.g. "Onderwerp") is too wide for the layout's tab, move the value tab of
    the Datum and subject lines to the shared `label_tab_mm`, so both values stay aligned (as
    in the PDF) and a long subject still wraps under its value."""
    tab = doc.row_tab_mm
    if tab <= layout.datum.tab_mm:
        return
    for paragraph in document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else None
        if name not in ("Datum", "Betreft"):
            continue
        f = paragraph.paragraph_format
        f.tab_stops.add_tab_stop(Twips(ox.twips_mm(layout.datum.tab_mm)), WD_TAB_ALIGNMENT.CLEAR)
        f.tab_stops.add_tab_stop(Twips(ox.twips_mm(tab)))
        if name == "Betreft":
            f.left_indent = Twips(ox.twips_mm(tab))
            f.first_line_indent = -Twips(ox.twips_mm(tab))


# -- the body ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Story:
    """What python-docx's paragraph proxies need of their container: the part they live in."""

    part: object


def note_bookmark(number: int) -> str:
    """The (hidden) bookmark on the first call of a note that is called again."""
    return f"_Ref_kb_note_{number}"


def section_bookmark(path: tuple[int, ...]) -> str:
    """kb_sec_0, kb_sec_1_0 ...: the start of a letter section (index path in `sections`)."""
    return "kb_sec_" + "_".join(map(str, path))


def _repeated_notes(blocks) -> set[int]:
    """Numbers of the notes called more than once (their first call gets a bookmark)."""
    out: set[int] = set()

    def walk(items):
        for item in items:
            if isinstance(item, (d.Heading, d.Paragraph)):
                out.update(i.number for i in item.inlines
                           if isinstance(i, d.FootnoteCall) and not i.first)
            elif isinstance(item, d.ListBlock):
                for entry in item.items:
                    walk(entry)
            elif isinstance(item, d.Quote):
                walk(item.blocks)
    walk(blocks)
    return out


class _Body:
    """Draws Document blocks as paragraphs in the template's styles (python-docx proxies over
    the elements; raw OOXML from ooxml.py only for what python-docx has no API for)."""

    def __init__(self, doc: d.Document, document, notes_part):
        self.doc = doc
        self.story = _Story(document.part)
        self.notes_story = _Story(notes_part)
        self.numbering = document.part.numbering_part.element
        self.bookmark_ids = count(1)
        self.repeated = _repeated_notes(doc.blocks)
        self.styles = document.styles
        self.style_of: dict[str, object] = {}

    def style(self, name: str):
        """The template's style called `name` (looked up once per letter)."""
        if name not in self.style_of:
            self.style_of[name] = self.styles[name]
        return self.style_of[name]

    # paragraphs and inlines
    def paragraph(self, container, style: str | None, inlines=(), story=None,
                  quote: bool = False) -> Paragraph:
        p = OxmlElement("w:p")
        if container is not None:
            container.append(p)
        paragraph = Paragraph(p, story or self.story)
        if style:
            paragraph.style = self.style(style)
        self.inlines(paragraph, p, inlines, story or self.story, quote)
        return paragraph

    def inlines(self, paragraph: Paragraph, p, inlines, story: _Story, quote: bool) -> None:
        link, href = None, None
        for item in inlines:
            if isinstance(item, d.Run):
                if item.href:
                    if item.href != href:
                        rel = story.part.relate_to(item.href, RT.HYPERLINK, is_external=True)
                        link, href = ox.hyperlink(rel, ()), item.href
                        p.append(link)
                    run = self.run_in(link, paragraph, item.text)
                    run.style = self.style(HYPERLINK)
                else:
                    href = None
                    run = self.run_in(p, paragraph, item.text)
                if item.bold:
                    run.bold = True
                if item.italic:
                    run.italic = not quote  # emphasis in a quote is upright
            elif isinstance(item, d.FootnoteCall):
                href = None
                self.call(p, item)
            else:
                href = None
                paragraph.add_run().add_break()

    @staticmethod
    def run_in(parent, paragraph: Paragraph, text: str) -> Run:
        """A run of `text` at the end of `parent` (the paragraph or a link in it), as a
        python-docx run for its style and emphasis. The text goes in as one w:t: python-docx's
        run.text setter appends it character by character, ten times slower."""
        r = ox.text_run(text)
        parent.append(r)
        return Run(r, paragraph)

    def call(self, p, call: d.FootnoteCall) -> None:
        """A footnote call: the note's reference; a repeat is a NOTEREF field to the first."""
        name = note_bookmark(call.number)
        if not call.first:
            p.extend(ox.noteref_runs(name, str(call.number),
                                     ox.rpr(style=ox.FOOTNOTE_REFERENCE)))
            return
        reference = ox.footnote_reference_run(call.number)
        if call.number in self.repeated:
            p.extend(ox.bookmark(next(self.bookmark_ids), name, reference))
        else:
            p.append(reference)

    # blocks
    def body(self, container) -> None:
        """Every block into `container`, a bookmark where each letter section starts."""
        starts: dict[int, list[str]] = {}
        for start in self.doc.sections:
            starts.setdefault(start.start, []).append(section_bookmark(start.path))
        for index, block in enumerate(self.doc.blocks):
            before = len(container)
            self.block(block, container)
            if index in starts and len(container) > before:
                first = container[before]
                at = 1 if len(first) and first[0].tag == ox.W + "pPr" else 0
                for name in reversed(starts[index]):
                    for mark in reversed(ox.bookmark(next(self.bookmark_ids), name)):
                        first.insert(at, mark)

    def block(self, block, container, depth: int = -1, quote: bool = False) -> None:
        if isinstance(block, d.Heading):
            self.paragraph(container, HEADING_STYLES[block.level - 1], block.inlines)
        elif isinstance(block, d.Paragraph):
            style = CONTINUE_STYLES[depth] if depth >= 0 else QUOTE if quote else \
                KEEP if block.keep_with_next else None
            self.paragraph(container, style, block.inlines, quote=quote)
        elif isinstance(block, d.ListBlock):
            self.list_block(block, container, depth, quote)
        elif isinstance(block, d.Quote):
            for inner in block.blocks:
                self.block(inner, container, depth, True)

    def list_block(self, block: d.ListBlock, container, depth: int, quote: bool) -> None:
        """One list in the list style of its level (block.level); a numbered list gets its own
        numbering instance (restarting at block.start), bullets only their style."""
        level = min(block.level, LIST_LEVELS - 1)
        style = (NUMBER_STYLES if block.ordered else BULLET_STYLES)[level]
        num_id = None
        if block.ordered:
            num = self.numbering.add_num(DECIMAL_LIST)
            num.add_lvlOverride(ilvl=level).add_startOverride(block.start)
            num_id = num.numId
        for item in block.items:
            first, *rest = item or (d.Paragraph(()),)
            if isinstance(first, (d.Paragraph, d.Heading)):
                paragraph = self.paragraph(container, style, first.inlines, quote=quote)
                if num_id is not None:
                    self.number(paragraph, num_id, level)
            else:
                rest = [first, *rest]
            for inner in rest:
                self.block(inner, container, level, quote)

    @staticmethod
    def number(paragraph: Paragraph, num_id: int, level: int) -> None:
        """Put a list item on its list's numbering instance (the style has the level's look)."""
        num_pr = paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    # footnotes and signatures
    def footnotes(self, notes_root) -> None:
        for note in self.doc.footnotes:
            footnote, p = ox.footnote(note.number)
            notes_root.append(footnote)
            self.inlines(Paragraph(p, self.notes_story), p, note.inlines, self.notes_story,
                         False)

    def signatory(self, number: int, person: d.Signatory, title_style: str = SIGNATURE) -> list:
        """The signatory's printed lines ("title,", name): the first in the Signature style,
        the others after room to sign (the Ondertekenaar style); where a line shows the title
        or the name, that value is a control bound to its signatory in the custom XML part."""
        out = []
        for index, line in enumerate(person.lines):
            paragraph = self.paragraph(None, title_style if index == 0 else "Ondertekenaar")
            p = paragraph.paragraph_format.element
            kind, value = next(((k, v) for k, v in (("title", person.title),
                                                    ("name", person.name))
                                if v and line.startswith(v)), (None, ""))
            if kind:
                alias = f"Ondertekenaar {number}, {'functie' if kind == 'title' else 'naam'}"
                p.append(ox.run_control(
                    f"kb:signatory.{number}.{kind}", alias,
                    SIGNATORY_IDS + 2 * number + (kind == "name"), [ox.text_run(value)],
                    xpath=ox.field_xpath(("signatory", number), kind)))
            if line[len(value):]:
                self.run_in(p, paragraph, line[len(value):])
            out.append(p)
        return out

    def signatures(self, layout: Layout) -> list:
        """One signatory under the closing; several side by side in the Document's rows, in
        a borderless table (a row never splits; rows may go on on the next page)."""
        people = self.doc.signatories
        if not people:  # a paper without signature (the answers document)
            return []
        if len(people) == 1:
            return self.signatory(1, people[0])
        numbers = iter(range(1, len(people) + 1))
        rows = [[self.signatory(next(numbers), p, SIGNATURE_IN_ROW) for p in row]
                for row in self.doc.signature_rows]
        n, gap = max(len(row) for row in rows), layout.signature.column_gap_mm
        width = (layout.body.width_mm - gap * (n - 1)) / n
        widths = [width] + [width + gap] * (n - 1)
        end = self.paragraph(None, SIGNATURE).paragraph_format.element  # a body ends in a w:p
        return [ox.borderless_table(widths, rows, gap, layout.type.body_leading_pt), end]


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


def _part_names(document) -> tuple[str, str]:
    """Zip names of the template's custom XML part of the fields and its custom properties."""
    fields = props = None
    for rel in document.part.rels.values():
        if rel.reltype == ox.RT_CUSTOM_XML and not rel.is_external:
            if etree.fromstring(rel.target_part.blob).tag == f"{{{ox.FIELDS_NS}}}letter":
                fields = rel.target_part.partname
    for rel in document.part.package.rels.values():
        if rel.reltype == ox.RT_CUSTOM_PROPERTIES:
            props = rel.target_part.partname
    if fields is None or props is None:
        raise ValueError("the Word template has no kamerbrief fields part or custom "
                         "properties; make it again with `kamerbrief template`")
    return fields.lstrip("/"), props.lstrip("/")


class _PartsKept:
    """Stands in for python-docx's zip writer: keeps each part's bytes by zip name, in the
    order python-docx writes them."""

    def __init__(self):
        self.parts: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.parts[pack_uri.membername] = blob


def _package_parts(document) -> dict[str, bytes]:
    """What `document.save` would zip (content types, package relationships, every part with
    its relationships), as bytes by zip name: zipped once, by `_repack`, not twice."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    kept = _PartsKept()
    PackageWriter._write_content_types_stream(kept, package.parts)
    PackageWriter._write_pkg_rels(kept, package.rels)
    PackageWriter._write_parts(kept, package.parts)
    return kept.parts


def _repack(parts: dict[str, bytes], when: dt.datetime, replace: dict[str, bytes]) -> bytes:
    """The package's parts zipped, `replace`d parts swapped in, every entry with the same
    timestamp (zip cannot go before 1980)."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    return zip_parts({name: replace.get(name) or data for name, data in parts.items()}, stamp)


def render_docx(doc: d.Document) -> bytes:
    """The .docx of one letter; the same Document gives the same bytes."""
    kit = _kit()
    L = kit.layout
    tpl = _Template(io.BytesIO(kit.template))
    tpl.render(template_context(doc), jinja_env=kit.env, autoescape=True)
    document = tpl.docx
    _fit_labels(document, doc, L)
    _draw_lists_and_page_labels(document, doc, L)

    notes_part = document.part.part_related_by(ox.RT_FOOTNOTES)
    body = _Body(doc, document, notes_part)
    (content,) = [ox.control_content(sdt) for sdt in
                  ox.controls(document.element.body).get("kb:body", ())][:1] or [None]
    if content is None:
        raise ValueError("the Word template has no content control tagged kb:body; "
                         "make it again with `kamerbrief template`")
    for child in list(content):
        content.remove(child)
    body.body(content)
    if doc.paper == "answers":  # kind antwoorden: the answers document, without letterhead
        answers_paper.draw(document, doc, body, content, L)
    if not len(content):
        body.paragraph(content, None)  # a control holds at least one paragraph
    sect_pr = document.element.body.sectPr
    for element in body.signatures(L):
        sect_pr.addprevious(element)
    body.footnotes(notes_part.element)
    for root in (document.element.body, notes_part.element,
                 *(part.element for part in _parts(document, RT.HEADER))):
        ox.soft_hyphens(root)

    when = d.timestamp(doc).replace(tzinfo=None)
    _set_properties(document.core_properties, doc, when)
    fields_name, props_name = _part_names(document)
    return _repack(_package_parts(document), when, {
        fields_name: fields_part(doc),
        props_name: ox.custom_properties_part({"kamerbrief.source": doc.source.name,
                                               "kamerbrief.format": FORMAT_VERSION}),
    })


render = render_docx  # the writer interface (kamerbrief.writers)


def warm_up() -> None:
    """Set up what every letter of this process shares (called once per build worker)."""
    _kit()
