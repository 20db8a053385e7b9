"""Letter kinds antwoorden and uitstel: the wording against published papers, word for word;
the covering letter and the answers paper composed from `questions:`; every rule of the block
with its file, line and field; the deadline warnings."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from kamerbrief.cli import main
from kamerbrief.compose import check_file, compose_papers
from kamerbrief.compose import kinds as k
from kamerbrief.document import Heading, Paragraph, plain_text, readable
from kamerbrief.letter.model import MemberSpec, QuestionsSpec, SignatorySpec
from kamerbrief.problems import LetterError

from conftest import LETTERS, SEED_2019, SEED_2023


def members(*pairs):
    return [MemberSpec(name=name, party=party) for name, party in pairs]


def questions(**fields) -> QuestionsSpec:
    base = dict(zaak="2024Z21580", submitted="2024-12-20", members=[{"name": "Erkens",
                                                                     "party": "VVD"}],
                about="overbodige functies, adviesorganen en doublures bij de Rijksoverheid in "
                      "relatie tot voorgenomen besparingen op het overheidsapparaat")
    base.update(fields)
    return QuestionsSpec.model_validate(base)


# -- the published wording, word for word -----------------------------------------------------

def test_aanhangsel_heads_of_the_2025_bzk_answers():
    """tweedekamer.nl 2025D04328: Erkens (VVD), answered by Minister Uitermark."""
    q = questions(aanhangsel={"vergaderjaar": "2024-2025", "nr": 1028})
    by = k.answered_by(SignatorySpec(title="De Minister van Binnenlandse Zaken en "
                                           "Koninkrijksrelaties", name="J.J.M. Uitermark"),
                       "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    assert k.question_head(q, ["De Minister van Binnenlandse Zaken en Koninkrijksrelaties"],
                           "20 december 2024") == (
        "Vragen van het lid Erkens (VVD) aan de Minister van Binnenlandse Zaken en "
        "Koninkrijksrelaties over overbodige functies, adviesorganen en doublures bij de "
        "Rijksoverheid in relatie tot voorgenomen besparingen op het overheidsapparaat "
        "(ingezonden 20 december 2024).")
    assert k.answer_head(by, [], "4 februari 2025", ("2024-2025", 1028)) == (
        "Antwoord van Minister Uitermark (Binnenlandse Zaken en Koninkrijksrelaties) (ontvangen "
        "4 februari 2025). Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 1028.")


def test_aanhangsel_heads_of_the_2022_ienw_answers_with_mede_namens():
    """tweedekamer.nl 2022D31072: three members of one party, several addressees, mede namens."""
    q = questions(members=members(("Bouchallikh", "GroenLinks"), ("Bromet", "GroenLinks"),
                                  ("Kröger", "GroenLinks")),
                  about="het bericht dat Nederland geen gezonde leefomgeving biedt aan kinderen",
                  submitted="2022-05-30")
    addressee = ("De Staatssecretaris van Infrastructuur en Waterstaat en de Ministers van "
                 "Infrastructuur en Waterstaat, voor Volkshuisvesting en Ruimtelijke Ordening en "
                 "voor Landbouw, Natuur en Voedselkwaliteit")
    behalf = ["de Ministers voor Volkshuisvesting en Ruimtelijke Ordening, van Landbouw, Natuur "
              "en Voedselkwaliteit en voor Armoedebeleid, Participatie en Pensioenen",
              "de Staatssecretaris van Volksgezondheid, Welzijn en Sport"]
    by = k.answered_by(SignatorySpec(title="De Staatssecretaris van Infrastructuur en "
                                           "Waterstaat", name="V.L.W.A. Heijnen"),
                       "Ministerie van Infrastructuur en Waterstaat")
    assert k.question_head(q, [addressee], "30 mei 2022") == (
        "Vragen van de leden Bouchallikh, Bromet en Kröger (allen GroenLinks) aan de "
        "Staatssecretaris van Infrastructuur en Waterstaat en de Ministers van Infrastructuur en "
        "Waterstaat, voor Volkshuisvesting en Ruimtelijke Ordening en voor Landbouw, Natuur en "
        "Voedselkwaliteit over het bericht dat Nederland geen gezonde leefomgeving biedt aan "
        "kinderen (ingezonden 30 mei 2022).")
    assert k.answer_head(by, behalf, "14 juli 2022", ("2021-2022", 3173)) == (
        "Antwoord van Staatssecretaris Heijnen (Infrastructuur en Waterstaat), mede namens de "
        "Ministers voor Volkshuisvesting en Ruimtelijke Ordening, van Landbouw, Natuur en "
        "Voedselkwaliteit en voor Armoedebeleid, Participatie en Pensioenen en de "
        "Staatssecretaris van Volksgezondheid, Welzijn en Sport (ontvangen 14 juli 2022). Zie "
        "ook Aanhangsel Handelingen, vergaderjaar 2021–2022, nr. 3173.")


def test_aanhangsel_head_without_a_number_has_no_zie_ook():
    """tweedekamer.nl 2024D18841 shows no Aanhangsel number: the sentence is left out."""
    assert k.answer_head("Minister Uitermark (Binnenlandse Zaken en Koninkrijksrelaties)", [],
                         "4 februari 2025", None) == (
        "Antwoord van Minister Uitermark (Binnenlandse Zaken en Koninkrijksrelaties) "
        "(ontvangen 4 februari 2025).")


def test_answered_by_written_out_for_two_ministers():
    """tweedekamer.nl 2022D23151: `answered_by` as written, `addressees` as put."""
    q = questions(members=members(("Van der Plas", "BBB")), submitted="2022-04-21",
                  about="de uitspraak van de rechtbank Oost-Brabant inzake emissiearme stallen")
    assert k.question_head(q, ["De Ministers voor Natuur en Stikstof en van Landbouw, Natuur "
                               "en Voedselkwaliteit"], "21 april 2022").startswith(
        "Vragen van het lid Van der Plas (BBB) aan de Ministers voor Natuur en Stikstof en van "
        "Landbouw, Natuur en Voedselkwaliteit over ")
    by = ("Minister Staghouwer (Landbouw, Natuur en Voedselkwaliteit) en van Minister Van der "
          "Wal-Zeggelink (Natuur en Stikstof)")
    assert k.answer_head(by, [], "7 juni 2022", ("2021-2022", 2646)) == (
        "Antwoord van Minister Staghouwer (Landbouw, Natuur en Voedselkwaliteit) en van Minister "
        "Van der Wal-Zeggelink (Natuur en Stikstof) (ontvangen 7 juni 2022). Zie ook Aanhangsel "
        "Handelingen, vergaderjaar 2021–2022, nr. 2646.")


def test_postponement_of_the_2009_vws_letter_follows_the_template():
    """The uitstelbericht of 13 January 2009 (Leijten, SP): the B.5 template exactly; the reason
    and the date sentences are the published ones."""
    q = questions(members=members(("Leijten", "SP")), submitted="2008-12-22",
                  about="de gehandicapteninstellingen Amerpoort en Sherpa",
                  reason="van de betrokken instellingen nog nadere informatie moet worden "
                         "ontvangen", expected="omstreeks 20 januari 2009")
    assert k.postponement_sentences(q, "22 december 2008") == [
        "De vragen van het lid Leijten (SP) over de gehandicapteninstellingen Amerpoort en "
        "Sherpa (ingezonden 22 december 2008) kunnen tot mijn spijt niet binnen de gebruikelijke "
        "termijn worden beantwoord.",
        "De reden van het uitstel is dat van de betrokken instellingen nog nadere informatie "
        "moet worden ontvangen.",
        "De beantwoording zal plaatshebben omstreeks 20 januari 2009.",
    ]


def test_a_second_postponement_asks_again_as_published():
    """The second uitstel of 3 December 2009 (Zijlstra, VVD): "opnieuw om uitstel"."""
    q = questions(members=members(("Zijlstra", "VVD")), submitted="2009-09-04",
                  about="de gerechtelijke vonnissen", repeat=True,
                  reason="de vragen grote samenhang hebben met de discussie met het Indisch "
                         "Platform over backpay en oorlogsschade",
                  expected="omstreeks half februari 2010")
    first, reason, when = k.postponement_sentences(q, "4 september 2009")
    assert reason.startswith("De reden van het uitstel is dat de vragen grote samenhang hebben")
    assert reason.endswith("oorlogsschade. Ik verzoek u vanwege voornoemde reden opnieuw om "
                           "uitstel.")
    assert when == "De beantwoording zal plaatshebben omstreeks half februari 2010."


def test_postponement_without_expected_date_has_two_moves():
    q = questions(reason="nog overleg nodig is", expected=None)
    assert len(k.postponement_sentences(q, "20 december 2024")) == 2


def test_covering_sentence_and_subjects():
    q = questions()
    assert k.covering_sentence(q, "20 december 2024") == (
        "Hierbij zend ik u de antwoorden op de vragen van het lid Erkens (VVD) over overbodige "
        "functies, adviesorganen en doublures bij de Rijksoverheid in relatie tot voorgenomen "
        "besparingen op het overheidsapparaat (ingezonden 20 december 2024, kenmerk 2024Z21580).")
    behalf = questions(on_behalf_of=["de Minister van Financiën"])
    assert k.covering_sentence(behalf, "20 december 2024").startswith(
        "Hierbij zend ik u, mede namens de Minister van Financiën, de antwoorden op de vragen "
        "van het lid Erkens (VVD) over ")
    assert k.default_subject("antwoorden", "x") == "Antwoorden Kamervragen over x"
    assert k.default_subject("uitstel", "x") == "Uitstel beantwoording Kamervragen over x"


@pytest.mark.parametrize("who, joint, expected", [
    ([("Erkens", "VVD")], None, "het lid Erkens (VVD)"),
    ([("Thieme", "PvdD"), ("Van Gent", "GL")], None, "de leden Thieme (PvdD) en Van Gent (GL)"),
    ([("Omtzigt", "CDA"), ("Van Helvert", "CDA")], None, "de leden Omtzigt en Van Helvert "
                                                        "(beiden CDA)"),
    ([("Bouchallikh", "GroenLinks"), ("Bromet", "GroenLinks"), ("Kröger", "GroenLinks")], None,
     "de leden Bouchallikh, Bromet en Kröger (allen GroenLinks)"),
    ([("De Vries", "D66"), ("Jansen", "CDA"), ("Bakker", "SP")], None,
     "de leden De Vries (D66), Jansen (CDA) en Bakker (SP)"),
    ([("A", None), ("B", None), ("C", None)], "allen GroenLinks",
     "de leden A, B en C (allen GroenLinks)"),
])
def test_member_list_wording(who, joint, expected):
    assert k.member_list(members(*who), joint) == expected


@pytest.mark.parametrize("title, name, ministry, expected", [
    ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "J.J.M. Uitermark", "",
     "Minister Uitermark (Binnenlandse Zaken en Koninkrijksrelaties)"),
    ("De Staatssecretaris van Justitie en Veiligheid", "E. van der Burg", "",
     "Staatssecretaris Van der Burg (Justitie en Veiligheid)"),
    ("De minister voor Medische Zorg", "mr. dr. Hugo de Jonge", "",
     "Minister De Jonge (Medische Zorg)"),
    ("De Minister-President", "M. Rutte", "Ministerie van Algemene Zaken",
     "Minister-President Rutte (Algemene Zaken)"),
])
def test_answered_by_from_the_signatory(title, name, ministry, expected):
    assert k.answered_by(SignatorySpec(title=title, name=name), ministry) == expected


# -- composing from a letter file -------------------------------------------------------------

ANSWERS = """\
kind: antwoorden
sender:
  ministry: bzk
