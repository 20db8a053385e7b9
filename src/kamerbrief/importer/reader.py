"""What a reviewer left in the .docx: the letter's fields and its body, read back.

Each field is read by its own function: the visible text of its content control (found by
its tag `kb:<field>`, or by its binding: LibreOffice drops tags when it saves), which is what
the reviewer edited; else the place the Word writer prints it (the Datum and subject lines,
the address, the colofon); else the custom XML part `<kb:letter>` (LibreOffice does not always
write an edited bound value back to it).
The body is read through paragraph styles (Heading 1-3, List Bullet/Number 1-4, Quote,
Normal), character formatting (bold, italic), hyperlinks and footnotes; runs are read with
lxml, so nothing inside w:ins is lost. Tracked changes are resolved before this runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..document import Block, Heading, LineBreak, ListBlock, Paragraph, Quote, Run, readable
from .package import (KB, MC, W, Package, Part, Places, own_paragraph, paragraph_text, short,
                      style_names, visible)

BODY_TAG = "kb:body"
# the signatory's title (alone, or in a row of signatories), and name
SIGNATURE_STYLES = ("Signature", "Ondertekening in rij", "Ondertekenaar")
SECTION_BOOKMARK = re.compile(r"^kb_sec_(\d+(?:_\d+)*)$")
HAND_FORMATTING = {  # run properties a letter file cannot hold -> what to call them
    "color": "a colour", "rFonts": "a font", "sz": "a font size", "szCs": "a font size",
    "highlight": "a highlight", "shd": "a shading", "u": "an underline", "strike": "a strike-through",
    "dstrike": "a strike-through", "caps": "capitals", "smallCaps": "small capitals",
    "vertAlign": "superscript or subscript", "vanish": "hidden text", "spacing": "a letter spacing",
}


@dataclass(frozen=True)
class NoteRef:
    """A footnote call read from the .docx: `note` is the footnote's id in the .docx for a
    real call (w:footnoteReference), else the number a repeated call shows (`typed`)."""

    note: str | None = None
    typed: int | None = None
    first: bool = True


@dataclass(frozen=True)
class Issue:
    """Something in the .docx the letter file cannot hold, where it is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Reviewed:
    fields: dict[str, Any]
    blocks: list[Block]
    marks: dict[tuple[int, ...], int]        # letter-file section path -> first block index
    notes: dict[str, tuple]                  # footnote id in the .docx -> its inlines
    note_order: list[str]                    # footnote ids in order of first call
    issues: list[Issue] = field(default_factory=list)
    source_name: str | None = None           # the letter file's name, from the properties
    fields_marked: bool = False              # the fields are content controls (format 1)


# -- helpers ----------------------------------------------------------------------------------

_BINDING = re.compile(r"^/kb:letter\[1\]/kb:(\w+)\[(\d+)\](?:/kb:(\w+)\[1\])?$")


def field_of(sdt: etree._Element) -> str | None:
    """Which field a content control is: its tag (kb:subject, kb:signatory.1.name, kb:body),
    else its binding's XPath, else (the body) the section bookmarks it holds. LibreOffice
    drops the tags when it saves, and keeps bindings and bookmarks."""
    tag = sdt.find(f"{W}sdtPr/{W}tag")
    if tag is not None and (tag.get(W + "val") or "").startswith("kb:"):
        return tag.get(W + "val")
    binding = sdt.find(f"{W}sdtPr/{W}dataBinding")
    if binding is not None:
        found = _BINDING.match(binding.get(W + "xpath", "").replace(" ", ""))
        if found:
            name, index, inner = found.groups()
            return f"kb:{name}.{index}.{inner}" if inner else f"kb:{name}"
    content = sdt.find(W + "sdtContent")
    if content is not None and any(SECTION_BOOKMARK.match(b.get(W + "name", ""))
                                   for b in content.iter(W + "bookmarkStart")):
        return BODY_TAG
    return None


def _controls(package: Package) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for part in package.story_parts():
        for sdt in part.root.iter(W + "sdt"):
            name = field_of(sdt)
            if name and visible(sdt):
                out.setdefault(name, []).append(sdt)
    return out


