"""The letter as it will be printed: every label, line, marker and order that a writer draws.

`dress` fills the Document's printed parts from its facts, the registry's sender and the
layout: the colofon groups in order, the return line, the Datum/subject rows, the logo's alt
text, the signatories' lines, the marker of every list item and the page label. Writers only
draw these; a rule changed here changes both outputs.
"""

from __future__ import annotations

import contextvars
import dataclasses
import re
from contextlib import contextmanager

from ..document import (Block, ColofonEntry, Document, Heading, Inline, ListBlock, ListLevel,
                        Paragraph, Quote, Row, Run, Signatory, list_level)
from ..fonts import label_tab_mm
from .textrules import hyphenate, keep_together
from ..layout import Layout, load_layout


LABEL = re.compile(r"^(Vraag|Antwoord|Vragen|Antwoorden)\s+\d+[a-z]?\s*[.:]?$", re.IGNORECASE)


_TYPOGRAPHY = contextvars.ContextVar("kamerbrief_typography", default=True)


@contextmanager
def as_written():
    """Compose without the typographic rules (no-break characters, soft hyphens), so the
    Document's text is the letter file's text: what `kamerbrief import` compares a reviewed
    .docx with (it reads the .docx's text as a reader copies it)."""
    token = _TYPOGRAPHY.set(False)
    try:
        yield
    finally:
        _TYPOGRAPHY.reset(token)


def _keep(text: str) -> str:
    """keep_together, unless composing `as_written`."""
    return keep_together(text) if _TYPOGRAPHY.get() else text


def running_text(text: str, layout: Layout | None) -> str:
    """Running text as printed: the Dutch no-break rules, and soft hyphens in long words
    (none without a layout: the Kamerstuk form is set without hyphenation)."""
    text = _keep(text)
    if layout is None or not _TYPOGRAPHY.get():
        return text
    return hyphenate(text, layout.body.hyphenate_from_chars, layout.page.language)


def ruled(inlines: tuple[Inline, ...], layout: Layout | None) -> tuple[Inline, ...]:
    """Inline runs as printed (`running_text`); a link's text is not hyphenated."""
    return tuple(dataclasses.replace(item, text=_keep(item.text) if item.href
                                     else running_text(item.text, layout))
                 if isinstance(item, Run) else item for item in inlines)


def is_label(paragraph: Paragraph) -> bool:
    """A label that belongs to what follows: "Vraag 3", "Antwoord 3", or a short paragraph in
    bold only (a run-in heading)."""
    text = "".join(item.text for item in paragraph.inlines if isinstance(item, Run)).strip()
    runs = [item for item in paragraph.inlines if isinstance(item, Run) and item.text.strip()]
    bold_only = bool(runs) and all(item.bold for item in runs) and len(text) <= 80 \
        and not text.endswith(".")
    return bool(LABEL.match(text)) or bold_only


def printed_blocks(blocks: tuple[Block, ...], levels: tuple[ListLevel, ...],
                   layout: Layout | None, depth: int = 0) -> tuple[Block, ...]:
    """The blocks as printed: every list's nesting level and item markers filled in, the
    no-break rules applied to the text, and the keeps decided (a list's lead-in and a label
    stay with what follows)."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, ListBlock):
            level = list_level(levels, depth)
            items = tuple(printed_blocks(item, levels, layout, depth + 1)
                          for item in block.items)
            markers = tuple(level.marker(block.ordered, block.start + i)
                            for i in range(len(items)))
            block = dataclasses.replace(block, items=items, level=depth, markers=markers)
        elif isinstance(block, Quote):
            block = Quote(printed_blocks(block.blocks, levels, layout, depth))
        elif isinstance(block, Heading):
            block = Heading(block.level, ruled(block.inlines, layout))
        else:
            keep = following is not None and (isinstance(following, ListBlock)
                                              or is_label(block))
            block = Paragraph(ruled(block.inlines, layout), keep or block.keep_with_next)
        out.append(block)
    return tuple(out)


def with_signatures(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with the last paragraph kept with the signatures that follow it."""
    if blocks and isinstance(blocks[-1], Paragraph):
        return (*blocks[:-1], dataclasses.replace(blocks[-1], keep_with_next=True))
    return blocks


