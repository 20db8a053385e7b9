"""Generates templates/kamerbrief.docx, the Word template, from the layout file.

    kamerbrief template             # (re)writes templates/kamerbrief.docx (also: make template)
    kamerbrief template --check     # exit 1 when the committed file is stale

The Word writer opens that file at run time; a template designer may change its styles, fixed
texts or logo in Word. The package is written part by part (no python-docx default template,
so no Calibri theme, en-US or "python-docx" leftovers): styles (every list, quote, footnote and
link look lives in a style), numbering linked to the list styles, settings with the footnote
separators, a first-page header (lint, wordmark, colofon) that reserves the letterhead down to
the Datum line, a follow-page header (lint, wordmark, short colofon), footers with
PAGE/NUMPAGES fields, and a body with the return address, recipient, Datum and subject (framed
on the sheet), opening, the body's content control and the closing. Every field is a content
control bound to the custom XML part of the letter's fields (see docs/word.md); letter data
enters through Jinja tags that docxtpl fills. Every position and size is read from the layout
file; the same layout gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from itertools import count
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt, RGBColor, Twips

from . import ooxml as ox
from ... import document as d
from ...layout import MM_PER_PT, Layout, load_layout
from ...paths import templates_dir

TEMPLATE_NAME = "kamerbrief.docx"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip entry time: the template is reproducible

FORMAT_VERSION = "1"  # kamerbrief.format: the fields contract of docs/word.md
LAYOUT_PROPERTY = "kamerbrief.layout"  # the template's fingerprint of the layout it was made from

# Numbering definitions (ids in numbering.xml), each level linked to its list style; the list
# styles carry the numbering, so a paragraph in "List Bullet 2" is a second-level bullet. A
# numbered list of a letter gets its own w:num over DECIMAL_LIST, so its numbers restart.
BULLET_LIST, DECIMAL_LIST = 1, 2
LIST_LEVELS = 4  # list styles per kind (List Bullet ... List Bullet 4); deeper lists: the 4th
WORD_LIST_LEVELS = 9  # Word's levels (ilvl 0-8); deeper than the layout's: its last marker


def _level_names(base: str) -> tuple[str, ...]:
    return (base, *(f"{base} {level}" for level in range(2, LIST_LEVELS + 1)))


# Style names (what Word shows; python-docx looks styles up by name); ids without spaces.
BULLET_STYLES = _level_names("List Bullet")
NUMBER_STYLES = _level_names("List Number")
CONTINUE_STYLES = _level_names("List Continue")
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
ANSWER_LABEL = "Vraaglabel"  # "Vraag n" / "Antwoord n" of the answers paper: upright Heading 2
QUOTE, HYPERLINK, SIGNATURE = "Quote", "Hyperlink", "Signature"
KEEP, OPENING, CLOSING = "Blijft bij volgende", "Aanhef", "Slotformule"  # keep with next
SIGNATURE_IN_ROW = "Ondertekening in rij"
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = ox.FOOTNOTE_TEXT, ox.FOOTNOTE_REFERENCE


def style_id(name: str) -> str:
    return name.replace(" ", "")


# The content controls: tag -> alias (the name Word shows). Tags and the custom XML part are
# the contract of docs/word.md that `kamerbrief import` reads back; an alias may change (the
# ones with a label in the layout's [labels] take it from there, see `aliases`).
FIELDS = {
    "kb:date": "Datum",
    "kb:kenmerk": "Ons kenmerk",
    "kb:your_reference": "Uw kenmerk",
    "kb:subject": "Onderwerp",
    "kb:recipient": "Geadresseerde",
    "kb:opening": "Aanhef",
    "kb:closing": "Slotformule",
    "kb:body": "Tekst van de brief",
}

# tag -> the layout's [labels] entry whose text is also that control's alias
LABELLED = {"kb:date": "date", "kb:kenmerk": "our_reference",
            "kb:your_reference": "your_reference"}


def aliases(L: Layout) -> dict[str, str]:
    """The content controls' aliases: the printed label where the layout has one (so one
    change of a label changes both), else FIELDS' name."""
    return {tag: getattr(L.labels, LABELLED[tag]) if tag in LABELLED else name
            for tag, name in FIELDS.items()}


CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


# -- styles -----------------------------------------------------------------------------------

def letterhead_space_pt(L: Layout) -> float:
    """Space above the first-page header's last line so that the header ends at the Datum
    line: page 1's body starts there, below the framed Datum and subject (the frame pushes
    it down), whatever the body holds."""
    return (L.datum.top_mm - L.wordmark.top_mm) / MM_PER_PT - L.type.small_leading_pt


class _StyleSheet:
    """Adds styles through python-docx's style API (what it has no API for, from ooxml.py)."""

    def __init__(self, styles):
        self.styles = styles

    def add(self, kind, name: str, *, based_on=None, next_=None, builtin: bool = True,
            priority: int = 99, quick: bool = False, hidden: bool = False, xml_name=None,
            **look):
        style = self.styles.add_style(name, kind, builtin=builtin)
        style.element.styleId = style_id(name)  # as referenced ("Header", not "header")
        if xml_name:  # Word's own (lower-case) name of a built-in style
            style.element.name_val = xml_name
        if based_on is not None:
            style.base_style = self.styles[based_on]
        if next_ is not None:
            style.next_paragraph_style = self.styles[next_]
        style.priority, style.quick_style = priority, quick
        style.hidden = style.unhide_when_used = hidden
        _look(style, **look)
        return style


def _look(style, *, bold=None, italic=None, size_pt=None, color=None, underline=None,
          superscript=None, font=None, before_pt=None, after_pt=None, line_pt=None,
          left_mm=None, hanging_mm=None, keep_next=None, keep_lines=None, widow=None,
          tabs_mm=(), num=None, contextual=False, outline=None):
    f = style.font
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if size_pt is not None:
        f.size = Pt(size_pt)
    if color is not None:
        f.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    if underline is not None:
        f.underline = underline
    if superscript is not None:
        f.superscript = superscript
    if font is not None:
        f.name = font
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    pf = style.paragraph_format
    for attribute, value in (("space_before", before_pt), ("space_after", after_pt)):
        if value is not None:
            setattr(pf, attribute, Pt(value))
    if line_pt is not None:
        pf.line_spacing, pf.line_spacing_rule = Pt(line_pt), WD_LINE_SPACING.EXACTLY
    if left_mm is not None:
        pf.left_indent = Twips(ox.twips_mm(left_mm))
    if hanging_mm is not None:
        pf.first_line_indent = -Twips(ox.twips_mm(hanging_mm))
    for attribute, value in (("keep_with_next", keep_next), ("keep_together", keep_lines),
                             ("widow_control", widow)):
        if value is not None:
            setattr(pf, attribute, value)
    for tab in tabs_mm:
        pf.tab_stops.add_tab_stop(Twips(ox.twips_mm(tab)))
    ox.paragraph_style_extras(style.element, num=num, contextual=contextual,
                              outline_level=outline)


