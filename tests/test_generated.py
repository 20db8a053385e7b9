"""Generated letters (hypothesis): arbitrary Unicode, nested lists and quotes, footnotes in
every form, long words, many signatories and long address lines. For every letter, either
`check` reports a problem (with file, line and field), or every word of the source appears,
in order, in the .docx text and in the PDF text (only the part of the page that is printed:
a word clipped at the edge counts as lost).

`make test` runs the "ci" profile: a fixed set of 200 letters, the PDF rendered for one in
five. `make fuzz` runs the "fuzz" profile: thousands of new letters, every PDF.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kamerbrief.compose import check_file, compose_file
from kamerbrief.writers.pdf.writer import render_pdf
from kamerbrief.writers.word.writer import render_docx

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
PDF_EVERY = 1 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 5

# Characters with a meaning in Markdown are left out of words (a word "*a*" is printed "a"),
# and so are right-to-left letters (a PDF holds them in visual order) and invisible
# formatting characters; direction overrides and control characters are added on purpose.
MARKDOWN = set("*_`[]<>#\\&!^~|")


NOT_IN_WORDS = ("Z", "Cc", "Cf", "Co", "Cn", "Cs", "M")
LATIN = st.characters(min_codepoint=0x21, max_codepoint=0x24F,
                      blacklist_categories=NOT_IN_WORDS, blacklist_characters=MARKDOWN)
ANY = st.characters(blacklist_categories=NOT_IN_WORDS, blacklist_characters=MARKDOWN).filter(
    lambda char: unicodedata.bidirectional(char) not in ("R", "AL", "AN"))
ODD = st.sampled_from(["\u202e", "\u2066", "\x07", "\x1b", "\u00ad", "\u200b", "漢"])
CHAR = st.one_of(LATIN, LATIN, LATIN, LATIN, st.sampled_from("€≥→«»ëşřĳ–—‘’“”"))
SHORT = st.text(CHAR, min_size=1, max_size=12)
LONG = st.text(LATIN, min_size=13, max_size=300)
CLEAN_WORD = st.one_of(*[SHORT] * 100, st.text(LATIN, min_size=13, max_size=40))
HOSTILE_WORD = st.one_of(*[SHORT] * 10, LONG, st.text(st.one_of(CHAR, ANY), min_size=1,
                                                       max_size=12),
                         st.builds(lambda a, b, c: a + b + c, SHORT, ODD, SHORT))


@st.composite
def sentence(draw, words: list[str], notes: dict, max_words: int = 8, inline_ok: bool = True,
             hostile: bool = False):
    """A line of text: 'Tekst' (so no line starts with Markdown), words, footnote calls."""
    out = ["Tekst"]
    words.append("Tekst")
    for _ in range(draw(st.integers(0, max_words))):
        kind = draw(st.integers(0, 20))
        labels = sorted(key for key in notes if key != "inline")
        if kind == 0 and labels:
            out[-1] += f"[^{draw(st.sampled_from(labels))}]"
        elif kind == 1 and inline_ok:
            inner: list[str] = []
            text = draw(sentence(inner, notes, 4, inline_ok=hostile, hostile=hostile))
            out[-1] += f"^[{text}]"
            notes.setdefault("inline", []).append(inner)
        elif kind == 2:
            word = draw(SHORT)
            out.append(f"**{word}**")
            words.append(word)
        elif kind == 3:
            word = draw(SHORT)
            out.append(f"[{word}](https://example.org/{len(word)})")
            words.append(word)
        else:
            word = draw(HOSTILE_WORD if hostile else CLEAN_WORD)
            out.append(word)
            words.append(word)
    return " ".join(out)


@st.composite
def markdown(draw, words: list[str], notes: dict, hostile: bool):
    """Paragraphs, lists and quotes nested up to 5 deep (7 in a hostile letter: above the
    limit)."""
    lines = [draw(sentence(words, notes, hostile=hostile))]
    for _ in range(draw(st.integers(0, 3))):
        depth = draw(st.integers(0, 7 if hostile else 5))
        lines.append("")
        for level in range(depth):
            marker = draw(st.sampled_from(["- ", "1. ", "> "]))
            lines.append("   " * level + marker + draw(sentence(words, notes, 3,
                                                                 hostile=hostile)))
        lines.append("")
        lines.append(draw(sentence(words, notes, hostile=hostile)))
    return "\n".join(lines)


@st.composite
def letters(draw):
    hostile = draw(st.sampled_from([False, False, False, True]))  # hostile: odd characters,
    words: list[str] = []  # too deep, footnotes in footnotes, long fields  # the body's words in reading order
    labels = {f"n{i}": [] for i in range(draw(st.integers(0, 3)))}
    notes: dict = dict(labels)
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        section: dict = {}
        if draw(st.booleans()):
            heading_words: list[str] = []
            section["heading"] = draw(sentence(heading_words, {}, 5, inline_ok=False))
            words.extend(heading_words)
        section["text"] = draw(markdown(words, notes, hostile))
        sections.append(section)
    # every labelled footnote is called at least once, at the end
    sections[-1]["text"] += "\n\nSlot" + "".join(f"[^{label}]" for label in labels)
    words.append("Slot")
    footnotes = {}
    for label in labels:
        note_words: list[str] = []
        footnotes[label] = draw(sentence(note_words, {}, 6, inline_ok=False))
        notes[label] = note_words
    people = [{"title": draw(st.sampled_from(["De Minister van Financiën",
                                              "De Staatssecretaris van Binnenlandse Zaken"])),
               "name": draw(st.text(LATIN, min_size=1, max_size=40 if hostile else 12))}
              for _ in range(draw(st.integers(1, 6 if hostile else 3)))]
    recipient = draw(st.one_of(
        st.just("tweede-kamer"),
        st.builds(lambda lines: {"name": lines, "city": "Den Haag"},
                  st.lists(st.text(st.sampled_from("abcdefghij "), min_size=1, max_size=90),
                           min_size=1, max_size=7 if hostile else 5))))
    letter = {
        "sender": {"ministry": "jenv"}, "recipient": recipient, "date": "2024-03-01",
        "kenmerk": "2024-1", "subject": draw(st.text(st.one_of(CHAR, ANY) if hostile else CHAR, min_size=1,
                                   max_size=300 if hostile else 80)),
        "sections": sections, "minister": people,
    }
    if footnotes:
        letter["footnotes"] = footnotes
    return letter, words, notes, draw(st.sampled_from([".yaml", ".json"]))


def _squash(text: str) -> str:
    """Text to compare: without spaces and invisible formatting characters (a soft hyphen
    prints only where a line breaks, as U+2010 in the PDF), in one normal form."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if not c.isspace() and unicodedata.category(c) != "Cf" and c != "\u2010")


