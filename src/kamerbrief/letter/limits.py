"""Limits of a letter file (a letter file is untrusted input): above them, a message."""

from __future__ import annotations

MAX_FILE_BYTES = 1_000_000  # a letter file is at most 1 MB (the longest real letters: ~50 kB)
