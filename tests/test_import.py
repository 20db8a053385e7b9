"""`kamerbrief import`: a reviewed .docx back into its letter file.

Every test builds a real .docx with the Word writer, edits it as a reviewer would (raw XML as
Word writes it, or python-docx), runs the command and reads the letter file it leaves."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from kamerbrief.cli import main
from kamerbrief.compose import compose_file, dutch_date
from kamerbrief.document import readable
from kamerbrief.writers.pdf.writer import render as render_pdf
from kamerbrief.writers.word.writer import render_docx

from conftest import LETTERS, ROOT
from review_helpers import (W, edit_part, find_paragraph, insert_note_call, paragraph_after,
                            replace_text, replace_word_tracked, run, w, with_docx)
from word_helpers import soffice, texts

LONG = ROOT / "tests" / "fixtures" / "long-letter.yaml"
REVIEW = ROOT / "tests" / "fixtures" / "review-letter.yaml"
ALL_LETTERS = sorted(LETTERS.glob("*.yaml")) + [LONG, REVIEW]


def copy_letter(source: Path, folder: Path) -> Path:
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def built(letter: Path, folder: Path) -> Path:
    docx = folder / (letter.stem + ".docx")
    docx.write_bytes(render_docx(compose_file(letter)))
    return docx


def run_import(capsys, *args) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def refused_until_decided(capsys, docx: Path, letter: Path) -> str:
    """Import a .docx with tracked changes: refused (exit 1) until the reviewer's changes are
    decided; --reject-changes keeps the letter file as it was, --accept-changes takes them.
    Returns what the refusal said."""
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1
    assert run_import(capsys, docx, letter, "--reject-changes")[0] == 0
    assert letter.read_text(encoding="utf-8") == before
    assert run_import(capsys, docx, letter, "--accept-changes")[0] == 0
    return err


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/footnotes.xml")]
    return " ".join(" ".join(texts(p).split()) for part in parts for p in part.iter(W + "p"))


def pdf_text(letter: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(render_pdf(compose_file(letter))))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def review(letter: Path, tmp_path: Path, part: str, change) -> tuple[Path, Path]:
    """A copy of `letter` in tmp_path and its .docx with one part edited by `change`."""
    mine = copy_letter(letter, tmp_path)
    docx = built(mine, tmp_path)
    docx.write_bytes(edit_part(docx.read_bytes(), part, change))
    return mine, docx


def added_lines(before: str, after: str) -> list[str]:
    import difflib
    return [line[1:] for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                      lineterm="", n=0)
            if line.startswith("+") and not line.startswith("+++")]


def removed_lines(before: str, after: str) -> list[str]:
    import difflib
    return [line[1:] for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                      lineterm="", n=0)
            if line.startswith("-") and not line.startswith("---")]


# -- round trips ------------------------------------------------------------------------------

@pytest.mark.parametrize("letter", ALL_LETTERS, ids=lambda p: p.stem)
def test_build_then_import_leaves_the_letter_byte_identical(letter, tmp_path, capsys):
    mine = copy_letter(letter, tmp_path)
    before = mine.read_bytes()
    code, out, err = run_import(capsys, built(mine, tmp_path), mine)
    assert code == 0, err
    assert "no change" in err
    assert mine.read_bytes() == before


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_json_and_toml_letters_round_trip_and_are_written_in_their_own_format(
        suffix, tmp_path, capsys):
    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    data["date"] = data["date"].isoformat() if suffix == ".json" else data["date"]
    letter = tmp_path / f"brief{suffix}"
    if suffix == ".json":
        letter.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        import tomli_w
        letter.write_text(tomli_w.dumps(data), encoding="utf-8")
    before = letter.read_bytes()
    docx = built(letter, tmp_path)
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    assert letter.read_bytes() == before

    def change(root):
        replace_text(find_paragraph(root, "Reactie op verzoek"), "Reactie op verzoek", "Antwoord op verzoek")
    docx.write_bytes(edit_part(docx.read_bytes(), "word/document.xml", change))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    text = letter.read_text(encoding="utf-8")
    read = json.loads if suffix == ".json" else tomllib.loads
    loaded = read(text)
    assert loaded["subject"].startswith("Antwoord op verzoek")
    assert list(loaded) == list(read(before.decode("utf-8")))  # key order kept
    assert compose_file(letter).subject.startswith("Antwoord op verzoek")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_a_docx_saved_again_by_libreoffice_imports_to_the_same_letter(tmp_path, capsys):
    letters = [copy_letter(p, tmp_path) for p in ALL_LETTERS]
    sent = tmp_path / "sent"
    sent.mkdir()
    for letter in letters:
        (sent / (letter.stem + ".docx")).write_bytes(render_docx(compose_file(letter)))
    saved = tmp_path / "saved"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved),
                    *map(str, sorted(sent.glob("*.docx")))],
                   check=True, capture_output=True, timeout=300)
    for letter in letters:
        resaved = saved / (letter.stem + ".docx")
        assert resaved.read_bytes() != (sent / resaved.name).read_bytes()
        before = letter.read_bytes()
        code, _, err = run_import(capsys, resaved, letter)
        assert code == 0, f"{letter.name}: {err}"
        assert letter.read_bytes() == before, letter.name


def without_controls(data: bytes) -> bytes:
    """The .docx with every content control unwrapped (Word's "Remove content control", or a
    .docx from before the fields were controls) and without the custom XML part."""
    def unwrap(root):
        for sdt in list(root.iter(W + "sdt")):
            parent, content = sdt.getparent(), sdt.find(W + "sdtContent")
            at = parent.index(sdt)
            for child in reversed(list(content)):
                parent.insert(at, child)
            parent.remove(sdt)
    for part in ("word/document.xml", "word/header1.xml", "word/header2.xml"):
        data = edit_part(data, part, unwrap)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("customXml/item1"):
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize("letter", ALL_LETTERS, ids=lambda p: p.stem)
def test_without_its_content_controls_a_docx_still_imports(letter, tmp_path, capsys):
    mine = copy_letter(letter, tmp_path)
    before = mine.read_bytes()
    docx = built(mine, tmp_path)
    docx.write_bytes(without_controls(docx.read_bytes()))
    code, _, err = run_import(capsys, docx, mine)
    assert code == 0, err
    assert mine.read_bytes() == before

    document = compose_file(mine)
    day, later = readable(document.date_text), dutch_date(document.date + dt.timedelta(days=1))

    def change(root):
        replace_text(find_paragraph(root, "Datum" + day), day, later)

    def header(root):
        replace_text(find_paragraph(root, day), day, later)
    docx.write_bytes(edit_part(docx.read_bytes(), "word/document.xml", change))
    code, _, err = run_import(capsys, docx, mine)
    assert code == 1  # without fields the follow-page header's copy drifts: said, not lost
    assert f"the follow-page header, '{day}': text typed outside the fields" in err
    docx.write_bytes(edit_part(docx.read_bytes(), "word/header2.xml", header))
    code, _, err = run_import(capsys, docx, mine)
    assert code == 0, err
    assert readable(compose_file(mine).date_text) == later


# -- tracked changes and comments -------------------------------------------------------------

def tracked_word(root):
    replace_word_tracked(find_paragraph(root, "De terroristische dreiging is nog steeds"),
                         "aanzienlijk", "groot")


def test_an_unresolved_tracked_change_is_listed_and_nothing_is_written(tmp_path, capsys):
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", tracked_word)
    before = letter.read_bytes()
    code, out, err = run_import(capsys, docx, letter)
    assert code == 1
    assert letter.read_bytes() == before
    lines = [line for line in err.splitlines() if "tracked change (unresolved)" in line]
    assert len(lines) == 2
    assert "deletion 'aanzienlijk' by Reviewer on 2026-11-20" in lines[0]
    assert "insertion 'groot' by Reviewer on 2026-11-20" in lines[1]
    assert "in the paragraph 'De terroristische dreiging is nog steeds" in lines[0]
    assert "--accept-changes" in err and "nothing was written" in err


def test_accepted_and_rejected_changes(tmp_path, capsys):
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", tracked_word)
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter, "--reject-changes")
    assert code == 0, err
    assert letter.read_text(encoding="utf-8") == before
    code, _, err = run_import(capsys, docx, letter, "--accept-changes")
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    assert removed_lines(before, after) == [
        "      De terroristische dreiging is nog steeds aanzienlijk, zoals meerdere incidenten en"]
    assert added_lines(before, after)[0].startswith(
        "      De terroristische dreiging is nog steeds groot, zoals meerdere incidenten en")
    rebuilt = render_docx(compose_file(letter))
    assert "nog steeds groot, zoals" in docx_text(rebuilt)
    assert "nog steeds aanzienlijk" not in docx_text(rebuilt)
    assert "nog steeds groot, zoals" in pdf_text(letter)


def test_a_tracked_formatting_change(tmp_path, capsys):
    def change(root):  # "aanzienlijk" made bold, tracked: the old properties in w:rPrChange
        p = find_paragraph(root, "De terroristische dreiging is nog steeds")
        replace_text(p, "aanzienlijk", "aanzienlijk")
        for r in list(p.iter(W + "r")):
            t = r.find(W + "t")
            if t is not None and "aanzienlijk" in t.text:
                head, tail = t.text.split("aanzienlijk")
                t.text = head
                bold = w("r", w("rPr", w("b"), w("rPrChange", w("rPr"), id=97, author="Reviewer",
                                                   date="2026-11-20T10:00:00Z")),
                         w("t", text="aanzienlijk"))
                r.addnext(bold)
                bold.addnext(run(tail))
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    err = refused_until_decided(capsys, docx, letter)
    assert "formatting change 'aanzienlijk' by Reviewer" in err
    assert "nog steeds **aanzienlijk**, zoals" in letter.read_text(encoding="utf-8")


def test_a_tracked_move_and_a_joined_paragraph(tmp_path, capsys):
    def change(root):
        first = find_paragraph(root, "Bijgaand bied ik u")
        second = find_paragraph(root, "De terroristische dreiging is nog steeds")
        # "Een aanslag is dus voorstelbaar. " moved to the start of the first paragraph
        moved = "Een aanslag is dus voorstelbaar. "
        for t in second.iter(W + "t"):
            if moved in (t.text or ""):
                head, tail = t.text.split(moved)
                t.text = head
                r = t.getparent()
                gone = w("moveFrom", run(moved, deleted=True), id=120, author="Reviewer",
                         date="2026-11-20T10:00:00Z")
                r.addnext(gone)
                gone.addnext(run(tail))
                break
        ppr = first.find(W + "pPr")
        at = first.index(ppr) + 1 if ppr is not None else 0
        first.insert(at, w("moveTo", run(moved), id=121, author="Reviewer",
                           date="2026-11-20T10:00:00Z"))
        # the first paragraph's mark deleted: it joins the second
        if ppr is None:
            ppr = w("pPr")
            first.insert(0, ppr)
        ppr.append(w("rPr", w("del", id=122, author="Reviewer", date="2026-11-20T10:00:00Z")))
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    err = refused_until_decided(capsys, docx, letter)
    assert "moved away 'Een aanslag is dus voorstelbaar.'" in err
    assert "moved here 'Een aanslag is dus voorstelbaar.'" in err
    assert "paragraph break deleted" in err
    blocks = compose_file(letter).blocks
    text = [" ".join(plain(b) for b in blocks)][0]
    assert text.startswith("Een aanslag is dus voorstelbaar. Bijgaand bied ik u")
    assert "bepalend zijn.De terroristische dreiging" in text  # one paragraph now
    assert "hebben aangetoond. Daarbij moet" in text
    assert len(blocks) == 2


def plain(block) -> str:
    from kamerbrief.document import plain_text
    return plain_text(block.inlines)


def add_comment(data: bytes) -> bytes:
    """A Word comment on the first body paragraph (comments part, relationship, anchors)."""
    comments = (f'<w:comments xmlns:w="{W[1:-1]}"><w:comment w:id="7" w:author="M. Jurist" '
                'w:date="2026-11-21T09:00:00Z" w:initials="MJ"><w:p><w:r><w:t>Klopt dit '
                'jaartal?</w:t></w:r></w:p></w:comment></w:comments>').encode()

    def anchor(root):
        p = find_paragraph(root, "Bijgaand bied ik u")
        p.insert(1, w("commentRangeStart", id=7))
        p.append(w("commentRangeEnd", id=7))
        p.append(w("r", w("commentReference", id=7)))

    def relate(root):
        etree.SubElement(root, "{http://schemas.openxmlformats.org/package/2006/relationships}"
                         "Relationship", Id="rIdComments", Target="comments.xml",
                         Type="http://schemas.openxmlformats.org/officeDocument/2006/"
                              "relationships/comments")

    def content_type(root):
        etree.SubElement(root, "{http://schemas.openxmlformats.org/package/2006/content-types}"
                         "Override", PartName="/word/comments.xml",
                         ContentType="application/vnd.openxmlformats-officedocument."
                                     "wordprocessingml.comments+xml")
    data = edit_part(data, "word/document.xml", anchor)
    data = edit_part(data, "word/_rels/document.xml.rels", relate)
    data = edit_part(data, "[Content_Types].xml", content_type)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/comments.xml", comments)
    return out.getvalue()


def test_comments_are_always_listed(tmp_path, capsys):
    letter = copy_letter(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path)
    docx = built(letter, tmp_path)
    docx.write_bytes(add_comment(docx.read_bytes()))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1  # an open comment: the review is not finished
    assert ("in the paragraph 'Bijgaand bied ik u de openbare versie van het"
            in err)
    assert "comment by M. Jurist on 2026-11-21: 'Klopt dit jaartal?'" in err
    code, _, err = run_import(capsys, docx, letter, "--accept-changes")
    assert code == 0
    assert "comment by M. Jurist on 2026-11-21: 'Klopt dit jaartal?'" in err


# -- reviewer edits ---------------------------------------------------------------------------

def test_a_paragraph_added_under_a_heading(tmp_path, capsys):
    def change(root):
        paragraph_after(find_paragraph(root, "Dreigingsniveau terrorisme verhoogd naar 4"),
                        "Een nieuwe alinea direct onder de kop.")
    letter, docx = review(LETTERS / "2023-12-12-dreigingsbeeld-december-2023.yaml", tmp_path,
                          "word/document.xml", change)
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    assert added_lines(before, after) == ["      Een nieuwe alinea direct onder de kop.", ""]
    assert removed_lines(before, after) == []
    section = yaml.safe_load(after)["sections"][1]
    assert section["heading"] == "Dreigingsniveau terrorisme verhoogd naar 4"
    assert section["text"].startswith("Een nieuwe alinea direct onder de kop.\n\nIn het vorige")
    assert "kop. In het vorige Dreigingsbeeld" in docx_text(render_docx(compose_file(letter)))
    assert "Een nieuwe alinea direct onder de kop." in pdf_text(letter)


def test_a_footnote_added_and_one_edited(tmp_path, capsys):
    def call(root):
        insert_note_call(find_paragraph(root, "Een optelsom van ontwikkelingen"),
                         "Een optelsom van ontwikkelingen", 50)

    def notes(root):
        first = [n for n in root.iter(W + "footnote") if n.get(W + "id") == "1"][0]
        for t in first.iter(W + "t"):
            if t.text.strip():
                t.text = t.text + " (herzien)"
        new = copy.deepcopy(first)
        new.set(W + "id", "50")
        for r in list(new.iter(W + "r")):
            if r.find(W + "t") is not None and (r.findtext(W + "t") or "").strip():
                r.getparent().remove(r)
        new.find(W + "p").append(run("Een nieuwe noot van de jurist."))
        root.append(new)

    letter = copy_letter(LETTERS / "2023-12-12-dreigingsbeeld-december-2023.yaml", tmp_path)
    docx = built(letter, tmp_path)
    data = edit_part(docx.read_bytes(), "word/document.xml", call)
    docx.write_bytes(edit_part(data, "word/footnotes.xml", notes))
    original = compose_file(letter)
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    data = yaml.safe_load(after)
    first_label = original.footnotes[0].label
    assert data["footnotes"][first_label].endswith(" (herzien)")
    assert data["footnotes"]["noot-1"] == "Een nieuwe noot van de jurist."
    labels = list(data["footnotes"])
    assert labels.index("noot-1") == labels.index(first_label) + 1  # in order of first call
    assert "Een optelsom van ontwikkelingen[^noot-1] zorgt" in after
    document = compose_file(letter)
    assert [n.label for n in document.footnotes][:2] == [first_label, "noot-1"]
    assert "Een nieuwe noot van de jurist." in docx_text(render_docx(document))
    pdf = pdf_text(letter)
    assert "Een nieuwe noot van de jurist." in pdf
    assert "(herzien)" in pdf
    assert len(removed_lines(before, after)) <= 3


def test_a_section_deleted(tmp_path, capsys):
    letter = copy_letter(LETTERS / "2023-12-12-dreigingsbeeld-december-2023.yaml", tmp_path)
    heading = "Wat betekent de verhoging van het dreigingsniveau?"

    def change(root):
        start = find_paragraph(root, heading)
        following = start.getnext()
        start.getparent().remove(start)
        while following is not None and following.find(f"{W}pPr/{W}pStyle") is None:
            nxt = following.getnext()
            following.getparent().remove(following)
            following = nxt
    docx = built(letter, tmp_path)
    docx.write_bytes(edit_part(docx.read_bytes(), "word/document.xml", change))
    before = yaml.safe_load(letter.read_text(encoding="utf-8"))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = yaml.safe_load(letter.read_text(encoding="utf-8"))
    assert [s.get("heading") for s in after["sections"]] == \
        [s.get("heading") for s in before["sections"] if s.get("heading") != heading]
    assert heading not in docx_text(render_docx(compose_file(letter)))
    assert heading not in pdf_text(letter)


def test_a_list_item_added_and_the_subject_changed(tmp_path, capsys):
    def change(document):  # python-docx, as a script or a typist in Word would add them
        # (python-docx lists only the paragraphs outside content controls: found with lxml)
        after = DocxParagraph(find_paragraph(document.element, "Daarna een opsomming"),
                              document._body)
        after.insert_paragraph_before("een vijfde punt.", style="List Number")
        # python-docx does not see text in content controls: the subject through lxml
        replace_text(find_paragraph(document.element, "Reactie op verzoek"),
                     "Reactie op verzoek", "Antwoord op het verzoek")
    letter = copy_letter(REVIEW, tmp_path)
    docx = built(letter, tmp_path)
    docx.write_bytes(with_docx(docx.read_bytes(), change))
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    assert added_lines(before, after) == [
        'subject: "Antwoord op het verzoek van de commissie: *proef* & «test»"',
        "      5. een vijfde punt.",
    ]
    document = compose_file(letter)
    assert document.subject == "Antwoord op het verzoek van de commissie: *proef* & «test»"
    text = docx_text(render_docx(document))
    assert "een vijfde punt." in text and "Antwoord op het verzoek" in text
    pdf = pdf_text(letter)
    assert "nog een genest punt. een vijfde punt. Daarna" in pdf
    assert "Antwoord op het verzoek" in pdf


def visible_paragraphs(data: bytes) -> list[str]:
    """Every non-empty paragraph a reader sees (accepted text: w:delText is not w:t)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [etree.fromstring(z.read(n)) for n in z.namelist()
                 if n.startswith("word/") and n.endswith(".xml") and "/_rels/" not in n]
    out = []
    for part in parts:
        for p in part.iter(W + "p"):
            text = " ".join("".join(t.text or "" for t in p.iter(W + "t")).split())
            if text:
                out.append(text)
    return sorted(out)


