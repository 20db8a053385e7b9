"""Letter kinds about written Kamervragen: `antwoorden` (the answers) and `uitstel` (a
postponement of the answers). Everything these kinds print is decided here, as data:

* the wording, from published papers (docs/letter-format.md, "Letter kinds: antwoorden and
  uitstel"): the member list ("het lid Erkens (VVD)", "de leden A, B en C (allen GroenLinks)"),
  the covering sentence, the three moves of a postponement, the default subjects and the heads
  of the Aanhangsel van de Handelingen;
* the checks of the `questions:` block (errors) and the deadlines (warnings);
* the second paper of kind antwoorden: the answers document, with "Vraag n" / "Antwoord n"
  labels as headings and the footnotes of questions and answers in one series.

The functions that make sentences are pure (text in, text out), so tests can hold them
against the published wording word for word.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable

from ..document import Answers, Block, Document, Heading, Paragraph, Run
from ..letter.model import QuestionsSpec, SignatorySpec
from .citations import parse_vergaderjaar, year_text
from .markdown import Numbering, TextIssue, parse_blocks
from .printing import dress

if TYPE_CHECKING:  # the composer of compose/__init__.py (no import cycle at run time)
    from . import _Composer

ANSWERS_PAPER = "answers"
ANSWERS_STEM_SUFFIX = "-antwoorden"   # the answers document: <letter stem>-antwoorden.pdf/.docx
CHAMBER = "Tweede Kamer der Staten-Generaal"
DUE_DAYS = 21          # answers are due within three weeks (Reglement van Orde)
DUE_DAYS_IN_ALL = 42   # ... and within six weeks after a postponement

ZAAK = re.compile(r"^(\d{4})Z\d{5}$")
DOCUMENT_NUMBER = re.compile(r"\d{4}D\d{5}")
TUSSENVOEGSELS = {"van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "in", "op", "la",
                  "le", "du", "d'", "von", "vanden", "vander", "toe"}


# -- wording ---------------------------------------------------------------------------------

def join_dutch(items: Iterable[str]) -> str:
    """"A", "A en B", "A, B en C"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def member_list(members, parties_joint: str | None = None) -> str:
    """The askers as printed after "van": "het lid Erkens (VVD)", "de leden Thieme (PvdD) en
    Van Gent (GL)", "de leden Bouchallikh, Bromet en Kröger (allen GroenLinks)".

    One shared party is written once: "(beiden P)" for two members, "(allen P)" for three or
    more; `parties_joint` replaces that parenthesis with its own words."""
    if len(members) == 1:
        member = members[0]
        party = parties_joint or member.party
        return f"het lid {member.name}" + (f" ({party})" if party else "")
    names = [member.name for member in members]
    if parties_joint:
        return f"de leden {join_dutch(names)} ({parties_joint})"
    parties = {member.party for member in members}
    if len(parties) == 1 and None not in parties:
        word = "beiden" if len(members) == 2 else "allen"
        return f"de leden {join_dutch(names)} ({word} {parties.pop()})"
    return "de leden " + join_dutch(
        f"{member.name} ({member.party})" if member.party else member.name for member in members)


def lower_article(title: str) -> str:
    """"De Minister van ..." as it reads inside a sentence: "de Minister van ..."."""
    return "de" + title[2:] if title.startswith("De ") else title


def surname(name: str) -> str:
    """The surname of a signatory's name as printed after a function: "J.J.M. Uitermark" ->
    "Uitermark", "E. van der Burg" -> "Van der Burg", "Hugo de Jonge" -> "De Jonge"."""
    words = [w for w in name.split() if not w.endswith(".")]  # initials, mr., dr., mw.
    if not words:
        return name
    last = len(words) - 1
    start = last
    while start > 0 and words[start - 1].lower() in TUSSENVOEGSELS:
        start -= 1
    found = " ".join(words[start:])
    return found[0].upper() + found[1:]


_FUNCTION = re.compile(r"^(?:[Dd]e\s+)?(?P<function>[^\s,]+)(?:\s+(?:van|voor)\s+(?P<of>.+))?$")


