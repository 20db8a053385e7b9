"""One long-lived render process: warm between renders, replaced when it dies or goes stale.

The server never renders itself: a crash (or a hang in a library) of one render ends only the
worker, and the next render starts a new one. A change to the templates or the layout file
also replaces it, so that no cache of the old files survives.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from . import render

__all__ = ["BrokenProcessPool", "RenderWorker"]


class RenderWorker:
    """Runs functions of render.py in one warm worker process, one call at a time."""

    def __init__(self):
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=render.warm_up)
        return self._pool

    def start(self) -> None:
        """Start the process now (it warms up while the server starts)."""
        self._executor().submit(int)

    async def run(self, function, *args):
        """`function(*args)` in the worker; BrokenProcessPool when the worker died (it is
        replaced for the next call)."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), function, *args)
        except BrokenProcessPool:
            self.restart()
            raise

    def restart(self) -> None:
        """Replace the worker process (the old one ends after its current call)."""
        self.stop()
        self.start()

    def stop(self, kill: bool = False) -> None:
        """Let go of the worker; with `kill` (the server stops) end it even mid-render."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            if kill:  # the executor has no public way to end a busy worker
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()
            # After a kill, waiting is short and lets the executor release its locks.
            pool.shutdown(wait=kill, cancel_futures=True)
