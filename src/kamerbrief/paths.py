"""Where the project's template assets live (the only files a writer may read)."""

from __future__ import annotations

import os
from pathlib import Path


def templates_dir() -> Path:
    """The templates folder: `KAMERBRIEF_TEMPLATES`, else the repository's `templates/`."""
    configured = os.environ.get("KAMERBRIEF_TEMPLATES")
    if configured:
        return Path(configured).resolve()
    return (Path(__file__).resolve().parents[2] / "templates").resolve()


def schema_path() -> Path:
    """The JSON Schema of the letter file for editors (`kamerbrief schema -o` writes it)."""
    return templates_dir() / "kamerbrief.schema.json"
