"""Every rule of letter-format.md: each mistake is reported with file, line and field."""

from __future__ import annotations

import pytest

from kamerbrief.cli import main
from kamerbrief.compose import check_file, compose_file
from kamerbrief.document import Run, plain_text
from kamerbrief.problems import LetterError

from conftest import MINIMAL


def problems_of(path):
    found = check_file(path)
    assert found, "expected the letter to be rejected"
    return found


def only(found, text):
    hits = [p for p in found if text in p.message]
    assert hits, [str(p) for p in found]
    return hits[0]


THREE_MISTAKES = MINIMAL.replace("subject: Proefbrief", "subjet: Proefbrief").replace(
    "date: 2024-03-01", "date: 2024-02-30").replace("Een alinea.", "Een alinea.[^bron]")


def test_three_mistakes_give_three_messages_with_file_line_and_field(write_letter, capsys):
    path = write_letter(THREE_MISTAKES)
    found = problems_of(path)
    assert len(found) == 3, [str(p) for p in found]
    by_field = {p.field: p for p in found}
    assert by_field["subjet"].line == 6 and "did you mean 'subject'" in by_field["subjet"].message
    assert by_field["date"].line == 4 and "not a date that exists" in by_field["date"].message
    assert by_field["sections[1].text"].line == 9
    assert "[^bron] has no footnote" in by_field["sections[1].text"].message
    assert all(p.file.endswith("brief.yaml") for p in found)

    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("brief.yaml:") == 3
    assert "Traceback" not in err


def test_valid_letter_passes(write_letter):
    assert check_file(write_letter(MINIMAL)) == []


@pytest.mark.parametrize("old, new, field, words", [
    ("  ministry: jenv", "  ministry: jenv\n  minstry: x", "sender.minstry",
     "did you mean 'ministry'"),
    ("      Een alinea.", "      Een alinea.\n    txet: x", "sections[1].txet", "did you mean 'text'"),
    ("  name: A. Proef", "  name: A. Proef\n  titel: x", "minister[1].titel", "did you mean 'title'"),
])
def test_unknown_nested_fields_are_errors(write_letter, old, new, field, words):
    found = problems_of(write_letter(MINIMAL.replace(old, new)))
    problem = only(found, words)
    assert problem.field == field
    assert problem.line is not None


def test_missing_required_field(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("subject: Proefbrief\n", "")))
    assert only(found, "'subject' is missing")


@pytest.mark.parametrize("value, words", [
    ("2024-13-01", "not a date that exists"),
    ("1 maart 2024", "YYYY-MM-DD"),
    ("20240301", "YYYY-MM-DD"),
])
def test_dates(write_letter, value, words):
    problem = only(problems_of(write_letter(MINIMAL.replace("2024-03-01", value))), words)
    assert (problem.field, problem.line) == ("date", 4)


def test_kenmerk_must_be_text(write_letter):
    found = problems_of(write_letter(MINIMAL.replace('"2024-0000000001"', "12345")))
    assert only(found, "must be text").field == "kenmerk"


def test_status_is_final_or_draft(write_letter):
    found = problems_of(write_letter(MINIMAL + "status: klaar\n"))
    assert only(found, "'final'").field == "status"


@pytest.mark.parametrize("field", ["date", "kenmerk"])
def test_final_letter_needs_date_and_kenmerk(write_letter, field):
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(field))
    assert only(problems_of(write_letter(text + "\n")), f"'{field}' is missing")


def test_draft_may_leave_out_date_and_kenmerk(write_letter):
    text = "\n".join(line for line in MINIMAL.splitlines()
                     if not line.startswith(("date", "kenmerk")))
    document = compose_file(write_letter(text + "\nstatus: draft\n"))
    assert document.draft
    assert (document.date_text, document.kenmerk) == ("[datum]", "[kenmerk]")


def test_footnote_never_called(write_letter):
    found = problems_of(write_letter(MINIMAL + "footnotes:\n  los: Nergens aangeroepen.\n"))
    problem = only(found, "never called")
    assert (problem.field, problem.line) == ("footnotes.los", 14)


