"""A reviewed .docx opened for reading: its parts as lxml trees, found through relationships
(not by file name: LibreOffice names parts differently), and where each paragraph is."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..document import readable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
KB_NS = "urn:kamerbrief:fields:1"
KB = "{%s}" % KB_NS
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM_PROPS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
SOURCE_PROPERTY = "kamerbrief.source"
FORMAT_PROPERTY = "kamerbrief.format"


class NotADocx(Exception):
    """The file is not a Word document this command can read (with a sentence saying why)."""


@dataclass
class Part:
    name: str                       # e.g. word/header1.xml
    label: str                      # what a reader calls it: "the first-page header"
    root: etree._Element
    rels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> (type, target, mode)

    def target(self, rel_id: str) -> str | None:
        rel = self.rels.get(rel_id)
        return rel[1] if rel else None


@dataclass
class Package:
    path: Path
    files: dict[str, bytes]
    document: Part
    footnotes: Part | None
    comments: Part | None
    headers: list[Part]             # headers and footers, labelled by their use
    fields_part: etree._Element | None   # the custom XML part <kb:letter>
    properties: dict[str, str]      # custom document properties

    def story_parts(self) -> list[Part]:
        """Every part a reader sees text in: document, footnotes, headers and footers."""
        return [p for p in (self.document, self.footnotes, *self.headers) if p is not None]


def _rels_of(files: dict[str, bytes], name: str) -> dict[str, tuple[str, str, str]]:
    folder, base = posixpath.split(name)
    data = files.get(posixpath.join(folder, "_rels", base + ".rels"))
    if data is None:
        return {}
    out = {}
    for rel in etree.fromstring(data).iter(PKG_REL + "Relationship"):
        target, mode = rel.get("Target", ""), rel.get("TargetMode", "Internal")
        if mode != "External":
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            if rel.get("Target", "").startswith("/"):
                target = rel.get("Target").lstrip("/")
        out[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, mode)
    return out


def _xml(files: dict[str, bytes], name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(files[name], parser)


def open_package(path: Path, data: bytes | None = None) -> Package:
    """Read a .docx (from `data` when given); NotADocx when it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes() if data is None else data)) as z:
            files = {info.filename: z.read(info) for info in z.infolist()
                     if not info.is_dir() and info.file_size < 200_000_000}
    except zipfile.BadZipFile:
        raise NotADocx("the file is not a Word document (.docx); give the .docx that was "
                       "sent for review")
    top = {t: target for t, target, _ in _rels_of(files, "").values()}
    main = top.get("officeDocument")
    if main is None or main not in files:
        raise NotADocx("the file is a zip but not a Word document (.docx)")
    try:
        doc_rels = _rels_of(files, main)
        document = Part(main, "the letter", _xml(files, main), doc_rels)

        def part(kind: str, label: str) -> Part | None:
            for rel_type, target, mode in doc_rels.values():
                if rel_type == kind and mode != "External" and target in files:
                    return Part(target, label, _xml(files, target), _rels_of(files, target))
            return None

        headers = _headers(files, document)
        fields_part = None
        names = [t for kind, t, _ in doc_rels.values() if kind == "customXml"] + \
            sorted(n for n in files if n.startswith("customXml/item") and "Props" not in n)
        for name in names:  # LibreOffice may leave the part empty: then it is not there
            try:
                root = _xml(files, name) if files.get(name, b"").strip() else None
            except etree.XMLSyntaxError:
                root = None
            if root is not None and root.tag == KB + "letter":
                fields_part = root
                break
        return Package(path, files, document, part("footnotes", "the footnotes"),
                       part("comments", "the comments"), headers, fields_part,
                       _custom_properties(files))
    except etree.XMLSyntaxError as exc:
        raise NotADocx(f"a part of the Word document cannot be read ({exc}); open it in Word "
                       f"and save it again")


def _headers(files: dict[str, bytes], document: Part) -> list[Part]:
    """Headers and footers, labelled by the page they are used on (first or follow pages)."""
    names = {"header": "header", "footer": "footer"}
    used: dict[str, str] = {}
    for ref in document.root.iter(W + "headerReference", W + "footerReference"):
        kind = "header" if ref.tag == W + "headerReference" else "footer"
        target = document.target(ref.get(R + "id"))
        page = {"first": "first-page", "even": "even-page"}.get(ref.get(W + "type"), "follow-page")
        if target and target not in used:
            used[target] = f"the {page} {names[kind]}"
    out = []
    for target, label in used.items():
        if target in files:
            out.append(Part(target, label, _xml(files, target), _rels_of(files, target)))
    return out


