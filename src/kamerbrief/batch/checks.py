"""Checks after rendering: a letter that is valid but will look wrong gets a warning."""

from __future__ import annotations

import io

from ..document import Document
from ..fonts import text_width_pt
from ..layout import MM_PER_PT, load_layout
from ..letter.load import field_name
from ..problems import Problem, display_path


def subject_lines(subject: str, tab_mm: float | None = None) -> int:
    """How many lines the subject takes right of the value tab (greedy word wrap)."""
    layout = load_layout()
    room = (layout.body.width_mm - (tab_mm or layout.datum.tab_mm)) / MM_PER_PT
    size = layout.type.body_size_pt
    lines, current = 1, ""
    for word in subject.split():
        trial = f"{current} {word}".strip()
        if current and text_width_pt(trial, size) > room:
            lines, current = lines + 1, word
        else:
            current = trial
    return lines


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def after_rendering(document: Document, pdf: bytes | None) -> tuple[list[Problem], dict]:
    """Warnings about the rendered letter, and the facts the release manifest lists."""
    layout = load_layout()
    source = display_path(document.source)
    problems = []
    pages = page_count(pdf) if pdf else None
    lines = subject_lines(document.subject, document.row_tab_mm)
    if lines > layout.checks.max_subject_lines:
        problems.append(Problem(source, None, field_name(("subject",)),
                                f"the subject wraps to {lines} lines; the house style keeps it "
                                f"to {layout.checks.max_subject_lines}: shorten it", "warning"))
    if pages and pages > layout.checks.max_pages:
        problems.append(Problem(source, None, "", f"the letter has {pages} pages, more than the "
                                f"{layout.checks.max_pages} of the page limit (layout.toml "
                                f"[checks] max_pages); consider an attachment", "warning"))
    info = {"kenmerk": document.kenmerk, "date": document.date.isoformat() if document.date
            else None, "subject": document.subject, "pages": pages, "draft": document.draft}
    return problems, info
