"""Raw WordprocessingML, in one place: named helpers that return lxml elements or part XML.

Everything the Word writer needs beyond python-docx's friendly API lives here: paragraph and
run properties in schema order (for the template's styles), frames, fields (PAGE, NUMPAGES,
NOTEREF), bookmarks, content controls and their data binding to the letter's custom XML part,
the anchored lint shape, numbering definitions, hyperlinks, footnotes and the package parts
(relationships, content types, core and custom properties, theme). Lengths come in as
millimetres or points and leave as twips, half-points or EMU; no layout number is chosen here.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from docx.oxml.parser import oxml_parser
from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "kb": "urn:kamerbrief:fields:1",
    "ds": "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
}
W = "{%s}" % NS["w"]

RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
RT_CUSTOM_XML_PROPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                       "customXmlProps")
RT_CUSTOM_PROPERTIES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                        "custom-properties")
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FIELDS_NS = NS["kb"]  # the namespace of the letter's fields in the custom XML part
# The custom XML part's id (the same in every letter, so a binding never dangles).
STORE_ITEM_ID = "{%s}" % str(uuid.uuid5(uuid.NAMESPACE_URL, FIELDS_NS)).upper()
WPS_URI = NS["wps"]

# -- units ------------------------------------------------------------------------------------

def twips_mm(mm: float) -> int:
    """Millimetres as twentieths of a point."""
    return round(mm * 1440 / 25.4)


def twips_pt(pt: float) -> int:
    return round(pt * 20)


def half_points(pt: float) -> int:
    return round(pt * 2)


def emu_mm(mm: float) -> int:
    return round(mm * 36000)


def _maybe(convert, value):
    """convert(value), or None (an attribute left out) when there is no value."""
    return None if value is None else convert(value)


# -- elements ---------------------------------------------------------------------------------

def el(tag: str, *children, **attrs) -> etree._Element:
    """An element `prefix:name` with attributes (`w_val="x"` means w:val) and children.

    None children are skipped; str children become the element text; a child that already
    has a parent is copied (lxml would move it), so one properties element may serve twice.
    """
    prefix, name = tag.split(":")
    node = oxml_parser.makeelement("{%s}%s" % (NS[prefix], name))  # python-docx's classes
    for key, value in attrs.items():
        if value is None:
            continue
        if "_" in key:
            a_prefix, a_name = key.split("_", 1)
            node.set("{%s}%s" % (NS[a_prefix], a_name), str(value))
        else:
            node.set(key, str(value))
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            node.text = child
        else:
            node.append(copy.deepcopy(child) if child.getparent() is not None else child)
    return node


def part_xml(root: etree._Element) -> bytes:
    """A part's bytes: XML declaration, UTF-8, standalone (as Word writes them)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def root(tag: str, *children, prefixes: Iterable[str] = ("w", "r"), **attrs) -> etree._Element:
    """A part's root element declaring the namespaces `prefixes`."""
    prefix, name = tag.split(":")
    node = etree.Element("{%s}%s" % (NS[prefix], name), nsmap={p: NS[p] for p in prefixes})
    for key, value in attrs.items():
        node.set(key, str(value))
    for child in children:
        node.append(child)
    return node


# -- run and paragraph properties (in schema order) -------------------------------------------

