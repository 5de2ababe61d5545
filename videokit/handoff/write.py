"""Write a job's timelines next to its outputs: `<name>_<platform>.otio` and `.xml` (Final Cut Pro 7), with the
cards and overlay PNGs copied into `<name>.media/` so the folder is self-contained, and the captions as SRT.

File references link on first open: absolute paths; in OTIO a standard file URL; in FCP7 XML a
`file://localhost/...` URL with only ASCII specials percent-encoded (Resolve does not decode percent-encoded
non-ASCII paths in FCP7 XML: umlauts stay as UTF-8 text).
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path
from urllib.parse import quote

import opentimelineio as otio

from videokit.captions.formats import write_sidecar
from videokit.errors import ConfigError
from videokit.handoff.build import TimelineMarker, build_otio
from videokit.platforms import Platform
from videokit.probe import probe
from videokit.textfile import write_text_atomic
from videokit.timeline import Timeline

FORMATS = {"otio": (".otio", "otio_json"), "fcp7": (".xml", "fcp_xml")}
# characters written as they are in an FCP7 path URL (everything else ASCII is percent-encoded)
FCP7_PLAIN = set(string.ascii_letters + string.digits + "/-_.~()!*',")


def parse_formats(text: str | list[str] | None) -> tuple[str, ...]:
    if not text:
        return ()
    names = [n.strip().lower() for n in (text.split(",") if isinstance(text, str) else text) if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown timeline format '{unknown[0]}' (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(names))


def otio_url(path: str) -> str:
    return Path(path).resolve().as_uri()


def fcp7_url(path: str) -> str:
    absolute = str(Path(path).resolve())
    return "file://localhost" + "".join(c if c in FCP7_PLAIN or ord(c) > 127 else quote(c, safe="") for c in absolute)


URLS = {"otio": otio_url, "fcp7": fcp7_url}


def export_timelines(timeline: Timeline, platforms: list[Platform], formats: tuple[str, ...], out_dir: Path,
                     markers: list[TimelineMarker] = ()) -> list[Path]:
    """Every requested format for every platform; returns the files written."""
    if not formats:
        return []
    media = out_dir / f"{timeline.slug}.media"
    media.mkdir(parents=True, exist_ok=True)
    local = _copy_media(timeline, platforms, media)
    lengths = {path: probe(Path(path)).duration for path in {c.path for c in timeline.clips}}
    written: list[Path] = []
    for platform in platforms:
        for fmt in formats:
            suffix, adapter = FORMATS[fmt]
            to_url = URLS[fmt]
            tl = build_otio(timeline, platform, lambda p: to_url(local.get(p, p)), lengths, list(markers))
            path = out_dir / f"{timeline.slug}_{platform.name}{suffix}"
            write_text_atomic(path, otio.adapters.write_to_string(tl, adapter_name=adapter))
            written.append(path)
        if timeline.captions.cues and not platform.sidecars:  # the editors import it as a subtitle track
            written.append(write_sidecar(timeline.captions.cues, out_dir / f"{timeline.slug}_{platform.name}.srt",
                                         timeline.intro_duration))
    return written


def _copy_media(timeline: Timeline, platforms: list[Platform], media: Path) -> dict[str, str]:
    """Cards (cached elsewhere) and overlay PNGs (in the render's temp folder) copied beside the timelines;
    returns original path → copy."""
    local: dict[str, str] = {}

    def keep(path: str, name: str) -> None:
        if path and path not in local:
            target = media / name
            shutil.copyfile(path, target)
            local[path] = str(target)

    for platform in platforms:
        size = f"{platform.width}x{platform.height}"
        for card in (timeline.intro, timeline.outro):
            if card is not None and platform.name in card.files:
                keep(card.files[platform.name], f"{card.kind}-{size}{Path(card.files[platform.name]).suffix}")
                title = card.titles.get(platform.name)
                if title:
                    keep(title["png"], f"{card.kind}-title-{size}.png")
        for i, lt in enumerate(timeline.lower_thirds, 1):
            if platform.name in lt.files:
                keep(lt.files[platform.name], f"lower-third-{i}-{size}.png")
    return local
