"""Checks after rendering: a letter that is valid but will look wrong gets a warning."""

from __future__ import annotations

import io

from ..document import Document
from ..fonts import wrapped_lines
from ..layout import MM_PER_PT, load_layout
from ..letter.load import field_name
from ..problems import Problem, display_path


def subject_lines(subject: str, tab_mm: float | None = None) -> int:
    """How many lines the subject takes right of the value tab (greedy word wrap)."""
    layout = load_layout()
    room = (layout.body.width_mm - (tab_mm or layout.datum.tab_mm)) / MM_PER_PT
    return wrapped_lines(subject, room, layout.type.body_size_pt)


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def layout_warnings(document: Document, data: bytes | None = None) -> list[Problem]:
    """Warnings found without rendering: a subject that wraps to too many lines (with the
    line of `subject:` in the letter file; `data` are its bytes when already read)."""
    layout = load_layout()
    lines = subject_lines(document.subject, document.row_tab_mm)
    if lines <= layout.checks.max_subject_lines:
        return []
    return [Problem(display_path(document.source), _line(document, data, ("subject",)),
                    field_name(("subject",)), f"the subject wraps to {lines} lines; the house "
                    f"style keeps it to {layout.checks.max_subject_lines}: shorten it",
                    "warning")]


def _line(document: Document, data: bytes | None, path: tuple) -> int | None:
    from ..letter.load import read_source
    from ..problems import LetterError

    try:
        return read_source(document.source, data).line(path)
    except (LetterError, OSError):
        return None


def after_rendering(document: Document, pdf: bytes | None,
                    data: bytes | None = None) -> tuple[list[Problem], dict]:
    """Warnings about the rendered letter, and the facts the release manifest lists."""
    layout = load_layout()
    source = display_path(document.source)
    problems = layout_warnings(document, data)
    pages = page_count(pdf) if pdf else None
    if pages and pages > layout.checks.max_pages:
        problems.append(Problem(source, None, "", f"the letter has {pages} pages, more than the "
                                f"{layout.checks.max_pages} of the page limit (layout.toml "
                                f"[checks] max_pages); consider an attachment", "warning"))
    info = {"kenmerk": document.kenmerk, "date": document.date.isoformat() if document.date
            else None, "subject": document.subject, "pages": pages, "draft": document.draft}
    return problems, info


def check_letter(path, data: bytes | None = None) -> list[Problem]:
    """Every problem of a letter file (the errors), or, when it has none, the warnings that
    need no rendering. Imports no writer (WeasyPrint stays unloaded)."""
    from ..compose import compose_papers
    from ..problems import LetterError

    try:
        documents = compose_papers(path, data)
    except LetterError as exc:
        return exc.problems
    return [*documents[0].warnings, *layout_warnings(documents[0], data)]
