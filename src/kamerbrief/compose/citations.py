"""Parliamentary citations: the vergaderjaar, dossier numbers and the citation styles.

One place for the rules of Aanwijzing voor de regelgeving 3.43/3.45 (`ar`), the form the
Kamer prints in its publications (`publicatie`) and the short in-text form (`kort`); see
docs/letter-format.md, "Kamerstuk (publication form)". Pure functions on plain values, so the
Kamerstuk form, the letter's footnotes and other letter kinds share them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

NBSP = "\u00a0"
EN_DASH = "\u2013"
STYLES = ("ar", "publicatie", "kort")
LETTER_STYLE = "ar"           # the default in the ministry's own letter (Ar 3.43)
PUBLICATION_STYLE = "publicatie"  # the default in the Kamerstuk form (as the Kamer prints)


# -- the vergaderjaar --------------------------------------------------------------------------

def prinsjesdag(year: int) -> dt.date:
    """The third Tuesday of September of `year`: the parliamentary year starts that day."""
    first = dt.date(year, 9, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + dt.timedelta(weeks=2)


def vergaderjaar(day: dt.date) -> int:
    """The first calendar year of the vergaderjaar `day` falls in (2023 for 2023–2024)."""
    return day.year if day >= prinsjesdag(day.year) else day.year - 1


def year_text(first: int, style: str = PUBLICATION_STYLE) -> str:
    """2023 as "2023–2024" (publication), "2023/24" (Ar 3.43; "1999/2000" at a century)."""
    second = first + 1
    if style == "ar":
        return f"{first}/{second}" if second % 100 == 0 else f"{first}/{second % 100:02d}"
    return f"{first}{EN_DASH}{second}"


_VERGADERJAAR = re.compile(r"^\s*(\d{4})\s*[-\u2013/]\s*(\d{2}|\d{4})\s*$")


def parse_vergaderjaar(value: str | int) -> int | None:
    """"2023-2024", "2023–2024" or "2023/24" -> 2023; None when it is not two consecutive
    years."""
    match = _VERGADERJAAR.match(str(value))
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    expected = f"{first + 1:04d}"
    return first if second in (expected, expected[2:]) else None


# -- dossier numbers ---------------------------------------------------------------------------

_DOSSIER = re.compile(
    r"^(?P<head>\d{2})\s?(?P<tail>\d{3})(?P<part>-\d{1,2})?"
    r"(?P<suffix>[\s-](?:[IVXL]+(?:-[A-Z0-9]+)?|[A-Z]{1,4}))?$")
_EK_SERIES = re.compile(r"^[A-Z]{1,4}$")


@dataclass(frozen=True)
class DossierNumber:
    """A Kamerstuk dossier number in parts: "31700 VI" is ("31", "700", "", " VI")."""

    head: str
    tail: str
    part: str = ""     # "-02" of "21 501-02"
    suffix: str = ""   # " VI", " C", "-XVI"
    series: str = ""   # an Eerste Kamer letter series ("CII") instead of digits

    def text(self, spaced: bool = True) -> str:
        """"29 754" (no-break space) or "29754" (Ar 3.43)."""
        if self.series:
            return self.series
        gap = NBSP if spaced else ""
        return f"{self.head}{gap}{self.tail}{self.part}{self.suffix.replace(' ', NBSP)}"

    def compact(self) -> str:
        """Without spaces, as in a publication identifier (kst-29754-123)."""
        return self.text(spaced=False).replace(NBSP, "")


def parse_dossier(value: str, eerste_kamer: bool = False) -> DossierNumber | None:
    """A dossier number ("29 754", "29754", "21 501-02", "32 500 C", "36 600 VII", "36 410-XVI";
    for the Eerste Kamer also a letter series "CII"); None when it is none of these."""
    text = re.sub(r"\s+", " ", str(value).replace(NBSP, " ")).strip()
    match = _DOSSIER.match(text)
    if match:
        return DossierNumber(match["head"], match["tail"], match["part"] or "",
                             match["suffix"] or "")
    if eerste_kamer and _EK_SERIES.match(text):
        return DossierNumber("", "", series=text)
    return None


# -- citations ---------------------------------------------------------------------------------

REFERENCE = re.compile(r"\[@([^\]\s]+)\]")  # a reference in running text: [@id]

KINDS = ("kamerstuk", "handelingen", "aanhangsel", "stb", "stcrt", "trb", "wetsvoorstel")
KIND_ALIASES = {"staatsblad": "stb", "staatscourant": "stcrt", "tractatenblad": "trb"}
_GAZETTES = {"stb": "Stb.", "stcrt": "Stcrt.", "trb": "Trb."}


@dataclass(frozen=True)
class Citation:
    """One checked citation; `year` is the first year of a vergaderjaar, or a calendar year
    for stb/stcrt/trb."""

    kind: str
    chamber: str = "II"            # "II" Tweede Kamer, "I" Eerste Kamer
    year: int | None = None
    dossier: DossierNumber | None = None
    nr: int | None = None
    letter: str | None = None      # an Eerste Kamer stuk: a letter instead of nr
    item: int | None = None
    pages: str | None = None       # "3" or "25-36"


def _pages(pages: str, style: str) -> str:
    text = pages.replace(EN_DASH, "-")
    if style != "ar":
        text = text.replace("-", EN_DASH)
    return f"p.{NBSP}{text}"


def render(citation: Citation, style: str) -> str:
    """One citation in a style (no closing full stop). See the table in docs/letter-format.md."""
    c, ar = citation, style == "ar"
    spaced = not ar  # "29 754" except in Ar 3.43 ("29754")
    year = year_text(c.year, "ar" if ar else PUBLICATION_STYLE) if c.year is not None else ""
    nr = f"nr.{NBSP}{c.nr}" if c.nr is not None else ""
    if c.kind == "kamerstuk":
        dossier = c.dossier.text(spaced)
        stuk = c.letter if c.letter else nr
        if style == "kort":
            return f"Kamerstuk {dossier}, {stuk}"
        parts = [f"Kamerstukken{NBSP}{c.chamber} {year}", dossier, stuk]
    elif c.kind == "wetsvoorstel":
        return f"(Kamerstukken {c.dossier.text(spaced=style == 'publicatie')})"
    elif c.kind == "handelingen":
        short_year = year_text(c.year, "ar")
        parts = [f"Handelingen{NBSP}{c.chamber} {short_year if style == 'kort' else year}", nr]
        if c.item is not None:
            parts.append(f"item {c.item}")
        if c.pages and style != "kort":
            parts.append(_pages(c.pages, style))
        return ", ".join(parts)
    elif c.kind == "aanhangsel":
        if style == "kort":
            return f"Aanhangsel Handelingen, vergaderjaar {year_text(c.year)}, {nr}"
        return f"Aanhangsel Handelingen{NBSP}{c.chamber} {year}, {nr}"
    else:  # stb, stcrt, trb: Ar 3.45 in every style
        return f"{_GAZETTES[c.kind]}{NBSP}{c.year}, {c.nr}"
    if c.pages and style != "kort":
        parts.append(_pages(c.pages, style))
    return ", ".join(parts)


def join(items: list[str]) -> str:
    """"A", "A en B", "A, B en C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def note_text(first: list[Citation], style: str, then: str | None = None,
              also: list[Citation] = ()) -> str:
    """A footnote made of citations: the first group, then `then` and the second group,
    ending in a full stop: "A. Zie verder ook: B, C en D."."""
    text = join([render(c, style) for c in first])
    if also:
        text += ". " + (f"{then} " if then else "") + join([render(c, style) for c in also])
    return text if text.endswith(".") else text + "."


