"""`videokit sample`, `platforms` and `brand`: the bundled sample clip, the platform presets, a brand kit checked."""

from __future__ import annotations

from pathlib import Path

import click

from videokit.brand import load_brand
from videokit.platforms import PLATFORMS
from videokit.samplegen import make_sample


@click.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("samples/generated"))
def sample(folder: Path) -> None:
    """Make the sample phone clip (German speech, portrait, GPS tags) in FOLDER."""
    click.echo(str(make_sample(folder)))


@click.command()
def platforms() -> None:
    """List platform presets."""
    for p in PLATFORMS.values():
        side = ",".join(p.sidecars) or "burn-in"
        click.echo(f"{p.name:8} {p.width}x{p.height}  ≤{p.max_video_kbps / 1000:g} Mbit/s  ≤{p.max_duration:g} s  captions: {side}")


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def brand(path: Path | None) -> None:
    """Validate a brand kit (default: the bundled one) and show what it holds."""
    kit = load_brand(path)
    click.echo(f"{kit.name}: {kit.root}")
    click.echo(f"  colours  primary #{bytes(kit.primary).hex()}  accent #{bytes(kit.accent).hex()}  text #{bytes(kit.text).hex()}")
    for role, font in kit.fonts.items():
        click.echo(f"  font     {role}: {font.name} ({kit.font_family(role)})")
    click.echo(f"  logo     {kit.logo.name}")