def test_after_an_import_build_gives_the_text_of_the_reviewed_docx(tmp_path, capsys):
    def body(root):
        replace_word_tracked(find_paragraph(root, "Ik hecht eraan te benadrukken"),
                             "benadrukken", "onderstrepen")
        paragraph_after(find_paragraph(root, "Stand van zaken"), "Een alinea erbij.", tracked=True)
        replace_text(find_paragraph(root, "Voortgangsbrief aanpak"), "Voortgangsbrief",
                     "Tweede voortgangsbrief")

    def notes(root):
        note = [n for n in root.iter(W + "footnote") if n.get(W + "id") == "3"][0]
        text = [t for t in note.iter(W + "t") if (t.text or "").strip()][0]
        text.text = text.text + " Aangevuld."
    letter = copy_letter(LONG, tmp_path)
    docx = built(letter, tmp_path)
    data = edit_part(docx.read_bytes(), "word/document.xml", body)
    docx.write_bytes(edit_part(data, "word/footnotes.xml", notes))
    code, _, err = run_import(capsys, docx, letter, "--accept-changes")
    assert code == 0, err
    assert visible_paragraphs(render_docx(compose_file(letter))) == \
        visible_paragraphs(docx.read_bytes())


def test_dry_run_prints_a_unified_diff_and_writes_nothing(tmp_path, capsys):
    def change(root):
        replace_text(find_paragraph(root, "Aanbieding Dreigingsbeeld"), "Aanbieding", "Toezending")
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    before = letter.read_bytes()
    code, out, err = run_import(capsys, docx, letter, "--dry-run")
    assert code == 0, err
    assert letter.read_bytes() == before
    assert out.startswith("--- a/")
    assert "-subject: Aanbieding Dreigingsbeeld Terrorisme Nederland 51" in out
    assert "+subject: Toezending Dreigingsbeeld Terrorisme Nederland 51" in out