def rpr(*, style: str | None = None, font: str | None = None, bold: bool = False,
        italic: bool | None = None, color: str | None = None, kern: bool = False,
        size_pt: float | None = None, underline: bool = False,
        superscript: bool = False, lang: str | None = None) -> etree._Element:
    """<w:rPr> with the given properties; `color` as "#RRGGBB"; `italic=False` switches off."""
    off = None if italic is not False else 0
    return el(
        "w:rPr",
        el("w:rStyle", w_val=style) if style else None,
        el("w:rFonts", w_ascii=font, w_hAnsi=font, w_eastAsia=font, w_cs=font) if font else None,
        el("w:b") if bold else None,
        el("w:bCs") if bold else None,
        el("w:i", w_val=off) if italic is not None else None,
        el("w:iCs", w_val=off) if italic is not None else None,
        el("w:color", w_val=color.lstrip("#").upper()) if color else None,
        el("w:kern", w_val=1) if kern else None,  # pair kerning at every size (as the PDF)
        el("w:sz", w_val=half_points(size_pt)) if size_pt else None,
        el("w:szCs", w_val=half_points(size_pt)) if size_pt else None,
        el("w:u", w_val="single") if underline else None,
        el("w:vertAlign", w_val="superscript") if superscript else None,
        el("w:lang", w_val=lang, w_eastAsia=lang, w_bidi=lang) if lang else None,
    )


@dataclass(frozen=True)
class Frame:
    """A frame (w:framePr) placed on the sheet: left, top and width in mm from the page corner.
    `beside`: body text may flow beside it; else only above and below it."""

    x_mm: float
    top_mm: float
    width_mm: float | None = None  # None: as wide as its text
    beside: bool = True
    distance_pt: float | None = None  # least distance to the body text above and below

    def element(self) -> etree._Element:
        return el("w:framePr", w_w=_maybe(twips_mm, self.width_mm),
                  w_vSpace=_maybe(twips_pt, self.distance_pt),
                  w_wrap="around" if self.beside else "notBeside",
                  w_vAnchor="page", w_hAnchor="page",
                  w_x=twips_mm(self.x_mm), w_y=twips_mm(self.top_mm))


def ppr(*, style: str | None = None, keep_next: bool | None = None, keep_lines: bool = False,
        frame: Frame | None = None, widow_control: bool | None = None,
        num: tuple[int, int] | None = None, tabs_mm: Iterable[float] = (),
        before_pt: float | None = None, after_pt: float | None = None,
        line_pt: float | None = None, left_mm: float | None = None,
        right_mm: float | None = None, hanging_mm: float | None = None,
        contextual: bool = False, outline_level: int | None = None,
        run: etree._Element | None = None) -> etree._Element:
    """<w:pPr> with the given properties; `num` is (numId, ilvl); `line_pt` is exact;
    `contextual`: no space between paragraphs of the same style."""
    spacing = None
    if before_pt is not None or after_pt is not None or line_pt is not None:
        spacing = el("w:spacing", w_before=_maybe(twips_pt, before_pt),
                     w_after=_maybe(twips_pt, after_pt), w_line=_maybe(twips_pt, line_pt),
                     w_lineRule=_maybe(lambda _: "exact", line_pt))
    ind = None
    if left_mm is not None or right_mm is not None or hanging_mm is not None:
        ind = el("w:ind", w_left=_maybe(twips_mm, left_mm), w_right=_maybe(twips_mm, right_mm),
                 w_hanging=_maybe(twips_mm, hanging_mm))
    tabs = list(tabs_mm)
    return el(
        "w:pPr",
        el("w:pStyle", w_val=style) if style else None,
        None if keep_next is None else el("w:keepNext") if keep_next
        else el("w:keepNext", w_val=0),  # False: off, over a style that has it
        el("w:keepLines") if keep_lines else None,
        frame.element() if frame else None,
        None if widow_control is None else el("w:widowControl", w_val=int(widow_control)),
        el("w:numPr", el("w:ilvl", w_val=num[1]), el("w:numId", w_val=num[0])) if num else None,
        el("w:tabs", *(el("w:tab", w_val="left", w_pos=twips_mm(t)) for t in tabs))
        if tabs else None,
        spacing,
        ind,
        el("w:contextualSpacing") if contextual else None,
        None if outline_level is None else el("w:outlineLvl", w_val=outline_level),
        run,
    )


# -- styles (what python-docx's style API does not set) --------------------------------------

