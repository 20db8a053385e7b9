"""The `kamerbrief` command (click + rich): check, build, release, new, schema, organisations,
preview.

Messages go to stderr, one line per problem (`file:line: field: what to do`), in colour on a
terminal (NO_COLOR is honoured); results for other tools go to stdout (`--json`, `schema`).
Exit status: 0 fine, 1 a letter has problems (or warnings with --strict), 2 a usage mistake,
130 interrupted.

Adding a subcommand is a local change: write a function decorated with `@cli.command()` (in
this file, or in your own module that is imported in `_COMMAND_MODULES` at the end of this
file); click gives it help, option parsing and completion. It prints through `out()` (the
stderr console) and returns its exit status. Keep heavy imports (WeasyPrint, the writers)
inside the function, so that `kamerbrief check` stays quick.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import time
from pathlib import Path

import click
from rich.console import Console

from . import __version__, startup
from .batch.files import letter_files
from .problems import Problem, SetupError, display_path
from .writers import DEFAULT_FORMATS, WRITERS, UnknownFormat, formats_from

log = logging.getLogger("kamerbrief")

_STYLE = {"error": "red", "warning": "yellow"}


class _Settings:
    """What the top-level options chose: verbosity (-q: 0, default: 1, -v: 2); and whether
    this is the program itself (main() without arguments: the `kamerbrief` command)."""

    verbosity = 1
    program = False


settings = _Settings()


def out() -> Console:
    """The console for messages (stderr); colour only on a terminal, never with NO_COLOR."""
    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


def say(text: str, style: str | None = None, level: int = 1) -> None:
    """A message line on stderr, shown at verbosity `level` or higher."""
    if settings.verbosity >= level:
        out().print(text, style=style)


def show(problem: Problem, console: Console | None = None) -> None:
    """One problem as one line; errors always, warnings unless -q."""
    if problem.severity != "error" and settings.verbosity < 1:
        return
    (console or out()).print(str(problem), style=_STYLE.get(problem.severity))


class _LogHandler(logging.Handler):
    """The package's log messages (lock waits, -j lowered, ...) as plain lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        style = "yellow" if record.levelno >= logging.WARNING else None
        out().print(record.getMessage(), style="red" if record.levelno >= logging.ERROR
                    else style)


def _set_verbosity(ctx: click.Context, param: click.Parameter, value) -> None:
    if value:
        settings.verbosity = 0 if param.name == "quiet" else 2
    log.setLevel({0: logging.ERROR, 1: logging.INFO, 2: logging.DEBUG}[settings.verbosity])


def verbosity_options(function):
    """-q/-v, accepted before and after the subcommand's name."""
    function = click.option("-v", "--verbose", is_flag=True, expose_value=False,
                            callback=_set_verbosity, help="More detail (timings).")(function)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False,
                        callback=_set_verbosity, help="Only errors.")(function)


def _json_letter(file: str, status: str, problems: list[Problem], outputs=(),
                 pages=None) -> dict:
    """One letter as `--json` gives it."""

    def item(p: Problem) -> dict:
        return {"line": p.line, "field": p.field, "message": p.message}

    return {"file": file, "status": status,
            "problems": [item(p) for p in problems if p.severity == "error"],
            "warnings": [item(p) for p in problems if p.severity != "error"],
            "outputs": list(outputs), "pages": pages}


def _print_json(letters: list[dict]) -> None:
    click.echo(json.dumps(letters, indent=2, ensure_ascii=False))


@click.group(invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="kamerbrief",
                      message="%(prog)s %(version)s")
