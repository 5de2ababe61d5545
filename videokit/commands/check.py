"""`videokit check`: finished videos against a platform's upload spec, captions against a caption norm."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from videokit.check import check_file
from videokit.brand import load_brand
from videokit.channels import channel_presets
from videokit.platforms import get_platform
from videokit.templates import load_template


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--platform", "platform_name", help="A preset from `videokit platforms` (for FILES).")
@click.option("--brand", type=click.Path(path_type=Path), help="A brand kit whose own [platform.*] to know.")
@click.option("--template", help="A template whose own [platform.*] to know.")
@click.option("--fps", type=int, help="Expected frame rate (default: any constant 23-60).")
@click.option("--lufs", type=float, default=-14.0, show_default=True, help="Loudness target.")
@click.option("--captions", "caption_files", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="An SRT/VTT, or a video whose SRT/VTT sidecar lies beside it: every rule each cue breaks.")
@click.option("--profile", type=click.Choice(["broadcast", "netflix"]), default="broadcast", show_default=True,
              help="The caption norm for --captions.")
def check(files: tuple[Path, ...], platform_name: str | None, brand: Path | None, template: str | None,
          fps: int | None, lufs: float, caption_files: tuple[Path, ...], profile: str) -> None:
    """Check finished videos against a platform's upload spec, and captions against a caption norm."""
    if not files and not caption_files:
        raise click.UsageError("give videos to check (with --platform), or --captions FILE")
    if files and not platform_name:
        raise click.UsageError("checking videos needs --platform (one of `videokit platforms`)")
    failed = 0
    if files:
        presets = channel_presets(load_brand(brand) if brand else None, load_template(template) if template else None)
        platform = get_platform(str(platform_name), presets)
        for path in files:
            report = check_file(path, platform, fps, lufs)
            click.echo(f"{path}: {'OK' if report.ok else 'FAIL'} for {platform.name}")
            for item in report.items:
                click.echo(f"  {'✓' if item.ok else '✗'} {item.name}: {item.detail}")
            failed += not report.ok
    for path in caption_files:
        failed += _check_captions(path, profile, fps)
    if failed:
        sys.exit(4)


def _check_captions(path: Path, profile_name: str, fps: int | None) -> bool:
    """Print every broken rule, a line per cue and rule; True when any was broken."""
    from videokit.captions.checkfile import captions_of
    from videokit.captions.profiles import PROFILES, caption_problems
    from videokit.captions.subtext import stamp

    source, cues, rate = captions_of(path, fps)
    problems = caption_problems(cues, PROFILES[profile_name], rate)
    broken_cues = len({p.cue for p in problems})
    click.echo(f"{source}: {'OK' if not problems else 'FAIL'} for the {profile_name} caption norm "
               f"({len(cues)} cues, {broken_cues} breaking a rule)")
    for p in problems:
        click.echo(f"  ✗ cue {p.cue} ({stamp(p.start)}): {p.rule}")
    return bool(problems)