def colofon(doc: Document, layout: Layout) -> tuple[ColofonEntry, ...]:
    """The colofon of page 1 in the house-style order; groups without content left out."""
    s, labels = doc.sender, layout.labels
    contact = tuple(line for line in (s.website, s.phone, s.email, *s.contact) if line)
    entries = [ColofonEntry(None, (s.colofon_name,), gap="none", bold=True)]
    entries += [ColofonEntry(None, lines) for lines in (s.visit_address, s.postal_address, contact)
                if lines]
    entries.append(ColofonEntry(labels.our_reference, (doc.kenmerk,), gap="kenmerk",
                                field="kenmerk"))
    if doc.your_reference:
        entries.append(ColofonEntry(labels.your_reference, (doc.your_reference,),
                                    field="your_reference"))
    if doc.your_letter_date:
        entries.append(ColofonEntry(labels.your_letter_date, (doc.your_letter_date,)))
    if doc.attachments:
        entries.append(ColofonEntry(labels.enclosures, (str(len(doc.attachments)),)))
    if s.colofon_note:
        entries.append(ColofonEntry(None, (s.colofon_note,), gap="kenmerk", italic=True))
    return tuple(entries)


def hyphenated(entries: tuple[ColofonEntry, ...], layout: Layout) -> tuple[ColofonEntry, ...]:
    """Colofon groups whose long words may break in the narrow column (soft hyphens)."""
    return tuple(dataclasses.replace(e, lines=tuple(
        hyphenate(line, layout.body.hyphenate_from_chars, layout.page.language)
        if _TYPOGRAPHY.get() else line
        for line in e.lines)) for e in entries)


def short_colofon(doc: Document, layout: Layout) -> tuple[ColofonEntry, ...]:
    """The colofon of page 2 and on: name, date, kenmerk."""
    labels = layout.labels
    return (ColofonEntry(None, (doc.sender.colofon_name,), gap="none", bold=True),
            ColofonEntry(labels.date, (doc.date_text,), field="date"),
            ColofonEntry(labels.our_reference, (doc.kenmerk,), field="kenmerk"))


def dress(doc: Document, layout: Layout | None = None) -> Document:
    """`doc` with its printed parts decided (again) from its facts and the layout, the Dutch
    no-break rules applied to every text a reader reads as running text."""
    L = layout or load_layout()
    levels = tuple(ListLevel(*pair) for pair in L.lists.levels())
    people = tuple(Signatory(_keep(p.title), _keep(p.name))
                   for p in doc.signatories)
    people = tuple(dataclasses.replace(p, lines=(f"{p.title},", p.name)) for p in people)
    blocks = printed_blocks(doc.blocks, levels, L)
    doc = dataclasses.replace(
        doc,
        date_text=_keep(doc.date_text),
        subject=_keep(doc.subject),
        opening=doc.opening and _keep(doc.opening),
        closing=doc.closing and _keep(doc.closing),
        blocks=with_signatures(blocks) if people else blocks,
        footnotes=tuple(dataclasses.replace(note, inlines=ruled(note.inlines, L))
                        for note in doc.footnotes),
        signatories=people,
    )
    rows = (Row(L.labels.date, doc.date_text, "date"),
            Row(doc.sender.subject_label, doc.subject, "subject"))
    return dataclasses.replace(
        doc,
        mark=L.concept.text if doc.draft else None,
        logo_alt=L.labels.logo_alt.format(organisation=doc.sender.organisation),
        return_line=" ".join(part for part in (L.return_address.prefix,
                                               doc.sender.return_address) if part),
        colofon=hyphenated(colofon(doc, L), L),
        short_colofon=short_colofon(doc, L),
        rows=rows,
        row_tab_mm=label_tab_mm(*(row.label for row in rows)),
        list_levels=levels,
        page_label=L.page_number.format,
        publication=doc.publication and dataclasses.replace(
            doc.publication, blocks=printed_blocks(doc.publication.blocks, levels, None)),
        signature_rows=tuple(people[i:i + L.signature.per_row]
                             for i in range(0, len(people), L.signature.per_row)),
    )