def _add_styles(sheet: _StyleSheet, L: Layout) -> None:
    T, P, C = L.type, WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    body_gap = T.body_leading_pt  # one empty line between paragraphs
    small = dict(size_pt=T.small_size_pt, line_pt=T.small_leading_pt, after_pt=0)
    normal = sheet.add(P, "Normal", quick=True, priority=0, widow=True, before_pt=0,
                       after_pt=body_gap, line_pt=T.body_leading_pt, font=L.fonts.word_sans,
                       color=L.colours.text, size_pt=T.body_size_pt)
    normal.element.default = True
    sheet.add(C, "Default Paragraph Font", priority=1, hidden=True).element.default = True
    # heading 1 bold, heading 2 bold italic, heading 3 italic: three distinct levels
    looks = ((True, None), (True, True), (None, True))
    for level, (name, (bold, italic)) in enumerate(zip(HEADING_STYLES, looks)):
        sheet.add(P, name, based_on="Normal", next_="Normal", priority=9, quick=True,
                  keep_next=True, keep_lines=True, after_pt=0, outline=level, bold=bold,
                  italic=italic)
    # the labels of the answers paper: a level-2 heading (its outline level), set upright, kept
    # with the question or answer after it
    sheet.add(P, ANSWER_LABEL, based_on=HEADING_STYLES[1], next_="Normal", builtin=False,
              quick=True, keep_next=True, italic=False)
    indent = L.body.list_indent_mm
    for level in range(LIST_LEVELS):
        left = indent * (level + 1)
        for names, list_id in ((BULLET_STYLES, BULLET_LIST), (NUMBER_STYLES, DECIMAL_LIST)):
            sheet.add(P, names[level], based_on="Normal", num=(list_id, level),
                      after_pt=body_gap, left_mm=left, hanging_mm=indent, contextual=True)
        sheet.add(P, CONTINUE_STYLES[level], based_on="Normal", after_pt=body_gap,
                  left_mm=left, contextual=True)
    F = L.footnotes
    sheet.add(P, QUOTE, based_on="Normal", next_="Normal", priority=29, quick=True,
              left_mm=L.body.quote_indent_mm, italic=True)
    # keeps decided in compose (a list's lead-in, a label, the last paragraph before the
    # signatures), and the opening and closing: never alone at a page end
    sheet.add(P, KEEP, based_on="Normal", builtin=False, keep_next=True)
    sheet.add(P, OPENING, based_on="Normal", builtin=False, keep_next=True)
    sheet.add(P, CLOSING, based_on="Normal", builtin=False, keep_next=True, keep_lines=True)
    sheet.add(P, SIGNATURE, based_on="Normal", keep_next=True, keep_lines=True, after_pt=0)
    # a title in a row of signatories: the row never splits (cantSplit), rows may go on on
    # the next page, so nothing keeps one row with the next
    sheet.add(P, SIGNATURE_IN_ROW, based_on=SIGNATURE, builtin=False, keep_next=False)
    sheet.add(P, "Ondertekenaar", based_on="Normal", builtin=False, keep_lines=True,
              after_pt=0, before_pt=L.signature.blank_lines_to_sign * T.body_leading_pt)
    sheet.add(P, "Footnote Text", xml_name="footnote text", based_on="Normal", hidden=True,
              tabs_mm=[F.number_tab_mm], **small)
    sheet.add(C, "Footnote Reference", xml_name="footnote reference", hidden=True,
              superscript=True)
    sheet.add(C, HYPERLINK, hidden=True, color=L.colours.link, underline=True)
    sheet.add(P, "Header", xml_name="header", based_on="Normal", hidden=True, **small)
    sheet.add(P, "Briefhoofd", based_on="Header", builtin=False, **small,
              before_pt=letterhead_space_pt(L))
    sheet.add(P, "Footer", xml_name="footer", based_on="Normal", hidden=True, **small)
    sheet.add(P, "Colofon", based_on="Normal", builtin=False, **small)
    sheet.add(P, "Colofon groep", based_on="Colofon", builtin=False, **small,
              before_pt=L.colofon.group_gap_pt)
    sheet.add(P, "Colofon kenmerk", based_on="Colofon", builtin=False, **small,
              before_pt=L.colofon.kenmerk_gap_pt)
    sheet.add(C, "Colofon label", builtin=False, bold=True)
    sheet.add(C, "Colofon nadruk", builtin=False, italic=True)
    sheet.add(P, "Retouradres", based_on="Normal", builtin=False, **small)
    sheet.add(P, "Adres", based_on="Normal", builtin=False, after_pt=0,
              line_pt=T.body_leading_pt)
    sheet.add(P, "Woordmerk", based_on="Normal", builtin=False, after_pt=0,
              line_pt=T.wordmark_leading_pt, font=L.fonts.word_serif,
              size_pt=T.wordmark_size_pt)
    sheet.add(P, "Woordmerk cursief", based_on="Woordmerk", builtin=False, italic=True)
    sheet.add(P, "Betreft", based_on="Normal", next_="Normal", builtin=False,
              tabs_mm=[L.datum.tab_mm], after_pt=0, left_mm=L.datum.tab_mm,
              hanging_mm=L.datum.tab_mm)
    sheet.add(P, "Datum", based_on="Normal", next_="Betreft", builtin=False, keep_next=True,
              tabs_mm=[L.datum.tab_mm], after_pt=0)
    sheet.add(P, "Concept", based_on="Normal", builtin=False, after_pt=0,
              line_pt=L.concept.size_pt, bold=True, color=L.colours.concept,
              size_pt=L.concept.size_pt)


