"""The Kamerstuk (publication) form and structured citations: the rules of the spec (vergaderjaar,
citation styles, stuk title), the letter file's checks, and the built PDF read back as a reader
(pdftotext) and as the archive and accessibility checkers see it."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata

import page as page_validation
import pikepdf
import pytest

from kamerbrief.cli import main
from kamerbrief.compose import check_file, compose_file
from kamerbrief.compose.citations import (Citation, note_text, parse_dossier, prinsjesdag, render,
                                          vergaderjaar, year_text)
from kamerbrief.compose.kamerstuk import stuk_title
from kamerbrief.document import plain_text
from kamerbrief.letter.model import json_schema
from kamerbrief.problems import LetterError

from pdf_helpers import structure_elements
from conftest import MINIMAL, SEED_2019, SEED_2023, SHARED_SEEDS, ROOT

SEED_TEXT = (ROOT / "tests/fixtures/seeds/004_436f96543afc438f.txt").read_text(encoding="utf-8")
NBSP = "\u00a0"


def plain(text: str) -> str:
    """No-break spaces as spaces: what a reader sees (and pdftotext gives)."""
    return text.replace(NBSP, " ")


# -- the vergaderjaar (spec A.5) -----------------------------------------------------------------

@pytest.mark.parametrize("year, day", [(2010, 21), (2011, 20), (2019, 17), (2022, 20),
                                       (2023, 19), (2024, 17), (2025, 16)])
def test_prinsjesdag_is_the_third_tuesday_of_september(year, day):
    assert prinsjesdag(year) == dt.date(year, 9, day)


@pytest.mark.parametrize("date, expected", [
    ("2011-05-13", "2010–2011"),
    ("2019-12-09", "2019–2020"),
    ("2022-07-14", "2021–2022"),
    ("2023-09-18", "2022–2023"),   # the day before Prinsjesdag
    ("2023-09-19", "2023–2024"),   # Prinsjesdag
    ("2023-12-12", "2023–2024"),
    ("2024-09-16", "2023–2024"),   # the day before Prinsjesdag 2024
    ("2024-09-17", "2024–2025"),
    ("2024-09-23", "2024–2025"),
    ("2025-02-04", "2024–2025"),
    ("2025-09-15", "2024–2025"),
    ("2025-09-16", "2025–2026"),
    ("2026-01-01", "2025–2026"),
])
def test_vergaderjaar_turns_on_prinsjesdag(date, expected):
    assert year_text(vergaderjaar(dt.date.fromisoformat(date))) == expected


def test_vergaderjaar_in_the_ar_style_and_at_a_century():
    assert year_text(2009, "ar") == "2009/10"
    assert year_text(1999, "ar") == "1999/2000"
    assert year_text(2009) == "2009–2010"


# -- citations (spec A.6.3) ----------------------------------------------------------------------

def ks(chamber, year, dossier, nr=None, letter=None, pages=None):
    return Citation("kamerstuk", chamber, year, parse_dossier(dossier, chamber == "I"), nr,
                    letter, pages=pages)


TABLE = [
    (ks("II", 2022, "29754", 678),
     "Kamerstukken II 2022/23, 29754, nr. 678", "Kamerstukken II 2022–2023, 29 754, nr. 678",
     "Kamerstuk 29 754, nr. 678"),
    (ks("II", 2009, "27858", 88, pages="3"),
     "Kamerstukken II 2009/10, 27858, nr. 88, p. 3",
     "Kamerstukken II 2009–2010, 27 858, nr. 88, p. 3", "Kamerstuk 27 858, nr. 88"),
    (ks("I", 2008, "31700 VI", letter="D", pages="4"),
     "Kamerstukken I 2008/09, 31700 VI, D, p. 4", "Kamerstukken I 2008–2009, 31 700 VI, D, p. 4",
     "Kamerstuk 31 700 VI, D"),
    (ks("II", 2021, "21501-02", 1538),
     "Kamerstukken II 2021/22, 21501-02, nr. 1538",
     "Kamerstukken II 2021–2022, 21 501-02, nr. 1538", "Kamerstuk 21 501-02, nr. 1538"),
    (Citation("handelingen", "II", 2010, nr=108, item=5, pages="25-36"),
     "Handelingen II 2010/11, nr. 108, item 5, p. 25-36",
     "Handelingen II 2010–2011, nr. 108, item 5, p. 25–36",
     "Handelingen II 2010/11, nr. 108, item 5"),
    (Citation("aanhangsel", "I", 2014, nr=12),
     "Aanhangsel Handelingen I 2014/15, nr. 12", "Aanhangsel Handelingen I 2014–2015, nr. 12",
     "Aanhangsel Handelingen, vergaderjaar 2014–2015, nr. 12"),
    (Citation("stb", year=2011, nr=35), "Stb. 2011, 35", "Stb. 2011, 35", "Stb. 2011, 35"),
    (Citation("stcrt", year=2015, nr=10247),
     "Stcrt. 2015, 10247", "Stcrt. 2015, 10247", "Stcrt. 2015, 10247"),
    (Citation("wetsvoorstel", dossier=parse_dossier("31945")),
     "(Kamerstukken 31945)", "(Kamerstukken 31 945)", "(Kamerstukken 31945)"),
]


@pytest.mark.parametrize("citation, ar, publicatie, kort", TABLE)
def test_the_citation_table_of_the_spec_in_all_three_styles(citation, ar, publicatie, kort):
    assert [plain(render(citation, style)) for style in ("ar", "publicatie", "kort")] == [
        ar, publicatie, kort]


def test_publication_style_groups_the_dossier_with_no_break_spaces():
    text = render(ks("II", 2022, "29754", 678), "publicatie")
    assert text == f"Kamerstukken{NBSP}II 2022–2023, 29{NBSP}754, nr.{NBSP}678"
    assert "\u2013" in text and "-" not in text


@pytest.mark.parametrize("written, grouped", [
    ("29754", "29 754"), ("29 754", "29 754"), ("21501-02", "21 501-02"),
    ("32500 C", "32 500 C"), ("36 600 VII", "36 600 VII"), ("36410-XVI", "36 410-XVI")])
def test_dossier_numbers_print_grouped(written, grouped):
    assert plain(parse_dossier(written).text()) == grouped


@pytest.mark.parametrize("bad", ["2975", "29 754 x", "ABC", "29.754"])
def test_malformed_dossier_numbers_are_refused(bad):
    assert parse_dossier(bad) is None


def test_seed_footnote_2_rendered_from_data_is_the_published_line():
    also = [ks("II", 2021, "29 754", 645), ks("II", 2022, "29 754", 654),
            ks("II", 2023, "29 754", 692)]
    text = note_text([ks("II", 2021, "29 754", 641)], "publicatie", "Zie verder ook:", also)
    assert plain(text) == (
        "Kamerstukken II 2021–2022, 29 754, nr. 641. Zie verder ook: Kamerstukken II "
        "2021–2022, 29 754, nr. 645, Kamerstukken II 2022–2023, 29 754, nr. 654 en "
        "Kamerstukken II 2023–2024, 29 754, nr. 692.")
    assert "2 " + plain(text) in re.sub(r"\s+", " ", SEED_TEXT)


# -- the stuk title (spec A.4) -------------------------------------------------------------------

def test_stuk_title_of_one_minister():
    assert stuk_title(["De Minister van Justitie en Veiligheid"]) == (
        "BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID")


def test_stuk_title_of_a_minister_and_a_state_secretary_of_one_department():
    assert stuk_title(["De Minister van Justitie en Veiligheid",
                       "De Staatssecretaris van Justitie en Veiligheid"]) == (
        "BRIEF VAN DE MINISTER EN STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID")


def test_stuk_title_of_two_ministries():
    assert stuk_title(["De Staatssecretaris van Justitie en Veiligheid",
                       "De Minister voor Volkshuisvesting en Ruimtelijke Ordening"]) == (
        "BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID EN DE MINISTER VOOR "
        "VOLKSHUISVESTING EN RUIMTELIJKE ORDENING")


def test_stuk_title_keeps_diacritics_and_takes_the_department_from_the_registry():
    assert stuk_title(["de minister van Economische Zaken en Klimaat"]) == (
        "BRIEF VAN DE MINISTER VAN ECONOMISCHE ZAKEN EN KLIMAAT")
    assert stuk_title(["De Minister"], "Ministerie van Volksgezondheid, Welzijn en Sport") == (
        "BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID, WELZIJN EN SPORT")
    assert stuk_title(["De Minister voor Coördinatie"]) == "BRIEF VAN DE MINISTER VOOR COÖRDINATIE"


# -- the letter file: kamerstuk block and citations as data --------------------------------------

KAMERSTUK = MINIMAL + """\
kamerstuk:
  dossiers:
    - number: "29754"
      title: Terrorismebestrijding
    - number: 30 821
      title: Nationale Veiligheid
  ondernummer: 7
