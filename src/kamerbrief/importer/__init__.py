"""`kamerbrief import`: the reviewed .docx back into the letter file it was built from.

open the .docx (package) -> list tracked changes and comments (revisions); refuse, accept or
reject them -> read fields and body (reader) -> compare with the letter file's own Document
and write only what differs (merge, letterfile) -> check the result: the updated letter is
composed again, its body must equal what was read, and a fresh .docx of it must show the same
text outside the fields as the reviewed one (check). Problems are located; with any, nothing
is written unless --force.
"""

from __future__ import annotations


def __getattr__(name: str):
    """The import's functions, loaded on first use (review.py): `kamerbrief` registers the
    import command at start-up and must not load compose, fonts and the writers for that."""
    import importlib  # noqa: PLC0415

    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.review"), name)
