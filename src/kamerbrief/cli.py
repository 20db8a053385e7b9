"""The `kamerbrief` command: check, build, schema, new, organisations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
import time

from .batch.files import letter_files
from .problems import display_path, print_problems
from .writers import DEFAULT_FORMATS, WRITERS, UnknownFormat, formats_from

NEW_LETTER = """\
# A Kamerbrief. Fields: see README.md ("The letter file"); check with `kamerbrief check FILE`.
sender:
  ministry: jenv            # registry key: `kamerbrief organisations` lists them
  # unit: nctv              # optional: a unit with its own wordmark and colofon
  # colofon_name: Directoraat-generaal Politie en Veiligheidsregio's   # any registry field
recipient: tweede-kamer     # or eerste-kamer, or an address (name, address, postcode, city)
# date: 2026-01-15          # YYYY-MM-DD; may be left out only in a draft
# kenmerk: "2026-0000000001"  # Ons kenmerk; may be left out only in a draft
# your_reference: null      # Uw kenmerk
subject: Onderwerp van de brief
# attachments:
#   - Titel van de bijlage
# opening: Geachte voorzitter,
sections:
  - text: |
      Hierbij informeer ik uw Kamer over ... Markdown werkt: *cursief*, **vet**, lijsten en
      voetnoten.[^bron]
  - heading: Een kopje
    text: |
      - een opsomming
      - nog een punt
footnotes:
  bron: Kamerstukken II 2025–2026, 29 754, nr. 1.
# closing: Hoogachtend,
minister:
  title: De Minister van Justitie en Veiligheid
  name: N.N.
status: draft               # final when date and kenmerk are filled in
"""


def cmd_check(args: argparse.Namespace) -> int:
    from .compose import check_file

    files, problems = letter_files(args.paths)
    bad = len(problems)
    for path in files:
        found = check_file(path)
        print_problems(found)
        if any(p.severity == "error" for p in found):
            bad += 1
        else:
            print(f"{display_path(path)}: valid", file=sys.stderr)
    print_problems(problems)
    if not files and not problems:
        print("no letter files found", file=sys.stderr)
        return 1
    return 1 if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .letter.model import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.suffix.lower() not in (".yaml", ".yml"):
        print(f"{args.file}: a new letter is a YAML file; end the name in .yaml", file=sys.stderr)
        return 1
    if path.exists():
        print(f"{args.file}: already exists; choose another name", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEW_LETTER, encoding="utf-8")
    print(f"{args.file}: written; edit it, then run `kamerbrief check {args.file}`",
          file=sys.stderr)
    return 0


def cmd_organisations(args: argparse.Namespace) -> int:
    from .registry import load_registry

    registry = load_registry()
    for key, ministry in sorted(registry.ministries.items()):
        print(f"{key:14} {ministry.name}")
        for unit_key, unit in sorted(ministry.units.items()):
            print(f"  {key}/{unit_key:9} {unit.name}  (sender: ministry: {key}, unit: {unit_key})")
    print()
    for key, recipient in sorted(registry.recipients.items()):
        print(f"{key:14} {' '.join(recipient.name)}  (recipient)")
    return 0


# -- build -----------------------------------------------------------------------------

class _Progress:
    """A progress bar on a terminal, plain lines elsewhere (CI logs)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, result: Result) -> None:
        self.done += 1
        for problem in result.problems:
            self._line(str(problem))
        if self.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.done}/{self.total} {result.stem[:40]:40}")
            self.stream.flush()
        else:
            took = f" ({result.seconds * 1000:.0f} ms)" if result.status == "built" else ""
            self.stream.write(f"{result.status:9} {result.source}{took}\n")

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 80 + "\r")
        self.stream.write(text + "\n")

    def finish(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")


def cmd_build(args: argparse.Namespace) -> int:
    from .batch.build import build

    try:
        formats = formats_from(args.format)
    except UnknownFormat as exc:
        print(f"--format: {exc}", file=sys.stderr)
        return 2
    files, missing = letter_files(args.paths)
    print_problems(missing)
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            print(f"{display_path(path)}: has the same name as {display_path(stems[path.stem])}; "
                  f"both would be written to {path.stem}.pdf; rename one", file=sys.stderr)
            return 1
        stems[path.stem] = path
    if not files:
        print("no letter files found", file=sys.stderr)
        return 1
    started = time.perf_counter()
    progress = _Progress(len(files))
    results = build(files, Path(args.output), formats, args.jobs, args.force, progress)
    progress.finish()
    counts = {s: sum(r.status == s for r in results) for s in ("built", "unchanged", "failed")}
    print(f"{len(results)} letters: {counts['built']} built, {counts['unchanged']} unchanged, "
          f"{counts['failed']} failed, in {time.perf_counter() - started:.1f} s "
          f"-> {display_path(Path(args.output))}/", file=sys.stderr)
    return 1 if counts["failed"] or missing else 0


def cmd_release(args: argparse.Namespace) -> int:
    from .batch.release import release

    return release(args.paths, Path(args.output), Path(args.dist), args.jobs)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="kamerbrief",
        description="Kamerbrieven from letter files to Word (.docx) and PDF (PDF/A-2a + PDF/UA-1).")
    top.add_argument("--version", action="version", version=f"kamerbrief {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate letter files (exit 1 if any is invalid)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="letter files or folders")
    check.set_defaults(run=cmd_check)

    build = sub.add_parser("build", help="build letters into PDF and Word")
    build.add_argument("paths", nargs="+", metavar="PATH", help="letter files or folders")
    build.add_argument("-o", "--output", default="build", metavar="DIR",
                       help="output folder (default: build)")
    build.add_argument("--format", default=",".join(DEFAULT_FORMATS), metavar="LIST",
                       help="comma-separated outputs: " + "; ".join(
                           f"{w.name}: {w.description}" for w in WRITERS.values())
                       + f" (default: {','.join(DEFAULT_FORMATS)})")
    build.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                       help="letters built in parallel (default: number of cores)")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.set_defaults(run=cmd_build)

    schema = sub.add_parser("schema", help="print the JSON Schema of the letter file")
    schema.set_defaults(run=cmd_schema)

    new = sub.add_parser("new", help="write a commented starting letter")
    new.add_argument("file", metavar="FILE")
    new.set_defaults(run=cmd_new)

    rel = sub.add_parser("release", help="build every letter and package the release zip")
    rel.add_argument("paths", nargs="+", metavar="PATH", help="letter files or folders")
    rel.add_argument("-o", "--output", default="build", metavar="DIR",
                     help="build folder (default: build)")
    rel.add_argument("--dist", default="dist", metavar="DIR", help="release folder (default: dist)")
    rel.add_argument("-j", "--jobs", type=int, default=0, metavar="N")
    rel.set_defaults(run=cmd_release)

    orgs = sub.add_parser("organisations", help="list the registry keys and names")
    orgs.set_defaults(run=cmd_organisations)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:  # an output folder that cannot be written, a full disk, ...
        where = exc.filename or "kamerbrief"
        print(f"{where}: {exc.strerror or exc}; nothing was half-written", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
