"""Generates templates/kamerbrief.docx, the docxtpl template of the Word writer, from the layout.

    python -m kamerbrief.writers.word.template            # (re)writes templates/kamerbrief.docx
    python -m kamerbrief.writers.word.template --check    # exit 1 when the committed file is stale

The package is written part by part (no python-docx default template, so no Calibri theme,
en-US or "python-docx" leftovers): styles, numbering, settings with the footnote separators,
a first-page header (lint, wordmark, colofon), a follow-page header (lint, wordmark, short
colofon), footers with PAGE/NUMPAGES fields, and a body with the return address, recipient,
Datum and subject. Letter data enters through Jinja tags that docxtpl fills (kamerbrief.writers.word).
Every position and size is read from the layout file; the same layout gives the same bytes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from . import ooxml as ox
from ... import document as d
from ...layout import MM_PER_PT, Layout, load_layout
from ...paths import templates_dir

TEMPLATE_NAME = "kamerbrief.docx"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip entry time: the template is reproducible

# Abstract numbering definitions (ids in numbering.xml); each list of a letter gets its own
# w:num over one of these, so numbers restart per list.
BULLET_LIST, DECIMAL_LIST = 1, 2
WORD_LIST_LEVELS = 9  # Word's levels (ilvl 0-8); deeper than the layout's: its last marker

# Style ids (the names Word shows are in _styles()).
NORMAL, HEADINGS = "Normal", ("Heading1", "Heading2", "Heading3")
LIST_BULLET, LIST_NUMBER, LIST_CONTINUE = "ListBullet", "ListNumber", "ListContinue"
QUOTE, HYPERLINK, SIGNATURE = "Quote", "Hyperlink", "Signature"
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = ox.FOOTNOTE_TEXT, ox.FOOTNOTE_REFERENCE

CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


# -- styles -----------------------------------------------------------------------------------

def _style(kind: str, ident: str, name: str, *, based_on: str | None = None,
           next_: str | None = None, default: bool = False, ui: int | None = None,
           qformat: bool = False, semi_hidden: bool = False, ppr=None, rpr=None, extra=()):
    return ox.el(
        "w:style",
        ox.el("w:name", w_val=name),
        ox.el("w:basedOn", w_val=based_on) if based_on else None,
        ox.el("w:next", w_val=next_) if next_ else None,
        ox.el("w:uiPriority", w_val=ui) if ui is not None else None,
        ox.el("w:semiHidden") if semi_hidden else None,
        ox.el("w:unhideWhenUsed") if semi_hidden else None,
        ox.el("w:qFormat") if qformat else None,
        ppr, rpr, *extra,
        w_type=kind, w_styleId=ident, w_default=1 if default else None,
    )


def _small(L: Layout, **ppr):
    """Paragraph properties of the small type (6.5 on 9 pt), no space after unless given."""
    ppr.setdefault("after_pt", 0)
    return ox.ppr(line_pt=L.type.small_leading_pt, **ppr)


def _styles(L: Layout):
    T, lang, sans = L.type, L.page.language, L.fonts.word_sans
    body_gap = T.body_leading_pt  # one empty line between paragraphs
    small = ox.rpr(size_pt=T.small_size_pt)
    para = lambda ident, name, **kw: _style("paragraph", ident, name, **kw)  # noqa: E731
    char = lambda ident, name, **kw: _style("character", ident, name, **kw)  # noqa: E731
    styles = [
        para(NORMAL, "Normal", default=True, qformat=True,
             ppr=ox.ppr(widow_control=True, before_pt=0, after_pt=body_gap,
                        line_pt=T.body_leading_pt),
             rpr=ox.rpr(font=sans, color=L.colours.text, kern=True, size_pt=T.body_size_pt,
                        lang=lang)),
        char("DefaultParagraphFont", "Default Paragraph Font", default=True, ui=1,
             semi_hidden=True),
        _style("table", "TableNormal", "Normal Table", default=True, ui=99, semi_hidden=True,
               extra=[ox.el("w:tblPr",
                            ox.el("w:tblInd", w_w=0, w_type="dxa"),
                            ox.el("w:tblCellMar",
                                  *(ox.el(f"w:{side}", w_w=0, w_type="dxa")
                                    for side in ("top", "left", "bottom", "right"))))]),
    ]
    for level, ident in enumerate(HEADINGS, start=1):
        styles.append(para(
            ident, f"heading {level}", based_on=NORMAL, next_=NORMAL, ui=9, qformat=True,
            ppr=ox.ppr(keep_next=True, keep_lines=True, after_pt=0, outline_level=level - 1),
            rpr=ox.rpr(bold=level == 1, italic=level > 1 or None)))
    indent = L.body.list_indent_mm
    styles += [
        para(LIST_BULLET, "List Bullet", based_on=NORMAL, ui=36,
             ppr=ox.ppr(num=(BULLET_LIST, 0), after_pt=0, left_mm=indent, hanging_mm=indent)),
        para(LIST_NUMBER, "List Number", based_on=NORMAL, ui=36,
             ppr=ox.ppr(num=(DECIMAL_LIST, 0), after_pt=0, left_mm=indent, hanging_mm=indent)),
        para(LIST_CONTINUE, "List Continue", based_on=NORMAL, ui=36,
             ppr=ox.ppr(after_pt=0, left_mm=indent)),
        para(QUOTE, "Quote", based_on=NORMAL, next_=NORMAL, ui=29, qformat=True,
             ppr=ox.ppr(left_mm=L.body.quote_indent_mm), rpr=ox.rpr(italic=True)),
        para(SIGNATURE, "Signature", based_on=NORMAL, ui=99,
             ppr=ox.ppr(keep_lines=True, after_pt=0)),
        para(FOOTNOTE_TEXT, "footnote text", based_on=NORMAL, ui=99, semi_hidden=True,
             ppr=_small(L), rpr=small),
        char(FOOTNOTE_REFERENCE, "footnote reference", ui=99, semi_hidden=True,
             rpr=ox.rpr(superscript=True)),
        char(HYPERLINK, "Hyperlink", ui=99, semi_hidden=True,
             rpr=ox.rpr(color=L.colours.text)),  # links look like text, as in the PDF
        para("Header", "header", based_on=NORMAL, ui=99, semi_hidden=True,
             ppr=_small(L), rpr=small),
        para("Footer", "footer", based_on=NORMAL, ui=99, semi_hidden=True,
             ppr=_small(L), rpr=small),
        para("Colofon", "Colofon", based_on=NORMAL, ui=99, ppr=_small(L), rpr=small),
        para("ColofonGroep", "Colofon groep", based_on="Colofon", ui=99,
             ppr=_small(L, before_pt=L.colofon.group_gap_pt)),
        para("ColofonKenmerk", "Colofon kenmerk", based_on="Colofon", ui=99,
             ppr=_small(L, before_pt=L.colofon.kenmerk_gap_pt)),
        para("Retouradres", "Retouradres", based_on=NORMAL, ui=99, ppr=_small(L), rpr=small),
        para("Adres", "Adres", based_on=NORMAL, ui=99,
             ppr=ox.ppr(after_pt=0, line_pt=T.body_leading_pt)),
        para("Woordmerk", "Woordmerk", based_on=NORMAL, ui=99,
             ppr=ox.ppr(after_pt=0, line_pt=T.wordmark_leading_pt),
             rpr=ox.rpr(font=L.fonts.word_serif, size_pt=T.wordmark_size_pt)),
        para("Datum", "Datum", based_on=NORMAL, next_="Betreft", ui=99,
             ppr=ox.ppr(keep_next=True, tabs_mm=[L.datum.tab_mm], after_pt=0,
                        before_pt=(L.datum.top_mm - L.body.follow_top_mm) / MM_PER_PT)),
        para("Betreft", "Betreft", based_on=NORMAL, next_=NORMAL, ui=99,
             ppr=ox.ppr(tabs_mm=[L.datum.tab_mm],
                        after_pt=L.body.blank_lines_after_subject * T.body_leading_pt,
                        left_mm=L.datum.tab_mm, hanging_mm=L.datum.tab_mm)),
        para("Concept", "Concept", based_on=NORMAL, ui=99,
             ppr=ox.ppr(after_pt=0, line_pt=L.concept.size_pt),
             rpr=ox.rpr(bold=True, color=L.colours.concept, size_pt=L.concept.size_pt)),
    ]
    defaults = ox.el(
        "w:docDefaults",
        ox.el("w:rPrDefault", ox.rpr(font=sans, kern=True, size_pt=T.body_size_pt, lang=lang)),
        ox.el("w:pPrDefault", ox.ppr(after_pt=0, line_pt=T.body_leading_pt)),
    )
    return ox.root("w:styles", defaults, *styles)


# -- numbering, settings, fonts ---------------------------------------------------------------

def list_definitions(levels: tuple[d.ListLevel, ...], L: Layout) -> list:
    """The bullet and the numbered list definitions (w:abstractNum) for the Document's list
    levels: the same markers as the PDF, level by level."""
    bullets, numbers = [], []
    for ilvl in range(WORD_LIST_LEVELS):
        level = d.list_level(levels, ilvl)
        before, kind, after = level.number_parts()
        bullets.append(("bullet", level.bullet))
        numbers.append((kind, f"{before}%{ilvl + 1}{after}"))
    sans, indent = L.fonts.word_sans, L.body.list_indent_mm
    return [ox.abstract_num(BULLET_LIST, bullets, indent, sans),
            ox.abstract_num(DECIMAL_LIST, numbers, indent, sans)]


def _numbering(L: Layout):
    levels = tuple(d.ListLevel(*pair) for pair in L.lists.levels())
    return ox.root(
        "w:numbering",
        *list_definitions(levels, L),
        # the styles' own lists; every list in a letter gets a fresh w:num (kamerbrief.writers.word)
        ox.num(BULLET_LIST, BULLET_LIST, 0, 1),
        ox.num(DECIMAL_LIST, DECIMAL_LIST, 0, 1),
    )


def _settings(L: Layout):
    lang = L.page.language
    return ox.root(
        "w:settings",
        ox.el("w:zoom", w_percent=100),
        ox.el("w:defaultTabStop", w_val=ox.twips_mm(L.datum.tab_mm)),
        ox.el("w:characterSpacingControl", w_val="doNotCompress"),
        ox.footnote_pr(),
        ox.el("w:compat", ox.el("w:compatSetting", w_name="compatibilityMode",
                                w_uri="http://schemas.microsoft.com/office/word",
                                w_val=15)),
        ox.el("w:themeFontLang", w_val=lang),
        ox.el("w:decimalSymbol", w_val=","),
        ox.el("w:listSeparator", w_val=";"),
    )


def _font_table(L: Layout):
    def font(name: str, family: str):
        return ox.el("w:font", ox.el("w:charset", w_val="00"), ox.el("w:family", w_val=family),
                     ox.el("w:pitch", w_val="variable"), w_name=name)
    return ox.root("w:fonts", font(L.fonts.word_sans, "swiss"),
                   font(L.fonts.word_serif, "roman"))


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


def _concept(L: Layout):
    frame = ox.Frame(L.concept.x_mm, L.concept.top_mm)
    return [_tag("{%p if mark %}"), _framed(frame, "Concept", ox.text_run("{{ mark }}")),
            _tag("{%p endif %}")]


def _wordmark(L: Layout):
    frame = ox.Frame(L.wordmark.x_mm, L.wordmark.top_mm, L.wordmark.width_mm)
    return [
        _framed(frame, "Woordmerk", ox.text_run("{{ wordmark }}")),
        _tag("{%p if wordmark_italic %}"),
        _framed(frame, "Woordmerk", ox.text_run("{{ wordmark_italic }}", ox.rpr(italic=True))),
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


def _lint(L: Layout, ident: int):
    """The anchor paragraph of the header, holding the logo (bleeding off the top edge): the
    ministry's own picture when the layout names one, else the stand-in lint."""
    box = (L.logo.x_mm, 0, L.logo.width_mm, L.logo.height_mm)
    if word_logo(L):
        drawing = ox.anchored_picture(ident, "Logo", "{{ logo_alt }}", *box, LOGO_REL)
    else:
        drawing = ox.anchored_rectangle(ident, "Logo", "{{ logo_alt }}", *box, L.colours.lint)
    return ox.paragraph(ox.ppr(style="Header"), ox.el("w:r", drawing))


