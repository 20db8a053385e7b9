"""Starting letters for `kamerbrief new`, one per kind of letter.

A starter is YAML text with {schema}, {ministry}, {subject} and {title} to fill in; the
result is a draft that passes `kamerbrief check`. Adding a kind (e.g. antwoorden, uitstel) is
one entry in STARTERS; `kamerbrief new --kind` offers every key.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from ..paths import schema_path

BRIEF = """\
# yaml-language-server: $schema={schema}
# A Kamerbrief. Fields: docs/letter-format.md; check with `kamerbrief check FILE`.
sender:
  ministry: {ministry}            # registry key: `kamerbrief organisations` lists them
  # unit: nctv              # optional: a unit with its own wordmark and colofon
  # colofon_name: Directoraat-generaal Politie en Veiligheidsregio's   # any registry field
recipient: tweede-kamer     # or eerste-kamer, or an address (name, address, postcode, city)
# date: 2026-01-15          # YYYY-MM-DD; may be left out only in a draft
# kenmerk: "2026-0000000001"  # Ons kenmerk; may be left out only in a draft
# your_reference: null      # Uw kenmerk
subject: {subject}
# attachments:
#   - Titel van de bijlage
# opening: Geachte voorzitter,
sections:
  - text: |
      Hierbij informeer ik uw Kamer over ... Markdown werkt: *cursief*, **vet**, lijsten en
      voetnoten.[^bron]
  - heading: Een kopje
    text: |
      - een opsomming
      - nog een punt
footnotes:
  bron: Kamerstukken II 2025–2026, 29 754, nr. 1.
# closing: Hoogachtend,
minister:
  title: {title}
  name: N.N.
status: draft               # final when date and kenmerk are filled in
"""

# Letters about written Kamervragen (docs/letter-format.md, "Letter kinds: antwoorden and
# uitstel"); the text is generated from `questions:`, so the subject is a comment.
ANTWOORDEN = """\
# yaml-language-server: $schema={schema}
# Antwoorden op schriftelijke Kamervragen: one file makes two papers, the covering letter
# (<name>.pdf/.docx) and the answers document (<name>-antwoorden.pdf/.docx); with
# `--format aanhangsel` also the preview as published in the Aanhangsel van de Handelingen.
# Fields: docs/letter-format.md ("Letter kinds: antwoorden and uitstel").
kind: antwoorden
sender:
  ministry: {ministry}             # registry key: `kamerbrief organisations` lists them
recipient: tweede-kamer
# date: 2026-01-15          # YYYY-MM-DD; may be left out only in a draft
# kenmerk: "2026-0000000001"  # Ons kenmerk
{subject_line}  # default: "Antwoorden Kamervragen over <about>"
# sections: ...             # default: "Hierbij zend ik u de antwoorden op de vragen van ..."
# opening: Geachte voorzitter,
questions:
  zaak: 2026Z00001          # the Kamer's zaak number: printed as "Uw kenmerk"
  submitted: 2026-01-05     # ingezonden: printed as "Uw brief van"
  members:                  # who asked: one, or several
    - {{name: Achternaam, party: PARTIJ}}
  # parties_joint: allen GroenLinks   # instead of a party per member
  addressees:               # to whom the questions were put (default: the signatories)
    - {title}
  about: >-                 # the subject: lower-case start, without "over"
    het onderwerp van de vragen
  # answered_by: Minister Achternaam (...)   # default from minister
  # on_behalf_of: [de Minister van Financiën]    # "mede namens ..."
  # aanhangsel: {{vergaderjaar: 2025-2026, nr: 1234}}  # when the Kamer has numbered the answers
  # uitstel_sent: 2026-01-20  # date of the postponement letter, if one was sent
  items:                    # Vraag 1, Antwoord 1, ... in this order; Markdown and footnotes
    - question: |
        Bent u bekend met het bericht ...?[^bericht]
      answer: |
        Ja.
    - question: |
        Wat vindt u daarvan?
      answer: |
        Zie het rapport.[^rapport]
    - question: |
        Bent u bereid ...?
      answer_see: 2         # prints "Zie het antwoord op vraag 2."
footnotes:                  # one series for the questions and the answers
  bericht: Titel van het bericht, krant, datum.
  rapport: Kamerstukken II 2025–2026, 29 754, nr. 1.
# closing: Hoogachtend,
minister:
  title: {title}
  name: N.N.
status: draft               # final when date and kenmerk are filled in
"""

UITSTEL = """\
# yaml-language-server: $schema={schema}
# Uitstelbericht: the answers to written Kamervragen will be late. The letter's text is
# generated from the fields (what is late, the reason, when) unless you write 'sections'.
# Fields: docs/letter-format.md ("Letter kinds: antwoorden and uitstel").
kind: uitstel
sender:
  ministry: {ministry}             # registry key: `kamerbrief organisations` lists them
recipient: tweede-kamer
# date: 2026-01-20          # YYYY-MM-DD; within three weeks of `submitted`
# kenmerk: "2026-0000000002"  # Ons kenmerk
{subject_line}  # default: "Uitstel beantwoording Kamervragen over <about>"
# opening: Geachte voorzitter,
questions:
  zaak: 2026Z00001          # printed as "Uw kenmerk"
  submitted: 2026-01-05     # ingezonden: printed as "Uw brief van"
  members:
    - {{name: Achternaam, party: PARTIJ}}
  about: >-                 # lower-case start, without "over"
    het onderwerp van de vragen
  reason: >-                # completes "De reden van het uitstel is dat ..."
    de benodigde informatie nog niet volledig beschikbaar is
  expected: binnen drie weken   # optional: completes "De beantwoording zal plaatshebben ..."
  # repeat: true            # a second postponement: "... opnieuw om uitstel."
# closing: Hoogachtend,
minister:
  title: {title}
  name: N.N.
status: draft               # final when date and kenmerk are filled in
"""

STARTERS: dict[str, str] = {
    "brief": BRIEF,
    "antwoorden": ANTWOORDEN,
    "uitstel": UITSTEL,
}

DEFAULT_SUBJECT = "Onderwerp van de brief"


class StarterError(ValueError):
    """A --ministry or --subject that would not give a valid letter."""


def starting_letter(kind: str, target: Path, ministry: str = "jenv",
                    subject: str | None = None) -> str:
    """The text of a new letter of `kind` to be written at `target`."""
    from ..registry import load_registry

    ministries = load_registry().ministries
    if ministry not in ministries:
        close = difflib.get_close_matches(ministry, list(ministries), n=1)
        hint = f"did you mean '{close[0]}'?" if close else \
            f"use one of: {', '.join(sorted(ministries))}"
        raise StarterError(f"--ministry: '{ministry}' is not in the registry; {hint}")
    # the Kamervragen kinds generate their subject: written only when --subject is given
    subject_line = "# subject: ..." if subject is None else None
    subject = DEFAULT_SUBJECT if subject is None else " ".join(subject.split())
    if not subject:
        raise StarterError("--subject: the subject must not be empty")
    name = ministries[ministry].name
    title = "De Minister van " + name.removeprefix("Ministerie van ")
    schema = schema_path()
    folder = target.resolve().parent
    if os.path.commonpath([schema, folder]) != "/":  # near the project: a relative path
        schema = os.path.relpath(schema, folder)
    return STARTERS[kind].format(schema=Path(schema).as_posix(), ministry=ministry,
                                 subject=json.dumps(subject, ensure_ascii=False),
                                 subject_line=subject_line or "subject: " + json.dumps(
                                     subject, ensure_ascii=False),
                                 title=title)
