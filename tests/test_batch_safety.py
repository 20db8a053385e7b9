"""Builds that stay consistent: bytes read once, outputs replaced in pairs, a lock on the
output folder, Ctrl-C, folders holding odd things, a malformed manifest, the -j cap."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

import kamerbrief.batch.build as build_module
import kamerbrief.batch.files as files_module
from kamerbrief.batch.build import MANIFEST, build, letter_key
from kamerbrief.cli import main
from kamerbrief.letter.limits import MAX_FILE_BYTES

from conftest import MINIMAL, ROOT


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_text(path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def letters(folder, count, prefix="brief"):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{prefix}-{n:02}.yaml"
        path.write_text(MINIMAL.replace("Proefbrief", f"Proefbrief {prefix} {n}"),
                        encoding="utf-8")
        paths.append(path)
    return paths


def kamerbrief(*args, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.Popen([sys.executable, "-m", "kamerbrief", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            **kwargs)


def read_until(stream, needle: str, timeout: float = 120) -> str:
    """Lines from `stream` until one holds `needle` (fails after `timeout` seconds)."""
    seen, deadline = "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 1)
        if ready:
            line = stream.readline()
            if not line:
                break
            seen += line
            if needle in line:
                return seen
    pytest.fail(f"{needle!r} never came; got:\n{seen}")


def manifest_is_consistent(out) -> dict:
    """The manifest parses and every output it lists is on disk with its hash."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest.values():
        for name, sha in entry["outputs"].items():
            assert digest(out / name) == sha, name
    assert not [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))]
    return manifest


# -- bytes read once -------------------------------------------------------------------------

def test_a_letter_edited_during_the_build_gives_outputs_of_the_bytes_hashed(tmp_path,
                                                                             monkeypatch):
    (path,) = letters(tmp_path / "letters", 1)
    original = path.read_bytes()
    read = build_module.read_letter

    def read_then_edit(p):
        data = read(p)  # the build has read the letter; now the officer saves an edit
        p.write_text(MINIMAL.replace("Proefbrief", "Bewerkte brief"), encoding="utf-8")
        return data

    monkeypatch.setattr(build_module, "read_letter", read_then_edit)
    out = tmp_path / "out"
    (result,) = build([path], out, ("pdf",), jobs=1)
    assert result.status == "built"
    assert "Proefbrief brief 0" in pdf_text(out / f"{path.stem}.pdf")
    assert json.loads((out / MANIFEST).read_text())[path.stem]["key"] == letter_key(
        original, ("pdf",))
    monkeypatch.undo()
    (again,) = build([path], out, ("pdf",), jobs=1)  # the edit is not taken for current
    assert again.status == "built"
    assert "Bewerkte brief" in pdf_text(out / f"{path.stem}.pdf")


# -- outputs in pairs ------------------------------------------------------------------------

