"""Document blocks back into Markdown, written the way the letter files write it: paragraphs
wrapped at about 92 characters, `- ` and `1. ` lists (nested by indenting), `> ` quotes,
`*italic*`, `**bold**`, `[text](url)`, `[^label]` and `^[inline note]`.

Footnote calls arrive as `Call` (a label or the inlines of an inline note). The caller parses
what this writes again and compares, so a text that would read back differently is caught.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..document import Heading, LineBreak, ListBlock, Paragraph, Quote, Run

WIDTH = 92


@dataclass(frozen=True)
class Call:
    """A footnote call as the letter file writes it: `[^label]`, or `^[text]` (label None)."""

    label: str | None
    inlines: tuple = ()


# -- inline -----------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]<>!^&|~])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-*=]|\d+[.)])")


def _escape(text: str) -> str:
    text = _ESCAPE.sub(lambda m: "\\" + m.group(1) if m.group(1) in "\\`*_[]" else m.group(1),
                       text)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)           # autolinks and tags
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)                 # entities
    text = re.sub(r"!(?=\\\[)", r"\\!", text)
    text = re.sub(r"\^(?=\\\[)", r"\\^", text)
    return text


def _wrap_marks(text: str, mark: str) -> str:
    """`*text*` with the spaces at its ends kept outside the marks (else it does not parse)."""
    core = text.strip(" ")
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")):]
    return f"{lead}{mark}{core}{mark}{trail}"


def inline(inlines) -> str:
    """Inline content as Markdown (one line; line breaks as backslash-newline)."""
    out: list[str] = []
    items = list(inlines)
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Run) and item.href:
            group = []
            while i < len(items) and isinstance(items[i], Run) and items[i].href == item.href:
                group.append(items[i])
                i += 1
            text = _styled([Run(r.text, r.bold, r.italic) for r in group])
            out.append(f"[{text}]({_url(item.href)})")
            continue
        if isinstance(item, Run):
            group = []
            while i < len(items) and isinstance(items[i], Run) and not items[i].href:
                group.append(items[i])
                i += 1
            out.append(_styled(group))
            continue
        if isinstance(item, Call):
            out.append(f"[^{item.label}]" if item.label else f"^[{inline(item.inlines)}]")
        elif isinstance(item, LineBreak):
            out.append("\\\n")
        i += 1
    return "".join(out)


def _url(href: str) -> str:
    if re.search(r"[\s()<>]", href):
        return "<" + href.replace(">", "%3E").replace(" ", "%20") + ">"
    return href


def _styled(runs: list[Run]) -> str:
    """Runs without links: bold and italic stretches marked, nested bold-in-italic allowed."""
    out = []
    i = 0
    while i < len(runs):
        bold = runs[i].bold
        group = []
        while i < len(runs) and runs[i].bold == bold:
            group.append(runs[i])
            i += 1
        inner = "".join(_wrap_marks(_escape(r.text), "*") if r.italic else _escape(r.text)
                        for r in _join(group))
        out.append(_wrap_marks(inner, "**") if bold else inner)
    return "".join(out)


def _join(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and out[-1].italic == run.italic:
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(run)
    return out


# -- blocks -----------------------------------------------------------------------------------

def _fill(text: str, width: int) -> list[str]:
    """Wrap at spaces; never start a line with something Markdown reads as a block start,
    never break inside a link target or a hard line break."""
    lines: list[str] = []
    for hard in text.split("\\\n"):
        words = re.findall(r"\S+(?:\([^)\s]*\))?|\s+", hard)
        tokens = [w for w in words if not w.isspace()]
        current = ""
        for token in tokens:
            if current and len(current) + 1 + len(token) > width and \
                    not _BLOCK_START.match(token):
                lines.append(current)
                current = token
            else:
                current = f"{current} {token}" if current else token
        lines.append(current)
        lines[-1] += "\\"
    lines[-1] = lines[-1][:-1]
    return lines


def wrapped_like(old_lines: list[str], inlines, width: int) -> list[str]:
    """A changed paragraph broken into lines where its old version broke them (so a changed
    word changes one line of the letter file, not the whole paragraph)."""
    text = inline(inlines)
    if _keeps_spaces(text) or "\\\n" in text or any("\\" == line[-1:] for line in old_lines):
        return paragraph_lines(inlines, width)
    old_words = [line.split() for line in old_lines]
    flat = [word for line in old_words for word in line]
    breaks, count = set(), 0
    for line in old_words[:-1]:
        count += len(line)
        breaks.add(count)
    new = text.split()
    matcher = difflib.SequenceMatcher(None, flat, new, autojunk=False)
    moved = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in breaks:
            if i1 <= k < i2 or (op != "equal" and k == i1):
                moved.add(j1 + (min(k - i1, j2 - j1) if op == "equal" else
                                round((k - i1) * (j2 - j1) / max(i2 - i1, 1))))
    lines, current = [], []
    for index, word in enumerate(new):
        if index in moved and current:
            lines.append(" ".join(current))
            current = []
        current.append(word)
    lines.append(" ".join(current))
    if any(_BLOCK_START.match(line) for line in lines[1:]) or \
            any(len(line) > width + 20 for line in lines):
        return paragraph_lines(inlines, width)
    return lines


def _keeps_spaces(text: str) -> bool:
    """Text whose spaces must stay as they are (double spaces, spaces at line ends)."""
    return "  " in text.replace("\\\n", "\n") or "\t" in text


def paragraph_lines(inlines, width: int) -> list[str]:
    text = inline(inlines)
    if _keeps_spaces(text):
        return text.split("\n")
    lines = _fill(text, width)
    if lines and _BLOCK_START.match(lines[0]):
        lines[0] = "\\" + lines[0] if lines[0][0] in "#>+-*=" else \
            re.sub(r"^(\d+)([.)])", r"\1\\\2", lines[0])
    return lines


def blocks(items, base: int = 0, width: int = WIDTH, kept: dict | None = None) -> list[str]:
    """Blocks as Markdown lines; blocks are separated by an empty line. `kept` gives, by
    block index, the lines a block was written as before (used as they are)."""
    out: list[str] = []
    previous = None
    for index, block in enumerate(items):
        if out:
            out.append("")
        how, old_lines = (kept or {}).get(index, (None, None))
        if how == "keep":
            out += old_lines
        elif how == "like" and isinstance(block, Paragraph):
            out += wrapped_like(old_lines, block.inlines, width)
        elif isinstance(block, Heading):
            out.append("#" * max(1, block.level - base) + " " + inline(block.inlines))
        elif isinstance(block, Paragraph):
            out += paragraph_lines(block.inlines, width)
        elif isinstance(block, ListBlock):
            same = isinstance(previous, ListBlock) and previous.ordered == block.ordered
            out += _list(block, base, width, alternate=same)
        elif isinstance(block, Quote):
            inner = blocks(block.blocks, base, width - 2)
            out += [("> " + line).rstrip() for line in inner]
        previous = block
    return out


def _list(block: ListBlock, base: int, width: int, alternate: bool) -> list[str]:
    out: list[str] = []
    loose = any(len(item) > 1 and not all(isinstance(b, ListBlock) for b in item[1:])
                for item in block.items)
    for number, item in enumerate(block.items, start=block.start):
        if block.ordered:
            marker = f"{number}{')' if alternate else '.'} "
        else:
            marker = ("* " if alternate else "- ")
        pad = " " * len(marker)
        inner = blocks(item, base, width - len(marker)) if item else [""]
        if loose and out:
            out.append("")
        for index, line in enumerate(inner):
            if index == 0:
                out.append(marker + line)
            else:
                out.append((pad + line) if line else "")
    return _tighten(out, loose)


def _tighten(lines: list[str], loose: bool) -> list[str]:
    """A tight list has no empty line between an item's text and its nested list."""
    if loose:
        return lines
    out = []
    for index, line in enumerate(lines):
        if line == "" and index + 1 < len(lines) and re.match(r"^\s+([-*]|\d+[.)]) ",
                                                              lines[index + 1]):
            continue
        out.append(line)
    return out


def text(items, base: int = 0, kept: dict | None = None) -> str:
    """A section's text as the value of `text:` (ends with a newline, as `|` gives)."""
    return "\n".join(blocks(items, base, kept=kept)) + "\n"


def short_text(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