def control_text(sdt: etree._Element) -> str:
    content = sdt.find(W + "sdtContent")
    if content is None:
        return ""
    if sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None:
        return ""
    paras = [p for p in content.iter(W + "p") if visible(p)]
    if paras:
        return "\n".join(paragraph_text(p) for p in paras)
    out = []
    for node in content.iter(W + "t", W + "br", W + "tab"):
        if visible(node):
            out.append(readable(node.text or "") if node.tag == W + "t" else
                       ("\n" if node.tag == W + "br" else "\t"))
    return "".join(out)


def _style_of(p: etree._Element, names: dict[str, str]) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is None:
        return "Normal"
    ident = style.get(W + "val")
    return names.get(ident) or ident


def _after_tab(text: str) -> str:
    return text.split("\t", 1)[1] if "\t" in text else text


# -- the reader -------------------------------------------------------------------------------

class Reader:
    def __init__(self, package: Package, places: Places, expect_opening: bool = False,
                 expect_closing: bool = False):
        self.package = package
        self.places = places
        self.names = style_names(package)
        self.controls = _controls(package)
        self.issues: list[Issue] = []
        self.warned: set[str] = set()
        self.expect_opening = expect_opening
        self.expect_closing = expect_closing
        self.body_elements, self.opening_p, self.closing_p = self._body_range()

    def issue(self, node: etree._Element, part: Part, message: str) -> None:
        self.issues.append(Issue(self.places.where(node, part), message))

    # fields ------------------------------------------------------------------------------

    def control(self, name: str) -> str | None:
        """The visible text of the field's content controls; None without one. Word keeps
        every copy the same; where LibreOffice did not, the copy the reviewer changed (the
        one that differs from the custom XML part) is the value."""
        found = self.controls.get(f"kb:{name}")
        if not found:
            return None
        texts = list(dict.fromkeys(control_text(sdt).strip() for sdt in found))
        if len(texts) == 1:
            return texts[0]
        changed = [text for text in texts if text != self.stored(name)]
        if len(changed) > 1 and name not in self.warned:
            self.warned.add(name)
            self.issues.append(Issue(f"the field {name}", "its copies show different values ("
                                     + ", ".join(f"'{short(t, 40)}'" for t in changed)
                                     + "); make them the same"))
        return changed[0] if changed else texts[0]

    def stored(self, name: str) -> str | None:
        """The field's value in the custom XML part (what Word keeps in step with the
        controls; LibreOffice may not write an edit back there); None without one."""
        part = self.package.fields_part
        if part is not None:
            element = part.find(KB + name)
            if element is not None:
                if len(element):
                    return "\n".join(readable(child.text or "").strip() for child in element)
                return readable(element.text or "").strip()
        return None

    def styled(self, style: str, part: Part | None = None) -> list[etree._Element]:
        root = (part or self.package.document).root
        return [p for p in root.iter(W + "p")
                if visible(p) and _style_of(p, self.names) == style]

    def header_value(self, label: str) -> str | None:
        """A colofon value printed under its label (documents without content controls)."""
        first = next((h for h in self.package.headers if "first-page header" in h.label), None)
        for part in ([first] if first else []) + self.package.headers:
            for p in part.root.iter(W + "p"):
                lines = paragraph_text(p).split("\n")
                if lines and lines[0].strip() == label:
                    return "\n".join(lines[1:]).strip()
        return None

    @staticmethod
    def first(*values: str | None) -> str | None:
        return next((v for v in values if v is not None), None)

    def read_date(self) -> str | None:
        found = self.styled("Datum")
        printed = _after_tab(paragraph_text(found[0])).strip() if found else None
        return self.first(self.control("date"), printed, self.stored("date"))

    def read_kenmerk(self) -> str | None:
        return self.first(self.control("kenmerk"), self.header_value("Ons kenmerk"),
                          self.stored("kenmerk"))

    def read_your_reference(self) -> str | None:
        return self.first(self.control("your_reference"), self.header_value("Uw kenmerk"),
                          self.stored("your_reference"), "")

    def read_subject(self) -> str | None:
        found = self.styled("Betreft")
        printed = _after_tab(paragraph_text(found[0])).strip() if found else None
        value = self.first(self.control("subject"), printed, self.stored("subject"))
        return " ".join(value.split()) if value is not None else None

    def read_recipient(self) -> tuple[str, ...] | None:
        found = self.styled("Adres")
        printed = "\n".join(paragraph_text(p) for p in found) if found else None
        value = self.first(self.control("recipient"), printed, self.stored("recipient"))
        if value is None:
            return None
        return tuple(line.strip() for line in value.split("\n") if line.strip())

    def read_opening(self) -> str | None:
        printed = paragraph_text(self.opening_p).strip() if self.opening_p is not None else None
        return self.first(self.control("opening"), printed,
                          None if self.controls else self.stored("opening")) or None

    def read_closing(self) -> str | None:
        printed = paragraph_text(self.closing_p).strip() if self.closing_p is not None else None
        return self.first(self.control("closing"), printed,
                          None if self.controls else self.stored("closing")) or None

    def read_attachments(self) -> tuple[str, ...] | None:
        part = self.package.fields_part
        element = part.find(KB + "attachments") if part is not None else None
        if element is None:
            return None
        return tuple((item.text or "").strip() for item in element.iter(KB + "item")
                     if (item.text or "").strip())

    def read_signatories(self) -> tuple[tuple[str, str], ...] | None:
        out = []
        index = 1
        while f"kb:signatory.{index}.name" in self.controls or \
                f"kb:signatory.{index}.title" in self.controls:
            title = self.control(f"signatory.{index}.title") or ""
            name = self.control(f"signatory.{index}.name") or ""
            out.append((title.strip().rstrip(",").strip(), name.strip()))
            index += 1
        if out:
            return tuple(out)
        lines = [paragraph_text(p).strip() for p in self.package.document.root.iter(W + "p")
                 if visible(p) and _style_of(p, self.names) in SIGNATURE_STYLES]
        people: list[list[str]] = []
        for line in filter(None, lines):  # "title," then the name
            if line.endswith(",") or not people or people[-1][1]:
                people.append([line.rstrip(",").strip(), ""])
            else:
                people[-1][1] = line
        if people:
            return tuple((title, name) for title, name in people)
        part = self.package.fields_part
        if part is not None and part.find(KB + "signatory") is not None:
            return tuple(((s.findtext(KB + "title") or "").strip(),
                          (s.findtext(KB + "name") or "").strip())
                         for s in part.iter(KB + "signatory"))
        return None

    def fields(self) -> dict[str, Any]:
        return {
            "date": self.read_date(),
            "kenmerk": self.read_kenmerk(),
            "your_reference": self.read_your_reference(),
            "subject": self.read_subject(),
            "recipient": self.read_recipient(),
            "opening": self.read_opening(),
            "closing": self.read_closing(),
            "attachments": self.read_attachments(),
            "signatories": self.read_signatories(),
        }

    # body ----------------------------------------------------------------------------------

    def _body_range(self):
        """The block elements of the body, and (documents without content controls) the
        opening and closing paragraphs."""
        body = self.controls.get(BODY_TAG)
        if body:
            content = body[0].find(W + "sdtContent")
            return (list(content) if content is not None else []), None, None
        root = self.package.document.root.find(W + "body")
        children = list(root)
        start = 0
        for index, child in enumerate(children):
            if child.tag == W + "p" and _style_of(child, self.names) == "Betreft":
                start = index + 1
        end = len(children)
        for index in range(start, len(children)):
            child = children[index]
            if child.tag == W + "sectPr" or (child.tag == W + "p" and _style_of(
                    child, self.names) in SIGNATURE_STYLES) or (child.tag == W + "tbl" and any(
                    _style_of(p, self.names) in SIGNATURE_STYLES for p in child.iter(W + "p"))):
                end = index
                break
        elements = children[start:end]
        paras = [i for i, e in enumerate(elements)
                 if e.tag == W + "p" and paragraph_text(e).strip()]
        opening = closing = None
        if self.expect_opening and paras:
            opening = elements[paras[0]]
            paras = paras[1:]
        if self.expect_closing and paras:
            closing = elements[paras[-1]]
        return [e for e in elements if e is not opening and e is not closing], opening, closing

    def body(self) -> tuple[list[Block], dict[tuple[int, ...], int]]:
        builder = _BodyBuilder(self)
        for element in self.body_elements:
            builder.element(element)
        return builder.finish(), builder.marks

    def footnotes(self) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        part = self.package.footnotes
        if part is None:
            return out
        for note in part.root.iter(W + "footnote"):
            if note.get(W + "type") in ("separator", "continuationSeparator",
                                         "continuationNotice"):
                continue
            paras = [p for p in note.iter(W + "p") if visible(p)]
            inlines: list = []
            for index, p in enumerate(paras):
                if index and paragraph_text(p).strip():
                    inlines.append(LineBreak())
                inlines += self.inlines(p, part, note=True)
            out[note.get(W + "id")] = tuple(_tidy(inlines, strip=True))
        return out

    # inlines -------------------------------------------------------------------------------

    def inlines(self, p: etree._Element, part: Part, quote: bool = False,
                note: bool = False) -> list:
        """The runs of one paragraph as Document inlines (with NoteRef for footnote calls)."""
        out: list = []
        state = {"field": None, "in_result": False, "instr": ""}
        for node in self._run_nodes(p):
            if node.tag == W + "hyperlink":
                href = self._href(node, part)
                for run in node.iter(W + "r"):
                    if own_paragraph(run) is p and visible(run):
                        out += self.run(run, part, quote, note, href, state)
            elif node.tag == W + "fldSimple":
                self._simple_field(node, part, quote, note, out, state)
            elif node.tag == W + "r":
                out += self.run(node, part, quote, note, None, state)
            elif node.tag == W + "bookmarkStart":
                continue
        return out

    def _run_nodes(self, p: etree._Element):
        """Runs, hyperlinks and simple fields of a paragraph in order (inside run-level
        content controls, smart tags and the like too), not those of text boxes."""
        def walk(parent):
            for child in parent:
                if child.tag in (W + "r", W + "hyperlink", W + "fldSimple"):
                    yield child
                elif child.tag in (W + "pPr", W + "rPr") or child.tag == MC + "Fallback":
                    continue
                elif child.tag == W + "bookmarkStart":
                    yield child
                else:
                    yield from walk(child)
        yield from walk(p)

    def _href(self, link: etree._Element, part: Part) -> str | None:
        rel = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        if rel:
            target = part.rels.get(rel)
            if target:
                return target[1]
        anchor = link.get(W + "anchor")
        if anchor:
            self.issue(link, part, f"a link to a place inside the document ('{anchor}') cannot "
                       f"go in a letter file; it is kept as plain text")
        return None

    def _simple_field(self, node, part, quote, note, out, state) -> None:
        instruction = (node.get(W + "instr") or "").split()
        if instruction and instruction[0].upper() == "NOTEREF" and len(instruction) > 1:
            out.append(NoteRef(note=self.bookmark_note(instruction[1]), first=False))
            return
        href = _hyperlink_field(instruction)
        for run in node.iter(W + "r"):
            out += self.run(run, part, quote, note, href, dict(state, field=None))

    def bookmark_note(self, name: str) -> str | None:
        """The id of the footnote whose call carries bookmark `name` (NOTEREF target)."""
        root = self.package.document.root
        for mark in root.iter(W + "bookmarkStart"):
            if mark.get(W + "name") != name:
                continue
            node = mark.getnext()
            while node is not None:
                found = node.find(f".//{W}footnoteReference") if node.tag != W + "footnoteReference" else node
                if found is not None:
                    return found.get(W + "id")
                node = node.getnext()
        return None

    def run(self, run, part, quote, note, href, state) -> list:
        out: list = []
        rpr = run.find(W + "rPr")
        bold, italic, style = _emphasis(rpr, quote, self.names)
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    state["field"], state["instr"], state["in_result"] = "?", "", False
                elif kind == "separate":
                    state["in_result"] = True
                    words = state["instr"].split()
                    state["field"] = words[0].upper() if words else ""
                    if state["field"] == "NOTEREF" and len(words) > 1:
                        out.append(NoteRef(note=self.bookmark_note(words[1]), first=False))
                    state["href"] = _hyperlink_field(words)
                elif kind == "end":
                    state["field"], state["in_result"] = None, False
                continue
            if state["field"] is not None and not state["in_result"]:
                if tag == W + "instrText":
                    state["instr"] += child.text or ""
                continue
            if state["field"] == "NOTEREF":
                continue  # the number it shows
            link = href or (state.get("href") if state["field"] else None)
            if tag == W + "t":
                text = readable(child.text or "")
                if style == "footnote reference" and text.strip().isdigit() and not note:
                    out.append(NoteRef(typed=int(text.strip()), first=False))
                elif text:
                    out.append(Run(text, bold, italic, link))
                    state["text"] = True
            elif tag in (W + "tab", W + "ptab") and note and not state.get("text"):
                continue  # the space between a footnote's number and its text
            elif tag in (W + "tab", W + "ptab"):
                out.append(Run(" ", bold, italic, link))
                self.issue(run, part, "a tab cannot go in a letter file; it becomes a space")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") in ("page", "column"):
                    self.issue(run, part, "a page break set by hand cannot go in a letter file "
                               "(the layout breaks pages); remove it")
                else:
                    out.append(LineBreak())
            elif tag == W + "noBreakHyphen":
                out.append(Run("\u2011", bold, italic, link))
            elif tag == W + "softHyphen":
                continue  # a hyphenation point the Document decided, not the writer's text
            elif tag == W + "sym":
                out.append(Run(chr(int(child.get(W + "char", "3F"), 16)), bold, italic, link))
            elif tag == W + "footnoteReference":
                out.append(NoteRef(note=child.get(W + "id")))
            elif tag == W + "footnoteRef":
                continue  # the note's own number mark
            elif tag == W + "endnoteReference":
                self.issue(run, part, "an endnote cannot go in a letter file (it has footnotes "
                           "only); make it a footnote")
            elif tag in (W + "drawing", W + "pict", W + "object") or \
                    etree.QName(tag).localname == "AlternateContent":
                self.issue(run, part, "an image or drawing cannot go in a letter file; send "
                           "it as an attachment, or remove it")
            elif tag == W + "commentReference" or tag == W + "annotationRef":
                continue
        if out and rpr is not None and not note:
            self._hand_formatting(run, rpr, part, style)
        return out

    def _hand_formatting(self, run, rpr, part, style) -> None:
        found = []
        for child in rpr:
            name = etree.QName(child).localname
            if name in HAND_FORMATTING:
                if name == "vertAlign" and style == "footnote reference":
                    continue
                if name == "u" and style.lower() in ("hyperlink", "internet link"):
                    continue
                if child.get(W + "val") in ("0", "false", "none") and name not in ("color",):
                    continue
                found.append(HAND_FORMATTING[name])
        if found:
            self.issue(run, part, f"{' and '.join(dict.fromkeys(found))} set by hand cannot go "
                       f"in a letter file (it has bold, italic and links only); remove it or "
                       f"use --force to drop it")


