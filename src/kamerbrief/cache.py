"""A cache on disk for what every new process would otherwise work out again from the same
files: the hyphenation patterns, the fonts' character widths, the compiled Jinja templates.
It makes a cold start (one `kamerbrief build` of one letter) quicker; it changes no output.

Where: the folder `KAMERBRIEF_CACHE` names (`off` turns the cache off), else
`$XDG_CACHE_HOME/kamerbrief`, else `~/.cache/kamerbrief`. Deleting it is always safe.

Every entry is keyed by content: a hash of the bytes it was worked out from plus the version of
what worked it out. An entry for other content, or one that cannot be read or decoded (a
corrupt or half-written file), is ignored: the value is worked out again and the entry
rewritten. Entries are written atomically (a temporary file, then a rename); a cache that
cannot be written (a read-only home) is skipped without a word.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

from . import __version__

OFF = "off"
FORMAT = 1  # raise when the form of the entries changes


def folder() -> Path | None:
    """The cache folder (perhaps not made yet), or None when the cache is off."""
    configured = os.environ.get("KAMERBRIEF_CACHE", "")
    if configured.strip().lower() == OFF:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "kamerbrief"
    try:
        return Path.home() / ".cache" / "kamerbrief"
    except (RuntimeError, KeyError):  # no home folder: no cache
        return None


def content_key(*parts: bytes | str) -> str:
    """A key for the cache: the SHA-256 of the parts (file bytes, versions), with ours."""
    digest = hashlib.sha256(f"kamerbrief {__version__} cache {FORMAT}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _path(name: str) -> Path | None:
    where = folder()
    return where / f"{name}.json" if where else None


def load(name: str, key: str) -> Any | None:
    """The value stored as `name` for `key`; None when there is none, for another key, or the
    entry cannot be read."""
    path = _path(name)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry.get("value")


def store(name: str, key: str, value: Any) -> None:
    """Store a JSON value as `name` for `key` (replacing what was there); quietly nothing when
    the cache is off or cannot be written."""
    path = _path(name)
    if path is None:
        return
    write_quietly(path, json.dumps({"key": key, "value": value}, ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8"))


def write_quietly(path: Path, data: bytes) -> None:
    """Write a cache file atomically (its folder made if need be); nothing when it cannot be
    written."""
    from .batch.files import write_atomically  # noqa: PLC0415 (only when writing)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError:
        return


def remembered(name: str, key: str, compute: Callable[[], Any],
               encode: Callable[[Any], Any | None] = lambda value: value,
               decode: Callable[[Any], Any] = lambda stored: stored) -> Any:
    """`compute()`, or the value stored as `name` for `key` (decoded). `encode` makes a JSON
    value of a computed one (None: do not store it); `decode` rebuilds it, raising
    (ValueError, TypeError, KeyError, ...) for an entry not in the expected form, which is then
    ignored and rewritten."""
    stored = load(name, key)
    if stored is not None:
        try:
            return decode(stored)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass
    value = compute()
    encoded = encode(value)
    if encoded is not None:
        store(name, key, encoded)
    return value