# -- free text that looks like a citation ------------------------------------------------------

_FREE_KAMERSTUK = re.compile(
    r"Kamerstuk(?:ken)?[\s\u00a0]+(?P<chamber>II|I)[\s\u00a0]+(?P<year>\d{4}[\s]*[-\u2013/][\s]*\d{2,4})"
    r"[\s,]*(?P<dossier>\d{2}[\s\u00a0]?\d{3}(?:-\d{1,2})?(?:[\s\u00a0-](?:[IVXL]+|[A-Z]{1,4})\b)?)"
    r"[\s,]*(?:nr\.?|nummer)[\s\u00a0]*(?P<nr>\d+)")
_FREE_SHORT = re.compile(
    r"Kamerstuk[\s\u00a0]+(?P<dossier>\d{2}[\s\u00a0]?\d{3}(?:-\d{1,2})?"
    r"(?:[\s\u00a0-](?:[IVXL]+|[A-Z]{1,4})\b)?)[\s,]*(?:nr\.?|nummer)[\s\u00a0]*(?P<nr>\d+)")


@dataclass(frozen=True)
class FreeCitation:
    """A Kamerstuk reference found in free text, not written in the standard form."""

    start: int            # offset in the text
    written: str
    standard: str
    data: str             # the same reference as a `cite:` mapping, for the message


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def nonstandard_citations(text: str, style: str = PUBLICATION_STYLE) -> list[FreeCitation]:
    """Kamerstuk references in free text that differ from their standard form in `style`
    ("Kamerstukken II 2017/18, 29754, nr. 436" -> "Kamerstukken II 2017–2018, 29 754,
    nr. 436"); the short form is checked against "Kamerstuk 29 754, nr. 436"."""
    found, taken = [], []
    long_style = style if style in ("ar", PUBLICATION_STYLE) else PUBLICATION_STYLE
    for match in _FREE_KAMERSTUK.finditer(text):
        taken.append(match.span())
        first, dossier = parse_vergaderjaar(match["year"]), parse_dossier(match["dossier"])
        if first is None or dossier is None:
            continue
        citation = Citation("kamerstuk", match["chamber"], first, dossier, int(match["nr"]))
        standard = render(citation, long_style)
        if _plain(match.group(0)) != _plain(standard):
            found.append(FreeCitation(match.start(), match.group(0), _plain(standard),
                                      _as_data(citation)))
    for match in _FREE_SHORT.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        dossier = parse_dossier(match["dossier"])
        if dossier is None:
            continue
        citation = Citation("kamerstuk", dossier=dossier, nr=int(match["nr"]))
        standard = render(citation, "kort")
        if _plain(match.group(0)) != _plain(standard):
            found.append(FreeCitation(match.start(), match.group(0), _plain(standard),
                                      _as_data(citation, short=True)))
    return sorted(found, key=lambda item: item.start)