recipient: tweede-kamer
date: 2025-01-08
kenmerk: "2025-0000000001"
questions:
  zaak: 2024Z21580
  submitted: 2024-12-20
  members:
    - {name: Erkens, party: VVD}
  about: overbodige functies
  items:
    - question: Deelt u de mening?[^q]
      answer: Ja.[^a] Zie ook noot.^[Een noot in het antwoord.]
    - question: Kunt u dat toelichten?
      answer_see: 1
footnotes:
  q: Een noot in de vraag.
  a: Een noot in het antwoord.
minister:
  title: De Minister van Binnenlandse Zaken en Koninkrijksrelaties
  name: J.J.M. Uitermark
"""

UITSTEL = """\
kind: uitstel
sender:
  ministry: bzk
recipient: tweede-kamer
date: 2025-01-08
kenmerk: "2025-0000000002"
questions:
  zaak: 2024Z21580
  submitted: 2024-12-20
  members:
    - {name: Erkens, party: VVD}
  about: overbodige functies
  reason: nog informatie nodig is
  expected: omstreeks 1 februari 2025
minister:
  title: De Minister van Binnenlandse Zaken en Koninkrijksrelaties
  name: J.J.M. Uitermark
"""


def test_answers_file_makes_the_covering_letter_and_the_answers_paper(write_letter):
    letter, answers = compose_papers(write_letter(ANSWERS, "antw.yaml"))
    assert (letter.paper, letter.stem) == ("letter", "antw")
    assert (answers.paper, answers.stem) == ("answers", "antw-antwoorden")
    assert letter.subject == "Antwoorden Kamervragen over overbodige functies"
    assert (letter.your_reference, letter.your_letter_date) == ("2024Z21580", "20 december 2024")
    assert letter.attachments == (answers.answers.title,)
    assert answers.answers.title == ("Antwoorden op Kamervragen van het lid Erkens (VVD) over "
                                     "overbodige functies (kenmerk 2024Z21580, ingezonden "
                                     "20 december 2024)")
    assert [plain_text(b.inlines) for b in letter.blocks] == [
        "Hierbij zend ik u de antwoorden op de vragen van het lid Erkens (VVD) over overbodige "
        "functies (ingezonden 20 december 2024, kenmerk 2024Z21580)."]
    assert letter.footnotes == ()
    texts = [(type(b).__name__, plain_text(b.inlines)) for b in answers.blocks]
    assert texts == [
        ("Heading", "Vraag 1"), ("Paragraph", "Deelt u de mening?1"),
        ("Heading", "Antwoord 1"), ("Paragraph", "Ja.2 Zie ook noot.3"),
        ("Heading", "Vraag 2"), ("Paragraph", "Kunt u dat toelichten?"),
        ("Heading", "Antwoord 2"), ("Paragraph", "Zie het antwoord op vraag 1."),
    ]
    assert all(b.level == 2 for b in answers.blocks if isinstance(b, Heading))
    # one footnote series over questions and answers
    assert [(n.number, plain_text(n.inlines)) for n in answers.footnotes] == [
        (1, "Een noot in de vraag."), (2, "Een noot in het antwoord."),
        (3, "Een noot in het antwoord.")]
    assert answers.signatories == () and answers.opening is None
    assert answers.answers.question_head.startswith("Vragen van het lid Erkens (VVD) aan de "
                                                    "Minister van Binnenlandse Zaken en ")
    assert readable(answers.answers.answer_head) == ("Antwoord van Minister Uitermark (Binnenlandse Zaken "
                                           "en Koninkrijksrelaties) (ontvangen 8 januari 2025).")


def test_written_subject_sections_and_references_replace_the_generated_ones(write_letter):
    text = ANSWERS.replace("questions:", textwrap.dedent("""\
        subject: Eigen onderwerp
        your_reference: eigen kenmerk
        your_letter_date: 2024-12-21
        attachments: [Een andere bijlage]
        sections:
          - text: Eigen tekst.
        questions:"""))
    letter, _ = compose_papers(write_letter(text))
    assert letter.subject == "Eigen onderwerp"
    assert (letter.your_reference, letter.your_letter_date) == ("eigen kenmerk",
                                                                "21 december 2024")
    assert [plain_text(b.inlines) for b in letter.blocks] == ["Eigen tekst."]
    assert letter.attachments[0] == "Een andere bijlage" and len(letter.attachments) == 2


def test_postponement_letter_has_the_three_moves(write_letter):
    (letter,) = compose_papers(write_letter(UITSTEL))
    assert letter.subject == "Uitstel beantwoording Kamervragen over overbodige functies"
    assert [plain_text(b.inlines) for b in letter.blocks] == [
        "De vragen van het lid Erkens (VVD) over overbodige functies (ingezonden 20 december "
        "2024) kunnen tot mijn spijt niet binnen de gebruikelijke termijn worden beantwoord.",
        "De reden van het uitstel is dat nog informatie nodig is.",
        "De beantwoording zal plaatshebben omstreeks 1 februari 2025.",
    ]
    assert all(isinstance(b, Paragraph) for b in letter.blocks)
    assert (letter.your_reference, letter.your_letter_date) == ("2024Z21580", "20 december 2024")
    assert letter.attachments == () and letter.warnings == ()


def test_written_sections_with_generated_fields_are_not_mixed_silently(write_letter):
    path = write_letter(UITSTEL.replace("minister:", "sections:\n  - text: Eigen tekst.\n"
                                                     "minister:"))
    (letter,) = compose_papers(path)
    assert [plain_text(b.inlines) for b in letter.blocks] == ["Eigen tekst."]
    (warning,) = letter.warnings
    assert warning.severity == "warning" and warning.field == "sections"
    assert warning.line == 15
    assert "questions.reason and questions.expected are not printed" in warning.message


def test_your_letter_date_is_there_for_every_kind(write_letter):
    from conftest import MINIMAL
    (letter,) = compose_papers(write_letter(MINIMAL + "your_letter_date: 2024-02-20\n"))
    assert letter.your_letter_date == "20 februari 2024"


def test_existing_letters_stay_briefs_with_one_paper():
    for path in (SEED_2019, SEED_2023, LETTERS.parent / "tests/fixtures/long-letter.yaml"):
        papers = compose_papers(path)
        assert [p.paper for p in papers] == ["letter"]
        assert papers[0].your_letter_date is None and papers[0].answers is None


# -- rules: errors with file, line and field ---------------------------------------------------

def problems(path):
    with pytest.raises(LetterError) as caught:
        compose_papers(path)
    return caught.value.problems


def only(found, words):
    hits = [p for p in found if words in p.message]
    assert hits, [str(p) for p in found]
    return hits[0]


@pytest.mark.parametrize("text, field, line, words", [
    (ANSWERS.replace("kind: antwoorden\n", ""), "questions", 6,
     "add 'kind: antwoorden' or 'kind: uitstel'"),
    (ANSWERS.replace("submitted: 2024-12-20", "submitted: 2025-01-09"), "questions.submitted",
     9, "after the letter's date"),
    (ANSWERS.replace("answer_see: 1", "answer_see: 2"), "questions.items[2].answer_see", 17,
     "which is itself"),
    (ANSWERS.replace("      answer_see: 1", "      answer_see: 1\n      answer: Ook."),
     "questions.items[2].answer_see", 17, "both an 'answer' and 'answer_see'"),
    (ANSWERS.replace("  items:", "  items: []\n  x:").split("  x:")[0] + ANSWERS.split(
        "      answer_see: 1\n")[1], "questions.items", 13, "needs the questions and answers"),
    (ANSWERS.replace("{name: Erkens, party: VVD}", "{name: Erkens}"), "questions.members[1]",
     11, "give the party of Erkens"),
    (ANSWERS.replace("zaak:", "zaak_nr:"), "questions.zaak_nr", 8, "did you mean 'zaak'"),
    (ANSWERS.replace("  items:", "  aanhangsel: {vergaderjaar: 2024-2026, nr: 1}\n  items:"),
     "questions.aanhangsel.vergaderjaar", 13, "two following years"),
    (ANSWERS.replace("  items:", "  reason: x\n  items:"), "questions.reason", 13,
     "belongs to a postponement"),
    (UITSTEL.replace("  reason: nog informatie nodig is\n", ""), "questions.reason", None,
     "gives its reason"),
    (UITSTEL.replace("  reason:", "  items:\n    - {question: x, answer: y}\n  reason:"),
     "questions.items", 13, "has no answers"),
    (ANSWERS.replace("questions:", "questionz:"), "questionz", 7, "did you mean 'questions'"),
])
def test_rules_of_the_questions_block(write_letter, text, field, line, words):
    problem = only(problems(write_letter(text)), words)
    assert problem.field == field
    if line is not None:
        assert problem.line == line
    else:
        assert problem.line is not None


def test_a_kind_needs_questions_and_a_brief_needs_subject_and_sections(write_letter):
    found = problems(write_letter(UITSTEL.split("questions:")[0] + "minister:\n  title: T\n"
                                  "  name: N\n"))
    assert only(found, "the required field 'questions' is missing")
    assert not [p for p in found if "'subject'" in p.message or "'sections'" in p.message]


def test_answer_see_forward(write_letter):
    text = ANSWERS.replace("      answer: Ja.[^a] Zie ook noot.^[Een noot in het antwoord.]",
                           "      answer_see: 2").replace("  a: Een noot in het antwoord.\n", "")
    problem = only(problems(write_letter(text)), "which is later")
    assert (problem.field, problem.line) == ("questions.items[1].answer_see", 15)


def test_a_footnote_of_the_answers_is_checked_and_counted_as_called(write_letter):
    found = problems(write_letter(ANSWERS.replace("Ja.[^a]", "Ja.[^b]")))
    assert only(found, "[^b] has no footnote").field == "questions.items[1].answer"
    assert only(found, "'a' is never called").field == "footnotes.a"


# -- deadlines: warnings, not errors ----------------------------------------------------------

def deadline_warnings(write_letter, text, days, extra=""):
    date = dt.date(2024, 12, 20) + dt.timedelta(days=days)
    text = text.replace("date: 2025-01-08", f"date: {date}").replace("  items:", extra +
                                                                     "  items:")
    found = check_file(write_letter(text))
    assert all(p.severity == "warning" for p in found), [str(p) for p in found]
    return [p for p in found if p.field == "date"]


@pytest.mark.parametrize("days, uitstel_sent, expected", [
    (21, False, []), (22, False, ["21 days"]), (22, True, []),
    (42, True, []), (43, True, ["42 days"]), (43, False, ["21 days", "42 days"]),
])
def test_deadline_warnings_for_answers(write_letter, days, uitstel_sent, expected):
    extra = "  uitstel_sent: 2025-01-09\n" if uitstel_sent else ""
    found = deadline_warnings(write_letter, ANSWERS, days, extra)
    assert [w for words in expected for w in [words] if any(words in p.message for p in found)] \
        == expected
    assert len(found) == len(expected)
    assert all(p.line == 5 for p in found)


@pytest.mark.parametrize("days, repeat, count", [(21, False, 0), (22, False, 1), (30, True, 0)])
def test_deadline_warning_for_a_postponement(write_letter, days, repeat, count):
    text = UITSTEL.replace("  reason:", "  repeat: true\n  reason:") if repeat else UITSTEL
    date = dt.date(2024, 12, 20) + dt.timedelta(days=days)
    found = check_file(write_letter(text.replace("date: 2025-01-08", f"date: {date}")))
    assert len([p for p in found if "due within 21 days" in p.message]) == count
    assert all(p.severity == "warning" for p in found)


def test_check_prints_warnings_and_says_valid(write_letter, capsys):
    path = write_letter(ANSWERS.replace("date: 2025-01-08", "date: 2025-02-04"), "laat.yaml")
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "laat.yaml:5: warning: date: the answers are dated 46 days after" in err
    assert "laat.yaml: valid" in err


# -- the starting files and the schema --------------------------------------------------------

@pytest.mark.parametrize("kind, papers", [("antwoorden", 2), ("uitstel", 1)])
def test_new_writes_a_commented_valid_starting_file_of_the_kind(tmp_path, capsys, kind, papers):
    path = tmp_path / f"{kind}.yaml"
    assert main(["new", "--kind", kind, str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert f"kind: {kind}\n" in text and text.count("#") > 10
    assert main(["check", str(path)]) == 0
    assert len(compose_papers(path)) == papers


def test_schema_describes_the_kinds_and_the_questions_block(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["kind"]["enum"] == ["brief", "antwoorden", "uitstel"]
    assert {"your_letter_date", "questions"} <= set(schema["properties"])
    block = schema["$defs"]["QuestionsSpec"]
    assert set(block["required"]) == {"zaak", "submitted", "members", "about"}
    assert {"parties_joint", "addressees", "answered_by", "on_behalf_of", "aanhangsel", "items",
            "uitstel_sent", "reason", "expected", "repeat"} <= set(block["properties"])
    assert block["additionalProperties"] is False
    assert set(schema["$defs"]["ItemSpec"]["properties"]) == {"question", "answer", "answer_see"}
