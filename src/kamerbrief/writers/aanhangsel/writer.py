"""The Aanhangsel preview: the answers paper of a letter of kind antwoorden drawn as the Kamer
publishes it in the Aanhangsel van de Handelingen (question head, answer head, "Vraag n" /
"Antwoord n" pairs, no signature), as PDF/A-2a + PDF/UA-1.

The PDF writer draws it with its own template pair (templates/aanhangsel.html.j2 and
aanhangsel.css.j2); the texts, heads included, are decided in the Document (compose/kinds.py).
"""

from __future__ import annotations

from ...document import Document
from ..pdf import writer as pdf

FORM = "aanhangsel"


def render(document: Document) -> bytes:
    return pdf.finish(pdf.weasyprint_pdf(document, FORM), document)


def warm_up() -> None:
    pdf.kit(FORM)
