"""Which letter files a command works on: files named, and the letter files in folders named."""

from __future__ import annotations

from pathlib import Path

from ..letter.load import SUFFIXES
from ..problems import Problem


def letter_files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    """Letter files named on the command line (folders are searched, sorted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir()
                            if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(name, None, "", "no such file or folder"))
    return files, problems
