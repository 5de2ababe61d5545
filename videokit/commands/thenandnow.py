"""`videokit thenandnow`: a CSV manifest or a folder of *_then / *_now files to one branded clip per pair and
platform, in batch (thenandnow/batch.py)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from videokit.brand import load_brand
from videokit.channels import channel_presets
from videokit.errors import ConfigError
from videokit.platforms import parse_platforms
from videokit.runners import default_workers
from videokit.templates import load_template
from videokit.thenandnow.batch import run_batch
from videokit.thenandnow.item import PairSettings
from videokit.thenandnow.manifest import read_manifest, scan_folder
from videokit.thenandnow.pacing import min_duration


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option("--platforms", help="Comma list (default: the template's).")
@click.option("--transition", type=click.Choice(["slider", "wipe", "crossfade"]), default="slider", show_default=True)
@click.option("--duration", type=float, default=10.0, show_default=True, help="Seconds per clip, cards included.")
@click.option("--workers", type=click.IntRange(1, 64), help="Items rendered at once (default: cores / 2).")
@click.option("--template", help="Template name or .toml (fps, encoder, loudness, captions).")
@click.option("--brand", type=click.Path(path_type=Path), help="Brand kit folder.")
@click.option("--no-music", is_flag=True, help="No music bed.")
@click.option("--no-subtitles", is_flag=True, help="Do not subtitle speech in 'now' clips.")
@click.option("--blur-faces", type=click.Choice(["none", "others", "all"]),
              help="Today's clips: blur every face but the people speaking (others), every face (all), or none "
                   "(default: the template's).")
@click.option("--force", is_flag=True, help="Render items again even when nothing changed.")
@click.option("--cluster", metavar="tcp://HOST:8786", help="Run each item as a task on this Dask cluster.")
def thenandnow(source: Path, out_dir: Path, platforms: str | None, transition: str, duration: float,
               workers: int | None, template: str | None, brand: Path | None, no_music: bool, no_subtitles: bool,
               force: bool, cluster: str | None, blur_faces: str | None) -> None:
    """Then-and-now clips from a CSV manifest or a folder of *_then / *_now files."""
    tpl = load_template(template)
    kit = load_brand(brand)  # a broken brand kit is one error up front, not one per row
    if duration < min_duration(transition):
        raise ConfigError(f"--duration {duration:g} is too short for the {transition} transition "
                          f"(at least {min_duration(transition):g} s)")
    names = tuple(p.name for p in parse_platforms(platforms if platforms is not None else list(tpl.platforms),
                                                  channel_presets(kit, tpl)))
    items, bad = scan_folder(source) if source.is_dir() else read_manifest(source)
    blur = blur_faces or tpl.blur_faces
    settings = PairSettings(names, str(out_dir), transition, duration, str(brand) if brand else None, template,
                            not no_music, not no_subtitles, blur_faces=blur)
    if cluster:  # paths are passed, not data: workers must see the files at the same absolute paths
        settings = PairSettings(names, str(out_dir.resolve()), transition, duration,
                                str(brand.resolve()) if brand else None,
                                str(Path(template).resolve()) if template and template.endswith(".toml") else template,
                                not no_music, not no_subtitles, blur_faces=blur)
        items = [replace(i, then=i.then.resolve(), now=i.now.resolve()) for i in items]
    results = run_batch(items, bad, settings, workers or default_workers(), force, cluster)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    click.echo(f"{counts['ok']} rendered, {counts['skipped']} unchanged (skipped), {counts['failed']} failed; "
               f"report: {out_dir / 'report.csv'}")
    for r in results:
        if r.status == "failed":
            click.echo(f"row {r.row}: {r.message}", err=True)
    if counts["failed"]:
        sys.exit(1)

