"""What the letter's fonts can show and how wide text is, read from the font files."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .layout import MM_PER_PT, load_layout

ALWAYS_FINE = frozenset("\n\t\r")


@lru_cache(maxsize=8)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Advance width of every character the font maps, and its units per em."""
    font = TTFont(str(path), lazy=True)
    try:
        # glyphs by number: spares decoding the glyph names of the 'post' table (half the time)
        font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
        return widths, font["head"].unitsPerEm
    finally:
        font.close()


def body_coverage() -> frozenset[int]:
    """Code points every style of the body font can show (regular, bold, italic)."""
    layout = load_layout()
    fonts = layout.fonts
    return _coverage(tuple(layout.asset(f) for f in (
        fonts.sans_regular, fonts.sans_bold, fonts.sans_italic, fonts.sans_bold_italic)))


@lru_cache(maxsize=4)
def _coverage(paths: tuple[Path, ...]) -> frozenset[int]:
    return frozenset.intersection(*(frozenset(_advances(path)[0]) for path in paths))


def unprintable(text: str, covered: frozenset[int] | None = None) -> list[tuple[int, str]]:
    """(index, character) of each character the body font cannot show, or that is invisible."""
    covered = covered if covered is not None else body_coverage()
    if text.isascii() and text.isprintable():
        return []
    out = []
    for index, char in enumerate(text):
        if char in ALWAYS_FINE:
            continue
        if ord(char) not in covered or unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn"):
            out.append((index, char))
    return out


def describe(char: str) -> str:
    """'ř' (U+0159 LATIN SMALL LETTER R WITH CARON)."""
    name = unicodedata.name(char, "unnamed character")
    shown = char if unicodedata.category(char)[0] not in "CZ" else ""
    return f"{shown!r} (U+{ord(char):04X} {name})" if shown else f"U+{ord(char):04X} {name}"


def text_width_pt(text: str, size_pt: float) -> float:
    """Width of text in the body font, regular (the stand-in's metrics; Verdana's are close)."""
    layout = load_layout()
    widths, units = _advances(layout.asset(layout.fonts.sans_regular))
    return sum(widths.get(ord(c), units) for c in text) * size_pt / units


def label_tab_mm(*labels: str) -> float:
    """Where the values of the Datum and subject rows start: the layout's tab, or further
    right when a label (e.g. "Onderwerp") leaves less than `label_gap_pt` before it, so that
    all values stay aligned. Decided once in compose (Document.row_tab_mm)."""
    layout = load_layout()
    widest = max((text_width_pt(label, layout.type.body_size_pt) for label in labels), default=0)
    return round(max(layout.datum.tab_mm, (widest + layout.datum.label_gap_pt) * MM_PER_PT), 2)
