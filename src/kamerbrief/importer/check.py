"""After the merge: is the updated letter what the reviewer left?

The updated letter file is composed again; its body (with every footnote's text) must equal
the body read from the .docx, and a fresh .docx of it must show the same text outside the
fields (letterhead, colofon, headers, footers) as the reviewed one: text a reviewer typed
there has no place in the letter file and is reported, not lost without a word.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

from ..document import Document, FootnoteCall, plain_text, readable
from ..problems import LetterError
from . import markdown as md
from .merge import Outcome, _map_blocks, _text_of
from .package import MC, W, Package, Places, open_package, short, style_names, visible
from .reader import BODY_TAG, Issue, Reader, Reviewed, field_of

def _line_texts(p: etree._Element, values: dict[str, str]) -> str:
    """A paragraph's own text with every field control showing the field's value (so a copy
    LibreOffice did not keep in step counts as the field), without field results (page
    numbers) and field instructions."""
    out: list[str] = []
    depth = 0

    def walk(element: etree._Element) -> None:
        nonlocal depth
        for child in element:
            tag = child.tag
            if tag == MC + "Fallback" or tag in (W + "p", W + "txbxContent", W + "pPr",
                                                 W + "rPr", W + "instrText", W + "fldSimple"):
                continue
            if tag == W + "sdt":
                name = field_of(child)
                if name and name != BODY_TAG and name in values:
                    out.append(values[name])
                    continue
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            elif tag == W + "t" and not depth:
                out.append(readable(child.text or ""))
            elif tag in (W + "br", W + "cr") and not depth:
                out.append("\n")
            elif tag == W + "tab" and not depth:
                out.append("\t")
            walk(child)
    walk(p)
    return "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))


def _outside(package: Package, expect_opening: bool, expect_closing: bool) -> Counter:
    reader = Reader(package, Places(package, style_names(package)), expect_opening,
                    expect_closing)
    values = {name: reader.control(name[3:]) or "" for name in reader.controls}
    skip = set()
    for element in reader.body_elements:
        skip.add(element)
        skip.update(element.iter(W + "p"))
    out: Counter = Counter()
    for part in (package.document, *package.headers):
        for p in part.root.iter(W + "p"):
            if p in skip or not visible(p):
                continue
            block = next((a for a in p.iterancestors(W + "sdt") if field_of(a)), None)
            if block is not None:  # a paragraph inside a field: the field's value, once
                if field_of(block) == BODY_TAG or next(block.iter(W + "p")) is not p:
                    continue
                text = values.get(field_of(block), "")
            else:
                text = _line_texts(p, values)
            for line in text.split("\n"):
                line = " ".join(line.split())
                if line:
                    out[(part.label, line)] += 1
    return out


def outside_fields(package: Package, document: Document, reviewed: Reviewed) -> list[Issue]:
    """Text outside the fields that differs from what the letter file gives."""
    from ..writers.word.writer import render_docx  # noqa: PLC0415

    fresh = open_package(Path("rebuilt.docx"), render_docx(document))
    opening, closing = bool(document.opening), bool(document.closing)
    have = _outside(package, opening, closing)
    want = _outside(fresh, opening, closing)
    issues = []
    for (label, text), count in (have - want).items():
        issues.append(Issue(f"{label}, '{short(text)}'", "text typed outside the fields of "
                            "the letter cannot go in the letter file (it comes from the "
                            "registry or the layout); remove it, or change the letter file or "
                            "the registry"))
    for (label, text), count in (want - have).items():
        issues.append(Issue(f"{label}, '{short(text)}'", "this text outside the fields was "
                            "changed or removed; the letter file cannot hold that, a new build "
                            "prints it again"))
    return issues


def _with_note_texts(blocks, note_text) -> tuple:
    return _map_blocks(blocks, note_text)


def rebuilt(letter: Path, text: str, outcome: Outcome, reviewed: Reviewed,
            package: Package) -> list[Issue]:
    """Compose the updated letter file; its body must be what was read."""
    from ..compose import compose_file  # noqa: PLC0415
    from ..compose.printing import as_written  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="kamerbrief-import-") as folder:
        candidate = Path(folder) / letter.name
        candidate.write_text(text, encoding="utf-8")
        try:
            with as_written():
                document = compose_file(candidate)
        except LetterError as exc:
            return [Issue("the updated letter file", f"{p.field + ': ' if p.field else ''}"
                          f"{p.message}") for p in exc.problems]
    by_label = {label: reviewed.notes[ident] for ident, label in outcome.labels.items()}
    notes = {n.number: n.inlines for n in document.footnotes}

    def expected_call(call):
        return md.Call(None, by_label.get(call.label, ()) if call.label else call.inlines)

    def built_call(call: FootnoteCall):
        return md.Call(None, notes.get(call.number, ()))

    want = _map_blocks(outcome.expected_blocks, expected_call)
    have = _map_blocks(document.blocks, built_call)
    issues = []
    if want != have:
        index = next((i for i, (a, b) in enumerate(zip(want, have)) if a != b),
                     min(len(want), len(have)))
        block = want[index] if index < len(want) else have[index]
        issues.append(Issue(f"the letter, at '{md.short_text(_text_of((block,)))}'",
                            "this part of the body would not come back from the letter file "
                            "as it is in the .docx; check it after importing with --force"))
    return issues + outside_fields(package, document, reviewed)
