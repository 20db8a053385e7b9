"""Shared test fixtures: the repository's letters and a writer of small letter files."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

# kamerbrief's cache on disk (kamerbrief.cache): a folder of this test run, not the user's
os.environ["KAMERBRIEF_CACHE"] = tempfile.mkdtemp(prefix="kamerbrief-test-cache-")
atexit.register(shutil.rmtree, os.environ["KAMERBRIEF_CACHE"], ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "letters"
SEED_2019 = LETTERS / "2019-12-09-aanbieding-dtn-51.yaml"
SEED_2023 = LETTERS / "2023-12-12-dreigingsbeeld-december-2023.yaml"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

MINIMAL = """\
sender:
  ministry: jenv
recipient: tweede-kamer
date: 2024-03-01
kenmerk: "2024-0000000001"
subject: Proefbrief
sections:
  - text: |
      Een alinea.
minister:
  title: De Minister van Justitie en Veiligheid
  name: A. Proef
"""


@pytest.fixture(scope="session")
def built():
    """Outputs of a letter file (Document, PDF, .docx, parsed pages), each made once per session."""
    from outputs import Outputs

    return Outputs


@pytest.fixture
def write_letter(tmp_path):
    """Write a letter file from text (dedented) and return its path."""

    def write(text: str, name: str = "brief.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
