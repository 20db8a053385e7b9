"""The writers, by name: each turns one composed Document into the bytes of one output file.

A writer is a module under `kamerbrief.writers` with `render(document) -> bytes` and
`warm_up()` (set up fonts and templates once per process). It is listed here, once, with the
suffix of the file it writes; the build, the CLI and the release look writers up by name and
know nothing else about them. Adding an output adds a folder here and a line in WRITERS.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Writer:
    name: str         # what `--format` takes
    suffix: str       # the output file is <paper's stem><suffix>
    module: str       # the module with render() and warm_up()
    description: str
    papers: tuple[str, ...] = ("letter",)  # which papers (Document.paper) it renders

    def load(self) -> ModuleType:
        """The writer's module (imported on first use: WeasyPrint is slow to import)."""
        return importlib.import_module(self.module)

    def render(self, document) -> bytes:
        return self.load().render(document)

    def warm_up(self) -> None:
        self.load().warm_up()


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("pdf", ".pdf", "kamerbrief.writers.pdf.writer",
           "the letter as PDF/A-2a + PDF/UA-1, for publication", ("letter", "answers")),
    Writer("docx", ".docx", "kamerbrief.writers.word.writer",
           "the letter as an editable Word document, for the review and signing round",
           ("letter", "answers")),
    Writer("aanhangsel", ".aanhangsel.pdf", "kamerbrief.writers.aanhangsel.writer",
           "answers to Kamervragen (kind: antwoorden) as published in the Aanhangsel van de "
           "Handelingen, a PDF preview", ("answers",)),
    Writer("kamerstuk", ".kamerstuk.pdf", "kamerbrief.writers.kamerstuk.writer",
           "the letter as the Kamer publishes it (Kamerstuk form), PDF/A-2a + PDF/UA-1; needs "
           "the letter file's kamerstuk: block", ("letter",)),
)}

DEFAULT_FORMATS = ("pdf", "docx")


class WriterError(RuntimeError):
    """A writer cannot make a correct output for a reason it can say in a sentence (e.g. the
    PDF library's output changed shape); the build reports the sentence, writes nothing."""


class UnknownFormat(ValueError):
    """An output name that no writer has."""


def writer(name: str) -> Writer:
    """The writer called `name`; UnknownFormat (with the known names) for any other."""
    try:
        return WRITERS[name]
    except KeyError:
        raise UnknownFormat(f"unknown format {name!r}; use one of: "
                            f"{', '.join(WRITERS)}") from None


def formats_from(text: str) -> tuple[str, ...]:
    """`pdf,docx` as a tuple of known writer names, in order, without repeats."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    if not names:
        raise UnknownFormat(f"no format given; use one or more of: {', '.join(WRITERS)}")
    for name in names:
        writer(name)
    return names