def _hyperlink_field(words: list[str]) -> str | None:
    if len(words) >= 2 and words[0].upper() == "HYPERLINK" and not words[1].startswith("\\"):
        return words[1].strip('"')
    return None


def _on(element) -> bool:
    return element is not None and element.get(W + "val") not in ("0", "false", "off")


FOOTNOTE_MARK_STYLES = {"footnote reference", "footnote characters", "footnote anchor",
                        "footnote symbol"}


def _emphasis(rpr, quote: bool, names: dict[str, str]) -> tuple[bool, bool, str]:
    """Bold and italic of a run as the letter means them; in a quote (italic by its style)
    an upright run is the emphasis, as the writer draws it. The third value is the run's
    character style: "footnote reference" for every name a footnote mark's style goes by."""
    if rpr is None:
        return False, False, ""
    style = rpr.find(W + "rStyle")
    ident = style.get(W + "val") if style is not None else ""
    name = names.get(ident) or ident
    if name.lower() in FOOTNOTE_MARK_STYLES or ident == "FootnoteReference":
        name = "footnote reference"
    bold = _on(rpr.find(W + "b")) or name == "Strong"
    i = rpr.find(W + "i")
    if quote:
        italic = i is not None and not _on(i)
    else:
        italic = _on(i) or name == "Emphasis"
    return bold, italic, name