_AFTER_CONTEXTUAL = ("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                     "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                     "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def styles_root(font: str, size_pt: float, line_pt: float, lang: str) -> etree._Element:
    """word/styles.xml with the document defaults (font on every script, pair kerning, the
    language) and the default table style without cell margins; the writer adds the rest."""
    defaults = el(
        "w:docDefaults",
        el("w:rPrDefault", rpr(font=font, kern=True, size_pt=size_pt, lang=lang)),
        el("w:pPrDefault", ppr(after_pt=0, line_pt=line_pt)),
    )
    table = el(
        "w:style", el("w:name", w_val="Normal Table"), el("w:uiPriority", w_val=99),
        el("w:semiHidden"), el("w:unhideWhenUsed"),
        el("w:tblPr", el("w:tblInd", w_w=0, w_type="dxa"),
           el("w:tblCellMar", *(el(f"w:{side}", w_w=0, w_type="dxa")
                                for side in ("top", "left", "bottom", "right")))),
        w_type="table", w_styleId="TableNormal", w_default=1)
    return root("w:styles", defaults, table)


def paragraph_style_extras(style: etree._Element, *, num: tuple[int, int] | None = None,
                           contextual: bool = False, outline_level: int | None = None) -> None:
    """Numbering (numId, ilvl), contextual spacing and outline level of a paragraph style
    (python-docx's w:style element), in schema order."""
    if num is None and not contextual and outline_level is None:
        return
    props = style.get_or_add_pPr()
    if num is not None:
        num_pr = props.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = num[1]
        num_pr.get_or_add_numId().val = num[0]
    if contextual:
        props.insert_element_before(el("w:contextualSpacing"), *_AFTER_CONTEXTUAL)
    if outline_level is not None:
        props.get_or_add_outlineLvl().val = outline_level


# -- runs -------------------------------------------------------------------------------------

def text_run(text: str, props: etree._Element | None = None) -> etree._Element:
    """<w:r> with one text node (spaces kept)."""
    t = el("w:t", text)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return el("w:r", props, t)


def break_run(props: etree._Element | None = None) -> etree._Element:
    return el("w:r", props, el("w:br"))


def tab_run(props: etree._Element | None = None) -> etree._Element:
    return el("w:r", props, el("w:tab"))


def field_runs(instruction: str, shown: str, props=None) -> list[etree._Element]:
    """A complex field (PAGE, NUMPAGES ...): begin, instruction, separate, result, end."""
    instr = el("w:instrText", f" {instruction} ")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [
        el("w:r", props, el("w:fldChar", w_fldCharType="begin")),
        el("w:r", props, instr),
        el("w:r", props, el("w:fldChar", w_fldCharType="separate")),
        text_run(shown, props),
        el("w:r", props, el("w:fldChar", w_fldCharType="end")),
    ]


def paragraph(props: etree._Element | None, *runs) -> etree._Element:
    return el("w:p", props, *runs)


def drawing_run(drawing: etree._Element) -> etree._Element:
    return el("w:r", drawing)


def body(*children) -> etree._Element:
    return el("w:body", *children)


# -- document settings, fonts, section --------------------------------------------------------

def settings_root(*, default_tab_mm: float, language: str) -> etree._Element:
    """word/settings.xml: default tab stop, automatic hyphenation, the footnote separators, Word 2013+ layout, the
    language of the theme fonts, Dutch decimal and list separators."""
    return root(
        "w:settings",
        el("w:zoom", w_percent=100),
        el("w:defaultTabStop", w_val=twips_mm(default_tab_mm)),
        el("w:autoHyphenation"),  # Word's Dutch hyphenation: the text is marked nl-NL
        el("w:characterSpacingControl", w_val="doNotCompress"),
        footnote_pr(),
        el("w:compat", el("w:compatSetting", w_name="compatibilityMode",
                          w_uri="http://schemas.microsoft.com/office/word", w_val=15)),
        el("w:themeFontLang", w_val=language),
        el("w:decimalSymbol", w_val=","),
        el("w:listSeparator", w_val=";"),
    )


def font_table_root(*fonts: tuple[str, str]) -> etree._Element:
    """word/fontTable.xml: (name, family) per font."""
    return root("w:fonts", *(el("w:font", el("w:charset", w_val="00"),
                                el("w:family", w_val=family), el("w:pitch", w_val="variable"),
                                w_name=name) for name, family in fonts))


def section_properties(*, headers: tuple[str, str], footers: tuple[str, str],
                       size_mm: tuple[float, float], margins_mm: dict[str, float],
                       column_gap_mm: float) -> etree._Element:
    """The section: (first, other) header and footer relationship ids, page size, margins
    (top, right, bottom, left, header, footer), a different first page."""
    refs = [el(f"w:{kind}Reference", w_type=which, r_id=rid)
            for kind, ids in (("header", headers), ("footer", footers))
            for which, rid in (("default", ids[1]), ("first", ids[0]))]
    return el(
        "w:sectPr", *refs,
        el("w:pgSz", w_w=twips_mm(size_mm[0]), w_h=twips_mm(size_mm[1])),
        el("w:pgMar", **{f"w_{side}": twips_mm(margins_mm[side]) for side in
                         ("top", "right", "bottom", "left", "header", "footer")}, w_gutter=0),
        el("w:cols", w_space=twips_mm(column_gap_mm)),
        el("w:titlePg"),
    )


# -- footnotes --------------------------------------------------------------------------------

FOOTNOTE_TEXT = "FootnoteText"
FOOTNOTE_REFERENCE = "FootnoteReference"


def footnote_reference_run(number: int) -> etree._Element:
    """The call of footnote `number` in the text (Word numbers it automatically)."""
    return el("w:r", rpr(style=FOOTNOTE_REFERENCE), el("w:footnoteReference", w_id=number))


def footnotes_root(separator_pt: float) -> etree._Element:
    """word/footnotes.xml with only the separator (-1) and continuation separator (0).

    The separator paragraph is `separator_pt` high: the space the rule takes above the notes.
    """
    def separator(kind: str, ident: int, mark: str):
        return el("w:footnote",
                  el("w:p", ppr(after_pt=0, line_pt=separator_pt), el("w:r", el(f"w:{mark}"))),
                  w_type=kind, w_id=ident)
    return root("w:footnotes",
                separator("separator", -1, "separator"),
                separator("continuationSeparator", 0, "continuationSeparator"))


def footnote(number: int) -> tuple[etree._Element, etree._Element]:
    """One note (w:footnote) and its paragraph, in the FootnoteText style, holding the number
    mark and a tab (the style's tab stop sets the text's place); the caller adds the text."""
    p = el("w:p", ppr(style=FOOTNOTE_TEXT),
           el("w:r", rpr(style=FOOTNOTE_REFERENCE), el("w:footnoteRef")), tab_run())
    return el("w:footnote", p, w_id=number), p


def footnote_pr() -> etree._Element:
    """settings.xml's <w:footnotePr> naming the two separators."""
    return el("w:footnotePr", el("w:footnote", w_id=-1), el("w:footnote", w_id=0))


# -- bookmarks and cross references -----------------------------------------------------------

def bookmark(ident: int, name: str, *inside: etree._Element) -> list[etree._Element]:
    """A bookmark `name` around `inside` (a point when empty), as siblings in a paragraph."""
    return [el("w:bookmarkStart", w_id=ident, w_name=name), *inside,
            el("w:bookmarkEnd", w_id=ident)]


def noteref_runs(bookmark_name: str, shown: str, props=None) -> list[etree._Element]:
    """A repeated footnote call: NOTEREF to the bookmark on the note's first call, formatted
    as a footnote reference (\\f) and a link to it (\\h), as Word's cross-reference makes it."""
    return field_runs(f"NOTEREF {bookmark_name} \\f \\h", shown, props)


# -- content controls bound to the letter's custom XML part ---------------------------------

def field_xpath(*steps: str | tuple[str, int]) -> str:
    """The XPath of a field in the custom XML part: field_xpath("signatory", 1) ... with each
    step a name (first of its kind) or (name, 1-based position)."""
    parts = ["kb:letter[1]"]
    for step in steps:
        name, index = (step, 1) if isinstance(step, str) else step
        parts.append(f"kb:{name}[{index}]")
    return "/" + "/".join(parts)


def _sdt_pr(tag: str, alias: str, ident: int, xpath: str | None, plain: bool,
            props: etree._Element | None = None, kind: etree._Element | None = None):
    binding = None
    if xpath:
        binding = el("w:dataBinding", w_prefixMappings=f"xmlns:kb='{FIELDS_NS}'",
                     w_xpath=xpath, w_storeItemID=STORE_ITEM_ID)
    return el("w:sdtPr", props, el("w:alias", w_val=alias), el("w:tag", w_val=tag),
              el("w:id", w_val=ident), binding, el("w:text") if plain else kind)


def run_control(tag: str, alias: str, ident: int, runs: Iterable[etree._Element], *,
                xpath: str | None = None, plain: bool = True,
                props: etree._Element | None = None) -> etree._Element:
    """An inline content control (w:sdt around runs) tagged `tag`, shown in Word as `alias`;
    with `xpath` bound to that node of the custom XML part (STORE_ITEM_ID)."""
    return el("w:sdt", _sdt_pr(tag, alias, ident, xpath, plain, props),
              el("w:sdtContent", *runs))


def block_control(tag: str, alias: str, ident: int, blocks: Iterable[etree._Element],
                  gallery: str) -> etree._Element:
    """A block content control (w:sdt around paragraphs and tables), unbound, marked as a
    document part of `gallery` (LibreOffice 7.4 loses the text before a footnote call in the
    first paragraph of a plain rich-text block control; a document-part control it keeps)."""
    kind = el("w:docPartObj", el("w:docPartGallery", w_val=gallery))
    return el("w:sdt", _sdt_pr(tag, alias, ident, None, False, kind=kind),
              el("w:sdtContent", *blocks))


def control_content(sdt: etree._Element) -> etree._Element:
    return sdt.find(W + "sdtContent")


def controls(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Every content control under `root`, by tag (in document order)."""
    out: dict[str, list[etree._Element]] = {}
    for sdt in root.iter(W + "sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None:
            out.setdefault(tag.get(W + "val"), []).append(sdt)
    return out


def _kb(name: str, *children, text: str | None = None, **attrs) -> etree._Element:
    node = el(f"kb:{name}", *children, **attrs)
    if text is not None:
        node.text = text
    return node


def letter_fields_part(*, date: str, kenmerk: str, your_reference: str, subject: str,
                       recipient: Iterable[str], opening: str, closing: str,
                       attachments: Iterable[str], signatories: Iterable[tuple[str, str]],
                       notes: Iterable[tuple[int, str | None]]) -> bytes:
    """The custom XML part holding one value per field (the `kb:` schema in docs/word.md):
    every content control bound to a field shows this value."""
    letter = etree.Element(f"{{{FIELDS_NS}}}letter", nsmap={"kb": FIELDS_NS})
    for name, value in (("date", date), ("kenmerk", kenmerk),
                        ("your_reference", your_reference), ("subject", subject)):
        letter.append(_kb(name, text=value))
    letter.append(_kb("recipient", *(_kb("line", text=line) for line in recipient)))
    letter.append(_kb("opening", text=opening))
    letter.append(_kb("closing", text=closing))
    letter.append(_kb("attachments", *(_kb("item", text=title) for title in attachments)))
    for title, name in signatories:
        letter.append(_kb("signatory", _kb("title", text=title), _kb("name", text=name)))
    letter.append(_kb("footnotes", *(_kb("note", number=number, label=label)
                                      for number, label in notes)))
    return part_xml(letter)


def custom_xml_properties_part() -> bytes:
    """itemProps of the custom XML part: its id and the schema it follows."""
    top = etree.Element(f"{{{NS['ds']}}}datastoreItem", nsmap={"ds": NS["ds"]})
    top.set(f"{{{NS['ds']}}}itemID", STORE_ITEM_ID)
    refs = etree.SubElement(top, f"{{{NS['ds']}}}schemaRefs")
    etree.SubElement(refs, f"{{{NS['ds']}}}schemaRef").set(f"{{{NS['ds']}}}uri", FIELDS_NS)
    return part_xml(top)


def custom_properties_part(properties: dict[str, str]) -> bytes:
    """docProps/custom.xml: named text properties (e.g. kamerbrief.source)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    top = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})
    for pid, (name, value) in enumerate(properties.items(), start=2):
        prop = etree.SubElement(top, f"{{{ns}}}property",
                                fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{vt}}}lpwstr").text = value
    return part_xml(top)


