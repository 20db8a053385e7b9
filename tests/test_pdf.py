"""The PDF writer, tested on the finished PDFs: what a reader sees, where it is, and what the
archive and accessibility checkers say."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path

import page as page_validation
import pdfplumber
import pikepdf
import pytest


from kamerbrief import document as d
from kamerbrief.compose.textrules import readable
from kamerbrief.layout import load_layout
from kamerbrief.paths import templates_dir
from kamerbrief.writers.pdf.writer import FetchRefused, TemplatesOnlyFetcher, kit, page_number_content, render_pdf

from pdf_helpers import (MM, block_text, body_text, find_line, font_metrics, footnote_texts,
                         line_top_mm, lines, p, sample_document, squash, structure_elements)

ROOT = Path(__file__).resolve().parents[1]
SEED_2019 = ROOT / "letters/2019-12-09-aanbieding-dtn-51.yaml"
SEED_2023 = ROOT / "letters/2023-12-12-dreigingsbeeld-december-2023.yaml"
LONG = ROOT / "tests/fixtures/long-letter.yaml"
L = load_layout()
TOLERANCE_MM = 1.0


@dataclasses.dataclass
class Built:
    doc: d.Document
    data: bytes

    @property
    def plumber(self):
        return pdfplumber.open(io.BytesIO(self.data))


@pytest.fixture(scope="session")
def pdf_letters(built) -> dict[str, Built]:
    """Every letter the tests look at, built once per session: the seeds, the long letter (shared
    with the other test files), and a hand-made one."""
    files = {"seed-2019": SEED_2019, "seed-2023": SEED_2023, "long": LONG}
    letters = {name: Built(built(path).doc, built(path).pdf) for name, path in files.items()}
    sample = sample_document()
    return {**letters, "sample": Built(sample, render_pdf(sample))}


ALL = ["seed-2019", "seed-2023", "long", "sample"]


# -- reading the body and the notes -------------------------------------------------------------

SMALL = L.type.small_size_pt


def _is_note_line(line: dict) -> bool:
    return all(c["size"] <= SMALL + 0.01 for c in line["chars"] if c["text"].strip())


def body_and_notes(built: Built) -> tuple[list[list[dict]], list[str]]:
    """Per page: the body lines (body column, below the letterhead) and the footnote-area text."""
    body, notes = [], []
    with built.plumber as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            top = L.datum.top_mm if number == 1 else L.body.follow_top_mm
            found = lines(page, L.body.x_mm - 1, top - 1, L.body.x_mm + L.body.width_mm + 1,
                          L.page.height_mm - L.body.bottom_mm + 1)
            body.append([line for line in found if not _is_note_line(line)])
            notes.append(" ".join(line["text"] for line in found if _is_note_line(line)))
    return body, notes


def signature_text(doc: d.Document) -> str:
    """The signature block(s) as read line by line (side by side: the titles, then the names)."""
    titles = " ".join(f"{s.title}," for s in doc.signatories)
    names = " ".join(s.name for s in doc.signatories)
    return titles + " " + names


def calls_on(page_lines: list[dict]) -> list[int]:
    """Footnote numbers called on a page: runs of small (superscript) characters in body lines."""
    found = []
    for line in page_lines:
        run = ""
        for char in line["chars"] + [{"text": " ", "size": 99}]:
            if char["size"] <= SMALL + 0.01 and char["text"].isdigit():
                run += char["text"]
            elif run:
                found.append(int(run))
                run = ""
    return found


@pytest.mark.parametrize("name", ALL)
def test_body_text_in_reading_order_equals_the_document(pdf_letters, name):
    built = pdf_letters[name]
    body, _ = body_and_notes(built)
    seen = squash(" ".join(line["text"] for page in body for line in page))
    expected = squash(body_text(built.doc) + "\n" + signature_text(built.doc))
    assert seen == expected


@pytest.mark.parametrize("name", ALL)
def test_every_footnote_is_on_the_page_of_its_first_call_and_printed_once(pdf_letters, name):
    built = pdf_letters[name]
    body, notes = body_and_notes(built)
    texts = footnote_texts(built.doc)
    first_page = {}
    for number, page_lines in enumerate(body, start=1):
        for call in calls_on(page_lines):
            first_page.setdefault(call, number)
    assert sorted(first_page) == sorted(texts), "every footnote is called, with its number"
    for number, text in texts.items():
        page = first_page[number]
        assert squash(f"{number}{text}") in squash(notes[page - 1]), (number, page)
        everywhere = squash(" ".join(notes))
        assert everywhere.count(squash(text)) == 1, f"footnote {number} printed once"


def test_a_footnote_called_twice_shows_only_its_number_the_second_time(pdf_letters):
    built = pdf_letters["sample"]
    body, notes = body_and_notes(built)
    assert calls_on(body[0]) == [1, 2, 1]
    assert squash(notes[0]) == squash("1 Kamerstukken II 2017/18, 29754, nr. 436. "
                                      "2 Een tweede noot met cursief.")


def test_footnote_numbers_follow_the_document_numbering(pdf_letters):
    built = pdf_letters["long"]
    _, notes = body_and_notes(built)
    numbers = [n.number for n in built.doc.footnotes]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 20
    order = squash(" ".join(notes))
    positions = [order.index(squash(f"{n.number}{d.plain_text(n.inlines)}"))
                 for n in built.doc.footnotes]
    assert positions == sorted(positions)


# -- positions -----------------------------------------------------------------------------------

SANS = font_metrics(templates_dir() / L.fonts.sans_regular)


def _top(line: dict, page, leading: float) -> float:
    return line_top_mm(line["chars"][0], page.height, leading, SANS)


@pytest.mark.parametrize("name", ["seed-2019", "long"])
def test_page_one_elements_sit_where_the_layout_file_says(pdf_letters, name):
    built = pdf_letters[name]
    doc, T = built.doc, L.type
    with built.plumber as pdf:
        page = pdf.pages[0]
        ret = find_line(page, L.return_address.prefix)
        assert ret["x0"] * MM == pytest.approx(L.return_address.x_mm, abs=TOLERANCE_MM)
        assert _top(ret, page, T.small_leading_pt) == pytest.approx(L.return_address.top_mm,
                                                                    abs=TOLERANCE_MM)
        left = lines(page, 0, 0, L.colofon.x_mm - 1, L.datum.top_mm - 1)
        recipient = [line for line in left if line["text"] == doc.recipient[0]][0]
        assert recipient["x0"] * MM == pytest.approx(L.recipient.x_mm, abs=TOLERANCE_MM)
        assert _top(recipient, page, T.body_leading_pt) == pytest.approx(L.recipient.top_mm,
                                                                         abs=TOLERANCE_MM)
        colofon = lines(page, L.colofon.x_mm - 2, 0, L.page.width_mm, L.page.height_mm)
        first = [line for line in colofon if line["text"].startswith(doc.sender.colofon_name[:8])]
        assert first, "colofon name"
        assert first[0]["x0"] * MM == pytest.approx(L.colofon.x_mm, abs=TOLERANCE_MM)
        assert _top(first[0], page, T.small_leading_pt) == pytest.approx(L.colofon.top_mm,
                                                                         abs=TOLERANCE_MM)
        datum = find_line(page, "Datum")
        assert datum["x0"] * MM == pytest.approx(L.body.x_mm, abs=TOLERANCE_MM)
        assert _top(datum, page, T.body_leading_pt) == pytest.approx(L.datum.top_mm,
                                                                     abs=TOLERANCE_MM)
        value = [c for c in datum["chars"] if c["text"] == doc.date_text[0]][0]
        tab = doc.row_tab_mm
        assert tab >= L.datum.tab_mm
        assert value["x0"] * MM == pytest.approx(L.body.x_mm + tab, abs=TOLERANCE_MM)
        subject = find_line(page, doc.sender.subject_label)
        subject_value = [c for c in subject["chars"] if c["text"] == doc.subject[0]][0]
        assert subject_value["x0"] == pytest.approx(value["x0"], abs=0.5)  # values aligned
        number = find_line(page, "Pagina 1 van")
        assert number["x0"] * MM == pytest.approx(L.colofon.x_mm, abs=TOLERANCE_MM)
        assert _top(number, page, T.small_leading_pt) == pytest.approx(L.page_number.top_mm,
                                                                       abs=TOLERANCE_MM)
        lint = [r for r in page.rects if r["height"] * MM > L.logo.height_mm / 2][0]
        assert (lint["x0"] * MM, lint["top"] * MM) == pytest.approx((L.logo.x_mm, 0), abs=0.1)
        assert (lint["width"] * MM, lint["height"] * MM) == pytest.approx(
            (L.logo.width_mm, L.logo.height_mm), abs=0.1)


def test_colofon_lists_its_fields_in_the_house_order(pdf_letters):
    built = pdf_letters["long"]
    s, doc = built.doc.sender, built.doc
    with built.plumber as pdf:
        page = pdf.pages[0]
        column = lines(page, L.colofon.x_mm - 1, L.colofon.top_mm - 2, L.page.width_mm,
                       L.datum.top_mm + 20)
    text = squash(" ".join(line["text"] for line in column))
    parts = [s.colofon_name, *s.visit_address, *s.postal_address,
             *[x for x in (s.website, s.phone, s.email) if x], *s.contact,
             "Ons kenmerk", doc.kenmerk, "Uw kenmerk", doc.your_reference,
             "Bijlage(n)", str(len(doc.attachments)), s.colofon_note]
    at = 0
    for part in parts:
        found = text.find(squash(part), at)
        assert found >= at, f"{part!r} missing or out of order"
        at = found + len(squash(part))


def test_body_edges_line_pitch_and_follow_pages(pdf_letters):
    built = pdf_letters["long"]
    body, _ = body_and_notes(built)
    with built.plumber as pdf:
        pages = pdf.pages
        for number, page_lines in enumerate(body, start=1):
            page = pages[number - 1]
            assert min(line["x0"] for line in page_lines) * MM == pytest.approx(
                L.body.x_mm, abs=TOLERANCE_MM)
            assert max(line["x1"] for line in page_lines) * MM <= (
                L.body.x_mm + L.body.width_mm + 0.5)
            baselines = [page.height - line["chars"][0]["matrix"][5] for line in page_lines
                         if line["chars"][0]["size"] == L.type.body_size_pt]
            for a, b in zip(baselines, baselines[1:]):
                steps = (b - a) / L.type.body_leading_pt
                assert steps == pytest.approx(round(steps), abs=0.02), "exactly 12 pt pitch"
            if number > 1:
                assert _top(page_lines[0], page, L.type.body_leading_pt) == pytest.approx(
                    L.body.follow_top_mm, abs=TOLERANCE_MM)
                short = lines(page, L.colofon.x_mm - 1, L.colofon.top_mm - 2, L.page.width_mm,
                              L.page.height_mm)
                text = " ".join(line["text"] for line in short)
                doc = built.doc
                assert squash(f"{doc.sender.colofon_name} Datum {doc.date_text} Ons kenmerk "
                              f"{doc.kenmerk} Pagina {number} van {len(pages)}") == squash(text)
                assert _top(short[0], page, L.type.small_leading_pt) == pytest.approx(
                    L.colofon.top_mm, abs=TOLERANCE_MM)
                wordmark = find_line(page, built.doc.sender.wordmark[0][:10])
                assert wordmark["x0"] * MM == pytest.approx(L.wordmark.x_mm, abs=TOLERANCE_MM)


def test_subject_wraps_under_its_value_not_under_the_label(pdf_letters):
    built = pdf_letters["long"]
    with built.plumber as pdf:
        page = pdf.pages[0]
        top = L.datum.top_mm + L.type.body_leading_pt * MM  # the line after Datum
        subject = lines(page, L.body.x_mm - 1, top + 1, L.colofon.x_mm - 2,
                        top + 2 * L.type.body_leading_pt * MM)
    assert len(subject) == 2, "the long subject takes two lines"
    assert subject[0]["text"].startswith(built.doc.sender.subject_label)
    value_x = subject[0]["chars"][len(built.doc.sender.subject_label)]["x0"] * MM
    assert value_x == pytest.approx(L.body.x_mm + L.datum.tab_mm, abs=TOLERANCE_MM)
    assert subject[1]["x0"] * MM == pytest.approx(value_x, abs=0.2)


def test_two_signatories_sit_side_by_side(pdf_letters):
    built = pdf_letters["long"]
    first, second = (readable(person.name) for person in built.doc.signatories)
    with built.plumber as pdf:
        page = pdf.pages[-1]
        names = find_line(page, first)
    assert names["text"] == f"{first} {second}"
    x = [c["x0"] for c in names["chars"] if c["text"] == second[0]][-1] * MM
    column = (L.body.width_mm + L.signature.column_gap_mm) / 2
    assert x == pytest.approx(L.body.x_mm + column, abs=TOLERANCE_MM)


def test_the_long_letter_has_ten_pages_or_more(pdf_letters):
    with pdf_letters["long"].plumber as pdf:
        count = len(pdf.pages)
        assert count >= 10
        for number, page in enumerate(pdf.pages, start=1):
            assert f"Pagina {number} van {count}" in page.extract_text()


# -- the file as archive and accessible document ------------------------------------------------

@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("profile", ["2a", "ua1"])
def test_page_validation_reports_no_failures(pdf_letters, name, profile):
    report = page_validation.validate_pdf_bytes(pdf_letters[name].data, profile=profile)
    assert [f"{f.rule_id}: {f.message}" for f in report.failures] == []
    assert report.is_compliant


@pytest.mark.parametrize("name", ALL)
def test_all_fonts_are_embedded(pdf_letters, name):
    with pikepdf.open(io.BytesIO(pdf_letters[name].data)) as pdf:
        fonts = [obj for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                 and obj.get("/Subtype") != "/Type0"]
        assert fonts
        for font in fonts:
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                font.get("/BaseFont"))


_structure = structure_elements  # the structure elements, in reading order (depth first)


def test_metadata_tags_and_identification(pdf_letters):
    built = pdf_letters["seed-2023"]
    doc = built.doc
    with pikepdf.open(io.BytesIO(built.data)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
        assert meta["dc:title"] == doc.title == readable(doc.subject)
        assert doc.sender.organisation in str(meta["dc:creator"])
        assert str(pdf.docinfo.Title) == doc.title
        assert str(pdf.docinfo.Author) == doc.sender.organisation
        assert str(pdf.docinfo.CreationDate).startswith("D:" + doc.date.strftime("%Y%m%d"))
        assert str(pdf.Root.Lang) == "nl-NL"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(pdf.Root.MarkInfo.Marked) is True
        tags = [str(e.S) for e in _structure(pdf.Root.StructTreeRoot)]
        headings = [t for t in tags if re.fullmatch(r"/H\d", t)]
        assert headings[0] == "/H1" and {"/H1", "/H2"} <= set(headings)
        figures = [e for e in _structure(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
        assert len(figures) == 1 and doc.sender.organisation in str(figures[0].Alt)


def test_the_same_document_gives_the_same_bytes_also_in_a_fresh_process(pdf_letters):
    built = pdf_letters["seed-2019"]
    assert render_pdf(built.doc) == built.data
    code = ("import sys; from kamerbrief.compose import compose_file; "
            "from kamerbrief.writers.pdf.writer import render_pdf; "
            "sys.stdout.buffer.write(render_pdf(compose_file(sys.argv[1])))")
    fresh = subprocess.run([sys.executable, "-c", code, str(SEED_2019)], check=True,
                           capture_output=True).stdout
    assert fresh == built.data


# -- drafts, text as data, fetching -------------------------------------------------------------

def test_a_draft_shows_concept_and_the_placeholders(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = sample_document(draft=True, date=None, date_text="[datum]", kenmerk="[kenmerk]")
    data = render_pdf(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = pdf.pages[0].extract_text()
    assert L.concept.text in text and "[datum]" in text and "[kenmerk]" in text
    assert render_pdf(doc) == data, "a draft without date is reproducible too"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with pikepdf.open(io.BytesIO(render_pdf(doc))) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114")
    report = page_validation.validate_pdf_bytes(data, profile="ua1")
    assert report.is_compliant


def test_a_final_letter_has_no_concept_mark(pdf_letters):
    with pdf_letters["seed-2019"].plumber as pdf:
        assert L.concept.text not in pdf.pages[0].extract_text()


def test_letter_text_is_data_and_prints_exactly(pdf_letters):
    with pdf_letters["sample"].plumber as pdf:
        text = pdf.pages[0].extract_text()
    assert "{{ 7*7 }} <script>alert(1)</script> & «» ë ş ř € ≥ →" in text
    assert "49" not in text


def test_the_fetcher_serves_template_files_only(tmp_path):
    fetcher = TemplatesOnlyFetcher(templates_dir())
    font = templates_dir() / L.fonts.sans_regular
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    outside = [
        "https://example.org/logo.svg",
        "http://127.0.0.1:9/x.css",
        "data:text/css,p{}",
        (ROOT / "pyproject.toml").as_uri(),
        (templates_dir() / ".." / "pyproject.toml").as_uri(),
        "file:///etc/passwd",
        templates_dir().as_uri() + "/missing.svg",
    ]
    link = tmp_path / "fonts"
    link.symlink_to(Path("/etc"))
    outside.append(link.as_uri() + "/passwd")
    for url in outside:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_links_are_never_fetched(monkeypatch):
    fetched = []
    fetcher = kit().fetcher
    real = fetcher.fetch

    def spy(url, headers=None):
        fetched.append(url)
        return real(url, headers)

    monkeypatch.setattr(fetcher, "fetch", spy)
    doc = sample_document(blocks=(
        p("Zie ", d.Run("deze bron", href="http://127.0.0.1:9/x.png"), " en ",
          d.Run("dit bestand", href="file:///etc/passwd"), "."),), footnotes=())
    data = render_pdf(doc)
    assert all(not url.startswith(("http", "file:///etc")) for url in fetched)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[0].get("/Annots", []) if "/A" in a]
    assert uris == ["http://127.0.0.1:9/x.png", "file:///etc/passwd"]


def test_page_number_format_comes_from_the_layout():
    assert page_number_content("Pagina {page} van {pages}") == (
        '"Pagina " counter(page) " van " counter(pages)')
    assert page_number_content('{page}/{pages} "x"') == (
        'counter(page) "/" counter(pages) " \\"x\\""')


def test_block_text_helper_matches_lists_and_quotes():
    (items,) = sample_document(blocks=(d.ListBlock(True, 3, ((p("a"),), (p("b"),))),)).blocks
    assert block_text(items) == "3. a\n4. b"


def _own_templates(tmp_path, monkeypatch, logo: str) -> None:
    """A copy of the templates folder and a layout file whose [logo] file is `logo`."""
    import shutil

    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    layout = (folder / "layout.toml").read_text(encoding="utf-8")
    layout = layout.replace('file = ""', f'file = "{logo}"', 1)
    (folder / "layout.toml").write_text(layout, encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_TEMPLATES", str(folder))
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(folder / "layout.toml"))


def test_a_configured_logo_file_takes_the_place_of_the_lint(tmp_path, monkeypatch):
    from PIL import Image

    _own_templates(tmp_path, monkeypatch, "logo/eigen-logo.png")
    (tmp_path / "templates/logo").mkdir()
    Image.new("RGB", (130, 371), (200, 30, 30)).save(tmp_path / "templates/logo/eigen-logo.png")
    without_notes = tuple(b for b in sample_document().blocks if not isinstance(b, d.Paragraph)
                          or not any(isinstance(i, d.FootnoteCall) for i in b.inlines))
    doc = sample_document(blocks=without_notes * 8, footnotes=())  # every note called once
    data = render_pdf(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            (image,) = page.images
            assert (image["x0"] * MM, image["top"] * MM) == pytest.approx((L.logo.x_mm, 0),
                                                                          abs=0.1)
            assert image["width"] * MM == pytest.approx(L.logo.width_mm, abs=0.1)
    for profile in ("2a", "ua1"):
        report = page_validation.validate_pdf_bytes(data, profile=profile)
        assert [f"{f.rule_id}: {f.message}" for f in report.failures] == [], profile


def test_a_logo_outside_the_templates_folder_is_refused(tmp_path, monkeypatch):
    _own_templates(tmp_path, monkeypatch, "../../pyproject.toml")
    with pytest.raises(FetchRefused):
        render_pdf(sample_document())


@pytest.mark.parametrize("name", ALL)
def test_footnotes_are_tagged_as_notes_with_ids_on_their_page(pdf_letters, name):
    built = pdf_letters[name]
    with pikepdf.open(io.BytesIO(built.data)) as pdf:
        root = pdf.Root.StructTreeRoot
        notes = [e for e in _structure(root) if e.S == "/Note"]
        assert [str(n.ID) for n in notes] == [f"fn{note.number}" for note in built.doc.footnotes]
        names = list(root.IDTree.Names)
        assert sorted(str(n) for n in names[::2]) == [str(n) for n in names[::2]]
        assert {str(k): v.objgen for k, v in zip(names[::2], names[1::2])} == {
            str(n.ID): n.objgen for n in notes}
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        note_pages = [pages[n.Pg.objgen] for n in notes]
    with pdfplumber.open(io.BytesIO(built.data)) as plumbed:
        texts = [page.extract_text() for page in plumbed.pages]
    for note, page in zip(built.doc.footnotes, note_pages):
        words = d.plain_text(note.inlines)[:25]
        assert words in texts[page].replace("\n", " "), (note.number, page)


def test_letterhead_is_tagged_once_and_follow_pages_repeat_it_outside_the_tags(pdf_letters):
    """A screen reader meets the wordmark once (page 1), not on every page of a long letter."""
    built = pdf_letters["long"]
    with pikepdf.open(io.BytesIO(built.data)) as pdf:
        (document,) = [k for k in _structure(pdf.Root.StructTreeRoot) if k.S == "/Document"]
        top = [str(k.S) for k in document.K if isinstance(k, pikepdf.Dictionary)]
        pages = len(pdf.pages)
    assert pages >= 10
    assert top.count("/Part") == pages and "/P" not in top
    with pdfplumber.open(io.BytesIO(built.data)) as plumbed:
        for page in plumbed.pages:  # yet every page shows the wordmark
            assert built.doc.sender.wordmark[0] in page.extract_text()
