"""The Kamerstuk (publication) form of a letter: the head, signature and notes as the Kamer
publishes them, decided here from the letter file's `kamerstuk:` block, the date, the
recipient and the signatories (docs/letter-format.md, "Kamerstuk (publication form)").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from ..document import (Block, Dossier, Footnote, Heading, ListBlock, Publication, Quote,
                        Signatory)
from ..layout import load_layout
from ..letter.load import Source
from ..letter.model import KamerstukSpec
from ..problems import Problem
from .citations import NBSP, parse_dossier, parse_vergaderjaar, vergaderjaar, year_text

PLACEHOLDER = "…"       # a draft's missing dossier, number or date
PLACE = "Den Haag"
IMPRINT_PLACE = "'s-Gravenhage"
ISSN = "ISSN 0921 - 7371"


@dataclass(frozen=True)
class Chamber:
    name: str       # "Tweede Kamer der Staten-Generaal"
    number: str     # "2"
    short: str      # "Tweede Kamer" (running foot)
    roman: str      # "II" (citations)


CHAMBERS = {
    "tweede-kamer": Chamber("Tweede Kamer der Staten-Generaal", "2", "Tweede Kamer", "II"),
    "eerste-kamer": Chamber("Eerste Kamer der Staten-Generaal", "1", "Eerste Kamer", "I"),
}


# -- the stuk title ------------------------------------------------------------------------------

_TAIL = re.compile(r"\s(van|voor)\s")


def _function_and_tail(title: str, ministry: str | None) -> tuple[str, str]:
    """"De Minister van Justitie en Veiligheid" -> ("Minister", "van Justitie en Veiligheid");
    a title without "van/voor ..." takes the tail of the ministry's name from the registry."""
    title = re.sub(r"^[Dd]e\s+", "", title.strip())
    match = _TAIL.search(title)
    if match:
        return title[:match.start()], title[match.start() + 1:]
    tail = _TAIL.search(ministry or "")
    return title, (ministry[tail.start() + 1:] if tail else "")


def stuk_title(titles: list[str], ministry: str | None = None) -> str:
    """"BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID" from the signatories' titles:
    one department joins the functions ("DE MINISTER EN STAATSSECRETARIS VAN ..."), several
    list each in full ("DE STAATSSECRETARIS VAN ... EN DE MINISTER VOOR ...")."""
    parts = [_function_and_tail(title, ministry) for title in titles]
    tails = {tail.casefold() for _, tail in parts}
    if len(tails) == 1:
        functions = " en ".join(dict.fromkeys(function for function, _ in parts))
        text = f"de {functions} {parts[0][1]}".strip()
    else:
        text = " en ".join(f"de {function} {tail}".strip() for function, tail in parts)
    return f"BRIEF VAN {text}".upper()


# -- the publication part of the Document --------------------------------------------------------

