"""The PDF/UA step checks WeasyPrint's tag tree and fails loudly when its shape changes."""

from __future__ import annotations

import io

import pikepdf
import pytest
from lxml import etree

from kamerbrief.batch.build import build
from kamerbrief.writers.pdf import pdfua, writer
from outputs import LONG_LETTER, composed

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@pytest.fixture(scope="module")
def raw():
    """WeasyPrint's own PDF of the long letter (footnotes, lists), before the PDF/UA step."""
    return writer.weasyprint_pdf(composed(LONG_LETTER))


def changed(data: bytes, change) -> bytes:
    """`data` with `change(pdf)` applied to its tag tree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def document_of(pdf):
    (document,) = pdfua.kids(pdf.Root.StructTreeRoot)
    return document


def rename_document(pdf):
    document_of(pdf).S = pikepdf.Name.Part


def drop_footnote_area(pdf):
    document = document_of(pdf)
    document.K = pikepdf.Array([kid for kid in pdfua.kids(document)
                                if pdfua.footnote_spans_of_area(kid) == []])


def list_items_become_divs(pdf):
    for element in pdfua.walk(document_of(pdf)):
        if element.S == "/LI":
            element.S = pikepdf.Name.Div


def no_tags(pdf):
    del pdf.Root.StructTreeRoot


@pytest.mark.parametrize("change, words", [
    (rename_document, "one Document element"),
    (drop_footnote_area, "footnote"),
    (list_items_become_divs, "list item(s) (LI)"),
    (no_tags, "StructTreeRoot"),
])
def test_a_changed_tag_tree_is_refused_with_a_sentence(raw, change, words):
    doc = composed(LONG_LETTER)
    with pytest.raises(pdfua.TagTreeError, match=r"PDF/UA step: expected .*") as caught:
        writer.finish(changed(raw, change), doc)
    assert words in str(caught.value)
    assert "docs/pdf.md" in str(caught.value)


def test_the_build_fails_loudly_and_writes_nothing(tmp_path, monkeypatch, raw):
    """A letter whose PDF comes back from WeasyPrint with another tag tree: the build reports
    the PDF/UA step's sentence for the letter and writes neither output."""
    monkeypatch.setattr(writer, "weasyprint_pdf", lambda doc: changed(raw, rename_document))
    letter = tmp_path / "letters" / LONG_LETTER.name
    letter.parent.mkdir()
    letter.write_bytes(LONG_LETTER.read_bytes())
    (result,) = build([letter], tmp_path / "out", ("pdf", "docx"), jobs=1)
    assert result.status == "failed"
    assert any("expected one Document element under the StructTreeRoot" in p.message
               for p in result.problems)
    assert not list((tmp_path / "out").glob(f"{letter.stem}.*"))


def test_the_xmp_gets_the_pdfua_identification_as_xml(raw):
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        xmp = pdfua.with_pdfua_identification(pdf.Root.Metadata.read_bytes())
    root = etree.fromstring(xmp)
    parts = [e.get("{http://www.aiim.org/pdfua/ns/id/}part") for e in root.iter(RDF + "Description")]
    assert "1" in parts
    assert xmp.startswith(b"<?xpacket begin=") and xmp.rstrip().endswith(b"<?xpacket end=\"r\"?>")
    with pytest.raises(pdfua.TagTreeError, match="one rdf:RDF"):
        pdfua.with_pdfua_identification(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
