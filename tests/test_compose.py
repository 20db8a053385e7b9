"""The composed Documents of the seed letters hold every paragraph, heading and footnote."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kamerbrief.compose import compose_file, dutch_date
from kamerbrief.compose.textrules import readable
from kamerbrief.document import FootnoteCall, Heading, Paragraph, plain_text

from conftest import MINIMAL, SEED_2019, SEED_2023

SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # copies of ../shared/seeds


def normalise(text: str) -> str:
    """Seed text as one line: PDF line-end hyphenation undone, <sup>n</sup> as n."""
    text = re.sub(r"<sup>(\d+)</sup>", r"\1", text)
    text = re.sub(r"-\s*\n\s*(?=[a-zà-ÿ])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def seed_paragraphs(name: str) -> list[str]:
    raw = (SEEDS / name).read_text(encoding="utf-8")
    return [normalise(p) for p in re.split(r"\n\s*\n", raw) if p.strip()]


def body_texts(document) -> list[str]:
    return [plain_text(b.inlines) for b in document.blocks]


def assert_in_order(needles: list[str], haystack: str) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"not found in order: {needle[:80]!r}"
        position = found + len(needle)


def test_2019_seed_letterhead_and_body():
    document = compose_file(SEED_2019)
    assert readable(document.date_text) == "9 december 2019"
    assert document.kenmerk == "xx"
    assert readable(document.subject) == "Aanbieding Dreigingsbeeld Terrorisme Nederland 51"
    assert document.sender.subject_label == "Onderwerp"
    assert document.sender.organisation == "Nationaal Coördinator Terrorismebestrijding en Veiligheid"
    assert document.sender.wordmark_italic == ("Ministerie van Justitie en", "Veiligheid")
    assert document.sender.colofon_name == "NCTV"
    assert document.sender.visit_address == ("Turfmarkt 147", "2511 DP Den Haag")
    assert document.sender.postal_address == ("Postbus 16950", "2500 BZ Den Haag")
    assert document.sender.website == "www.nctv.nl"
    assert document.sender.return_address == "Postbus 16950 2500 BZ Den Haag"
    assert document.recipient == ("De Voorzitter van de Tweede Kamer", "der Staten-Generaal",
                                  "Postbus 20018", "2500 EA DEN HAAG")
    assert [(readable(s.title), readable(s.name)) for s in document.signatories] == [
        ("De minister van Justitie en Veiligheid", "Ferd Grapperhaus")]
    seed = seed_paragraphs("000_720bbf980a8f1e7c.txt")
    body = body_texts(document)
    assert len(body) == 3 and all(isinstance(b, Paragraph) for b in document.blocks)
    for paragraph in body:
        assert paragraph in seed
    (note,) = document.footnotes
    assert (note.number, plain_text(note.inlines)) == (1, "Kamerstukken II 2017/18 29754, nr. 436")
    assert "1 " + plain_text(note.inlines) in seed
    assert FootnoteCall(1) in document.blocks[2].inlines


EXPECTED_2023_HEADINGS = [
    (1, "Dreigingsniveau terrorisme verhoogd naar 4"),
    (1, "Wat betekent de verhoging van het dreigingsniveau?"),
    (1, "Ontwikkelingen in de terroristische dreiging"),
    (2, "Aanslagen en arrestaties onderstrepen jihadistische dreiging"),
    (2, "Rechts-extremisme en anti-institutioneel extremisme – klein deel zelfverklaarde "
        "soevereinen geweldsbereid"),
    (2, "Radicalisering jonge jihadisten en rechts-extremisten grotendeels online"),
    (1, "Stevige aanpak van terrorisme en (gewelddadig) extremisme"),
]


def test_2023_seed_every_paragraph_heading_and_footnote_in_order():
    document = compose_file(SEED_2023)
    assert readable(document.date_text) == "12 december 2023"
    assert readable(document.subject) == ("Aanbiedingsbrief Dreigingsbeeld Terrorisme Nederland "
                                "december 2023")
    assert [(readable(s.title), readable(s.name)) for s in document.signatories] == [
        ("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius")]
    headings = [(b.level, plain_text(b.inlines)) for b in document.blocks if isinstance(b, Heading)]
    assert headings == EXPECTED_2023_HEADINGS

    seed_text = normalise((SEEDS / "004_436f96543afc438f.txt").read_text(encoding="utf-8"))
    texts = body_texts(document)
    assert_in_order(texts, seed_text)  # every block, in the seed's order, verbatim
    paragraphs = [t for b, t in zip(document.blocks, texts) if isinstance(b, Paragraph)]
    assert len(paragraphs) == 15
    # and the other way round: every long stretch of the seed is somewhere in the Document
    everything = " ".join(texts)
    for stretch in re.split(r"\n\s*\n", (SEEDS / "004_436f96543afc438f.txt").read_text()):
        stretch = normalise(stretch)
        if len(stretch) > 200 and not re.match(r"^\d ", stretch):
            assert stretch[:150] in everything

    numbers = [(n.number, n.label) for n in document.footnotes]
    assert numbers == [(1, "vorig-dtn"), (2, "ct-strategie"), (3, "crisisplan")]
    for note in document.footnotes:
        assert f"{note.number} {plain_text(note.inlines)}" in seed_text
    assert "(DTN)1 werd" in everything and "2022–2026.2 Daarmee" in everything
    assert "crisis.3 Daarbij" in everything


def test_footnotes_are_numbered_in_order_of_first_call(write_letter):
    letter = MINIMAL.replace("""  - text: |
      Een alinea.""", """  - text: Eerst b[^b], dan a[^a].
  - heading: Kop met noot[^c]
    text: Weer b[^b] en een inline^[Los.] en a[^a].""") + """\
