"""The JSON Schema (`kamerbrief schema`) accepts what `check` accepts and rejects what it
rejects, as far as JSON Schema can say it; the committed copy editors use is fresh."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kamerbrief.cli import main
from kamerbrief.compose import check_file
from kamerbrief.letter.load import read_source
from kamerbrief.letter.model import json_schema
from kamerbrief.letter.starters import STARTERS
from kamerbrief.paths import schema_path

from conftest import LETTERS, MINIMAL, ROOT

VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def schema_errors(path) -> list[str]:
    data = json.loads(json.dumps(read_source(path).data, default=str))  # TOML dates as text
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in VALIDATOR.iter_errors(data)]


def check_errors(path) -> list[str]:
    return [str(p) for p in check_file(path) if p.severity == "error"]


def test_schema_is_a_valid_json_schema_and_the_committed_copy_is_fresh(capsys):
    jsonschema.Draft202012Validator.check_schema(json_schema())
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema()
    assert json.loads(schema_path().read_text(encoding="utf-8")) == printed, (
        "templates/kamerbrief.schema.json is out of date: run `make schema`")


def test_every_letter_of_the_project_is_valid_for_the_schema():
    letters = [*LETTERS.glob("*.yaml"), *(ROOT / "tests" / "fixtures").glob("*.yaml")]
    assert len(letters) >= 3
    for path in letters:
        assert check_errors(path) == [], path
        assert schema_errors(path) == [], path


@pytest.mark.parametrize("kind", sorted(STARTERS))
@pytest.mark.parametrize("ministry", ["jenv", "bzk", "az"])
def test_the_output_of_new_is_valid_for_check_and_schema(tmp_path, kind, ministry):
    path = tmp_path / "letters" / "nieuw.yaml"
    assert main(["new", str(path), "--kind", kind, "--ministry", ministry,
                 "--subject", "Voortgang: de wet"]) == 0
    text = path.read_text(encoding="utf-8")
    first, _, reference = text.splitlines()[0].partition("$schema=")
    assert first == "# yaml-language-server: "
    assert (path.parent / reference).resolve() == schema_path()
    assert check_errors(path) == []
    assert schema_errors(path) == []
    assert read_source(path).data["subject"] == "Voortgang: de wet"


def test_a_new_letter_in_letters_points_at_the_schema_relatively():
    from kamerbrief.letter.starters import starting_letter

    text = starting_letter("brief", LETTERS / "nieuw.yaml")
    assert text.startswith("# yaml-language-server: $schema=../templates/kamerbrief.schema.json\n")


GOOD = {
    "minimal": MINIMAL,
    "list of signatories": MINIMAL.replace("minister:\n  title", "minister:\n  - title").replace(
        "  name: A. Proef", "    name: A. Proef\n  - title: De Staatssecretaris\n    name: B. Twee"),
    "draft without date and kenmerk": MINIMAL.replace("date: 2024-03-01\n", "").replace(
        'kenmerk: "2024-0000000001"\n', "") + "status: draft\n",
    "unit of the ministry": MINIMAL.replace("ministry: jenv", "ministry: jenv\n  unit: nctv"),
    "address": MINIMAL.replace("recipient: tweede-kamer", "recipient:\n  name: [De Voorzitter]\n"
                               "  address: [Postbus 1]\n  postcode: 2500 EA\n  city: Den Haag"),
    "eerste kamer": MINIMAL.replace("tweede-kamer", "eerste-kamer"),
    "quoted date": MINIMAL.replace("date: 2024-03-01", 'date: "2024-03-01"'),
    "three levels": MINIMAL.replace("  - text: |\n      Een alinea.\n",
                                    "  - heading: A\n    sections:\n      - heading: B\n"
                                    "        sections:\n          - text: C\n"),
    "sender override": MINIMAL.replace("ministry: jenv", "ministry: jenv\n  colofon_name: DGPenV"),
    "optional fields null": MINIMAL + "opening: null\nclosing: null\nyour_reference: null\n",
}

BAD = {
    "unknown ministry": MINIMAL.replace("ministry: jenv", "ministry: jenw"),
    "unit of another ministry": MINIMAL.replace("ministry: jenv", "ministry: bzk\n  unit: nctv"),
    "unknown recipient": MINIMAL.replace("tweede-kamer", "derde-kamer"),
    "date in another format": MINIMAL.replace("2024-03-01", "01-03-2024"),
    "date with month 13": MINIMAL.replace("2024-03-01", "2024-13-01"),
    "final letter without date": MINIMAL.replace("date: 2024-03-01\n", ""),
    "final letter without kenmerk": MINIMAL.replace('kenmerk: "2024-0000000001"\n', ""),
    "final letter with date null": MINIMAL.replace("date: 2024-03-01", "date: null"),
    "unknown field": MINIMAL + "subjet: x\n",
    "misspelled field in signatory": MINIMAL.replace("  name: A. Proef", "  naam: A. Proef"),
    "empty signatory list": MINIMAL.replace(
        "minister:\n  title: De Minister van Justitie en Veiligheid\n  name: A. Proef\n",
        "minister: []\n"),
    "kenmerk as a number": MINIMAL.replace('kenmerk: "2024-0000000001"', "kenmerk: 123"),
    "empty subject": MINIMAL.replace("subject: Proefbrief", 'subject: ""'),
    "no sections": MINIMAL.replace("sections:\n  - text: |\n      Een alinea.\n", "sections: []\n"),
    "empty section": MINIMAL.replace("  - text: |\n      Een alinea.\n", "  - text: ' '\n"),
    "four levels": MINIMAL.replace("  - text: |\n      Een alinea.\n",
                                   "  - heading: A\n    sections:\n      - heading: B\n"
                                   "        sections:\n          - heading: C\n"
                                   "            sections:\n              - text: D\n"),
    "unknown status": MINIMAL + "status: concept\n",
    "address of seven lines": MINIMAL.replace(
        "recipient: tweede-kamer", "recipient:\n  name: [A, B, C]\n  address: [D, E, F]\n"
        "  city: Den Haag"),
    "address without city": MINIMAL.replace("recipient: tweede-kamer",
                                            "recipient:\n  name: [De Voorzitter]"),
    "attachments not a list": MINIMAL + "attachments: Bijlage\n",
    "empty footnote": MINIMAL.replace("Een alinea.", "Een alinea.[^a]") + "footnotes:\n  a: ''\n",
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_schema_accepts_what_check_accepts(write_letter, name):
    path = write_letter(GOOD[name])
    assert check_errors(path) == []
    assert schema_errors(path) == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_schema_rejects_what_check_rejects(write_letter, name):
    path = write_letter(BAD[name])
    assert check_errors(path), "check should reject this letter"
    assert schema_errors(path), "the schema should reject this letter"