def _tidy(inlines: list, strip: bool = False) -> list:
    """Neighbouring runs with the same properties joined; spaces at the ends of a paragraph
    dropped (Markdown drops them too)."""
    out: list = []
    for item in inlines:
        last = out[-1] if out else None
        if isinstance(item, Run) and isinstance(last, Run) and \
                (last.bold, last.italic, last.href) == (item.bold, item.italic, item.href):
            out[-1] = Run(last.text + item.text, item.bold, item.italic, item.href)
        else:
            out.append(item)
    while strip and out and isinstance(out[0], Run) and not out[0].text.strip():
        out.pop(0)
    if strip and out and isinstance(out[0], Run):
        out[0] = Run(out[0].text.lstrip(" \u00a0"), out[0].bold, out[0].italic, out[0].href)
    while strip and out and isinstance(out[-1], Run) and not out[-1].text.strip():
        out.pop()
    if strip and out and isinstance(out[-1], Run):
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].href)
    return [item for item in out if not (isinstance(item, Run) and not item.text)]


_LIST = re.compile(r"^List ?(Bullet|Number|Continue|Paragraph)(?: ?(\d))?$", re.I)
_HEADING = re.compile(r"^heading ?(\d)$", re.I)  # by name, or by id when not defined


class _BodyBuilder:
    """Paragraphs in order -> nested Document blocks (lists by level, quotes)."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.part = reader.package.document
        self.out: list[Block] = []
        self.marks: dict[tuple[int, ...], int] = {}
        self.list_stack: list[dict] = []   # open lists: {"ordered", "start", "items", "num"}
        self.quote: list[Block] | None = None

    def element(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == W + "p":
            self.paragraph(element)
        elif tag == W + "tbl":
            self.close_all()
            before = element.getprevious()
            while before is not None and (before.tag != W + "p" or
                                          not paragraph_text(before).strip()):
                before = before.getprevious()
            cell = short(" ".join(paragraph_text(p) for p in element.iter(W + "p")), 40)
            where = self.reader.places.where(before, self.part) if before is not None \
                else "the letter, at the start of the body"
            self.reader.issues.append(Issue(
                f"{where}, the table after it ('{cell}')", "a table cannot go in a letter "
                "file; put its content in paragraphs or a list, or send it as an attachment"))
        elif tag == W + "sdt":
            content = element.find(W + "sdtContent")
            for child in (content if content is not None else []):
                self.element(child)
        elif tag == W + "bookmarkStart":
            self.bookmark(element)
        elif tag in (W + "customXml", W + "smartTag"):
            for child in element:
                self.element(child)

    def bookmark(self, mark: etree._Element) -> None:
        found = SECTION_BOOKMARK.match(mark.get(W + "name", ""))
        if found:
            self.close_all()
            self.marks.setdefault(tuple(int(n) for n in found.group(1).split("_")),
                                  len(self.out))

    def paragraph(self, p: etree._Element) -> None:
        for mark in p.iter(W + "bookmarkStart"):
            if own_paragraph(mark) is p and SECTION_BOOKMARK.match(mark.get(W + "name", "")):
                self.bookmark(mark)
        for box in p.iter(W + "txbxContent"):
            if visible(box):
                self.reader.issue(p, self.part, "a text box cannot go in a letter file; move "
                                  "its text into the paragraphs")
                break
        style = _style_of(p, self.reader.names)
        heading = _HEADING.match(style)
        listed = _LIST.match(style)
        quote = style.lower() in ("quote", "intense quote", "block text")
        inlines = _tidy(self.reader.inlines(p, self.part, quote=quote), strip=True)
        if not inlines:
            return  # an empty paragraph: Enter pressed twice; the letter's spacing is its own
        if heading:
            self.close_all()
            level = int(heading.group(1))
            if level > 3:
                self.reader.issue(p, self.part, f"a heading of level {level} cannot go in a "
                                  f"letter (three levels at most); it becomes level 3")
            self.out.append(Heading(min(level, 3), tuple(inlines)))
        elif listed and listed.group(1).lower() != "continue":
            self.list_item(p, listed, inlines)
        elif listed or (self.list_stack and style.lower().startswith("list continue")):
            if not self.list_stack:
                self.add(Paragraph(tuple(inlines)))
            else:
                level = int(listed.group(2)) - 1 if listed and listed.group(2) else None
                while level is not None and len(self.list_stack) > level + 1:
                    self.close_list()
                self.list_stack[-1]["items"][-1].append(Paragraph(tuple(inlines)))
        elif quote:
            self.close_lists()
            if self.quote is None:
                self.quote = []
            self.quote.append(Paragraph(tuple(inlines)))
        else:
            # "Blijft bij volgende": a body paragraph kept with the next (compose decides it
            # again from the letter)
            if style not in ("Normal", "Body Text", "Default", "Text Body", "Default Style",
                             "Blijft bij volgende"):
                self.reader.issue(p, self.part, f"the paragraph style '{style}' is not one "
                                  f"of the letter's; the paragraph is read as plain text")
            self.close_all()
            self.out.append(Paragraph(tuple(inlines)))

    def list_item(self, p, listed, inlines) -> None:
        self.close_quote_if_outside()
        ordered = listed.group(1).lower() == "number"
        num_pr = p.find(f"{W}pPr/{W}numPr")
        ilvl = num_pr.find(W + "ilvl") if num_pr is not None else None
        num_id = num_pr.find(W + "numId") if num_pr is not None else None
        if listed.group(2):
            level = int(listed.group(2)) - 1
        else:
            level = int(ilvl.get(W + "val")) if ilvl is not None else 0
        level = max(0, min(level, len(self.list_stack)))
        while len(self.list_stack) > level + 1:
            self.close_list()
        num = num_id.get(W + "val") if num_id is not None else None
        if len(self.list_stack) == level + 1:
            top = self.list_stack[-1]
            if top["ordered"] != ordered:
                self.close_list()
        if len(self.list_stack) < level + 1:
            self.list_stack.append({"ordered": ordered, "start": self.start_of(num, level)
                                    if ordered else 1, "items": [], "num": num})
        self.list_stack[-1]["items"].append([Paragraph(tuple(inlines))])

    def start_of(self, num: str | None, level: int) -> int:
        """The number a list starts at: its numbering instance's start override, else 1."""
        if num is None:
            return 1
        numbering = None
        for rel_type, target, _ in self.reader.package.document.rels.values():
            if rel_type == "numbering" and target in self.reader.package.files:
                numbering = etree.fromstring(self.reader.package.files[target])
        if numbering is None:
            return 1
        for instance in numbering.iter(W + "num"):
            if instance.get(W + "numId") == num:
                for override in instance.iter(W + "lvlOverride"):
                    if override.get(W + "ilvl") == str(level):
                        start = override.find(W + "startOverride")
                        if start is not None:
                            return int(start.get(W + "val"))
        return 1

    def add(self, block: Block) -> None:
        if self.list_stack:
            self.list_stack[-1]["items"][-1].append(block)
        elif self.quote is not None:
            self.quote.append(block)
        else:
            self.out.append(block)

    def close_list(self) -> None:
        top = self.list_stack.pop()
        self.add(ListBlock(top["ordered"], top["start"],
                           tuple(tuple(item) for item in top["items"])))

    def close_lists(self) -> None:
        while self.list_stack:
            self.close_list()

    def close_quote_if_outside(self) -> None:
        if self.quote is not None and not self.list_stack:
            self.close_quote()

    def close_quote(self) -> None:
        if self.quote is not None:
            self.out.append(Quote(tuple(self.quote)))
            self.quote = None

    def close_all(self) -> None:
        self.close_lists()
        self.close_quote()

    def finish(self) -> list[Block]:
        self.close_all()
        return self.out


def read(package: Package, places: Places, expect_opening: bool = False,
         expect_closing: bool = False) -> Reviewed:
    reader = Reader(package, places, expect_opening, expect_closing)
    fields = reader.fields()
    blocks, marks = reader.body()
    notes = reader.footnotes()
    order: list[str] = []
    for ref in package.document.root.iter(W + "footnoteReference"):
        if visible(ref) and ref.get(W + "id") not in order:
            order.append(ref.get(W + "id"))
    return Reviewed(fields, blocks, marks, notes, order, reader.issues,
                    package.properties.get("kamerbrief.source"),
                    bool(reader.controls))
