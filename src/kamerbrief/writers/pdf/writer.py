"""The PDF writer: a Document to one PDF/A-2a + PDF/UA-1 file in the Rijkshuisstijl letter layout.

Jinja2 fills templates/kamerbrief.html.j2 with the Document (autoescape on: the letter's text is
data); the CSS is generated once per process from the layout file (templates/kamerbrief.css.j2);
WeasyPrint lays it out as tagged PDF/A-2a; kamerbrief.writers.pdf.pdfua checks its tag tree and
makes it PDF/UA-1.
WeasyPrint may read only files inside the templates folder (`TemplatesOnlyFetcher`).
"""

from __future__ import annotations

import io
import mimetypes
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ._weasyprint import weasyprint  # first: WeasyPrint without its slow library search

import cssselect2
import jinja2
import lxml.html
import pikepdf
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ... import document as d
from ..compiled import template_cache
from . import letterhead, pdfua
from ...layout import MM_PER_PT, Layout, layout_path, load_layout
from ...paths import templates_dir

PDF_VARIANT = "pdf/a-2a"      # WeasyPrint makes one variant; PDF/UA-1 is added afterwards


class FetchRefused(PermissionError):
    """WeasyPrint asked for something outside the templates folder."""


class TemplatesOnlyFetcher(URLFetcher):
    """A URL fetcher that serves files inside one folder and refuses everything else.

    No network, no `data:` URLs, no file outside the folder (symlinks resolved). `generated`
    holds files made from the layout (the stand-in logo), served as if they were in the folder.
    A refusal stops the rendering (`fail_on_errors`): a letter never silently loses a font.
    """

    def __init__(self, root: Path, generated: dict[str, bytes] | None = None):
        super().__init__(fail_on_errors=True, allowed_protocols=("file",))
        self.root = root.resolve()
        self.generated = {(self.root / name).resolve(): data
                          for name, data in (generated or {}).items()}

    def path_of(self, url: str) -> Path:
        """The file inside the folder that `url` names; FetchRefused for anything else."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"only template files may be read, not {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if path in self.generated:
            return path
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"not a file in the templates folder: {url!r}")
        return path

    def fetch(self, url, headers=None):  # noqa: ARG002 (signature of URLFetcher.fetch)
        path = self.path_of(url)
        data = self.generated.get(path) or path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime})


# -- set up once per process ------------------------------------------------------------------

@dataclass(frozen=True)
class _Kit:
    """What every letter of one process shares: templates, compiled CSS, fonts, fetcher."""

    layout: Layout
    html: jinja2.Template
    css: weasyprint.CSS
    fonts: FontConfiguration
    fetcher: TemplatesOnlyFetcher
    base_url: str
    logo_file: str
    images: dict = field(default_factory=dict)  # WeasyPrint's image cache, shared by letters
    stamps: OrderedDict = field(default_factory=OrderedDict)  # letterhead stamps (letterhead.py)


def _is(kind):
    return lambda value: isinstance(value, kind)


def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=lambda name: name is None or not name.endswith(".css.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        bytecode_cache=template_cache(),
    )
    env.tests.update(
        run=_is(d.Run), footnote_call=_is(d.FootnoteCall), line_break=_is(d.LineBreak),
        heading=_is(d.Heading), paragraph=_is(d.Paragraph), list_block=_is(d.ListBlock),
        quote=_is(d.Quote),
    )
    env.filters["css_string"] = _css_string
    return env


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def page_number_content(template: str) -> str:
    """The layout's page-number format ("Pagina {page} van {pages}") as a CSS `content` value."""
    parts, rest = [], template
    while rest:
        cuts = [(rest.find(k), k) for k in ("{page}", "{pages}") if k in rest]
        if not cuts:
            parts.append(_css_string(rest))
            break
        at, key = min(cuts)
        if at:
            parts.append(_css_string(rest[:at]))
        parts.append(f"counter({key[1:-1]})")
        rest = rest[at + len(key):]
    return " ".join(parts)


STAND_IN_LOGO = "generated/lint.svg"  # served by the fetcher, made from the layout
FOOTNOTE_RULE = "generated/rule.svg"


def _svg_box(width: float, height: float, unit: str, colour: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}{unit}" '
            f'height="{height}{unit}" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="{colour}"/></svg>').encode()


