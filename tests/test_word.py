"""The Word writer: open the real .docx (python-docx and the XML parts) and check what a reader sees."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from kamerbrief.writers.word.template import template_parts, template_path
from kamerbrief.document import plain_text, readable
from kamerbrief.layout import load_layout
from kamerbrief.writers.word.ooxml import twips_mm
from kamerbrief.writers.word.writer import render_docx
from word_helpers import (LETTERS, LONG_LETTER, NS, TEXT_IS_DATA, W, composed,
                          convert_with_libreoffice, docx_of, draft_document, feature_document,
                          paragraphs, parts, soffice, style_of, text_is_data_document, texts, xml)

L = load_layout()
ALL_LETTERS = [*LETTERS, LONG_LETTER]


@pytest.fixture(scope="module")
def feature_docx() -> bytes:
    return render_docx(feature_document())


# -- the template -----------------------------------------------------------------------------

def test_committed_template_is_generated_from_the_layout():
    with zipfile.ZipFile(template_path()) as z:
        committed = {name: z.read(name) for name in z.namelist()}
    fresh = template_parts()
    assert list(committed) == list(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"stale parts {stale}: run python -m kamerbrief.writers.word.template"


@pytest.mark.parametrize("letter", ALL_LETTERS, ids=lambda p: p.stem)
def test_no_default_template_leftovers(letter):
    for name, data in parts(docx_of(letter)).items():
        text = data.decode("utf-8", "replace")
        for leftover in ("Calibri", "Cambria", "en-US", "python-docx", "Word Document"):
            assert leftover not in text, f"{leftover} in {name}"


# -- styles -----------------------------------------------------------------------------------

def test_named_styles_have_the_house_sizes(feature_docx):
    styles = docx.Document(io.BytesIO(feature_docx)).styles
    normal = styles["Normal"]
    assert normal.font.name == "Verdana" == L.fonts.word_sans
    assert normal.font.size == Pt(L.type.body_size_pt)
    f = normal.paragraph_format
    assert f.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert f.line_spacing == Pt(L.type.body_leading_pt)
    assert f.space_before == 0 and f.space_after == Pt(L.type.body_leading_pt)
    looks = {1: (True, None), 2: (True, True), 3: (None, True)}  # three distinct levels
    for level, (bold, italic) in looks.items():
        heading = styles[f"Heading {level}"]
        assert heading.font.size in (None, Pt(L.type.body_size_pt))  # same size as the text
        assert (heading.font.bold, heading.font.italic) == (bold, italic)
    by_id = {s.style_id: s for s in styles}
    note = by_id["FootnoteText"]
    assert note.font.size == Pt(L.type.small_size_pt)
    assert note.paragraph_format.line_spacing == Pt(L.type.small_leading_pt)
    assert by_id["FootnoteReference"].font.superscript is True
    for ident in ("ListBullet", "ListNumber", "Quote", "Hyperlink", "Signature", "Colofon"):
        assert ident in by_id
    assert by_id["Colofon"].font.size == Pt(L.type.small_size_pt)


def test_language_is_dutch_in_defaults_and_styles(feature_docx):
    styles = xml(feature_docx, "word/styles.xml")
    langs = styles.findall(".//w:lang", NS)
    assert langs and {lang.get(W + "val") for lang in langs} == {"nl-NL"}
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS) is not None
    settings = xml(feature_docx, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(W + "val") == "nl-NL"


def test_bullets_are_a_real_font_character(feature_docx):
    numbering = xml(feature_docx, "word/numbering.xml")
    bullet = numbering.xpath(".//w:lvl[w:numFmt/@w:val='bullet']", namespaces=NS)[0]
    assert bullet.find("w:lvlText", NS).get(W + "val") == "\u2022"
    assert bullet.find("w:rPr/w:rFonts", NS).get(W + "ascii") == "Verdana"
    assert "Symbol" not in parts(feature_docx)["word/numbering.xml"].decode()


# -- page set-up, headers, footers ------------------------------------------------------------

def test_a4_with_a_different_first_page(feature_docx):
    document = docx.Document(io.BytesIO(feature_docx))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert round(section.page_width.mm, 1) == L.page.width_mm
    assert round(section.page_height.mm, 1) == L.page.height_mm
    assert round(section.top_margin.mm, 1) == L.body.follow_top_mm
    assert round(section.left_margin.mm, 1) == L.body.x_mm


def test_first_page_header_has_lint_wordmark_and_colofon_in_order(feature_docx):
    doc = feature_document()
    header = xml(feature_docx, "word/header1.xml")
    shape = header.find(".//{*}anchor/{*}docPr")
    assert shape.get("descr") == f"Logo {doc.sender.organisation}"
    assert header.find(".//{*}anchor/{*}positionV/{*}posOffset").text == "0"  # bleeds off the top
    text = texts(header)
    expected = [*doc.sender.wordmark, *doc.sender.wordmark_italic, doc.sender.colofon_name,
                *doc.sender.visit_address, *doc.sender.postal_address, doc.sender.website,
                "Ons kenmerk", doc.kenmerk, "Uw kenmerk", doc.your_reference, "Bijlage(n)",
                str(len(doc.attachments)), doc.sender.colofon_note]
    at = 0
    for part in expected:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing or out of order in the colofon"
        at = found + len(part)
    frame = next(p.find("w:pPr/w:framePr", NS) for p in paragraphs(header)
                 if doc.sender.colofon_name in texts(p))
    assert int(frame.get(W + "x")) == twips_mm(L.colofon.x_mm)
    assert int(frame.get(W + "y")) == twips_mm(L.colofon.top_mm)
    assert int(frame.get(W + "w")) == twips_mm(L.colofon.width_mm)
    assert frame.get(W + "hAnchor") == frame.get(W + "vAnchor") == "page"


def test_follow_page_header_has_the_short_colofon(feature_docx):
    doc = feature_document()
    text = texts(xml(feature_docx, "word/header2.xml"))
    for part in (doc.sender.colofon_name, "Datum", doc.date_text, "Ons kenmerk", doc.kenmerk):
        assert part in text
    assert doc.sender.visit_address[0] not in text


@pytest.mark.parametrize("footer", ["word/footer1.xml", "word/footer2.xml"])
def test_footer_page_numbers_are_fields(feature_docx, footer):
    root = xml(feature_docx, footer)
    instructions = [i.text.strip() for i in root.iterfind(".//w:instrText", NS)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert texts(root).startswith("Pagina ") and " van " in texts(root)


def test_return_address_recipient_datum_and_subject(feature_docx):
    doc = feature_document()
    body = xml(feature_docx, "word/document.xml").find("w:body", NS)
    first = paragraphs(body)[:4]
    assert texts(first[0]) == f"{L.return_address.prefix} {doc.sender.return_address}"
    assert texts(first[1]) == " ".join(doc.recipient)
    assert int(first[1].find("w:pPr/w:framePr", NS).get(W + "y")) == twips_mm(L.recipient.top_mm)
    assert [style_of(p) for p in first[2:]] == ["Datum", "Betreft"]
    assert texts(first[2]) == f"Datum {doc.date_text}"
    assert texts(first[3]) == f"{doc.sender.subject_label} {doc.subject}"


# -- body -------------------------------------------------------------------------------------

def _body_paragraphs(data: bytes):
    body = xml(data, "word/document.xml").find("w:body", NS)
    return paragraphs(body)[4:]


def test_blocks_in_named_styles(feature_docx):
    styles = [(style_of(p), texts(p)) for p in _body_paragraphs(feature_docx)]
    assert ("Aanhef", "Geachte voorzitter,") in styles  # keeps with what follows
    assert ("Heading1", "Kop een") in styles and ("Heading2", "Kop twee") in styles
    assert ("Heading3", "Kop drie") in styles
    assert ("ListNumber", "een") in styles and ("ListBullet2", "genest") in styles
    assert ("Quote", "Een citaat met nadruk") in styles
    assert ("Slotformule", "Hoogachtend,") in styles  # keeps with the signatures


def test_numbering_restarts_for_each_list(feature_docx):
    """Bullets take their numbering from the list style of their level; each numbered list is
    put on its own numbering instance, restarting at its first number."""
    ps = _body_paragraphs(feature_docx)
    num_of = {texts(p): p.find("w:pPr/w:numPr/w:numId", NS) for p in ps}
    assert num_of["genest"] is None and num_of["punt"] is None  # bullets: the style's
    ids = {text: num.get(W + "val") for text, num in num_of.items() if num is not None}
    assert set(ids) == {"een", "twee", "drie", "vier"}
    assert ids["een"] == ids["twee"] != ids["drie"] == ids["vier"]
    numbering = xml(feature_docx, "word/numbering.xml")
    starts = {n.get(W + "numId"): int(n.find("w:lvlOverride/w:startOverride", NS).get(W + "val"))
              for n in numbering.iterfind("w:num", NS)
              if n.find("w:lvlOverride", NS) is not None}
    assert starts[ids["een"]] == 1 and starts[ids["drie"]] == 3
    styles = xml(feature_docx, "word/styles.xml")
    for ident, level in (("ListBullet", 0), ("ListBullet2", 1), ("ListNumber3", 2)):
        num_pr = styles.find(f"w:style[@w:styleId='{ident}']/w:pPr/w:numPr", NS)
        assert num_pr.find("w:ilvl", NS).get(W + "val") == str(level)
        linked = numbering.xpath(f".//w:lvl[w:pStyle/@w:val='{ident}']", namespaces=NS)
        assert [lvl.get(W + "ilvl") for lvl in linked] == [str(level)]


def test_links_are_hyperlinks_with_external_relationships(feature_docx):
    body = xml(feature_docx, "word/document.xml")
    link = body.find(".//w:hyperlink", NS)
    assert texts(link) == "de website"
    rels = parts(feature_docx)["word/_rels/document.xml.rels"].decode()
    rid = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert f'Id="{rid}"' in rels and 'Target="https://www.nctv.nl/"' in rels
    assert 'TargetMode="External"' in rels
    notes_rels = parts(feature_docx)["word/_rels/footnotes.xml.rels"].decode()
    assert "https://www.rijksoverheid.nl/" in notes_rels


def test_bold_italic_and_line_break(feature_docx):
    first = _body_paragraphs(feature_docx)[1]
    runs = {texts(r): r for r in first.iterfind("w:r", NS)}
    assert runs["vet"].find("w:rPr/w:b", NS) is not None
    assert runs["schuin"].find("w:rPr/w:i", NS) is not None
    assert first.find(".//w:br", NS) is not None


def test_cosigned_letter_puts_signatories_side_by_side(feature_docx):
    body = xml(feature_docx, "word/document.xml").find("w:body", NS)
    table = body.find("w:tbl", NS)
    cells = table.findall(".//w:tc", NS)
    assert [readable(texts(c)) for c in cells] == [
        "De Minister van Justitie en Veiligheid,D. Yeşilgöz-Zegerius",
        "De Minister voor Rechtsbescherming,F.M. Weerwind"]
    assert all(b.get(W + "val") == "nil" for b in table.find("w:tblPr/w:tblBorders", NS))


def test_single_signatory_has_room_to_sign():
    ps = _body_paragraphs(docx_of(LETTERS[0]))
    title, name = ps[-2], ps[-1]
    doc = composed(LETTERS[0])
    assert texts(title) == doc.signatories[0].title + ","
    assert texts(name) == doc.signatories[0].name
    assert (style_of(title), style_of(name)) == ("Signature", "Ondertekenaar")
    room = L.signature.blank_lines_to_sign * L.type.body_leading_pt * 20
    styles = xml(docx_of(LETTERS[0]), "word/styles.xml")
    spacing = styles.find("w:style[@w:styleId='Ondertekenaar']/w:pPr/w:spacing", NS)
    assert int(spacing.get(W + "before")) == room


# -- footnotes --------------------------------------------------------------------------------

@pytest.mark.parametrize("letter", ALL_LETTERS, ids=lambda p: p.stem)
def test_real_footnotes_numbered_as_the_document(letter):
    doc = composed(letter)
    data = docx_of(letter)
    notes = xml(data, "word/footnotes.xml")
    entries = notes.findall("w:footnote", NS)
    assert [(e.get(W + "type"), e.get(W + "id")) for e in entries[:2]] == [
        ("separator", "-1"), ("continuationSeparator", "0")]
    real = entries[2:]
    assert [int(e.get(W + "id")) for e in real] == [n.number for n in doc.footnotes]
    for entry, note in zip(real, doc.footnotes):
        p = entry.find("w:p", NS)
        assert style_of(p) == "FootnoteText"
        assert p.find(".//w:footnoteRef", NS) is not None
        assert readable(texts(p)).strip() == plain_text(note.inlines)
    settings = xml(data, "word/settings.xml")
    assert [f.get(W + "id") for f in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]
    refs = [int(r.get(W + "id")) for r in
            xml(data, "word/document.xml").iterfind(".//w:footnoteReference", NS)]
    assert refs == [n.number for n in doc.footnotes]  # each referenced once, in order


def test_footnote_called_twice_is_a_noteref_to_its_first_call(feature_docx):
    """The first call of a note called again sits in a bookmark; the repeat is a NOTEREF field
    to it (\\f: formatted as a footnote reference, \\h: a link), as Word's cross-reference."""
    body = xml(feature_docx, "word/document.xml")
    start = body.find(".//w:bookmarkStart[@w:name='_Ref_kb_note_1']", NS)
    reference = start.getnext()
    assert reference.find("w:footnoteReference", NS).get(W + "id") == "1"
    assert reference.getnext().tag == W + "bookmarkEnd"
    assert reference.getnext().get(W + "id") == start.get(W + "id")
    last = [p for p in _body_paragraphs(feature_docx) if texts(p).startswith("Nogmaals")][0]
    (instruction,) = [i.text.split() for i in last.iterfind(".//w:instrText", NS)]
    assert instruction == ["NOTEREF", "_Ref_kb_note_1", "\\f", "\\h"]
    runs = last.findall("w:r", NS)
    result = [r for r in runs if r.find("w:t", NS) is not None and texts(r) == "1"]
    assert result and result[0].find("w:rPr/w:rStyle", NS).get(W + "val") == "FootnoteReference"
    assert [r.get(W + "id") for r in last.iterfind(".//w:footnoteReference", NS)] == ["2"]


