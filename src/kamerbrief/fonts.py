"""Which characters the letter's fonts can show (read from the font files' cmaps)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .layout import load_layout

ALWAYS_FINE = frozenset("\n\t\r")


@lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
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
    return frozenset.intersection(*(_cmap(path) for path in paths))


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
