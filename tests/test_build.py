"""Batch builds: parallel, incremental, atomic, reproducible; release packaging."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest

from kamerbrief.batch.build import MANIFEST
from kamerbrief.batch.checks import subject_lines
from kamerbrief.cli import main
from kamerbrief.batch.release import release

from conftest import MINIMAL, SEED_2019, SEED_2023


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path):
    """A letters folder with two good letters."""
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "een.yaml").write_text(MINIMAL, encoding="utf-8")
    (letters / "twee.yaml").write_text(MINIMAL.replace("Proefbrief", "Tweede proefbrief"),
                                       encoding="utf-8")
    return letters


def test_broken_letter_among_good_ones(folder, tmp_path, capsys):
    (folder / "kapot.yaml").write_text(MINIMAL.replace("jenv", "jenw"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "kapot.yaml:2: sender.ministry: 'jenw' is not in the registry" in err
    assert "3 letters: 2 built, 0 unchanged, 1 failed" in err
    names = sorted(p.name for p in out.iterdir())
    assert names == [MANIFEST, "een.docx", "een.pdf", "twee.docx", "twee.pdf"]


def test_incremental_rebuild_and_force(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["build", str(folder), "-o", str(out)]) == 0
    assert "2 letters: 0 built, 2 unchanged" in capsys.readouterr().err
    (folder / "twee.yaml").write_text(MINIMAL.replace("Proefbrief", "Gewijzigd"), encoding="utf-8")
    assert main(["build", str(folder), "-o", str(out)]) == 0
    assert "2 letters: 1 built, 1 unchanged" in capsys.readouterr().err
    (out / "een.pdf").write_bytes(b"tampered")  # an output changed by hand is rebuilt
    assert main(["build", str(folder), "-o", str(out)]) == 0
    assert "1 built, 1 unchanged" in capsys.readouterr().err
    assert (out / "een.pdf").read_bytes().startswith(b"%PDF")
    assert main(["build", str(folder), "-o", str(out), "--force"]) == 0
    assert "2 built, 0 unchanged" in capsys.readouterr().err


def test_failed_letter_keeps_its_previous_outputs(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "-j", "1"]) == 0
    before = {p.name: digest(p) for p in out.glob("een.*")}
    (folder / "een.yaml").write_text(MINIMAL.replace("Een alinea.", "Een alinea.[^x]"),
                                     encoding="utf-8")
    assert main(["build", str(folder), "-o", str(out), "-j", "1"]) == 1
    assert {p.name: digest(p) for p in out.glob("een.*")} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != MANIFEST]


def test_same_inputs_give_byte_identical_outputs(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    for seed in (SEED_2019, SEED_2023):
        shutil.copy(seed, letters)
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["build", str(letters), "-o", str(first), "-j", "1"]) == 0
    assert main(["build", str(letters), "-o", str(second), "-j", "2", "--force"]) == 0
    for path in first.glob("*.*"):
        if path.name != MANIFEST:
            assert digest(path) == digest(second / path.name), path.name


def test_release_twice_gives_identical_sha256sums(folder, tmp_path):
    shutil.copy(SEED_2019, folder)
    assert release([str(folder)], tmp_path / "b1", tmp_path / "d1", jobs=2) == 0
    assert release([str(folder)], tmp_path / "b2", tmp_path / "d2", jobs=1) == 0
    sums = (tmp_path / "d1" / "SHA256SUMS").read_text()
    assert sums == (tmp_path / "d2" / "SHA256SUMS").read_text()
    (archive,) = (tmp_path / "d1").glob("*.zip")
    assert digest(archive) == digest(tmp_path / "d2" / archive.name)
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        manifest = json.loads(opened.read("manifest.json"))
    stem = SEED_2019.stem
    assert {f"{stem}.pdf", f"{stem}.docx", "een.pdf", "manifest.json", "SHA256SUMS"} <= names
    entry = next(e for e in manifest["letters"] if f"{stem}.pdf" in e["outputs"])
    assert (entry["kenmerk"], entry["date"], entry["pages"]) == ("xx", "2019-12-09", 1)
    assert entry["subject"] == "Aanbieding Dreigingsbeeld Terrorisme Nederland 51"
    assert f"{entry['outputs'][f'{stem}.pdf']['sha256']}  {stem}.pdf" in sums


def test_release_refuses_when_a_letter_fails(folder, tmp_path):
    (folder / "kapot.yaml").write_text("subject: [", encoding="utf-8")
    assert release([str(folder)], tmp_path / "b", tmp_path / "d") == 1
    assert not (tmp_path / "d").exists()


def test_long_subject_warns(folder, tmp_path, capsys):
    long_subject = "Aanbieding " + " ".join(["van het zeer uitgebreide rapport"] * 6)
    assert subject_lines(long_subject) > 2 and subject_lines("Kort onderwerp") == 1
    (folder / "een.yaml").write_text(MINIMAL.replace("Proefbrief", long_subject), encoding="utf-8")
    assert main(["build", str(folder / "een.yaml"), "-o", str(tmp_path / "o"),
                 "--format", "pdf"]) == 0
    assert "warning: subject: the subject wraps to" in capsys.readouterr().err


def test_format_option(folder, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["build", str(folder / "een.yaml"), "-o", str(out), "--format", "pdf"]) == 0
    assert sorted(p.name for p in out.glob("een.*")) == ["een.pdf"]
    assert main(["build", str(folder), "-o", str(out), "--format", "odt"]) == 2
    assert "--format" in capsys.readouterr().err
