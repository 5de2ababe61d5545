"""Write a job's timelines next to its outputs: `<name>_<platform>.otio` and `.xml` (Final Cut Pro 7), with the
cards and full-frame overlay PNGs in `<name>.media/` (with `bundle`, the source clips too), and the captions as SRT.

File references link on first open: absolute paths; in OTIO a standard file URL; in FCP7 XML a
`file://localhost/...` URL with only ASCII specials percent-encoded (Resolve does not decode percent-encoded
non-ASCII paths in FCP7 XML: umlauts stay as UTF-8 text). FCP7 XML has only absolute references, and the editors
do not agree on relative OTIO ones: after the folder is moved, every file a timeline names is found by its name
in `<name>.media/` (the editors' "relink to folder"), all of them when the hand-off was bundled.
"""

from __future__ import annotations

import os
import shutil
import string
from pathlib import Path
from urllib.parse import quote

import opentimelineio as otio

from videokit.captions.formats import write_sidecar
from videokit.handoff.build import TimelineMarker, build_otio
from videokit.job import FORMATS
from videokit.layout import lower_third_box
from videokit.platforms import Platform
from videokit.probe import probe
from videokit.textfile import write_text_atomic
from videokit.timeline import Timeline

# characters written as they are in an FCP7 path URL (everything else ASCII is percent-encoded)
FCP7_PLAIN = set(string.ascii_letters + string.digits + "/-_.~()!*',")


def otio_url(path: str) -> str:
    return Path(path).resolve().as_uri()


def fcp7_url(path: str) -> str:
    absolute = str(Path(path).resolve())
    return "file://localhost" + "".join(c if c in FCP7_PLAIN or ord(c) > 127 else quote(c, safe="") for c in absolute)


URLS = {"otio": otio_url, "fcp7": fcp7_url}


def export_timelines(timeline: Timeline, platforms: list[Platform], formats: tuple[str, ...], out_dir: Path,
                     markers: list[TimelineMarker] = (), bundle: bool = False) -> list[Path]:
    """Every requested format for every platform; returns the files written. `bundle`: the source clips are
    linked (or copied) into `<name>.media/` too, so every file a timeline names is in that one folder."""
    if not formats:
        return []
    media = out_dir / f"{timeline.slug}.media"
    media.mkdir(parents=True, exist_ok=True)
    local = _copy_media(timeline, platforms, media)
    if bundle:
        local.update(_bundle_sources(timeline, media))
    lengths = {path: probe(Path(path)).duration for path in {c.path for c in timeline.clips}}
    written: list[Path] = []
    for platform in platforms:
        for fmt in formats:
            suffix, adapter = FORMATS[fmt]
            to_url = URLS[fmt]
            tl = build_otio(timeline, platform, lambda p: to_url(local.get(overlay_key(p, platform), local.get(p, p))),
                            lengths, list(markers))
            path = out_dir / f"{timeline.slug}_{platform.name}{suffix}"
            write_text_atomic(path, otio.adapters.write_to_string(tl, adapter_name=adapter))
            written.append(path)
        if timeline.captions.cues and not platform.sidecars:  # the editors import it as a subtitle track
            written.append(write_sidecar(timeline.captions.cues, out_dir / f"{timeline.slug}_{platform.name}.srt",
                                         timeline.intro_duration))
    return written


def _copy_media(timeline: Timeline, platforms: list[Platform], media: Path) -> dict[str, str]:
    """Cards (cached elsewhere) copied, overlays (in the render's temp folder) drawn as full-frame transparent PNGs
    at the platform's size, beside the timelines; returns original path → copy (per platform for overlays).

    Full frame because no editor reads an overlay's position from OTIO or FCP7 XML: each scales and centres a
    still of another size (in melt a lower third came out 1.75x larger in the middle of the picture)."""
    local: dict[str, str] = {}

    def keep(path: str, name: str) -> None:
        if path and path not in local:
            target = media / name
            shutil.copyfile(path, target)
            local[path] = str(target)

    def place(path: str, name: str, platform: Platform, x: int, y: int) -> None:
        key = overlay_key(path, platform)
        if path and key not in local:
            target = media / name
            full_frame_png(Path(path), platform.size, (x, y), target)
            local[key] = str(target)

    for platform in platforms:
        size = f"{platform.width}x{platform.height}"
        for card in (timeline.intro, timeline.outro):
            if card is not None and platform.name in card.files:
                keep(card.files[platform.name], f"{card.kind}-{size}{Path(card.files[platform.name]).suffix}")
                title = card.titles.get(platform.name)
                if title:
                    place(title["png"], f"{card.kind}-title-{size}.png", platform, int(title["x"]), int(title["y"]))
        box = lower_third_box(platform)
        for i, lt in enumerate(timeline.lower_thirds, 1):
            if platform.name in lt.files:
                place(lt.files[platform.name], f"lower-third-{i}-{size}.png", platform, box.x, box.y)
    return local


def overlay_key(path: str, platform: Platform) -> str:
    """The lookup key of an overlay drawn for one platform's frame (build_otio asks for it by this key)."""
    return f"{path}#{platform.width}x{platform.height}"


def full_frame_png(layer: Path, size: tuple[int, int], at: tuple[int, int], target: Path) -> Path:
    """`layer` on a transparent canvas of the frame's size, where the render overlays it."""
    from PIL import Image

    with Image.open(layer) as image:
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        canvas.alpha_composite(image.convert("RGBA"), dest=at)
    canvas.save(target)
    return target


def _bundle_sources(timeline: Timeline, media: Path) -> dict[str, str]:
    """The source clips (and an audiogram's still) in `<name>.media/`: hard links where the disk allows (no
    space used), copies elsewhere. A clip of the same name from another folder gets a numbered name."""
    local: dict[str, str] = {}
    for seg in timeline.clips:
        for source in (seg.path, seg.still_image):
            if not source or source in local:
                continue
            src = Path(source).resolve()
            target = media / src.name
            n = 1
            while target.exists() and not _same_file(src, target):
                n += 1
                target = media / f"{src.stem}-{n}{src.suffix}"
            if not target.exists():
                try:
                    os.link(src, target)
                except OSError:  # another disk, or a filesystem without hard links
                    shutil.copyfile(src, target)
            local[source] = str(target)
    return local


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
