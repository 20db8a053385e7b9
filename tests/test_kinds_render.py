"""Letter kinds antwoorden and uitstel, on the finished files: both papers in both formats and
the Aanhangsel preview; no "Vraag n" / "Antwoord n" label ends a page (PDF, and Word as
LibreOffice renders it); labels tagged as headings; archive, accessibility and OOXML checks;
"Uw kenmerk" and "Uw brief van" in the colofon of both formats."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path

import page as page_validation
import pdfplumber
import pytest

from kamerbrief.batch.build import build
from kamerbrief.compose import compose_papers
from kamerbrief.layout import load_layout
from kamerbrief.writers.pdf.writer import render_pdf
from kamerbrief.writers.word.writer import render_docx

from conftest import LETTERS
from word_helpers import W, convert_with_libreoffice, soffice

ANSWERS = LETTERS / "2026-02-10-antwoorden-kamervragen-algoritmes-gemeenten.yaml"
UITSTEL = LETTERS / "2026-01-30-uitstel-kamervragen-algoritmes-gemeenten.yaml"
STEM = ANSWERS.stem
LABEL = re.compile(r"^(Vraag|Antwoord) (\d+)$")
L = load_layout()
SMALL = L.type.small_size_pt + 0.01


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    """The two example letters built as a user does: every output file by name."""
    out = tmp_path_factory.mktemp("kinds")
    results = build([ANSWERS, UITSTEL], out, ("pdf", "docx", "aanhangsel"), jobs=1)
    assert [r.status for r in results] == ["built", "built"], [r.problems for r in results]
    assert [p for r in results for p in r.problems] == []
    return {path.name: path.read_bytes() for path in out.iterdir() if not path.name.startswith(".")}


def test_both_papers_in_both_formats_and_the_aanhangsel_preview(built):
    assert sorted(built) == sorted([
        f"{STEM}.pdf", f"{STEM}.docx", f"{STEM}-antwoorden.pdf", f"{STEM}-antwoorden.docx",
        f"{STEM}-antwoorden.aanhangsel.pdf", f"{UITSTEL.stem}.pdf", f"{UITSTEL.stem}.docx"])


def body_lines(data: bytes) -> list[list[str]]:
    """Per page: the text lines of the body (no footnotes, no page number: small type)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines(return_chars=True)
            pages.append([line["text"] for line in lines
                          if any(c["size"] > SMALL for c in line["chars"] if c["text"].strip())])
    return pages


def labels_in_order(pages: list[list[str]]) -> list[str]:
    return [line for page in pages for line in page if LABEL.match(line)]


def assert_no_label_ends_a_page(pages: list[list[str]], count: int) -> None:
    expected = [f"{word} {n}" for n in range(1, count + 1) for word in ("Vraag", "Antwoord")]
    assert labels_in_order(pages) == expected
    for number, page in enumerate(pages[:-1], start=1):
        assert page and not LABEL.match(page[-1]), f"page {number} ends with {page[-1]!r}"


def test_the_answers_pdf_has_every_label_in_order_none_ending_a_page(built):
    pages = body_lines(built[f"{STEM}-antwoorden.pdf"])
    assert len(pages) >= 3
    assert_no_label_ends_a_page(pages, 12)
    assert " ".join(pages[0][:2]).startswith("Antwoorden op Kamervragen van de leden De Vries "
                                             "(D66), Jansen (CDA) en Bakker (SP) over")


def test_the_answers_pdf_has_no_letterhead_but_page_numbers_and_notes(built):
    with pdfplumber.open(io.BytesIO(built[f"{STEM}-antwoorden.pdf"])) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        count = len(pdf.pages)
        for number, text in enumerate(texts, start=1):
            assert f"Pagina {number} van {count}" in text
        everything = " ".join(" ".join(texts).split())
        for absent in ("Retouradres", "Ons kenmerk", "Betreft", "Hoogachtend", "Voorbeeld"):
            assert absent not in everything
        # one footnote series: the notes of questions (1, 4) and answers (2, 3, 5 ...)
        assert "1 NOS, «Gemeenten laten computer beslissen" in everything
        assert "7 Verordening (EU) 2024/1689" in everything
        assert "Zie het antwoord op vraag 4." in everything


