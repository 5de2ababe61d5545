"""`videokit review`: the caption editor in the browser, which renders the job again through the job-file runner."""

from __future__ import annotations

from pathlib import Path

import click

from videokit.commands.render import run_job_file
from videokit.review.glossary import load_names
from videokit.review.server import serve


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--glossary", type=click.Path(path_type=Path), help="Names offered while correcting (text file).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
def review(target: Path, glossary: Path | None, port: int, no_browser: bool) -> None:
    """Check and correct a render's captions in the browser (TARGET: its output folder or one of its videos),
    save them next to the outputs and render the same job again."""
    serve(target, run_job_file, port, not no_browser, load_names(glossary), echo=lambda text: click.echo(text))

