"""The benchmark behind the README's figures (`make bench`). Prints figures side by side; asserts
nothing.

In one run, on the same synthetic letters (bench/synthetic.py):

1. per letter, in one process, warm (median CPU milliseconds): our compose, our PDF, our .docx;
   a bare WeasyPrint render of the same body text (plain HTML and CSS, same fonts and page size)
   and of our full HTML with that plain CSS; the ratios.
2. the batch: N two-page letters, both formats, `kamerbrief build -j J` (a new process, as a
   user runs it, kamerbrief's cache filled by an earlier build): wall and CPU seconds; one
   LibreOffice call converting the same .docx files to PDF (its profile set up by an earlier
   start): wall and CPU seconds; the medians of `--batch-runs` runs (3), and the ratio.
3. a cold one-letter build (a new `kamerbrief build` process, both formats), a rebuild with
   nothing changed, the peak memory of a build worker, and the preview's re-render when the
   preview is installed.

`--sections 1,3` runs only those sections (`make bench BENCH="--sections 3"`); `--cold-runs N`
takes the median of N cold builds.

CPU time is what a busy machine cannot steal; wall time is what a user waits. The load average
at the start is printed: figures from a busy machine are not comparable with an idle one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import platform
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

from kamerbrief.compose import compose_file  # noqa: E402
from kamerbrief.document import Heading, ListBlock, Paragraph, plain_text  # noqa: E402

KAMERBRIEF = ROOT / ".venv" / "bin" / "kamerbrief"


def median_cpu_ms(function, items, repeat: int = 1) -> float:
    """Median CPU milliseconds of function(item) over the items."""
    times = []
    for _ in range(repeat):
        for item in items:
            started = time.process_time()
            function(item)
            times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def run_timed(command: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# -- 1. per letter, warm ---------------------------------------------------------------------

def body_text_html(document) -> str:
    """The letter's body text alone as plain HTML: paragraphs, headings and list items."""
    parts = []

    def add(blocks):
        for block in blocks:
            if isinstance(block, (Paragraph, Heading)):
                parts.append(f"<p>{html.escape(plain_text(block.inlines))}</p>")
            elif isinstance(block, ListBlock):
                for item in block.items:
                    add(item)
            else:
                add(block.blocks)

    add(document.blocks)
    return "<!DOCTYPE html><html lang=nl><body>" + "".join(parts) + "</body></html>"


def per_letter(paths: list[Path]) -> dict[str, float]:
    from kamerbrief.layout import load_layout
    from kamerbrief.writers.pdf._weasyprint import weasyprint
    from kamerbrief.writers import writer

    pdf, docx = writer("pdf"), writer("docx")
    pdf.warm_up(), docx.warm_up()
    kit = pdf.load().kit()
    layout = load_layout()
    documents = [compose_file(p) for p in paths]
    # the bare renders get fonts of their own: their @font-face rule added to the writer's
    # font configuration would make every later lookup of ours slower (a build has no such rule)
    bare_fonts = weasyprint.text.fonts.FontConfiguration()
    plain_css = weasyprint.CSS(string=(
        f'@font-face {{ font-family: "{layout.fonts.sans_family}"; '
        f'src: url("{layout.fonts.sans_regular}") }}'
        f"@page {{ size: {layout.page.width_mm}mm {layout.page.height_mm}mm; "
        f"margin: {layout.body.follow_top_mm}mm "
        f"{layout.page.width_mm - layout.body.x_mm - layout.body.width_mm}mm "
        f"{layout.body.bottom_mm}mm {layout.body.x_mm}mm }}"
        f'html {{ font-family: "{layout.fonts.sans_family}"; '
        f"font-size: {layout.type.body_size_pt}pt; line-height: {layout.type.body_leading_pt}pt }}"
        f"p {{ margin: 0 0 {layout.type.body_leading_pt}pt }}"),
        base_url=kit.base_url, url_fetcher=kit.fetcher, font_config=bare_fonts)

    def bare(markup: str) -> bytes:
        return weasyprint.HTML(string=markup, base_url=kit.base_url,
                               url_fetcher=kit.fetcher).write_pdf(stylesheets=[plain_css],
                                                                  font_config=bare_fonts)

    render_html = pdf.load().render_html
    bodies = [body_text_html(d) for d in documents]
    fulls = [render_html(d) for d in documents]
    for warm in (lambda: pdf.render(documents[0]), lambda: docx.render(documents[0]),
                 lambda: bare(bodies[0]), lambda: bare(fulls[0])):
        warm()
    return {
        "compose": median_cpu_ms(compose_file, paths),
        "pdf": median_cpu_ms(pdf.render, documents, 2),
        "docx": median_cpu_ms(docx.render, documents, 2),
        "bare body": median_cpu_ms(bare, bodies, 2),
        "bare full": median_cpu_ms(bare, fulls, 2),
    }


def print_per_letter(label: str, f: dict[str, float]) -> None:
    print(f"  {label}: compose {f['compose']:.0f} ms | our PDF {f['pdf']:.0f} ms | our .docx "
          f"{f['docx']:.0f} ms | bare WeasyPrint, body text {f['bare body']:.0f} ms | bare "
          f"WeasyPrint, our HTML with plain CSS {f['bare full']:.0f} ms")
    print(f"  {' ' * len(label)}  our PDF = {f['pdf'] / f['bare body']:.2f}x the bare body text, "
          f"{f['pdf'] / f['bare full']:.2f}x our HTML with plain CSS")


# -- 2. the batch against LibreOffice ---------------------------------------------------------

