"""What the letter's fonts can show and how wide text is, read from the font files."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from . import cache
from .layout import MM_PER_PT, load_layout

ALWAYS_FINE = frozenset("\n\t\r")


@lru_cache(maxsize=8)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Advance width of every character the font maps, and its units per em; from the cache
    on disk, keyed by the font file's bytes (decoding the font takes ~10 ms a file)."""
    data = path.read_bytes()
    return cache.remembered(
        f"widths-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}",
        cache.content_key(data),  # the widths are the file's: no library version in the key
        lambda: _read_advances(data),
        lambda found: {"units": found[1], "widths": sorted(found[0].items())},
        lambda stored: ({int(code): int(width) for code, width in stored["widths"]},
                        int(stored["units"])))


def _read_advances(data: bytes) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 (only when the cache has no entry)

    font = TTFont(io.BytesIO(data), lazy=True)
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
    wrong = {char for char in set(text) - ALWAYS_FINE  # each distinct character once
             if ord(char) not in covered
             or unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn")}
    return [(index, char) for index, char in enumerate(text) if char in wrong] if wrong else []


def describe(char: str) -> str:
    """'ř' (U+0159 LATIN SMALL LETTER R WITH CARON)."""
    name = unicodedata.name(char, "unnamed character")
    shown = char if unicodedata.category(char)[0] not in "CZ" else ""
    return f"{shown!r} (U+{ord(char):04X} {name})" if shown else f"U+{ord(char):04X} {name}"


def _metrics(bold: bool = False) -> tuple[dict[int, int], int]:
    layout = load_layout()
    return _advances(layout.asset(layout.fonts.sans_bold if bold else layout.fonts.sans_regular))


def _width(text: str, size_pt: float, metrics: tuple[dict[int, int], int]) -> float:
    widths, units = metrics
    return sum(widths.get(ord(c), units) for c in text) * size_pt / units


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of text in the body font, regular or bold (the stand-in's metrics; Verdana's are
    close)."""
    return _width(text, size_pt, _metrics(bold))


def wrapped_lines(text: str, room_pt: float, size_pt: float, bold: bool = False) -> int:
    """How many lines a text takes in a column `room_pt` wide (greedy word wrap; a word wider
    than the column is counted as broken over as many lines as it needs)."""
    metrics = _metrics(bold)
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and _width(trial, size_pt, metrics) > room_pt:
            lines, current = lines + 1, word
        else:
            current = trial
        while _width(current, size_pt, metrics) > room_pt and len(current) > 1:
            cut = max(1, int(len(current) * room_pt / _width(current, size_pt, metrics)))
            lines, current = lines + 1, current[cut:]
    return lines


def too_wide(text: str, room_pt: float, size_pt: float, bold: bool = False) -> str | None:
    """The first word of a text that is wider than a column `room_pt` wide, or None."""
    metrics = None
    widest = room_pt / size_pt / 3  # no glyph is 3 em wide: a shorter word fits
    for word in text.split():
        if len(word) > widest:
            metrics = metrics or _metrics(bold)
            if _width(word, size_pt, metrics) > room_pt:
                return word
    return None


# Characters that change the reading direction of what follows: text would print reversed.
DIRECTION_MARKS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def label_tab_mm(*labels: str) -> float:
    """Where the values of the Datum and subject rows start: the layout's tab, or further
    right when a label (e.g. "Onderwerp") leaves less than `label_gap_pt` before it, so that
    all values stay aligned. Decided once in compose (Document.row_tab_mm)."""
    layout = load_layout()
    widest = max((text_width_pt(label, layout.type.body_size_pt) for label in labels), default=0)
    return round(max(layout.datum.tab_mm, (widest + layout.datum.label_gap_pt) * MM_PER_PT), 2)