def _in_order(words: list[str], text: str, what: str) -> None:
    position = 0
    for word in words:
        found = text.find(_squash(word), position)
        assert found >= 0, f"{word!r} is missing from the {what} (or out of order)"
        position = found + len(_squash(word))


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode() + z.read("word/footnotes.xml").decode()
    return _squash("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
                   .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                   .replace("&apos;", "'").replace("&amp;", "&"))


def _pdf_text(data: bytes) -> str:
    """The characters printed inside the page (a character beyond its edge is lost)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            out.extend(c["text"] for c in page.chars
                       if c["x0"] >= 0 and c["x1"] <= page.width and c["top"] >= 0
                       and c["bottom"] <= page.height)
    return _squash("".join(out))


@given(letters(), st.integers(0, PDF_EVERY - 1))
def test_a_generated_letter_is_reported_or_keeps_every_word(case, pdf_pick):
    letter, words, notes, suffix = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"brief{suffix}"
        if suffix == ".json":
            path.write_text(json.dumps(letter, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(letter, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
        problems = check_file(path)
        errors = [p for p in problems if p.severity == "error"]
        for problem in errors:
            assert problem.file.endswith(path.name) and problem.line, str(problem)
        if errors:
            event("refused: " + min(errors, key=lambda p: p.message).message.split(";")[0][:40])
            return
        event("built")
        document = compose_file(path)
    note_words = [w for key, value in notes.items() if key != "inline" for w in value]
    note_words += [w for inner in notes.get("inline", []) for w in inner]
    docx = _docx_text(render_docx(document))
    _in_order(words, docx, ".docx")
    for group in [v for k, v in notes.items() if k != "inline"] + notes.get("inline", []):
        _in_order(group, docx, ".docx footnotes")
    if pdf_pick == 0:
        pdf = _pdf_text(render_pdf(document))
        _in_order(words, pdf, "PDF")
        for group in [v for k, v in notes.items() if k != "inline"] + notes.get("inline", []):
            _in_order(group, pdf, "PDF footnotes")