def test_a_deleted_call_removes_its_note(tmp_path, capsys):
    def change(root):
        call = next(root.iter(W + "footnoteReference"))
        run_ = call.getparent()
        run_.getparent().remove(run_)
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    assert "[^integrale-aanpak]" not in after
    assert "footnotes:" not in after and "integrale-aanpak:" not in after
    assert "aanpak van terrorisme. Daarbij" in after.replace("\n      ", " ")
    assert compose_file(letter).footnotes == ()


def test_a_heading_typed_by_a_reviewer_starts_a_new_section(tmp_path, capsys):
    def change(root):
        before = find_paragraph(root, "Dreigingsniveau terrorisme verhoogd naar 4")
        style = before.find(f"{W}pPr/{W}pStyle").get(W + "val")
        heading = w("p", w("pPr", w("pStyle", val=style)), run("Een nieuwe kop"))
        before.addprevious(heading)
        paragraph_after(heading, "Tekst onder de nieuwe kop.")
    letter, docx = review(LETTERS / "2023-12-12-dreigingsbeeld-december-2023.yaml", tmp_path,
                          "word/document.xml", change)
    before = yaml.safe_load(letter.read_text(encoding="utf-8"))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = yaml.safe_load(letter.read_text(encoding="utf-8"))
    assert after["sections"][1] == {"heading": "Een nieuwe kop",
                                    "text": "Tekst onder de nieuwe kop.\n"}
    assert after["sections"][:1] + after["sections"][2:] == before["sections"]


