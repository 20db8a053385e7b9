"""Reviewer edits on built .docx files, made as Word writes them (raw WordprocessingML via
lxml; python-docx for what it has an API for), for the import tests."""

from __future__ import annotations

import io
import zipfile
from typing import Callable

from docx import Document as open_docx
from lxml import etree

from kamerbrief.document import readable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
AUTHOR = {W + "author": "Reviewer", W + "date": "2026-11-20T10:00:00Z"}


def edit_part(data: bytes, name: str, change: Callable[[etree._Element], None]) -> bytes:
    """The package with one XML part changed by `change(root)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                root = etree.fromstring(content)
                change(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            target.writestr(info, content)
    return out.getvalue()


def with_docx(data: bytes, change) -> bytes:
    """The package changed through python-docx (`change(document)`)."""
    document = open_docx(io.BytesIO(data))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def w(tag: str, *children, text: str | None = None, **attrs) -> etree._Element:
    element = etree.Element(W + tag, {W + k: str(v) for k, v in attrs.items()})
    for child in children:
        element.append(child)
    if text is not None:
        element.text = text
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def run(text: str, deleted: bool = False) -> etree._Element:
    return w("r", w("delText" if deleted else "t", text=text))


def paragraphs(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(W + "p"))


def text_of(p: etree._Element) -> str:
    """The paragraph's text as a reader copies it (no-break spaces as spaces)."""
    return readable("".join(t.text or "" for t in p.iter(W + "t")))


def as_typed(p: etree._Element) -> etree._Element:
    """Paragraph p with each run's text in one w:t as a reviewer retypes it: the soft hyphens
    and no-break characters the Document put in (compose/textrules.py) taken out, so an edit
    can find a whole word. The import reads text the same way, so this is no change to it."""
    for r in p.iter(W + "r"):
        groups, group = [], []
        for child in r:  # stretches of w:t and w:softHyphen (a w:br or w:tab ends one)
            if child.tag in (W + "t", W + "softHyphen"):
                group.append(child)
            else:
                groups.append(group)
                group = []
        groups.append(group)
        for pieces in groups:
            texts = [c for c in pieces if c.tag == W + "t"]
            if not texts or (len(pieces) == 1 and texts[0].text == readable(texts[0].text or "")):
                continue
            first = texts[0]
            first.text = readable("".join(c.text or "" for c in texts))
            first.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for c in pieces:
                if c is not first:
                    r.remove(c)
    return p


def find_paragraph(root: etree._Element, needle: str) -> etree._Element:
    for p in root.iter(W + "p"):
        if needle in text_of(p):
            return as_typed(p)
    raise AssertionError(f"no paragraph with {needle!r}")


def _run_with(p: etree._Element, text: str) -> tuple[etree._Element, str, str]:
    """The run of paragraph p whose text holds `text`, with the text before and after it."""
    as_typed(p)
    for r in list(p.iter(W + "r")):
        t = r.find(W + "t")
        if t is not None and text in (t.text or ""):
            before, after = t.text.split(text, 1)
            return r, before, after
    raise AssertionError(f"{text!r} not found")


def replace_word_tracked(p: etree._Element, old: str, new: str, revision: int = 90) -> None:
    """Change one word as Word tracks it: the old word in w:del, the new one in w:ins."""
    r, before, after = _run_with(p, old)
    parent = r.getparent()
    at = parent.index(r)
    rpr = r.find(W + "rPr")
    parent.remove(r)
    for offset, piece in enumerate((run(before), w("del", run(old, deleted=True), id=revision,
                                                    **_a()),
                                    w("ins", run(new), id=revision + 1, **_a()), run(after))):
        if rpr is not None:
            for inner in piece.iter(W + "r"):
                inner.insert(0, etree.fromstring(etree.tostring(rpr)))
        parent.insert(at + offset, piece)


def _a() -> dict:
    return {k.split("}")[1]: v for k, v in AUTHOR.items()}


def paragraph_after(p: etree._Element, text: str, style: str | None = None,
                    tracked: bool = False) -> etree._Element:
    """A new paragraph after `p` (as typed after pressing Enter at its end)."""
    ppr = w("pPr", w("pStyle", val=style)) if style else None
    new = w("p", *([ppr] if ppr is not None else []))
    new.append(w("ins", run(text), id=95, **_a()) if tracked else run(text))
    p.addnext(new)
    return new


def insert_note_call(p: etree._Element, after: str, note_id: int) -> None:
    """A footnote call (as Word inserts one) right after the text `after` in paragraph p."""
    r, head, tail = _run_with(p, after)
    r.find(W + "t").text = head + after
    call = w("r", w("rPr", w("rStyle", val="FootnoteReference")),
             w("footnoteReference", id=note_id))
    r.addnext(call)
    call.addnext(run(tail))


def replace_text(p: etree._Element, old: str, new: str) -> None:
    """Retype `old` as `new` inside one run of paragraph p (untracked)."""
    as_typed(p)
    for t in p.iter(W + "t"):
        if old in (t.text or ""):
            t.text = t.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} not found in one run")
