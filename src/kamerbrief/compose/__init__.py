"""From a letter file to the composed Document both writers render.

read (load) -> validate (model) -> compose: registry resolved, Dutch date, Markdown parsed
once into blocks, footnotes numbered letter-wide. Every problem in the file is collected and
raised together as one LetterError; a Document exists only for a letter without problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from functools import cached_property
from pathlib import Path
from typing import Any

from babel.dates import format_date

from .. import fonts
from ..document import Document, Footnote, Heading, Run, SectionStart, Sender, Signatory
from . import citations
from .kamerstuk import publication
from .kinds import Kamervragen
from ..layout import MM_PER_PT, load_layout
from ..letter import limits
from ..letter.load import Source, read_source
from .printing import dress
from .markdown import MAX_HEADING_LEVEL, Numbering, TextIssue, parse_blocks, parse_inlines
from ..letter.model import (AddressSpec, CiteNoteSpec, SectionSpec, SenderSpec, closest_line,
                            validate_fields)
from ..problems import LetterError, Problem
from ..registry import load_registry

DRAFT_DATE = "[datum]"
DRAFT_KENMERK = "[kenmerk]"


def dutch_date(day: dt.date) -> str:
    """9 december 2019."""
    return format_date(day, "d MMMM y", locale="nl_NL")


def compose_file(path: Path | str, data: bytes | None = None) -> Document:
    """The Document of a letter file (its letter paper; or of `data`, its bytes already read);
    raises LetterError listing every problem. Warnings travel in `Document.warnings`."""
    return compose_papers(path, data)[0]


def warm_up() -> None:
    """Read what every letter needs once (layout, registry, font metrics, the hyphenation
    patterns): a build warms up before its workers fork, so they start with it."""
    from .textrules import _dictionary  # noqa: PLC0415

    layout = load_layout()
    load_registry()
    fonts.body_coverage()
    _dictionary(layout.page.language)


def compose_papers(path: Path | str, data: bytes | None = None) -> tuple[Document, ...]:
    """Every paper a letter file makes, the letter first (kind antwoorden adds the answers
    document: paper "answers", stem "<stem>-antwoorden"); raises LetterError listing every
    problem. The warnings of the file travel in each Document's `warnings`.
    `data`: the file's bytes when the caller has read them already (a build hashes them)."""
    source = read_source(Path(path), data)
    fields = validate_fields(source)
    documents = _Composer(source, fields).papers()
    errors = [p for p in source.problems if p.severity == "error"]
    if errors or not documents:
        raise LetterError(source.problems)
    warnings = tuple(sorted(source.problems, key=lambda p: (p.line or 0, p.field)))
    return tuple(dataclasses.replace(document, warnings=warnings) for document in documents)


def check_file(path: Path | str, data: bytes | None = None) -> list[Problem]:
    """Every problem of a letter file, warnings included (no errors: it is valid)."""
    try:
        return list(compose_papers(path, data)[0].warnings)
    except LetterError as exc:
        return exc.problems


