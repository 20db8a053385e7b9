"""The Word template and its fields: the committed template is what builds the letters, every
field is a content control bound to one place in the letter's custom XML part, the body is one
tagged control with a bookmark per letter section, and reviewers' edits (made here with raw XML
and python-docx, laid out by LibreOffice) behave as a typist expects."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.shared import Pt, RGBColor

from kamerbrief.layout import MM_PER_PT, load_layout
from kamerbrief.paths import templates_dir
from kamerbrief.writers.word import ooxml as ox
from kamerbrief.writers.word.template import write_template
from kamerbrief.writers.word.writer import render_docx
from word_helpers import (LETTERS, LONG_LETTER, NS, W, composed, convert_with_libreoffice,
                          docx_of, feature_document, parts, soffice, texts, xml)

L = load_layout()
LETTERS_DIR = Path(__file__).resolve().parents[1] / "letters"
KB = "urn:kamerbrief:fields:1"
BINDING_PARTS = ("word/document.xml", "word/header1.xml", "word/header2.xml")
needs_office = pytest.mark.skipif(soffice() is None,
                                  reason="LibreOffice (soffice) is not installed")


def _controls(data: bytes) -> list[tuple[str, object]]:
    """(part name, w:sdt) of every content control in the body and the headers."""
    return [(name, sdt) for name in BINDING_PARTS for sdt in xml(data, name).iter(W + "sdt")]


def _tag(sdt) -> str:
    return sdt.find("w:sdtPr/w:tag", NS).get(W + "val")


def _fields(data: bytes):
    return xml(data, "customXml/item1.xml")


def _with_parts(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The package with parts replaced, by name."""
    assert set(replaced) <= set(parts(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, value in parts(data).items():
            z.writestr(name, replaced.get(name, value))
    return out.getvalue()


# -- the template is the file in the templates folder ----------------------------------------

def test_a_style_edited_in_the_template_shows_in_the_next_build(tmp_path, monkeypatch):
    """A template designer changes styles in a copy of templates/kamerbrief.docx (here with
    python-docx); letters built with that templates folder show the change."""
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    template = docx.Document(str(folder / "kamerbrief.docx"))
    heading = template.styles["Heading 1"]
    heading.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    heading.font.size = Pt(11)
    template.styles["Quote"].paragraph_format.left_indent = Pt(36)
    template.save(str(folder / "kamerbrief.docx"))
    monkeypatch.setenv("KAMERBRIEF_TEMPLATES", str(folder))
    monkeypatch.delenv("KAMERBRIEF_LAYOUT", raising=False)

    built = docx.Document(io.BytesIO(render_docx(composed(LONG_LETTER))))
    assert built.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert built.styles["Heading 1"].font.size == Pt(11)
    assert built.styles["Quote"].paragraph_format.left_indent == Pt(36)
    body = xml(render_docx(composed(LONG_LETTER)), "word/document.xml")
    headings = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1']", namespaces=NS)
    assert headings and not body.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1']//w:color",
                                       namespaces=NS)  # the look is the style's
    monkeypatch.delenv("KAMERBRIEF_TEMPLATES")
    assert docx.Document(io.BytesIO(render_docx(composed(LONG_LETTER)))).styles[
        "Heading 1"].font.color.rgb != RGBColor(0xC0, 0x00, 0x00)


def test_a_stale_template_is_reported(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    monkeypatch.setenv("KAMERBRIEF_TEMPLATES", str(folder))
    monkeypatch.delenv("KAMERBRIEF_LAYOUT", raising=False)
    assert write_template(check=True) == 0
    layout = (folder / "layout.toml").read_text(encoding="utf-8")
    assert "top_mm = 110" in layout
    (tmp_path / "changed.toml").write_text(layout.replace("top_mm = 110", "top_mm = 112"),
                                           encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(tmp_path / "changed.toml"))
    assert write_template(check=True) == 1
    assert "STALE" in capsys.readouterr().err
    assert write_template() == 0 and write_template(check=True) == 0
    from kamerbrief.cli import main
    assert main(["template", "--check"]) == 0  # the command
    monkeypatch.delenv("KAMERBRIEF_LAYOUT")
    assert main(["template", "--check"]) == 1
    assert main(["template"]) == 0 and main(["template", "--check"]) == 0


# -- fields: content controls bound to the custom XML part -----------------------------------

@pytest.mark.parametrize("letter", [*LETTERS, LONG_LETTER], ids=lambda p: p.stem)
def test_every_copy_of_a_field_is_bound_to_the_same_place(letter):
    data = docx_of(letter)
    fields = _fields(data)
    assert fields.tag == f"{{{KB}}}letter"
    props = xml(data, "customXml/itemProps1.xml")
    item_id = props.get("{http://schemas.openxmlformats.org/officeDocument/2006/customXml}itemID")
    places: dict[str, set[str]] = {}
    where: dict[str, set[str]] = {}
    for name, sdt in _controls(data):
        binding = sdt.find("w:sdtPr/w:dataBinding", NS)
        if binding is None:
            continue
        assert binding.get(W + "storeItemID") == item_id
        assert binding.get(W + "prefixMappings") == f"xmlns:kb='{KB}'"
        xpath = binding.get(W + "xpath")
        (node,) = fields.xpath(xpath, namespaces={"kb": KB})
        shown = texts(sdt.find("w:sdtContent", NS))
        assert shown == (node.text or ""), f"{_tag(sdt)} in {name}"
        assert sdt.find("w:sdtPr/w:alias", NS).get(W + "val")
        places.setdefault(_tag(sdt), set()).add(xpath)
        where.setdefault(_tag(sdt), set()).add(name)
    assert all(len(xpaths) == 1 for xpaths in places.values()), places
    # the copies: the date in the body and on page 2, the kenmerk in both colofons
    assert where["kb:date"] == {"word/document.xml", "word/header2.xml"}
    assert where["kb:kenmerk"] == {"word/header1.xml", "word/header2.xml"}
    assert {"kb:subject", "kb:signatory.1.title", "kb:signatory.1.name"} <= set(places)
    assert places["kb:subject"] == {"/kb:letter[1]/kb:subject[1]"}


def test_a_label_changed_in_the_layout_names_its_control_too(tmp_path, monkeypatch):
    """[labels] date, our_reference and your_reference are also the names (aliases) Word shows
    for their fields' controls: one change renames both; the tags stay."""
    from kamerbrief.compose import compose_papers

    new = {"date": "Dagtekening", "our_reference": "Ons nummer", "your_reference": "Uw nummer"}
    text = (templates_dir() / "layout.toml").read_text(encoding="utf-8")
    for key, label in new.items():
        text, count = re.subn(rf'(?m)^{key} = "[^"]*"', f'{key} = "{label}"', text)
        assert count == 1, key
    path = tmp_path / "layout.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(path))
    assert load_layout().labels.date == "Dagtekening"
    letter = compose_papers(LETTERS_DIR / "2026-02-10-antwoorden-kamervragen-algoritmes-"
                                          "gemeenten.yaml")[0]
    data = render_docx(letter)
    names: dict[str, set[str]] = {}
    for _, sdt in _controls(data):
        names.setdefault(_tag(sdt), set()).add(sdt.find("w:sdtPr/w:alias", NS).get(W + "val"))
    assert names["kb:date"] == {"Dagtekening"}
    assert names["kb:kenmerk"] == {"Ons nummer"}
    assert names["kb:your_reference"] == {"Uw nummer"}
    assert names["kb:subject"] == {"Onderwerp"} and names["kb:body"] == {"Tekst van de brief"}
    # and the letter prints the same labels
    printed = " ".join(texts(xml(data, name)) for name in BINDING_PARTS)
    assert all(label in printed for label in new.values())


def test_the_custom_xml_part_holds_the_letters_fields():
    doc = composed(LONG_LETTER)
    fields = _fields(docx_of(LONG_LETTER))
    kb = {"kb": KB}
    value = lambda path: fields.findtext(path, namespaces=kb)  # noqa: E731
    assert value("kb:date") == doc.date_text and value("kb:kenmerk") == doc.kenmerk
    assert value("kb:your_reference") == doc.your_reference
    assert value("kb:subject") == doc.subject
    assert [n.text for n in fields.findall("kb:recipient/kb:line", kb)] == list(doc.recipient)
    assert value("kb:opening") == doc.opening and value("kb:closing") == doc.closing
    assert [n.text for n in fields.findall("kb:attachments/kb:item", kb)] == list(doc.attachments)
    assert [(s.findtext("kb:title", namespaces=kb), s.findtext("kb:name", namespaces=kb))
            for s in fields.findall("kb:signatory", kb)] == [(s.title, s.name)
                                                            for s in doc.signatories]
    notes = [(int(n.get("number")), n.get("label"))
             for n in fields.findall("kb:footnotes/kb:note", kb)]
    assert notes == [(n.number, n.label) for n in doc.footnotes]
    assert ("n01" in dict(notes).values()) and None in dict(notes).values()  # an inline note


def test_custom_properties_name_the_letter_file_and_the_format():
    data = docx_of(LETTERS[0])
    props = ox.custom_properties(parts(data)["docProps/custom.xml"])
    assert props == {"kamerbrief.source": LETTERS[0].name, "kamerbrief.format": "1"}


def test_the_body_is_one_control_with_a_bookmark_per_section():
    doc = composed(LONG_LETTER)
    body = xml(docx_of(LONG_LETTER), "word/document.xml").find("w:body", NS)
    tagged = [sdt for sdt in body.iter(W + "sdt") if _tag(sdt) == "kb:body"]
    assert len(tagged) == 1 and tagged[0].getparent() is body
    content = tagged[0].find("w:sdtContent", NS)
    marks = {m.get(W + "name"): m for m in content.iter(W + "bookmarkStart")
             if m.get(W + "name").startswith("kb_sec_")}
    assert set(marks) == {"kb_sec_" + "_".join(map(str, s.path)) for s in doc.sections}
    from kamerbrief.document import Run, readable
    for start in doc.sections:
        mark = marks["kb_sec_" + "_".join(map(str, start.path))]
        p = mark.getparent()
        assert p.tag == W + "p" and p.getparent() is content
        assert p.index(mark) <= 1  # at the start (after the paragraph properties)
        block = doc.blocks[start.start]
        if hasattr(block, "inlines"):
            words = readable("".join(i.text for i in block.inlines if isinstance(i, Run)))
            assert texts(p).startswith(words[:40])
    assert {"kb:opening", "kb:closing"} <= {_tag(s) for s in body.iter(W + "sdt")}


# -- no direct formatting in the body ---------------------------------------------------------

EMPHASIS = {"b", "bCs", "i", "iCs", "rStyle"}


@pytest.mark.parametrize("which", ["features", "long", "seed1"])
def test_body_formatting_comes_from_styles_only(which):
    """Paragraph and run properties in the letter's text are a style, emphasis, or (numbered
    lists only) the list's numbering instance; everything else comes from the styles."""
    data = {"features": lambda: render_docx(feature_document()),
            "long": lambda: docx_of(LONG_LETTER), "seed1": lambda: docx_of(LETTERS[1])}[which]()
    body = xml(data, "word/document.xml").find("w:body", NS)
    start = next(p for p in body if p.find(".//w:tag[@w:val='kb:opening']", NS) is not None
                 or p.find(".//w:tag[@w:val='kb:body']", NS) is not None)
    found = []
    for element in [start, *start.itersiblings()]:
        for ppr in element.iter(W + "pPr"):
            style = ppr.find("w:pStyle", NS)
            for child in ppr:
                name = etree_name(child)
                allowed = name == "pStyle" or (
                    name == "numPr" and style is not None
                    and style.get(W + "val").startswith("ListNumber"))
                if not allowed:
                    found.append(f"pPr/{name} in {texts(ppr.getparent())[:30]!r}")
        for rpr in element.iter(W + "rPr"):
            if rpr.getparent().tag == W + "pPr":
                found.append("paragraph mark formatting")
                continue
            found += [f"rPr/{etree_name(c)} in {texts(rpr.getparent())[:30]!r}"
                      for c in rpr if etree_name(c) not in EMPHASIS]
    assert not found, found
    notes = xml(data, "word/footnotes.xml")
    for note in notes.xpath("w:footnote[not(@w:type)]", namespaces=NS):
        mark, tab, first = note.find("w:p", NS).findall("w:r", NS)[:3]
        assert mark.find("w:footnoteRef", NS) is not None and tab.find("w:tab", NS) is not None
        assert not texts(first).startswith((" ", "\u00a0"))  # no typed spaces: the style's tab


def etree_name(element) -> str:
    return element.tag.split("}")[1]


# -- reviewers' edits, laid out by LibreOffice ------------------------------------------------

def _words(pdf: Path, page: int = 0):
    with pdfplumber.open(pdf) as document:
        return [(w["text"], w["x0"] * MM_PER_PT, w["top"] * MM_PER_PT)
                for w in document.pages[page].extract_words()]


def _top(words, text: str, left_of: float = L.colofon.x_mm - 1) -> float:
    return next(top for word, x, top in words if word == text and x < left_of)


@needs_office
def test_enter_at_the_start_of_the_datum_line_moves_it_one_line_at_most(tmp_path):
    """Enter at the start of the Datum line (Word inserts an empty paragraph with the same
    properties before it) moves Datum one line at most; a paragraph added to the body moves
    neither Datum nor the subject."""
    data = docx_of(LETTERS[0])
    root = xml(data, "word/document.xml")
    body = root.find("w:body", NS)
    datum = next(p for p in body.iter(W + "p")
                 if p.find("w:pPr/w:pStyle[@w:val='Datum']", NS) is not None)
    import copy
    from lxml import etree
    empty = etree.SubElement(body, W + "p")
    empty.append(copy.deepcopy(datum.find("w:pPr", NS)))
    datum.addprevious(empty)
    entered = _with_parts(data, {"word/document.xml": etree.tostring(root)})

    root = xml(data, "word/document.xml")
    content = next(s for s in root.iter(W + "sdt") if _tag(s) == "kb:body").find(
        "w:sdtContent", NS)
    added = etree.SubElement(content, W + "p")
    run = etree.SubElement(added, W + "r")
    etree.SubElement(run, W + "t").text = "Een alinea die een ambtenaar toevoegt."
    content.insert(0, added)
    grown = _with_parts(data, {"word/document.xml": etree.tostring(root)})

    pages = {}
    for name, version in (("built", data), ("entered", entered), ("grown", grown)):
        pdf, _ = convert_with_libreoffice(version, tmp_path, name)
        pages[name] = _words(pdf)
    line_mm = L.type.body_leading_pt * MM_PER_PT
    built = _top(pages["built"], "Datum")
    assert 0 <= _top(pages["entered"], "Datum") - built <= line_mm + 0.5
    assert abs(_top(pages["grown"], "Datum") - built) < 0.5
    assert abs(_top(pages["grown"], "Aanbieding") - _top(pages["built"], "Aanbieding")) < 0.5
    assert abs(built - L.datum.top_mm) < 3


@needs_office
def test_a_value_changed_in_the_custom_xml_part_shows_in_every_copy(tmp_path):
    """As Word does when a user edits a bound control: the value changes in the custom XML
    part. LibreOffice shows the new value in every bound copy (Datum line, page-2 header,
    colofon) and the new subject."""
    data = docx_of(LONG_LETTER)
    doc = composed(LONG_LETTER)
    fields = parts(data)["customXml/item1.xml"].decode()
    changed = (fields.replace(f">{doc.date_text}<", ">1 juni 2031<")
               .replace(f">{doc.kenmerk}<", ">KENMERK-NIEUW<")
               .replace(f">{doc.subject}<", ">Een nieuw onderwerp<"))
    pdf, _ = convert_with_libreoffice(_with_parts(data, {"customXml/item1.xml": changed.encode()}),
                                      tmp_path, "bound")
    with pdfplumber.open(pdf) as document:
        first, second = (document.pages[0].extract_text(), document.pages[1].extract_text())
    assert first.count("KENMERK-NIEUW") == 1 and doc.kenmerk not in first  # colofon
    assert "1 juni 2031" in first and doc.date_text not in first  # Datum line
    assert "Een nieuw onderwerp" in first
    assert "1 juni 2031" in second and "KENMERK-NIEUW" in second  # follow-page colofon


def _noteref_number(document) -> int:
    """The number Word's NOTEREF shows once fields are updated: the position (in document
    order) of the footnote call inside the bookmark that the field names."""
    (instruction,) = {i.text.split()[1] for i in document.iter(W + "instrText")
                      if "NOTEREF" in i.text}
    calls, inside, number = 0, False, None
    for element in document.iter(W + "bookmarkStart", W + "bookmarkEnd", W + "footnoteReference"):
        if element.tag == W + "bookmarkStart" and element.get(W + "name") == instruction:
            inside = True
        elif element.tag == W + "footnoteReference":
            calls += 1
            if inside and number is None:
                number = calls
        elif element.tag == W + "bookmarkEnd":
            inside = False
    return number


@needs_office
def test_a_footnote_added_before_a_repeated_call_renumbers_both_calls(tmp_path):
    """A reviewer adds a footnote in the opening: the repeated note's first call renumbers
    (LibreOffice shows it) and the NOTEREF of the repeat points at that call, so Word shows the
    same number once it updates fields (on print, or F9). LibreOffice 7.4 keeps the NOTEREF's
    stored result until its fields are updated (README: known limits)."""
    from lxml import etree
    data = render_docx(feature_document())
    root = xml(data, "word/document.xml")
    assert _noteref_number(root) == 1
    opening = next(s for s in root.iter(W + "sdt") if _tag(s) == "kb:opening").getparent()
    run = etree.SubElement(opening, W + "r")
    etree.SubElement(etree.SubElement(run, W + "rPr"), W + "rStyle").set(W + "val",
                                                                       "FootnoteReference")
    etree.SubElement(run, W + "footnoteReference").set(W + "id", "99")
    notes = xml(data, "word/footnotes.xml")
    note = etree.SubElement(notes, W + "footnote")
    note.set(W + "id", "99")
    p = etree.SubElement(note, W + "p")
    etree.SubElement(etree.SubElement(p, W + "r"), W + "footnoteRef")
    etree.SubElement(etree.SubElement(p, W + "r"), W + "t").text = "Nieuwe noot."
    edited = _with_parts(data, {"word/document.xml": etree.tostring(root),
                                "word/footnotes.xml": etree.tostring(notes)})
    assert _noteref_number(root) == 2
    pdf, _ = convert_with_libreoffice(edited, tmp_path, "notes")
    with pdfplumber.open(pdf) as document:
        text = document.pages[0].extract_text()
    assert re.search(r"Geachte voorzitter,\s*1", text)
    assert re.search(r"schuin\s*2", text)  # the repeated note's first call, renumbered
    assert re.search(r"tweede noot\s*3", text)