def structure_texts(data: bytes, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(tag, text) of the structure elements of the given kinds, in reading order."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        by_page = {page.page_number: page.chars for page in pdf.pages}

        def mcids(element):
            own = [(element.get("page_number"), m) for m in element.get("mcids") or []]
            for child in element.get("children") or []:
                own += mcids(child)
            return own

        def walk(elements):
            for element in elements:
                if element["type"] in kinds:
                    keys = set(mcids(element))
                    text = "".join(c["text"] for number, chars in by_page.items()
                                   for c in chars if (number, c.get("mcid")) in keys)
                    found.append((element["type"], text))
                walk(element.get("children") or [])

        walk(pdf.structure_tree)
    return found


def test_the_answers_pdf_is_tagged_with_the_title_and_labels_as_headings(built):
    headings = structure_texts(built[f"{STEM}-antwoorden.pdf"], ("H1", "H2", "H3"))
    assert headings[0][0] == "H1" and headings[0][1].startswith("Antwoorden op Kamervragen")
    assert headings[1:] == [("H2", f"{word} {n}") for n in range(1, 13)
                            for word in ("Vraag", "Antwoord")]


def test_the_aanhangsel_preview_has_the_published_heads_and_the_pairs(built):
    data = built[f"{STEM}-antwoorden.aanhangsel.pdf"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert text.startswith("Tweede Kamer der Staten-Generaal Aanhangsel van de Handelingen "
                           "Vragen van de leden De Vries (D66), Jansen (CDA) en Bakker (SP) aan "
                           "de Minister van Binnenlandse Zaken en Koninkrijksrelaties over het "
                           "gebruik van algoritmes bij de toekenning van bijzondere bijstand door "
                           "gemeenten (ingezonden 13 januari 2026). Antwoord van Minister "
                           "Voorbeeld (Binnenlandse Zaken en Koninkrijksrelaties), mede namens "
                           "de Staatssecretaris van Sociale Zaken en Werkgelegenheid (ontvangen "
                           "10 februari 2026). Vraag 1")
    assert "Zie ook Aanhangsel" not in text  # no number yet
    assert "Hoogachtend" not in text and "A.B. Voorbeeld" not in text
    assert_no_label_ends_a_page(body_lines(data), 12)
    headings = structure_texts(data, ("H1", "H2"))
    assert headings[0] == ("H1", "Aanhangsel van de Handelingen")
    assert len(headings) == 25


def test_the_aanhangsel_number_and_vergaderjaar_when_known(tmp_path):
    path = tmp_path / "nr.yaml"
    path.write_text(ANSWERS.read_text(encoding="utf-8").replace(
        "  uitstel_sent:", "  aanhangsel: {vergaderjaar: 2025-2026, nr: 1234}\n  uitstel_sent:"),
        encoding="utf-8")
    answers = compose_papers(path)[1]
    from kamerbrief.writers import writer
    with pdfplumber.open(io.BytesIO(writer("aanhangsel").render(answers))) as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
    assert text.startswith("Tweede Kamer der Staten-Generaal Vergaderjaar 2025–2026 Aanhangsel "
                           "van de Handelingen 1234 Vragen van de leden")
    assert "(ontvangen 10 februari 2026). Zie ook Aanhangsel Handelingen, vergaderjaar " \
           "2025–2026, nr. 1234. Vraag 1" in text


@pytest.mark.parametrize("name", [f"{STEM}.pdf", f"{STEM}-antwoorden.pdf",
                                  f"{STEM}-antwoorden.aanhangsel.pdf", f"{UITSTEL.stem}.pdf"])
@pytest.mark.parametrize("profile", ["2a", "ua1"])
def test_page_validation_reports_no_failures(built, name, profile):
    report = page_validation.validate_pdf_bytes(built[name], profile=profile)
    assert [f"{f.rule_id}: {f.message}" for f in report.failures] == []
    assert report.is_compliant


@pytest.mark.parametrize("name", [f"{STEM}.docx", f"{STEM}-antwoorden.docx",
                                  f"{UITSTEL.stem}.docx"])
def test_openxml_audit_strict_finds_no_errors(built, tmp_path, name):
    from openxml_audit import OpenXmlValidator
    path = tmp_path / name
    path.write_bytes(built[name])
    result = OpenXmlValidator(strict=True).validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors]


def test_colofon_shows_uw_kenmerk_and_uw_brief_van_in_pdf_and_word(built):
    with pdfplumber.open(io.BytesIO(built[f"{STEM}.pdf"])) as pdf:
        colofon = pdf.pages[0].crop((L.colofon.x_mm / 25.4 * 72, 0, pdf.pages[0].width,
                                     pdf.pages[0].height)).extract_text()
    assert "Uw kenmerk\n2026Z00421\nUw brief van\n13 januari 2026\nBijlage(n)\n1" in colofon
    with zipfile.ZipFile(io.BytesIO(built[f"{STEM}.docx"])) as z:
        header = z.read("word/header1.xml").decode()
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", header)
    at = texts.index("Uw kenmerk")
    assert texts[at:at + 6] == ["Uw kenmerk", "2026Z00421", "Uw brief van", "13 januari 2026",
                                "Bijlage(n)", "1"]


def test_the_postponement_letter_reads_its_three_moves(built):
    with pdfplumber.open(io.BytesIO(built[f"{UITSTEL.stem}.pdf"])) as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
    assert ("Geachte voorzitter, De vragen van de leden De Vries (D66), Jansen (CDA) en Bakker "
            "(SP) over het gebruik van algoritmes bij de toekenning van bijzondere bijstand door "
            "gemeenten (ingezonden 13 januari 2026) kunnen tot mijn spijt niet binnen de "
            "gebruikelijke termijn worden beantwoord. De reden van het uitstel is dat voor de "
            "beantwoording informatie nodig is") in text
    assert "De beantwoording zal plaatshebben omstreeks 10 februari 2026. Hoogachtend," in text
    assert "Betreft Uitstel beantwoording Kamervragen over het gebruik van algoritmes" in text


# -- Word: the answers document ---------------------------------------------------------------

def paragraphs(docx: bytes) -> list[tuple[str, str]]:
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in body.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(W + "val") if style is not None else "",
                    "".join(t.text or "" for t in p.iter(W + "t"))))
    return out


