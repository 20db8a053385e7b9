"""Helpers for the Word tests: letters to .docx, the package's XML parts, LibreOffice."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from kamerbrief import document as d
from kamerbrief.compose.printing import dress

ROOT = Path(__file__).resolve().parents[1]
LETTERS = sorted((ROOT / "letters").glob("*.yaml"))
LONG_LETTER = ROOT / "tests" / "fixtures" / "long-letter.yaml"
FONTS_CONF = ROOT / "tests" / "fonts.conf"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}

TEXT_IS_DATA = "{{ 7*7 }} {% if x %} <script>alert(1)</script> & < «» ë ş ř € ≥ →"


from outputs import composed, docx_of  # noqa: E402 (built once per session)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def texts(element: etree._Element) -> str:
    """The visible text of an element: w:t joined, w:br and w:tab as spaces."""
    out = []
    for node in element.iter(W + "t", W + "br", W + "tab"):
        if node.getparent().tag == W + "tabs":  # a tab stop, not a tab character
            continue
        out.append(node.text or "" if node.tag == W + "t" else " ")
    return "".join(out)


def paragraphs(root: etree._Element) -> list[etree._Element]:
    return root.findall(".//w:p", NS)


def style_of(p: etree._Element) -> str | None:
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(W + "val")


def feature_document() -> d.Document:
    """The 2019 seed with a body that uses every block and inline kind the writer knows."""
    base = composed(LETTERS[0])

    def para(*inlines):
        return d.Paragraph(tuple(inlines))

    blocks = (
        para(d.Run("Zie "), d.Run("de website", href="https://www.nctv.nl/"), d.Run(" en "),
             d.Run("vet", bold=True), d.Run(" en "), d.Run("schuin", italic=True),
             d.FootnoteCall(1), d.Run("."), d.LineBreak(), d.Run("Nieuwe regel.")),
        d.Heading(1, (d.Run("Kop een"),)),
        d.ListBlock(True, 1, ((para(d.Run("een")),), (para(d.Run("twee")),))),
        d.Heading(2, (d.Run("Kop twee"),)),
        d.ListBlock(True, 3, ((para(d.Run("drie")),
                               d.ListBlock(False, 1, ((para(d.Run("genest")),),))),
                              (para(d.Run("vier")),))),
        d.Heading(3, (d.Run("Kop drie"),)),
        d.ListBlock(False, 1, ((para(d.Run("punt")),),)),
        d.Quote((para(d.Run("Een citaat met "), d.Run("nadruk", italic=True)),)),
        para(d.Run("Nogmaals"), d.FootnoteCall(1, first=False), d.Run(" en een tweede noot"),
             d.FootnoteCall(2), d.Run(".")),
    )
    footnotes = (d.Footnote(1, (d.Run("Eerste noot, zie "),
                                d.Run("rijksoverheid.nl", href="https://www.rijksoverheid.nl/"))),
                 d.Footnote(2, (d.Run("Tweede noot."),)))
    signatories = (d.Signatory("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius"),
                   d.Signatory("De Minister voor Rechtsbescherming", "F.M. Weerwind"))
    return dress(dataclasses.replace(base, blocks=blocks, footnotes=footnotes,
                                     signatories=signatories, opening="Geachte voorzitter,",
                                     closing="Hoogachtend,", your_reference="2019Z00001",
                                     attachments=("Een", "Twee")))


def text_is_data_document() -> d.Document:
    base = composed(LETTERS[0])
    sender = dataclasses.replace(base.sender, colofon_name=TEXT_IS_DATA,
                                 wordmark=(TEXT_IS_DATA,))
    return dress(dataclasses.replace(
        base, subject=TEXT_IS_DATA, kenmerk=TEXT_IS_DATA, sender=sender,
        recipient=(TEXT_IS_DATA, *base.recipient[1:]),
        blocks=(d.Paragraph((d.Run(TEXT_IS_DATA),)),),
        footnotes=(), signatories=(d.Signatory(TEXT_IS_DATA, TEXT_IS_DATA),)))


def draft_document() -> d.Document:
    base = composed(LETTERS[0])
    return dress(dataclasses.replace(base, draft=True, date=None, date_text="[datum]",
                                     kenmerk="[kenmerk]"))


# -- LibreOffice ------------------------------------------------------------------------------

def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, folder: Path, stem: str) -> tuple[Path, str]:
    """The .docx converted to PDF by LibreOffice (Verdana rendered as DejaVu Sans via
    tests/fonts.conf, a private profile); returns the PDF path and LibreOffice's stderr."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{stem}.docx"
    source.write_bytes(data)
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    profile = folder / "lo-profile"
    run = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        env=env, capture_output=True, text=True, timeout=180,
    )
    pdf = folder / f"{stem}.pdf"
    if run.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"LibreOffice failed ({run.returncode}): {run.stderr}")
    return pdf, run.stderr


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]
