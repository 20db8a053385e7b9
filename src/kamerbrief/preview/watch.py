"""What the preview watches: the letter file and every file the build reads besides it
(the templates folder with layout.toml, registry.yaml, fonts and logo; KAMERBRIEF_LAYOUT)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import DefaultFilter, awatch

from ..layout import layout_path
from ..paths import templates_dir

LETTER, TOOLCHAIN = "letter", "toolchain"


def watched(letter: Path) -> tuple[Path, Path, Path]:
    """The letter file, the templates folder and the layout file in use (absolute)."""
    return letter.resolve(), templates_dir().resolve(), layout_path().resolve()


async def changes(letter: Path, stop: asyncio.Event) -> AsyncIterator[str]:
    """LETTER or TOOLCHAIN each time a watched file is saved (editors' swap files ignored)."""
    letter, templates, layout = watched(letter)
    ignore = DefaultFilter()

    def wanted(change, name: str) -> bool:
        path = Path(name)
        return ignore(change, name) and (path == letter or path == layout
                                         or path.is_relative_to(templates))

    # Folders, not files: an editor that saves by renaming a new file into place would end a
    # watch on the file itself. The letter's folder is watched alone (it may hold anything).
    queue: asyncio.Queue[str] = asyncio.Queue()

    async def watch(folders, recursive: bool) -> None:
        async for found in awatch(*folders, watch_filter=wanted, step=30, debounce=400,
                                  stop_event=stop, recursive=recursive):
            paths = {Path(name) for _, name in found}
            queue.put_nowait(LETTER if paths == {letter} else TOOLCHAIN)

    flat = {letter.parent, layout.parent} - {templates}
    tasks = [asyncio.create_task(watch(sorted(flat, key=str), False)),
             asyncio.create_task(watch([templates], True))]
    try:
        while not stop.is_set():
            yield await queue.get()
    finally:
        for task in tasks:
            task.cancel()
