"""The program's start-up and exit without the cyclic garbage collector's walks (a cold
`kamerbrief build` of one letter: ~0.25 s of ~1.1 s).

Importing WeasyPrint, python-docx, pydantic and fontTools and setting up fonts and templates
makes a million objects that live as long as the process. While they are made, the collector
walks them again and again for nothing; at exit it walks them once more before the interpreter
frees them one by one. So `kamerbrief build` pauses the collector while it starts (`pause`),
and once set up (`settle`, after the build's warm-up) moves what exists to the collector's
permanent generation (`gc.freeze`: never walked again, and forked workers share those pages
untouched) and lets the collector run for the letters. The program itself (`cli.main` called
without arguments, as the `kamerbrief` command is) freezes what is left when it is done
(`at_exit`): the operating system frees a process's memory at once. A caller that passes
arguments to `cli.main` (tests, scripts) keeps its collector as it was.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Pause the collector for the start-up (nothing when it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def settle() -> None:
    """After the start-up: what exists is frozen, the collector runs again (nothing unless
    `pause` paused it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def at_exit() -> None:
    """The program is done: its objects are left to the operating system."""
    settle()
    gc.freeze()