@verbosity_options
@click.pass_context
def cli(ctx: click.Context) -> int:
    """Kamerbrieven from letter files to Word (.docx) and PDF (PDF/A-2a + PDF/UA-1).

    Start with `kamerbrief new FILE`, check it with `kamerbrief check FILE`, build it with
    `kamerbrief build FILE -o DIR`. `kamerbrief COMMAND --help` tells more.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
    return 0


paths_argument = click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                                type=click.Path(path_type=str))
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Results as JSON on stdout: one object per letter (file, status, "
                           "problems, warnings, outputs, pages).")
strict_option = click.option("--strict", is_flag=True,
                             help="Warnings (a long subject, too many pages) fail too.")


# -- check -----------------------------------------------------------------------------------

@cli.command(short_help="Validate letter files or folders.")
@paths_argument
@click.option("-o", "--output", default="build", show_default=True, metavar="DIR",
              help="Build folder whose warnings (the page count) are shown again for letters "
              "unchanged since that build.")
@json_option
@strict_option
@verbosity_options
def check(paths: tuple[str, ...], output: str, as_json: bool, strict: bool) -> int:
    """Validate letter files or folders (exit 1 if any has problems).

    Reports the layout warnings that need no rendering (a subject that wraps to too many
    lines) and those the last build into DIR found (the page count), while the letter is
    unchanged since.
    """
    from .batch.build import MANIFEST, known_warnings, read_manifest
    from .batch.checks import check_letter
    from .letter.read import read_letter
    from .problems import LetterError

    built = read_manifest(Path(output)) if (Path(output) / MANIFEST).is_file() else {}
    files, unreadable = letter_files(list(paths))
    letters = [_json_letter(p.file, "invalid", [p]) for p in unreadable]
    bad = len(unreadable)
    for problem in unreadable:
        show(problem)
    for path in files:
        try:
            data = read_letter(path)
            found = check_letter(path, data)
            if not any(p.severity == "error" for p in found):
                found += [p for p in known_warnings(built, path, data) if p not in found]
        except LetterError as exc:
            found = exc.problems
        failed = any(p.severity == "error" for p in found) or (strict and bool(found))
        bad += failed
        letters.append(_json_letter(display_path(path), "invalid" if failed else "valid", found))
        if not as_json:
            for problem in found:
                show(problem)
            if not failed:
                say(f"{display_path(path)}: valid", "green")
    if as_json:
        _print_json(letters)
    if not files and not unreadable:
        say("no letter files found", "red", 0)
        return 1
    return 1 if bad else 0


# -- build -----------------------------------------------------------------------------------

class _Progress:
    """Each finished letter: a rich progress bar on a terminal, one plain line per letter
    elsewhere (CI logs); problems and warnings printed as they come."""

    def __init__(self, total: int, quiet: bool):
        self.console = out()
        self.quiet = quiet
        self.bar = None
        if self.console.is_terminal and not quiet and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description:40.40}"), BarColumn(),
                                MofNCompleteColumn(), console=self.console, transient=True)
            self.task = self.bar.add_task("", total=total)
            self.bar.start()

    def __call__(self, result) -> None:
        if self.quiet:
            return
        console = self.bar.console if self.bar else self.console
        for problem in result.problems:
            show(problem, console)
        if self.bar:
            self.bar.update(self.task, advance=1, description=result.stem)
        if settings.verbosity >= (2 if self.bar else 1):  # a line per letter: CI logs, -v
            took = f" ({result.seconds * 1000:.0f} ms)" if result.status == "built" else ""
            console.print(f"{result.status:9} {result.source}{took}")

    def stop(self) -> None:
        if self.bar:
            self.bar.stop()


@cli.command(short_help="Build letters into PDF and Word.")
@paths_argument
@click.option("-o", "--output", default="build", show_default=True, metavar="DIR",
              help="Output folder.")
@click.option("--format", "format_", default=",".join(DEFAULT_FORMATS), show_default=True,
              metavar="LIST", help="Comma-separated outputs: " + "; ".join(
                  f"{w.name}: {w.description}" for w in WRITERS.values()) + ".")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Letters built in parallel (default: one per core; lowered to what the "
              "memory carries).")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@json_option
@strict_option
@verbosity_options
def build(paths: tuple[str, ...], output: str, format_: str, jobs: int, force: bool,
          as_json: bool, strict: bool) -> int:
    """Build letters into PDF and Word, in parallel and incrementally."""
    if settings.program:
        startup.pause()  # until the build has set up (kamerbrief.startup)
    from .batch.build import build as build_letters

    try:
        formats = formats_from(format_)
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None
    files, unreadable = letter_files(list(paths))
    for problem in unreadable if not as_json else ():
        show(problem)
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            say(f"{display_path(path)}: has the same name as {display_path(stems[path.stem])}; "
                f"both would be written to {path.stem}.pdf; rename one", "red", 0)
            return 1
        stems[path.stem] = path
    if not files:
        say("no letter files found", "red", 0)
        return 1
    started = time.perf_counter()
    out_dir = Path(output)
    progress = _Progress(len(files), quiet=as_json)
    try:
        results = build_letters(files, out_dir, formats, jobs, force, progress)
    finally:
        progress.stop()
    if as_json:
        _print_json([_json_letter(p.file, "failed", [p]) for p in unreadable] + [
            _json_letter(r.source, r.status, r.problems,
                         [display_path(out_dir / name) for name in r.outputs],
                         r.info.get("pages")) for r in results])
    counts = {s: sum(r.status == s for r in results) for s in ("built", "unchanged", "failed")}
    warned = sum(bool(r.warnings) for r in results if r.status != "failed")
    say(f"{len(results)} letters: {counts['built']} built, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed, in {time.perf_counter() - started:.1f} s "
        f"-> {display_path(out_dir)}/" + (f"; {warned} with warnings (--strict)"
                                          if strict and warned else ""),
        "red" if counts["failed"] or unreadable or (strict and warned) else "green",
        0 if counts["failed"] else 1)
    return 1 if counts["failed"] or unreadable or (strict and warned) else 0


# -- release ---------------------------------------------------------------------------------

@cli.command(short_help="Build all letters and package the release zip.")
@paths_argument
@click.option("-o", "--output", default="build", show_default=True, metavar="DIR",
              help="Build folder.")
@click.option("--dist", default="dist", show_default=True, metavar="DIR",
              help="Release folder.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N")
@click.option("--allow-drafts", is_flag=True,
              help="Take draft letters too (marked in the manifest and the zip's name).")
@strict_option
@verbosity_options
def release(paths: tuple[str, ...], output: str, dist: str, jobs: int, allow_drafts: bool,
            strict: bool) -> int:
    """Build every letter and package the release zip (refuses drafts and letters with
    problems). See docs/release.md."""
    from .batch.release import release as make_release

    progress = _Progress(0, quiet=False)
    return make_release(list(paths), Path(output), Path(dist), jobs, allow_drafts, strict,
                        progress=progress, show=show)


# -- new, schema, organisations, completion --------------------------------------------------

def _kinds() -> list[str]:
    from .letter.starters import STARTERS

    return list(STARTERS)


@cli.command(short_help="Write a commented starting letter.")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--ministry", default="jenv", show_default=True, metavar="KEY",
              help="The sender: a registry key (`kamerbrief organisations` lists them).")
@click.option("--subject", default=None, metavar="TEXT", help="The subject of the letter.")
@click.option("--kind", default="brief", show_default=True,
              type=click.Choice(_kinds()), help="What kind of letter to start from.")
@verbosity_options
def new(file: Path, ministry: str, subject: str | None, kind: str) -> int:
    """Write a commented starting letter (a draft) to FILE (.yaml)."""
    from .batch.files import write_new
    from .letter.starters import StarterError, starting_letter

    if file.suffix.lower() not in (".yaml", ".yml"):
        say(f"{file}: a new letter is a YAML file; end the name in .yaml", "red", 0)
        return 1
    try:
        text = starting_letter(kind, file, ministry, subject)
    except StarterError as exc:
        say(str(exc), "red", 0)
        return 1
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(file, text.encode("utf-8"))
    except FileExistsError:
        say(f"{file}: already exists; choose another name", "red", 0)
        return 1
    say(f"{file}: written; edit it, then run `kamerbrief check {file}`")
    return 0


@cli.command(short_help="Print the JSON Schema of the letter file.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write the schema to FILE instead of stdout.")
def schema(output: Path | None) -> int:
    """Print the JSON Schema of the letter file (for editors)."""
    from .batch.files import write_atomically
    from .letter.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))
        say(f"{output}: written")
    return 0


@cli.command(short_help="Write the Word template from the layout file.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the template is stale.")
def template(check: bool) -> int:
    """Write templates/kamerbrief.docx, the Word template, from the layout file (after a
    change to templates/layout.toml; see docs/word.md). A template designer may then edit it
    in Word."""
    from .writers.word.template import write_template

    return write_template(check=check)


@cli.command(short_help="List the registry keys and names.")
def organisations() -> int:
    """List the registry keys and names (senders and recipients)."""
    from .registry import load_registry

    registry = load_registry()
    lines = []
    for key, ministry in sorted(registry.ministries.items()):
        lines.append(f"{key:14} {ministry.name}")
        for unit_key, unit in sorted(ministry.units.items()):
            lines.append(f"  {key}/{unit_key:9} {unit.name}  "
                         f"(sender: ministry: {key}, unit: {unit_key})")
    lines.append("")
    for key, recipient in sorted(registry.recipients.items()):
        lines.append(f"{key:14} {' '.join(recipient.name)}  (recipient)")
    click.echo("\n".join(lines))
    return 0


@cli.command(short_help="Print the shell completion script.")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> int:
    """Print the shell completion script, e.g. `eval "$(kamerbrief completion bash)"`."""
    from click.shell_completion import get_completion_class

    complete = get_completion_class(shell)(cli, {}, "kamerbrief", "_KAMERBRIEF_COMPLETE")
    click.echo(complete.source())
    return 0


# Subcommands defined in other modules (each decorates its functions with @cli.command()).
_COMMAND_MODULES: tuple[str, ...] = ("kamerbrief.preview.command", "kamerbrief.importer.command")
for _module in _COMMAND_MODULES:
    importlib.import_module(_module)


# -- entry point -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (never a traceback for a user's mistake).
    Without `argv` (the `kamerbrief` command) it is the program: kamerbrief.startup."""
    settings.program = argv is None
    try:
        return _main(argv)
    finally:
        if settings.program:
            startup.at_exit()


def _main(argv: list[str] | None) -> int:
    if not log.handlers:
        log.addHandler(_LogHandler())
        log.propagate = False
    settings.verbosity = 1
    log.setLevel(logging.INFO)
    try:
        status = cli.main(args=argv, prog_name="kamerbrief", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except click.exceptions.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort)
        say("interrupted; the letters that finished are recorded in the build manifest",
            "red", 0)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        return 1
    except SetupError as exc:  # a broken layout file or registry: the file and what to do
        say(str(exc), "red", 0)
        return 1
    except OSError as exc:  # an output folder that cannot be written, a full disk, ...
        where = exc.filename or "kamerbrief"
        say(f"{where}: {exc.strerror or exc}; nothing was half-written", "red", 0)
        return 1
    except Exception as exc:  # a bug: one line that says what to do, not a traceback
        say(f"kamerbrief: internal error ({type(exc).__name__}: {exc}); please report it with "
            f"the command and the letter file", "red", 0)
        if settings.verbosity >= 2:
            import traceback

            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