COLOFON_STYLES = {"none": "Colofon", "group": "ColofonGroep", "kenmerk": "ColofonKenmerk"}


def _colofon(L: Layout, entries: str):
    """The colofon groups of the Document (`entries`: "colofon" or "short_colofon"), in order:
    per group a framed paragraph in the style of its gap, the bold label, then the lines."""
    f = ox.Frame(L.colofon.x_mm, L.colofon.top_mm, L.colofon.width_mm)

    def group(style: str):
        return _framed(
            f, style,
            ox.text_run("{%r if e.label %}"), ox.text_run("{{ e.label }}", ox.rpr(bold=True)),
            ox.break_run(), ox.text_run("{%r endif %}"),
            ox.text_run("{%r if e.bold %}"), ox.text_run("{{ e.text }}", ox.rpr(bold=True)),
            ox.text_run("{%r elif e.italic %}"),
            ox.text_run("{{ e.text }}", ox.rpr(italic=True)),
            ox.text_run("{%r else %}"), ox.text_run("{{ e.text }}"), ox.text_run("{%r endif %}"))

    out = [_tag(f"{{%p for e in {entries} %}}")]
    for gap, style in COLOFON_STYLES.items():
        out += [_tag(f"{{%p if e.gap == '{gap}' %}}"), group(style), _tag("{%p endif %}")]
    return out + [_tag("{%p endfor %}")]


