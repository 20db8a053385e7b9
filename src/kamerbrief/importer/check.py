"""After the merge: is the updated letter what the reviewer left?

The updated letter file is composed again; its body (with every footnote's text) must equal
the body read from the .docx, and a fresh .docx of it must show the same text outside the
fields (letterhead, colofon, headers, footers) as the reviewed one: text a reviewer typed
there has no place in the letter file and is reported, not lost without a word.
"""

from __future__ import annotations

import copy
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

from ..document import Document, FootnoteCall, plain_text
from ..problems import LetterError
from . import markdown as md
from .merge import Outcome, _map_blocks, _text_of
from .package import W, Package, Part, Places, open_package, short, style_names, visible
from .reader import Issue, Reader, Reviewed

_BLOCK_PARENTS = (W + "body", W + "sdtContent", W + "txbxContent", W + "tc", W + "hdr",
                  W + "ftr")


def _with_placeholders(root: etree._Element) -> etree._Element:
    """A copy of a part with every field's content control showing only its tag."""
    root = copy.deepcopy(root)
    for sdt in list(root.iter(W + "sdt")):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        name = tag.get(W + "val") if tag is not None else ""
        content = sdt.find(W + "sdtContent")
        if not name.startswith("kb:") or content is None:
            continue
        for child in list(content):
            content.remove(child)
        run = etree.SubElement(etree.Element(W + "p"), W + "r")
        etree.SubElement(run, W + "t").text = "{" + name + "}"
        content.append(run.getparent() if sdt.getparent().tag in _BLOCK_PARENTS else run)
    return root


def _text_without_fields(p: etree._Element) -> str:
    """A paragraph's own text, without field results (page numbers) and instructions."""
    out, depth, result = [], 0, False
    for node in p.iter(W + "t", W + "br", W + "fldChar", W + "fldSimple"):
        if not visible(node) or next(node.iterancestors(W + "p"), None) is not p:
            continue
        if node.tag == W + "fldChar":
            kind = node.get(W + "fldCharType")
            depth += kind == "begin"
            if kind == "end":
                depth -= 1
            continue
        if depth or any(a.tag == W + "fldSimple" for a in node.iterancestors()):
            continue
        out.append(node.text or "" if node.tag == W + "t" else "\n")
    return "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))


def _outside(package: Package, expect_opening: bool, expect_closing: bool) -> Counter:
    reader = Reader(package, Places(package, style_names(package)), expect_opening,
                    expect_closing)
    skip = set()
    for element in reader.body_elements:
        skip.add(element)
        skip.update(element.iter(W + "p"))
    out: Counter = Counter()
    for part in (package.document, *package.headers):
        originals = [p for p in part.root.iter(W + "p")]
        root = _with_placeholders(part.root)
        for original, p in zip(originals, root.iter(W + "p")):
            if original in skip or not visible(original):
                continue
            for line in _text_without_fields(p).split("\n"):
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

    with tempfile.TemporaryDirectory(prefix="kamerbrief-import-") as folder:
        candidate = Path(folder) / letter.name
        candidate.write_text(text, encoding="utf-8")
        try:
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
