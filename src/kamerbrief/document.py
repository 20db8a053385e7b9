"""The composed Document: the one tree both writers render (and nothing else).

Everything here is resolved: registry looked up, date formatted in Dutch, Markdown parsed into
blocks of inline runs, footnotes numbered 1, 2, 3 ... in order of first call.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from .problems import Problem


# -- inline runs -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of properties; `href` makes it (part of) a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class FootnoteCall:
    """A footnote call; `number` is the letter-wide footnote number. `first` is false for a
    later call of a note already called: writers print the note once, at its first call."""

    number: int
    first: bool = True


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Union[Run, FootnoteCall, LineBreak]


# -- blocks ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int  # 1, 2 or 3
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    """`keep_with_next`: a list's lead-in, a label ("Vraag 3") or the last body paragraph
    before the signatures, which may not end a page on its own (decided in compose)."""

    inlines: tuple[Inline, ...]
    keep_with_next: bool = False


@dataclass(frozen=True)
class ListBlock:
    """A bullet list (`ordered` false) or a numbered list starting at `start`.

    `level` is the list's nesting depth (0 outermost) and `markers` the printed marker of each
    item ("•", "–", "3.", "b.", "ii."), both decided in compose (kamerbrief.compose.printing)."""

    ordered: bool
    start: int
    items: tuple[tuple["Block", ...], ...]  # each item is a sequence of blocks
    level: int = 0
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]


Block = Union[Heading, Paragraph, ListBlock, Quote]


@dataclass(frozen=True)
class Footnote:
    number: int
    inlines: tuple[Inline, ...]
    label: str | None = None  # the id used in the letter file; None for an inline footnote ^[...]


@dataclass(frozen=True)
class SectionStart:
    """Where a section of the letter file begins in Document.blocks: `path` is its index path
    in the file ((1,) is the second section, (1, 0) its first sub-section), `start` the index
    of its first block (a section without blocks of its own starts where the next one does)."""

    path: tuple[int, ...]
    start: int


# -- the letterhead --------------------------------------------------------------------------

@dataclass(frozen=True)
class Sender:
    """The resolved sending organisation, as printed in wordmark and colofon."""

    organisation: str                 # full name, e.g. "Nationaal Coördinator ..."; PDF author
    ministry: str                     # "Ministerie van Justitie en Veiligheid"
    wordmark: tuple[str, ...]         # upright lines (unit, or the ministry when no unit)
    wordmark_italic: tuple[str, ...]  # italic lines below (the ministry under a unit), else ()
    colofon_name: str                 # first colofon line, bold ("NCTV")
    visit_address: tuple[str, ...]    # ("Turfmarkt 147", "2511 DP Den Haag")
    postal_address: tuple[str, ...]   # ("Postbus 16950", "2500 BZ Den Haag")
    website: str | None
    phone: str | None
    email: str | None
    contact: tuple[str, ...]          # free contact lines
    return_address: str               # "Postbus 16950 2500 BZ Den Haag" (prefix from the layout)
    subject_label: str                # "Betreft" or "Onderwerp"
    colofon_note: str                 # "Bij beantwoording ..."


@dataclass(frozen=True)
class Signatory:
    title: str
    name: str
    lines: tuple[str, ...] = ()  # as printed: ("De Minister van ...,", "A. Naam"); by compose


# -- the letter as printed (filled by kamerbrief.compose.printing) ---------------------------

@dataclass(frozen=True)
class ColofonEntry:
    """One group of the colofon: an optional bold label, then its lines.

    `gap` is the space above the group: "none" (the first), "group" (half a line) or "kenmerk"
    (the larger gap before the reference groups); `bold`/`italic` style the lines."""

    label: str | None
    lines: tuple[str, ...]
    gap: str = "group"
    bold: bool = False
    italic: bool = False
    field: str | None = None  # the letter field it shows ("date", "kenmerk", "your_reference")


@dataclass(frozen=True)
class Row:
    """A labelled row at the head of the body: ("Datum", "9 december 2019"), ("Betreft", ...)."""

    label: str
    value: str
    field: str | None = None  # the letter field it shows ("date", "subject")


NUMBER_KINDS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
                "I": "upperRoman"}


@dataclass(frozen=True)
class ListLevel:
    """How one nesting level of lists is marked: `bullet` ("•") and `numbered`, a number format
    whose one character 1, a, A, i or I stands for the number ("1.", "a.", "(i)")."""

    bullet: str
    numbered: str

    def number_parts(self) -> tuple[str, str, str]:
        """(text before, kind, text after) of the number format: ("", "lowerLetter", ".")."""
        for at, char in enumerate(self.numbered):
            if char in NUMBER_KINDS:
                return self.numbered[:at], NUMBER_KINDS[char], self.numbered[at + 1:]
        raise ValueError(f"list number format {self.numbered!r} has no 1, a, A, i or I")

    def marker(self, ordered: bool, number: int) -> str:
        """The printed marker of item `number` (counting from the list's start)."""
        if not ordered:
            return self.bullet
        before, kind, after = self.number_parts()
        return before + format_number(kind, number) + after


def list_level(levels: tuple[ListLevel, ...], depth: int) -> ListLevel:
    """The marking of list nesting depth `depth` (0 outermost); deeper than given: the last."""
    return levels[min(depth, len(levels) - 1)]


def format_number(kind: str, number: int) -> str:
    """`number` written as decimal, lower/upper letter (a..z, aa..) or lower/upper roman."""
    if kind == "decimal":
        return str(number)
    if kind.endswith("Letter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if kind.startswith("upper") else letter
    numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out, rest = "", number
    for value, numeral in numerals:
        while rest >= value:
            out, rest = out + numeral, rest - value
    return out.upper() if kind.startswith("upper") else out


@dataclass(frozen=True)
class Answers:
    """What the answers paper of a letter of kind antwoorden prints besides its blocks (the
    "Vraag n" / "Antwoord n" labels, level-2 headings, each followed by its text)."""

    title: str                 # the ministry bijlage's title, printed as its level-1 heading
    question_head: str         # Aanhangsel form: "Vragen van het lid ... (ingezonden ...)."
    answer_head: str           # Aanhangsel form: "Antwoord van ... (ontvangen ...). Zie ook ..."
    chamber: str               # "Tweede Kamer der Staten-Generaal"
    vergaderjaar: str | None   # "2024–2025" (en dash) when the Aanhangsel number is known
    number: int | None         # the Aanhangsel number, when known


# -- the Kamerstuk (publication) form -----------------------------------------------------------

@dataclass(frozen=True)
class Dossier:
    number: str  # "29 754" (grouped with a no-break space)
    title: str   # "Terrorismebestrijding"


@dataclass(frozen=True)
class Publication:
    """The letter as the Kamer publishes it (a Kamerstuk): every line of the head, the
    signature and the notes decided here; the body blocks are the letter's own."""

    chamber: str                        # "Tweede Kamer der Staten-Generaal"
    chamber_number: str                 # "2", at the right of the chamber line
    vergaderjaar: str                   # "Vergaderjaar 2023–2024"
    dossiers: tuple[Dossier, ...]       # one line each, in print order
    number: str                         # "Nr. 123"
    title: str                          # "BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID"
    addressee: str                      # "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
    place_date: str                     # "Den Haag, 12 december 2023"
    opening: str | None                 # None: the Kamerstuk drops the salutation (layout switch)
    closing: str | None
    signatures: tuple[tuple[str, ...], ...]  # per signatory its lines: ("De Minister van ...,", name)
    footnotes: tuple[Footnote, ...]     # the letter's numbers; citations in this form's style
    running_foot: str                   # "Tweede Kamer, vergaderjaar 2023–2024, 29 754, nr. 123"
    imprint: tuple[str, ...]            # first page, left foot: kst-29754-123, ISSN, place year
    blocks: tuple["Block", ...] = ()    # the letter's body, headings one level down: the stuk
                                        # title is the H1 of the publication
    page_label: str = "{page}"          # the page number of the running foot


# -- the whole letter ------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    source: Path
    stem: str                         # output file name without suffix (per paper)
    draft: bool
    date: dt.date | None
    date_text: str                    # "9 december 2019", or "[datum]" in a draft without date
    kenmerk: str                      # the kenmerk, or "[kenmerk]" in a draft without one
    your_reference: str | None
    subject: str
    attachments: tuple[str, ...]
    sender: Sender
    recipient: tuple[str, ...]        # address lines, city in capitals
    opening: str | None
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]   # in number order
    closing: str | None
    signatories: tuple[Signatory, ...]
    language: str = "nl-NL"
    paper: str = "letter"             # which paper of the letter file this is (writers by paper)
    sections: tuple[SectionStart, ...] = ()  # where each section of the letter file begins
    publication: Publication | None = None  # the Kamerstuk form; None when the file lacks it
    publication_problems: tuple[Problem, ...] = ()  # why there is none (located messages)
    meta: dict = field(default_factory=dict, compare=False)
    # -- as printed: decided by compose (kamerbrief.compose.printing.dress), drawn by writers --
    mark: str | None = None           # the CONCEPT mark of a draft
    logo_alt: str = ""                # alternative text of the logo
    return_line: str = ""             # "> Retouradres Postbus 16950 2500 BZ Den Haag"
    colofon: tuple[ColofonEntry, ...] = ()        # page 1, in order
    short_colofon: tuple[ColofonEntry, ...] = ()  # page 2 and on
    rows: tuple[Row, ...] = ()        # Datum and Betreft/Onderwerp
    row_tab_mm: float = 0             # where the rows' values start (labels wider than the tab)
    list_levels: tuple[ListLevel, ...] = ()  # markers per list nesting level (deeper: the last)
    page_label: str = ""              # "Pagina {page} van {pages}": the writers fill in numbers
    your_letter_date: str | None = None  # "Uw brief van" in the colofon ("20 december 2024")
    answers: Answers | None = None    # the answers paper (paper "answers") of kind antwoorden
    warnings: tuple = field(default=(), compare=False)  # Problems of severity "warning"
    signature_rows: tuple[tuple[Signatory, ...], ...] = ()  # signatories, side by side per row

    @property
    def title(self) -> str:
        """Document title for PDF/Word properties: the subject (no-break characters as a
        reader types them)."""
        return readable(self.subject)

    @property
    def author(self) -> str:
        """Document author for PDF/Word properties: the sending organisation."""
        return self.sender.organisation


def readable(text: str) -> str:
    """Text as a reader copies it: no-break spaces as spaces, word joiners and soft hyphens
    (kamerbrief.compose.textrules) left out."""
    return text.replace("\u00a0", " ").replace("\u2060", "").replace("\u00ad", "")


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The visible text of inline runs (footnote calls as their numbers) as a reader copies it:
    no-break spaces as spaces, word joiners left out."""
    parts: list[str] = []
    for item in inlines:
        if isinstance(item, Run):
            parts.append(item.text)
        elif isinstance(item, FootnoteCall):
            parts.append(str(item.number))
        else:
            parts.append("\n")
    return readable("".join(parts))


UNDATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)  # a draft without a date


def timestamp(doc: Document) -> dt.datetime:
    """Created/modified time of both outputs (UTC): the letter's date, else SOURCE_DATE_EPOCH,
    else a fixed moment, so the same letter always gives the same bytes."""
    if doc.date is not None:
        return dt.datetime.combine(doc.date, dt.time(), tzinfo=dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return UNDATED
