"""Hostile and odd letter files (issue 9, sections 1-3; issue 17, messages): every one is
refused by `check` with the file, the line and the field, and `build` agrees; none crashes,
hangs, expands or loses text silently."""

from __future__ import annotations

import json
import textwrap

import pytest
import tomli_w
import yaml

from kamerbrief.cli import main
from kamerbrief.compose import check_file, compose_file
from kamerbrief.document import plain_text
from kamerbrief.letter import limits

from conftest import MINIMAL

BODY = "  - text: |\n      Een alinea.\n"


def with_body(markdown: str) -> str:
    """MINIMAL with this Markdown as its one section's text (from line 9 on)."""
    text = textwrap.indent(textwrap.dedent(markdown).strip("\n"), "      ")
    return MINIMAL.replace(BODY, f"  - text: |\n{text}\n")


def refused(path, line, field, *words):
    """The one problem the test is about: named by file, line and field, in these words."""
    found = check_file(path)
    errors = [p for p in found if p.severity == "error"]
    assert errors, "expected the letter to be refused"
    hits = [p for p in errors if all(w in p.message for w in words)]
    assert hits, [str(p) for p in found]
    problem = hits[0]
    assert problem.file.endswith(path.name)
    assert (problem.line, problem.field) == (line, field), str(problem)
    return problem


# -- 1. bounded resources --------------------------------------------------------------------

BILLION_LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n"
                         for i in range(1, 10))


@pytest.mark.parametrize("text, line, field, words", [
    ("a: &a [lol, lol]\n" + BILLION_LAUGHS.replace("&l1 [*l0", "&l1 [*a")
     .replace("*l0", "*a") + MINIMAL, 1, "a", ["'&a'", "anchor"]),
    (MINIMAL + "closing: *groet\n", 13, "closing", ["'*groet'", "alias"]),
    (MINIMAL.replace("sections:", "sections: &body").replace("minister:", "opening: x\nminister:")
     + "footnotes: *body\n", 7, "sections", ["'&body'"]),
], ids=["billion-laughs", "alias", "repeated-sections"])
def test_anchors_and_aliases_are_refused_before_expansion(write_letter, text, line, field,
                                                          words):
    refused(write_letter(text), line, field, *words)


DEEP = 100_000


