"""Dutch no-break rules: where a line may not break, applied once to the Document's text.

A no-break space (U+00A0) replaces the space inside a dossier number ("29 754"), after an
abbreviation that belongs to a number ("nr. 12", "art. 5"), around an amount ("€ 10 mln"),
inside a date ("9 december 2019"), after initials ("D. Yeşilgöz-Zegerius") and in "1 t/m 5";
a word joiner (U+2060, invisible) follows the en dash of a range ("2021–2022") and the slash of
"t/m". Both writers print these characters as they are: the PDF and Word break alike, and text
copied from the PDF reads as before (a no-break space copies as a space, the joiner as nothing).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyphen

from .. import cache
from ..document import readable  # noqa: F401 (the inverse of these rules, for readers)

NBSP = "\u00a0"
WORD_JOINER = "\u2060"
SOFT_HYPHEN = "\u00ad"

MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          "december")
NUMBER_WORDS = "nr|nrs|no|art|artt|artikel|artikelen|lid|leden|blz|p|pp|hfst|bijlage|onderdeel"
AMOUNT_UNITS = "mln|mld|miljoen|miljard|duizend|dzd|procent"

_S = r"[ \u00a0]"  # a space, or one already made unbreakable
RULES: tuple[tuple[re.Pattern, str], ...] = (
    # dossier and other grouped numbers: "29 754", "36 200"
    (re.compile(rf"(?<![\d,.])(\d{{1,3}}){_S}(?=\d{{3}}(?![\d]))"), rf"\1{NBSP}"),
    # "nr. 12", "art. 5", "artikel 3", "blz. 4", "lid 2" (the word, a space, a number)
    (re.compile(rf"\b((?:{NUMBER_WORDS})\.?){_S}(?=\d)", re.IGNORECASE), rf"\1{NBSP}"),
    # "€ 10", "10 mln", "€ 3,5 miljard", "15 %"
    (re.compile(rf"([€$£]){_S}(?=\d)"), rf"\1{NBSP}"),
    (re.compile(rf"(\d){_S}(?=(?:{AMOUNT_UNITS})\b|%)"), rf"\1{NBSP}"),
    # "9 december 2019", "9 december", "december 2019"
    (re.compile(rf"\b(\d{{1,2}}){_S}(?=(?:{MONTHS})\b)", re.IGNORECASE), rf"\1{NBSP}"),
    (re.compile(rf"\b((?:{MONTHS})){_S}(?=\d{{4}}\b)", re.IGNORECASE), rf"\1{NBSP}"),
    # initials and surname: "D. Yeşilgöz", "F.B.J. Grapperhaus" (initials: capitals with dots)
    (re.compile(rf"(?<![\w.])((?:[A-Z][a-z]?\.)+){_S}(?=[A-Z]\w)"), rf"\1{NBSP}"),
    # ranges: no break after the en dash between numbers ("2021–2022", "3–5")
    (re.compile(r"(\d)\u2013(?=\d)"), "\\1\u2013" + WORD_JOINER),
    # "1 t/m 5": one unit
    (re.compile(rf"(\d){_S}t/m{_S}(?=\d)"), rf"\1{NBSP}t/{WORD_JOINER}m{NBSP}"),
)


def keep_together(text: str) -> str:
    """`text` with no-break spaces and word joiners where a Dutch line may not break."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


# -- hyphenation --------------------------------------------------------------------------

_NOT_WORDS = re.compile(r"\S*(?:://|www\.|@)\S*")  # URLs and e-mail addresses: no hyphens
_LONG_WORD = r"[^\W\d_]{%d,}"


@lru_cache(maxsize=4)
def _dictionary(language: str) -> pyphen.Pyphen:
    lang = language.replace("-", "_")
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    if path not in pyphen.hdcache:  # Pyphen's own per-process cache of the parsed patterns
        pyphen.hdcache[path] = _patterns(Path(path))
    return pyphen.Pyphen(lang=lang)


def _patterns(path: Path) -> pyphen.HyphDict:
    """Pyphen's parsed patterns of a dictionary file, from the cache on disk (keyed by the
    file's bytes and Pyphen's version: parsing the file takes ~90 ms, reading the cache ~10)."""
    return cache.remembered(
        f"hyphenation-{path.stem}", cache.content_key(path.read_bytes(), pyphen.__version__),
        lambda: pyphen.HyphDict(path), _patterns_json, _patterns_from_json)


def _patterns_json(patterns: pyphen.HyphDict) -> dict | None:
    values = [value for _, found in patterns.patterns.values() for value in found]
    if any(type(value) is not int for value in values):  # nonstandard hyphenation: not stored
        return None
    return {"maxlen": patterns.maxlen,
            "patterns": {text: [start, list(found)] for text, (start, found)
                         in patterns.patterns.items()}}


def _patterns_from_json(stored: dict) -> pyphen.HyphDict:
    patterns = object.__new__(pyphen.HyphDict)  # what HyphDict.__init__ leaves, without parsing
    patterns.patterns = {text: (int(start), tuple(int(v) for v in found))
                         for text, (start, found) in stored["patterns"].items()}
    patterns.maxlen = max(len(text) for text in patterns.patterns)
    if patterns.maxlen != stored["maxlen"]:
        raise ValueError("hyphenation patterns do not match their maximum length")
    patterns.cache = {}
    return patterns


def hyphenate(text: str, min_chars: int, language: str = "nl-NL") -> str:
    """`text` with soft hyphens (U+00AD) where Dutch patterns (Pyphen, LibreOffice's) allow a
    break, in words of at least `min_chars` letters; URLs and addresses are left alone.

    Hyphenation is decided here, not by each writer: the PDF and Word break long words at the
    same places (WeasyPrint's own `hyphens: auto` also moved a footnote off its call's page)."""
    dictionary, long_word = _dictionary(language), re.compile(_LONG_WORD % min_chars)
    out, at = [], 0
    for skip in [*_NOT_WORDS.finditer(text), None]:
        stop = skip.start() if skip else len(text)
        out.append(long_word.sub(lambda m: m.group(0) if m.group(0).isupper()  # a code
                                 else dictionary.inserted(m.group(0), hyphen=SOFT_HYPHEN),
                                 text[at:stop]))
        if skip:
            out.append(skip.group(0))
            at = skip.end()
    return "".join(out)