def generated_assets(layout: Layout) -> dict[str, bytes]:
    """Pictures drawn from the layout: the stand-in logo (a plain lint) and the footnote rule."""
    logo, notes = layout.logo, layout.footnotes
    rule_width_pt = notes.rule_width_mm / MM_PER_PT
    return {
        STAND_IN_LOGO: _svg_box(logo.width_mm, logo.height_mm, "mm", layout.colours.lint),
        FOOTNOTE_RULE: _svg_box(rule_width_pt, notes.rule_thickness_pt, "pt", layout.colours.text),
    }


# The template pair (<form>.html.j2, <form>.css.j2) that draws each paper; the Aanhangsel
# preview (kamerbrief.writers.aanhangsel) asks for its own form.
FORMS = {"letter": "kamerbrief", "answers": "antwoorden"}


@lru_cache(maxsize=8)
def _kit(layout_file: Path, folder: Path, form: str = "kamerbrief") -> _Kit:
    layout = load_layout()
    env = _environment(folder)
    logo = layout.logo.file or STAND_IN_LOGO
    fetcher = TemplatesOnlyFetcher(folder, generated_assets(layout))
    fetcher.path_of((folder / logo).as_uri())  # the logo is inside the templates, or refused
    base_url = folder.as_uri() + "/"
    css_text = env.get_template(f"{form}.css.j2").render(
        L=layout,
        logo=_css_string(logo),
        rule=_css_string(FOOTNOTE_RULE),
    )
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=css_text, base_url=base_url, url_fetcher=fetcher,
                         font_config=fonts)
    return _Kit(layout, env.get_template(f"{form}.html.j2"), css, fonts, fetcher, base_url,
                logo)


def kit(form: str = "kamerbrief") -> _Kit:
    """The shared set-up for the layout file and templates folder in use (made once per form)."""
    return _kit(layout_path(), templates_dir(), form)


# -- one letter -------------------------------------------------------------------------------

def render_html(doc: d.Document, form: str | None = None, **part) -> str:
    """The letter as HTML (for WeasyPrint; also handy to inspect a layout problem). `part`:
    the letterhead stamp's arguments (kamerbrief.writers.pdf.letterhead); by default the whole
    letter."""
    k = kit(form or FORMS[doc.paper])
    footnotes = {note.number: note.inlines for note in doc.footnotes}
    return k.html.render(
        doc=doc,
        L=k.layout,
        timestamp=d.timestamp(doc).isoformat(timespec="seconds"),
        logo_file=k.logo_file,
        footnote_text=footnotes.__getitem__,
        **part,
    )


@lru_cache(maxsize=8)
def page_label_css(label: str) -> weasyprint.CSS:
    """The Document's page label ("Pagina {page} van {pages}") in the page-number margin box."""
    content = page_number_content(label)
    return weasyprint.CSS(string=f"@page {{ @bottom-right-corner {{ content: {content} }} }}")


def _content_streams(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Object numbers of the page content streams."""
    found = set()
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            if stream is not None and stream.is_indirect:
                found.add(stream.objgen)
    return found


def _compress_streams(pdf: pikepdf.Pdf) -> None:
    """Compress every unfiltered stream (WeasyPrint writes them raw: zlib here is faster and,
    with object streams, gives files of half the size), so that none ends in a CR byte.

    Before "\nendstream" a checker reads CR LF as the end of line and finds /Length one byte
    too long (PDF/A 6.1.7). Page content gets a harmless newline until its compressed form no
    longer ends in CR; another stream whose compressed form would end in CR stays unfiltered.
    (Padding a font with zero bytes would never help: the last byte of zlib data is the low byte
    of the Adler-32 sum of the bytes, which zeros do not change.) The XMP metadata stays
    unfiltered, readable by any archive tool."""
    contents = _content_streams(pdf)
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or "/Filter" in obj or obj.get("/Type") == "/Metadata":
            if isinstance(obj, pikepdf.Stream) and obj.read_raw_bytes().endswith(b"\r"):
                raise ValueError(f"stream {obj.objgen} ends in CR")
            continue
        data = obj.read_raw_bytes()
        encoded = zlib.compress(data)
        if encoded.endswith(b"\r") and obj.objgen in contents:
            for _ in range(64):  # each newline moves the Adler-32 low byte by 10
                data += b"\n"
                encoded = zlib.compress(data)
                if not encoded.endswith(b"\r"):
                    break
        if not encoded.endswith(b"\r"):
            obj.write(encoded, filter=pikepdf.Name.FlateDecode)
        elif data.endswith(b"\r"):
            raise ValueError(f"cannot store stream {obj.objgen} without a final CR")


def _no_interpolation(pdf: pikepdf.Pdf) -> None:
    """PDF/A forbids image smoothing (/Interpolate true), which WeasyPrint sets for a logo file."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Interpolate") is not None:
            del obj.Interpolate