"""


def test_the_publication_is_decided_in_the_document(write_letter):
    doc = compose_file(write_letter(KAMERSTUK.replace(
        "  name: A. Proef", "  name: A. Proef\n- title: De Staatssecretaris van Justitie en "
        "Veiligheid\n  name: B. Proef").replace("minister:\n  title", "minister:\n- title")))
    form = doc.publication
    assert (form.chamber, form.chamber_number) == ("Tweede Kamer der Staten-Generaal", "2")
    assert form.vergaderjaar == "Vergaderjaar 2023–2024"
    assert [(plain(d.number), d.title) for d in form.dossiers] == [
        ("29 754", "Terrorismebestrijding"), ("30 821", "Nationale Veiligheid")]
    assert plain(form.number) == "Nr. 7"
    assert form.title == "BRIEF VAN DE MINISTER EN STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID"
    assert form.addressee == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert form.place_date == "Den Haag, 1 maart 2024"
    assert form.signatures == (("De Minister van Justitie en Veiligheid,", "A. Proef"),
                               ("De Staatssecretaris van Justitie en Veiligheid,", "B. Proef"))
    assert plain(form.running_foot) == "Tweede Kamer, vergaderjaar 2023–2024, 29 754, nr. 7"
    assert form.imprint[0] == "kst-29754-7"


def test_a_letter_without_kamerstuk_block_still_builds_the_letter_but_not_the_kamerstuk(
        write_letter, tmp_path, capsys):
    path = write_letter(MINIMAL)
    assert check_file(path) == []
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "--format", "kamerstuk"]) == 1
    err = capsys.readouterr().err
    assert "brief.yaml" in err and "kamerstuk: the Kamerstuk form needs a 'kamerstuk:' block; " \
        "add kamerstuk:" in err
    assert "Traceback" not in err
    assert not list(out.glob("*.pdf"))
    assert main(["build", str(path), "-o", str(out), "--format", "pdf"]) == 0


def test_a_draft_without_dossier_and_number_shows_placeholders(write_letter):
    text = MINIMAL.replace('date: 2024-03-01\nkenmerk: "2024-0000000001"\n', "") + \
        "status: draft\nkamerstuk: {}\n"
    form = compose_file(write_letter(text)).publication
    assert plain(form.number) == "Nr. …" and form.dossiers[0].number == "…"
    assert form.vergaderjaar == "Vergaderjaar …" and form.place_date == "Den Haag, [datum]"


def test_a_final_letter_needs_dossier_and_number_for_the_kamerstuk(write_letter):
    doc = compose_file(write_letter(MINIMAL + "kamerstuk: {}\n"))
    assert doc.publication is None
    messages = [p.message for p in doc.publication_problems]
    assert any("add dossiers:" in m for m in messages)
    assert any("add ondernummer:" in m for m in messages)


def error(found, field):
    hits = [p for p in found if p.field == field and p.severity == "error"]
    assert hits, [str(p) for p in found]
    return hits[0]


@pytest.mark.parametrize("change, field, line, words", [
    (("recipient: tweede-kamer", "recipient:\n  name: [Iemand]\n  city: Den Haag"), "recipient",
     None, "write recipient: tweede-kamer or eerste-kamer"),
    (("recipient: tweede-kamer", "recipient: eerste-kamer"), "kamerstuk.ondernummer", 19,
     "an Eerste Kamer stuk has a letter"),
    (('number: "29754"', 'number: "2975"'), "kamerstuk.dossiers[1].number", 15,
     "is not a dossier number"),
    (("ondernummer: 7", "ondernummer: 0"), "kamerstuk.ondernummer", 19,
     "a whole number from 1 up"),
    (("ondernummer: 7", "ondernummer: 7\n  vergaderjaar: 2023-2025"), "kamerstuk.vergaderjaar",
     20, "is not a vergaderjaar"),
])
def test_mistakes_in_the_kamerstuk_block_are_located(write_letter, change, field, line, words):
    found = check_file(write_letter(KAMERSTUK.replace(*change)))
    problem = error(found, field)
    assert words in problem.message and problem.file.endswith("brief.yaml")
    if line:
        assert problem.line == line
    else:
        assert problem.line is not None


def test_a_vergaderjaar_other_than_the_dates_is_a_warning(write_letter):
    found = check_file(write_letter(KAMERSTUK.replace(
        "ondernummer: 7", "ondernummer: 7\n  vergaderjaar: 2024-2025")))
    (warning,) = found
    assert warning.severity == "warning" and warning.field == "kamerstuk.vergaderjaar"
    assert warning.line == 20 and "2023–2024" in warning.message


CITED = MINIMAL.replace("Een alinea.", "Een alinea.[^a] Nog een.[^b]") + """\
footnotes:
  a:
    cite: {kind: kamerstuk, chamber: II, year: 2022-2023, dossier: "29754", nr: 678}
  b:
    cite:
      - {kind: kamerstuk, chamber: II, year: 2021-2022, dossier: "29 754", nr: 641}
    then: "Zie ook:"
    also:
      - {kind: handelingen, chamber: II, year: 2010-2011, nr: 108, item: 5, pages: "25-36"}
      - {kind: stb, year: 2011, nr: 35}
