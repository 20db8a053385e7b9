"""The letterhead stamp: page 1's sender part is laid out once per sender and merged into each
letter, which must then be the whole letter as WeasyPrint draws it, word for word, position
for position, tag for tag (kamerbrief.writers.pdf.letterhead)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from kamerbrief.writers.pdf import letterhead, pdfua, writer
from outputs import TEST_LETTERS, composed, pdf_of, pdf_pages


def whole_pdf(path) -> bytes:
    """The letter with WeasyPrint drawing all of it (no stamp), finished the same way."""
    doc = composed(path)
    return writer.finish(writer.weasyprint_pdf(doc, whole=True), doc)


def words(data: bytes) -> list[list[tuple]]:
    """Per page, every word with its place, font and size, top to bottom, left to right (the
    stamp is drawn in one piece, so the content stream's order differs; the tags' order is compared
    in tag_tree)."""
    return [sorted((round(w["top"], 3), round(w["x0"], 3), w["text"],
                    w["fontname"].split("+")[-1], round(w["size"], 3)) for w in page.words)
            for page in pdf_pages(data)]


def tag_tree(data: bytes) -> list[tuple]:
    """Every structure element in reading order: depth, role, alt text, and its own text as
    the content it marks (MCIDs resolved to the text drawn in their marked content)."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        def walk(element, depth):
            found.append((depth, str(element.S), str(element.get("/Alt", ""))))
            for kid in pdfua.kids(element):
                walk(kid, depth + 1)
        walk(pdfua.document_element(pdf), 0)
    return found


@pytest.mark.parametrize("path", TEST_LETTERS, ids=lambda p: p.stem)
def test_a_stamped_letter_is_the_whole_letter_word_for_word_and_tag_for_tag(path):
    doc = composed(path)
    stamped, whole = pdf_of(path), whole_pdf(path)
    assert writer.letterhead_stamp(doc) is not None or doc.paper != "letter"
    assert words(stamped) == words(whole)
    assert tag_tree(stamped) == tag_tree(whole)


def test_a_draft_is_stamped_as_drawn_whole_with_its_concept_mark(tmp_path):
    """A draft has the CONCEPT mark (a fixed element, tagged on each page) in the letter's
    part: the logo and wordmark still come first, as in the whole letter."""
    seed = TEST_LETTERS[0]
    draft = tmp_path / seed.name
    draft.write_text(seed.read_text(encoding="utf-8").replace("status: final", "status: draft"),
                     encoding="utf-8")
    doc = composed(draft)
    assert doc.draft and doc.mark
    stamped = writer.render_pdf(doc)
    whole = writer.finish(writer.weasyprint_pdf(doc, whole=True), doc)
    assert words(stamped) == words(whole)
    assert tag_tree(stamped) == tag_tree(whole)


def test_the_reading_order_of_page_one_is_that_of_the_letter():
    """Logo, wordmark, return line, recipient, then the colofon's groups in order: the
    sender's (from the stamp) before the letter's own."""
    path = TEST_LETTERS[0]
    doc = composed(path)
    with pikepdf.open(io.BytesIO(pdf_of(path))) as pdf:
        document = pdfua.document_element(pdf)
        logo, wordmark, sheet = pdfua.kids(document)[:3]
        assert [e.S for e in pdfua.kids(logo)] == ["/Figure"]
        assert str(pdfua.kids(logo)[0].Alt) == doc.logo_alt
        assert [e.S for e in pdfua.kids(sheet)] == ["/P", "/P", "/Div"]
        groups = pdfua.kids(pdfua.kids(sheet)[2])
        assert len(groups) == len(doc.colofon)


def test_marked_content_in_the_stamp_is_found_through_the_parent_tree():
    """Each reference into the letterhead XObject (MCR with /Stm) is listed under the
    XObject's StructParents key, at its MCID, as the element that holds it."""
    with pikepdf.open(io.BytesIO(pdf_of(TEST_LETTERS[0]))) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip((int(n) for n in nums[::2]), nums[1::2]))
        xobject = pdf.pages[0].Resources.XObject[letterhead.XOBJECT]
        references = 0
        for element in pdfua.walk(pdfua.document_element(pdf)):
            items = element.get("/K")
            for item in items if isinstance(items, pikepdf.Array) else [items]:
                if isinstance(item, pikepdf.Dictionary) and "/Stm" in item:
                    assert item.Stm.objgen == xobject.objgen
                    assert item.Pg.objgen == pdf.pages[0].obj.objgen
                    listed = parents[int(xobject.StructParents)][int(item.MCID)]
                    assert listed.objgen == element.objgen
                    references += 1
        assert references >= 4   # logo, wordmark, return line, the sender's colofon lines
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(parents) + 1


def test_letters_of_one_sender_share_one_stamp(monkeypatch):
    """The sender's part is laid out once: a second letter of the sender lays out no head; a
    letter of another sender (or unit) gets its own."""
    made = []
    original = letterhead._make
    monkeypatch.setattr(letterhead, "_make", lambda rendered: made.append(1) or original(rendered))
    writer.kit().stamps.clear()
    by_name = {p.stem: p for p in TEST_LETTERS}
    jenv = [by_name["long-letter"], by_name["nested-lists"]]          # the ministry itself
    nctv = [by_name["2019-12-09-aanbieding-dtn-51"],                   # one of its units
            by_name["2023-12-12-dreigingsbeeld-december-2023"]]
    for path in jenv:
        writer.render_pdf(composed(path))
    assert len(made) == 1
    for path in nctv:
        writer.render_pdf(composed(path))
    assert len(made) == 2


def test_a_letterhead_of_another_shape_is_refused_with_a_sentence():
    with pikepdf.open(io.BytesIO(whole_pdf(TEST_LETTERS[0]))) as pdf:
        # the whole letter's tree has four parts at the top, not the head's three Divs
        with pytest.raises(pdfua.TagTreeError, match="PDF/UA step: expected Div .logo."):
            letterhead._shape(pdfua.document_element(pdf))
