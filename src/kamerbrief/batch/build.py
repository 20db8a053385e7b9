"""Batch builds: every letter in parallel, incremental, atomic, reproducible.

A letter is rebuilt only when its key changes: a content hash of the letter file, the
templates folder (layout, registry, fonts, logo, HTML/CSS/Word templates), the package's own
code and version, the formats and SOURCE_DATE_EPOCH. Keys, output hashes and warnings live in
a manifest in the output folder.

Consistency: each letter file is read once; those bytes are hashed and rendered. A letter's
outputs are replaced together or not at all (batch.files.replace_together), so a failed
letter keeps its previous outputs and no partial file is ever left. One build at a time
writes to an output folder (a lock on the folder; a second build waits and says so), and the
manifest is read and written under that lock, so no entry is lost. Ctrl-C stops the build:
letters not started are dropped, those being built finish, and the manifest records every
letter that finished.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import signal
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__, startup
from ..problems import LetterError, Problem, display_path
from ..writers import DEFAULT_FORMATS, WriterError, writer
from .files import read_letter, remove_leftovers, replace_together, write_atomically  # noqa: F401

MANIFEST = ".kamerbrief-manifest.json"
WORKER_MB = 400  # memory a build worker may need (peak measured: ~100 MB; hostile letters more)

log = logging.getLogger("kamerbrief")


@dataclass
class Result:
    """What building one letter gave."""

    source: str
    stem: str
    key: str
    status: str = "built"                   # built, unchanged or failed
    problems: list[Problem] = field(default_factory=list)   # errors and warnings
    outputs: dict[str, str] = field(default_factory=dict)   # file name -> sha256 of the file
    info: dict = field(default_factory=dict)                # kenmerk, date, subject, pages
    seconds: float = 0.0

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


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


def letter_key(data: bytes, formats: tuple[str, ...]) -> str:
    """The key of a letter's outputs: the toolchain, the formats and the letter's bytes."""
    digest = hashlib.sha256(toolchain_key().encode())
    digest.update(",".join(formats).encode())
    digest.update(data)
    return digest.hexdigest()


# -- one letter (runs in a worker) -----------------------------------------------------------

def _warm_up(formats: tuple[str, ...]) -> None:
    """Per-worker set-up: the registry, layout and font metrics, and the writers' fonts and
    templates, once."""
    from ..compose import warm_up

    warm_up()
    for name in formats:
        writer(name).warm_up()


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


def build_one(path: Path, data: bytes, out_dir: Path, formats: tuple[str, ...],
              key: str) -> Result:
    """Compose and render one letter (all its papers) from its bytes `data`; all outputs or
    none are put in place."""
    from .checks import after_rendering
    from ..compose import compose_papers

    started = time.perf_counter()
    result = Result(display_path(path), path.stem, key)
    try:
        documents = compose_papers(path, data)
        rendered = render_papers(documents, formats)
    except LetterError as exc:
        result.status, result.problems = "failed", exc.problems
        return result
    except WriterError as exc:  # a writer that can say why it cannot write this letter
        result.status = "failed"
        result.problems = [Problem(result.source, None, "", str(exc))]
        return result
    except Exception as exc:  # a bug in a writer: say so plainly, keep the details
        result.status = "failed"
        result.problems = [Problem(result.source, None, "", f"internal error while rendering "
                                   f"({type(exc).__name__}: {exc}); please report it with this "
                                   f"letter file\n{traceback.format_exc()}")]
        return result
    letter = documents[0]
    result.problems, result.info = after_rendering(
        letter, rendered.get(letter.stem + writer("pdf").suffix), data)
    result.problems[:0] = letter.warnings  # the letter file's own warnings (deadlines ...)
    if not rendered:
        result.problems.append(Problem(result.source, None, "", f"none of the formats "
                                        f"{', '.join(formats)} applies to this letter's papers "
                                        f"({', '.join(d.paper for d in documents)})", "warning"))
    if any(p.severity == "error" for p in result.problems):
        result.status = "failed"
        return result
    try:
        replace_together(out_dir, rendered)
    except OSError as exc:  # a full disk, a folder made read-only: the previous pair stays
        result.status = "failed"
        why = exc.strerror or str(exc)
        result.problems.append(Problem(result.source, None, "", f"the outputs cannot be "
                                       f"written to {display_path(out_dir)}/ ({why}); the "
                                       f"previous ones are kept"))
        return result
    result.outputs = {filename: sha256(data) for filename, data in rendered.items()}
    result.seconds = time.perf_counter() - started
    return result


def _worker_start(formats: tuple[str, ...]) -> None:
    """A worker ignores Ctrl-C (the main process decides what stops) and warms up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up(formats)


