"""Both writers print what the Document says, block by block, so they cannot drift apart.

For every letter in letters/ and the test letters (the long letter, lists nested four deep) the
texts of the colofon (page 1 and the short one), the return line, the recipient, the Datum and
subject rows, the body with every list marker, the signatories, the logo's alt text and the
page labels are read back from the PDF (pdfplumber, pikepdf) and from the .docx (its XML; a list
paragraph's marker from the numbering definition of its level) and compared with the Document.
"""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from kamerbrief import document as d
from kamerbrief.layout import MM_PER_PT, load_layout
from outputs import NESTED_LISTS, TEST_LETTERS
from word_helpers import NS, W, paragraphs, parts, style_of, xml

L = load_layout()
BODY_SIZE = L.type.body_size_pt
CASES = pytest.mark.parametrize("letter", TEST_LETTERS, ids=lambda path: path.stem)


def squash(text: str) -> str:
    """Text without whitespace, word joiners and hyphenation hyphens (U+2010): the words."""
    return re.sub(r"[\s\u2060\u2010\u00ad]+", "", text)


def entry_text(entries) -> str:
    return squash("".join((e.label or "") + "".join(e.lines) for e in entries))


def inline_text(inlines) -> str:
    """What a reader sees of inline runs in the body size (footnote calls are small)."""
    return "".join(item.text if isinstance(item, d.Run) else " " if isinstance(item, d.LineBreak)
                   else "" for item in inlines)


def block_items(blocks, out: list[str]) -> list[str]:
    """The body as printed, one string per paragraph, list items with their markers."""
    for block in blocks:
        if isinstance(block, (d.Heading, d.Paragraph)):
            out.append(inline_text(block.inlines))
        elif isinstance(block, d.Quote):
            block_items(block.blocks, out)
        else:
            for marker, item in zip(block.markers, block.items):
                first, *rest = item or (d.Paragraph(()),)
                if isinstance(first, (d.Paragraph, d.Heading)):
                    out.append(marker + inline_text(first.inlines))
                else:
                    out.append(marker)
                    rest = [first, *rest]
                block_items(rest, out)
    return out


def expected_body(doc: d.Document) -> list[str]:
    """Rows, opening, blocks (with markers) and closing, one string per paragraph."""
    out = [row.label + row.value for row in doc.rows]
    out += [doc.opening] if doc.opening else []
    block_items(doc.blocks, out)
    out += [doc.closing] if doc.closing else []
    return [squash(text) for text in out]


# -- the PDF --------------------------------------------------------------------------------

def mm(value: float) -> float:
    return value * MM_PER_PT


def words_in(page, x0: float, top0: float, x1: float, top1: float, small: bool | None = None):
    """Words whose top-left corner lies in the box (mm), in reading order."""
    found = [w for w in page.words if x0 <= mm(w["x0"]) < x1 and top0 <= mm(w["top"]) < top1
             and (small is None or (w["size"] < BODY_SIZE - 0.5) == small)]
    return sorted(found, key=lambda w: (round(w["top"]), w["x0"]))


def text_of(words) -> str:
    return squash("".join(w["text"] for w in words))


def pdf_colofon(page) -> str:
    return text_of(words_in(page, L.colofon.x_mm - 1, L.colofon.top_mm - 3,
                            L.page.width_mm, L.page_number.top_mm - 3))


def pdf_body_words(pages) -> list[dict]:
    """Body-size words left of the colofon, below the letterhead, page after page."""
    out = []
    for number, page in enumerate(pages):
        top = (L.datum.top_mm if number == 0 else L.body.follow_top_mm) - 1
        out += words_in(page, 0, top, L.colofon.x_mm - 1, L.page.height_mm, small=False)
    return out


