"""The preview server: one letter's pages and problems on http://127.0.0.1:PORT/.

Routes (nothing else is served; no part of a URL is ever used as a path to open):
  /                         the page, rendered by the server (works without JavaScript)
  /state                    the part of the page that changes (the live update swaps it in)
  /events                   server-sent events: the number of the newest state
  /pages/{gen}/{n}.png      page n of rendering number gen of this letter (counted through
                            all its papers, the letter first)
  /word/{id}/{n}.png        page n of a Word conversion of this letter
  /static/preview.css|.js   the page's own style and script (from the package)
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import webbrowser
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from ..letter.load import SUFFIXES
from ..problems import Problem, display_path
from . import render, watch
from .worker import BrokenProcessPool, RenderWorker

HOST = "127.0.0.1"
ALLOWED_HOSTS = [HOST, "localhost"]        # any other Host header: DNS rebinding, refused
KEEP_RENDERINGS = 3                        # older page images stay served for slow clients
WORD_CACHE = 8                             # Word conversions kept, per letter hash
SOFFICE_SECONDS = 180
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'self'; "
                               "script-src 'self'; connect-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",   # no other site may embed a page picture
    "Cache-Control": "no-store",
}


class SameSiteOnly:
    """Refuses (403) what a browser marks as asked for by another site (Sec-Fetch-Site): a web
    page elsewhere cannot make the preview work or read it, even by an <img> or a link."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            site = dict(scope["headers"]).get(b"sec-fetch-site", b"")
            if site in (b"cross-site", b"same-site"):
                response = Response("only this preview's own page may ask", status_code=403,
                                    headers=SECURITY_HEADERS)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


@dataclass
class WordView:
    """The Word version of one letter state (by letter hash)."""

    status: str                     # converting, ready, failed
    number: int = 0                 # in the image URLs
    pages: tuple[render.PageImage, ...] = ()
    message: str = ""


@dataclass
class State:
    """What the page shows; `version` grows with every change."""

    version: int = 0
    busy: bool = True
    good: render.Rendering | None = None       # the last rendering without errors
    generation: int = 0                        # its number (in the image URLs)
    problems: tuple[Problem, ...] = ()
    seconds: float | None = None
    cpu_seconds: float | None = None
    when: dt.datetime | None = None
    renderings: dict[int, render.Rendering] = field(default_factory=dict)

    @property
    def errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