def _styles_part(L: Layout) -> bytes:
    """word/styles.xml: the document defaults and the default table style (ooxml.py), then
    every style through python-docx's style API."""
    T = L.type
    base = ox.styles_root(L.fonts.word_sans, T.body_size_pt, T.body_leading_pt,
                          L.page.language)
    package = {
        "[Content_Types].xml": ox.content_types_part({
            "word/document.xml": CT + "document.main+xml", "word/styles.xml": CT + "styles+xml"}),
        "_rels/.rels": ox.relationships_part(("rId1", RT + "officeDocument", "word/document.xml")),
        "word/_rels/document.xml.rels": ox.relationships_part(
            ("rIdStyles", RT + "styles", "styles.xml")),
        "word/document.xml": ox.part_xml(ox.root("w:document", ox.body())),
        "word/styles.xml": ox.part_xml(base),
    }
    document = docx.Document(io.BytesIO(zip_parts(package)))
    _add_styles(_StyleSheet(document.styles), L)
    return ox.part_xml(document.styles.element)


# -- numbering, settings, fonts ---------------------------------------------------------------

def list_definitions(levels: tuple[d.ListLevel, ...], L: Layout) -> list:
    """The bullet and the numbered list definitions (w:abstractNum) for the Document's list
    levels (the same markers as the PDF, level by level), each of the first LIST_LEVELS
    levels linked to its list style."""
    bullets, numbers = [], []
    for ilvl in range(WORD_LIST_LEVELS):
        level = d.list_level(levels, ilvl)
        before, kind, after = level.number_parts()
        linked = ilvl < LIST_LEVELS
        bullets.append(("bullet", level.bullet, style_id(BULLET_STYLES[ilvl]) if linked else None))
        numbers.append((kind, f"{before}%{ilvl + 1}{after}",
                        style_id(NUMBER_STYLES[ilvl]) if linked else None))
    sans, indent = L.fonts.word_sans, L.body.list_indent_mm
    return [ox.abstract_num(BULLET_LIST, bullets, indent, sans),
            ox.abstract_num(DECIMAL_LIST, numbers, indent, sans)]


def _numbering(L: Layout):
    levels = tuple(d.ListLevel(*pair) for pair in L.lists.levels())
    return ox.root(
        "w:numbering",
        *list_definitions(levels, L),
        # the list styles' own numbering; a numbered list of a letter restarts on its own w:num
        ox.num(BULLET_LIST, BULLET_LIST),
        ox.num(DECIMAL_LIST, DECIMAL_LIST),
    )


def _settings(L: Layout):
    return ox.settings_root(default_tab_mm=L.datum.tab_mm, language=L.page.language)


def _font_table(L: Layout):
    return ox.font_table_root((L.fonts.word_sans, "swiss"), (L.fonts.word_serif, "roman"))


def _rule_space(L: Layout) -> float:
    """Height of the footnote separator: gap above the rule, the rule, space below it."""
    F = L.footnotes
    return F.rule_gap_pt + F.rule_thickness_pt + F.rule_space_below_pt


# -- headers and footers ----------------------------------------------------------------------

