"""The `kamerbrief import` subcommand (registered in cli._COMMAND_MODULES)."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import cli, out


@cli.command(name="import", short_help="Bring a reviewed .docx back into its letter file.")
@click.argument("docx", metavar="REVIEWED.docx", type=click.Path(path_type=Path))
@click.argument("letter", metavar="[LETTER]", required=False, type=click.Path(path_type=Path))
@click.option("--accept-changes", is_flag=True,
              help="Take every tracked insertion and deletion as accepted.")
@click.option("--reject-changes", is_flag=True,
              help="Take every tracked insertion and deletion as rejected.")
@click.option("--dry-run", is_flag=True,
              help="Print the change to the letter file as a diff; write nothing.")
@click.option("--force", is_flag=True,
              help="Write even when the .docx holds what the letter file cannot (it is left "
                   "out, as listed).")
def import_(docx: Path, letter: Path | None, accept_changes: bool, reject_changes: bool,
            dry_run: bool, force: bool) -> int:
    """Update the letter file REVIEWED.docx was built from (found from the .docx, or LETTER)
    with what the reviewers changed: fields, body, footnotes. Tracked changes and comments
    are listed; open ones stop the import unless --accept-changes or --reject-changes."""
    from .review import import_review, print_report  # noqa: PLC0415

    if accept_changes and reject_changes:
        raise click.UsageError("give --accept-changes or --reject-changes, not both")
    changes = "accept" if accept_changes else "reject" if reject_changes else "refuse"
    report = import_review(docx, letter, changes, force, dry_run)
    console = out()
    return print_report(report, docx, dry_run, force,
                        say=lambda text, style=None: console.print(text, style=style))