def custom_properties(data: bytes) -> dict[str, str]:
    """The named text properties of a docProps/custom.xml part."""
    return {prop.get("name"): "".join(prop.itertext())
            for prop in etree.fromstring(data).iter("{*}property")}


# -- hyperlinks -------------------------------------------------------------------------------

def hyperlink(rel_id: str, runs: Iterable[etree._Element]) -> etree._Element:
    """<w:hyperlink> to an external relationship."""
    return el("w:hyperlink", *runs, r_id=rel_id, w_history=1)


# -- numbering --------------------------------------------------------------------------------

def abstract_num(ident: int, levels: Iterable[tuple[str, str, str]], indent_mm: float,
                 font: str) -> etree._Element:
    """A list definition: per level (numFmt, lvlText, linked paragraph style id); bullets in
    `font`; hanging indents."""
    lvls = []
    for ilvl, (fmt, text, style) in enumerate(levels):
        lvls.append(el(
            "w:lvl",
            el("w:start", w_val=1),
            el("w:numFmt", w_val=fmt),
            el("w:pStyle", w_val=style) if style else None,
            el("w:lvlText", w_val=text),
            el("w:lvlJc", w_val="left"),
            el("w:pPr", el("w:tabs", el("w:tab", w_val="num",
                                          w_pos=twips_mm(indent_mm * (ilvl + 1)))),
               el("w:ind", w_left=twips_mm(indent_mm * (ilvl + 1)),
                  w_hanging=twips_mm(indent_mm))),
            rpr(font=font) if fmt == "bullet" else None,
            w_ilvl=ilvl,
        ))
    return el("w:abstractNum", el("w:multiLevelType", w_val="multilevel"), *lvls,
              w_abstractNumId=ident)