class _Composer:
    def __init__(self, source: Source, fields: dict[str, Any]):
        self.source = source
        self.fields = fields
        self.draft = fields.get("status") == "draft"
        self.numbering = Numbering()
        self.starts: list[SectionStart] = []
        self.section_count = 0  # sections met so far (at most MAX_SECTIONS)
        self.used_references: set[str] = set()

    def problem(self, path: tuple, message: str, line: int | None = None,
                severity: str = "error") -> None:
        self.source.problems.append(self.source.problem(path, message, line, severity))

    dutch_date = staticmethod(dutch_date)

    @property
    def kind_kamervragen(self) -> bool:
        return self.fields.get("kind") in ("antwoorden", "uitstel")

    def kamervragen(self) -> Kamervragen | None:
        """The kind antwoorden or uitstel of this letter (None for a brief)."""
        f, data = self.fields, self.source.data
        kind = f.get("kind") or "brief"
        questions = f.get("questions")
        if kind == "brief":
            if data.get("questions") is not None:
                self.problem(("questions",), "'questions' belongs to a letter about Kamervragen: "
                             "add 'kind: antwoorden' or 'kind: uitstel', or remove 'questions'")
            return None
        return Kamervragen(self, kind, questions) if questions is not None else None

    def papers(self) -> tuple[Document, ...]:
        """The letter, and for kind antwoorden the answers document."""
        kinds = self.kamervragen()
        if kinds is not None:
            kinds.check()
        letter = self.document(kinds)
        numberings = [self.numbering]
        papers = [letter]
        answers = None
        if kinds is not None and kinds.kind == "antwoorden":
            numbering = Numbering()
            blocks = kinds.answers_blocks(numbering, self.labels)
            numberings.append(numbering)
            answers = (blocks, self.notes(numbering, reported=set(self.numbering.by_label)))
        self.never_called(numberings)
        if any(p.severity == "error" for p in self.source.problems) or letter is None:
            return ()
        if answers is not None:
            papers.append(kinds.answers_document(letter, *answers))
        return tuple(papers)

    def document(self, kinds: Kamervragen | None = None) -> Document | None:
        f = self.fields
        sender = self.sender(f.get("sender"))
        recipient = self.recipient(f.get("recipient"))
        date_text = self.required_in_final("date", f.get("date"), DRAFT_DATE)
        kenmerk = self.required_in_final("kenmerk", f.get("kenmerk"), DRAFT_KENMERK)
        parts = kinds.letter_parts() if kinds is not None else None
        blocks, notes = self.body()
        if parts is not None and parts.blocks is not None:
            blocks = parts.blocks
        signatories = f.get("minister")
        if signatories is not None:
            self.signatories(signatories)
        self.check_characters(self.source.data, (), fonts.body_coverage())
        date = f.get("date")
        date_text = dutch_date(date) if date else date_text
        form, lacks = (None, ()) if f.get("minister") is None else publication(
            self.source, f, sender.ministry if sender else None, date_text, blocks,
            self.notes(self.numbering, reported=self.labels, style=self.citation_styles()[1]))
        if self.source.problems and any(p.severity == "error" for p in self.source.problems):
            return None
        your_letter_date = parts.your_letter_date if parts else f["your_letter_date"]
        return dress(Document(
            source=self.source.path,
            stem=self.source.path.stem,
            draft=self.draft,
            date=date,
            date_text=date_text,
            kenmerk=kenmerk,
            your_reference=parts.your_reference if parts else f["your_reference"],
            your_letter_date=dutch_date(your_letter_date) if your_letter_date else None,
            subject=f["subject"] or (parts.subject if parts else None),
            attachments=parts.attachments if parts else tuple(f["attachments"]),
            sender=sender,
            recipient=recipient,
            opening=f["opening"],
            blocks=blocks,
            footnotes=notes,
            closing=f["closing"],
            signatories=tuple(Signatory(s.title, s.name) for s in f["minister"]),
            language=load_layout().page.language,
            sections=tuple(self.starts),
            publication=form,
            publication_problems=lacks,
        ))

    # -- letterhead ------------------------------------------------------------------------

    def sender(self, spec: SenderSpec | None) -> Sender | None:
        if spec is None:
            return None
        registry = load_registry()
        ministry = registry.ministries.get(spec.ministry)
        if ministry is None:
            self.problem(("sender", "ministry"), f"'{spec.ministry}' is not in the registry; "
                         f"{_did_you_mean(spec.ministry, registry.ministries)}use one of: "
                         f"{', '.join(sorted(registry.ministries))}")
            return None
        unit = None
        if spec.unit is not None:
            unit = ministry.units.get(spec.unit)
            if unit is None:
                known = ", ".join(sorted(ministry.units)) or "none"
                self.problem(("sender", "unit"), f"'{spec.unit}' is not a unit of "
                             f"'{spec.ministry}' in the registry; "
                             f"{_did_you_mean(spec.unit, ministry.units)}(its units: {known}); "
                             f"leave 'unit' out or write the unit's fields under 'sender:'")
                return None
        layers = [spec, unit, ministry, registry.defaults]

        def pick(name: str):
            for layer in layers:
                value = getattr(layer, name, None) if layer is not None else None
                if value:
                    return value
            return None

        postal = tuple(pick("postal_address") or ())
        if unit is not None:
            wordmark = spec.wordmark or unit.wordmark or [unit.name]
            italic = ministry.wordmark
        else:
            wordmark, italic = spec.wordmark or ministry.wordmark, []
        return Sender(
            organisation=pick("name"),
            ministry=ministry.name,
            wordmark=tuple(wordmark),
            wordmark_italic=tuple(italic),
            colofon_name=pick("colofon_name") or pick("name"),
            visit_address=tuple(pick("visit_address") or ()),
            postal_address=postal,
            website=pick("website"),
            phone=pick("phone"),
            email=pick("email"),
            contact=tuple(pick("contact") or ()),
            return_address=" ".join(postal),
            subject_label=pick("subject_label"),
            colofon_note=pick("colofon_note"),
        )

    def recipient(self, spec: str | AddressSpec | None) -> tuple[str, ...] | None:
        if spec is None:
            return None
        if isinstance(spec, str):
            recipients = load_registry().recipients
            if spec not in recipients:
                self.problem(("recipient",), f"'{spec}' is not in the registry; "
                             f"{_did_you_mean(spec, recipients)}use one of: "
                             f"{', '.join(sorted(recipients))}, or write the address "
                             f"(name, address, postcode, city)")
                return None
            spec = recipients[spec]
        place = " ".join(part for part in (spec.postcode, spec.city.upper()) if part)
        lines = (*spec.name, *spec.address, place)
        layout = load_layout()
        limit = layout.recipient.max_lines
        room = layout.recipient.width_mm / MM_PER_PT
        printed = sum(fonts.wrapped_lines(line, room, layout.type.body_size_pt) for line in lines)
        if len(lines) > limit:
            self.problem(("recipient",), f"the address has {len(lines)} lines; the window of "
                         f"the envelope holds {limit}; shorten it")
        elif printed > limit:
            self.problem(("recipient",), f"the address takes {printed} printed lines (long lines "
                         f"wrap in the window); the window of the envelope holds {limit}: "
                         f"shorten the longest lines")
        return lines

    def required_in_final(self, name: str, value: Any, placeholder: str) -> Any:
        """The value; in a draft a placeholder when it is missing; an error in a final letter."""
        if value is not None or name not in self.fields:
            return value
        if self.draft:
            return placeholder
        if name in self.source.data:  # written, but empty (`date: null`, `date:`)
            self.problem((name,), f"the field '{name}' is empty; fill it in (it may be left "
                         f"empty only in a draft, status: draft)")
        elif name not in self.source.meant:
            self.problem((), f"the field '{name}' is missing; it may be left out only in a "
                         f"draft (status: draft)", closest_line(self.source, name))
        return None

    def signatories(self, signatories: list) -> None:
        """At most MAX_SIGNATORIES, side by side; every word must fit its column."""
        path = ("minister",)
        if len(signatories) > limits.MAX_SIGNATORIES:
            self.problem(path, f"the letter has {len(signatories)} signatories; at most "
                         f"{limits.MAX_SIGNATORIES} fit side by side under a letter")
            return
        layout = load_layout()
        n = min(len(signatories), layout.signature.per_row)  # side by side in rows (printing)
        room = (layout.body.width_mm - layout.signature.column_gap_mm * (n - 1)) / n / MM_PER_PT
        for index, person in enumerate(signatories):
            for name in ("title", "name"):
                word = fonts.too_wide(getattr(person, name), room, layout.type.body_size_pt)
                if word:
                    here = path + (index, name) if isinstance(self.source.data.get("minister"),
                                                              list) else path + (name,)
                    self.problem(here, f"the word '{word}' is too wide for the signature's "
                                 f"column ({n} signatories side by side) and would run off the "
                                 f"page; shorten or break it")

    # -- body ------------------------------------------------------------------------------

    @property
    def labels(self) -> set[str]:
        """The footnote ids written under `footnotes:` (callable as [^id])."""
        raw_notes = self.source.data.get("footnotes")
        return set(raw_notes) if isinstance(raw_notes, dict) else set()

    def body(self) -> tuple[tuple, tuple[Footnote, ...]]:
        sections: list[SectionSpec] | None = self.fields.get("sections")
        blocks: list = []
        if sections is not None:
            self.sections(sections, ("sections",), 1, self.labels, blocks)
            if self.section_count > limits.MAX_SECTIONS:
                self.problem(("sections",), f"the letter has {self.section_count} sections; at "
                             f"most {limits.MAX_SECTIONS} are allowed")
        notes = self.notes(self.numbering)
        if self.numbering.next_number - 1 > limits.MAX_FOOTNOTES and not self.too_many_notes:
            self.problem(("footnotes",), f"the letter has {self.numbering.next_number - 1} "
                         f"footnotes; at most {limits.MAX_FOOTNOTES} are allowed: move "
                         f"references to an attachment")
        if sections is not None:
            self.never_referred()
        return tuple(blocks), notes

    @property
    def too_many_notes(self) -> bool:
        """More footnote texts than allowed (reported once, in never_called); they are then
        not read one by one."""
        return len(self.fields.get("footnotes") or {}) > limits.MAX_FOOTNOTES

    def notes(self, numbering: Numbering, reported: set[str] = frozenset(),
              style: str | None = None) -> tuple[Footnote, ...]:
        """The footnotes called under one numbering (one paper), in number order; problems in
        the texts of `reported` notes are already reported by another paper. A citation
        written as data prints in `style` (default: the letter's citation style)."""
        texts = {} if self.too_many_notes else self.fields.get("footnotes") or {}
        notes: list[Footnote] = []
        for label, text in texts.items():
            if label in numbering.by_label:
                path, report = ("footnotes", label), label not in reported
                if isinstance(text, CiteNoteSpec):
                    inlines = self.cited(text, path, style or self.citation_styles()[0], report)
                else:
                    issues: list[TextIssue] = []
                    inlines = parse_inlines(self.referred(text, path, report), numbering, issues,
                                            self.labels, in_note=True)
                    if report:
                        self.report(issues, path)
                        self.free_citations(text, path)
                notes.append(Footnote(numbering.by_label[label], inlines, label))
        notes += [Footnote(n, inl) for n, inl in numbering.inline_notes.items()]
        return tuple(sorted(notes, key=lambda note: note.number))

    # -- citations -------------------------------------------------------------------------

    def citation_styles(self) -> tuple[str, str]:
        """The citation style of the letter and of the Kamerstuk form (`citation_style`, else
        Ar 3.43 in the letter and the Kamer's own style in the publication)."""
        chosen = self.fields.get("citation_style")
        return chosen or citations.LETTER_STYLE, chosen or citations.PUBLICATION_STYLE

    def cited(self, note: CiteNoteSpec, path: tuple, style: str, report: bool = True) -> tuple:
        """A footnote written as data as inline runs in `style`; the problems of each citation
        with their field (when `report`)."""
        date = self.fields.get("date")
        year = citations.vergaderjaar(date) if date else None
        groups = []
        for key, specs in (("cite", note.cite), ("also", note.also)):
            found = []
            for index, spec in enumerate(specs):
                where = path + (key, index)  # a single cite: is read as a list of one
                citation, problems = citations.citation_from(spec, year)
                for name, message, severity in problems if report else ():
                    at = where + ((name,) if name else ())
                    self.problem(at, message, self.source.line(at, value=True), severity)
                if citation is not None:
                    found.append(citation)
            groups.append(found)
        if any(len(g) != len(s) for g, s in zip(groups, (note.cite, note.also))):
            return ()
        return (Run(citations.note_text(groups[0], style, note.then, groups[1])),)

    @cached_property
    def references(self) -> dict[str, str]:
        """The `references:` in the short in-text form, by id; each checked, with its field."""
        date = self.fields.get("date")
        year = citations.vergaderjaar(date) if date else None
        texts = {}
        for label, spec in (self.fields.get("references") or {}).items():
            citation, problems = citations.citation_from(spec, year)
            for name, message, severity in problems:
                at = ("references", label) + ((name,) if name else ())
                self.problem(at, message, self.source.line(at, value=True), severity)
            if citation is not None:
                texts[label] = citations.render(citation, "kort")
        return texts

    def referred(self, text: str, path: tuple, report: bool = True) -> str:
        """`text` with each [@id] replaced by its reference in the short form; an unknown id is
        reported with its line (and left as written)."""
        known, written = self.references, self.source.data.get("references")

        def one(match) -> str:
            label = match.group(1)
            self.used_references.add(label)
            if label in known:
                return known[label]
            if report and not (isinstance(written, dict) and label in written):
                self.problem(path, f"the reference [@{label}] has no entry; add '{label}: "
                             f"{{kind: kamerstuk, ...}}' under 'references:'",
                             self.source.text_line(path, text[:match.start()].count("\n")))
            return match.group(0)

        return citations.REFERENCE.sub(one, text)

    def never_referred(self) -> None:
        """A reference used nowhere in the text is an error, as an uncalled footnote is."""
        for label in self.fields.get("references") or {}:
            if label not in self.used_references:
                self.problem(("references", label), f"the reference '{label}' is never used; "
                             f"add [@{label}] where it belongs in the text, or remove it")

    def free_citations(self, text: str, path: tuple) -> None:
        """A warning for each Kamerstuk reference typed in a form other than the standard one."""
        chosen = self.fields.get("citation_style")
        style = chosen if chosen in ("ar", citations.PUBLICATION_STYLE) else \
            citations.PUBLICATION_STYLE
        for found in citations.nonstandard_citations(text, style):
            line = self.source.text_line(path, text[:found.start].count("\n"))
            self.problem(path, f"'{found.written}' is not the standard form of this citation; "
                         f"write '{found.standard}', or write it as data: cite: {found.data}",
                         line, "warning")

    def never_called(self, numberings: list[Numbering]) -> None:
        """A footnote called by no paper of the letter is an error (when the texts are valid)."""
        texts = self.fields.get("footnotes")
        data = self.source.data
        written = self.fields.get("sections")
        if texts is None or (written is None and ("sections" in data or not self.kind_kamervragen)):
            return
        if data.get("questions") is not None and self.fields.get("questions") is None:
            return
        if self.too_many_notes:
            self.problem(("footnotes",), f"the letter has {len(texts)} footnotes; at most "
                         f"{limits.MAX_FOOTNOTES} are allowed: move references to an attachment")
            return
        for label in texts:
            if not any(label in numbering.by_label for numbering in numberings):
                self.problem(("footnotes", label), f"the footnote '{label}' is never called; "
                             f"add [^{label}] where it belongs in the text, or remove it")

    def sections(self, sections: list[SectionSpec], path: tuple, depth: int, labels: set[str],
                 out: list) -> None:
        for index, section in enumerate(sections):
            here = path + (index,)
            self.section_count += 1
            if self.section_count > limits.MAX_SECTIONS:
                return
            self.starts.append(SectionStart(tuple(p for p in here if isinstance(p, int)),
                                            len(out)))
            if depth > MAX_HEADING_LEVEL:
                self.problem(here, "sections nest at most three deep; move this section up")
                continue
            if section.heading is None and not (section.text or "").strip() and not section.sections:
                self.problem(here, "this section is empty; give it a heading or a text, "
                             "or remove it")
            if section.heading is not None:
                issues: list[TextIssue] = []
                heading = self.referred(section.heading, here + ("heading",))
                out.append(Heading(depth, parse_inlines(heading, self.numbering, issues,
                                                        labels, bold=True)))
                self.report(issues, here + ("heading",))
            if section.text:
                issues = []
                base = depth if section.heading is not None else depth - 1
                text = self.referred(section.text, here + ("text",))
                out.extend(parse_blocks(text, labels, self.numbering, base, issues))
                self.report(issues, here + ("text",))
                self.free_citations(section.text, here + ("text",))
            self.sections(section.sections, here + ("sections",), depth + 1, labels, out)

    def report(self, issues: list[TextIssue], path: tuple) -> None:
        """The problems of one text, at most MAX_TEXT_PROBLEMS; the rest counted in one more."""
        for issue in issues[:MAX_TEXT_PROBLEMS]:
            self.source.problems.append(self.source.problem(
                path, issue.message, self.source.text_line(path, issue.line, issue.needle),
                issue.severity))
        rest = issues[MAX_TEXT_PROBLEMS:]
        if rest:
            severity = "error" if any(i.severity == "error" for i in rest) else "warning"
            self.source.problems.append(self.source.problem(
                path, f"and {len(rest)} more problems in this text (fix the ones above first)",
                self.source.text_line(path, rest[0].line), severity))

    # -- characters ------------------------------------------------------------------------

    def check_characters(self, value: Any, path: tuple, covered: frozenset[int]) -> None:
        """Report every character no font of the letter can show, with its line."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_characters(item, path + (key,), covered)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_characters(item, path + (index,), covered)
        elif isinstance(value, str):
            marks = [(index, char) for index, char in enumerate(value)
                     if char in fonts.DIRECTION_MARKS] if not value.isascii() else []
            self.report_characters(path, value, marks, "changes the reading direction and "
                                   "would print the text after it reversed; remove it")
            self.report_characters(path, value, fonts.unprintable(value, covered),
                                   "cannot be shown by the letter's font and would print as an "
                                   "empty box; replace it")

    def report_characters(self, path: tuple, value: str, found: list[tuple[int, str]],
                          why: str) -> None:
        """One problem per different character (at its first place), at most
        MAX_CHARACTER_PROBLEMS per field; the rest are counted in one more."""
        first: dict[str, int] = {}
        for index, char in found:
            first.setdefault(char, index)
        shown = sorted(first.items(), key=lambda item: item[1])[:MAX_CHARACTER_PROBLEMS]
        for char, index in shown:
            times = sum(1 for _, c in found if c == char)
            more = f" (and {times - 1} more times in this field)" if times > 1 else ""
            line = self.source.text_line(path, value.count("\n", 0, index), char)
            self.problem(path, f"the character {fonts.describe(char)}{more} {why}", line)
        if len(first) > len(shown):
            self.problem(path, f"and {len(first) - len(shown)} other characters that "
                         f"{why.split(';')[0]}")


MAX_CHARACTER_PROBLEMS = 5  # different characters reported one by one per field
MAX_TEXT_PROBLEMS = 10      # problems reported one by one per Markdown text


def _did_you_mean(written: str, known: dict) -> str:
    """"did you mean 'bzk'? " when a key or an organisation's name is close to what was written."""
    keys = {key: key for key in known}
    for key, entry in known.items():
        for name in (getattr(entry, "name", None), *(getattr(entry, "wordmark", None) or ())):
            if isinstance(name, str):
                keys[name.lower()] = key
            elif isinstance(name, list):
                keys.update({part.lower(): key for part in name})
    close = difflib.get_close_matches(written.lower(), list(keys), n=1, cutoff=0.6)
    return f"did you mean '{keys[close[0]]}'? " if close else ""
