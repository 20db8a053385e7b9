"""Batch builds: every letter in parallel, incremental, atomic, reproducible.

A letter is rebuilt only when its key changes: a content hash of the letter file, the
templates folder (layout, registry, fonts, logo, HTML/CSS/Word templates), the package's own
code and version, the formats and SOURCE_DATE_EPOCH. Keys and output hashes live in a
manifest in the output folder. Outputs are written to a temporary file and renamed into
place, so a failed letter keeps its previous outputs and no partial file is ever left.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..problems import LetterError, Problem, display_path
from ..writers import DEFAULT_FORMATS, writer

MANIFEST = ".kamerbrief-manifest.json"


@dataclass
class Result:
    """What building one letter gave."""

    source: str
    stem: str
    key: str
    status: str = "built"                   # built, unchanged or failed
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)   # file name -> sha256 of the file
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


def toolchain_key() -> str:
    """A hash of everything besides the letter that its outputs depend on: the templates
    folder and layout file in use (looked up anew, so a changed KAMERBRIEF_LAYOUT or
    KAMERBRIEF_TEMPLATES counts), the package's code and version, SOURCE_DATE_EPOCH."""
    from ..layout import layout_path
    from ..paths import templates_dir

    return _toolchain_key(templates_dir(), layout_path(),
                          os.environ.get("SOURCE_DATE_EPOCH", ""))


@lru_cache(maxsize=8)
def _toolchain_key(templates: Path, layout: Path, epoch: str) -> str:
    digest = hashlib.sha256(f"kamerbrief {__version__}".encode())
    _hash_tree(templates, digest)
    digest.update(layout.read_bytes())
    _hash_tree(Path(__file__).resolve().parents[1], digest)  # the whole kamerbrief package
    digest.update(epoch.encode())
    return digest.hexdigest()


def letter_key(path: Path, formats: tuple[str, ...]) -> str:
    digest = hashlib.sha256(toolchain_key().encode())
    digest.update(",".join(formats).encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


# -- one letter (runs in a worker) -----------------------------------------------------------

def _warm_up(formats: tuple[str, ...]) -> None:
    """Per-worker set-up: the registry, layout and font metrics, and the writers' fonts and
    templates, once."""
    from ..compose import warm_up

    warm_up()
    for name in formats:
        writer(name).warm_up()


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


def render_papers(documents, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every output file of a letter's papers: file name -> bytes. Each writer renders the
    papers it is made for (`Writer.papers`), e.g. the Kamerstuk form only the letter."""
    rendered: dict[str, bytes] = {}
    for document in documents:
        for name in formats:
            w = writer(name)
            if document.paper in w.papers:
                rendered[f"{document.stem}{w.suffix}"] = w.render(document)
    return rendered


def build_one(path: Path, out_dir: Path, formats: tuple[str, ...], key: str) -> Result:
    """Compose and render one letter (all its papers); all outputs or none are written."""
    from .checks import after_rendering
    from ..compose import compose_papers

    started = time.perf_counter()
    result = Result(display_path(path), path.stem, key)
    try:
        documents = compose_papers(path)
        rendered = render_papers(documents, formats)
    except LetterError as exc:
        result.status, result.problems = "failed", exc.problems
        return result
    except Exception as exc:  # a bug in a writer: say so plainly, keep the details
        result.status = "failed"
        result.problems = [Problem(result.source, None, "", f"internal error while rendering "
                                   f"({type(exc).__name__}: {exc}); please report it with this "
                                   f"letter file\n{traceback.format_exc()}")]
        return result
    letter = documents[0]
    result.problems, result.info = after_rendering(letter, rendered.get(letter.stem + writer("pdf").suffix))
    if not rendered:
        result.problems.append(Problem(result.source, None, "", f"none of the formats "
                                        f"{', '.join(formats)} applies to this letter's papers "
                                        f"({', '.join(d.paper for d in documents)})", "warning"))
    if any(p.severity == "error" for p in result.problems):
        result.status = "failed"
        return result
    for filename, data in rendered.items():
        write_atomically(out_dir / filename, data)
        result.outputs[filename] = sha256(data)
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
    for filename, digest in entry["outputs"].items():
        target = out_dir / filename
        if not target.is_file() or sha256(target.read_bytes()) != digest:
            return False
    return True


def build(paths: list[Path], out_dir: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
          jobs: int = 0, force: bool = False, progress=None) -> list[Result]:
    """Build letters into out_dir; returns one Result per letter, in the order given.
    An unknown format is refused (UnknownFormat) before anything is written."""
    for name in formats:
        writer(name)
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
