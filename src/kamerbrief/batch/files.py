"""Files on disk: which letter files a command works on, and writing outputs atomically
(one file, or a letter's outputs together or not at all).

A folder may hold anything: only regular files (or links to them) of at most
`MAX_FILE_BYTES` are taken (kamerbrief.letter.read); a FIFO, a device, a link loop or a broken
link is reported by name and left out, and the other letters go on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..letter.load import SUFFIXES
from ..letter.read import classify, read_letter  # noqa: F401 (read_letter: for the batch)
from ..problems import Problem, display_path


def letter_files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    """Letter files named on the command line, and those in folders named (sorted). Anything
    that cannot be read as a letter file is a Problem with its name; the others go on."""
    files: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            try:
                entries = sorted(p for p in path.iterdir()
                                 if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
            except OSError as exc:
                problems.append(Problem(display_path(path), None, "",
                                        f"the folder cannot be read ({exc.strerror})"))
                continue
        else:
            entries = [path]
        for entry in entries:
            why = classify(entry)
            if why is None:
                files.append(entry)
            else:
                problems.append(Problem(display_path(entry) if entry is not path else name,
                                        None, "", why))
    return files, problems


# -- writing ---------------------------------------------------------------------------------

def _temporary(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file next to `target` (removed again if writing fails)."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(name, 0o644)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place."""
    temporary = _temporary(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_new(target: Path, data: bytes) -> None:
    """Write a file that must not exist yet, whole or not at all (FileExistsError if it
    exists; on a full disk no empty file is left behind)."""
    temporary = _temporary(target, data)
    try:
        os.link(temporary, target)  # fails if target exists: never overwrites
    finally:
        temporary.unlink(missing_ok=True)


def replace_together(folder: Path, files: dict[str, bytes]) -> None:
    """Put several files in place together or not at all: all temporaries are written first,
    then renamed; if any step fails, the files that were already replaced get their previous
    contents back (or are removed when they are new) and the error is raised."""
    temporaries: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}  # target -> its previous file (a hard link), or None
    try:
        for name, data in files.items():
            temporaries[folder / name] = _temporary(folder / name, data)
        for target, temporary in temporaries.items():
            backups[target] = _backup(target)
            os.replace(temporary, target)
    except BaseException:
        for target, backup in backups.items():
            if backup is not None:
                os.replace(backup, target)           # the previous file back
                backup.unlink(missing_ok=True)       # (a no-op rename if it was never replaced)
            elif not temporaries[target].exists():  # it was new and renamed into place
                target.unlink(missing_ok=True)
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        raise
    for backup in backups.values():
        if backup is not None:
            backup.unlink(missing_ok=True)


def _backup(target: Path) -> Path | None:
    """A hard link to the current `target` (restored if a later rename fails), or None."""
    if not target.exists():
        return None
    name = target.with_name(f".{target.name}.{os.getpid()}.old")
    name.unlink(missing_ok=True)
    try:
        os.link(target, name)
    except OSError:  # a file system without hard links
        shutil.copy2(target, name)
    return name


def remove_leftovers(folder: Path) -> None:
    """Remove temporaries a killed build left behind (call only while holding the lock)."""
    for pattern in (".*.tmp", ".*.old"):
        for path in folder.glob(pattern):
            path.unlink(missing_ok=True)
