"""What the preview's worker process does: render a letter file into page images.

Everything here runs in the worker (see worker.py), never in the server: a render that
crashes takes down only the worker. Results are plain picklable values.
"""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..document import readable
from ..layout import MM_PER_PT, load_layout
from ..problems import LetterError, Problem, display_path
from .guides import page_guides

PIXELS_PER_MM = 5.0          # page images at 127 dpi: sharp at the page width shown
PNG_LEVEL = 1                # fast zlib; the images only travel over loopback
PNG_CACHE = 64               # pictures kept by their pixels: an edit re-encodes changed pages only

_pngs: dict[bytes, bytes] = {}


@dataclass(frozen=True)
class PageImage:
    """One printed page: its picture, its text (from the PDF) and where its notes start."""

    png: bytes
    text: str
    width_mm: float
    height_mm: float
    guides: tuple = ()      # the layout overlay's boxes (guides.Guide), from the layout in use


@dataclass(frozen=True)
class Paper:
    """One paper of the letter file (Document.paper: the letter, the answers document) with
    its pages, as its PDF prints them."""

    paper: str              # Document.paper: "letter", "answers"
    title: str              # its name as the Document says it (paper_title)
    file: str               # the PDF `kamerbrief build` writes: "<stem>.pdf"
    pages: tuple[PageImage, ...]


@dataclass(frozen=True)
class Rendering:
    """A letter file that rendered: every paper it makes, the letter first."""

    subject: str
    stem: str
    letter_hash: str
    papers: tuple[Paper, ...]

    @property
    def pages(self) -> tuple[PageImage, ...]:
        """Every page of every paper, in order (the image URLs number them so)."""
        return tuple(page for paper in self.papers for page in paper.pages)


@dataclass(frozen=True)
class Outcome:
    """One render of the letter file: a rendering (when it has no errors) and its problems."""

    rendering: Rendering | None
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0
    cpu_seconds: float = 0.0                                # the worker's own CPU time
    docx: bytes | None = field(default=None, repr=False)   # only when the Word view asked


def warm_up() -> None:
    """Load WeasyPrint, fonts, stylesheets and the Word template once per worker."""
    from ..writers import writer

    for name in ("pdf", "docx"):
        writer(name).warm_up()
    import pypdfium2  # noqa: F401  (its library loads once here)


def letter_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def paper_title(document) -> str:
    """A paper's name as its Document says it: the answers document's title, else the
    subject (the letter's Betreft), as a reader copies it."""
    if document.answers is not None:
        return readable(document.answers.title)
    return document.title


def render_letter(path: str, word: bool = False) -> Outcome:
    """Compose and render every paper of a letter file (PDF pages; the letter's .docx too
    when `word`)."""
    from ..batch.build import render_papers
    from ..batch.checks import after_rendering
    from ..compose import compose_papers
    from ..letter.read import read_letter
    from ..writers import writer

    started, cpu = time.perf_counter(), time.process_time()
    source = Path(path)
    try:
        data = read_letter(source)  # once: the hash and the rendering are of the same bytes
        documents = compose_papers(source, data)
        rendered = render_papers(documents, ("pdf",))
        if word:  # the Word view shows the letter's .docx
            rendered.update(render_papers(documents[:1], ("docx",)))
    except LetterError as exc:
        return Outcome(None, tuple(exc.problems), time.perf_counter() - started,
                       time.process_time() - cpu)
    except OSError as exc:
        return Outcome(None, (Problem(display_path(source), None, "", f"cannot be read "
                                      f"({exc.strerror or exc}); save the file again"),),
                       time.perf_counter() - started)
    letter, suffix = documents[0], writer("pdf").suffix
    warnings, _ = after_rendering(letter, rendered[letter.stem + suffix], data)
    # The layout guides are the letterhead's: drawn on the letter's pages only.
    papers = tuple(Paper(d.paper, paper_title(d), d.stem + suffix,
                         rasterize(rendered[d.stem + suffix], d.paper == "letter"))
                   for d in documents if d.stem + suffix in rendered)
    rendering = Rendering(letter.subject, letter.stem, letter_hash(data), papers)
    return Outcome(rendering, tuple(warnings), time.perf_counter() - started,
                   time.process_time() - cpu, rendered.get(letter.stem + writer("docx").suffix))


def rasterize(pdf: bytes, with_guides: bool = True) -> tuple[PageImage, ...]:
    """Every page of a PDF as a PNG picture with its text (and the overlay's boxes)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            width_pt, height_pt = page.get_size()
            png = _png(page.render(scale=PIXELS_PER_MM * MM_PER_PT))
            textpage = page.get_textpage()
            text = readable(textpage.get_text_range())  # no-break spaces as spaces
            textpage.close()
            guides = ()
            if with_guides:
                notes = _footnote_rule_top_mm(page, height_pt)
                guides = tuple(page_guides(load_layout(), len(pages), notes))
            pages.append(PageImage(png, text, width_pt * MM_PER_PT,
                                   height_pt * MM_PER_PT, guides))
            page.close()
        return tuple(pages)
    finally:
        document.close()


def _png(bitmap) -> bytes:
    """The bitmap as PNG; encoded once per distinct picture (encoding is most of the time of
    rasterizing, and most pages do not change between two saves)."""
    pixels = memoryview(bitmap.buffer).cast("B")
    key = hashlib.blake2b(pixels, digest_size=20,
                          person=f"{bitmap.width}x{bitmap.height}".encode()[:16]).digest()
    png = _pngs.get(key)
    if png is None:
        out = io.BytesIO()
        bitmap.to_pil().save(out, "PNG", compress_level=PNG_LEVEL)
        png = _pngs[key] = out.getvalue()
        while len(_pngs) > PNG_CACHE:
            del _pngs[next(iter(_pngs))]
    bitmap.close()
    return png


def _footnote_rule_top_mm(page, height_pt: float) -> float | None:
    """Where the footnote rule is drawn on a page (mm from the top), if it has one.

    The rule is the one drawing of the layout's rule width and thickness in the body column."""
    layout = load_layout()
    want_width = layout.footnotes.rule_width_mm / MM_PER_PT
    thickness = layout.footnotes.rule_thickness_pt
    left = layout.body.x_mm / MM_PER_PT
    for obj in page.get_objects(max_depth=1):
        x0, y0, x1, y1 = obj.get_bounds()
        if (abs((x1 - x0) - want_width) < 1 and (y1 - y0) <= 2 * thickness + 0.5
                and abs(x0 - left) < 1):
            return (height_pt - y1) * MM_PER_PT
    return None
