"""Typography of a real letter (issue 12): breaks, keeps and Dutch text rules, alike in the PDF
and in Word (read from the .docx, and laid out by LibreOffice).

The letters in tests/fixtures/typography/ are made to hit each rule: every no-break case pushed
across a line end, headings, labels and list lead-ins at every place near a page foot, a
60-character compound in the body and the colofon with a long URL and code and a subject of two
lines, and 3 and 4 signatories (4 is the limit of kamerbrief.letter.limits).
"""

from __future__ import annotations

import io
import math
import os
import subprocess

import pdfplumber
import pytest

from kamerbrief.document import readable
from kamerbrief.layout import MM_PER_PT, load_layout
from outputs import ROOT, Outputs, pdf_pages
from word_helpers import FONTS_CONF, NS, W, soffice, style_of, xml

L = load_layout()
FIXTURES = ROOT / "tests" / "fixtures" / "typography"
NO_BREAK, KEEPS, LONG_WORDS = (FIXTURES / f"{n}.yaml" for n in ("no-break", "keeps", "long-words"))
SIGNATORIES = {n: FIXTURES / f"signatories-{n}.yaml" for n in (3, 4)}  # 4: the limit
ALL = [NO_BREAK, KEEPS, LONG_WORDS, *SIGNATORIES.values()]
CASES = ["29 754", "nr. 12", "art. 5", "€ 10 mln", "9 december 2019", "D. Yeşilgöz",
         "2021–2022", "1 t/m 5"]