def num(num_id: int, abstract_id: int) -> etree._Element:
    """One list instance over an abstract definition."""
    return el("w:num", el("w:abstractNumId", w_val=abstract_id), w_numId=num_id)


# -- drawings ---------------------------------------------------------------------------------

def _anchored(ident: int, name: str, description: str, x_mm: float, top_mm: float,
              width_mm: float, height_mm: float, graphic: etree._Element) -> etree._Element:
    """A drawing placed on the sheet behind the text (the logo), holding `graphic`."""
    cx, cy = emu_mm(width_mm), emu_mm(height_mm)
    return el(
        "w:drawing",
        el("wp:anchor",
           el("wp:simplePos", x=0, y=0),
           el("wp:positionH", el("wp:posOffset", str(emu_mm(x_mm))), relativeFrom="page"),
           el("wp:positionV", el("wp:posOffset", str(emu_mm(top_mm))), relativeFrom="page"),
           el("wp:extent", cx=cx, cy=cy),
           el("wp:effectExtent", l=0, t=0, r=0, b=0),
           el("wp:wrapNone"),
           el("wp:docPr", id=ident, name=name, descr=description),
           el("wp:cNvGraphicFramePr"),
           el("a:graphic", graphic),
           distT=0, distB=0, distL=0, distR=0, simplePos=0, relativeHeight=ident,
           behindDoc=1, locked=1, layoutInCell=1, allowOverlap=1),
    )


