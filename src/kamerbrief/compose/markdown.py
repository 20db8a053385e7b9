"""Markdown (markdown-it-py + footnote plugin, raw HTML off) into the Document's blocks.

The only place Markdown is parsed. Footnote calls become FootnoteCall with the letter-wide
number handed out by a Numbering, so both writers see the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .. import fonts
from ..document import Block, FootnoteCall, Heading, Inline, LineBreak, ListBlock, Paragraph, Quote, Run
from ..layout import MM_PER_PT, load_layout
from ..letter.limits import MAX_BLOCK_NESTING

MAX_HEADING_LEVEL = 3
UNRESOLVED_CALL = re.compile(r"\[\^([^\]\s]+)\]")
RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")
LINK_SCHEMES = ("http", "https", "mailto")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(footnote_plugin)
    # Footnotes are defined under `footnotes:` in the letter file, not inside the text, and
    # numbered letter-wide by Numbering: the plugin's own definitions and tail are not used.
    md.disable(["footnote_def", "footnote_tail"])
    return md


_MD = _parser()
# Every link becomes a link token (markdown-it would leave file:, data: ... as literal text);
# check_link then refuses all but web and mail addresses with a message.
_MD.validateLink = lambda url: True


@dataclass
class Numbering:
    """Letter-wide footnote numbers: 1, 2, 3 ... in order of first call."""

    by_label: dict[str, int] = field(default_factory=dict)
    inline_notes: dict[int, tuple[Inline, ...]] = field(default_factory=dict)
    next_number: int = 1

    def call(self, label: str) -> int:
        if label not in self.by_label:
            self.by_label[label] = self._take()
        return self.by_label[label]

    def inline(self, inlines: tuple[Inline, ...]) -> int:
        number = self._take()
        self.inline_notes[number] = inlines
        return number

    def _take(self) -> int:
        number, self.next_number = self.next_number, self.next_number + 1
        return number


@dataclass(frozen=True)
class TextIssue:
    """Something in a Markdown text that cannot go in a letter, at a line of that text."""

    line: int  # 0-based line within the text
    message: str
    severity: str = "error"
    needle: str = ""  # the words the problem is about, to find its line in folded text


class _Converter:
    def __init__(self, numbering: Numbering, env: dict, heading_base: int,
                 issues: list[TextIssue], in_note: bool = False):
        self.numbering = numbering
        self.env = env
        self.heading_base = heading_base
        self.issues = issues
        self.line = 0
        self.in_note = in_note  # a footnote's text: no footnote may go inside it
        self.depth = 0          # lists and quotes around the current block
        self.indent_mm = 0.0    # their indentation
        self.bold_text = False  # headings
        self.layout = load_layout()

    def blocks(self, tokens: list[Token], start: int, stop_type: str | None) -> tuple[list[Block], int]:
        """Blocks from tokens[start:] up to the closing token `stop_type`; returns the next index."""
        out: list[Block] = []
        i = start
        while i < len(tokens):
            token = tokens[i]
            if token.map:
                self.line = token.map[0]
            kind = token.type
            if stop_type and kind == stop_type:
                return out, i + 1
            if kind == "paragraph_open":
                out.append(Paragraph(self.inlines(tokens[i + 1])))
                i += 3
            elif kind == "heading_open":
                level = self.heading_base + int(token.tag[1])
                if level > MAX_HEADING_LEVEL:
                    self.issue("headings go at most three levels deep; use fewer '#' "
                               "or a section heading")
                self.bold_text = True
                out.append(Heading(min(level, MAX_HEADING_LEVEL), self.inlines(tokens[i + 1])))
                self.bold_text = False
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.enter(self.layout.body.list_indent_mm)
                block, i = self.list_block(tokens, i)
                self.leave(self.layout.body.list_indent_mm)
                out.append(block)
            elif kind == "blockquote_open":
                self.enter(self.layout.body.quote_indent_mm)
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                self.leave(self.layout.body.quote_indent_mm)
                out.append(Quote(tuple(inner)))
            elif kind in ("code_block", "fence"):
                self.issue("this text is indented by four or more spaces (or fenced with ```), "
                           "which Markdown reads as computer code; remove the indent")
                i += 1
            elif kind == "hr":
                self.issue("a line of '---', '***' or '___' is a horizontal rule, which a letter "
                           "does not have; remove it (start a new section instead)")
                i += 1
            else:
                i += 1
        return out, i

    def enter(self, indent_mm: float) -> None:
        """Into a list or a quote; too deep is reported once, where it starts (Markdown
        itself stops reading a text nested about ten levels deep, and the rest would be lost)."""
        self.depth += 1
        self.indent_mm += indent_mm
        if self.depth == MAX_BLOCK_NESTING + 1:
            self.issue(f"lists and quotes are nested more than {MAX_BLOCK_NESTING} deep here; "
                       f"a letter uses at most {MAX_BLOCK_NESTING} levels: indent less")

    def leave(self, indent_mm: float) -> None:
        self.depth -= 1
        self.indent_mm -= indent_mm

    def list_block(self, tokens: list[Token], i: int) -> tuple[ListBlock, int]:
        opener = tokens[i]
        ordered = opener.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(opener.attrs.get("start", 1)) if ordered else 1
        items: list[tuple[Block, ...]] = []
        i += 1
        while tokens[i].type != close:
            item, i = self.blocks(tokens, i + 1, "list_item_close")
            items.append(tuple(item))
        return ListBlock(ordered, start, tuple(items)), i + 1

    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        return self.runs(inline.children or [])

    def runs(self, children: list[Token]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        bold = italic = 0
        href: str | None = None
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.check_calls(child.content)
                self.check_text(child.content, bold > 0 or self.bold_text)
                if child.content:
                    out.append(Run(child.content, bold > 0, italic > 0, href))
            elif kind == "softbreak":
                self.line += 1
                out.append(Run(" ", bold > 0, italic > 0, href))
            elif kind == "hardbreak":
                self.line += 1
                out.append(LineBreak())
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                href = child.attrs.get("href")
                self.check_link(str(href or ""))
            elif kind == "link_close":
                href = None
            elif kind == "footnote_ref":
                out.append(self.footnote_call(child))
            elif kind == "image":
                self.issue("images cannot go in a letter; send the picture as an attachment")
        return tuple(_merge(out))

    def footnote_call(self, token: Token) -> FootnoteCall:
        if self.in_note:
            self.issue("a footnote cannot hold another footnote; write that text in the "
                       "footnote itself, or call both footnotes from the letter's text")
        label = token.meta.get("label")
        if label is not None:
            first = label not in self.numbering.by_label
            return FootnoteCall(self.numbering.call(label), first)
        note = self.env["footnotes"]["list"][token.meta["id"]]
        line, self.in_note = self.line, True
        try:
            inlines = self.runs(note.get("tokens") or [])
        finally:
            self.line, self.in_note = line, False
        return FootnoteCall(self.numbering.inline(inlines))

    def check_link(self, href: str) -> None:
        """Only web and mail links: a relative path would become a link to a file on the
        machine that built the letter."""
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme not in LINK_SCHEMES or (scheme != "mailto" and not parts.netloc):
            self.issue(f"the link '{href}' is not a web or mail address; write it in full, "
                       f"starting with https://, http:// or mailto:", needle=f"({href}")

    def check_text(self, text: str, bold: bool) -> None:
        """Raw HTML prints as text (a warning says so); a word too wide for its line would
        run off the page."""
        found = RAW_HTML.search(text)
        if found:
            self.issue(f"'{found.group()}' looks like HTML; it is printed as written, not "
                       f"interpreted (write plain text or Markdown: *italic*, **bold**)",
                       "warning", found.group())
        layout = self.layout
        room = (layout.body.width_mm - self.indent_mm
                - (layout.body.list_indent_mm if self.in_note else 0)) / MM_PER_PT
        word = fonts.too_wide(text, room, layout.type.body_size_pt, bold)
        if word:
            self.issue(f"the word '{_short(word)}' ({len(word)} characters) is too long for a "
                       f"line and would run off the page; break it with a space or a hyphen, "
                       f"or put a long link behind a few words: [text](https://...)",
                       needle=word[:20])

    def check_calls(self, text: str) -> None:
        for match in UNRESOLVED_CALL.finditer(text):
            self.issue(f"the footnote call [^{match.group(1)}] has no footnote; add "
                       f"'{match.group(1)}: ...' under 'footnotes:'", needle=match.group())

    def issue(self, message: str, severity: str = "error", needle: str = "") -> None:
        self.issues.append(TextIssue(self.line, message, severity, needle))


def _short(word: str) -> str:
    return word if len(word) <= 40 else word[:37] + "..."


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Join neighbouring runs with the same properties (softbreaks become plain spaces)."""
    out: list[Inline] = []
    for item in inlines:
        last = out[-1] if out else None
        if (isinstance(item, Run) and isinstance(last, Run)
                and (last.bold, last.italic, last.href) == (item.bold, item.italic, item.href)):
            out[-1] = Run(last.text + item.text, item.bold, item.italic, item.href)
        else:
            out.append(item)
    return out


