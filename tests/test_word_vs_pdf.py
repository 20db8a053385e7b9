"""The .docx, rendered by LibreOffice, against our own PDF: the same letter on the same pages."""

from __future__ import annotations

import re

import pytest

from kamerbrief.layout import MM_PER_PT, load_layout
from outputs import pdf_pages
from word_helpers import (LETTERS, LONG_LETTER, NS, W, composed, convert_with_libreoffice,
                          docx_of, soffice, xml)

L = load_layout()
CASES = [*LETTERS, LONG_LETTER]
TOLERANCE_MM = 3

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, built):
    """Per letter (made once per session): LibreOffice's PDF of the .docx and our own PDF."""
    folder = tmp_path_factory.mktemp("word-vs-pdf")
    cache = {}

    def get(letter):
        if letter not in cache:
            office, _ = convert_with_libreoffice(built(letter).docx, folder, letter.stem)
            cache[letter] = (office.read_bytes(), built(letter).pdf)
        return cache[letter]
    return get


def _words(data: bytes):
    """Per page: pdfplumber words (text, x0 mm, top mm, size pt), parsed once per session."""
    return [[(w["text"], w["x0"] * MM_PER_PT, w["top"] * MM_PER_PT, w["size"]) for w in page.words]
            for page in pdf_pages(data)]


def _body_text(pages) -> str:
    """The body-size text left of the colofon, in reading order, without spaces.

    The letterhead above the body (wordmark) and small text (footnotes, calls, return address, colofon, page numbers) is left out: the two
    renderers may break a page one line apart, which moves notes relative to the body text.
    """
    out = []
    for words in pages:
        big = [w for w in words if w[3] >= L.type.body_size_pt - 0.5
               and w[1] < L.colofon.x_mm - 1 and w[2] > L.body.follow_top_mm - 1]
        big.sort(key=lambda w: (round(w[2] / 2), w[1]))  # lines (2 mm bands), then left to right
        out.append("".join(w[0] for w in big))
    return "".join(out).replace("\u2010", "-")  # a hyphenated word: WeasyPrint's hyphen U+2010


def _first(pages, text, page=0, left_of=None, right_of=None):
    for word in pages[page]:
        if word[0] == text and (left_of is None or word[1] < left_of) \
                and (right_of is None or word[1] >= right_of):
            return word
    raise AssertionError(f"{text!r} not on page {page + 1}")


@pytest.mark.parametrize("letter", CASES, ids=lambda p: p.stem)
def test_same_number_of_pages(rendered, letter):
    office, ours = map(_words, rendered(letter))
    assert len(office) == len(ours)


@pytest.mark.parametrize("letter", CASES, ids=lambda p: p.stem)
def test_same_words_in_the_same_order(rendered, letter):
    office, ours = map(_words, rendered(letter))
    a, b = _body_text(office), _body_text(ours)
    if a != b:
        at = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y) if a[:len(b)] != b[:len(a)] \
            else min(len(a), len(b))
        pytest.fail(f"texts differ at {at}: Word …{a[at - 40:at + 40]}… PDF …{b[at - 40:at + 40]}…")


@pytest.mark.parametrize("letter", CASES, ids=lambda p: p.stem)
def test_datum_first_body_line_and_colofon_in_place(rendered, letter):
    doc = composed(letter)
    office, ours = map(_words, rendered(letter))
    first_word = next(t for t in re.split(r"\s+", doc.opening or "") if t) if doc.opening else None
    if first_word is None:
        from kamerbrief.document import plain_text
        first_word = plain_text(doc.blocks[0].inlines).split()[0]
    probes = [("Datum", dict(left_of=L.colofon.x_mm - 1)),
              (first_word, dict(left_of=L.colofon.x_mm - 1)),
              (doc.sender.colofon_name.split()[0], dict(right_of=L.colofon.x_mm - 1))]
    for text, where in probes:
        a, b = _first(office, text, **where), _first(ours, text, **where)
        assert abs(a[1] - b[1]) <= TOLERANCE_MM, f"{text}: x {a[1]:.1f} vs {b[1]:.1f} mm"
        assert abs(a[2] - b[2]) <= TOLERANCE_MM, f"{text}: top {a[2]:.1f} vs {b[2]:.1f} mm"


def _note_markers(pages) -> list[int]:
    """Footnote numbers at the left edge of the note area, in page order."""
    out = []
    for words in pages:
        for text, x, top, size in sorted(words, key=lambda w: (w[2], w[1])):
            if size < L.type.body_size_pt - 0.5 and abs(x - L.body.x_mm) < 1 and text.isdigit() \
                    and top > L.body.follow_top_mm:
                out.append(int(text))
    return out


def _in_order(expected: list[int], found: list[int]) -> bool:
    it = iter(found)
    return all(any(n == f for f in it) for n in expected)


@pytest.mark.parametrize("letter", CASES, ids=lambda p: p.stem)
def test_footnote_count_and_numbering_equal_the_pdf(rendered, letter):
    doc = composed(letter)
    data = docx_of(letter)
    ids = [int(f.get(W + "id")) for f in xml(data, "word/footnotes.xml").iterfind("w:footnote", NS)
           if f.get(W + "type") is None]
    expected = [n.number for n in doc.footnotes]
    assert ids == expected
    office, ours = map(_words, rendered(letter))
    for name, pages in (("LibreOffice", office), ("PDF", ours)):
        markers = _note_markers(pages)
        assert _in_order(expected, markers), f"{name} note numbers {markers}"
        assert max(markers, default=0) == len(expected), f"{name} note numbers {markers}"
