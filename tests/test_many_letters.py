"""Many different letters through the batch builder: each one builds, validates and stays put.

A bug that hits one letter in a hundred (an unlucky byte at the end of a compressed font once
made the PDF writer loop forever) only shows over many letters.
"""

from __future__ import annotations

import sys

import page as page_validation

from kamerbrief.batch.build import build

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_letters  # noqa: E402


def test_sixty_synthetic_letters_build_and_pass_pdfa_and_pdfua(tmp_path):
    letters = write_letters(tmp_path / "letters", 40, 1) + write_letters(
        tmp_path / "letters", 20, 2, first_seed=500)
    out = tmp_path / "out"
    results = build(letters, out, ("pdf", "docx"), jobs=2)
    assert [r.status for r in results] == ["built"] * len(letters), [
        str(p) for r in results for p in r.problems]
    for letter in letters:
        data = (out / f"{letter.stem}.pdf").read_bytes()
        for profile in ("2a", "ua1"):
            report = page_validation.validate_pdf_bytes(data, profile=profile)
            assert not report.failures, (letter.name, profile, report.failures[:3])
        assert (out / f"{letter.stem}.docx").stat().st_size > 0
