"""The `kamerbrief preview` subcommand (registered in cli.py's _COMMAND_MODULES)."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import cli, say, verbosity_options

DEFAULT_PORT = 8400


@cli.command(short_help="Show a letter live in the browser while you edit it.")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              metavar="N", help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@verbosity_options
def preview(file: Path, port: int, open_browser: bool) -> int:
    """Serve FILE's pages and problems on http://127.0.0.1:PORT/ (this computer only); the page
    follows every save of the letter, its templates and its layout. See docs/preview.md."""
    from .server import serve

    return serve(file, port, open_browser, lambda text, error=False: say(
        text, "red" if error else None, 0))