def _frame(width_mm: float, height_mm: float) -> etree._Element:
    return el("a:xfrm", el("a:off", x=0, y=0),
              el("a:ext", cx=emu_mm(width_mm), cy=emu_mm(height_mm)))


def anchored_rectangle(ident: int, name: str, description: str, x_mm: float, top_mm: float,
                       width_mm: float, height_mm: float, color: str) -> etree._Element:
    """A filled rectangle shape behind the text, placed on the sheet (the stand-in lint)."""
    shape = el("a:graphicData",
               el("wps:wsp",
                  el("wps:cNvSpPr"),
                  el("wps:spPr",
                     _frame(width_mm, height_mm),
                     el("a:prstGeom", el("a:avLst"), prst="rect"),
                     el("a:solidFill", el("a:srgbClr", val=color.lstrip("#").upper())),
                     el("a:ln", el("a:noFill"))),
                  el("wps:bodyPr")),
               uri=WPS_URI)
    return _anchored(ident, name, description, x_mm, top_mm, width_mm, height_mm, shape)


def anchored_picture(ident: int, name: str, description: str, x_mm: float, top_mm: float,
                     width_mm: float, height_mm: float, rel_id: str) -> etree._Element:
    """A picture (an image part related as `rel_id`) behind the text, placed on the sheet."""
    picture = el("a:graphicData",
                 el("pic:pic",
                    el("pic:nvPicPr", el("pic:cNvPr", id=ident, name=name, descr=description),
                       el("pic:cNvPicPr")),
                    el("pic:blipFill", el("a:blip", r_embed=rel_id),
                       el("a:stretch", el("a:fillRect"))),
                    el("pic:spPr", _frame(width_mm, height_mm),
                       el("a:prstGeom", el("a:avLst"), prst="rect"))),
                 uri=NS["pic"])
    return _anchored(ident, name, description, x_mm, top_mm, width_mm, height_mm, picture)


