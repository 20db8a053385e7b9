"""Where the project's template assets live (the only files a writer may read)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def templates_dir() -> Path:
    """The templates folder: `KAMERBRIEF_TEMPLATES`, else the repository's `templates/`."""
    configured = os.environ.get("KAMERBRIEF_TEMPLATES") or ""
    return resolved(configured or str(Path(__file__).parents[2] / "templates"))


@lru_cache(maxsize=32)
def _resolved(name: str, cwd: str) -> Path:  # noqa: ARG001 (cwd: part of the cache key)
    return Path(name).resolve()


def resolved(name: str) -> Path:
    """`Path(name).resolve()`, remembered per name and working directory: a letter asks for the
    templates folder and layout file some sixty times, and each resolve is a dozen system
    calls. (A symlink changed during a run is not followed anew; a changed environment
    variable is.)"""
    return _resolved(name, os.getcwd())


def schema_path() -> Path:
    """The JSON Schema of the letter file for editors (`kamerbrief schema -o` writes it)."""
    return templates_dir() / "kamerbrief.schema.json"
