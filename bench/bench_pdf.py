"""Milliseconds per letter for the PDF writer: cold (first letter in a fresh process, set-up
included) and warm (the same letters again, set-up done), on the seed letters and the long letter.

    .venv/bin/python bench/bench_pdf.py [LETTER ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [*sorted((ROOT / "letters").glob("*.yaml")), ROOT / "tests/fixtures/long-letter.yaml"]


def _pages(data: bytes) -> int:
    import pikepdf
    import io
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def cold(letter: Path) -> float:
    """Milliseconds for compose + render of one letter in a fresh Python process (imports not
    counted, set-up of templates, CSS and fonts counted)."""
    code = (
        "import time, sys\n"
        "from kamerbrief.compose import compose_file\n"
        "from kamerbrief.writers.pdf.writer import render_pdf\n"
        "doc = compose_file(sys.argv[1])\n"
        "t = time.perf_counter(); render_pdf(doc)\n"
        "print((time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(letter)], check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("letters", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    letters = [p for p in (args.letters or DEFAULT) if p.exists()]

    from kamerbrief.compose import compose_file
    from kamerbrief.writers.pdf.writer import render_pdf

    docs = [compose_file(p) for p in letters]
    for doc in docs:  # set-up once
        render_pdf(doc)
    print(f"{'letter':48} {'pages':>5} {'cold ms':>8} {'warm ms':>8} {'ms/page':>8}")
    for path, doc in zip(letters, docs):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            data = render_pdf(doc)
            times.append((time.perf_counter() - t) * 1000)
        warm = min(times)
        pages = _pages(data)
        print(f"{path.stem[:48]:48} {pages:5d} {cold(path):8.0f} {warm:8.0f} {warm / pages:8.1f}")


if __name__ == "__main__":
    main()