def pdf_signatures(doc: d.Document, pages, body_chars: int) -> list[str]:
    """The signature block: the words after the body, per signatory column."""
    words, seen = pdf_body_words(pages), 0
    while words and seen < body_chars:
        seen += len(squash(words.pop(0)["text"]))
    count = len(doc.signatories)
    width = (L.body.width_mm - L.signature.column_gap_mm * (count - 1)) / count
    columns = [""] * count
    for w in words:
        index = int((mm(w["x0"]) - L.body.x_mm + 0.5) // (width + L.signature.column_gap_mm))
        columns[min(index, count - 1)] += w["text"]
    return columns


def pdf_alt_texts(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(obj.Alt) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
                and "/Alt" in obj]


# -- the .docx ------------------------------------------------------------------------------

def run_text(p) -> str:
    """Visible body-size text of a paragraph: footnote references and their numbers left out."""
    out = []
    for run in p.iter(W + "r"):
        style = run.find("w:rPr/w:rStyle", NS)
        if style is not None and style.get(W + "val") == "FootnoteReference":
            continue
        for node in run:
            if node.tag == W + "t":
                out.append(node.text or "")
            elif node.tag in (W + "br", W + "tab"):
                out.append(" ")
    return "".join(out)


class Numbering:
    """The list definitions of a .docx: the printed marker of each list paragraph (its own
    numbering, else its style's)."""

    def __init__(self, root, styles):
        self.abstract = {a.get(W + "abstractNumId"): a for a in root.iterfind("w:abstractNum", NS)}
        self.nums = {n.get(W + "numId"): n for n in root.iterfind("w:num", NS)}
        self.styles = {s.get(W + "styleId"): s for s in styles.iterfind("w:style", NS)}
        self.counters: dict[tuple[str, int], int] = {}

    def numbering_of(self, p) -> tuple[str | None, int]:
        """(numId, ilvl) of a paragraph: its numPr over its style's (and the style's bases)."""
        num_id, ilvl = None, None
        chain, style = [p], self.styles.get(style_of(p))
        while style is not None:
            chain.append(style)
            based = style.find("w:basedOn", NS)
            style = self.styles.get(based.get(W + "val")) if based is not None else None
        for element in chain:
            num_pr = element.find("w:pPr/w:numPr", NS)
            if num_pr is None:
                continue
            if num_id is None and num_pr.find("w:numId", NS) is not None:
                num_id = num_pr.find("w:numId", NS).get(W + "val")
            if ilvl is None and num_pr.find("w:ilvl", NS) is not None:
                ilvl = int(num_pr.find("w:ilvl", NS).get(W + "val"))
        return num_id, ilvl or 0

    def marker(self, p) -> str | None:
        num_id, ilvl = self.numbering_of(p)
        if num_id is None or num_id == "0":
            return None
        num = self.nums[num_id]
        lvl = self.abstract[num.find("w:abstractNumId", NS).get(W + "val")].find(
            f"w:lvl[@w:ilvl='{ilvl}']", NS)
        start = int(lvl.find("w:start", NS).get(W + "val"))
        override = num.find(f"w:lvlOverride[@w:ilvl='{ilvl}']/w:startOverride", NS)
        if override is not None:
            start = int(override.get(W + "val"))
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        kind = lvl.find("w:numFmt", NS).get(W + "val")
        text = lvl.find("w:lvlText", NS).get(W + "val")
        if kind == "bullet":
            return text
        return text.replace(f"%{ilvl + 1}", d.format_number(kind, self.counters[key]))


ROW_STYLES = ("Datum", "Betreft")                 # the Datum and subject rows
SIGNATURE_STYLES = ("Signature", "Ondertekeninginrij", "Ondertekenaar")  # the signatories' title and name lines


def flow(element):
    """The paragraphs and tables of a body in order, looking through content controls."""
    for child in element:
        if child.tag == W + "sdt":
            yield from flow(child.find("w:sdtContent", NS))
        elif child.tag in (W + "p", W + "tbl"):
            yield child


def word_body(data: bytes) -> tuple[list[str], list[str]]:
    """(rows and paragraph texts with their list markers, signatory texts), in order."""
    body = xml(data, "word/document.xml").find("w:body", NS)
    numbering = Numbering(xml(data, "word/numbering.xml"), xml(data, "word/styles.xml"))
    texts, signatures = [], []
    for child in flow(body):
        if child.tag == W + "tbl":  # signatories side by side
            signatures += [squash("".join(run_text(p) for p in cell.iterfind(".//w:p", NS)))
                           for cell in child.iterfind(".//w:tc", NS)]
        elif style_of(child) in SIGNATURE_STYLES:
            signatures.append(squash(run_text(child)))
        elif child.find("w:pPr/w:framePr", NS) is None or style_of(child) in ROW_STYLES:
            text = squash((numbering.marker(child) or "") + run_text(child))
            if text:
                texts.append(text)
    if not any(c.tag == W + "tbl" for c in flow(body)):  # one signatory: its lines together
        signatures = ["".join(signatures)]
    return texts, [s for s in signatures if s]


def word_framed(data: bytes, part: str, x_mm: float) -> list:
    """Framed paragraphs of a part placed at `x_mm` (the colofon, return line, recipient)."""
    from kamerbrief.writers.word.ooxml import twips_mm

    return [p for p in paragraphs(xml(data, part))
            if (frame := p.find("w:pPr/w:framePr", NS)) is not None
            and frame.get(W + "x") == str(twips_mm(x_mm))]


def word_page_label(data: bytes, part: str) -> str:
    """The footer's text with its PAGE/NUMPAGES fields written as {page}/{pages}."""
    out, in_result = [], False
    for node in xml(data, part).iter(W + "t", W + "instrText", W + "fldChar"):
        if node.tag == W + "fldChar":
            in_result = node.get(W + "fldCharType") == "separate"
        elif node.tag == W + "instrText":
            field = node.text.split()[0]
            out.append({"PAGE": "{page}", "NUMPAGES": "{pages}"}[field])
        elif not in_result:
            out.append(node.text or "")
    return "".join(out)


# -- the comparisons --------------------------------------------------------------------------

@CASES
def test_colofons_are_the_documents(letter, built):
    out = built(letter)
    doc, pages, data = out.doc, out.pages, out.docx
    assert pdf_colofon(pages[0]) == entry_text(doc.colofon)
    word = squash("".join(run_text(p) for p in word_framed(data, "word/header1.xml",
                                                            L.colofon.x_mm)))
    assert word == entry_text(doc.colofon)
    short = squash("".join(run_text(p) for p in word_framed(data, "word/header2.xml",
                                                             L.colofon.x_mm)))
    assert short == entry_text(doc.short_colofon)
    for page in pages[1:]:
        assert pdf_colofon(page) == entry_text(doc.short_colofon)


@CASES
def test_return_line_recipient_and_logo_are_the_documents(letter, built):
    out = built(letter)
    doc, page, data = out.doc, out.pages[0], out.docx
    ra, rc = L.return_address, L.recipient
    assert text_of(words_in(page, ra.x_mm - 1, ra.top_mm - 1, ra.x_mm + ra.width_mm,
                            rc.top_mm - 1)) == squash(doc.return_line)
    assert text_of(words_in(page, rc.x_mm - 1, rc.top_mm - 1, rc.x_mm + rc.width_mm,
                            L.datum.top_mm - 1)) == squash("".join(doc.recipient))
    framed = {style_of(p): p for p in word_framed(data, "word/document.xml", ra.x_mm)}
    word_return, word_recipient = framed["Retouradres"], framed["Adres"]
    assert run_text(word_return) == doc.return_line
    assert squash(run_text(word_recipient)) == squash("".join(doc.recipient))
    assert pdf_alt_texts(out.pdf) == [doc.logo_alt]
    for header in ("word/header1.xml", "word/header2.xml"):
        descriptions = [e.get("descr") for e in xml(data, header).iter()
                        if e.tag.endswith("}docPr")]
        assert descriptions == [doc.logo_alt]


@CASES
def test_body_rows_and_list_markers_are_the_documents(letter, built):
    """Rows, opening, every paragraph and list item with its marker, closing: the same text in
    the same order in the PDF and in Word (markers to level four)."""
    out = built(letter)
    expected = expected_body(out.doc)
    word, _ = word_body(out.docx)
    assert word == expected
    pdf = text_of(pdf_body_words(out.pages))
    assert pdf.startswith("".join(expected)), "PDF body differs from the Document"


@CASES
def test_signatories_are_the_documents(letter, built):
    out = built(letter)
    doc = out.doc
    expected = [squash("".join(s.lines)) for s in doc.signatories]
    _, word = word_body(out.docx)
    assert word == expected
    body_chars = len("".join(expected_body(doc)))
    assert pdf_signatures(doc, out.pages, body_chars) == expected


@CASES
def test_page_labels_are_the_documents(letter, built):
    out = built(letter)
    doc, pages = out.doc, out.pages
    for number, page in enumerate(pages, start=1):
        label = words_in(page, L.colofon.x_mm - 1, L.page_number.top_mm - 5, L.page.width_mm,
                         L.page.height_mm)
        assert text_of(label) == squash(doc.page_label.format(page=number, pages=len(pages)))
    for footer in ("word/footer1.xml", "word/footer2.xml"):
        assert word_page_label(out.docx, footer) == doc.page_label


def test_the_nested_letter_has_lists_four_deep_of_both_kinds(built):
    """The test letter really reaches level four with bullets and with numbers, and both writers
    print the layout's marker for each level."""
    doc = built(NESTED_LISTS).doc
    seen: set[tuple[bool, int, str]] = set()

    def walk(blocks):
        for block in blocks:
            if isinstance(block, d.ListBlock):
                seen.update((block.ordered, block.level, m) for m in block.markers)
                for item in block.items:
                    walk(item)
    walk(doc.blocks)
    for level in range(4):
        assert (False, level, L.lists.bullets[level]) in seen
        first = d.ListLevel(L.lists.bullets[level], L.lists.numbered[level]).marker(True, 1)
        assert (True, level, first) in seen
    word, _ = word_body(built(NESTED_LISTS).docx)
    assert squash("– punt op niveau vier") in word
    assert {"1.", "a.", "i."} <= {m for (_, _, m) in seen}


def test_word_list_definitions_follow_the_layout_to_level_four(built):
    """Each level's definition in numbering.xml carries the layout's marker."""
    numbering = xml(built(NESTED_LISTS).docx, "word/numbering.xml")
    kinds = []
    for abstract in numbering.iterfind("w:abstractNum", NS):
        levels = abstract.findall("w:lvl", NS)[:4]
        kinds.append([(lvl.find("w:numFmt", NS).get(W + "val"),
                       lvl.find("w:lvlText", NS).get(W + "val")) for lvl in levels])
    bullets = [("bullet", b) for b in L.lists.bullets[:4]]
    numbered = []
    for ilvl, fmt in enumerate(L.lists.numbered[:4]):
        before, kind, after = d.ListLevel("", fmt).number_parts()
        numbered.append((kind, f"{before}%{ilvl + 1}{after}"))
    assert bullets in kinds and numbered in kinds
    assert parts(built(NESTED_LISTS).docx)["word/numbering.xml"].count(b"<w:abstractNum ") == 2
