"""The Kamerstuk writer: the letter as the Tweede Kamer publishes it (the publication form of a
Kamerstuk: chamber line, vergaderjaar, dossier, Nr. and title, addressee, place and date, the
body, the signature without signing space, footnotes at the page foot), as PDF/A-2a + PDF/UA-1.

Everything it prints is decided in the Document (`Document.publication`, compose/kamerstuk.py);
the PDF writer's machinery draws it with the template pair templates/kamerstuk.html.j2 and
kamerstuk.css.j2 (numbers: layout.toml [kamerstuk]). A letter file without what the form needs
gets the located problems compose found, and no output.
"""

from __future__ import annotations

from dataclasses import replace

from ...document import Document
from ...problems import LetterError
from ..pdf import writer as pdf

FORM = "kamerstuk"


def render(document: Document) -> bytes:
    form = document.publication
    if form is None:
        raise LetterError(list(document.publication_problems))
    # the publication's own body (headings below the stuk title), notes (its citation style)
    # and page label
    published = replace(document, blocks=form.blocks, footnotes=form.footnotes,
                        page_label=form.page_label)
    return pdf.finish(pdf.weasyprint_pdf(published, FORM), published)


def warm_up() -> None:
    pdf.kit(FORM)