def answered_by(signatory: SignatorySpec, ministry: str) -> str:
    """"Minister Uitermark (Binnenlandse Zaken en Koninkrijksrelaties)" from the signatory's
    title and name; the department from the title ("van ..." / "voor ..."), else the ministry."""
    found = _FUNCTION.match(signatory.title.strip())
    function = found.group("function") if found else signatory.title
    department = (found.group("of") if found and found.group("of")
                  else ministry.removeprefix("Ministerie van ").removeprefix("Ministerie voor "))
    function = function[0].upper() + function[1:]
    return f"{function} {surname(signatory.name)} ({department})"


def full_stop(text: str) -> str:
    """The text ending in a full stop (or its own ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def covering_sentence(q: QuestionsSpec, submitted: str, plural: bool = False) -> str:
    """The one sentence of the covering letter of kind antwoorden."""
    verb = "Hierbij zenden wij u" if plural else "Hierbij zend ik u"
    behalf = f", mede namens {join_dutch(q.on_behalf_of)}," if q.on_behalf_of else ""
    return (f"{verb}{behalf} de antwoorden op de vragen van "
            f"{member_list(q.members, q.parties_joint)} over {q.about} (ingezonden {submitted}, "
            f"kenmerk {q.zaak}).")


def postponement_sentences(q: QuestionsSpec, submitted: str, plural: bool = False) -> list[str]:
    """The three moves of an uitstelbericht: what is late, the reason, when (if known)."""
    mine = "onze" if plural else "mijn"
    out = [f"De vragen van {member_list(q.members, q.parties_joint)} over {q.about} (ingezonden "
           f"{submitted}) kunnen tot {mine} spijt niet binnen de gebruikelijke termijn worden "
           f"beantwoord."]
    if q.reason:
        reason = full_stop(f"De reden van het uitstel is dat {q.reason}")
        if q.repeat:
            request = "Wij verzoeken" if plural else "Ik verzoek"
            reason += f" {request} u vanwege voornoemde reden opnieuw om uitstel."
        out.append(reason)
    if q.expected:
        out.append(full_stop(f"De beantwoording zal plaatshebben {q.expected}"))
    return out


def default_subject(kind: str, about: str) -> str:
    if kind == "uitstel":
        return f"Uitstel beantwoording Kamervragen over {about}"
    return f"Antwoorden Kamervragen over {about}"


def answers_title(q: QuestionsSpec, submitted: str) -> str:
    """Title of the answers document (the bijlage of the covering letter)."""
    return (f"Antwoorden op Kamervragen van {member_list(q.members, q.parties_joint)} over "
            f"{q.about} (kenmerk {q.zaak}, ingezonden {submitted})")


def question_head(q: QuestionsSpec, addressees: list[str], submitted: str) -> str:
    """The Aanhangsel's question head: "Vragen van ... aan ... over ... (ingezonden ...)."."""
    to = join_dutch(lower_article(a) for a in addressees)
    return (f"Vragen van {member_list(q.members, q.parties_joint)} aan {to} over {q.about} "
            f"(ingezonden {submitted}).")


def vergaderjaar_text(vergaderjaar: str) -> str:
    """2024-2025 (as validated) as printed: 2024–2025, the citations' own form."""
    return year_text(parse_vergaderjaar(vergaderjaar))


def answer_head(by: str, on_behalf_of: list[str], received: str,
                aanhangsel: tuple[str, int] | None) -> str:
    """The Aanhangsel's answer head: "Antwoord van ... (ontvangen ...). Zie ook ..."."""
    behalf = f", mede namens {join_dutch(on_behalf_of)}" if on_behalf_of else ""
    head = f"Antwoord van {by}{behalf} (ontvangen {received})."
    if aanhangsel:
        year, number = aanhangsel
        head += (f" Zie ook Aanhangsel Handelingen, vergaderjaar {vergaderjaar_text(year)}, "
                 f"nr. {number}.")
    return head


def see_answer(number: int) -> str:
    return f"Zie het antwoord op vraag {number}."


def label(word: str, number: int) -> Heading:
    """A "Vraag n" / "Antwoord n" label: a heading (level 2, under the title), set bold."""
    return Heading(2, (Run(f"{word} {number}", bold=True),))


# -- composing -------------------------------------------------------------------------------

@dataclasses.dataclass
class LetterParts:
    """What a kind decides for the covering letter (None: as written in the file)."""

    subject: str | None = None
    blocks: tuple[Block, ...] | None = None   # generated body; None when sections are written
    attachments: tuple[str, ...] = ()
    your_reference: str | None = None
    your_letter_date: dt.date | None = None