def test_fields_edited_in_their_controls(tmp_path, capsys):
    """What a reviewer types in the fields (the custom XML part left as it was, as
    LibreOffice leaves it) comes back as the letter's own values."""
    def change(root):
        replace_text(find_paragraph(root, "3 juni 2024"), "3 juni 2024", "4 juni 2024")
        replace_text(find_paragraph(root, "Geachte voorzitter,"), "Geachte voorzitter,",
                     "Geachte mevrouw de voorzitter,")
        replace_text(find_paragraph(root, "E. van der Burg"), "E. van der Burg", "E. van Burg")
        replace_text(find_paragraph(root, "Hoogachtend,"), "Hoogachtend,", "Met vriendelijke groet,")
        replace_text(find_paragraph(root, "Postbus 20018"), "Postbus 20018", "Postbus 20019")
    letter, docx = review(REVIEW, tmp_path, "word/document.xml", change)
    before = letter.read_text(encoding="utf-8")
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    after = letter.read_text(encoding="utf-8")
    assert sorted(added_lines(before, after)) == sorted([
        "date: 2024-06-04",
        "  address: [Postbus 20019]",
        "opening: Geachte mevrouw de voorzitter,",
        "closing: Met vriendelijke groet,",
        "    name: E. van Burg",
    ])
    document = compose_file(letter)
    assert readable(document.date_text) == "4 juni 2024"
    assert document.signatories[1].name == "E. van Burg"
    assert "Postbus 20019" in document.recipient


