"""One layout file for both writers: change a number there and the PDF and the Word file follow."""

from __future__ import annotations

import io
import re
import zipfile

import pdfplumber
import pytest

from kamerbrief.compose import compose_file
from kamerbrief.layout import MM_PER_PT, load_layout
from kamerbrief.ooxml import twips_mm
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
    from kamerbrief.pdf import render_pdf
    from kamerbrief.word import render_docx

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
