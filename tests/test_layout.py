"""One layout file for both writers: change a number there and the PDF and the Word file follow."""

from __future__ import annotations

import io
import re
import zipfile

import pdfplumber
import pytest

from kamerbrief.compose import compose_file
from kamerbrief.layout import MM_PER_PT, load_layout
from kamerbrief.writers.word.ooxml import twips_mm
from kamerbrief.paths import templates_dir

from conftest import SEED_2019

MOVED_COLOFON_X = 158.0


@pytest.fixture
def own_layout(tmp_path, monkeypatch):
    """A ministry's own layout file with the colofon moved left (KAMERBRIEF_LAYOUT)."""
    text = (templates_dir() / "layout.toml").read_text(encoding="utf-8")
    text, count = re.subn(r"(\[colofon\]\nx_mm = )[\d.]+", rf"\g<1>{MOVED_COLOFON_X}", text)
    assert count == 1
    path = tmp_path / "layout.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(path))
    assert load_layout().colofon.x_mm == MOVED_COLOFON_X
    return path


def test_both_writers_follow_a_layout_file_of_a_ministrys_own(own_layout):
    from kamerbrief.writers.pdf.writer import render_pdf
    from kamerbrief.writers.word.writer import render_docx

    document = compose_file(SEED_2019)
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        words = pdf.pages[0].extract_words()
    (ncvt,) = [w for w in words if w["text"] == "NCTV"]
    assert ncvt["x0"] * MM_PER_PT == pytest.approx(MOVED_COLOFON_X, abs=0.5)

    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as package:
        headers = " ".join(package.read(n).decode() for n in package.namelist()
                           if n.startswith("word/header"))
    assert f'w:x="{twips_mm(MOVED_COLOFON_X)}"' in headers
    assert f'w:x="{twips_mm(163)}"' not in headers


def test_a_logo_of_a_ministrys_own_appears_in_word(tmp_path, monkeypatch):
    """A copied templates folder whose layout names a PNG logo: Word places that picture in the
    logo box of both headers, with the alt text, instead of the stand-in band."""
    import shutil

    from docx import Document as WordDocument
    from PIL import Image

    from kamerbrief.writers.word.ooxml import emu_mm
    from kamerbrief.writers.word.writer import render_docx

    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    (folder / "logo").mkdir()
    Image.new("RGB", (130, 371), (200, 30, 30)).save(folder / "logo" / "eigen.png")
    layout = (folder / "layout.toml").read_text(encoding="utf-8")
    (folder / "layout.toml").write_text(layout.replace('file = ""', 'file = "logo/eigen.png"', 1),
                                        encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_TEMPLATES", str(folder))
    monkeypatch.delenv("KAMERBRIEF_LAYOUT", raising=False)

    data = render_docx(compose_file(SEED_2019))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.read("word/media/logo.png") == (folder / "logo" / "eigen.png").read_bytes()
        for header in ("word/header1.xml", "word/header2.xml"):
            xml = package.read(header).decode()
            assert "pic:pic" in xml and "wps:wsp" not in xml
            assert f'cx="{emu_mm(load_layout().logo.width_mm)}"' in xml
            assert 'descr="Logo Nationaal Coördinator Terrorismebestrijding' in xml
    word = WordDocument(io.BytesIO(data))
    rels = word.sections[0].first_page_header.part.rels.values()
    assert any(rel.reltype.endswith("/image") for rel in rels)
