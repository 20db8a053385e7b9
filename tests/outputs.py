"""Every letter the tests look at, composed and rendered once per test session.

The functions are cached for the whole session (pytest runs the tests of all files in one
process), so a test file that asks for the PDF of a letter another file already built gets the
same bytes without rendering again. The `built` fixture in conftest.py hands out `Outputs`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from kamerbrief import document as d

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY_LETTERS = sorted((ROOT / "letters").glob("*.yaml"))
LONG_LETTER = ROOT / "tests" / "fixtures" / "long-letter.yaml"
NESTED_LISTS = ROOT / "tests" / "fixtures" / "nested-lists.yaml"
TEST_LETTERS = [*REPOSITORY_LETTERS, LONG_LETTER, NESTED_LISTS]


@lru_cache(maxsize=None)
def composed(path: Path) -> d.Document:
    from kamerbrief.compose import compose_file

    return compose_file(path)


@lru_cache(maxsize=None)
def pdf_of(path: Path) -> bytes:
    from kamerbrief.writers.pdf.writer import render_pdf

    return render_pdf(composed(path))


@lru_cache(maxsize=None)
def docx_of(path: Path) -> bytes:
    from kamerbrief.writers.word.writer import render_docx

    return render_docx(composed(path))


@dataclass(frozen=True)
class PdfPage:
    """One page as pdfplumber reads it: its words (with size and font) and its characters."""

    width: float
    height: float
    words: tuple[dict, ...]
    chars: tuple[dict, ...]
    text: str


@lru_cache(maxsize=None)
def pdf_pages(data: bytes) -> tuple[PdfPage, ...]:
    """The pages of a PDF, parsed once per session."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return tuple(PdfPage(page.width, page.height,
                             tuple(page.extract_words(extra_attrs=["size", "fontname"])),
                             tuple(page.chars), page.extract_text())
                     for page in pdf.pages)


@dataclass(frozen=True)
class Outputs:
    """One letter file: its Document, its PDF and its .docx (each made once per session)."""

    path: Path

    @property
    def doc(self) -> d.Document:
        return composed(self.path)

    @property
    def pdf(self) -> bytes:
        return pdf_of(self.path)

    @property
    def docx(self) -> bytes:
        return docx_of(self.path)

    @cached_property
    def pages(self) -> tuple[PdfPage, ...]:
        return pdf_pages(self.pdf)
