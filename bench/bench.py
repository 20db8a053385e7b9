"""The benchmark behind the README's figures (`make bench`). Prints figures; asserts nothing.

- ms per letter for each format (warm, one process), 2-page and 10-page letters
- 100 two-page letters, both formats, with -j 2: wall time and letters per second
- peak memory of a build worker
- a rebuild where nothing changed (the real command, as a new process)
- LibreOffice converting the same .docx files to PDF: one soffice call per letter (how teams
  script it today) and one call for the whole batch
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_letters  # noqa: E402

from kamerbrief.batch.build import build  # noqa: E402
from kamerbrief.compose import compose_file  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def per_format(paths: list[Path], label: str) -> dict[str, float]:
    from kamerbrief.writers.pdf.writer import render_pdf
    from kamerbrief.writers.word.writer import render_docx

    documents = [compose_file(p) for p in paths]
    render_pdf(documents[0]), render_docx(documents[0])  # warm up
    figures = {}
    started = time.perf_counter()
    for path in paths:
        compose_file(path)
    figures["compose"] = (time.perf_counter() - started) / len(paths)
    for name, render in (("pdf", render_pdf), ("docx", render_docx)):
        times = []
        for document in documents:
            started = time.perf_counter()
            render(document)
            times.append(time.perf_counter() - started)
        figures[name] = statistics.median(times)
    print(f"{label:22} compose {ms(figures['compose'])}   pdf {ms(figures['pdf'])}   "
          f"docx {ms(figures['docx'])}   (median per letter)")
    return figures


def soffice(files: list[Path], out: Path) -> None:
    profile = Path(tempfile.mkdtemp(prefix="kb-lo-"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True)
    shutil.rmtree(profile, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--soffice-letters", type=int, default=10,
                        help="letters converted one soffice call each (slow)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    print(f"kamerbrief benchmark, {os.cpu_count()} cores, work folder {work}\n")

    two = write_letters(work / "two", args.letters, 2)
    ten = write_letters(work / "ten", 5, 10)
    per_format(two[:10], "2-page letter")
    pdf_ms = per_format(ten, "10-page letter")

    out = work / "out"
    started = time.perf_counter()
    results = build(two, out, ("pdf", "docx"), args.jobs, force=True)
    wall = time.perf_counter() - started
    assert all(r.status == "built" for r in results), [str(p) for r in results for p in r.problems]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = {r.info.get("pages") for r in results}
    print(f"\n{len(two)} letters ({'/'.join(map(str, sorted(pages)))} pages), both formats, "
          f"-j {args.jobs}: {wall:.2f} s wall, {len(two) / wall:.1f} letters/s")
    print(f"peak memory of a build worker: {peak_mb:.0f} MB")

    kamerbrief = ROOT / ".venv" / "bin" / "kamerbrief"
    started = time.perf_counter()
    subprocess.run([str(kamerbrief), "build", str(work / "two"), "-o", str(out),
                    "-j", str(args.jobs)], check=True, capture_output=True)
    print(f"rebuild with nothing changed ({len(two)} letters, new process): "
          f"{time.perf_counter() - started:.2f} s")

    from kamerbrief.writers.pdf.writer import render_pdf
    documents = [compose_file(p) for p in two[:10]]
    render_pdf(documents[0])
    started = time.perf_counter()
    for document in documents:
        render_pdf(document)
    ours = (time.perf_counter() - started) / len(documents)

    started = time.perf_counter()
    build(two, work / "pdf-only", ("pdf",), args.jobs, force=True)
    ours_batch = (time.perf_counter() - started) / len(two)
    print(f"\nPDF per 2-page letter, ours: {ms(ours)} in one process | {ms(ours_batch)} wall per "
          f"letter for {len(two)} letters with `kamerbrief build --format pdf -j {args.jobs}`")

    if not shutil.which("soffice"):
        print("LibreOffice (soffice) not installed: comparison skipped")
        return 0
    docx = sorted(out.glob("*.docx"))
    lo_out = work / "lo"
    some = docx[: args.soffice_letters]
    started = time.perf_counter()
    for path in some:
        soffice([path], lo_out / "single")
    single = (time.perf_counter() - started) / len(some)
    started = time.perf_counter()
    soffice(docx, lo_out / "batch")
    batch = (time.perf_counter() - started) / len(docx)
    print(f"LibreOffice, one soffice call per letter ({len(some)} letters): {ms(single)} per "
          f"letter = {single / ours:.0f}x ours (one process)")
    print(f"LibreOffice, one soffice call for {len(docx)} letters: {ms(batch)} per letter = "
          f"{batch / ours_batch:.1f}x our batch, {batch / ours:.2f}x ours in one process")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
