"""The release refuses drafts and letters with problems, is named after its content, records
the git state; the Makefile's release runs check first and handles folders with spaces."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile

import pytest

from kamerbrief.cli import main

from conftest import MINIMAL, ROOT, SEED_2019

DRAFT = MINIMAL.replace("date: 2024-03-01\n", "").replace('kenmerk: "2024-0000000001"\n',
                                                           "") + "status: draft\n"
LONG_SUBJECT = "Aanbieding " + " ".join(["van het zeer uitgebreide rapport"] * 6)


@pytest.fixture
def folder(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "een.yaml").write_text(MINIMAL, encoding="utf-8")
    return letters


def release(folder, tmp_path, *extra) -> int:
    return main(["release", str(folder), "-o", str(tmp_path / "build"), "--dist",
                 str(tmp_path / "dist"), "-j", "1", *extra])


def test_release_refuses_a_draft(folder, tmp_path, capsys):
    (folder / "concept.yaml").write_text(DRAFT, encoding="utf-8")
    assert release(folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert "concept.yaml: status: is a draft" in err and "--allow-drafts" in err
    assert "nothing released" in err
    assert not (tmp_path / "dist").exists()


def test_release_with_allow_drafts_marks_them(folder, tmp_path):
    (folder / "concept.yaml").write_text(DRAFT, encoding="utf-8")
    assert release(folder, tmp_path, "--allow-drafts") == 0
    (archive,) = (tmp_path / "dist").glob("*.zip")
    assert archive.name.endswith("-with-drafts.zip")
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert manifest["drafts_allowed"] is True
    assert [d.rsplit("/", 1)[-1] for d in manifest["drafts"]] == ["concept.yaml"]
    by_name = {e["letter"].rsplit("/", 1)[-1]: e for e in manifest["letters"]}
    assert by_name["concept.yaml"]["draft"] is True and by_name["een.yaml"]["draft"] is False


def test_release_refuses_a_letter_with_problems(folder, tmp_path, capsys):
    (folder / "fout.yaml").write_text(MINIMAL.replace("jenv", "jenw"), encoding="utf-8")
    assert release(folder, tmp_path) == 1
    assert "fout.yaml:2: sender.ministry:" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


def test_strict_release_refuses_warnings(folder, tmp_path, capsys):
    (folder / "lang.yaml").write_text(MINIMAL.replace("Proefbrief", LONG_SUBJECT),
                                      encoding="utf-8")
    assert release(folder, tmp_path, "--strict") == 1
    assert "--strict is given" in capsys.readouterr().err
    assert release(folder, tmp_path) == 0
    (archive,) = (tmp_path / "dist").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    lang = next(e for e in manifest["letters"] if e["letter"].endswith("lang.yaml"))
    assert "the subject wraps to" in lang["warnings"][0]


def test_a_different_content_gives_a_different_zip_name(folder, tmp_path):
    assert release(folder, tmp_path) == 0
    (first,) = (tmp_path / "dist").glob("*.zip")
    assert release(folder, tmp_path) == 0
    assert [p.name for p in (tmp_path / "dist").glob("*.zip")] == [first.name]  # same name
    shutil.copy(SEED_2019, folder)
    assert release(folder, tmp_path) == 0
    names = sorted(p.name for p in (tmp_path / "dist").glob("*.zip"))
    assert len(names) == 2 and first.name in names
    for name in names:
        assert name.startswith("kamerbrief-letters-") and name.endswith(".zip")


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=folder, check=True, capture_output=True)


def test_the_manifest_records_whether_the_git_tree_was_clean(folder, tmp_path):
    repo = folder.parent
    (repo / ".gitignore").write_text("build/\ndist/\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "letters")
    assert release(folder, tmp_path) == 0
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    assert manifest["git"]["clean"] is True and len(manifest["git"]["commit"]) == 40
    (folder / "twee.yaml").write_text(MINIMAL.replace("Proefbrief", "Twee"), encoding="utf-8")
    assert release(folder, tmp_path) == 0
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    assert manifest["git"]["clean"] is False  # an untracked letter was released


# -- the Makefile ----------------------------------------------------------------------------

def make(*args) -> subprocess.CompletedProcess:
    # -o setup: the test run has set up .venv already
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", "--no-print-directory", "-o", "setup", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)


def test_make_prints_help_by_default():
    done = make()
    assert done.returncode == 0
    for target in ("letters", "check", "test", "release", "clean", "distclean", "help"):
        assert f"  {target} " in done.stdout, target


def test_make_with_folders_whose_names_hold_spaces(folder, tmp_path):
    out, dist = tmp_path / "my build", tmp_path / "my dist"
    done = make("letters", f"LETTERS={folder}", f"OUT={out}", "JOBS=1")
    assert done.returncode == 0, done.stderr
    assert (out / "een.pdf").exists() and (out / "een.docx").exists()
    done = make("release", f"LETTERS={folder}", f"OUT={out}", f"DIST={dist}", "JOBS=1")
    assert done.returncode == 0, done.stderr
    assert len(list(dist.glob("kamerbrief-letters-*.zip"))) == 1
    done = make("clean", f"OUT={out}", f"DIST={dist}")
    assert done.returncode == 0, done.stderr
    assert not out.exists() and not dist.exists() and folder.exists()


def test_make_release_runs_check_first_and_stops_on_a_broken_letter(folder, tmp_path):
    (folder / "fout.yaml").write_text(MINIMAL.replace("jenv", "jenw"), encoding="utf-8")
    done = make("release", f"LETTERS={folder}", f"OUT={tmp_path / 'b'}",
                f"DIST={tmp_path / 'd'}")
    assert done.returncode != 0
    assert "kamerbrief check" in done.stdout and "fout.yaml:2: sender.ministry" in done.stderr
    assert "kamerbrief release" not in done.stdout
    assert not (tmp_path / "b").exists() and not (tmp_path / "d").exists()


@pytest.mark.parametrize("target", ["/", ".", "..", "src", "letters"])
def test_make_clean_never_removes_an_unrelated_folder(target, tmp_path):
    done = make("clean", f"OUT={target}", f"DIST={tmp_path / 'none'}")
    assert done.returncode != 0 and "refusing to remove" in done.stderr
    assert (ROOT / "src").is_dir() and (ROOT / "letters").is_dir()


def test_make_clean_refuses_a_folder_that_is_not_a_build(tmp_path):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    done = make("clean", f"OUT={other}", f"DIST={tmp_path / 'none'}")
    assert done.returncode != 0 and (other / "keep.txt").exists()