def test_fields_of_a_letter_with_registry_recipient_and_one_signatory(tmp_path, capsys):
    def change(root):
        replace_text(find_paragraph(root, "Postbus 20018"), "Postbus 20018", "Postbus 20020")
        replace_text(find_paragraph(root, "Ferd Grapperhaus"), "Ferd Grapperhaus", "F. Grapperhaus")
        replace_text(find_paragraph(root, "De minister van Justitie"), "De minister",
                     "De Minister")

    def header(root):
        replace_text(find_paragraph(root, "xx"), "xx", "2019-0000123456")
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    docx.write_bytes(edit_part(docx.read_bytes(), "word/header1.xml", header))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    data = yaml.safe_load(letter.read_text(encoding="utf-8"))
    assert data["recipient"] == {"name": ["De Voorzitter van de Tweede Kamer",
                                          "der Staten-Generaal"],
                                 "address": ["Postbus 20020"], "postcode": "2500 EA",
                                 "city": "Den Haag"}
    assert data["minister"] == {"title": "De Minister van Justitie en Veiligheid",
                                "name": "F. Grapperhaus"}
    assert data["kenmerk"] == "2019-0000123456"
    document = compose_file(letter)
    assert document.recipient[-1] == "2500 EA DEN HAAG"


def test_a_date_that_is_not_a_date_is_located(tmp_path, capsys):
    def change(root):
        replace_text(find_paragraph(root, "9 december 2019"), "9 december 2019",
                     "31 februari 2020")
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    before = letter.read_bytes()
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1
    assert "the Datum field: '31 februari 2020' is not a date" in err
    assert letter.read_bytes() == before