def test_the_answers_docx_has_no_letterhead_and_labels_as_headings(built):
    data = built[f"{STEM}-antwoorden.docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        document = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
    assert not [n for n in names if n.startswith("word/header")]
    assert "headerReference" not in document and "titlePg" not in document
    found = paragraphs(data)
    assert found[0][0] == "Heading1" and found[0][1].startswith("Antwoorden op Kamervragen")
    labels = [text for style, text in found if style == "Vraaglabel"]  # a Heading 2 (below)
    assert labels == [f"{word} {n}" for n in range(1, 13) for word in ("Vraag", "Antwoord")]
    assert not [s for s, _ in found if s in ("Retouradres", "Adres", "Datum", "Betreft",
                                             "Signature")]
    assert "Verordening (EU) 2024/1689" in notes and "«Gemeenten laten computer" in notes


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_answers_docx_with_no_label_ending_a_page(built, tmp_path):
    pdf, _ = convert_with_libreoffice(built[f"{STEM}-antwoorden.docx"], tmp_path, "antwoorden")
    pages = body_lines(pdf.read_bytes())
    assert len(pages) >= 3
    assert_no_label_ends_a_page(pages, 12)
    text = "\n".join(line for page in pages for line in page)
    assert "Retouradres" not in text and "Ons kenmerk" not in text


def test_the_answers_docx_labels_are_in_the_named_upright_heading_style(built):
    """A reviewer in Word finds the labels in the style Vraaglabel (a Heading 2, upright, kept
    with the next paragraph), with no direct formatting of their own."""
    from lxml import etree
    data = built[f"{STEM}-antwoorden.docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    (style,) = [s for s in styles.iter(W + "style") if s.get(W + "styleId") == "Vraaglabel"]
    assert style.find(W + "name").get(W + "val") == "Vraaglabel"
    assert style.find(W + "basedOn").get(W + "val") == "Heading2"
    assert style.find(f"{W}rPr/{W}i").get(W + "val") == "0"  # Heading 2 is italic
    assert style.find(f"{W}pPr/{W}keepNext") is not None
    labels = [p for p in body.iter(W + "p")
              if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(W + "val")
              in ("Vraaglabel", "Heading2")]
    assert len(labels) == 24
    for p in labels:
        assert p.find(f"{W}pPr/{W}pStyle").get(W + "val") == "Vraaglabel"
        assert LABEL.match("".join(t.text or "" for t in p.iter(W + "t")))
        assert p.find(f".//{W}rPr/{W}i") is None  # upright by the style, not per run


@pytest.fixture(scope="module")
def final_by_libreoffice(built, tmp_path_factory) -> bytes:
    """The (final) answers .docx as LibreOffice renders it, as PDF."""
    pdf, _ = convert_with_libreoffice(built[f"{STEM}-antwoorden.docx"],
                                      tmp_path_factory.mktemp("final"), "final")
    return pdf.read_bytes()


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_sets_the_answers_labels_upright_and_bold(final_by_libreoffice):
    with pdfplumber.open(io.BytesIO(final_by_libreoffice)) as pdf:
        fonts = {line["text"]: {c["fontname"].split("+")[-1] for c in line["chars"]}
                 for page in pdf.pages for line in page.extract_text_lines(return_chars=True)
                 if LABEL.match(line["text"])}
    assert len(fonts) == 24
    for text, names in fonts.items():
        assert all("Bold" in n and "Oblique" not in n and "Italic" not in n for n in names), \
            (text, names)


# -- labels at every place on the page --------------------------------------------------------

FILLER = ("De beantwoording van deze vraag vraagt om een toelichting van enige lengte, zodat de "
          "labels van de volgende vragen telkens op een andere plaats op de pagina vallen. ")


def shifting_letter(tmp_path: Path, shift: int) -> Path:
    """Twelve questions whose answers grow by a line each: labels land on every line of a page."""
    items = "\n".join(
        f"    - question: Vraag nummer {n} over het onderwerp?\n"
        f"      answer: {FILLER * (1 + (n * 3 + shift) % 9)}" for n in range(1, 13))
    text = ANSWERS.read_text(encoding="utf-8")
    head, rest = text.split("  items:\n", 1)
    path = tmp_path / f"schuif-{shift}.yaml"
    path.write_text(head + "  items:\n" + items + "\n\nclosing: Hoogachtend,\nminister:\n"
                    "  title: De Minister van Binnenlandse Zaken en Koninkrijksrelaties\n"
                    "  name: A.B. Voorbeeld\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("shift", [0, 1, 2, 4])
def test_no_label_ends_a_page_wherever_the_labels_fall(tmp_path, shift):
    answers = compose_papers(shifting_letter(tmp_path, shift))[1]
    pages = body_lines(render_pdf(answers))
    assert len(pages) >= 3
    assert_no_label_ends_a_page(pages, 12)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_no_label_ends_a_page_in_word_wherever_the_labels_fall(tmp_path):
    answers = compose_papers(shifting_letter(tmp_path, 1))[1]
    pdf, _ = convert_with_libreoffice(render_docx(answers), tmp_path, "schuif")
    pages = body_lines(pdf.read_bytes())
    assert len(pages) >= 3
    assert_no_label_ends_a_page(pages, 12)


# -- Word: the answers document of a draft ----------------------------------------------------

MARK_SIZE = L.concept.size_pt - 1  # the CONCEPT mark's type; the body's is far smaller


def draft_answers(tmp_path: Path):
    """The answers paper of the example letter as a draft (status: draft)."""
    path = tmp_path / "concept-antwoorden.yaml"
    path.write_text(ANSWERS.read_text(encoding="utf-8").replace(
        "\nkind: antwoorden\n", "\nkind: antwoorden\nstatus: draft\n"), encoding="utf-8")
    answers = compose_papers(path)[1]
    assert answers.paper == "answers" and answers.draft and answers.mark
    return answers


def headers(docx: bytes) -> dict[str, str]:
    """The section's header references: type -> the visible text of that header."""
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        section = body.find(f"{W}body/{W}sectPr")
        assert section.find(W + "titlePg") is None  # the same header on every page
        R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        return {ref.get(W + "type"): "".join(
                    t.text or "" for t in etree.fromstring(
                        z.read("word/" + target[ref.get(R)])).iter(W + "t"))
                for ref in section.iter(W + "headerReference")}


def test_a_draft_answers_docx_has_only_its_mark_in_the_header_of_every_page(tmp_path):
    answers = draft_answers(tmp_path)
    assert headers(render_docx(answers)) == {"default": answers.mark}
    assert headers(render_docx(compose_papers(ANSWERS)[1])) == {}  # final: no header at all


def marks_and_lines(data: bytes) -> list[tuple[str, list[str]]]:
    """Per page: the text in the mark's large type, and the body lines without it."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            mark = "".join(c["text"] for c in page.chars if c["size"] >= MARK_SIZE)
            rest = page.filter(lambda o: o.get("object_type") != "char" or SMALL < o["size"]
                               < MARK_SIZE)
            pages.append((mark, [line["text"] for line in rest.extract_text_lines()]))
    return pages


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_draft_answers_mark_on_every_page_over_the_same_text(
        final_by_libreoffice, tmp_path):
    answers = draft_answers(tmp_path)
    draft, _ = convert_with_libreoffice(render_docx(answers), tmp_path, "concept")
    drafts, finals = marks_and_lines(draft.read_bytes()), marks_and_lines(final_by_libreoffice)
    assert len(drafts) >= 3
    assert [mark for mark, _ in drafts] == [answers.mark] * len(drafts)
    assert [mark for mark, _ in finals] == [""] * len(finals)
    # the mark lies over the text as in the PDF: the same lines on the same pages
    assert [lines for _, lines in drafts] == [lines for _, lines in finals]
