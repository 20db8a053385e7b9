"""Helpers for the PDF tests: hand-built Documents and readers of the finished PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from kamerbrief import document as d
from kamerbrief.compose.printing import dress
from kamerbrief.layout import MM_PER_PT

PT_PER_MM = 1 / MM_PER_PT

NCTV = d.Sender(
    organisation="Nationaal Coördinator Terrorismebestrijding en Veiligheid",
    ministry="Ministerie van Justitie en Veiligheid",
    wordmark=("Nationaal Coördinator", "Terrorismebestrijding en Veiligheid"),
    wordmark_italic=("Ministerie van Justitie en Veiligheid",),
    colofon_name="NCTV",
    visit_address=("Turfmarkt 147", "2511 DP Den Haag"),
    postal_address=("Postbus 16950", "2500 BZ Den Haag"),
    website="www.nctv.nl",
    phone=None,
    email=None,
    contact=(),
    return_address="Postbus 16950 2500 BZ Den Haag",
    subject_label="Onderwerp",
    colofon_note="Bij beantwoording de datum en ons kenmerk vermelden. "
                 "Wilt u slechts één zaak in uw brief behandelen.",
)

TWEEDE_KAMER = ("De Voorzitter van de Tweede Kamer", "der Staten-Generaal", "Postbus 20018",
                "2500 EA DEN HAAG")


def p(*inlines) -> d.Paragraph:
    return d.Paragraph(tuple(d.Run(i) if isinstance(i, str) else i for i in inlines))


def sample_document(**changes) -> d.Document:
    """A short two-section letter with two footnotes (one called twice)."""
    doc = d.Document(
        source=Path("letters/sample.yaml"),
        stem="sample",
        draft=False,
        date=dt.date(2019, 12, 9),
        date_text="9 december 2019",
        kenmerk="2019-0000123456",
        your_reference=None,
        subject="Aanbieding Dreigingsbeeld Terrorisme Nederland 51",
        attachments=("Dreigingsbeeld Terrorisme Nederland 51",),
        sender=NCTV,
        recipient=TWEEDE_KAMER,
        opening=None,
        blocks=(
            p("Bijgaand bied ik u de openbare versie van het Dreigingsbeeld Terrorisme Nederland "
              "(DTN) 51 aan, opgesteld door de Nationaal Coördinator Terrorismebestrijding en "
              "Veiligheid (NCTV)."),
            d.Heading(1, (d.Run("Dreigingsniveau"),)),
            p("Het geschetste dreigingsbeeld noopt tot blijvende alertheid en onverminderde inzet "
              "op de integrale aanpak van terrorisme", d.FootnoteCall(1), ". Zie ook ",
              d.Run("nctv.nl", href="https://www.nctv.nl/"), "."),
            d.Heading(2, (d.Run("Tekst is data"),)),
            p("{{ 7*7 }} <script>alert(1)</script> & «» ë ş ř € ≥ →", d.FootnoteCall(2),
              " en nogmaals", d.FootnoteCall(1, first=False), "."),
            d.ListBlock(False, 1, ((p("eerste punt"),), (p("tweede ", d.Run("punt", bold=True)),))),
            d.ListBlock(True, 1, ((p("een"),), (p("twee"),))),
            d.Quote((p("Een citaat."),)),
        ),
        footnotes=(
            d.Footnote(1, (d.Run("Kamerstukken II 2017/18, 29754, nr. 436."),), "aanpak"),
            d.Footnote(2, (d.Run("Een tweede noot met "), d.Run("cursief", italic=True),
                           d.Run(".")), None),
        ),
        closing=None,
        signatories=(d.Signatory("De Minister van Justitie en Veiligheid", "F.B.J. Grapperhaus"),),
    )
    return dress(dataclasses.replace(doc, **changes))


# -- reading the PDF ------------------------------------------------------------------------

def squash(text: str) -> str:
    """Text without any whitespace, word joiners and hyphenation hyphens (U+2010, which
    WeasyPrint adds where it hyphenates a word): compares words and their order, not line
    breaks."""
    return re.sub(r"[\s\u2060\u2010\u00ad]+", "", text)


def block_text(block: d.Block, number: int | None = None) -> str:
    """What a reader sees of one block (list markers included)."""
    if isinstance(block, (d.Heading, d.Paragraph)):
        return d.plain_text(block.inlines)
    if isinstance(block, d.Quote):
        return "\n".join(block_text(b) for b in block.blocks)
    lines = []
    for marker, item in zip(block.markers, block.items):
        lines.append(marker + " " + "\n".join(block_text(b) for b in item))
    return "\n".join(lines)


def body_text(doc: d.Document) -> str:
    """The letter's body as a reader should see it, in reading order (without footnote texts)."""
    parts = [f"{row.label} {row.value}" for row in doc.rows]
    if doc.opening:
        parts.append(doc.opening)
    parts += [block_text(b) for b in doc.blocks]
    if doc.closing:
        parts.append(doc.closing)
    return "\n".join(parts)


def footnote_texts(doc: d.Document) -> dict[int, str]:
    return {note.number: d.plain_text(note.inlines) for note in doc.footnotes}


# -- positions on the page --------------------------------------------------------------------

MM = MM_PER_PT  # millimetres per point


def font_metrics(path: Path) -> tuple[float, float]:
    """Ascent and descent (positive) of a font file, in ems, as the line layout uses them."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    units = font["head"].unitsPerEm
    return font["hhea"].ascent / units, -font["hhea"].descent / units


def baseline(char: dict, page_height: float) -> float:
    """Baseline of a char, in points from the top of the page."""
    return page_height - char["matrix"][5]


def line_top_mm(char: dict, page_height: float, leading_pt: float,
                metrics: tuple[float, float]) -> float:
    """Top of the CSS line box that holds `char` (content area centred in the leading), in mm."""
    ascent, descent = metrics
    size = char["size"]
    content = (ascent + descent) * size
    return (baseline(char, page_height) - ascent * size - (leading_pt - content) / 2) * MM


def lines(page, x0_mm: float, top_mm: float, x1_mm: float, bottom_mm: float) -> list[dict]:
    """Text lines (pdfplumber) inside a box given in mm from the top-left corner."""
    box = (x0_mm / MM, top_mm / MM, x1_mm / MM, bottom_mm / MM)
    return page.crop(box).extract_text_lines(return_chars=True)


def find_line(page, starts: str) -> dict:
    """The first text line of the page that starts with `starts`."""
    for line in page.extract_text_lines(return_chars=True):
        if line["text"].startswith(starts):
            return line
    raise AssertionError(f"no line starting with {starts!r} on page {page.page_number}")


def structure_elements(element) -> list:
    """The structure elements under `element` (pikepdf), in reading order (depth first)."""
    import pikepdf

    kids = element.get("/K")
    found = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *structure_elements(kid)]
    return found