# -- what a letter file cannot hold -----------------------------------------------------------

def add_table(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.addnext(w("tbl", w("tblPr"), w("tblGrid", w("gridCol", w=2000)),
                w("tr", w("tc", w("p", run("Cel met tekst"))))))


def add_image(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.append(w("r", w("drawing")))


def colour_by_hand(root):
    r = find_paragraph(root, "Het geschetste dreigingsbeeld").find(W + "r")
    rpr = r.find(W + "rPr")
    if rpr is None:
        rpr = w("rPr")
        r.insert(0, rpr)
    rpr.append(w("color", val="FF0000"))


def type_in_colofon(root):
    p = find_paragraph(root, "Turfmarkt 147")
    p.append(run(" (achteringang)"))


def text_box(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.append(w("r", w("pict", w("txbxContent", w("p", run("In een tekstvak"))))))


def internal_link(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.append(w("hyperlink", run("naar boven"), anchor="_Top"))


def page_break(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.append(w("r", w("br", type="page")))


def heading_four(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.addprevious(w("p", w("pPr", w("pStyle", val="Heading4")), run("Een kop van niveau vier")))


def odd_style(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.addprevious(w("p", w("pPr", w("pStyle", val="Titel")), run("Een titel")))


def endnote(root):
    p = find_paragraph(root, "Het geschetste dreigingsbeeld")
    p.append(w("r", w("endnoteReference", id=1)))


@pytest.mark.parametrize("part, change, where, what", [
    ("word/document.xml", add_table, "in the paragraph 'Het geschetste dreigingsbeeld in DTN 51",
     "the table after it ('Cel met tekst'): a table cannot go in a letter file"),
    ("word/document.xml", add_image, "in the paragraph 'Het geschetste dreigingsbeeld",
     "an image or drawing cannot go in a letter file"),
    ("word/document.xml", colour_by_hand, "in the paragraph 'Het geschetste dreigingsbeeld",
     "a colour set by hand cannot go in a letter file"),
    ("word/header1.xml", type_in_colofon, "the first-page header, '2511 DP Den Haag (achteringang)'",
     "text typed outside the fields"),
    ("word/document.xml", text_box, "the letter, ", "a text box cannot go in a letter file"),
    ("word/document.xml", internal_link, "the letter, ", "a link to a place inside the document ('_Top')"),
    ("word/document.xml", page_break, "the letter, ", "a page break set by hand cannot go in a letter file"),
    ("word/document.xml", heading_four, "the letter, ", "a heading of level 4 cannot go in a letter"),
    ("word/document.xml", odd_style, "the letter, ", "the paragraph style 'Titel' is not one of the letter's"),
    ("word/document.xml", endnote, "the letter, ", "an endnote cannot go in a letter file"),
], ids=["table", "image", "colour", "colofon", "text-box", "internal-link", "page-break",
        "heading-4", "style", "endnote"])
def test_what_the_letter_file_cannot_hold_is_located_and_nothing_is_written(
        part, change, where, what, tmp_path, capsys):
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path, part, change)
    before = letter.read_bytes()
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1
    assert letter.read_bytes() == before
    line = next(line for line in err.splitlines() if what in line)
    assert where in line
    assert "nothing was written" in err


def test_force_writes_without_what_the_letter_cannot_hold(tmp_path, capsys):
    def change(root):
        add_table(root)
        replace_text(find_paragraph(root, "Aanbieding Dreigingsbeeld"), "Aanbieding", "Toezending")
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    code, _, err = run_import(capsys, docx, letter, "--force")
    assert code == 0, err
    assert "a table cannot go in a letter file" in err
    assert compose_file(letter).subject == "Toezending Dreigingsbeeld Terrorisme Nederland 51"


def test_the_letter_file_is_found_from_the_document_property(tmp_path, capsys, monkeypatch):
    letter = copy_letter(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path)
    docx = built(letter, tmp_path)
    props = (b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
             b'2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
             b'pid="2" name="kamerbrief.source"><vt:lpwstr>' + letter.name.encode() +
             b'</vt:lpwstr></property></Properties>')
    data = docx.read_bytes()
    if b"docProps/custom.xml" not in data:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                target.writestr(info, source.read(info))
            target.writestr("docProps/custom.xml", props)
        docx.write_bytes(out.getvalue())
    monkeypatch.chdir(tmp_path)
    code, _, err = run_import(capsys, docx.name)
    assert code == 0, err
    assert f"{letter.name}: no change" in err


def test_not_a_docx_gets_a_sentence(tmp_path, capsys):
    bad = tmp_path / "brief.docx"
    bad.write_text("geen zip")
    code, _, err = run_import(capsys, bad, REVIEW)
    assert code == 1
    assert "not a Word document" in err and "Traceback" not in err


def test_the_generated_text_of_a_letter_kind_is_not_written_back(tmp_path, capsys):
    letter = copy_letter(LETTERS / "2026-01-30-uitstel-kamervragen-algoritmes-gemeenten.yaml",
                         tmp_path)
    docx = built(letter, tmp_path)
    first = compose_file(letter).blocks[0]

    def change(root):
        paragraph_after(find_paragraph(root, plain(first)[:30]), "Een zin van de jurist.")
    docx.write_bytes(edit_part(docx.read_bytes(), "word/document.xml", change))
    before = letter.read_bytes()
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1
    assert "the letter's text: it is made from the letter file's fields (kind: uitstel)" in err
    assert letter.read_bytes() == before


def test_text_that_looks_like_markdown_is_written_so_it_reads_back_as_text(tmp_path, capsys):
    odd = ["1. geen lijst maar tekst met *sterretjes*, _lage_streepjes_, [haken] en \\\\",
           "- ook geen opsomming; <https://voorbeeld.nl> en &amp; blijven tekst, net als ^[dit]",
           "# geen kop maar tekst, en `code` ook niet"]

    def change(root):
        at = find_paragraph(root, "Het geschetste dreigingsbeeld")
        for text in reversed(odd):
            paragraph_after(at, text)
    letter, docx = review(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path,
                          "word/document.xml", change)
    code, _, err = run_import(capsys, docx, letter)
    assert code == 0, err
    texts = [plain(b) for b in compose_file(letter).blocks]
    assert texts[-3:] == odd


def test_the_answers_paper_is_not_imported_as_the_letter(tmp_path, capsys):
    from kamerbrief.compose import compose_papers

    letter = copy_letter(LETTERS / "2026-02-10-antwoorden-kamervragen-algoritmes-gemeenten.yaml",
                         tmp_path)
    answers = compose_papers(letter)[1]
    docx = tmp_path / f"{answers.stem}.docx"
    docx.write_bytes(render_docx(answers))
    before = letter.read_bytes()
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1
    assert "this is the answers paper of" in err
    assert letter.read_bytes() == before


def with_property(data: bytes, name: str, value: str) -> bytes:
    """The package with one custom document property set (docProps/custom.xml)."""
    def change(root):
        ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
        vt = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
        for prop in root.iter(ns + "property"):
            if prop.get("name") == name:
                prop.find(vt + "lpwstr").text = value
    return edit_part(data, "docProps/custom.xml", change)


def test_refusals_are_sentences(tmp_path, capsys):
    letter = copy_letter(LETTERS / "2019-12-09-aanbieding-dtn-51.yaml", tmp_path)
    docx = built(letter, tmp_path)
    data = docx.read_bytes()
    code, _, err = run_import(capsys, tmp_path / "weg.docx", letter)
    assert code == 1 and "cannot read the file" in err
    docx.write_bytes(with_property(data, "kamerbrief.format", "2"))
    code, _, err = run_import(capsys, docx, letter)
    assert code == 1 and "field format 2" in err
    docx.write_bytes(with_property(data, "kamerbrief.source", "elders.yaml"))
    code, _, err = run_import(capsys, docx)
    assert code == 1 and "the letter file 'elders.yaml' it was built from is not found" in err
    broken = tmp_path / "kapot.yaml"
    broken.write_text(letter.read_text(encoding="utf-8").replace("ministry: jenv",
                                                                  "ministry: jenw"))
    docx.write_bytes(data)
    code, _, err = run_import(capsys, docx, broken)
    assert code == 1 and "the letter file has problems of its own" in err
    assert "'jenw' is not in the registry" in err


def test_enclosures_and_your_reference_from_the_fields(tmp_path, capsys):
    def part(root):  # the enclosures are in the custom XML part only (the letter shows a count)
        kb = "{urn:kamerbrief:fields:1}"
        items = root.find(kb + "attachments")
        items.remove(items[1])

    def header(root):
        replace_text(find_paragraph(root, "2024Z05555"), "2024Z05555", "2024Z06666")
    letter, docx = review(REVIEW, tmp_path, "customXml/item1.xml", part)
    docx.write_bytes(edit_part(docx.read_bytes(), "word/header1.xml", header))
    code, _, err = run_import(capsys, docx, letter, "--force")
    assert code == 0, err
    data = yaml.safe_load(letter.read_text(encoding="utf-8"))
    assert data["attachments"] == ["Overzicht maatregelen"]
    assert data["your_reference"] == "2024Z06666"
