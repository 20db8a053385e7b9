"""Every limit on a letter file, in one place (documented in docs/letter-format.md, "Limits").

A letter file is untrusted input: these bounds keep reading, checking and building one letter
to seconds and a modest amount of memory. Each is far above what a real letter needs; a file
above one gets a message with the file, the line and the field, and no output.
"""

from __future__ import annotations

MAX_FILE_BYTES = 256 * 1024        # the letter file itself (the 2023 seed letter is 21 kB)
MAX_DEPTH = 16                     # lists and fields inside each other, anywhere in the file
MAX_SECTIONS = 200                 # sections of a letter, nested ones included
MAX_FOOTNOTES = 300                # footnotes of a letter (`footnotes:` and inline ^[...])
MAX_SIGNATORIES = 4                # signatories of a co-signed letter
MAX_ITEMS = 100                    # items of any other list (attachments, address lines ...)
MAX_LINE_CHARS = 240               # a one-line field: subject, kenmerk, heading, name ... (.docx: 255)
MAX_TEXT_CHARS = 50_000            # a Markdown text: a section's text or a footnote
MAX_NUMBER_DIGITS = 30             # a number written in the file (a letter holds text)
MAX_BLOCK_NESTING = 5              # lists and quotes inside each other in a Markdown text
FIRST_YEAR, LAST_YEAR = 1980, 2107  # the dates a .docx (a zip file) can hold


def describe() -> list[tuple[str, str]]:
    """(what, limit) rows for the documentation test: the docs must state these numbers."""
    return [
        ("size of the letter file", f"{MAX_FILE_BYTES // 1024} kB"),
        ("nesting of lists and fields in the file", f"{MAX_DEPTH} levels"),
        ("sections (nested ones included)", str(MAX_SECTIONS)),
        ("footnotes", str(MAX_FOOTNOTES)),
        ("signatories", str(MAX_SIGNATORIES)),
        ("items of another list (attachments, address lines ...)", str(MAX_ITEMS)),
        ("a one-line field (subject, kenmerk, heading, name ...)", f"{MAX_LINE_CHARS} characters"),
        ("a Markdown text (a section's text, a footnote)", f"{MAX_TEXT_CHARS:,} characters"),
        ("a number", f"{MAX_NUMBER_DIGITS} digits"),
        ("lists and quotes inside each other in a text", f"{MAX_BLOCK_NESTING} levels"),
        ("the year of the date", f"{FIRST_YEAR} to {LAST_YEAR}"),
    ]