def soffice_batch(files: list[Path], out: Path) -> tuple[float, float]:
    profile = Path(tempfile.mkdtemp(prefix="kb-lo-"))
    try:
        # a first start sets up the profile; not counted (a user's LibreOffice has one)
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--terminate_after_init"], check=False, capture_output=True)
        return run_timed(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(out), *map(str, files)])
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sections(text: str) -> set[int]:
    """`1,3` as {1, 3}; argparse reports anything else."""
    try:
        chosen = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        chosen = set()
    if not chosen or not chosen <= {1, 2, 3}:
        raise argparse.ArgumentTypeError(f"{text!r}: give section numbers 1, 2, 3, e.g. 1,3")
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description="kamerbrief benchmark (prints, asserts nothing)")
    parser.add_argument("--letters", type=int, default=100, help="letters in the batch")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sections", type=sections, default={1, 2, 3}, metavar="LIST",
                        help="which sections to run, e.g. 1,3 (default: all; see the docstring)")
    parser.add_argument("--batch-runs", type=int, default=3, metavar="N",
                        help="batch runs (ours and LibreOffice's) whose median section 2 prints")
    parser.add_argument("--cold-runs", type=int, default=3, metavar="N",
                        help="cold one-letter builds whose median section 3 prints")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    os.environ["KAMERBRIEF_CACHE"] = str(work / "cache")  # kamerbrief.cache: not the user's
    # the commands measured start as a user's do: with the bytecode Python wrote the first time
    # (without it each start compiles kamerbrief's modules again, ~60 ms)
    no_bytecode = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    load = os.getloadavg()[0]
    print(f"kamerbrief benchmark, {dt.date.today()}, {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load:.1f} at the start"
          + ("  (a busy machine: wall times are not comparable)" if load > 0.5 else ""))
    if no_bytecode:
        print("  (PYTHONDONTWRITEBYTECODE was set: unset for the commands measured)")

    two = write_letters(work / "two", args.letters, 2)
    if 1 in args.sections:
        ten = write_letters(work / "ten", 5, 10)
        print("\n1. Per letter, one process, warm (median CPU time)")
        print_per_letter("2-page letter ", per_letter(two[:10]))
        print_per_letter("10-page letter", per_letter(ten))

    out = work / "out"
    peak = None
    if 2 in args.sections:
        print(f"\n2. The batch: {len(two)} two-page letters (median of {args.batch_runs} runs)")
        # as on a user's machine after the first build: kamerbrief's cache filled (not counted,
        # as LibreOffice's first start that sets up its profile is not counted)
        run_timed([str(KAMERBRIEF), "build", str(two[0]), "-o", str(work / "first-out")])
        runs = [run_timed([str(KAMERBRIEF), "build", str(work / "two"), "-o", str(out),
                           "-j", str(args.jobs), "--force"]) for _ in range(args.batch_runs)]
        wall, cpu = sorted(runs)[len(runs) // 2]
        ours = (wall, cpu)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # before LibreOffice
        print(f"  ours, PDF + .docx, `kamerbrief build -j {args.jobs}`: {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU ({len(two) / wall:.1f} letters/s; runs: "
              f"{', '.join(f'{w:.2f}' for w, _ in runs)} s)")
        if shutil.which("soffice"):
            docx = sorted(out.glob("*.docx"))
            runs = [soffice_batch(docx, work / "lo") for _ in range(args.batch_runs)]
            wall, cpu = sorted(runs)[len(runs) // 2]
            print(f"  LibreOffice, one call converting the same {len(docx)} .docx to PDF: "
                  f"{wall:.2f} s wall, {cpu:.2f} s CPU (runs: "
                  f"{', '.join(f'{w:.2f}' for w, _ in runs)} s)")
            print(f"  ours / LibreOffice: {ours[0] / wall:.2f}x the wall time, "
                  f"{ours[1] / cpu:.2f}x the CPU time (ours writes both formats, the PDF tagged "
                  f"PDF/A-2a + PDF/UA-1)")
        else:
            print("  LibreOffice (soffice) is not installed: no comparison")

    if 3 not in args.sections:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    print("\n3. One letter, and the rest")
    one = work / "one"
    one.mkdir()
    shutil.copy(two[0], one)
    cold = [str(KAMERBRIEF), "build", str(one), "-o", str(work / "cold"), "-j", "1", "--force"]
    filled = {**os.environ, "KAMERBRIEF_CACHE": str(work / "first")}  # empty, then filled
    empty, _ = run_timed(cold, env=filled)
    colds = [run_timed(cold, env=filled)[0] for _ in range(args.cold_runs)]
    print(f"  cold one-letter build (new process, both formats): {statistics.median(colds):.2f} s "
          f"wall (median of {len(colds)}; fastest {min(colds):.2f} s); with an empty cache "
          f"(the first build on a machine): {empty:.2f} s")
    if 2 in args.sections:
        wall, _ = run_timed([str(KAMERBRIEF), "build", str(work / "two"), "-o", str(out), "-j",
                             str(args.jobs)])
        print(f"  rebuild of the {len(two)} letters with nothing changed (new process): "
              f"{wall:.2f} s")
        print(f"  peak memory of a build process (largest of the batch's processes): {peak:.0f} MB")
    preview = ROOT / "bench" / "bench_preview.py"
    if preview.exists():
        result = subprocess.run([sys.executable, str(preview)], capture_output=True, text=True)
        lines = (result.stdout or result.stderr).strip().splitlines()
        print("  preview: " + (lines[-1] if lines else "no figure"))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