# -- the batch -------------------------------------------------------------------------------

@contextlib.contextmanager
def output_lock(out_dir: Path):
    """Hold the output folder for one build: a second build into the same folder waits (and
    says so) until the first is done. The lock is on the folder itself: no lock file."""
    handle = os.open(out_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("%s/: another build is writing to this folder; waiting for it to "
                        "finish (Ctrl-C to stop)", display_path(out_dir))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def usable_jobs(requested: int, letters: int) -> int:
    """Workers for `letters` letters: what was asked (0: one per core), at most one per core
    and one per WORKER_MB of available memory; says so when it lowers an explicit -j."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    available = _available_mb()
    by_memory = max(1, available // WORKER_MB) if available else cores
    limit = max(1, min(cores, by_memory))
    if requested > limit:
        log.warning("-j %d lowered to %d: this machine has %d cores and %s MB of memory "
                    "available (a worker may need about %d MB)", requested, limit, cores,
                    available or "?", WORKER_MB)
    jobs = min(requested or limit, limit)
    return max(1, min(jobs, letters or 1))


def _available_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def build(paths: list[Path], out_dir: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
          jobs: int = 0, force: bool = False, progress=None) -> list[Result]:
    """Build letters into out_dir; returns one Result per letter, in the order given.
    An unknown format is refused (UnknownFormat) before anything is written. On Ctrl-C the
    manifest records the letters that finished, and KeyboardInterrupt is raised again."""
    for name in formats:
        writer(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        remove_leftovers(out_dir)
        manifest = read_manifest(out_dir)
        results: dict[Path, Result] = {}

        def done(path: Path, result: Result) -> None:
            results[path] = result
            if progress:
                progress(result)

        try:
            _build(paths, out_dir, formats, jobs, force, manifest, done)
        finally:
            _write_manifest(out_dir, manifest, [results[p] for p in paths if p in results],
                            formats)
    return [results[p] for p in paths]


def _build(paths, out_dir, formats, jobs, force, manifest, done) -> None:
    todo: list[tuple[Path, bytes, str]] = []
    for path in paths:
        try:
            data = read_letter(path)
        except LetterError as exc:
            done(path, Result(display_path(path), path.stem, "", "failed", exc.problems))
            continue
        key = letter_key(data, formats)
        entry = manifest.get(path.stem)
        if not force and _is_current(entry, key, out_dir):
            done(path, Result(display_path(path), path.stem, key, "unchanged",
                              _problems(entry.get("warnings", [])), entry["outputs"],
                              entry.get("info", {})))
        else:
            todo.append((path, data, key))
    if not todo:
        return
    jobs = usable_jobs(jobs, len(todo))
    _warm_up(formats)  # here once: forked workers start with the writers set up
    startup.settle()  # the set-up frozen for the garbage collector (kamerbrief.startup)
    if jobs == 1:
        with _interrupt_between_letters() as interrupted:
            for path, data, key in todo:
                if interrupted():
                    break
                done(path, build_one(path, data, out_dir, formats, key))
        return
    with ProcessPoolExecutor(jobs, initializer=_worker_start, initargs=(formats,)) as pool:
        futures = {pool.submit(build_one, path, data, out_dir, formats, key): path
                   for path, data, key in todo}
        recorded = set()
        try:
            for future in as_completed(futures):
                done(futures[future], _outcome(future, futures[future]))
                recorded.add(future)
        except KeyboardInterrupt:
            _finish_running(pool, {f: p for f, p in futures.items() if f not in recorded}, done)
            raise


@contextlib.contextmanager
def _interrupt_between_letters():
    """Ctrl-C while one letter is built in this process: the letter finishes (its outputs
    and its manifest entry go together), then KeyboardInterrupt is raised."""
    flag: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda *_: flag.append(1))
    try:
        yield lambda: bool(flag)
    finally:
        signal.signal(signal.SIGINT, previous)
    if flag:
        raise KeyboardInterrupt


def _outcome(future, path: Path) -> Result:
    """The Result of a worker; a worker that died (killed, out of memory) fails its letter."""
    try:
        return future.result()
    except Exception as exc:
        return Result(display_path(path), path.stem, "", "failed", [Problem(
            display_path(path), None, "", f"the build worker stopped unexpectedly "
            f"({type(exc).__name__}: {exc}); build this letter alone to see why")])


def _finish_running(pool, futures: dict, done) -> None:
    """After Ctrl-C: drop the letters not started, let those being built finish (a letter
    takes seconds at most) and record them; a second Ctrl-C stops the workers at once."""
    for future in futures:
        future.cancel()
    running = [f for f in futures if not f.cancelled()]  # being built, or just finished
    if any(not f.done() for f in running):
        log.warning("interrupted: finishing the %d letter(s) being built (Ctrl-C again to "
                    "stop at once)", sum(not f.done() for f in running))
    try:
        for future in as_completed(running):
            done(futures[future], _outcome(future, futures[future]))
    except KeyboardInterrupt:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)


# -- the manifest ----------------------------------------------------------------------------

def read_manifest(out_dir: Path) -> dict:
    """The manifest of earlier builds: letter stem -> entry. A missing, unreadable or
    malformed manifest (or entry) is ignored with a warning: those letters are rebuilt."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot be read (%s); ignored, every letter is rebuilt",
                    display_path(path), exc)
        return {}
    if not isinstance(data, dict):
        log.warning("%s: not a build manifest; ignored, every letter is rebuilt",
                    display_path(path))
        return {}
    good = {stem: entry for stem, entry in data.items() if _well_formed(entry)}
    if len(good) < len(data):
        log.warning("%s: %d entr%s not in the expected form; ignored, those letters are rebuilt",
                    display_path(path), len(data) - len(good),
                    "y is" if len(data) - len(good) == 1 else "ies are")
    return good


