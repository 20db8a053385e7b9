"""Batch builds: every letter in parallel, incremental, atomic, reproducible.

A letter is rebuilt only when its key changes: a content hash of the letter file, the
templates folder (layout, registry, fonts, logo, HTML/CSS/Word templates), the package's own
code and version, the formats and SOURCE_DATE_EPOCH. Keys and output hashes live in a
manifest in the output folder. Outputs are written to a temporary file and renamed into
place, so a failed letter keeps its previous outputs and no partial file is ever left.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .problems import LetterError, Problem, display_path

FORMATS = ("pdf", "docx")
MANIFEST = ".kamerbrief-manifest.json"


@dataclass
class Result:
    """What building one letter gave."""

    source: str
    stem: str
    key: str
    status: str = "built"                   # built, unchanged or failed
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)   # format -> sha256 of the file
    info: dict = field(default_factory=dict)                # kenmerk, date, subject, pages
    seconds: float = 0.0


def sha256(data: bytes) -> str:
    """The hex SHA-256 of some bytes (output hashes in the manifest and SHA256SUMS)."""
    return hashlib.sha256(data).hexdigest()


# -- keys ------------------------------------------------------------------------------------

def _hash_tree(root: Path, digest) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())


@lru_cache(maxsize=1)
def toolchain_key() -> str:
    """A hash of everything besides the letter that its outputs depend on."""
    from .layout import layout_path
    from .paths import templates_dir

    digest = hashlib.sha256(f"kamerbrief {__version__}".encode())
    _hash_tree(templates_dir(), digest)
    digest.update(layout_path().read_bytes())
    _hash_tree(Path(__file__).parent, digest)
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def letter_key(path: Path, formats: tuple[str, ...]) -> str:
    digest = hashlib.sha256(toolchain_key().encode())
    digest.update(",".join(formats).encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


# -- one letter (runs in a worker) -----------------------------------------------------------

def _warm_up(formats: tuple[str, ...]) -> None:
    """Per-worker set-up: import the writers and let them prepare fonts and templates once."""
    for name in formats:
        module = _writer_module(name)
        warm = getattr(module, "warm_up", None)
        if warm:
            warm()


def _writer_module(name: str):
    if name == "pdf":
        from . import pdf
        return pdf
    from . import word
    return word


def render(document, name: str) -> bytes:
    """The bytes of one output format of a composed Document."""
    if name == "pdf":
        return _writer_module("pdf").render_pdf(document)
    return _writer_module("docx").render_docx(document)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_one(path: Path, out_dir: Path, formats: tuple[str, ...], key: str) -> Result:
    """Compose and render one letter; all outputs or none are written."""
    from .checks import after_rendering
    from .compose import compose_file

    started = time.perf_counter()
    result = Result(display_path(path), path.stem, key)
    try:
        document = compose_file(path)
        rendered = {name: render(document, name) for name in formats}
    except LetterError as exc:
        result.status, result.problems = "failed", exc.problems
        return result
    except Exception as exc:  # a bug in a writer: say so plainly, keep the details
        result.status = "failed"
        result.problems = [Problem(result.source, None, "", f"internal error while rendering "
                                   f"({type(exc).__name__}: {exc}); please report it with this "
                                   f"letter file\n{traceback.format_exc()}")]
        return result
    result.problems, result.info = after_rendering(document, rendered)
    if any(p.severity == "error" for p in result.problems):
        result.status = "failed"
        return result
    for name, data in rendered.items():
        write_atomically(out_dir / f"{path.stem}.{name}", data)
        result.outputs[name] = sha256(data)
    result.seconds = time.perf_counter() - started
    return result


# -- the batch -------------------------------------------------------------------------------

def _read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _is_current(entry: dict | None, key: str, out_dir: Path, stem: str) -> bool:
    if not entry or entry.get("key") != key or not entry.get("outputs"):
        return False
    for name, digest in entry["outputs"].items():
        target = out_dir / f"{stem}.{name}"
        if not target.is_file() or sha256(target.read_bytes()) != digest:
            return False
    return True


def build(paths: list[Path], out_dir: Path, formats: tuple[str, ...] = FORMATS, jobs: int = 0,
          force: bool = False, progress=None) -> list[Result]:
    """Build letters into out_dir; returns one Result per letter, in the order given."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(out_dir)
    results: dict[Path, Result] = {}
    todo: list[tuple[Path, str]] = []
    for path in paths:
        key = letter_key(path, formats)
        entry = manifest.get(path.stem)
        if not force and _is_current(entry, key, out_dir, path.stem):
            results[path] = Result(display_path(path), path.stem, key, "unchanged",
                                   outputs=entry["outputs"], info=entry.get("info", {}))
            if progress:
                progress(results[path])
        else:
            todo.append((path, key))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if jobs == 1 or len(todo) <= 1:
        if todo:
            _warm_up(formats)
        for path, key in todo:
            results[path] = build_one(path, out_dir, formats, key)
            if progress:
                progress(results[path])
    else:
        _warm_up(formats)  # once here: forked workers start with the writers set up
        with ProcessPoolExecutor(jobs, initializer=_warm_up, initargs=(formats,)) as pool:
            futures = {pool.submit(build_one, path, out_dir, formats, key): path
                       for path, key in todo}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress:
                    progress(results[futures[future]])
    _write_manifest(out_dir, manifest, [results[p] for p in paths])
    return [results[p] for p in paths]


def _write_manifest(out_dir: Path, manifest: dict, results: list[Result]) -> None:
    for result in results:
        if result.status != "failed":
            manifest[result.stem] = {"source": result.source, "key": result.key,
                                     "outputs": result.outputs, "info": result.info}
    write_atomically(out_dir / MANIFEST,
                     json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode())


# -- the command -----------------------------------------------------------------------------

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


def build_command(args: argparse.Namespace) -> int:
    from .cli import letter_files, print_problems

    formats = tuple(dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip()))
    wrong = [f for f in formats if f not in FORMATS]
    if wrong or not formats:
        print(f"--format: use pdf, docx or pdf,docx (not {', '.join(wrong) or 'nothing'})",
              file=sys.stderr)
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
