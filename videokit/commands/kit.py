"""`videokit sample`, `platforms` and `brand`: the bundled sample clip, the platform presets, a brand kit checked."""

from __future__ import annotations

from pathlib import Path

import click

from videokit.brand import load_brand
from videokit.channels import channel_presets
from videokit.platforms import MB
from videokit.samplegen import make_sample
from videokit.templates import load_template


@click.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("samples/generated"))
def sample(folder: Path) -> None:
    """Make the sample phone clip (German speech, portrait, GPS tags) in FOLDER."""
    click.echo(str(make_sample(folder)))


@click.command()
@click.option("--brand", type=click.Path(path_type=Path), help="A brand kit folder: its own [platform.*] too.")
@click.option("--template", help="A template name or .toml path: its own [platform.*] too.")
@click.option("--sources", is_flag=True, help="Where each preset's figures were checked.")
def platforms(brand: Path | None, template: str | None, sources: bool) -> None:
    """List the platform presets with their limits, and where each comes from."""
    presets = channel_presets(load_brand(brand) if brand else None, load_template(template) if template else None)
    click.echo(f"{'name':10} {'size':9} {'video':>11} {'file':>8} {'seconds':>9}  {'captions':19} {'alt':>5}  from")
    for p in presets.values():
        cap = f"{p.max_bytes / MB:g} MB" if p.max_bytes else "-"
        alt = str(p.alt_text) if p.alt_text else "-"
        extra = f" (+{', '.join(p.page)})" if p.page else ""
        click.echo(f"{p.name:10} {p.width}x{p.height:<4} {p.max_video_kbps / 1000:>5g} Mbit/s {cap:>8} "
                   f"{p.min_duration:>3g}-{p.max_duration:<5g}  {p.caption_mode + extra:19} {alt:>5}  {p.origin}")
        if sources and p.source:
            click.echo(f"{'':10} {p.source}")


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