KEPT = ("Kop nummer", "Vraag ", "De volgende punten zijn van belang:")
BODY_RIGHT_MM = L.body.x_mm + L.body.width_mm
needs_office = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """LibreOffice's PDF of each typography letter's .docx (one LibreOffice run for all)."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("typography-office")
    sources = []
    for path in ALL:
        source = folder / f"{path.stem}.docx"
        source.write_bytes(Outputs(path).docx)
        sources.append(str(source))
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run([soffice(), f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder), *sources],
                   env=env, capture_output=True, timeout=300, check=True)
    return {path: pdf_pages((folder / f"{path.stem}.pdf").read_bytes()) for path in ALL}


def ours(path):
    return Outputs(path).pages


def mm(points: float) -> float:
    return points * MM_PER_PT


def body_lines(page) -> list[tuple[float, str]]:
    """(top mm, text) of the body-size lines left of the colofon, below the letterhead."""
    rows: dict[int, list[dict]] = {}
    for w in page.words:
        if w["size"] >= L.type.body_size_pt - 0.5 and mm(w["x0"]) < L.colofon.x_mm - 1 \
                and mm(w["top"]) > L.body.follow_top_mm - 2:
            rows.setdefault(round(w["top"] / 3), []).append(w)
    return [(mm(ws[0]["top"]), readable(" ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"]))))
            for _, ws in sorted(rows.items())]


def text_lines(pages) -> list[str]:
    return [readable(line) for page in pages for line in page.text.splitlines()]


# -- no-break rules -------------------------------------------------------------------------

def check_no_breaks(pages, where: str) -> None:
    lines = text_lines(pages)
    signed = [readable(p.name) for p in Outputs(NO_BREAK).doc.signatories]
    for case in CASES:
        whole = sum(line.count(case) for line in lines)
        expected = 30 + sum(case in name for name in signed)  # 30 paragraphs, the signature
        assert whole == expected, f"{where}: {case!r} whole on a line {whole} of {expected}"
        assert any(line.startswith(case) for line in lines), \
            f"{where}: {case!r} never reached a line end (the test letter misses the rule)"


def test_no_break_cases_stay_on_one_line_in_the_pdf():
    check_no_breaks(ours(NO_BREAK), "PDF")


@needs_office
def test_no_break_cases_stay_on_one_line_in_word(office):
    check_no_breaks(office[NO_BREAK], "Word")
    body = xml(Outputs(NO_BREAK).docx, "word/document.xml")
    text = "".join(t.text or "" for t in body.iter(W + "t"))
    assert "29\u00a0754" in text and "2021–\u20602022" in text


def test_copied_pdf_text_reads_normally():
    """No-break spaces copy as spaces and word joiners as nothing: the text reads as written."""
    with pdfplumber.open(io.BytesIO(Outputs(NO_BREAK).pdf)) as pdf:
        raw = pdf.pages[0].extract_text()
    assert "\u2060" not in raw and "\u00ad" not in raw
    assert "29 754 en verder" in raw.replace("\u00a0", " ")


# -- keeps ----------------------------------------------------------------------------------

def check_keeps(pages, where: str) -> None:
    starts = []
    for number, page in enumerate(pages[:-1], start=1):
        lines = body_lines(page)
        last = lines[-1][1]
        assert not last.startswith(KEPT), f"{where}: page {number} ends with {last!r}"
        starts.append(body_lines(pages[number])[0][1])
    assert any(s.startswith(KEPT) for s in starts), f"{where}: no kept line met a page end"


def test_headings_labels_and_lead_ins_stay_with_what_follows_in_the_pdf():
    check_keeps(ours(KEEPS), "PDF")


@needs_office
def test_headings_labels_and_lead_ins_stay_with_what_follows_in_word(office):
    check_keeps(office[KEEPS], "Word")


def signature_page_lines(pages) -> list[str]:
    """The body lines on the page of the closing, up to the closing."""
    for page in pages:
        lines = [text for _, text in body_lines(page)]
        if "Hoogachtend," in lines:
            return lines[:lines.index("Hoogachtend,")]
    raise AssertionError("no closing")


@pytest.mark.parametrize("sentences", range(52, 62))
def test_the_signatures_never_start_a_page_alone(write_letter, sentences):
    """A body that ends near the page foot: the closing and the signatures take at least the
    last two lines of the body along to the next page."""
    from conftest import MINIMAL
    from kamerbrief.compose import compose_file
    from kamerbrief.writers.pdf.writer import render_pdf

    text = " ".join(["Dit is een zin die alleen dient om de regel te vullen."] * sentences)
    letter = MINIMAL.replace("      Een alinea.", "      " + text) + "closing: Hoogachtend,\n"
    pages = pdf_pages(render_pdf(compose_file(write_letter(letter))))
    above = signature_page_lines(pages)
    if len(pages) > 1:
        assert len(above) >= 2, f"{len(above)} body line(s) with the signatures"
    last = [text for _, text in body_lines(pages[-1])]
    assert last[-1] == readable("A. Proef")


# -- long words, the subject row --------------------------------------------------------------

def check_inside(pages, where: str) -> None:
    first = pages[0]
    for w in first.words:
        x0, x1 = mm(w["x0"]), mm(w["x1"])
        if x0 >= L.colofon.x_mm - 1:
            assert x1 <= L.colofon.x_mm + L.colofon.width_mm + 0.5, f"{where}: {w['text']!r}"
        elif mm(w["top"]) >= L.datum.top_mm - 1:
            assert x1 <= BODY_RIGHT_MM + 0.5, f"{where}: {w['text']!r} runs off the body"


def check_subject_above_body(pages, where: str) -> None:
    lines = body_lines(pages[0])
    subject = [top for top, text in lines if text.startswith("Betreft")]
    (opening,) = [top for top, text in lines if text == "Geachte voorzitter,"]
    second = [top for top, text in lines if text.startswith("versterking van de weerbaarheid")]
    assert subject and second, f"{where}: the subject takes two lines"
    assert opening >= second[0] + L.type.body_leading_pt * MM_PER_PT * 2, \
        f"{where}: the subject row runs into the body"


def test_long_words_break_and_never_overflow_in_the_pdf():
    pages = ours(LONG_WORDS)
    check_inside(pages, "PDF")
    check_subject_above_body(pages, "PDF")
    colofon = [w["text"] for w in pages[0].words if mm(w["x0"]) >= L.colofon.x_mm - 1]
    assert any(t.endswith("\u2010") for t in colofon), "the compound is hyphenated"


@needs_office
def test_long_words_break_and_never_overflow_in_word(office):
    check_inside(office[LONG_WORDS], "Word")
    check_subject_above_body(office[LONG_WORDS], "Word")
    data = Outputs(LONG_WORDS).docx
    assert xml(data, "word/header1.xml").find(".//w:softHyphen", NS) is not None
    assert xml(data, "word/document.xml").find(".//w:softHyphen", NS) is not None
    settings = xml(data, "word/settings.xml")
    assert settings.find("w:autoHyphenation", NS) is not None


# -- signatories ----------------------------------------------------------------------------

@pytest.mark.parametrize("count", [3, 4])
def test_signatories_go_on_in_rows_of_two_with_every_name(count, built):
    out = built(SIGNATORIES[count])
    doc, pages = out.doc, out.pages
    column = (L.body.width_mm + L.signature.column_gap_mm) / L.signature.per_row
    found = []
    for index, person in enumerate(doc.signatories):
        name = readable(person.name)
        hits = [(number, top, x) for number, page in enumerate(pages)
                for top, x, text in _line_starts(page) if text.startswith(name)]
        assert hits, f"{name} is not printed"
        found.append(hits[0])
        expected_x = L.body.x_mm + (index % L.signature.per_row) * column
        assert hits[0][2] == pytest.approx(expected_x, abs=1.0), name
    rows = [found[i:i + 2] for i in range(0, count, 2)]
    leading = L.type.body_leading_pt * MM_PER_PT
    for row in rows:  # side by side on one page; a name lower by a wrapped title line at most
        assert len({n for n, _, _ in row}) == 1
        assert max(t for _, t, _ in row) - min(t for _, t, _ in row) <= leading + 0.5
    assert [(n, top) for n, top, _ in (row[0] for row in rows)] == sorted(
        (n, top) for n, top, _ in (row[0] for row in rows))
    table = xml(out.docx, "word/document.xml").find(".//w:tbl", NS)
    word_rows = table.findall("w:tr", NS)
    assert len(word_rows) == math.ceil(count / 2)
    cells = ["".join(t.text or "" for t in tc.iter(W + "t")) for tr in word_rows
             for tc in tr.findall("w:tc", NS)]
    for person in doc.signatories:
        assert sum(readable(person.name) in readable(cell) for cell in cells) == 1
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in word_rows)


def _line_starts(page):
    """(top mm, x0 mm, text from there to the end of the column) per body word."""
    words = sorted(page.words, key=lambda w: (round(w["top"]), w["x0"]))
    out = []
    for i, w in enumerate(words):
        rest = [v for v in words[i:] if round(v["top"]) == round(w["top"])
                and v["x0"] - w["x0"] < mm(0) + (L.body.width_mm / 2) / MM_PER_PT]
        out.append((mm(w["top"]), mm(w["x0"]), readable(" ".join(v["text"] for v in rest))))
    return out


@needs_office
@pytest.mark.parametrize("count", [3, 4])
def test_every_signatory_is_printed_by_word(office, count, built):
    lines = " ".join(text_lines(office[SIGNATORIES[count]]))
    for person in built(SIGNATORIES[count]).doc.signatories:
        assert readable(person.name) in lines


# -- Word's paragraph properties, and the same pages --------------------------------------------

def test_word_keeps_are_in_the_styles(built):
    data = built(KEEPS).docx
    styles = {s.get(W + "styleId"): s for s in xml(data, "word/styles.xml").iterfind("w:style", NS)}

    def has(style: str, prop: str) -> bool:
        return styles[style].find(f"w:pPr/w:{prop}", NS) is not None

    assert has("Normal", "widowControl")
    root = xml(data, "word/styles.xml")
    lang = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(W + "val") == "nl-NL"  # the text is Dutch: Word hyphenates it as Dutch
    for style in ("Heading1", "Heading2", "Heading3", "Blijftbijvolgende", "Aanhef",
                  "Slotformule", "Signature"):
        assert has(style, "keepNext"), style
    body = xml(data, "word/document.xml")
    kept = [("".join(t.text or "" for t in p.iter(W + "t"))) for p in body.iter(W + "p")
            if style_of(p) == "Blijftbijvolgende"]
    assert any(t.startswith("Vraag ") for t in kept)
    assert any(t.startswith("De volgende punten") for t in kept)


@needs_office
@pytest.mark.parametrize("letter", ALL, ids=lambda p: p.stem)
def test_word_and_pdf_break_on_the_same_pages(office, letter):
    """The same number of pages, and (but for the no-break letter: 240 paragraphs set right at
    the line end, where LibreOffice and WeasyPrint may differ by a line) each page begins with
    the same body line."""
    pdf, word = ours(letter), office[letter]
    assert len(word) == len(pdf)
    if letter == NO_BREAK:
        return
    firsts = [[text for _, text in body_lines(page)][:1] for page in pdf]
    assert firsts == [[text for _, text in body_lines(page)][:1] for page in word]
