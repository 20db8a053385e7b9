"""The letter as it will be printed: every label, line, marker and order that a writer draws.

`dress` fills the Document's printed parts from its facts, the registry's sender and the
layout: the colofon groups in order, the return line, the Datum/subject rows, the logo's alt
text, the signatories' lines, the marker of every list item and the page label. Writers only
draw these; a rule changed here changes both outputs.
"""

from __future__ import annotations

import dataclasses

from ..document import (Block, ColofonEntry, Document, ListBlock, ListLevel, Quote, Row,
                        Signatory, list_level)
from ..fonts import label_tab_mm
from ..layout import Layout, load_layout


def marked_blocks(blocks: tuple[Block, ...], levels: tuple[ListLevel, ...],
                  depth: int = 0) -> tuple[Block, ...]:
    """The blocks with every list's nesting level and item markers filled in."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            level = list_level(levels, depth)
            items = tuple(marked_blocks(item, levels, depth + 1) for item in block.items)
            markers = tuple(level.marker(block.ordered, block.start + i)
                            for i in range(len(items)))
            block = dataclasses.replace(block, items=items, level=depth, markers=markers)
        elif isinstance(block, Quote):
            block = Quote(marked_blocks(block.blocks, levels, depth))
        out.append(block)
    return tuple(out)


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


def short_colofon(doc: Document, layout: Layout) -> tuple[ColofonEntry, ...]:
    """The colofon of page 2 and on: name, date, kenmerk."""
    labels = layout.labels
    return (ColofonEntry(None, (doc.sender.colofon_name,), gap="none", bold=True),
            ColofonEntry(labels.date, (doc.date_text,), field="date"),
            ColofonEntry(labels.our_reference, (doc.kenmerk,), field="kenmerk"))


def dress(doc: Document, layout: Layout | None = None) -> Document:
    """`doc` with its printed parts decided (again) from its facts and the layout."""
    L = layout or load_layout()
    levels = tuple(ListLevel(*pair) for pair in L.lists.levels())
    rows = (Row(L.labels.date, doc.date_text, "date"),
            Row(doc.sender.subject_label, doc.subject, "subject"))
    return dataclasses.replace(
        doc,
        mark=L.concept.text if doc.draft else None,
        logo_alt=L.labels.logo_alt.format(organisation=doc.sender.organisation),
        return_line=" ".join(part for part in (L.return_address.prefix,
                                               doc.sender.return_address) if part),
        colofon=colofon(doc, L),
        short_colofon=short_colofon(doc, L),
        rows=rows,
        row_tab_mm=label_tab_mm(*(row.label for row in rows)),
        list_levels=levels,
        page_label=L.page_number.format,
        blocks=marked_blocks(doc.blocks, levels),
        publication=doc.publication and dataclasses.replace(
            doc.publication, blocks=marked_blocks(doc.publication.blocks, levels)),
        signatories=tuple(Signatory(p.title, p.name, (f"{p.title},", p.name))
                          for p in doc.signatories),
    )