def _custom_properties(files: dict[str, bytes]) -> dict[str, str]:
    data = files.get("docProps/custom.xml")
    if data is None:
        return {}
    out = {}
    for prop in etree.fromstring(data).iter(CUSTOM_PROPS + "property"):
        value = next(iter(prop), None)
        out[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return out


# -- text and places --------------------------------------------------------------------------

def visible(element: etree._Element) -> bool:
    """False inside an mc:Fallback (the copy of a text box LibreOffice adds for old readers)."""
    return not any(a.tag == MC + "Fallback" for a in element.iterancestors())


def own_paragraph(node: etree._Element) -> etree._Element | None:
    """The nearest w:p around a node."""
    for ancestor in node.iterancestors(W + "p"):
        return ancestor
    return None


def paragraph_text(p: etree._Element, deleted: bool = False) -> str:
    """The text a reader sees in one paragraph (not in text boxes anchored in it), field
    results included, field instructions not; `deleted` adds w:delText (tracked deletions)."""
    out = []
    tags = (W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen")
    if deleted:
        tags += (W + "delText",)
    for node in p.iter(*tags):
        if own_paragraph(node) is not p or not visible(node):
            continue
        if node.tag in (W + "t", W + "delText"):
            out.append(readable(node.text or ""))
        elif node.tag == W + "tab":
            if node.getparent().tag != W + "tabs":
                out.append("\t")
        elif node.tag == W + "noBreakHyphen":
            out.append("-")
        else:
            out.append("\n")
    return "".join(out)


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


HEADING_PREFIX = "Heading"


class Places:
    """Where a node is, in words: "the letter, under 'Stand van zaken', in the paragraph
    'De afgelopen periode …'" or "footnote 3" or "the first-page header"."""

    def __init__(self, package: Package, style_names: dict[str, str]):
        self.package = package
        self.style_names = style_names
        self.heading_before: dict[etree._Element, str] = {}
        self.note_numbers: dict[str, int] = {}
        heading = ""
        number = 0
        for p in package.document.root.iter(W + "p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            name = style_names.get(style.get(W + "val"), "") if style is not None else ""
            if name.lower().startswith("heading"):
                heading = paragraph_text(p, deleted=True)
            self.heading_before[p] = heading
        for ref in package.document.root.iter(W + "footnoteReference"):
            ident = ref.get(W + "id")
            if ident not in self.note_numbers:
                number += 1
                self.note_numbers[ident] = number

    def where(self, node: etree._Element, part: Part) -> str:
        p = node if node.tag == W + "p" else own_paragraph(node)
        if part is self.package.footnotes:
            note = next(node.iterancestors(W + "footnote"), None)
            number = self.note_numbers.get(note.get(W + "id")) if note is not None else None
            return f"footnote {number}" if number else "a footnote"
        if part is not self.package.document:
            said = f" in the paragraph '{short(paragraph_text(p, True))}'" if p is not None else ""
            return f"{part.label}{said}"
        if next(node.iterancestors(W + "tbl"), None) is not None and p is None:
            return "a table in the letter"
        text = short(paragraph_text(p) or paragraph_text(p, deleted=True)) if p is not None \
            else ""
        heading = self.heading_before.get(p, "") if p is not None else ""
        under = f"under '{short(heading, 40)}', " if heading and heading != paragraph_text(p, True) else ""
        return f"the letter, {under}in the paragraph '{text}'" if text else \
            f"the letter, {under}in an empty paragraph"


def style_names(package: Package) -> dict[str, str]:
    """Style id -> style name (Word shows names; LibreOffice may write other ids)."""
    for rel_type, target, _ in package.document.rels.values():
        if rel_type == "styles" and target in package.files:
            root = etree.fromstring(package.files[target])
            out = {}
            for style in root.iter(W + "style"):
                name = style.find(W + "name")
                out[style.get(W + "styleId")] = name.get(W + "val") if name is not None else ""
            return out
    return {}