def _well_formed(entry) -> bool:
    outputs = entry.get("outputs") if isinstance(entry, dict) else None
    return (isinstance(entry, dict) and isinstance(entry.get("key"), str)
            and isinstance(outputs, dict) and bool(outputs)
            and all(isinstance(k, str) and isinstance(v, str) and "/" not in k
                    and k not in ("", ".", "..") for k, v in outputs.items())
            and isinstance(entry.get("info", {}), dict)
            and isinstance(entry.get("warnings", []), list)
            and all(isinstance(w, dict) for w in entry.get("warnings", [])))


def _is_current(entry: dict | None, key: str, out_dir: Path) -> bool:
    if not entry or entry.get("key") != key:
        return False
    for filename, digest in entry["outputs"].items():
        target = out_dir / filename
        if not target.is_file() or sha256(target.read_bytes()) != digest:
            return False
    return True


def _problems(items: list[dict]) -> list[Problem]:
    """Warnings kept in the manifest, as Problems again (malformed ones dropped)."""
    out = []
    for item in items:
        with contextlib.suppress(TypeError):
            out.append(Problem(**item))
    return out


def known_warnings(manifest: dict, path: Path, data: bytes) -> list[Problem]:
    """The warnings the last build found for this letter (e.g. the page count), if the
    letter and the toolchain have not changed since; for `check`, which does not render."""
    entry = manifest.get(path.stem)
    if not entry or not isinstance(entry.get("formats"), list):
        return []
    if letter_key(data, tuple(map(str, entry["formats"]))) != entry["key"]:
        return []
    return _problems(entry.get("warnings", []))


def _write_manifest(out_dir: Path, manifest: dict, results: list[Result],
                    formats: tuple[str, ...]) -> None:
    for result in results:
        if result.status != "failed":
            manifest[result.stem] = {"source": result.source, "key": result.key,
                                     "formats": list(formats), "outputs": result.outputs,
                                     "info": result.info,
                                     "warnings": [vars(p) for p in result.warnings]}
    write_atomically(out_dir / MANIFEST,
                     json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode())
