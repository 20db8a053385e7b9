"""The `kamerbrief` command: check, build, schema, new, organisations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .load import SUFFIXES
from .problems import Problem, display_path

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


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


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
    from .model import json_schema

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


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_command

    return build_command(args)


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
    build.add_argument("--format", default="pdf,docx", metavar="LIST",
                       help="pdf, docx or both, comma-separated (default: pdf,docx)")
    build.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                       help="letters built in parallel (default: number of cores)")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.set_defaults(run=cmd_build)

    schema = sub.add_parser("schema", help="print the JSON Schema of the letter file")
    schema.set_defaults(run=cmd_schema)

    new = sub.add_parser("new", help="write a commented starting letter")
    new.add_argument("file", metavar="FILE")
    new.set_defaults(run=cmd_new)

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