def below_title(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The body's blocks with every heading one level down (the stuk title is level 1)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            block = replace(block, level=block.level + 1)
        elif isinstance(block, Quote):
            block = replace(block, blocks=below_title(block.blocks))
        elif isinstance(block, ListBlock):
            block = replace(block, items=tuple(below_title(item) for item in block.items))
        out.append(block)
    return tuple(out)


def publication(source: Source, fields: dict[str, Any], ministry: str | None,
                date_text: str, blocks: tuple[Block, ...], notes: tuple[Footnote, ...]
                ) -> tuple[Publication | None, tuple[Problem, ...]]:
    """The Kamerstuk form, or None and what the letter file lacks for it (as located problems,
    reported when that form is built). Mistakes inside `kamerstuk:` are errors of the letter
    (added to source.problems) whatever is built."""
    spec: KamerstukSpec | None = fields.get("kamerstuk")
    draft = fields.get("status") == "draft"
    recipient = fields.get("recipient")
    lacks: list[Problem] = []

    def error(path: tuple, message: str) -> None:
        source.problems.append(source.problem(path, message, source.line(path, value=True)))

    def lacking(path: tuple, message: str) -> None:
        lacks.append(source.problem(path, message))

    chamber = CHAMBERS.get(recipient) if isinstance(recipient, str) else None
    if recipient is not None and chamber is None:
        message = ("a Kamerstuk goes to the Tweede or the Eerste Kamer: write recipient: "
                   "tweede-kamer or eerste-kamer")
        if spec is not None and not isinstance(recipient, str):
            error(("recipient",), message + ", or remove 'kamerstuk:'")
        else:
            lacking(("recipient",), message)
    if spec is None:
        lacking(("kamerstuk",), "the Kamerstuk form needs a 'kamerstuk:' block; add kamerstuk: "
                "with dossiers: (number and title of each dossier) and ondernummer: (the Nr.)")
        return None, tuple(lacks)
    eerste = chamber is not None and chamber.number == "1"
    dossiers, numbers = [], []
    for index, item in enumerate(spec.dossiers):
        number = parse_dossier(item.number, eerste_kamer=eerste)
        if number is None:
            error(("kamerstuk", "dossiers", index, "number"),
                  f"'{item.number}' is not a dossier number; write it like \"29 754\", "
                  f"\"21 501-02\", \"32 500 C\" or \"36 600 VII\"")
            continue
        numbers.append(number)
        dossiers.append(Dossier(number.text(), item.title))
    if not spec.dossiers:
        if draft:
            dossiers.append(Dossier(PLACEHOLDER, PLACEHOLDER))
        else:
            lacking(("kamerstuk",), "the Kamerstuk form needs its dossier: add dossiers: with "
                    "number and title under 'kamerstuk:'")
    nr = _ondernummer(spec, eerste, error)
    if spec.ondernummer is None:
        if draft:
            nr = PLACEHOLDER
        else:
            lacking(("kamerstuk",), "the Kamerstuk form needs its number: add ondernummer: "
                    "(the Nr. the Kamer gave the stuk) under 'kamerstuk:'")
    first_year = _vergaderjaar(source, spec, fields.get("date"), error)
    if lacks or chamber is None or nr is None or (numbers == [] and not draft):
        return None, tuple(lacks)
    year = year_text(first_year) if first_year is not None else PLACEHOLDER
    first = numbers[0] if numbers else None
    number_text = nr if eerste else f"Nr.{NBSP}{nr}"
    foot_nr = nr if eerste else f"nr.{NBSP}{nr}"
    dossier_text = first.text() if first else PLACEHOLDER
    date = fields.get("date")
    identifier = (f"kst-{first.compact().replace(' ', '-')}-{nr}" if first and nr != PLACEHOLDER
                  else f"kst-{PLACEHOLDER}")
    keep = load_layout().kamerstuk.keep_opening_closing
    signatories = [Signatory(s.title, s.name) for s in fields["minister"]]
    return Publication(
        chamber=chamber.name,
        chamber_number=chamber.number,
        vergaderjaar=f"Vergaderjaar {year}",
        dossiers=tuple(dossiers),
        number=number_text,
        title=spec.title or stuk_title([s.title for s in signatories], ministry),
        addressee=f"Aan de Voorzitter van de {chamber.name}",
        place_date=f"{PLACE}, {date_text}",
        opening=fields.get("opening") if keep else None,
        closing=fields.get("closing") if keep else None,
        signatures=tuple((f"{s.title},", s.name) for s in signatories),
        footnotes=notes,
        running_foot=f"{chamber.short}, vergaderjaar {year}, {dossier_text}, {foot_nr}",
        imprint=(identifier, ISSN, f"{IMPRINT_PLACE} {date.year if date else PLACEHOLDER}"),
        blocks=below_title(blocks),
    ), ()


def _ondernummer(spec: KamerstukSpec, eerste: bool, error) -> str | None:
    """The Nr. as printed: a positive number (Tweede Kamer) or capitals (Eerste Kamer)."""
    if spec.ondernummer is None:
        return None
    value = str(spec.ondernummer).strip()
    if eerste:
        if re.fullmatch(r"[A-Z]{1,3}", value):
            return value
        error(("kamerstuk", "ondernummer"), "an Eerste Kamer stuk has a letter, not a number "
              "(e.g. G or AB); write that letter")
        return None
    if re.fullmatch(r"[1-9]\d*", value):
        return value
    error(("kamerstuk", "ondernummer"), f"'{value}' is not an ondernummer; a Tweede Kamer stuk "
          f"has a whole number from 1 up, e.g. 123")
    return None


def _vergaderjaar(source: Source, spec: KamerstukSpec, date: dt.date | None,
                  error) -> int | None:
    """The first year of the vergaderjaar: the one written, else derived from the date; a
    written one that differs from the date's is a warning (publication may come later)."""
    derived = vergaderjaar(date) if date else None
    if spec.vergaderjaar is None:
        return derived
    written = parse_vergaderjaar(spec.vergaderjaar)
    path = ("kamerstuk", "vergaderjaar")
    if written is None:
        error(path, f"'{spec.vergaderjaar}' is not a vergaderjaar; write two consecutive years, "
              f"e.g. 2023-2024")
        return derived
    if derived is not None and written != derived:
        source.problems.append(source.problem(
            path, f"the date {date.isoformat()} falls in vergaderjaar {year_text(derived)}, not "
            f"{year_text(written)}; {year_text(written)} is printed (leave vergaderjaar out to "
            f"use the date's)", source.line(path, value=True), "warning"))
    return written

