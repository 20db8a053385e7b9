"""The import itself (the steps are described in the package's docstring, importer/__init__.py)."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import LetterError, display_path
from . import check
from .letterfile import load
from .merge import merge
from .package import FORMAT_PROPERTY, NotADocx, Places, open_package, style_names
from .reader import Issue, read
from .revisions import list_comments, list_revisions, resolve_all

FORMAT = "1"


@dataclass
class Report:
    """What an import found and did (the CLI prints it)."""

    letter: Path | None = None
    revisions: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    diff: str = ""
    written: bool = False
    refused: str = ""          # why nothing was done (a sentence), else ""
    changes: str = "refuse"    # what was done with tracked changes: refuse, accept, reject


def find_letter(docx: Path, name: str | None) -> Path | None:
    """The letter file named in the .docx's properties: as given, next to the .docx, or in
    the letters folder of the working folder."""
    if not name:
        return None
    given = Path(name)
    for candidate in (given, docx.parent / given, docx.parent / given.name,
                      Path("letters") / given.name):
        if candidate.is_file():
            return candidate
    for depth in ("*/", "*/*/"):  # a letters folder of another name, near the working folder
        for candidate in sorted(Path.cwd().glob(depth + given.name)):
            if candidate.is_file() and not any(part.startswith(".") for part in candidate.parts):
                return candidate
    return None


def import_review(docx: Path, letter: Path | None = None, changes: str = "refuse",
                  force: bool = False, dry_run: bool = False) -> Report:
    """Read `docx` and update `letter` (or the letter file named in the .docx).

    changes: "refuse" (default: stop while tracked changes are unresolved), "accept" or
    "reject". Nothing is written on a dry run, when the review is refused, or when there
    are issues and not `force`.
    """
    report = Report(changes=changes)
    try:
        package = open_package(docx)
    except NotADocx as exc:
        report.refused = str(exc)
        return report
    except OSError as exc:
        report.refused = f"cannot read the file ({exc.strerror or exc})"
        return report
    places = Places(package, style_names(package))
    report.revisions = list_revisions(package, places)
    report.comments = list_comments(package, places)
    version = package.properties.get(FORMAT_PROPERTY)
    if version is not None and version != FORMAT:
        report.refused = (f"this .docx was written by a kamerbrief with field format {version}; "
                          f"this kamerbrief reads format {FORMAT}: update kamerbrief")
        return report
    letter = letter or find_letter(docx, package.properties.get("kamerbrief.source"))
    report.letter = letter
    if letter is None:
        named = package.properties.get("kamerbrief.source")
        report.refused = (f"the letter file '{named}' it was built from is not found; give it: "
                          f"kamerbrief import {display_path(docx)} letters/NAME.yaml"
                          if named else "the letter file it was built from is not recorded in "
                          "the .docx; give it: kamerbrief import "
                          f"{display_path(docx)} letters/NAME.yaml")
        return report
    unresolved = [c for c in report.comments if not c.resolved]
    if changes == "refuse" and (report.revisions or unresolved):
        report.refused = ("the review is not finished: resolve the tracked changes and comments "
                          "listed above in Word, or import with --accept-changes or "
                          "--reject-changes")
        return report
    if report.revisions:
        resolve_all(package, accept=changes != "reject")

    from ..compose import compose_file  # noqa: PLC0415 (compose loads fonts: only when needed)
    from ..compose.printing import as_written  # noqa: PLC0415
    try:
        with as_written():  # the letter's own text, without the printed no-break rules
            original = compose_file(letter)
    except LetterError as exc:
        report.issues = [Issue(str(p.file), f"{p.field + ': ' if p.field else ''}{p.message}"
                               + (f" (line {p.line})" if p.line else "")) for p in exc.problems]
        report.refused = "the letter file has problems of its own; fix them first"
        return report

    other = _other_paper(docx, letter)
    if other:
        report.refused = (f"this is the {other} paper of {display_path(letter)}, not the letter; "
                          f"only the letter's .docx is imported (its text comes from the "
                          f"letter file's fields: change them there)")
        return report
    reviewed = read(package, places, expect_opening=bool(original.opening),
                    expect_closing=bool(original.closing))
    try:
        letter_file = load(letter)
    except Exception as exc:  # ruamel reads a little differently from PyYAML: say so
        report.refused = (f"{display_path(letter)} cannot be read for an update "
                          f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
        return report
    outcome = merge(original, letter_file, reviewed)
    report.changed = outcome.changed
    report.issues = list(reviewed.issues) + list(outcome.issues)
    text = letter_file.dumps() if outcome.changed else letter_file.text
    if text != letter_file.text:
        report.issues += check.rebuilt(letter, text, outcome, reviewed, package)
    else:
        report.issues += check.outside_fields(package, original, reviewed)
    report.diff = "".join(difflib.unified_diff(
        letter_file.text.splitlines(True), text.splitlines(True),
        f"a/{display_path(letter)}", f"b/{display_path(letter)}"))
    if dry_run or (report.issues and not force) or text == letter_file.text:
        return report
    _write(letter, text)
    report.written = True
    return report


def _other_paper(docx: Path, letter: Path) -> str | None:
    """The paper (e.g. "answers") whose output name the .docx has, when it is not the
    letter's own."""
    from ..compose import compose_papers  # noqa: PLC0415
    from ..compose.printing import as_written  # noqa: PLC0415

    try:
        with as_written():
            papers = compose_papers(letter)
    except LetterError:
        return None
    for document in papers[1:]:
        if docx.stem == document.stem and document.stem != papers[0].stem:
            return document.paper
    return None


def _write(path: Path, text: str) -> None:
    """Replace the file at once (never half-written)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def print_report(report: Report, docx: Path, dry_run: bool, force: bool, say=None,
                 out=None) -> int:
    """The report in the form every command uses (one line per message on stderr through
    `say(text, style)`, the diff on stdout); returns the exit code."""
    out = out or sys.stdout
    say = say or (lambda text, style=None: print(text, file=sys.stderr))
    name = display_path(docx)
    done = {"accept": "accepted", "reject": "rejected"}.get(report.changes, "unresolved")
    for revision in report.revisions:
        say(f"{name}: tracked change ({done}): {revision}",
            "yellow" if done == "unresolved" else None)
    for comment in report.comments:
        say(f"{name}: {comment}", "yellow")
    for issue in report.issues:
        say(f"{name}: {issue}", "red")
    if report.refused:
        say(f"{name}: {report.refused}; nothing was written", "red")
        return 1
    letter = display_path(report.letter)
    if dry_run:
        if report.diff:
            out.write(report.diff)
        say(f"{letter}: " + (f"would change ({', '.join(report.changed)}); --dry-run: nothing "
                             f"was written" if report.diff else "no change"))
        return 1 if report.issues and not force else 0
    if report.issues and not force:
        say(f"{name}: the letter file cannot hold what is listed above; nothing was written "
            f"(remove it in the .docx, or import with --force to leave it out)", "red")
        return 1
    if report.written:
        say(f"{letter}: updated ({', '.join(report.changed)})", "green")
    else:
        say(f"{letter}: no change", "green")
    return 0