@pytest.mark.parametrize("name, text, line", [
    ("brief.yaml", "opening: " + "[" * DEEP + "]" * DEEP + "\n", 1),
    ("brief.yaml", "opening:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), 17),
    ("brief.yaml", "opening: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", 1),
    ("brief.json", '{"opening": ' + "[" * DEEP + "]" * DEEP + "}", 1),
    ("brief.toml", "opening = " + "[" * DEEP + "]" * DEEP + "\n", 1),
    ("brief.toml", "opening = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", 1),
    ("brief.toml", "opening" + ".a" * 5000 + " = 1\n", 1),
], ids=["yaml-flow", "yaml-block", "yaml-mappings", "json", "toml-arrays", "toml-tables",
        "toml-dotted"])
def test_deep_nesting_is_refused_before_parsing(write_letter, name, text, line):
    problem = refused(write_letter(text, name), line, check_file(write_letter(text, name))[0].field,
                      "nested more than", str(limits.MAX_DEPTH))
    assert problem.field.startswith("opening")


def test_a_file_above_the_size_limit_is_refused_unread(write_letter):
    path = write_letter(MINIMAL + "# " + "x" * limits.MAX_FILE_BYTES + "\n")
    (problem,) = check_file(path)
    assert f"at most {limits.MAX_FILE_BYTES:,} bytes" in problem.message
    assert problem.file.endswith("brief.yaml")


def test_too_many_sections_footnotes_signatories_and_items(write_letter):
    sections = "".join(f"  - heading: Kop {i}\n" for i in range(limits.MAX_SECTIONS + 1))
    notes = "".join(f"[^n{i}]" for i in range(limits.MAX_FOOTNOTES + 1))
    text = (MINIMAL.replace(BODY, BODY + sections).replace("Een alinea.", "Een alinea." + notes)
        + "footnotes:\n" + "".join(f"  n{i}: Bron {i}.\n" for i in range(limits.MAX_FOOTNOTES + 1))
        + "attachments:\n" + "- bijlage\n" * (limits.MAX_ITEMS + 1))
    text = text.replace("minister:\n  title: De Minister van Justitie en Veiligheid\n"
                        "  name: A. Proef\n",
                        "minister:\n" + "  - title: De Minister\n    name: A. Proef\n"
                        * (limits.MAX_SIGNATORIES + 1))
    found = {p.field: p for p in check_file(write_letter(text))}
    assert f"at most {limits.MAX_SECTIONS}" in found["sections"].message
    assert f"at most {limits.MAX_FOOTNOTES}" in found["footnotes"].message
    assert f"at most {limits.MAX_SIGNATORIES}" in found["minister"].message
    assert f"at most {limits.MAX_ITEMS}" in found["attachments"].message
    assert all(p.line for p in found.values()), [str(p) for p in found.values()]


@pytest.mark.parametrize("field, line, value, words", [
    ("subject", 6, "a" * (limits.MAX_LINE_CHARS + 1), "at most"),
    ("sections[1].text", 8, "|\n      " + "woord " * (limits.MAX_TEXT_CHARS // 6 + 1),
     f"at most {limits.MAX_TEXT_CHARS}"),
])
def test_a_field_above_its_length_is_refused(write_letter, field, line, value, words):
    if field == "subject":
        text = MINIMAL.replace("subject: Proefbrief", f"subject: {value}")
    else:
        text = MINIMAL.replace("|\n      Een alinea.", value)
    refused(write_letter(text), line, field, words)


@pytest.mark.parametrize("name, text", [
    ("brief.yaml", MINIMAL.replace("Proefbrief", "1" * 5001)),
    ("brief.json", json.dumps(yaml.safe_load(MINIMAL) | {"date": "2024-03-01"})
     .replace('"Proefbrief"', "1" * 5001)),
    ("brief.toml", tomli_w.dumps(yaml.safe_load(MINIMAL)).replace('"Proefbrief"', "1" * 5001)),
], ids=["yaml", "json", "toml"])
def test_a_number_of_thousands_of_digits_is_refused(write_letter, name, text):
    path = write_letter(text, name)
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "1" * 40 in row)
    refused(path, line, "subject", f"more than {limits.MAX_NUMBER_DIGITS} digits")


def test_a_letter_just_under_the_limits_is_valid(write_letter):
    notes = "".join(f"[^n{i}]" for i in range(limits.MAX_FOOTNOTES))
    text = (MINIMAL.replace("Een alinea.", "Een alinea." + notes)
            .replace("subject: Proefbrief", "subject: " + "a" * limits.MAX_LINE_CHARS)
            + "footnotes:\n" + "".join(f"  n{i}: Bron {i}.\n" for i in range(limits.MAX_FOOTNOTES)))
    document = compose_file(write_letter(text))
    assert len(document.footnotes) == limits.MAX_FOOTNOTES


# -- 2. nothing lost silently ----------------------------------------------------------------

def test_lists_nested_too_deep_are_refused_with_their_line(write_letter):
    items = "\n".join("  " * i + f"- punt {i}" for i in range(12))
    refused(write_letter(with_body("Eerst.\n\n" + items + "\n\nDaarna.")),
            9 + 2 + limits.MAX_BLOCK_NESTING, "sections[1].text", "nested more than")


def test_quotes_nested_too_deep_are_refused(write_letter):
    refused(write_letter(with_body("Eerst.\n\n" + "> " * 25 + "citaat\n\nDaarna.")), 11,
            "sections[1].text", "nested more than")


def test_lists_and_quotes_as_deep_as_allowed_keep_all_text(write_letter):
    items = "\n".join("  " * i + f"- punt{i}" for i in range(limits.MAX_BLOCK_NESTING))
    document = compose_file(write_letter(with_body(items + "\n\nDaarna.")))
    text = repr(document.blocks)
    assert all(f"punt{i}" in text for i in range(limits.MAX_BLOCK_NESTING)) and "Daarna" in text


def test_a_word_too_long_for_a_line_is_refused(write_letter):
    refused(write_letter(with_body("Eerst.\n\nEen " + "x" * 300 + " woord.")), 11,
            "sections[1].text", "too long for a line")


def test_a_long_link_behind_words_is_fine(write_letter):
    link = "https://example.org/" + "a" * 300
    assert check_file(write_letter(with_body(f"Zie [de bron]({link})."))) == []


ADDRESS = """recipient:
  name: [{name}]
  address: [Postbus 20018]
  postcode: 2500 EA
  city: Den Haag"""


def test_a_recipient_that_wraps_beyond_the_window_is_refused(write_letter):
    long = "De Voorzitter van de Vaste Commissie voor Binnenlandse Zaken en Koninkrijksrelaties"
    text = MINIMAL.replace("recipient: tweede-kamer", ADDRESS.format(
        name=", ".join([long] * 3)))
    refused(write_letter(text), 3, "recipient", "printed lines", "holds 6")


def test_a_line_break_inside_a_recipient_line_is_refused(write_letter):
    text = MINIMAL.replace("recipient: tweede-kamer", ADDRESS.format(name='"Een\\nTwee"'))
    refused(write_letter(text), 4, "recipient.name[1]", "one line")


def test_a_signatory_word_too_wide_for_its_column_is_refused(write_letter):
    people = "".join(f"  - title: De Staatssecretarisvanbinnenlandsezaken{i}\n    name: A. B.\n"
                     for i in range(limits.MAX_SIGNATORIES))
    text = MINIMAL.replace("minister:\n  title: De Minister van Justitie en Veiligheid\n"
                           "  name: A. Proef\n", "minister:\n" + people)
    refused(write_letter(text), 11, "minister[1].title", "too wide")


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_direction_overrides_are_refused(write_letter, char):
    refused(write_letter(with_body(f"Eerst.\n\nDaarna {char}omgekeerd\u202c.")), 11,
            "sections[1].text", "reading direction", f"U+{ord(char):04X}")


@pytest.mark.parametrize("field, old, new, line", [
    ("subject", "subject: Proefbrief", "subject: '   '", 6),
    ("kenmerk", 'kenmerk: "2024-0000000001"', 'kenmerk: " \\t "', 5),
])
def test_whitespace_only_subject_or_kenmerk_is_refused(write_letter, field, old, new, line):
    refused(write_letter(MINIMAL.replace(old, new)), line, field, "must not be empty")


def test_a_footnote_inside_an_inline_footnote_is_refused(write_letter):
    refused(write_letter(with_body("Eerst.\n\nTekst^[buiten ^[binnen] buiten].")), 11,
            "sections[1].text", "cannot hold another footnote")


def test_a_footnote_call_inside_a_footnote_is_refused(write_letter):
    text = MINIMAL.replace("Een alinea.", "Een alinea.[^a][^b]") + (
        "footnotes:\n  a: Zie ook[^b].\n  b: Bron.\n")
    refused(write_letter(text), 14, "footnotes.a", "cannot hold another footnote")


# -- 3. check and build agree; lines and fields ------------------------------------------------

@pytest.mark.parametrize("old, new, line, field, words", [
    ("subject: Proefbrief", "subject: " + "a" * 256, 6, "subject", ["at most"]),
    ('kenmerk: "2024-0000000001"', 'kenmerk: "' + "k" * 244 + '"', 5, "kenmerk", ["at most"]),
    ("2024-03-01", "2108-03-01", 4, "date", ["2108", "1980–2107"]),
    ("2024-03-01", "1979-12-31", 4, "date", ["1979"]),
    ("subject: Proefbrief", "subject: !!binary UHJvZWZicmllZg==", 6, "subject", ["!!binary"]),
    ("subject: Proefbrief", "subject: !!str Proef", 6, "subject", ["!!str"]),
    ("date: 2024-03-01", "date: null", 4, "date", ["empty"]),
    ("date: 2024-03-01", "date:", 4, "date", ["empty"]),
    ("subject: Proefbrief", "subject: Proef\x07brief", 6, "subject", ["U+0007", "control"]),
    ("Een alinea.", "Een\x1balinea.", 9, "sections[1].text", ["U+001B"]),
], ids=["subject-256", "kenmerk-244", "year-2108", "year-1979", "binary", "tag", "date-null",
        "date-empty", "control-in-subject", "control-in-text"])
def test_check_refuses_what_build_would_refuse(write_letter, tmp_path, capsys, old, new, line,
                                                field, words):
    path = write_letter(MINIMAL.replace(old, new))
    problem = refused(path, line, field, *words)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert str(problem) in err
    assert not list(out.glob("*.pdf")) and not list(out.glob("*.docx"))


@pytest.mark.parametrize("key", ["5", "yes", "no", "null", "1.5"])
def test_number_and_yes_no_keys_are_field_names_with_a_line(write_letter, key):
    refused(write_letter(MINIMAL + f"{key}: x\n"), 13, key, f"unknown field '{key}'")


def test_footnote_ids_that_look_like_numbers_work(write_letter):
    text = MINIMAL.replace("Een alinea.", "Een alinea.[^1] En[^yes].") + (
        "footnotes: {1: Eerste bron., yes: Tweede bron.}\n")
    document = compose_file(write_letter(text))
    assert [plain_text(n.inlines) for n in document.footnotes] == ["Eerste bron.", "Tweede bron."]


@pytest.mark.parametrize("text, line", [
    ('sections:\n  - text: "Eerste alinea.\\n\\nTweede [^x] alinea."\n', 8),
    ("sections:\n  - text: >\n      Eerste alinea.\n\n      Tweede [^x]\n      alinea.\n", 11),
    ("sections:\n  - text:\n      Eerste alinea.\n\n      Tweede\n      alinea [^x].\n", 12),
    ('sections:\n  - text: "Eerste alinea.\n\n      Tweede [^x] alinea."\n', 10),
], ids=["double-quoted-escapes", "folded", "plain-multiline", "double-quoted-multiline"])
def test_texts_that_are_not_literal_blocks_get_the_right_line(write_letter, text, line):
    letter = MINIMAL.replace("sections:\n" + BODY, text)
    refused(write_letter(letter), line, "sections[1].text", "[^x] has no footnote")


@pytest.mark.parametrize("link", ["foo/bar.html", "/etc/passwd", "file:///etc/passwd",
                                  "ftp://example.org/x", "brief.pdf", "https:relative"])
def test_links_that_are_not_web_or_mail_addresses_are_refused(write_letter, link):
    refused(write_letter(with_body(f"Eerst.\n\nZie [hier]({link}).")), 11, "sections[1].text",
            "not a web or mail address")


@pytest.mark.parametrize("link", ["https://www.rijksoverheid.nl/", "http://example.org/a?b=c",
                                  "mailto:info@example.org"])
def test_web_and_mail_links_pass(write_letter, link):
    assert check_file(write_letter(with_body(f"Zie [hier]({link})."))) == []


# -- messages (issue 17) ---------------------------------------------------------------------

def test_a_misspelled_field_is_not_also_reported_missing(write_letter):
    found = check_file(write_letter(MINIMAL.replace("kenmerk:", "kenmerkk:")))
    assert [(p.line, p.field) for p in found] == [(5, "kenmerkk")], [str(p) for p in found]
    assert "did you mean 'kenmerk'" in found[0].message


def test_a_misspelled_signatory_field_is_not_also_reported_missing(write_letter):
    text = MINIMAL.replace("minister:\n  title: De Minister van Justitie en Veiligheid\n"
                           "  name: A. Proef\n", "minister:\n  - titel: De Minister\n"
                           "    name: A. Proef\n  - title: De Staatssecretaris\n    nam: B.\n")
    found = check_file(write_letter(text))
    assert [(p.line, p.field) for p in found] == [(11, "minister[1].titel"),
                                                  (14, "minister[2].nam")], [str(p) for p in found]


@pytest.mark.parametrize("old, new, line, field", [
    ("subject: Proefbrief\n", "", 5, ""),                      # the field before it: kenmerk
    ("sender:\n  ministry: jenv\n", "", 1, ""),                # before it nothing: recipient
    ("  title: De Minister van Justitie en Veiligheid\n", "", 10, "minister.title"),
])
def test_a_missing_field_gets_the_line_of_its_parent_or_closest_key(write_letter, old, new,
                                                                    line, field):
    found = check_file(write_letter(MINIMAL.replace(old, new)))
    missing = [p for p in found if "missing" in p.message]
    assert missing and missing[0].line == line, [str(p) for p in found]


@pytest.mark.parametrize("old, new, line, words", [
    ("  ministry: jenv", "\tministry: jenv", 2, ["a tab is not allowed", "use spaces"]),
    ("  name: A. Proef", "  name:\tA. Proef\n\ttitle: x", 13, ["tab", "use spaces"]),
    ("subject: Proefbrief", "subject: Brief: over de begroting", 6, ["put the text in quotes"]),
    ("subject: Proefbrief", 'subject: "Proefbrief', 6, ["never closed"]),
], ids=["tab-indent", "tab-later", "colon", "open-quote"])
def test_yaml_errors_in_words_a_policy_officer_understands(write_letter, old, new, line, words):
    (problem,) = check_file(write_letter(MINIMAL.replace(old, new)))
    assert all(w in problem.message for w in words), str(problem)
    assert problem.line in (line, line + 1), str(problem)
    assert problem.field, str(problem)


@pytest.mark.parametrize("written, meant", [("bzkk", "bzk"), ("BZK", "bzk"), ("jenw", "jenv"),
                                            ("Binnenlandse Zaken en Koninkrijksrelaties", "bzk")])
def test_an_unknown_ministry_gets_a_suggestion(write_letter, written, meant):
    refused(write_letter(MINIMAL.replace("ministry: jenv", f"ministry: {written}")), 2,
            "sender.ministry", f"did you mean '{meant}'?")


def test_an_unknown_recipient_key_gets_a_suggestion(write_letter):
    refused(write_letter(MINIMAL.replace("tweede-kamer", "tweede kamer")), 3, "recipient",
            "did you mean 'tweede-kamer'?")


TOML = '''\
date = 2024-03-01
kenmerk = "2024-1"
subject = "Proef"
recipient = "tweede-kamer"

[sender]
ministry = "jenv"

[[sections]]
text = "Een alinea."

[[sections]]
heading = "Kop"
text = """
Eerste regel.

Tweede [^x] regel."""

[[sections.sections]]
text = "Sub [^y]."

[minister]
title = "De Minister"
name = "A. B."
titel = "x"
'''


def test_toml_lines_point_at_the_right_key(write_letter):
    found = {p.field: p.line for p in check_file(write_letter(TOML, "brief.toml"))}
    assert found == {"sections[2].text": 17, "sections[2].sections[1].text": 20,
                     "minister[1].titel": 25}, found


def test_raw_html_is_reported_as_a_warning_and_printed_as_written(write_letter, capsys):
    path = write_letter(with_body("Eerst.\n\nDit is <b>vet</b> en <script>x</script>."))
    (problem,) = check_file(path)
    assert (problem.severity, problem.line, problem.field) == ("warning", 11, "sections[1].text")
    assert "'<b>' looks like HTML" in problem.message
    assert main(["check", str(path)]) == 0
    assert "warning" in capsys.readouterr().err
    assert "<script>x</script>" in repr(compose_file(path).blocks)


def test_the_documentation_states_every_limit():
    from conftest import ROOT

    doc = (ROOT / "docs" / "letter-format.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = doc.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for what, limit in limits.describe():
        assert f"| {what} | {limit} |" in section, (what, limit)
    for number in (f"{limits.MAX_FILE_BYTES // 1024} kB", f"{limits.MAX_FOOTNOTES} ",
                   f"{limits.MAX_LINE_CHARS} characters", f"{limits.MAX_TEXT_CHARS:,} characters"):
        assert number in readme, number


def test_floods_of_bad_characters_are_reported_briefly(write_letter):
    cjk = "".join(chr(0x4E00 + i) for i in range(5000))
    text = with_body("Eerst.\n\n" + cjk + "\n\n" + "\u202e" * 3000).replace(
        "subject: Proefbrief", "subject: Proef" + "\x07" * 5000)
    found = check_file(write_letter(text))
    assert 3 < len(found) <= 20, [str(p) for p in found]
    assert any("and 2999 more times" in p.message for p in found)
    assert any("other characters that cannot be shown" in p.message for p in found)
    assert any("more control characters" in p.message for p in found)


def test_too_many_footnote_texts_are_one_problem(write_letter):
    text = MINIMAL + "footnotes:\n" + "".join(f"  n{i}: Bron.\n"
                                             for i in range(limits.MAX_FOOTNOTES + 1))
    found = check_file(write_letter(text))
    assert [p.field for p in found] == ["footnotes"], [str(p) for p in found[:5]]
    assert found[0].line == 13


def test_a_broken_layout_file_gets_a_sentence_not_a_traceback(write_letter, tmp_path,
                                                              monkeypatch, capsys):
    layout = tmp_path / "layout.toml"
    layout.write_text("[page\nx = 1\n", encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(layout))
    assert main(["check", str(write_letter(MINIMAL))]) == 1
    err = capsys.readouterr().err
    assert f"{layout}:1: the layout file is not valid TOML" in err
    assert "unset KAMERBRIEF_LAYOUT" in err
    assert "internal error" not in err and "Traceback" not in err
