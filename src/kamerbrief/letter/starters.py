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

STARTERS: dict[str, str] = {
    "brief": BRIEF,
    # the letter kinds add theirs here, e.g. "antwoorden": ANTWOORDEN, "uitstel": UITSTEL
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
                                 title=title)
