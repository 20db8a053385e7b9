"""Problems in a letter file: values with a file, a line, a field and a sentence."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        tag = "" if self.severity == "error" else " warning:"
        return f"{where}:{tag}{field} {self.message}"


class SetupError(Exception):
    """A file the tool is set up with (the layout file, the registry) cannot be used; the
    message names the file, the line where known, and what to do."""


class LetterError(Exception):
    """A letter file that cannot be built; carries every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a link loop
        return str(path)


def print_problems(problems, stream=None) -> None:
    """One line per problem on stderr (the form every command uses)."""
    for problem in problems:
        print(problem, file=stream or sys.stderr)