class Preview:
    """The watched letter, its warm worker and the state the page shows."""

    def __init__(self, letter: Path):
        self.letter = letter.resolve()
        self.name = display_path(letter)
        self.worker = RenderWorker()
        self.state = State()
        self.bumped = asyncio.Event()      # set (and replaced) at every change of the state
        self.dirty = asyncio.Event()
        self.stale_worker = False
        self.stop = asyncio.Event()
        self.want_word = False
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.word: dict[str, WordView] = {}
        self.word_numbers = 0
        self.docx: dict[str, bytes] = {}
        self.tasks: list[asyncio.Task] = []
        self.lo_profile = Path(tempfile.gettempdir()) / f"kamerbrief-preview-lo-{os.getpid()}"

    # -- life cycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.worker.start()
        self.dirty.set()
        self.tasks = [asyncio.create_task(self.render_loop()),
                      asyncio.create_task(self.watch_loop())]

    async def close(self) -> None:
        self.stop.set()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(BaseException):
                await task
        self.worker.stop(kill=True)
        shutil.rmtree(self.lo_profile, ignore_errors=True)

    async def notify(self) -> None:
        self.state.version += 1
        self.bumped.set()
        self.bumped = asyncio.Event()

    async def newer_than(self, version: int, timeout: float) -> int:
        """The state's version once it is newer than `version`, after `timeout` seconds, or
        at once when the server stops."""
        if self.state.version == version and not self.stop.is_set():
            waits = [asyncio.ensure_future(self.bumped.wait()),
                     asyncio.ensure_future(self.stop.wait())]
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()
        return self.state.version

    # -- watching and rendering ----------------------------------------------------------------

    async def watch_loop(self) -> None:
        async for kind in watch.changes(self.letter, self.stop):
            if kind == watch.TOOLCHAIN:
                self.stale_worker = True
                self.word.clear()
                self.docx.clear()
            self.dirty.set()

    async def render_loop(self) -> None:
        while True:
            await self.dirty.wait()
            self.dirty.clear()
            if self.stale_worker:  # templates or layout changed: no cache of them may survive
                self.stale_worker = False
                self.worker.restart()
            self.state.busy = True
            await self.notify()
            outcome = await self.render_once()
            self.apply(outcome)
            await self.notify()

    async def render_once(self) -> render.Outcome:
        try:
            return await self.worker.run(render.render_letter, str(self.letter), self.want_word)
        except BrokenProcessPool:
            message = ("the renderer stopped unexpectedly on this version of the letter; it has "
                       "been restarted: save the file again, and report it if this repeats")
        except Exception as exc:  # a bug in a writer: say so, keep serving
            message = (f"internal error while rendering ({type(exc).__name__}: {exc}); "
                       f"please report it with this letter file")
        return render.Outcome(None, (Problem(self.name, None, "", message),))

    def apply(self, outcome: render.Outcome) -> None:
        state = self.state
        state.busy = False
        state.problems = outcome.problems
        state.seconds, state.cpu_seconds = outcome.seconds, outcome.cpu_seconds
        state.when = dt.datetime.now()
        if outcome.rendering is not None:
            state.generation += 1
            state.good = outcome.rendering
            state.renderings[state.generation] = outcome.rendering
            for old in sorted(state.renderings)[:-KEEP_RENDERINGS]:
                del state.renderings[old]
            if outcome.docx is not None:
                self.docx = {outcome.rendering.letter_hash: outcome.docx}
            self.ensure_word()

    # -- the Word version ----------------------------------------------------------------------

    def ask_word(self) -> None:
        """A page shows the Word version: convert the current letter when it is not yet."""
        if not self.want_word:
            self.want_word = True
        self.ensure_word()

    def ensure_word(self) -> None:
        good = self.state.good
        if not self.want_word or good is None or not self.soffice:
            return
        key = good.letter_hash
        if key in self.word:
            return
        if key not in self.docx:  # rendered before the Word view was asked: once more
            self.dirty.set()
            return
        self.word_numbers += 1
        self.word[key] = WordView("converting", self.word_numbers)
        while len(self.word) > WORD_CACHE:
            del self.word[next(iter(self.word))]
        self.tasks.append(asyncio.create_task(self.convert(key, self.docx[key])))

    async def convert(self, key: str, docx: bytes) -> None:
        view = self.word[key]
        try:
            pdf = await self.soffice_pdf(docx)
            view.pages = await self.worker.run(render.rasterize, pdf, False)
            view.status = "ready"
        except Exception as exc:  # LibreOffice missing a font, a timeout, ...
            view.status, view.message = "failed", f"LibreOffice could not convert it ({exc})"
        await self.notify()

    async def soffice_pdf(self, docx: bytes) -> bytes:
        """The .docx as LibreOffice prints it (its own profile folder, so it never clashes
        with a LibreOffice the user has open)."""
        with tempfile.TemporaryDirectory(prefix="kamerbrief-preview-") as folder:
            source = Path(folder) / "letter.docx"
            source.write_bytes(docx)
            process = await asyncio.create_subprocess_exec(
                self.soffice, f"-env:UserInstallation={self.lo_profile.as_uri()}", "--headless",
                "--convert-to", "pdf", "--outdir", folder, str(source),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
            try:
                await asyncio.wait_for(process.wait(), SOFFICE_SECONDS)
            except TimeoutError:
                process.kill()
                raise RuntimeError(f"no result after {SOFFICE_SECONDS} s") from None
            result = source.with_suffix(".pdf")
            if not result.is_file():
                raise RuntimeError(f"exit status {process.returncode}")
            return result.read_bytes()

    def word_view(self) -> dict:
        if not self.soffice:
            return {"status": "missing"}
        good = self.state.good
        view = self.word.get(good.letter_hash) if good else None
        if view is None:
            return {"status": "waiting"}
        return {"status": view.status, "number": view.number, "pages": view.pages,
                "message": view.message}


# -- the page --------------------------------------------------------------------------------

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("kamerbrief.preview", "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _static(name: str) -> bytes:
    return resources.files("kamerbrief.preview").joinpath("static", name).read_bytes()


STATIC = {"preview.css": ("text/css", _static("preview.css")),
          "preview.js": ("text/javascript", _static("preview.js"))}


def _options(request: Request) -> dict[str, bool]:
    """The page's toggles, from its query string (so they work without JavaScript)."""
    return {name: request.query_params.get(name) == "1" for name in ("overlay", "word")}


def _context(preview: Preview, options: dict[str, bool]) -> dict:
    state = preview.state
    if options["word"]:
        preview.ask_word()
    return {
        "name": preview.name,
        "state": state,
        "rendering": state.good,
        "stale": state.good is not None and state.errors,
        "errors": [p for p in state.problems if p.severity == "error"],
        "warnings": [p for p in state.problems if p.severity != "error"],
        "options": options,
        "word": preview.word_view() if options["word"] else None,
    }


def _html(template: str, context: dict) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(template).render(**context),
                        headers=SECURITY_HEADERS)


def _png(data: bytes) -> Response:
    # An image URL names one rendering for good: the browser may keep it.
    headers = {**SECURITY_HEADERS, "Cache-Control": "private, max-age=3600, immutable"}
    return Response(data, media_type="image/png", headers=headers)


def create_app(letter: Path) -> Starlette:
    """The preview's web app for one letter file."""
    preview = Preview(letter)

    async def page(request: Request) -> Response:
        return _html("page.html.j2", _context(preview, _options(request)))

    async def state(request: Request) -> Response:
        return _html("state.html.j2", _context(preview, _options(request)))

    async def events(request: Request) -> Response:
        async def stream():
            version = -1
            while not preview.stop.is_set():
                newer = await preview.newer_than(version, timeout=15)
                if preview.stop.is_set():
                    break
                if newer == version:
                    yield ": still here\n\n"       # keeps proxies and the browser patient
                    continue
                version = newer
                yield f"event: state\ndata: {version}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers=SECURITY_HEADERS)

    async def page_image(request: Request) -> Response:
        rendering = preview.state.renderings.get(request.path_params["generation"])
        index = request.path_params["index"]
        if rendering is None or not 1 <= index <= len(rendering.pages):
            return Response("no such page", status_code=404, headers=SECURITY_HEADERS)
        return _png(rendering.pages[index - 1].png)

    async def word_image(request: Request) -> Response:
        number, index = request.path_params["number"], request.path_params["index"]
        for view in preview.word.values():
            if view.number == number and 1 <= index <= len(view.pages):
                return _png(view.pages[index - 1].png)
        return Response("no such page", status_code=404, headers=SECURITY_HEADERS)

    def static(name: str):
        media_type, data = STATIC[name]

        async def serve(request: Request) -> Response:
            return Response(data, media_type=media_type, headers=SECURITY_HEADERS)
        return serve

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await preview.start()
        try:
            yield
        finally:
            await preview.close()

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/state", state),
            Route("/events", events),
            Route("/pages/{generation:int}/{index:int}.png", page_image),
            Route("/word/{number:int}/{index:int}.png", word_image),
            *(Route(f"/static/{name}", static(name)) for name in STATIC),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS),
                    Middleware(SameSiteOnly)],
        lifespan=lifespan,
    )
    app.state.preview = preview
    return app