def test_when_the_docx_cannot_be_put_in_place_the_pdf_is_rolled_back(tmp_path, monkeypatch,
                                                                     capsys):
    (path,) = letters(tmp_path / "letters", 1)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "-j", "1"]) == 0
    before = {p.name: digest(p) for p in out.glob("brief-00.*")}
    assert sorted(before) == ["brief-00.docx", "brief-00.pdf"]
    path.write_text(MINIMAL.replace("Proefbrief", "Nieuwe versie"), encoding="utf-8")
    replace = os.replace

    def full_disk_for_docx(src, dst):
        if str(dst).endswith(".docx") and str(src).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return replace(src, dst)

    monkeypatch.setattr(files_module.os, "replace", full_disk_for_docx)
    assert main(["build", str(path), "-o", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "previous ones are kept" in err
    assert {p.name: digest(p) for p in out.glob("brief-00.*")} == before
    assert "Proefbrief" in pdf_text(out / "brief-00.pdf")
    manifest_is_consistent(out)
    monkeypatch.undo()
    assert main(["build", str(path), "-o", str(out), "-j", "1"]) == 0  # not taken for current
    assert "Nieuwe versie" in pdf_text(out / "brief-00.pdf")


def test_new_letters_are_removed_again_when_their_pair_cannot_be_completed(tmp_path,
                                                                          monkeypatch):
    (path,) = letters(tmp_path / "letters", 1)
    replace = os.replace

    def fail_docx(src, dst):
        if str(dst).endswith(".docx"):
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return replace(src, dst)

    monkeypatch.setattr(files_module.os, "replace", fail_docx)
    out = tmp_path / "out"
    (result,) = build([path], out, ("pdf", "docx"), jobs=1)
    assert result.status == "failed"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST]


# -- the lock and two builds -----------------------------------------------------------------

def test_a_second_build_into_the_same_folder_waits_for_the_first(tmp_path):
    paths = letters(tmp_path / "letters", 1)
    out = tmp_path / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # a first build holds the folder
    try:
        second = kamerbrief("build", paths[0], "-o", out, "-j", "1")
        read_until(second.stderr, "another build is writing to this folder; waiting")
        assert not list(out.glob("*.pdf"))
    finally:
        os.close(handle)
    rest = second.communicate(timeout=300)
    assert second.returncode == 0, rest
    assert (out / "brief-00.pdf").exists()


def test_two_builds_into_one_folder_lose_no_manifest_entry(tmp_path):
    first = letters(tmp_path / "a", 3, "een")
    second = letters(tmp_path / "b", 3, "twee")
    out = tmp_path / "out"
    runs = [kamerbrief("build", tmp_path / "a", "-o", out, "-j", "1"),
            kamerbrief("build", tmp_path / "b", "-o", out, "-j", "1")]
    for run in runs:
        run.communicate(timeout=300)
        assert run.returncode == 0
    manifest = manifest_is_consistent(out)
    assert sorted(manifest) == sorted(p.stem for p in first + second)


# -- Ctrl-C ----------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_build_and_records_what_finished(tmp_path, jobs):
    letters(tmp_path / "letters", 30)
    out = tmp_path / "out"
    run = kamerbrief("build", tmp_path / "letters", "-o", out, "-j", jobs)
    read_until(run.stderr, "built ")
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    manifest = manifest_is_consistent(out)
    assert manifest, "the letters built before Ctrl-C are recorded"
    built = {p.stem for p in out.glob("*.pdf")}
    assert built == set(manifest)  # every output pair on disk is in the manifest
    again = kamerbrief("build", tmp_path / "letters", "-o", out, "-j", "1")
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0
    assert f"{len(manifest)} unchanged" in err


# -- folders that hold odd things ------------------------------------------------------------

def test_a_folder_with_a_fifo_a_device_link_a_loop_and_a_huge_file(tmp_path):
    folder = tmp_path / "letters"
    letters(folder, 1)
    os.mkfifo(folder / "x.yaml")
    (folder / "nul.yaml").symlink_to("/dev/zero")
    (folder / "lus.yaml").symlink_to(folder / "lus.yaml")
    (folder / "weg.yaml").symlink_to(folder / "bestaat-niet.yaml")
    (folder / "groot.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    for command in (["check", folder], ["build", folder, "-o", tmp_path / "out", "-j", "1"]):
        run = kamerbrief(*command)
        _, err = run.communicate(timeout=300)  # never hangs on the FIFO
        assert run.returncode == 1, err
        assert "Traceback" not in err
        assert "x.yaml: is a FIFO (named pipe), not a letter file" in err
        assert "nul.yaml: is a device, not a letter file" in err
        assert "lus.yaml: is a symbolic link that leads back to itself" in err
        assert "weg.yaml: is a symbolic link to a file that does not exist" in err
        assert f"groot.yaml: the file is {MAX_FILE_BYTES + 1:,} bytes" in err
    assert "brief-00.yaml: valid" in subprocess.run(
        [sys.executable, "-m", "kamerbrief", "check", str(folder)], capture_output=True,
        text=True, cwd=ROOT, timeout=300).stderr
    assert (tmp_path / "out" / "brief-00.pdf").exists()


def test_a_fifo_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "kamerbrief", "check", str(fifo)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1 and "is a FIFO" in run.stderr


# -- the manifest ----------------------------------------------------------------------------

@pytest.mark.parametrize("content", ['[1, 2]', '{"brief-00": "x"}', "{not json",
                                     '{"brief-00": {"key": "k", "outputs": {"../../etc/x": "y"}}}'])
def test_a_manifest_of_the_wrong_shape_is_ignored_with_a_warning(tmp_path, capsys, content):
    paths = letters(tmp_path / "letters", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(content, encoding="utf-8")
    assert main(["build", str(paths[0]), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert f"{MANIFEST}:" in err and "ignored" in err and "Traceback" not in err
    assert "1 letters: 1 built" in err
    assert sorted(manifest_is_consistent(out)) == ["brief-00"]


# -- the -j cap ------------------------------------------------------------------------------

def test_jobs_are_capped_to_cores_and_memory_with_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build_module, "_available_mb", lambda: 900)
    paths = letters(tmp_path / "letters", 2)
    assert main(["build", str(tmp_path / "letters"), "-o", str(tmp_path / "out"),
                 "-j", "64"]) == 0
    err = capsys.readouterr().err
    assert "-j 64 lowered to 2" in err and "900 MB" in err
    assert build_module.usable_jobs(0, 10) <= 2
    assert all((tmp_path / "out" / f"{p.stem}.pdf").exists() for p in paths)


# -- new on a full disk ----------------------------------------------------------------------

def test_new_on_a_full_disk_leaves_no_file(tmp_path, monkeypatch, capsys):
    def mkstemp_on_a_full_disk(prefix="", suffix="", dir=None):
        return os.open("/dev/full", os.O_WRONLY), os.path.join(dir, f"{prefix}x{suffix}")

    monkeypatch.setattr(files_module.tempfile, "mkstemp", mkstemp_on_a_full_disk)
    path = tmp_path / "nieuw.yaml"
    assert main(["new", str(path)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