# -- tables -----------------------------------------------------------------------------------

def soft_hyphens(root: etree._Element) -> None:
    """Soft hyphens (U+00AD, decided in compose) in text as Word's optional hyphens: each
    w:t holding one is split around a <w:softHyphen/>."""
    for t in list(root.iter(W + "t")):
        if "\u00ad" not in (t.text or ""):
            continue
        first, *rest = t.text.split("\u00ad")
        t.text, anchor = first, t
        for piece in rest:
            mark, text = el("w:softHyphen"), el("w:t", piece)
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            anchor.addnext(mark)
            mark.addnext(text)
            anchor = text


def borderless_table(widths_mm: Iterable[float],
                     rows: Iterable[Iterable[Iterable[etree._Element]]],
                     gap_mm: float, row_gap_pt: float = 0) -> etree._Element:
    """Rows of cells side by side, no borders, `gap_mm` between the columns and `row_gap_pt`
    above every row after the first; a row never splits over two pages."""
    widths = list(widths_mm)
    none = {side: el(f"w:{side}", w_val="nil")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    grid = el("w:tblGrid", *(el("w:gridCol", w_w=twips_mm(w)) for w in widths))
    trs = []
    for number, cells in enumerate(rows):
        row = el("w:tr", el("w:trPr", el("w:cantSplit")))
        cells = list(cells)
        for i, width in enumerate(widths):
            content = cells[i] if i < len(cells) else [el("w:p")]  # Word: a cell holds a w:p
            margins = [el("w:top", w_w=twips_pt(row_gap_pt), w_type="dxa")] if number else []
            margins.append(el("w:left", w_w=twips_mm(gap_mm) if i else 0, w_type="dxa"))
            pad = el("w:tcMar", *margins)
            row.append(el("w:tc", el("w:tcPr", el("w:tcW", w_w=twips_mm(width), w_type="dxa"),
                                     pad), *content))
        trs.append(row)
    return el(
        "w:tbl",
        el("w:tblPr",
           el("w:tblW", w_w=twips_mm(sum(widths)), w_type="dxa"),
           el("w:tblBorders", *none.values()),
           el("w:tblLayout", w_type="fixed"),
           el("w:tblCellMar", el("w:left", w_w=0, w_type="dxa"),
              el("w:right", w_w=0, w_type="dxa")),
           el("w:tblLook", w_val="0000")),
        grid,
        *trs,
    )


# -- package parts --------------------------------------------------------------

def relationships_part(*rels: tuple[str, str, str]) -> bytes:
    """A .rels part: (Id, Type, Target) per relationship."""
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    top = etree.Element(f"{{{ns}}}Relationships", nsmap={None: ns})
    for ident, kind, target in rels:
        etree.SubElement(top, f"{{{ns}}}Relationship", Id=ident, Type=kind, Target=target)
    return part_xml(top)


def content_types_part(overrides: dict[str, str]) -> bytes:
    """[Content_Types].xml: the rels/xml defaults and one override per part."""
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    top = etree.Element(f"{{{ns}}}Types", nsmap={None: ns})
    etree.SubElement(top, f"{{{ns}}}Default", Extension="rels",
                     ContentType="application/vnd.openxmlformats-package.relationships+xml")
    etree.SubElement(top, f"{{{ns}}}Default", Extension="xml", ContentType="application/xml")
    for name, kind in overrides.items():
        etree.SubElement(top, f"{{{ns}}}Override", PartName="/" + name, ContentType=kind)
    return part_xml(top)


def core_properties_part(language: str) -> bytes:
    """Core properties with the letter's fields left empty (kamerbrief.writers.word fills them)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>Kamerbrief</dc:title><dc:creator></dc:creator>'
        '<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision>'
        f'<dc:language>{escape(language)}</dc:language>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        '</cp:coreProperties>'
    ).encode()


def app_properties_part() -> bytes:
    """docProps/app.xml naming kamerbrief as the application."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
        'properties"><Application>kamerbrief</Application></Properties>'
    ).encode()