def _server_class():
    import uvicorn

    class Server(uvicorn.Server):
        """Uvicorn's server; on Ctrl+C it first ends the event streams (they never end by
        themselves), so that it stops at once, and then the command ends normally."""

        def __init__(self, config, preview: Preview):
            super().__init__(config)
            self.preview = preview

        @contextlib.contextmanager
        def capture_signals(self):
            # Uvicorn's own re-raises the signal after the shutdown, which kills the process
            # before its exit handlers run; here Ctrl+C and SIGTERM end `serve` with status 0.
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            originals = {sig: signal.signal(sig, self.handle_exit)
                         for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in originals.items():
                    signal.signal(sig, handler)

        def handle_exit(self, sig, frame) -> None:
            loop = getattr(self.preview, "loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(self.preview.stop.set)
            super().handle_exit(sig, frame)

    return Server


def _stderr(text: str, error: bool = False) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(letter: Path, port: int, open_browser: bool = False, say=_stderr) -> int:
    """Run the preview of `letter` until Ctrl+C; 1 with a sentence when it cannot start.
    `say(text, error=False)` prints a message line."""
    import uvicorn

    if not letter.is_file():
        say(f"{letter}: no such letter file; check the name (or make one with "
            f"`kamerbrief new {letter}`)", error=True)
        return 1
    if letter.suffix.lower() not in SUFFIXES:
        say(f"{letter}: a letter file ends in {', '.join(SUFFIXES)}", error=True)
        return 1
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((HOST, port))
        listener.listen(128)  # connections wait in the queue until the server is up
    except OSError as exc:
        listener.close()
        say(f"--port {port}: cannot listen there ({exc.strerror}); choose another port",
            error=True)
        return 1
    url = f"http://{HOST}:{listener.getsockname()[1]}/"
    config = uvicorn.Config(create_app(letter), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=1, lifespan="on")
    app = config.app
    server = _server_class()(config, app.state.preview)
    say(f"preview of {display_path(letter)} at {url} (only on this computer; Ctrl+C stops)")
    if open_browser:
        webbrowser.open(url)
    server.run(sockets=[listener])
    return 0
