"""The layout overlay: the house-style boxes of a page, in mm, from the layout file.

Like KOMA-Script's `visualize`: the envelope window, the colofon column, the body area and the
footnote area, so a writer sees why text moved. Every number comes from kamerbrief.layout (or,
for the footnote area, from where the PDF drew its footnote rule); the page only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..layout import MM_PER_PT, Layout


@dataclass(frozen=True)
class Guide:
    kind: str        # a CSS class: window, colofon, body, notes
    label: str
    x: float         # mm from the left edge of the sheet
    top: float       # mm from the top edge
    width: float
    height: float


def page_guides(layout: Layout, index: int, footnote_top_mm: float | None) -> list[Guide]:
    """The boxes of page `index` (0 = the first page)."""
    body_top = layout.datum.top_mm if index == 0 else layout.body.follow_top_mm
    body_bottom = layout.page.height_mm - layout.body.bottom_mm
    colofon_bottom = layout.page_number.top_mm + layout.type.small_leading_pt * MM_PER_PT
    guides = []
    if index == 0:
        window_bottom = (layout.recipient.top_mm
                         + layout.recipient.max_lines * layout.type.body_leading_pt * MM_PER_PT)
        width = max(layout.return_address.width_mm, layout.recipient.width_mm)
        guides.append(Guide("window", f"envelope window ({layout.recipient.max_lines} address "
                            f"lines)", layout.return_address.x_mm, layout.return_address.top_mm,
                            width, window_bottom - layout.return_address.top_mm))
    guides.append(Guide("colofon", "colofon column", layout.colofon.x_mm, layout.colofon.top_mm,
                        layout.colofon.width_mm, colofon_bottom - layout.colofon.top_mm))
    guides.append(Guide("body", "body" if index else "body (from Datum)", layout.body.x_mm,
                        body_top, layout.body.width_mm, body_bottom - body_top))
    if footnote_top_mm is not None:
        top = footnote_top_mm - layout.footnotes.rule_gap_pt * MM_PER_PT
        guides.append(Guide("notes", "footnote area", layout.body.x_mm, top,
                            layout.body.width_mm, body_bottom - top))
    return guides
