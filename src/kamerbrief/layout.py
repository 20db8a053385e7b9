"""The house-style numbers, read from one data file (templates/layout.toml) for both writers."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .paths import templates_dir

MM_PER_PT = 25.4 / 72


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Part):
    width_mm: float
    height_mm: float
    language: str


class Colours(_Part):
    lint: str
    text: str
    concept: str


class Fonts(_Part):
    sans_family: str
    sans_regular: str
    sans_bold: str
    sans_italic: str
    sans_bold_italic: str
    serif_family: str
    serif_regular: str
    serif_bold: str
    serif_italic: str
    serif_bold_italic: str
    word_sans: str
    word_serif: str

    def files(self) -> list[str]:
        """Every font file named, sans first."""
        return [
            self.sans_regular, self.sans_bold, self.sans_italic, self.sans_bold_italic,
            self.serif_regular, self.serif_bold, self.serif_italic, self.serif_bold_italic,
        ]


class Type(_Part):
    body_size_pt: float
    body_leading_pt: float
    small_size_pt: float
    small_leading_pt: float
    wordmark_size_pt: float
    wordmark_leading_pt: float


class Logo(_Part):
    file: str
    word_file: str = ""  # a PNG or JPEG for Word when `file` is an SVG (Word needs a bitmap)
    x_mm: float
    width_mm: float
    height_mm: float


class Box(_Part):
    x_mm: float
    top_mm: float
    width_mm: float


class ReturnAddress(Box):
    prefix: str


class Recipient(Box):
    max_lines: int


class Colofon(Box):
    group_gap_pt: float
    kenmerk_gap_pt: float


class Datum(_Part):
    top_mm: float
    tab_mm: float
    label_gap_pt: float = 3       # least space after a label wider than the tab ("Onderwerp")


class Body(_Part):
    x_mm: float
    width_mm: float
    blank_lines_after_subject: int
    follow_top_mm: float
    bottom_mm: float
    list_indent_mm: float = 5       # hanging indent of list items (bullet or number in front)
    quote_indent_mm: float = 5      # left indent of a quotation


class Footnotes(_Part):
    rule_width_mm: float
    rule_gap_pt: float
    rule_thickness_pt: float = 0.5
    rule_space_below_pt: float = 3  # between the rule and the first note


class Concept(_Part):
    """The CONCEPT mark of a draft: large light text left of the lint, on every page."""

    text: str = "CONCEPT"
    x_mm: float = 23
    top_mm: float = 18
    size_pt: float = 28


class PageNumber(_Part):
    top_mm: float
    format: str


class Signature(_Part):
    blank_lines_to_sign: int
    column_gap_mm: float


class Checks(_Part):
    max_pages: int
    max_subject_lines: int


class Layout(_Part):
    """The whole layout file, validated."""

    page: Page
    colours: Colours
    fonts: Fonts
    type: Type
    logo: Logo
    wordmark: Box
    return_address: ReturnAddress
    recipient: Recipient
    colofon: Colofon
    datum: Datum
    body: Body
    footnotes: Footnotes
    page_number: PageNumber
    signature: Signature
    checks: Checks
    concept: Concept = Concept()

    def asset(self, relative: str) -> Path:
        """An asset named in the layout file, resolved inside the templates folder."""
        return (templates_dir() / relative).resolve()


def layout_path() -> Path:
    """The layout file in use: `KAMERBRIEF_LAYOUT`, else templates/layout.toml."""
    configured = os.environ.get("KAMERBRIEF_LAYOUT")
    return Path(configured).resolve() if configured else templates_dir() / "layout.toml"


@lru_cache(maxsize=4)
def _load(path: Path) -> Layout:
    with path.open("rb") as handle:
        return Layout.model_validate(tomllib.load(handle))


def load_layout() -> Layout:
    """The validated layout (cached per file)."""
    return _load(layout_path())
