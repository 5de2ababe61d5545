"""`videokit check`: finished videos against a platform's upload spec."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from videokit.check import check_file
from videokit.platforms import get_platform


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--platform", "platform_name", required=True, help="tiktok, reels, shorts or youtube.")
@click.option("--fps", type=int, help="Expected frame rate (default: any constant 23-60).")
@click.option("--lufs", type=float, default=-14.0, show_default=True, help="Loudness target.")
def check(files: tuple[Path, ...], platform_name: str, fps: int | None, lufs: float) -> None:
    """Check finished videos against a platform's upload spec."""
    platform = get_platform(platform_name)
    failed = 0
    for path in files:
        report = check_file(path, platform, fps, lufs)
        click.echo(f"{path}: {'OK' if report.ok else 'FAIL'} for {platform.name}")
        for item in report.items:
            click.echo(f"  {'✓' if item.ok else '✗'} {item.name}: {item.detail}")
        failed += not report.ok
    if failed:
        sys.exit(4)

