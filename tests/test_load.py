"""Reading letter files: YAML, JSON and TOML, syntax errors, duplicate keys, lines."""

from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w
import yaml

from kamerbrief.compose import compose_file
from kamerbrief.compose.textrules import readable
from kamerbrief.letter.load import read_source
from kamerbrief.problems import LetterError

from conftest import MINIMAL, SEED_2019, SEED_2023


def _as_plain(path):
    """The seed's data with dates as ISO text (the form JSON has to use)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["date"] = data["date"].isoformat()
    return data


@pytest.mark.parametrize("seed", [SEED_2019, SEED_2023], ids=["2019", "2023"])
def test_json_toml_and_yaml_give_the_same_document(seed, tmp_path):
    data = _as_plain(seed)
    as_json = tmp_path / f"{seed.stem}.json"
    as_json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    as_toml = tmp_path / f"{seed.stem}.toml"
    as_toml.write_text(tomli_w.dumps(data), encoding="utf-8")
    original = compose_file(seed)
    for other in (as_json, as_toml):
        document = compose_file(other)
        assert document.blocks == original.blocks
        assert document.footnotes == original.footnotes
        assert document.sender == original.sender
        assert (document.date_text, document.kenmerk, document.subject, document.recipient) == (
            original.date_text, original.kenmerk, original.subject, original.recipient)
        assert document.stem == original.stem


def test_toml_with_native_date_loads(write_letter):
    data = yaml.safe_load(MINIMAL)
    path = write_letter(tomli_w.dumps(data), "brief.toml")
    assert "date = 2024-03-01" in path.read_text()
    assert readable(compose_file(path).date_text) == "1 maart 2024"
    assert tomllib.loads(path.read_text())


def test_yaml_syntax_error_names_the_line(write_letter):
    path = write_letter(MINIMAL.replace("subject: Proefbrief", "subject: [Proefbrief"))
    with pytest.raises(LetterError) as caught:
        read_source(path)
    (problem,) = caught.value.problems
    assert problem.line in (6, 7)
    assert "cannot be read" in problem.message


def test_json_syntax_error_names_the_line(write_letter):
    path = write_letter('{\n  "subject": "x",\n  "sender": {\n}', "brief.json")
    with pytest.raises(LetterError) as caught:
        read_source(path)
    assert caught.value.problems[0].line == 4


def test_toml_syntax_error_names_the_line(write_letter):
    path = write_letter('subject = "x"\nsender = \n', "brief.toml")
    with pytest.raises(LetterError) as caught:
        read_source(path)
    assert caught.value.problems[0].line == 2


@pytest.mark.parametrize("name, text", [
    ("brief.yaml", MINIMAL + "subject: Nog een keer\n"),
    ("brief.json", json.dumps(yaml.safe_load(MINIMAL) | {"date": "2024-03-01"})[:-1]
     + ', "subject": "Nog een keer"}'),
])
def test_duplicate_keys_are_errors(write_letter, name, text):
    path = write_letter(text, name)
    with pytest.raises(LetterError) as caught:
        compose_file(path)
    messages = [str(p) for p in caught.value.problems]
    assert any("'subject' is given twice" in m for m in messages), messages


def test_a_list_at_the_top_is_refused(write_letter):
    with pytest.raises(LetterError) as caught:
        read_source(write_letter("- a\n- b\n"))
    assert "set of fields" in caught.value.problems[0].message


def test_other_file_types_are_refused(write_letter):
    with pytest.raises(LetterError) as caught:
        read_source(write_letter("subject: x", "brief.txt"))
    assert ".yaml" in caught.value.problems[0].message


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_bytes(MINIMAL.replace("Proefbrief", "Proefbrief é").encode("latin-1"))
    with pytest.raises(LetterError) as caught:
        read_source(path)
    assert "UTF-8" in caught.value.problems[0].message
    assert caught.value.problems[0].line == 6