def _tag(text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %})."""
    return ox.paragraph(None, ox.text_run(text))


def _framed(frame: ox.Frame, style: str, *runs):
    return ox.paragraph(ox.ppr(style=style, frame=frame), *runs)


class _Controls:
    """Content controls of the template, numbered 1, 2, 3 ... in the order they are made."""

    def __init__(self, names: dict[str, str]):
        self.ids = count(1)
        self.names = names  # tag -> alias

    def field(self, tag: str, value: str, *steps, props=None):
        """An inline control showing the Jinja tag `value`, bound to its field when `steps`
        (or the tag's own name) lead to a node of the custom XML part."""
        xpath = ox.field_xpath(*(steps or (tag.removeprefix("kb:"),)))
        return ox.run_control(tag, self.names[tag], next(self.ids), [ox.text_run(value, props)],
                              xpath=xpath)

    def unbound(self, tag: str, value: str):
        return ox.run_control(tag, self.names[tag], next(self.ids), [ox.text_run(value)],
                              plain=False)


def _concept(L: Layout):
    frame = ox.Frame(L.concept.x_mm, L.concept.top_mm)
    return [_tag("{%p if mark %}"), _framed(frame, "Concept", ox.text_run("{{ mark }}")),
            _tag("{%p endif %}")]


def _wordmark(L: Layout):
    frame = ox.Frame(L.wordmark.x_mm, L.wordmark.top_mm, L.wordmark.width_mm)
    return [
        _framed(frame, "Woordmerk", ox.text_run("{{ wordmark }}")),
        _tag("{%p if wordmark_italic %}"),
        _framed(frame, "Woordmerkcursief", ox.text_run("{{ wordmark_italic }}")),
        _tag("{%p endif %}"),
    ]


LOGO_REL = "rIdLogo"
BITMAPS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def word_logo(L: Layout) -> tuple[str, bytes] | None:
    """(part name, bytes) of the ministry's own logo for Word, or None for the stand-in lint:
    `[logo] word_file`, else `[logo] file` when it is a bitmap (Word does not take SVG alone)."""
    for name in (L.logo.word_file, L.logo.file):
        suffix = Path(name).suffix.lower()
        if name and suffix in BITMAPS:
            path = L.asset(name)
            if not path.is_relative_to(templates_dir()):
                raise ValueError(f"[logo] {name}: the logo must be inside the templates folder")
            return f"word/media/logo{suffix}", path.read_bytes()
    return None


def _lint(L: Layout, ident: int, style: str):
    """The anchor paragraph of the header, holding the logo (bleeding off the top edge): the
    ministry's own picture when the layout names one, else the stand-in lint."""
    box = (L.logo.x_mm, 0, L.logo.width_mm, L.logo.height_mm)
    if word_logo(L):
        drawing = ox.anchored_picture(ident, "Logo", "{{ logo_alt }}", *box, LOGO_REL)
    else:
        drawing = ox.anchored_rectangle(ident, "Logo", "{{ logo_alt }}", *box, L.colours.lint)
    return ox.paragraph(ox.ppr(style=style), ox.drawing_run(drawing))


COLOFON_STYLES = {"none": "Colofon", "group": "Colofongroep", "kenmerk": "Colofonkenmerk"}


def _value(c: _Controls, holder: str, fields: tuple[str, ...], *plain):
    """Runs showing `holder`.text: the bound control of the field `holder`.field names (one
    of `fields`), else the `plain` alternatives (docxtpl {%r %} runs and runs)."""
    runs = []
    for i, name in enumerate(fields):
        runs += [ox.text_run(f"{{%r {'if' if i == 0 else 'elif'} {holder}.field == '{name}' %}}"),
                 c.field(f"kb:{name}", f"{{{{ fields.{name} }}}}")]
    return [*runs, *plain, ox.text_run("{%r endif %}")]


def _colofon(L: Layout, c: _Controls, entries: str):
    """The colofon groups of the Document (`entries`: "colofon" or "short_colofon"), in order:
    per group a framed paragraph in the style of its gap, the bold label, then the lines
    (a field's value in its bound control)."""
    f = ox.Frame(L.colofon.x_mm, L.colofon.top_mm, L.colofon.width_mm)

    def group(style: str):
        return _framed(
            f, style,
            ox.text_run("{%r if e.label %}"),
            ox.text_run("{{ e.label }}", ox.rpr(style="Colofonlabel")),
            ox.break_run(), ox.text_run("{%r endif %}"),
            *_value(c, "e", ("date", "kenmerk", "your_reference"),
                    ox.text_run("{%r elif e.bold %}"),
                    ox.text_run("{{ e.text }}", ox.rpr(style="Colofonlabel")),
                    ox.text_run("{%r elif e.italic %}"),
                    ox.text_run("{{ e.text }}", ox.rpr(style="Colofonnadruk")),
                    ox.text_run("{%r else %}"), ox.text_run("{{ e.text }}")))

    out = [_tag(f"{{%p for e in {entries} %}}")]
    for gap, style in COLOFON_STYLES.items():
        out += [_tag(f"{{%p if e.gap == '{gap}' %}}"), group(style), _tag("{%p endif %}")]
    return out + [_tag("{%p endfor %}")]


def _header(L: Layout, colofon, ident: int, lint_style: str):
    return ox.root("w:hdr", *_concept(L), *_wordmark(L), *colofon, _lint(L, ident, lint_style),
                   prefixes=("w", "r", "wp", "a", "wps", "pic"))


def page_label_runs(label: str):
    """A page label ("Pagina {page} van {pages}") as text runs and PAGE/NUMPAGES fields."""
    runs, rest = [], label
    fields = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
    while rest:
        cuts = sorted((rest.find(key), key) for key in fields if key in rest)
        if not cuts:
            runs.append(ox.text_run(rest))
            break
        at, key = cuts[0]
        if at:
            runs.append(ox.text_run(rest[:at]))
        runs += ox.field_runs(fields[key], "1")
        rest = rest[at + len(key):]
    return runs


def _footer(L: Layout):
    """The page number in the colofon column; the footer's own line sits at page_number.top."""
    right_edge = L.body.x_mm + L.body.width_mm
    props = ox.ppr(style="Footer", left_mm=L.colofon.x_mm - L.body.x_mm,
                   right_mm=right_edge - (L.colofon.x_mm + L.colofon.width_mm))
    return ox.root("w:ftr", ox.paragraph(props, *page_label_runs(L.page_number.format)))


# -- the body ---------------------------------------------------------------------------------

def _section(L: Layout):
    right = L.page.width_mm - L.body.x_mm - L.body.width_mm
    footer = L.page.height_mm - L.page_number.top_mm - L.type.small_leading_pt * MM_PER_PT
    return ox.section_properties(
        headers=("rIdHeaderFirst", "rIdHeaderFollow"),
        footers=("rIdFooterFirst", "rIdFooterFollow"),
        size_mm=(L.page.width_mm, L.page.height_mm),
        margins_mm=dict(top=L.body.follow_top_mm, right=right, bottom=L.body.bottom_mm,
                        left=L.body.x_mm, header=L.wordmark.top_mm, footer=footer),
        column_gap_mm=L.signature.column_gap_mm)


BODY_PLACEHOLDER = "De tekst van de brief komt hier."


def _row(c: _Controls):
    """A row's label, a tab, and its value (in the control of its field)."""
    return [ox.text_run("{{ row.label }}"), ox.tab_run(),
            *_value(c, "row", ("date", "subject"), ox.text_run("{%r else %}"),
                    ox.text_run("{{ row.text }}"))]


def _document(L: Layout, c: _Controls):
    """The body: return address and recipient framed on the sheet; Datum and subject framed
    at their place (an Enter there moves them a line, an edit in the body never); then the
    opening, the body's control (the writer fills it; its placeholder paragraph shows the
    template designer where) and the closing. The writer appends the signatures."""
    ra = ox.Frame(L.return_address.x_mm, L.return_address.top_mm, L.return_address.width_mm)
    rc = ox.Frame(L.recipient.x_mm, L.recipient.top_mm, L.recipient.width_mm)
    datum = ox.Frame(L.body.x_mm, L.datum.top_mm, L.body.width_mm, beside=False,
                     distance_pt=L.body.blank_lines_after_subject * L.type.body_leading_pt)
    body = ox.body(
        _framed(ra, "Retouradres", ox.text_run("{{ return_line }}")),
        _framed(rc, "Adres", c.unbound("kb:recipient", "{{ recipient }}")),
        # the Document's rows: Datum first, the subject row last, in one frame
        _tag("{%p for row in rows %}"), _tag("{%p if loop.first %}"),
        _framed(datum, "Datum", *_row(c)),
        _tag("{%p else %}"),
        _framed(datum, "Betreft", *_row(c)),
        _tag("{%p endif %}"), _tag("{%p endfor %}"),
        _tag("{%p if opening %}"),
        ox.paragraph(ox.ppr(style=OPENING), c.field("kb:opening", "{{ fields.opening }}")),
        _tag("{%p endif %}"),
        ox.block_control("kb:body", c.names["kb:body"], next(c.ids),
                         [ox.paragraph(None, ox.text_run(BODY_PLACEHOLDER))], "Kamerbrief"),
        _tag("{%p if closing %}"),
        ox.paragraph(ox.ppr(style=CLOSING), c.field("kb:closing", "{{ fields.closing }}")),
        _tag("{%p endif %}"),
        _section(L),
    )
    return ox.root("w:document", body)


# -- package ----------------------------------------------------------------------------------

def layout_fingerprint(L: Layout) -> str:
    """What the template is made from: the layout's values and the logo's bytes."""
    digest = hashlib.sha256(L.model_dump_json().encode())
    logo = word_logo(L)
    if logo:
        digest.update(logo[1])
    return digest.hexdigest()[:16]


BOUND = ("date", "kenmerk", "your_reference", "subject", "opening", "closing")


def template_fields_part() -> bytes:
    """The template's custom XML part: each field holds the Jinja tag its bound controls show
    ({{ fields.date }} ...), so Word shows and saves back that tag while the template is edited;
    the writer puts the letter's own part in its place."""
    tags = {name: f"{{{{ fields.{name} }}}}" for name in BOUND}
    return ox.letter_fields_part(**tags, recipient=["{{ recipient }}"], attachments=(),
                                 signatories=(), notes=())


def template_parts(L: Layout | None = None) -> dict[str, bytes]:
    """Every part of the template package, by zip name, in a fixed order."""
    L = L or load_layout()
    c = _Controls(aliases(L))
    parts = {
        "word/document.xml": ox.part_xml(_document(L, c)),
        "word/styles.xml": _styles_part(L),
        "word/settings.xml": ox.part_xml(_settings(L)),
        "word/numbering.xml": ox.part_xml(_numbering(L)),
        "word/footnotes.xml": ox.part_xml(ox.footnotes_root(_rule_space(L))),
        "word/fontTable.xml": ox.part_xml(_font_table(L)),
        "word/theme/theme1.xml": ox.theme(L.fonts.word_sans, L.colours.text, L.colours.lint,
                                          L.colours.link),
        "word/header1.xml": ox.part_xml(_header(L, _colofon(L, c, "colofon"), 1, "Briefhoofd")),
        "word/header2.xml": ox.part_xml(_header(L, _colofon(L, c, "short_colofon"), 2,
                                                "Header")),
        "word/footer1.xml": ox.part_xml(_footer(L)),
        "word/footer2.xml": ox.part_xml(_footer(L)),
        "docProps/core.xml": ox.core_properties_part(L.page.language),
        "docProps/app.xml": ox.app_properties_part(),
        "docProps/custom.xml": ox.custom_properties_part(
            {"kamerbrief.format": FORMAT_VERSION, LAYOUT_PROPERTY: layout_fingerprint(L)}),
        "customXml/item1.xml": template_fields_part(),
        "customXml/itemProps1.xml": ox.custom_xml_properties_part(),
    }
    types = {
        "word/document.xml": CT + "document.main+xml",
        "word/styles.xml": CT + "styles+xml",
        "word/settings.xml": CT + "settings+xml",
        "word/numbering.xml": CT + "numbering+xml",
        "word/footnotes.xml": CT + "footnotes+xml",
        "word/fontTable.xml": CT + "fontTable+xml",
        "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "word/header1.xml": CT + "header+xml",
        "word/header2.xml": CT + "header+xml",
        "word/footer1.xml": CT + "footer+xml",
        "word/footer2.xml": CT + "footer+xml",
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "docProps/custom.xml": ox.CT_CUSTOM_PROPERTIES,
        "customXml/itemProps1.xml": ox.CT_CUSTOM_XML_PROPS,
    }
    logo = word_logo(L)
    header_rels = {}
    if logo:
        name, data = logo
        parts[name] = data
        types[name] = BITMAPS[Path(name).suffix]
        for header in ("header1", "header2"):
            header_rels[f"word/_rels/{header}.xml.rels"] = ox.relationships_part(
                (LOGO_REL, RT + "image", name.removeprefix("word/")))
    return {
        "[Content_Types].xml": ox.content_types_part(types),
        "_rels/.rels": ox.relationships_part(
            ("rId1", RT + "officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                     "core-properties", "docProps/core.xml"),
            ("rId3", RT + "extended-properties", "docProps/app.xml"),
            ("rId4", ox.RT_CUSTOM_PROPERTIES, "docProps/custom.xml"),
        ),
        "word/_rels/document.xml.rels": ox.relationships_part(
            ("rIdStyles", RT + "styles", "styles.xml"),
            ("rIdSettings", RT + "settings", "settings.xml"),
            ("rIdNumbering", RT + "numbering", "numbering.xml"),
            ("rIdFootnotes", RT + "footnotes", "footnotes.xml"),
            ("rIdFonts", RT + "fontTable", "fontTable.xml"),
            ("rIdTheme", RT + "theme", "theme/theme1.xml"),
            ("rIdHeaderFirst", RT + "header", "header1.xml"),
            ("rIdHeaderFollow", RT + "header", "header2.xml"),
            ("rIdFooterFirst", RT + "footer", "footer1.xml"),
            ("rIdFooterFollow", RT + "footer", "footer2.xml"),
            ("rIdFields", ox.RT_CUSTOM_XML, "../customXml/item1.xml"),
        ),
        "customXml/_rels/item1.xml.rels": ox.relationships_part(
            ("rId1", ox.RT_CUSTOM_XML_PROPS, "itemProps1.xml")),
        **header_rels,
        **parts,
    }


def zip_parts(parts: dict[str, bytes], date_time=ZIP_EPOCH) -> bytes:
    """The parts as a deflated zip with one fixed timestamp, in the given order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def template_bytes(L: Layout | None = None) -> bytes:
    """The template package for the layout (the committed file is this, for the repo layout)."""
    return zip_parts(template_parts(L))


def template_path() -> Path:
    return templates_dir() / TEMPLATE_NAME


def made_for(template: bytes) -> str | None:
    """The layout fingerprint a template package records (None when it records none)."""
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        if "docProps/custom.xml" not in z.namelist():
            return None
        return ox.custom_properties(z.read("docProps/custom.xml")).get(LAYOUT_PROPERTY)


def write_template(check: bool = False) -> int:
    """`kamerbrief template [--check]`: write templates/kamerbrief.docx from the layout in use,
    or (check) exit 1 when the file there is not what the layout gives."""
    path, data = template_path(), template_bytes()
    if check:
        fresh = path.is_file() and path.read_bytes() == data
        print(f"{path}: {'up to date' if fresh else 'STALE: run kamerbrief template'}",
              file=sys.stderr)
        return 0 if fresh else 1
    path.write_bytes(data)
    print(f"wrote {path}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return write_template(check="--check" in args)


if __name__ == "__main__":
    raise SystemExit(main())