def parse_blocks(text: str, labels: set[str], numbering: Numbering, heading_base: int = 0,
                 issues: list[TextIssue] | None = None) -> tuple[Block, ...]:
    """Markdown text into blocks; footnote calls `[^label]` for known labels are numbered."""
    issues = issues if issues is not None else []
    env = {"footnotes": {"refs": {f":{label}": -1 for label in labels}}}
    tokens = _MD.parse(text, env)
    blocks, _ = _Converter(numbering, env, heading_base, issues).blocks(tokens, 0, None)
    return tuple(blocks)


def parse_inlines(text: str, numbering: Numbering, issues: list[TextIssue] | None = None,
                  labels: set[str] = frozenset(), in_note: bool = False,
                  bold: bool = False) -> tuple[Inline, ...]:
    """Inline Markdown (a footnote's text, a heading): runs of text, emphasis and links.
    `in_note`: the text of a footnote, which cannot call a footnote itself."""
    issues = issues if issues is not None else []
    env: dict = {"footnotes": {"refs": {f":{label}": -1 for label in labels}}}
    tokens = _MD.parseInline(text, env)
    converter = _Converter(numbering, env, 0, issues, in_note)
    converter.bold_text = bold
    return converter.inlines(tokens[0]) if tokens else ()


def block_lines(text: str) -> list[tuple[int, int]]:
    """The source lines [start, end) of each top-level block parse_blocks makes of `text`
    (so an import that rewrites one paragraph can keep the others as they were written)."""
    kinds = ("paragraph_open", "heading_open", "bullet_list_open", "ordered_list_open",
             "blockquote_open")
    env: dict = {"footnotes": {"refs": {}}}
    return [tuple(token.map) for token in _MD.parse(text, env)
            if token.level == 0 and token.type in kinds and token.map]
