"""The house-style numbers, read from one data file (templates/layout.toml) for both writers."""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from .paths import resolved, templates_dir

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
    link: str  # links in Word (the Hyperlink style: this colour, underlined)


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
    word_file: str  # a PNG or JPEG for Word when `file` is an SVG (Word needs a bitmap)
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
    label_gap_pt: float


class Body(_Part):
    x_mm: float
    width_mm: float
    blank_lines_after_subject: int
    follow_top_mm: float
    bottom_mm: float
    hyphenate_from_chars: int
    list_indent_mm: float
    quote_indent_mm: float


class Footnotes(_Part):
    rule_width_mm: float
    rule_gap_pt: float
    rule_thickness_pt: float
    rule_space_below_pt: float
    number_tab_mm: float          # Word: the note's text starts at this tab after its number


class Concept(_Part):
    """The CONCEPT mark of a draft: large light text left of the lint, on every page."""

    text: str
    x_mm: float
    top_mm: float
    size_pt: float


class PageNumber(_Part):
    top_mm: float
    format: str


class Signature(_Part):
    blank_lines_to_sign: int
    column_gap_mm: float
    per_row: int


class Lists(_Part):
    """List markers per nesting level: bullets, and number formats ("1.", "a.", "i.")."""

    bullets: tuple[str, ...]
    numbered: tuple[str, ...]

    @field_validator("bullets", "numbered")
    @classmethod
    def _levels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or not all(value):
            raise ValueError("give one non-empty marker per level")
        return value

    @field_validator("numbered")
    @classmethod
    def _formats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for fmt in value:
            if sum(fmt.count(char) for char in "1aAiI") != 1:
                raise ValueError(f"the number format {fmt!r} must hold exactly one of "
                                 f"1, a, A, i, I (the number)")
        return value

    def levels(self) -> tuple[tuple[str, str], ...]:
        """(bullet, number format) per level, the shorter list padded with its last entry."""
        depth = max(len(self.bullets), len(self.numbered))
        return tuple((self.bullets[min(i, len(self.bullets) - 1)],
                      self.numbered[min(i, len(self.numbered) - 1)]) for i in range(depth))


class Labels(_Part):
    """Fixed texts of the letterhead; `logo_alt` may name {organisation}."""

    date: str
    our_reference: str
    your_reference: str
    your_letter_date: str
    enclosures: str
    logo_alt: str


class AnswersPaper(_Part):
    """The answers document of kind antwoorden (and the Aanhangsel preview): no letterhead."""

    top_mm: float
    title_space_after_pt: float


class Checks(_Part):
    max_pages: int
    max_subject_lines: int


class Kamerstuk(_Part):
    """The Kamerstuk (publication) form: one column under the fixed head of a Kamerstuk."""

    keep_opening_closing: bool
    font: Literal["serif", "sans"]
    top_mm: float
    left_mm: float
    head_column_mm: float
    width_mm: float
    bottom_mm: float
    foot_bottom_mm: float
    size_pt: float
    leading_pt: float
    chamber_size_pt: float
    chamber_number_size_pt: float
    head_gap_pt: float
    after_head_pt: float
    note_size_pt: float
    note_leading_pt: float
    page_number_gap_mm: float


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
    concept: Concept
    lists: Lists
    labels: Labels
    answers: AnswersPaper
    kamerstuk: Kamerstuk

    def asset(self, relative: str) -> Path:
        """An asset named in the layout file, resolved inside the templates folder."""
        return resolved(str(templates_dir() / relative))


def layout_path() -> Path:
    """The layout file in use: `KAMERBRIEF_LAYOUT`, else templates/layout.toml."""
    configured = os.environ.get("KAMERBRIEF_LAYOUT")
    return resolved(configured) if configured else templates_dir() / "layout.toml"


@lru_cache(maxsize=4)
def _load(path: Path) -> Layout:
    from pydantic import ValidationError

    from .problems import SetupError

    what = ("set by KAMERBRIEF_LAYOUT; fix it, or unset KAMERBRIEF_LAYOUT for the standard "
            "layout" if os.environ.get("KAMERBRIEF_LAYOUT") else "fix it")
    try:
        with path.open("rb") as handle:
            return Layout.model_validate(tomllib.load(handle))
    except OSError as exc:
        raise SetupError(f"{path}: the layout file cannot be read ({exc.strerror}); {what}")
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        where = f":{found.group(1)}" if found else ""
        raise SetupError(f"{path}{where}: the layout file is not valid TOML "
                         f"({re.sub(r' [(]at line.*', '', str(exc))}); {what}")
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise SetupError(f"{path}: the layout file's '{key}' is wrong ({error['msg']}); {what}")


def load_layout() -> Layout:
    """The validated layout (cached per file)."""
    return _load(layout_path())