def finish(data: bytes, doc: d.Document, stamp: letterhead.Stamp | None = None) -> bytes:
    """WeasyPrint's PDF/A-2a (with the letterhead `stamp` merged in, when given) made PDF/UA-1
    too (kamerbrief.writers.pdf.pdfua), mended for PDF/A and compressed; deterministic ID, no
    new timestamps."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if stamp is not None:
            letterhead.stamp(pdf, stamp)
        pdfua.apply(pdf, doc)
        _no_interpolation(pdf)
        _compress_streams(pdf)
        for mode in (pikepdf.ObjectStreamMode.generate, pikepdf.ObjectStreamMode.disable):
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, object_stream_mode=mode, compress_streams=False)
            result = out.getvalue()
            if b"\r\nendstream" not in result:  # an object stream may end in CR too
                break
        return result


class ParsedHTML(weasyprint.HTML):
    """WeasyPrint's HTML document, parsed by lxml's (libxml2's) HTML parser instead of
    WeasyPrint's pure-Python HTML5 parser: ~3 ms less per letter for the HTML our own
    templates write (plain, well-formed, no scripts, no <base>). Sets what `HTML.__init__`
    sets after parsing; tests/test_pdf.py renders every test letter with both parsers and
    compares the bytes."""

    def __init__(self, html: str, base_url: str, url_fetcher):  # noqa: D107
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            lxml.html.document_fromstring(html), content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def _weasyprint(k: _Kit, html: str, label: str | None, parsed=ParsedHTML):
    """WeasyPrint's rendered document of some HTML with the kit's stylesheet (and the page
    label's, when given)."""
    sheets = [k.css] + ([page_label_css(label)] if label is not None else [])
    return parsed(html, base_url=k.base_url, url_fetcher=k.fetcher).render(
        stylesheets=sheets, font_config=k.fonts, pdf_variant=PDF_VARIANT, cache=k.images)


def letterhead_stamp(doc: d.Document) -> letterhead.Stamp | None:
    """The sender's page-1 letterhead, laid out once (kamerbrief.writers.pdf.letterhead), or
    None when this paper is drawn whole."""
    form = FORMS[doc.paper]
    if not letterhead.applies(doc, form):
        return None
    k = kit(form)
    head = render_html(doc, form, part="head", colofon_split=letterhead.sender_groups(doc))
    return letterhead.stamp_for(head, lambda html: _weasyprint(k, html, None), k.stamps)


def weasyprint_pdf(doc: d.Document, form: str | None = None, whole: bool = False) -> bytes:
    """WeasyPrint's tagged PDF/A-2a of one paper, drawn by the templates of `form` (default:
    the paper's own, FORMS), before the PDF/UA step. For a letter with a letterhead stamp
    (`letterhead_stamp`), without the stamped part: `finish` merges it; `whole`: all of it
    drawn by WeasyPrint (what the stamped letter is tested against)."""
    k = kit(form or FORMS[doc.paper])
    stamp = letterhead_stamp(doc) if form is None and not whole else None
    part = {} if stamp is None else {
        "part": "letter", "colofon_split": letterhead.sender_groups(doc),
        "colofon_top": f"{stamp.colofon_top_mm:.6f}mm"}
    return _weasyprint(k, render_html(doc, form, **part), doc.page_label).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=False,
        uncompressed_pdf=True,  # compressed in finish (_compress_streams)
    )


def render_pdf(doc: d.Document) -> bytes:
    """The finished PDF (PDF/A-2a + PDF/UA-1) of one paper; same Document, same bytes."""
    return finish(weasyprint_pdf(doc), doc, letterhead_stamp(doc))


render = render_pdf  # the writer interface (kamerbrief.writers)


def warm_up() -> None:
    """Set up what every letter of this process shares (called once per build worker)."""
    kit()
    kit(FORMS["answers"])