class Kamervragen:
    """The kind antwoorden or uitstel of one letter file, composed with its _Composer."""

    def __init__(self, composer: "_Composer", kind: str, questions: QuestionsSpec):
        self.c = composer
        self.kind = kind
        self.q = questions
        self.submitted = composer.dutch_date(questions.submitted)

    def problem(self, path: tuple, message: str, severity: str = "error") -> None:
        self.c.problem(("questions",) + path, message, severity=severity)

    # checks ------------------------------------------------------------------------------

    def check(self) -> None:
        """Errors of the questions block for this kind, and the deadline warnings."""
        q, f = self.q, self.c.fields
        date = f.get("date")
        if date is not None and q.submitted > date:
            self.problem(("submitted",), f"the questions were submitted ({q.submitted}) after "
                         f"the letter's date ({date}); check both dates")
        if not q.parties_joint:
            for index, member in enumerate(q.members):
                if not member.party:
                    self.problem(("members", index), f"give the party of {member.name} "
                                 f"('party: ...'), or write 'parties_joint' for all members")
        zaak = ZAAK.match(q.zaak)
        if zaak and date is not None and int(zaak.group(1)) > date.year:
            self.problem(("zaak",), f"the zaak {q.zaak} is from a year after the letter's "
                         f"date ({date}); check the number", "warning")
        elif not zaak and not DOCUMENT_NUMBER.search(q.zaak):
            self.problem(("zaak",), f"'{q.zaak}' does not look like a zaak number of the "
                         f"Kamer (for example 2024Z21580); check it", "warning")
        if self.kind == "antwoorden":
            self.check_answers()
        else:
            self.check_postponement()
        if date is not None and q.submitted <= date:
            self.check_deadline((date - q.submitted).days)

    def check_answers(self) -> None:
        q = self.q
        for name in ("reason", "expected"):
            if getattr(q, name) is not None:
                self.problem((name,), f"'{name}' belongs to a postponement (kind: uitstel); "
                             f"remove it from this answers letter")
        if q.repeat:
            self.problem(("repeat",), "'repeat' belongs to a postponement (kind: uitstel); "
                         "remove it from this answers letter")
        if not q.items:
            self.problem(("items",) if "items" in (self.c.source.data.get("questions") or {})
                         else (), "an answers letter needs the questions and answers: add "
                         "'items:' with a 'question:' and an 'answer:' for each question")
        for number, item in enumerate(q.items, start=1):
            here = ("items", number - 1)
            if item.answer is None and item.answer_see is None:
                self.problem(here, f"question {number} has no answer; add 'answer:' (or "
                             f"'answer_see: n' to refer to the answer to an earlier question)")
            elif item.answer is not None and item.answer_see is not None:
                self.problem(here + ("answer_see",), f"question {number} has both an 'answer' "
                             f"and 'answer_see'; keep one")
            elif item.answer_see is not None and item.answer_see >= number:
                self.problem(here + ("answer_see",), f"question {number} refers to the answer "
                             f"to question {item.answer_see}, which is "
                             f"{'itself' if item.answer_see == number else 'later'}; refer to "
                             f"an earlier question or write the answer here")

    def check_postponement(self) -> None:
        q, f = self.q, self.c.fields
        if q.items:
            self.problem(("items",), "a postponement (kind: uitstel) has no answers; remove "
                         "'items' (or make the letter kind: antwoorden)")
        if q.uitstel_sent is not None:
            self.problem(("uitstel_sent",), "'uitstel_sent' belongs to the answers that follow "
                         "a postponement (kind: antwoorden); remove it here")
        written = f.get("sections") is not None
        if not written and not q.reason:
            self.problem(() if "questions" not in self.c.source.data else ("reason",),
                         "a postponement gives its reason: add 'reason:' (it completes \"De "
                         "reden van het uitstel is dat ...\"), or write the letter's 'sections'")
        if written:
            unused = [name for name in ("reason", "expected") if getattr(q, name)]
            if q.repeat:
                unused.append("repeat")
            if unused:
                self.c.problem(("sections",), f"the written 'sections' replace the generated "
                               f"text, so questions.{' and questions.'.join(unused)} "
                               f"{'is' if len(unused) == 1 else 'are'} not printed; remove "
                               f"'sections' to have the text generated, or remove "
                               f"{' and '.join(unused)}", severity="warning")

    def check_deadline(self, days: int) -> None:
        q = self.q
        line = self.c.source.line(("date",))
        if self.kind == "uitstel":
            if days > DUE_DAYS and not q.repeat:
                self.c.problem(("date",), f"this postponement is dated {days} days after the "
                               f"questions were submitted; it is due within {DUE_DAYS} days "
                               f"(three weeks)", line, "warning")
            return
        if days > DUE_DAYS and q.uitstel_sent is None:
            self.c.problem(("date",), f"the answers are dated {days} days after the questions "
                           f"were submitted, later than the {DUE_DAYS} days (three weeks) "
                           f"allowed without a postponement; if one was sent, write its date as "
                           f"questions.uitstel_sent", line, "warning")
        if days > DUE_DAYS_IN_ALL:
            self.c.problem(("date",), f"the answers are dated {days} days after the questions "
                           f"were submitted, later than the {DUE_DAYS_IN_ALL} days (six weeks) "
                           f"allowed in all, also after a postponement", line, "warning")

    # the covering letter -----------------------------------------------------------------

    def letter_parts(self) -> LetterParts:
        q, f = self.q, self.c.fields
        plural = len(f.get("minister") or []) > 1
        parts = LetterParts(
            subject=None if f.get("subject") else default_subject(self.kind, q.about),
            your_reference=f.get("your_reference") or q.zaak,
            your_letter_date=f.get("your_letter_date") or q.submitted,
            attachments=tuple(f.get("attachments") or ()),
        )
        if f.get("sections") is None and "sections" not in self.c.source.data:
            if self.kind == "antwoorden":
                sentences = [covering_sentence(q, self.submitted, plural)]
            else:
                sentences = postponement_sentences(q, self.submitted, plural)
            parts.blocks = tuple(Paragraph((Run(s),)) for s in sentences)
        if self.kind == "antwoorden":
            title = answers_title(q, self.submitted)
            if title not in parts.attachments:
                parts.attachments += (title,)
        return parts

    # the answers document ----------------------------------------------------------------

    def answers_blocks(self, numbering: Numbering, labels: set[str]) -> tuple[Block, ...]:
        """Vraag n, the question, Antwoord n, the answer (or "Zie het antwoord op vraag m.")."""
        blocks: list[Block] = []
        for number, item in enumerate(self.q.items, start=1):
            here = ("questions", "items", number - 1)
            blocks.append(label("Vraag", number))
            blocks += self.markdown(item.question, here + ("question",), numbering, labels)
            blocks.append(label("Antwoord", number))
            if item.answer is not None:
                blocks += self.markdown(item.answer, here + ("answer",), numbering, labels)
            elif item.answer_see is not None:
                blocks.append(Paragraph((Run(see_answer(item.answer_see)),)))
        return tuple(blocks)

    def markdown(self, text: str, path: tuple, numbering: Numbering, labels: set[str]):
        issues: list[TextIssue] = []
        blocks = parse_blocks(text, labels, numbering, 2, issues)
        self.c.report(issues, path)
        return blocks

    def answers_document(self, letter: Document, blocks, notes) -> Document:
        q, f = self.q, self.c.fields
        signatories = f.get("minister") or []
        by = q.answered_by or (answered_by(signatories[0], letter.sender.ministry)
                               if signatories else "")
        addressees = list(q.addressees) or [s.title for s in signatories]
        number = (q.aanhangsel.vergaderjaar, q.aanhangsel.nr) if q.aanhangsel else None
        answers = Answers(
            title=answers_title(q, self.submitted),
            question_head=question_head(q, addressees, self.submitted),
            answer_head=answer_head(by, list(q.on_behalf_of), letter.date_text, number),
            chamber=CHAMBER,
            vergaderjaar=vergaderjaar_text(q.aanhangsel.vergaderjaar) if q.aanhangsel else None,
            number=q.aanhangsel.nr if q.aanhangsel else None,
        )
        paper = dress(dataclasses.replace(
            letter, paper=ANSWERS_PAPER, stem=letter.stem + ANSWERS_STEM_SUFFIX,
            subject=answers.title, attachments=(), opening=None, closing=None,
            blocks=blocks, footnotes=notes, signatories=(), answers=answers, sections=(),
        ))
        # no letterhead: nothing of the letter's head, colofon or signature is printed
        return dataclasses.replace(paper, recipient=(), return_line="", colofon=(),
                                   short_colofon=(), rows=())