# -- theme ------------------------------------------------------------------------------------

def theme(font: str, text: str, accent: str, link: str) -> bytes:
    """A minimal theme (Word expects one): every theme font is `font`, colours from the layout.

    `text` is the text colour, `accent` the lint colour, `link` the links' ("#RRGGBB"); no
    Office defaults.
    """
    a = NS["a"]

    def colour(name, value):
        return f'<a:{name}><a:srgbClr val="{value.lstrip("#").upper()}"/></a:{name}>'

    def fonts(kind):
        return (f'<a:{kind}><a:latin typeface={quoteattr(font)}/><a:ea typeface=""/>'
                f'<a:cs typeface=""/></a:{kind}>')

    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    colours = "".join([
        colour("dk1", text), colour("lt1", "#FFFFFF"), colour("dk2", accent),
        colour("lt2", "#FFFFFF"),
        *(colour(f"accent{i}", accent) for i in range(1, 7)),
        colour("hlink", link), colour("folHlink", link),
    ])
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="{a}" name="Kamerbrief"><a:themeElements>'
        f'<a:clrScheme name="Kamerbrief">{colours}</a:clrScheme>'
        f'<a:fontScheme name="Kamerbrief">{fonts("majorFont")}{fonts("minorFont")}</a:fontScheme>'
        '<a:fmtScheme name="Kamerbrief">'
        f'<a:fillStyleLst>{solid * 3}</a:fillStyleLst>'
        f'<a:lnStyleLst>{line * 3}</a:lnStyleLst>'
        f'<a:effectStyleLst>{effect * 3}</a:effectStyleLst>'
        f'<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst>'
        '</a:fmtScheme></a:themeElements></a:theme>'
    ).encode()