"""


def test_citations_as_data_print_in_each_forms_style(write_letter):
    doc = compose_file(write_letter(CITED + KAMERSTUK[len(MINIMAL):]))
    letter = [plain(plain_text(n.inlines)) for n in doc.footnotes]
    published = [plain(plain_text(n.inlines)) for n in doc.publication.footnotes]
    assert letter == [
        "Kamerstukken II 2022/23, 29754, nr. 678.",
        "Kamerstukken II 2021/22, 29754, nr. 641. Zie ook: Handelingen II 2010/11, nr. 108, "
        "item 5, p. 25-36 en Stb. 2011, 35."]
    assert published == [
        "Kamerstukken II 2022–2023, 29 754, nr. 678.",
        "Kamerstukken II 2021–2022, 29 754, nr. 641. Zie ook: Handelingen II 2010–2011, "
        "nr. 108, item 5, p. 25–36 en Stb. 2011, 35."]
    assert [n.number for n in doc.footnotes] == [n.number for n in doc.publication.footnotes]
    short = compose_file(write_letter(CITED + "citation_style: kort\n" + KAMERSTUK[len(MINIMAL):]))
    assert plain(plain_text(short.footnotes[0].inlines)) == "Kamerstuk 29 754, nr. 678."
    assert short.footnotes == short.publication.footnotes


@pytest.mark.parametrize("old, new, field, words", [
    ("nr: 678}", "nr: 678, letter: D}", "footnotes.a.cite[1].letter", "not both"),
    ('dossier: "29754"', 'dossier: "2975"', "footnotes.a.cite[1].dossier", "not a dossier number"),
    ("year: 2010-2011, nr: 108", "year: 2008-2009, nr: 108", "footnotes.b.also[1].item",
     "before 2010-2011 have no item"),
    ("year: 2022-2023", "year: 2022/24", "footnotes.a.cite[1].year", "not a vergaderjaar"),
    ("kind: stb", "kind: stbb", "footnotes.b.also[2].kind", "must be one of"),
    ("nr: 35}", "nr: 35, pagina: 3}", "footnotes.b.also[2].pagina", "did you mean 'page'"),
    ("kind: kamerstuk, chamber: II, year: 2022-2023", "kamerstuk: x, chamber: II, year: 2022-2023",
     "footnotes.a.cite[1]", "kind: kamerstuk"),
])
def test_mistakes_in_a_citation_are_located(write_letter, old, new, field, words):
    assert old in CITED
    found = check_file(write_letter(CITED.replace(old, new)))
    problem = error(found, field)
    assert words in problem.message and problem.line is not None, str(problem)


def test_a_citation_after_the_letters_own_vergaderjaar_is_a_warning(write_letter):
    (warning,) = check_file(write_letter(CITED.replace("2022-2023", "2024-2025")))
    assert warning.severity == "warning" and warning.field == "footnotes.a.cite[1].year"


def test_a_free_text_kamerstuk_reference_in_another_form_gets_the_standard_one(write_letter):
    text = MINIMAL.replace("Een alinea.", "Een alinea.[^a]\n\n      Zie Kamerstuk 33009, nr. 117.")
    text += "footnotes:\n  a: Kamerstukken II 2017/18, 29754, nr. 436\n"
    found = check_file(write_letter(text))
    assert all(p.severity == "warning" for p in found)
    by_field = {p.field: p for p in found}
    note = by_field["footnotes.a"]
    assert note.line == 16
    assert "'Kamerstukken II 2017–2018, 29 754, nr. 436'" in note.message
    assert 'cite: {kind: kamerstuk, chamber: II, year: 2017-2018, dossier: "29 754", nr: 436}' \
        in note.message
    body = by_field["sections[1].text"]
    assert body.line == 11 and "'Kamerstuk 33 009, nr. 117'" in body.message
    standard = MINIMAL.replace("Een alinea.", "Een alinea.[^a]") + \
        "footnotes:\n  a: Kamerstukken II 2017–2018, 29 754, nr. 436.\n"
    assert check_file(write_letter(standard)) == []


def test_the_2019_seed_gets_the_standard_form_of_its_citation():
    (warning,) = check_file(SEED_2019)
    assert warning.severity == "warning" and warning.line == 37
    assert "Kamerstukken II 2017–2018, 29 754, nr. 436" in warning.message


def test_the_schema_has_the_kamerstuk_block_and_citations():
    schema = json_schema()
    assert "kamerstuk" in schema["properties"] and "citation_style" in schema["properties"]
    defs = schema["$defs"]
    assert {"dossiers", "ondernummer", "vergaderjaar", "title"} <= set(
        defs["KamerstukSpec"]["properties"])
    assert {"kind", "chamber", "year", "dossier", "nr", "letter", "item", "page", "pages"} <= set(
        defs["CiteSpec"]["properties"])
    assert {"cite", "then", "also"} <= set(defs["CiteNoteSpec"]["properties"])


# -- seed 004 built in the Kamerstuk form --------------------------------------------------------

HEAD = ["Tweede Kamer der Staten-Generaal 2", "Vergaderjaar 2023–2024",
        "29 754 Terrorismebestrijding", "Nr. 123 BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Den Haag, 12 december 2023"]


NOTES = [" ".join(note.split()) for note in re.findall(
    r"^\s*([123] Kamerstukken.*?\.)\s*$", SEED_TEXT, re.M | re.S)]


def text_of(text: str, soft_hyphens: bool) -> str:
    """Text as one line. A line that ends in a hyphen is joined: without it in the seed (the
    typesetter's hyphenation), with it in our PDF (which breaks only at real hyphens and dashes)."""
    text = unicodedata.normalize("NFC", plain(text))  # the seed writes ş as s + cedilla
    text = re.sub(r"(\w)-\n\s*", r"\1" if soft_hyphens else r"\1-", text)
    text = re.sub(r"([–/])\n\s*", r"\1", text)
    return " ".join(text.split())


def words_without_notes(text: str) -> list[str]:
    for note in NOTES:
        text = text.replace(note, " ")
    return text.split()


@pytest.fixture(scope="module")
def seed_kamerstuk(tmp_path_factory):
    out = tmp_path_factory.mktemp("kamerstuk")
    assert main(["build", str(SEED_2023), "-o", str(out), "--format", "kamerstuk"]) == 0
    (pdf,) = out.glob("*.pdf")
    assert pdf.name == SEED_2023.stem + ".kamerstuk.pdf"
    return pdf


def pdftotext(path, *options) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_seed_004_in_the_kamerstuk_form_has_the_head_lines_in_order(seed_kamerstuk):
    lines = [" ".join(plain(line).split()) for line in pdftotext(seed_kamerstuk, "-layout")
             .splitlines() if line.strip()]
    assert lines[:len(HEAD)] == HEAD


def test_seed_004_in_the_kamerstuk_form_has_every_word_of_the_seed_in_order(seed_kamerstuk):
    """Every word of the published text in the published order (the footnotes, which sit on
    other pages than in the published PDF, are compared on their own); besides them the PDF
    has only the head, the running foot with the page number, and the imprint."""
    assert len(NOTES) == 3
    seed = words_without_notes(text_of(SEED_TEXT, soft_hyphens=True))
    seen = words_without_notes(text_of(pdftotext(seed_kamerstuk, "-raw"), soft_hyphens=False))
    doc = compose_file(SEED_2023)
    form = doc.publication
    allowed = set(" ".join(HEAD + [plain(form.running_foot), *form.imprint]).split())
    extra, at = [], 0
    for word in seen:
        if at < len(seed) and word == seed[at]:
            at += 1
        else:
            extra.append(word)
    assert at == len(seed), f"missing or out of order from word {at}: {seed[at:at + 8]}"
    assert len(seed) > 1000
    assert [w for w in extra if w not in allowed and not w.isdigit()] == []


def test_seed_004_footnotes_equal_the_published_ones(seed_kamerstuk):
    assert NOTES[0] == "1 Kamerstukken II 2022–2023, 29 754, nr. 678."
    text = text_of(pdftotext(seed_kamerstuk, "-raw"), soft_hyphens=False)
    for note in NOTES:
        assert note in text, note
    doc = compose_file(SEED_2023)
    assert [f"{n.number} {plain(plain_text(n.inlines))}" for n in doc.publication.footnotes] == NOTES


def test_seed_004_signature_has_no_signing_space_and_no_letterhead(seed_kamerstuk):
    text = pdftotext(seed_kamerstuk, "-layout")
    assert re.search(r"De Minister van Justitie en Veiligheid,\s*\n\s*D\. Yeşilgöz-Zegerius", text)
    for dropped in ("Retouradres", "Ons kenmerk", "Datum", "Onderwerp", "Pagina", "Postbus",
                    "NCTV\n", "Hoogachtend", "Geachte"):
        assert dropped not in text, dropped
    assert "Tweede Kamer, vergaderjaar 2023–2024, 29 754, nr. 123" in plain(text)
    assert "kst-29754-123" in text


@pytest.mark.parametrize("profile", ["2a", "ua1"])
def test_seed_004_kamerstuk_passes_pdfa_and_pdfua_checks(seed_kamerstuk, profile):
    report = page_validation.validate_pdf_bytes(seed_kamerstuk.read_bytes(), profile=profile)
    assert [f"{f.rule_id}: {f.message}" for f in report.failures] == []
    assert report.is_compliant


def test_seed_004_kamerstuk_is_tagged_with_real_headings_and_notes(seed_kamerstuk):
    with pikepdf.open(io.BytesIO(seed_kamerstuk.read_bytes())) as pdf:
        elements = structure_elements(pdf.Root.StructTreeRoot)
        headings = [str(e.S) for e in elements if re.fullmatch(r"/H\d", str(e.S))]
        assert headings[0] == "/H1" and headings.count("/H1") == 1
        assert {"/H2", "/H3"} <= set(headings)
        notes = [str(e.ID) for e in elements if e.S == "/Note"]
        assert notes == ["fn1", "fn2", "fn3"]
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == compose_file(SEED_2023).title  # the subject as typed


def test_seed_004_letter_form_is_unchanged_by_the_kamerstuk_block():
    doc = compose_file(SEED_2023)
    assert [plain_text(n.inlines) for n in doc.footnotes] == [
        plain_text(n.inlines) for n in doc.publication.footnotes]
    assert "Kamerstukken II 2022–2023, 29 754, nr. 678." == plain_text(doc.footnotes[0].inlines)


def test_a_kamerstuk_with_footnotes_as_data_prints_the_published_notes(tmp_path):
    """Seed 004 with its footnotes written as data gives the same published footnotes."""
    text = SEED_2023.read_text(encoding="utf-8")
    notes = text[text.index("footnotes:"):text.index("minister:")]
    data = """footnotes:
  vorig-dtn:
    cite: {kind: kamerstuk, chamber: II, year: 2022-2023, dossier: "29 754", nr: 678}
  ct-strategie:
    cite: {kind: kamerstuk, chamber: II, year: 2021-2022, dossier: "29 754", nr: 641}
    then: "Zie verder ook:"
    also:
      - {kind: kamerstuk, chamber: II, year: 2021-2022, dossier: "29 754", nr: 645}
      - {kind: kamerstuk, chamber: II, year: 2022-2023, dossier: "29 754", nr: 654}
      - {kind: kamerstuk, chamber: II, year: 2023-2024, dossier: "29 754", nr: 692}
  crisisplan:
    cite: {kind: kamerstuk, chamber: II, year: 2023-2024, dossier: "29 754", nr: 691}

"""
    path = tmp_path / SEED_2023.name
    path.write_text(text.replace(notes, data), encoding="utf-8")
    as_data = compose_file(path)
    seed = compose_file(SEED_2023)
    assert [plain(plain_text(n.inlines)) for n in as_data.publication.footnotes] == [
        plain_text(n.inlines) for n in seed.publication.footnotes]
    from kamerbrief.writers import writer

    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(writer("kamerstuk").render(as_data))
    text = text_of(pdftotext(pdf, "-raw"), soft_hyphens=False)
    for note in seed.publication.footnotes:
        assert f"{note.number} {plain_text(note.inlines)}" in text


def test_the_kamerstuk_writer_refuses_a_document_without_publication(write_letter):
    from kamerbrief.writers import writer

    doc = compose_file(write_letter(MINIMAL))
    with pytest.raises(LetterError) as caught:
        writer("kamerstuk").render(doc)
    assert caught.value.problems and caught.value.problems[0].field == "kamerstuk"


# -- references in running text: [@id] ----------------------------------------------------------

REFERRED = MINIMAL.replace("Een alinea.", "Een alinea (zie [@brief]).") + """\
references:
  brief: {kind: kamerstuk, chamber: II, year: 2022-2023, dossier: "29754", nr: 678}
"""


def test_a_reference_in_the_text_prints_the_short_form_in_every_form(write_letter, tmp_path):
    path = write_letter(REFERRED + KAMERSTUK[len(MINIMAL):])
    assert check_file(path) == []
    doc = compose_file(path)
    expected = "Een alinea (zie Kamerstuk 29 754, nr. 678)."
    assert plain(plain_text(doc.blocks[0].inlines)) == expected
    assert plain(plain_text(doc.publication.blocks[0].inlines)) == expected
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "--format", "pdf,kamerstuk"]) == 0
    for pdf in out.glob("*.pdf"):
        assert expected in text_of(pdftotext(pdf, "-raw"), soft_hyphens=False), pdf.name


def test_unknown_unused_and_wrong_references_are_located(write_letter):
    text = REFERRED.replace("[@brief]", "[@brif]") + "  wet: {kind: stb, year: 2011}\n"
    found = check_file(write_letter(text))
    unknown = error(found, "sections[1].text")
    assert unknown.line == 9 and "[@brif] has no entry" in unknown.message
    assert "never used" in error(found, "references.brief").message
    assert "needs nr:" in error(found, "references.wet").message