footnotes:
  a: Noot a.
  b: Noot b.
  c: Noot c.
"""
    document = compose_file(write_letter(letter))
    assert [(n.number, n.label) for n in document.footnotes] == [
        (1, "b"), (2, "a"), (3, "c"), (4, None)]
    calls = [i.number for b in document.blocks for i in b.inlines if isinstance(i, FootnoteCall)]
    assert calls == [1, 2, 3, 1, 4, 2]


@pytest.mark.parametrize("day, text", [
    (dt.date(2019, 12, 9), "9 december 2019"),
    (dt.date(2024, 3, 1), "1 maart 2024"),
    (dt.date(2023, 10, 31), "31 oktober 2023"),
    (dt.date(2025, 5, 17), "17 mei 2025"),
])
def test_dutch_dates(day, text):
    assert dutch_date(day) == text


def test_sender_fields_can_be_overridden_inline(write_letter):
    document = compose_file(write_letter(MINIMAL.replace("  ministry: jenv", """\
  ministry: jenv
  colofon_name: Directoraat-generaal Politie en Veiligheidsregio's
  contact: [T 070 000 00 00]
  subject_label: Onderwerp""")))
    assert document.sender.colofon_name == "Directoraat-generaal Politie en Veiligheidsregio's"
    assert document.sender.contact == ("T 070 000 00 00",)
    assert document.sender.subject_label == "Onderwerp"
    assert document.sender.postal_address == ("Postbus 20301", "2500 EH Den Haag")
    assert document.sender.wordmark == ("Ministerie van Justitie en", "Veiligheid")
    assert document.sender.wordmark_italic == ()


def test_two_signatories(write_letter):
    document = compose_file(write_letter(MINIMAL.replace("""minister:
  title: De Minister van Justitie en Veiligheid
  name: A. Proef""", """minister:
  - title: De Minister van Justitie en Veiligheid
    name: A. Proef
  - title: De Staatssecretaris van Justitie en Veiligheid
    name: B. Proef""")))
    assert [readable(s.name) for s in document.signatories] == ["A. Proef", "B. Proef"]


def test_section_starts_index_the_blocks_of_each_letter_section(write_letter):
    document = compose_file(write_letter(MINIMAL.replace("""sections:
  - text: |
      Een alinea.
""", """sections:
  - text: |
      Een alinea.

      Nog een.
  - heading: Kop
    sections:
      - heading: Sub
        text: Tekst.
  - heading: Laatste
""")))
    starts = {s.path: s.start for s in document.sections}
    assert starts == {(0,): 0, (1,): 2, (1, 0): 3, (2,): 5}
    assert [type(b).__name__ for b in document.blocks] == [
        "Paragraph", "Paragraph", "Heading", "Heading", "Paragraph", "Heading"]
