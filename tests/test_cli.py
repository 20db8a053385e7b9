"""The command line: check, schema, new, organisations; messages on stderr, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from kamerbrief.cli import main

from conftest import LETTERS, MINIMAL, ROOT


def test_check_reports_both_seed_letters_valid(capsys):
    assert main(["check", str(LETTERS)]) == 0
    err = capsys.readouterr().err
    assert "2019-12-09-aanbieding-dtn-51.yaml: valid" in err
    assert "2023-12-12-dreigingsbeeld-december-2023.yaml: valid" in err


def test_check_exit_1_when_any_letter_is_invalid(write_letter, capsys):
    good = write_letter(MINIMAL, "goed.yaml")
    bad = write_letter(MINIMAL.replace("jenv", "jenw"), "fout.yaml")
    assert main(["check", str(good.parent)]) == 1
    err = capsys.readouterr().err
    assert "goed.yaml: valid" in err and "fout.yaml:2: sender.ministry:" in err
    assert main(["check", str(bad.parent / "nergens.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_check_as_a_real_process_prints_no_traceback(write_letter):
    bad = write_letter("sender: [\n")
    run = subprocess.run([sys.executable, "-m", "kamerbrief", "check", str(bad)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "brief.yaml:" in run.stderr
    assert run.stdout == ""


def test_schema_is_json_schema_of_the_letter_file(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    # a brief (the default kind) requires subject and sections; the Kamervragen kinds
    # (antwoorden, uitstel) generate them and require questions instead
    assert set(schema["required"]) >= {"sender", "recipient", "minister"}
    kinds = schema["allOf"][0]
    assert set(kinds["else"]["required"]) >= {"subject", "sections"}
    assert kinds["if"]["properties"]["kind"]["enum"] == ["antwoorden", "uitstel"]
    assert kinds["then"]["required"] == ["questions"]
    assert {"kenmerk", "date", "footnotes", "status", "attachments"} <= set(schema["properties"])


def test_new_writes_a_letter_that_passes_check(tmp_path, capsys):
    path = tmp_path / "nieuw.yaml"
    assert main(["new", str(path)]) == 0
    assert path.read_text().startswith("#")
    assert main(["check", str(path)]) == 0
    assert main(["new", str(path)]) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_organisations_lists_keys_and_names(capsys):
    assert main(["organisations"]) == 0
    out = capsys.readouterr().out
    assert "jenv           Ministerie van Justitie en Veiligheid" in out
    assert "Nationaal Coördinator Terrorismebestrijding en Veiligheid" in out
    assert "tweede-kamer" in out and "eerste-kamer" in out
    assert out.count("Ministerie van") >= 15


def test_an_output_folder_that_cannot_be_made_gets_a_sentence(tmp_path, capsys):
    blocker = tmp_path / "bestand"
    blocker.write_text("")
    assert main(["build", str(LETTERS), "-o", str(blocker / "uit")]) == 1
    err = capsys.readouterr().err
    assert "Not a directory" in err and "Traceback" not in err