def test_inline_footnotes_are_allowed(write_letter):
    document = compose_file(write_letter(MINIMAL.replace(
        "Een alinea.", "Een alinea.^[Een *inline* voetnoot.]")))
    (note,) = document.footnotes
    assert note.number == 1 and note.label is None
    assert plain_text(note.inlines) == "Een inline voetnoot."
    assert Run("inline", italic=True) in note.inlines


def test_unknown_ministry_lists_the_valid_keys(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("ministry: jenv", "ministry: justitie")))
    problem = only(found, "not in the registry")
    assert problem.field == "sender.ministry" and problem.line == 2
    for key in ("az", "aenm", "bz", "bzk", "def", "ez", "fin", "ienw", "jenv", "kgg", "lvvn",
                "ocw", "szw", "vro", "vws"):
        assert key in problem.message


def test_unknown_unit_lists_the_units(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("ministry: jenv", "ministry: jenv\n  unit: ntcv")))
    assert "nctv" in only(found, "not a unit").message


def test_unknown_recipient_lists_the_valid_keys(write_letter):
    problem = only(problems_of(write_letter(MINIMAL.replace("tweede-kamer", "tweede_kamer"))),
                   "not in the registry")
    assert "eerste-kamer" in problem.message and "tweede-kamer" in problem.message
    assert problem.field == "recipient" and problem.line == 3


def test_inline_recipient_city_in_capitals(write_letter):
    document = compose_file(write_letter(MINIMAL.replace("recipient: tweede-kamer", """\
recipient:
  name: [De Voorzitter van de Eerste Kamer, der Staten-Generaal]
  address: [Binnenhof 22]
  postcode: 2513 AA
  city: Den Haag""")))
    assert document.recipient[-1] == "2513 AA DEN HAAG"


def test_recipient_over_six_lines_is_an_error(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("recipient: tweede-kamer", """\
recipient:
  name: [a, b, c, d, e]
  address: [Postbus 1]
  city: Den Haag""")))
    assert only(found, "7 lines").field == "recipient"


def test_sections_nest_three_deep_at_most(write_letter):
    deep = MINIMAL.replace("""  - text: |
      Een alinea.""", """  - heading: Een
    sections:
      - heading: Twee
        sections:
          - heading: Drie
            sections:
              - heading: Vier""")
    assert only(problems_of(write_letter(deep)), "three deep").field.endswith(
        "sections[1].sections[1].sections[1].sections[1]")


def test_empty_section(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("  - text: |\n      Een alinea.",
                                                     "  - text: Een alinea.\n  - text: ''")))
    assert only(found, "empty").field == "sections[2]"


def test_character_no_font_can_show_is_reported_with_its_line(write_letter):
    found = problems_of(write_letter(MINIMAL.replace("Een alinea.", "Een alinea.\n      Met 漢.")))
    problem = only(found, "U+6F22")
    assert (problem.field, problem.line) == ("sections[1].text", 10)


TEXT_IS_DATA = "{{ 7*7 }} {% if %} <script>alert(1)</script> & < «» ë ş ř € ≥ →"


def test_text_is_data_characters_pass_unchanged(write_letter):
    letter = MINIMAL.replace("subject: Proefbrief", f"subject: '{TEXT_IS_DATA}'").replace(
        "Een alinea.", TEXT_IS_DATA)
    document = compose_file(write_letter(letter))
    assert document.subject == TEXT_IS_DATA
    assert plain_text(document.blocks[0].inlines) == TEXT_IS_DATA


def test_every_problem_is_reported_at_once(write_letter):
    letter = THREE_MISTAKES.replace("ministry: jenv", "ministry: xyz").replace(
        "tweede-kamer", "derde-kamer")
    assert len(problems_of(write_letter(letter))) == 5


def test_letter_error_lists_all_problems(write_letter):
    with pytest.raises(LetterError) as caught:
        compose_file(write_letter(THREE_MISTAKES))
    assert len(caught.value.problems) == 3
