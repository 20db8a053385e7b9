"""What the reviewer changed, put into the letter file: field by field, section by section.

The letter file as it is now is composed to its Document and compared with what was read
from the .docx. Only what differs is rewritten, so a letter that came back unchanged stays
byte for byte the same, and a changed paragraph rewrites only the text of its section.

Footnotes are matched by their text in order (Word and LibreOffice may renumber their ids):
an unchanged or edited note keeps its label, a new note gets a new label, a note whose calls
were all deleted is removed. Sections are found by the body markers (bookmarks kb_sec_...)
when the .docx has them, else by aligning the blocks with the letter's own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from babel.dates import get_month_names

from ..compose.markdown import Numbering, block_lines, parse_blocks, parse_inlines
from ..document import (Document, FootnoteCall, Heading, LineBreak, ListBlock, Paragraph, Quote,
                        Run, plain_text)
from . import markdown as md
from .letterfile import LetterFile
from .reader import Issue, NoteRef, Reviewed


# -- normal form: footnote calls by identity, not number ---------------------------------------

def _map_inlines(inlines, call) -> tuple:
    return tuple(call(item) if isinstance(item, (FootnoteCall, NoteRef, md.Call)) else item
                 for item in inlines)


def _map_blocks(blocks, call) -> tuple:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(Heading(block.level, _map_inlines(block.inlines, call)))
        elif isinstance(block, Paragraph):
            out.append(Paragraph(_map_inlines(block.inlines, call)))
        elif isinstance(block, ListBlock):
            out.append(ListBlock(block.ordered, block.start,
                                 tuple(_map_blocks(item, call) for item in block.items)))
        elif isinstance(block, Quote):
            out.append(Quote(_map_blocks(block.blocks, call)))
    return tuple(out)


def _calls(blocks) -> list[md.Call]:
    found: list[md.Call] = []

    def walk(items):
        for block in items:
            if isinstance(block, (Heading, Paragraph)):
                found.extend(i for i in block.inlines if isinstance(i, md.Call))
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item)
            elif isinstance(block, Quote):
                walk(block.blocks)
    walk(blocks)
    return found


def _text_of(blocks) -> str:
    out = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(plain_text(tuple(i for i in block.inlines if not isinstance(i, md.Call))))
        elif isinstance(block, ListBlock):
            out += [_text_of(item) for item in block.items]
        elif isinstance(block, Quote):
            out.append(_text_of(block.blocks))
    return " ".join(out)


# -- footnotes --------------------------------------------------------------------------------

def _similarity(a: tuple, b: tuple) -> float:
    return difflib.SequenceMatcher(None, plain_text(a), plain_text(b), autojunk=False).ratio()


def match_notes(original: Document, reviewed: Reviewed) -> dict[str, Any]:
    """Reviewed footnote id -> the original Footnote it is (edited or not), or None (new)."""
    old = list(original.footnotes)
    new = [n for n in reviewed.note_order if n in reviewed.notes]
    matcher = difflib.SequenceMatcher(None, [n.inlines for n in old],
                                      [reviewed.notes[n] for n in new], autojunk=False)
    out: dict[str, Any] = {n: None for n in new}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                out[new[j1 + k]] = old[i1 + k]
        elif op == "replace":
            free = list(range(i1, i2))
            for j in range(j1, j2):
                scored = [(_similarity(old[i].inlines, reviewed.notes[new[j]]), i) for i in free]
                best = max(scored, default=(0.0, None))
                if best[1] is not None and (best[0] >= 0.5 or (i2 - i1) == (j2 - j1)):
                    out[new[j]] = old[best[1]]
                    free.remove(best[1])
    return out


def _new_label(taken: set[str]) -> str:
    number = 1
    while f"noot-{number}" in taken:
        number += 1
    taken.add(f"noot-{number}")
    return f"noot-{number}"


# -- sections ---------------------------------------------------------------------------------

@dataclass
class Item:
    """One section of the letter as read back: an existing one (`path`) or a new one."""

    depth: int
    heading: tuple | None
    blocks: list
    path: tuple[int, ...] | None = None
    children: list["Item"] = field(default_factory=list)


def _section_spans(original: Document) -> list[tuple[tuple[int, ...], int, int]]:
    starts = list(original.sections)
    out = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start if index + 1 < len(starts) else len(original.blocks)
        out.append((start.path, start.start, end))
    return out


def _section_node(data: dict, path: tuple[int, ...]) -> dict:
    node = data["sections"][path[0]]
    for index in path[1:]:
        node = node["sections"][index]
    return node


def _align(old: tuple, new: tuple) -> tuple[dict[int, int], dict[int, int]]:
    """Old block index -> new index (kept or edited blocks), and new -> old."""
    matcher = difflib.SequenceMatcher(None, [repr(b) for b in old], [repr(b) for b in new],
                                      autojunk=False)
    forward: dict[int, int] = {}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                forward[i1 + k] = j1 + k
        elif op == "replace":
            for k in range(min(i2 - i1, j2 - j1)):
                if type(old[i1 + k]) is type(new[j1 + k]):
                    forward[i1 + k] = j1 + k
    return forward, {v: k for k, v in forward.items()}


def _start_in_new(start: int, forward: dict[int, int], old_len: int, new_len: int) -> int:
    """Where a section that began at old block `start` begins in the new blocks."""
    for index in range(start, old_len):
        if index in forward:
            return forward[index]
    return new_len


# -- dates and addresses ----------------------------------------------------------------------

def parse_dutch_date(text: str) -> dt.date | None:
    months = {name.lower(): number for number, name in
              get_month_names("wide", locale="nl_NL").items()}
    found = re.fullmatch(r"\s*(\d{1,2})\s+([a-zA-Z]+)\s+(\d{4})\s*", text)
    if found and found.group(2).lower() in months:
        try:
            return dt.date(int(found.group(3)), months[found.group(2).lower()],
                           int(found.group(1)))
        except ValueError:
            return None
    found = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    if found:
        try:
            return dt.date(*map(int, found.groups()))
        except ValueError:
            return None
    return None


_POSTCODE = re.compile(r"^(\d{4}\s?[A-Z]{2})\s+(.+)$")


def address_of(lines: tuple[str, ...]) -> dict:
    """Printed address lines back into name, address, postcode and city."""
    *rest, place = lines
    found = _POSTCODE.match(place)
    postcode, city = (found.group(1), found.group(2)) if found else (None, place)
    split = next((i for i, line in enumerate(rest) if i and re.search(r"\d", line)), len(rest))
    out = {"name": list(rest[:split]) or [city], "address": list(rest[split:])}
    if postcode:
        out["postcode"] = postcode
    out["city"] = city.title() if city.isupper() else city
    return out


# -- the merge --------------------------------------------------------------------------------

@dataclass
class Outcome:
    changed: list[str]                  # what changed, in words ("the subject", ...)
    issues: list[Issue]
    expected_blocks: tuple = ()         # the body as read, calls as md.Call
    labels: dict[str, str] = field(default_factory=dict)  # reviewed note id -> label


class Merger:
    def __init__(self, original: Document, letter: LetterFile, reviewed: Reviewed):
        self.original = original
        self.letter = letter
        self.data = letter.data
        self.reviewed = reviewed
        self.changed: list[str] = []
        self.issues: list[Issue] = []

    def change(self, what: str) -> None:
        if what not in self.changed:
            self.changed.append(what)

    # fields --------------------------------------------------------------------------------

    def set_text(self, key: str, value: str | None, container: dict | None = None) -> None:
        data = self.data if container is None else container
        if value:
            data[key] = self.letter.like(data.get(key), value)
        elif key in data:
            if data[key] is None:
                return
            del data[key]

    def fields(self) -> None:
        o, f = self.original, self.reviewed.fields
        if f["subject"] is not None and f["subject"] != o.subject:
            self.set_text("subject", f["subject"])
            self.change("subject")
        if f["kenmerk"] is not None and f["kenmerk"] != o.kenmerk and f["kenmerk"]:
            self.set_text("kenmerk", f["kenmerk"])
            self.change("kenmerk")
        if f["your_reference"] is not None and f["your_reference"] != (o.your_reference or ""):
            self.set_text("your_reference", f["your_reference"])
            self.change("your_reference")
        if f["date"] is not None and f["date"] != o.date_text:
            day = parse_dutch_date(f["date"])
            if day is None:
                self.issues.append(Issue("the Datum field", f"'{f['date']}' is not a date as "
                                         f"the letter writes it (for example 9 december 2019)"))
            else:
                self.data["date"] = self.letter.date(self.data.get("date"), day)
                self.change("date")
        for key in ("opening", "closing"):
            if f[key] != getattr(o, key) and (f[key] or getattr(o, key)):
                self.set_text(key, f[key])
                self.change(key)
        if f["recipient"] is not None and f["recipient"] != o.recipient and f["recipient"]:
            self.recipient(f["recipient"])
            self.change("recipient")
        if f["attachments"] is not None and f["attachments"] != o.attachments:
            if f["attachments"]:
                self.set_list(self.data, "attachments", list(f["attachments"]))
            elif "attachments" in self.data:
                del self.data["attachments"]
            self.change("attachments")
        signatories = f["signatories"]
        if signatories is not None and signatories != tuple((s.title, s.name)
                                                            for s in o.signatories):
            self.signatories(signatories)
            self.change("minister")

    def set_list(self, container, key: str, values: list) -> None:
        """A list value; an existing list is changed in place (it keeps its flow or block
        style and its comments)."""
        if isinstance(container.get(key), list):
            container[key][:] = values
        else:
            container[key] = self.letter.sequence(values)

    def recipient(self, lines: tuple[str, ...]) -> None:
        old = self.data.get("recipient")
        new = address_of(lines)
        if isinstance(old, dict):
            for key in ("name", "address", "postcode", "city"):
                value = new.get(key)
                if key in ("name", "address"):
                    if list(old.get(key) or []) != value:
                        if value:
                            self.set_list(old, key, value)
                        elif key in old:
                            del old[key]
                elif value is None:
                    old.pop(key, None)
                elif old.get(key) != value and not (key == "city" and
                                                    str(old.get(key)).upper() == value.upper()):
                    old[key] = self.letter.like(old.get(key), value)
        else:
            self.data["recipient"] = self.letter.mapping(
                {k: (self.letter.sequence(v) if isinstance(v, list) else v)
                 for k, v in new.items()})

    def signatories(self, people: tuple[tuple[str, str], ...]) -> None:
        old = self.data.get("minister")
        listed = isinstance(old, list)
        olds = list(old) if listed else [old]
        if not listed and len(people) == 1 and isinstance(old, dict):
            self.set_text("title", people[0][0], old)
            self.set_text("name", people[0][1], old)
            return
        out = []
        for index, (title, name) in enumerate(people):
            if index < len(olds) and isinstance(olds[index], dict):
                self.set_text("title", title, olds[index])
                self.set_text("name", name, olds[index])
                out.append(olds[index])
            else:
                out.append(self.letter.mapping({"title": title, "name": name}))
        if listed:
            del old[len(out):]
            for index, person in enumerate(out):
                if index >= len(old):
                    old.append(person)
        else:
            self.data["minister"] = self.letter.sequence(out)

    # footnotes and body --------------------------------------------------------------------

    def body(self) -> Outcome:
        o, r = self.original, self.reviewed
        labelled = {n.label for n in o.footnotes if n.label}
        matches = match_notes(o, r)
        taken = set(labelled) | set((self.data.get("footnotes") or {}).keys())
        note_of_id: dict[str, md.Call] = {}
        labels: dict[str, str] = {}
        by_number = {n.number: n for n in o.footnotes}
        for ident in r.note_order:
            if ident not in r.notes:
                continue
            old = matches.get(ident)
            if old is not None and old.label:
                note_of_id[ident] = md.Call(old.label)
            elif old is not None:
                note_of_id[ident] = md.Call(None, r.notes[ident])
            else:
                note_of_id[ident] = md.Call(_new_label(taken))
            if note_of_id[ident].label:
                labels[ident] = note_of_id[ident].label
        number_to_id = {old.number: ident for ident, old in matches.items() if old is not None}

        def old_call(call: FootnoteCall) -> md.Call:
            note = by_number[call.number]
            return md.Call(note.label) if note.label else md.Call(None, note.inlines)

        def new_call(ref: NoteRef) -> md.Call:
            ident = ref.note if ref.note is not None else number_to_id.get(ref.typed)
            if ident in note_of_id:
                return note_of_id[ident]
            if ref.typed in by_number and ident is None:
                return old_call(FootnoteCall(ref.typed))
            self.issues.append(Issue("the letter", "a repeated footnote call points at a "
                                     "footnote that is gone; remove the call"))
            return md.Call("?")

        old_blocks = _map_blocks(o.blocks, old_call)
        new_blocks = _map_blocks(r.blocks, new_call)
        if "sections" not in self.data:  # a letter kind whose text is made from its fields
            if new_blocks != old_blocks or any(
                    r.notes.get(i) != (m.inlines if m else None) for i, m in matches.items()):
                kind = self.data.get("kind")
                self.issues.append(Issue(
                    "the letter's text", f"it is made from the letter file's fields (kind: "
                    f"{kind}), so a change to it cannot go back into the letter file; change "
                    f"those fields, or write the text under 'sections:'"))
            return Outcome(self.changed, self.issues, old_blocks, labels)
        items = self.items(old_blocks, new_blocks)
        self.write_sections(items, old_blocks)
        self.footnotes(new_blocks, matches, note_of_id)
        return Outcome(self.changed, self.issues, new_blocks, labels)

    def items(self, old_blocks: tuple, new_blocks: tuple) -> list[Item]:
        """The sections as read back, in order, each with its own blocks."""
        forward, backward = _align(old_blocks, new_blocks)
        spans = _section_spans(self.original)
        starts = []
        for path, start, _end in spans:
            mark = self.reviewed.marks.get(path)
            starts.append(mark if mark is not None else
                          _start_in_new(start, forward, len(old_blocks), len(new_blocks)))
        for index in range(1, len(starts)):
            starts[index] = max(starts[index], starts[index - 1])
        if starts:
            starts[0] = 0
        items: list[Item] = []
        for index, (path, start, end) in enumerate(spans):
            node = _section_node(self.data, path)
            depth = len(path)
            segment = list(range(starts[index], starts[index + 1] if index + 1 < len(starts)
                                 else len(new_blocks)))
            heading = None
            if node.get("heading") is not None and segment:
                first = new_blocks[segment[0]]
                if isinstance(first, Heading) and first.level == depth and \
                        backward.get(segment[0]) in (start, None):
                    heading = first.inlines
                    segment = segment[1:]
            item = Item(depth, heading, [], path)
            items.append(item)
            for j in segment:
                block = new_blocks[j]
                if isinstance(block, Heading) and j not in backward and \
                        block.level <= item.depth + 1:
                    item = Item(block.level, block.inlines, [])
                    items.append(item)
                else:
                    item.blocks.append(block)
        return items

    def section_blocks(self, path) -> tuple[tuple | None, tuple]:
        """The heading and text blocks the letter file has now for a section."""
        for p, start, end in _section_spans(self.original):
            if p == path:
                node = _section_node(self.data, path)
                blocks = self._old_blocks[start:end]
                if node.get("heading") is not None:
                    return blocks[0].inlines, tuple(blocks[1:])
                return None, tuple(blocks)
        return None, ()

    def write_sections(self, items: list[Item], old_blocks: tuple) -> None:
        self._old_blocks = old_blocks
        # drop emptied sections (their sub-sections move up under the section before them)
        kept = []
        for item in items:
            if item.path is not None:
                old_heading, old_text = self.section_blocks(item.path)
                had = old_heading is not None or old_text
                if had and item.heading is None and not item.blocks:
                    self.change("sections")
                    continue
            kept.append(item)
        roots: list[Item] = []
        stack: list[Item] = []
        for item in kept:
            while stack and stack[-1].depth >= item.depth:
                stack.pop()
            if stack:
                stack[-1].children.append(item)
                item.depth = stack[-1].depth + 1
            else:
                roots.append(item)
                item.depth = 1
            stack.append(item)
        new_list = self.section_list(roots, self.data["sections"], ())
        if new_list is not None:
            self.data["sections"] = new_list

    def section_list(self, items: list[Item], old_list, parent_path):
        """The sections list for `items`; None when it is the old list unchanged."""
        same = old_list is not None and len(items) == len(old_list) and all(
            item.path == parent_path + (index,) for index, item in enumerate(items))
        nodes = []
        changed = not same
        for item in items:
            node, node_changed = self.section(item)
            nodes.append(node)
            changed = changed or node_changed
        if not changed:
            return None
        if same:
            return old_list  # same sections, changed inside (already written into the nodes)
        self.change("sections")
        out = old_list if old_list is not None else self.letter.sequence()
        out[:] = []
        out.extend(nodes)
        return out

    def section(self, item: Item):
        """The mapping of one section, changed in place where the review changed it."""
        if item.path is None:
            node = self.letter.mapping()
            changed = True
            old_heading, old_text, base_children = None, (), None
        else:
            node = _section_node(self.data, item.path)
            changed = False
            old_heading, old_text = self.section_blocks(item.path)
            base_children = node.get("sections")
        if item.heading != old_heading:
            if item.heading is None:
                node.pop("heading", None)
            else:
                _put(node, "heading", self.letter.like(node.get("heading"),
                                                       self.inline_checked(item.heading)),
                     before=("text", "sections"))
            changed = True
            self.change("sections")
        blocks = tuple(item.blocks)
        base = item.depth if item.heading is not None else item.depth - 1
        if blocks != old_text or (item.path is not None and (old_heading is None) !=
                                  (item.heading is None)):
            if blocks:
                kept = self.kept_sources(node.get("text"), old_text, blocks) \
                    if (old_heading is None) == (item.heading is None) else {}
                _put(node, "text", self.letter.block_text(self.markdown_checked(blocks, base,
                                                                                kept)),
                     before=("sections",))
            else:
                node.pop("text", None)
            if item.path is None or blocks != old_text:
                changed = True
                self.change("sections")
        children_path = item.path if item.path is not None else ("new",)
        if item.children or base_children:
            new_children = self.section_list(item.children, base_children, children_path)
            if new_children is not None:
                changed = True
                if item.children:
                    node["sections"] = new_children
                else:
                    node.pop("sections", None)
        return node, changed

    # Markdown, checked by reading it back -----------------------------------------------------

    @staticmethod
    def kept_sources(source: str | None, old: tuple, new: tuple) -> dict[int, list[str]]:
        """New block index -> the lines an unchanged block was written as."""
        if not source:
            return {}
        spans = block_lines(source)
        if len(spans) != len(old):
            return {}
        lines = source.split("\n")
        matcher = difflib.SequenceMatcher(None, [repr(b) for b in old], [repr(b) for b in new],
                                          autojunk=False)
        kept = {}

        def chunk(index: int) -> list[str]:
            start, end = spans[index]
            out = lines[start:end]
            while out and not out[-1].strip():
                out.pop()
            return out

        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for k in range(i2 - i1):
                    kept[j1 + k] = ("keep", chunk(i1 + k))
            elif op == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    if isinstance(old[i1 + k], Paragraph) and isinstance(new[j1 + k], Paragraph):
                        kept[j1 + k] = ("like", chunk(i1 + k))
        return kept

    def markdown_checked(self, blocks: tuple, base: int, kept: dict | None = None) -> str:
        text = md.text(blocks, base, kept)
        labels = {c.label for c in _calls(blocks) if c.label}
        numbering = Numbering()
        back = parse_blocks(text, labels, numbering, base)
        if _numbered_to_calls(back, numbering) != blocks:
            self.issues.append(Issue(f"the text '{md.short_text(_text_of(blocks))}'",
                                     "cannot be written as Markdown that reads back the "
                                     "same; check it in the letter file after --force"))
        return text

    def inline_checked(self, inlines: tuple) -> str:
        text = md.inline(inlines).replace("\\\n", " ")
        numbering = Numbering()
        labels = {c.label for c in inlines if isinstance(c, md.Call) and c.label}
        back = parse_inlines(text, numbering, None, labels)
        if _numbered_to_calls((Paragraph(back),), numbering) != (Paragraph(inlines),):
            self.issues.append(Issue(f"the text '{md.short_text(plain_text(tuple(i for i in inlines if not isinstance(i, md.Call))))}'",
                                     "cannot be written as Markdown that reads back the same"))
        return text

    # footnotes -----------------------------------------------------------------------------

    def footnotes(self, new_blocks: tuple, matches: dict, note_of_id: dict) -> None:
        notes = self.data.get("footnotes")
        called = [c.label for c in _calls(new_blocks) if c.label]
        order = list(dict.fromkeys(called))
        if notes is None:
            notes = self.letter.mapping()
        changed = False
        for ident, call in note_of_id.items():
            if not call.label:
                continue
            text = self.inline_checked(self.reviewed.notes[ident])
            old = matches.get(ident)
            if call.label in notes:
                if old is not None and tuple(old.inlines) != tuple(self.reviewed.notes[ident]):
                    if not isinstance(notes[call.label], str):  # a structured citation
                        self.issues.append(Issue(
                            f"footnote '{call.label}'", "it is written as a citation (cite:) "
                            "in the letter file and its text was changed; change the citation "
                            "there"))
                        continue
                    notes[call.label] = self.letter.like(notes[call.label], text)
                    changed = True
                    self.change("footnotes")
            elif call.label in order:
                at = order.index(call.label)
                before = [k for k in order[:at] if k in notes]
                position = list(notes).index(before[-1]) + 1 if before else 0
                if hasattr(notes, "insert"):
                    notes.insert(position, call.label, text)
                else:
                    items = list(notes.items())
                    items.insert(position, (call.label, text))
                    notes.clear()
                    notes.update(items)
                changed = True
                self.change("footnotes")
        for label in list(notes):
            if label not in called:
                del notes[label]
                changed = True
                self.change("footnotes")
        if changed:
            if notes:
                if "footnotes" not in self.data:
                    self.insert_after(self.data, "sections", "footnotes", notes)
            elif "footnotes" in self.data:
                del self.data["footnotes"]

    @staticmethod
    def insert_after(data, after: str, key: str, value) -> None:
        keys = list(data)
        following = keys[keys.index(after) + 1:] if after in keys else []
        _put(data, key, value, before=tuple(following))


def _put(node, key: str, value, before: tuple[str, ...] = ()) -> None:
    """Set a key; a new key goes before the first of `before` the mapping has."""
    if key in node:
        node[key] = value
        return
    keys = list(node)
    position = next((keys.index(k) for k in before if k in keys), len(keys))
    if hasattr(node, "insert"):
        node.insert(position, key, value)
    else:
        items = list(node.items())
        items.insert(position, (key, value))
        node.clear()
        node.update(items)


def _numbered_to_calls(blocks, numbering: Numbering) -> tuple:
    labels = {number: label for label, number in numbering.by_label.items()}

    def call(item: FootnoteCall) -> md.Call:
        if item.number in labels:
            return md.Call(labels[item.number])
        return md.Call(None, numbering.inline_notes.get(item.number, ()))
    return _map_blocks(blocks, call)


def merge(original: Document, letter: LetterFile, reviewed: Reviewed) -> Outcome:
    merger = Merger(original, letter, reviewed)
    merger.fields()
    outcome = merger.body()
    outcome.changed = merger.changed
    outcome.issues = merger.issues
    return outcome
