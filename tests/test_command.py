"""The command as people expect it: help, version, suggestions, -q/-v, --json, --strict,
colour on a terminal (NO_COLOR honoured), completion; layout warnings that stay until the
letter changes; `check` without WeasyPrint."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from kamerbrief import __version__
from kamerbrief.cli import main

from conftest import LETTERS, MINIMAL, ROOT

LONG_SUBJECT = "Aanbieding " + " ".join(["van het zeer uitgebreide rapport"] * 6)


def run(*args, env=None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if name not in (env or {}):
            environment.pop(name, None)
    return subprocess.run([sys.executable, "-m", "kamerbrief", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env=environment, timeout=600)


def test_kamerbrief_alone_prints_help_and_lists_every_command():
    done = run()
    assert done.returncode == 0
    for command in ("check", "build", "release", "new", "schema", "organisations",
                    "completion"):
        assert re.search(rf"^  {command} ", done.stdout, re.M), command


def test_version_and_a_misspelled_command(capsys):
    assert main(["-V"]) == 0
    assert capsys.readouterr().out.strip() == f"kamerbrief {__version__}"
    assert main(["chek", "letters"]) == 2
    err = capsys.readouterr().err
    assert "No such command 'chek'" in err and "'check'" in err
    done = run("biuld", "letters")
    assert done.returncode == 2 and "No such command 'biuld'" in done.stderr
    assert "'build'" in done.stderr and "Traceback" not in done.stderr


def test_quiet_prints_only_errors(write_letter, capsys):
    good = write_letter(MINIMAL, "goed.yaml")
    assert main(["-q", "check", str(good)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["check", "-q", str(good)]) == 0
    assert capsys.readouterr().err == ""
    bad = write_letter(MINIMAL.replace("jenv", "jenw"), "fout.yaml")
    assert main(["check", "-q", str(bad)]) == 1
    assert "fout.yaml:2: sender.ministry:" in capsys.readouterr().err


def problem_lines(letters: list[dict], key: str) -> set[str]:
    """The text form (file:line: field: message) of the problems in --json output."""
    tag = "" if key == "problems" else " warning:"
    return {f"{letter['file']}{':' + str(p['line']) if p['line'] else ''}:{tag}"
            f"{' ' + p['field'] + ':' if p['field'] else ''} {p['message']}"
            for letter in letters for p in letter[key]}


def test_check_json_parses_and_carries_the_same_problems_as_the_text(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "goed.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "fout.yaml").write_text(MINIMAL.replace("jenv", "jenw").replace(
        "Een alinea.", "Een alinea.[^x]") + "subjet: x\n", encoding="utf-8")
    (folder / "lang.yaml").write_text(MINIMAL.replace("Proefbrief", LONG_SUBJECT),
                                      encoding="utf-8")
    text = run("check", folder)
    as_json = run("check", folder, "--json")
    assert text.returncode == as_json.returncode == 1
    letters = json.loads(as_json.stdout)
    by_file = {letter["file"].rsplit("/", 1)[-1]: letter for letter in letters}
    assert {name: letter["status"] for name, letter in by_file.items()} == {
        "fout.yaml": "invalid", "goed.yaml": "valid", "lang.yaml": "valid"}
    assert len(by_file["fout.yaml"]["problems"]) == 3
    assert {(p["line"], p["field"]) for p in by_file["fout.yaml"]["problems"]} >= {
        (2, "sender.ministry")}
    assert by_file["lang.yaml"]["warnings"][0]["field"] == "subject"
    expected = problem_lines(letters, "problems") | problem_lines(letters, "warnings")
    shown = {line for line in text.stderr.splitlines() if not line.endswith(": valid")}
    assert expected == shown


def test_build_json_lists_outputs_pages_and_problems(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "goed.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "fout.yaml").write_text(MINIMAL.replace("jenv", "jenw"), encoding="utf-8")
    done = run("build", folder, "-o", tmp_path / "out", "--json", "-j", "1")
    assert done.returncode == 1
    letters = {letter["file"].rsplit("/", 1)[-1]: letter for letter in json.loads(done.stdout)}
    assert letters["goed.yaml"]["status"] == "built" and letters["goed.yaml"]["pages"] == 1
    assert sorted(o.rsplit("/", 1)[-1] for o in letters["goed.yaml"]["outputs"]) == [
        "goed.docx", "goed.pdf"]
    assert letters["fout.yaml"]["status"] == "failed"
    assert letters["fout.yaml"]["problems"][0]["field"] == "sender.ministry"
    assert letters["fout.yaml"]["problems"][0]["line"] == 2


def test_layout_warnings_stay_until_the_letter_changes(tmp_path, capsys):
    folder = tmp_path / "letters"
    folder.mkdir()
    path = folder / "lang.yaml"
    path.write_text(MINIMAL.replace("Proefbrief", LONG_SUBJECT), encoding="utf-8")
    out = tmp_path / "out"
    warning = "lang.yaml:6: warning: subject: the subject wraps to"
    assert main(["build", str(folder), "-o", str(out), "--format", "pdf"]) == 0
    assert warning in capsys.readouterr().err
    assert main(["build", str(folder), "-o", str(out), "--format", "pdf"]) == 0
    err = capsys.readouterr().err
    assert "0 built, 1 unchanged" in err and warning in err  # shown again, not rebuilt
    assert main(["build", str(folder), "-o", str(out), "--format", "pdf", "--strict"]) == 1
    assert "with warnings (--strict)" in capsys.readouterr().err
    assert main(["check", str(path)]) == 0
    assert warning in capsys.readouterr().err
    assert main(["check", "--strict", str(path)]) == 1
    assert warning in capsys.readouterr().err
    path.write_text(MINIMAL, encoding="utf-8")  # the letter changes: the warning goes
    assert main(["build", str(folder), "-o", str(out), "--format", "pdf"]) == 0
    assert " warning: " not in capsys.readouterr().err
    assert main(["build", str(folder), "-o", str(out), "--format", "pdf"]) == 0
    assert " warning: " not in capsys.readouterr().err


def test_colour_on_a_terminal_and_none_with_no_color(write_letter):
    bad = write_letter(MINIMAL.replace("jenv", "jenw"))
    coloured = run("check", bad, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stderr and "sender.ministry" in coloured.stderr
    plain = run("check", bad, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stderr and "sender.ministry" in plain.stderr
    assert "\x1b[" not in run("check", bad).stderr  # not a terminal


def test_check_does_not_load_weasyprint():
    code = ("import sys; from kamerbrief.cli import main; status = main(['check', "
            f"{str(LETTERS)!r}]); print(status, 'weasyprint' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.stdout.split() == ["0", "False"], done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(shell):
    done = run("completion", shell)
    assert done.returncode == 0 and "_KAMERBRIEF_COMPLETE" in done.stdout


def test_completion_completes_subcommands():
    env = {"_KAMERBRIEF_COMPLETE": "bash_complete", "COMP_WORDS": "kamerbrief bu",
           "COMP_CWORD": "1"}
    done = run(env=env)
    assert "build" in done.stdout


def test_new_takes_ministry_subject_and_kind(tmp_path, capsys):
    path = tmp_path / "nieuw.yaml"
    assert main(["new", str(path), "--ministry", "bzk", "--subject", "Voortgang #2: de wet",
                 "--kind", "brief"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "ministry: bzk" in text and 'subject: "Voortgang #2: de wet"' in text
    assert "title: De Minister van Binnenlandse Zaken en Koninkrijksrelaties" in text
    assert main(["check", str(path)]) == 0
    assert main(["new", str(tmp_path / "b.yaml"), "--ministry", "jenw"]) == 1
    assert "did you mean 'jenv'?" in capsys.readouterr().err
    assert not (tmp_path / "b.yaml").exists()
    assert main(["new", str(tmp_path / "c.yaml"), "--kind", "roman"]) == 2
    assert main(["new", str(tmp_path / "d.yaml"), "--subject", "  "]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nieuw.yaml"]


def test_check_shows_the_page_warning_of_the_last_build_until_the_letter_changes(
        tmp_path, monkeypatch, capsys):
    layout = tmp_path / "layout.toml"
    layout.write_text((ROOT / "templates" / "layout.toml").read_text(encoding="utf-8").replace(
        "max_pages = 8", "max_pages = 0"), encoding="utf-8")
    monkeypatch.setenv("KAMERBRIEF_LAYOUT", str(layout))
    path = tmp_path / "brief.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    pages = "brief.yaml: warning: the letter has 1 pages"
    assert main(["check", str(path), "-o", str(out)]) == 0
    assert pages not in capsys.readouterr().err  # not built yet: unknown
    assert main(["build", str(path), "-o", str(out), "--format", "pdf"]) == 0
    assert pages in capsys.readouterr().err
    assert main(["check", str(path), "-o", str(out)]) == 0
    assert pages in capsys.readouterr().err
    assert main(["check", str(path), "-o", str(out), "--strict"]) == 1
    capsys.readouterr()
    path.write_text(MINIMAL.replace("Proefbrief", "Gewijzigd"), encoding="utf-8")
    assert main(["check", str(path), "-o", str(out)]) == 0
    assert pages not in capsys.readouterr().err


def test_small_mistakes_each_get_a_sentence(tmp_path, write_letter, capsys):
    assert main(["new", str(tmp_path / "brief.txt")]) == 1
    assert "end the name in .yaml" in capsys.readouterr().err
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert main(["check", str(empty)]) == 1
    assert "no letter files found" in capsys.readouterr().err
    assert main(["build", str(empty), "-o", str(tmp_path / "o")]) == 1
    assert "no letter files found" in capsys.readouterr().err
    (tmp_path / "a").mkdir()
    one = write_letter(MINIMAL, "a/brief.yaml")
    two = write_letter(MINIMAL, "brief.json")
    assert main(["build", str(one), str(two), "-o", str(tmp_path / "o")]) == 1
    assert "has the same name as" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_schema_written_to_a_file(tmp_path, capsys):
    from kamerbrief.letter.model import json_schema

    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()
    assert capsys.readouterr().out == ""


def test_an_unexpected_error_is_one_line_without_traceback(monkeypatch, capsys):
    import kamerbrief.registry

    def broken():
        raise ValueError("registry in pieces")

    monkeypatch.setattr(kamerbrief.registry, "load_registry", broken)
    assert main(["organisations"]) == 1
    err = capsys.readouterr().err
    assert "internal error (ValueError: registry in pieces)" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["-v", "organisations"]) == 1
    assert "Traceback" in capsys.readouterr().err  # -v shows the details


def test_build_on_a_terminal_shows_a_progress_bar_and_the_summary(tmp_path, write_letter):
    letter = write_letter(MINIMAL)
    done = run("build", letter, "-o", tmp_path / "o", "--format", "pdf",
               env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    assert "1/1" in done.stderr and "1 letters: 1 built" in done.stderr
    assert (tmp_path / "o" / "brief.pdf").exists()