def _as_data(c: Citation, short: bool = False) -> str:
    dossier = _plain(c.dossier.text())
    if short:
        return f'{{kind: kamerstuk, dossier: "{dossier}", nr: {c.nr}}}'
    return (f'{{kind: kamerstuk, chamber: {c.chamber}, year: {c.year}-{c.year + 1}, '
            f'dossier: "{dossier}", nr: {c.nr}}}')


# -- a citation written as data (the letter file's `cite:`) -------------------------------------

def citation_from(spec, letter_year: int | None = None) -> tuple[Citation | None, list[tuple]]:
    """A checked Citation from a `cite:` entry (letter.model.CiteSpec), and the problems as
    (field, message, severity) with the field inside the entry ("" for the entry itself)."""
    kind = KIND_ALIASES.get(spec.kind, spec.kind)
    chamber = spec.chamber or "II"
    problems: list[tuple] = []

    def need(name: str, what: str) -> None:
        if getattr(spec, name) is None:
            problems.append(("", f"a {kind} citation needs {name}: ({what}); add it", "error"))

    def unused(*names: str) -> None:
        for name in names:
            if getattr(spec, name) is not None:
                problems.append((name, f"a {kind} citation has no {name}; remove it", "error"))

    year = dossier = None
    if kind in ("kamerstuk", "handelingen", "aanhangsel"):
        need("year", "the vergaderjaar, e.g. 2022-2023")
        if spec.year is not None:
            year = parse_vergaderjaar(spec.year)
            if year is None:
                problems.append(("year", f"'{spec.year}' is not a vergaderjaar; write two "
                                 f"consecutive years, e.g. 2022-2023", "error"))
            elif letter_year is not None and year > letter_year:
                problems.append(("year", f"the vergaderjaar {year_text(year)} lies after the "
                                 f"letter's own ({year_text(letter_year)}); check it", "warning"))
    elif kind in _GAZETTES:
        need("year", "the calendar year, e.g. 2011")
        if spec.year is not None:
            if re.fullmatch(r"\d{4}", str(spec.year).strip()):
                year = int(str(spec.year).strip())
            else:
                problems.append(("year", f"'{spec.year}' is not a year; write it as e.g. 2011",
                                 "error"))
    if kind in ("kamerstuk", "wetsvoorstel"):
        need("dossier", 'the dossier number, e.g. "29 754"')
        if spec.dossier is not None:
            dossier = parse_dossier(spec.dossier, eerste_kamer=chamber == "I")
            if dossier is None:
                problems.append(("dossier", f"'{spec.dossier}' is not a dossier number; write "
                                 f'it like "29 754", "21 501-02" or "36 600 VII"', "error"))
    else:
        unused("dossier")
    if kind == "kamerstuk":
        if spec.nr is not None and spec.letter is not None:
            problems.append(("letter", "write nr (a Tweede Kamer stuk) or letter (an Eerste "
                             "Kamer stuk), not both", "error"))
        elif chamber == "I" and spec.nr is not None:
            problems.append(("nr", "an Eerste Kamer stuk has a letter, not a number; write "
                             "letter: D", "error"))
        elif chamber == "II" and spec.letter is not None:
            problems.append(("letter", "a Tweede Kamer stuk has a number; write nr: instead "
                             "of letter:", "error"))
        elif spec.nr is None and spec.letter is None:
            need("nr", "the ondernummer, e.g. 678")
        if spec.letter is not None and not re.fullmatch(r"[A-Z]{1,3}", spec.letter):
            problems.append(("letter", "write the letter of the stuk in capitals, e.g. D",
                             "error"))
        unused("item")
    elif kind == "wetsvoorstel":
        unused("nr", "letter", "item", "page", "pages")
    else:
        need("nr", "the number")
        unused("letter")
    if kind == "handelingen":
        if spec.item is not None and year is not None and year < 2010:
            problems.append(("item", "Handelingen before 2010-2011 have no item numbers; "
                             "remove item", "error"))
    elif kind == "aanhangsel" or kind in _GAZETTES:
        unused("item")
    if spec.page is not None and spec.pages is not None:
        problems.append(("pages", "write page or pages, not both", "error"))
    if kind in _GAZETTES or kind == "aanhangsel":
        unused("page", "pages")
    if any(severity == "error" for _, _, severity in problems):
        return None, problems
    pages = spec.pages if spec.pages is not None else spec.page
    return Citation(kind, chamber, year, dossier, spec.nr, spec.letter, spec.item,
                    str(pages) if pages is not None else None), problems