def _header(L: Layout, colofon, ident: int):
    return ox.root("w:hdr", *_concept(L), *_wordmark(L), *colofon, _lint(L, ident),
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
    return ox.el(
        "w:sectPr",
        ox.el("w:headerReference", w_type="default", r_id="rIdHeaderFollow"),
        ox.el("w:headerReference", w_type="first", r_id="rIdHeaderFirst"),
        ox.el("w:footerReference", w_type="default", r_id="rIdFooterFollow"),
        ox.el("w:footerReference", w_type="first", r_id="rIdFooterFirst"),
        ox.el("w:pgSz", w_w=ox.twips_mm(L.page.width_mm), w_h=ox.twips_mm(L.page.height_mm)),
        ox.el("w:pgMar", w_top=ox.twips_mm(L.body.follow_top_mm),
              w_right=ox.twips_mm(right), w_bottom=ox.twips_mm(L.body.bottom_mm),
              w_left=ox.twips_mm(L.body.x_mm), w_header=ox.twips_mm(L.wordmark.top_mm),
              w_footer=ox.twips_mm(footer), w_gutter=0),
        ox.el("w:cols", w_space=ox.twips_mm(L.signature.column_gap_mm)),
        ox.el("w:titlePg"),
    )


def _document(L: Layout):
    ra = ox.Frame(L.return_address.x_mm, L.return_address.top_mm, L.return_address.width_mm)
    rc = ox.Frame(L.recipient.x_mm, L.recipient.top_mm, L.recipient.width_mm)
    body = ox.el(
        "w:body",
        _framed(ra, "Retouradres", ox.text_run("{{ return_line }}")),
        _framed(rc, "Adres", ox.text_run("{{ recipient }}")),
        # the Document's rows: Datum first (placed by its style), the subject row last
        _tag("{%p for row in rows %}"), _tag("{%p if loop.first %}"),
        ox.paragraph(ox.ppr(style="Datum"), ox.text_run("{{ row.label }}"), ox.tab_run(),
                     ox.text_run("{{ row.value }}")),
        _tag("{%p else %}"),
        ox.paragraph(ox.ppr(style="Betreft"), ox.text_run("{{ row.label }}"), ox.tab_run(),
                     ox.text_run("{{ row.value }}")),
        _tag("{%p endif %}"), _tag("{%p endfor %}"),
        # kamerbrief.writers.word appends the letter's body blocks here
        _section(L),
    )
    return ox.root("w:document", body)


# -- package ----------------------------------------------------------------------------------

def template_parts(L: Layout | None = None) -> dict[str, bytes]:
    """Every part of the template package, by zip name, in a fixed order."""
    L = L or load_layout()
    parts = {
        "word/document.xml": ox.part_xml(_document(L)),
        "word/styles.xml": ox.part_xml(_styles(L)),
        "word/settings.xml": ox.part_xml(_settings(L)),
        "word/numbering.xml": ox.part_xml(_numbering(L)),
        "word/footnotes.xml": ox.part_xml(ox.footnotes_root(_rule_space(L))),
        "word/fontTable.xml": ox.part_xml(_font_table(L)),
        "word/theme/theme1.xml": ox.theme(L.fonts.word_sans, L.colours.text, L.colours.lint),
        "word/header1.xml": ox.part_xml(_header(L, _colofon(L, "colofon"), 1)),
        "word/header2.xml": ox.part_xml(_header(L, _colofon(L, "short_colofon"), 2)),
        "word/footer1.xml": ox.part_xml(_footer(L)),
        "word/footer2.xml": ox.part_xml(_footer(L)),
        "docProps/core.xml": ox.core_properties_part(L.page.language),
        "docProps/app.xml": ox.app_properties_part(),
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
        ),
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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path, data = template_path(), template_bytes()
    if "--check" in args:
        fresh = path.is_file() and path.read_bytes() == data
        print(f"{path}: {'up to date' if fresh else 'STALE: run python -m kamerbrief.writers.word.template'}")
        return 0 if fresh else 1
    path.write_bytes(data)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