# -- properties, drafts, text as data, determinism --------------------------------------------

def test_core_properties(feature_docx):
    doc = feature_document()
    core = docx.Document(io.BytesIO(feature_docx)).core_properties
    assert core.title == doc.subject
    assert core.author == core.last_modified_by == doc.author
    assert doc.kenmerk in core.keywords
    assert core.language == "nl-NL"
    assert core.created.date() == doc.date == core.modified.date()


def test_draft_shows_concept_and_placeholders():
    data = render_docx(draft_document())
    for header in ("word/header1.xml", "word/header2.xml"):
        assert L.concept.text in texts(xml(data, header))
    body_text = texts(xml(data, "word/document.xml"))
    assert "[datum]" in body_text
    assert "[kenmerk]" in texts(xml(data, "word/header1.xml"))
    assert L.concept.text not in texts(xml(docx_of(LETTERS[0]), "word/header1.xml"))


def test_text_is_data_everywhere():
    data = render_docx(text_is_data_document())
    for name in ("word/document.xml", "word/header1.xml", "word/header2.xml"):
        text = texts(xml(data, name))
        assert TEXT_IS_DATA in text, name
        assert "49" not in text
    assert docx.Document(io.BytesIO(data)).core_properties.title == TEXT_IS_DATA


def test_same_document_same_bytes():
    doc = composed(LETTERS[1])
    first, second = render_docx(doc), render_docx(doc)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 12, 12, 0, 0, 0)}


# -- validity ---------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["seed0", "seed1", "long", "features", "draft"])
def test_openxml_audit_strict_finds_no_errors(tmp_path, which):
    from openxml_audit import OpenXmlValidator
    data = {"seed0": lambda: docx_of(LETTERS[0]), "seed1": lambda: docx_of(LETTERS[1]),
            "long": lambda: docx_of(LONG_LETTER), "features": lambda: render_docx(feature_document()),
            "draft": lambda: render_docx(draft_document())}[which]()
    path = tmp_path / f"{which}.docx"
    path.write_bytes(data)
    result = OpenXmlValidator(strict=True).validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_without_complaint(tmp_path):
    data = render_docx(feature_document())
    pdf, stderr = convert_with_libreoffice(data, tmp_path, "features")
    complaints = [line for line in stderr.splitlines()
                  if line.strip() and "javaldx" not in line and "java may not" not in line]
    assert not complaints
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Kop een" in text and "Pagina 1 van" in text
