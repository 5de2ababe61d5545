"""Photo preparation with Pillow: each photo decoded once per item, EXIF orientation honoured, framed around its
focus point for every platform (scaled and cropped to fill, never stretched), grayscale scans kept grayscale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageOps, ImageStat, UnidentifiedImageError

from videokit.render.stills import KEN_BURNS_ZOOM
from videokit.thenandnow.faces import Framing, find_heads, frame_photo

# prepared at this multiple of the frame size so the Ken Burns move (ffmpeg zoompan, integer crop positions)
# moves in 2/3-pixel steps on screen instead of visibly jittering; 2x looked no better and cost 40 % more
OVERSAMPLE = 1.5
GRAY_TOLERANCE = 3.0  # mean channel difference under which an RGB scan is really a grayscale scan
Image.MAX_IMAGE_PIXELS = 200_000_000  # archive scans can be huge; still refuse decompression bombs


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    path: Path  # the framed PNG at OVERSAMPLE × the frame size
    framing: Framing  # its crop, the push-in's anchor and zoom, the heads in it


def prepare_photo(path: Path, sizes: dict[str, tuple[int, int]], focus: tuple[float, float] | None, work: Path,
                  zoom: float = KEN_BURNS_ZOOM) -> dict[str, PreparedPhoto]:
    """One decode → one framed image per platform. Without a `focus` the crop is centred on the heads the photo
    shows (faces.py), else on the focus point (the centre by default)."""
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)  # honours the EXIF orientation; drops EXIF (and GPS) with it
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(f"{path}: unreadable image ({exc.__class__.__name__}); scan or export it again") from None
    image = _normalise_mode(image)
    heads = find_heads(np.asarray(image.convert("RGB")))
    out: dict[str, PreparedPhoto] = {}
    for name, (w, h) in sizes.items():
        framing = frame_photo(image.width, image.height, (w, h), heads, focus, zoom)
        rect = framing.crop
        # reducing_gap: box-reduce first, Lanczos for the last step; same look, a fraction of the time on 12 MP
        framed = image.resize((round(w * OVERSAMPLE), round(h * OVERSAMPLE)), Image.LANCZOS, reducing_gap=3.0,
                              box=(rect.x, rect.y, rect.x + rect.w, rect.y + rect.h))
        target = work / f"{path.stem}-{name}.png"
        framed.save(target, compress_level=0)  # a scratch file read once: speed over size
        out[name] = PreparedPhoto(target, framing)
    return out


WIDE_GRAY = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # 16-bit and float scans: more than 8 bits a pixel


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in WIDE_GRAY:
        return _gray_to_8bit(image)
    if image.mode in ("1", "L", "LA", "P") and _is_gray(image):
        return image.convert("L")
    rgb = image.convert("RGB")
    return rgb.convert("L") if _is_gray(rgb) else rgb


def _gray_to_8bit(image: Image.Image) -> Image.Image:
    """A 16-bit (or float) grayscale scan at 8 bits: Pillow's convert("L") clips every value above 255, so a
    16-bit scan came out almost white (frame mean 250/255)."""
    values = np.asarray(image, dtype=np.float64)
    top = float(values.max()) if values.size else 0.0
    if image.mode == "F" and top <= 1.0:
        scaled = values * 255.0  # float scans hold 0..1
    elif top > 255:
        scaled = values / 257.0  # 0..65535 → 0..255 (257 = 65535 / 255)
    else:
        scaled = values  # 8-bit values stored wide
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8))  # 2-D uint8: mode L


def _is_gray(image: Image.Image) -> bool:
    if image.mode in ("1", "L", "LA", *WIDE_GRAY):
        return True
    r, g, b = image.convert("RGB").resize((64, 64)).split()
    spread = max(ImageStat.Stat(ImageChops.difference(r, g)).mean[0], ImageStat.Stat(ImageChops.difference(g, b)).mean[0])
    return spread < GRAY_TOLERANCE
