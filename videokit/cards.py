"""Animated brand cards (intro with the title, outro) authored as MoviePy templates, rendered once and cached.

MoviePy's one job in videokit: a few seconds of brand animation per brand × platform. Never on the per-frame path
of a clip. The intro's title changes with every news clip, so it is not part of the MoviePy animation: Pillow draws
it as a PNG (milliseconds) and the render graph slides and fades it in over the cached animation, exactly where
and how MoviePy placed it before (a new title cost a separate MoviePy render of several seconds, 1.3x the plain
transcode on the benchmark clip). Cards carry no audio; the graph lays silence (or the program audio) under them.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from videokit.brand import BrandKit
from videokit.cache import cache_dir, content_key
from videokit.errors import RenderError
from videokit.graphics import fit_font, wrap_text
from videokit.platforms import Platform
from videokit.timeline import Card
from videokit.tools import pin_moviepy_ffmpeg

CARD_VERSION = 3  # bump when the card design changes so cached cards are redrawn
FADE = 0.4
TEXT_START = 0.35  # the card's text appears this long after the card starts ...
TEXT_SLIDE = 0.6  # ... and eases up into place over this long
# kinds whose text is per job (the title): drawn by Pillow and overlaid in the graph, not baked into the animation
TITLED_KINDS = ("intro",)


@dataclass(frozen=True, slots=True)
class CardLayout:
    """Where a card's parts sit in one platform frame (pure: shared by the MoviePy animation and the graph)."""

    unit: float
    logo_w: int
    logo_y: int
    line_w: int
    line_h: int
    text_w: int
    text_px: int

    def line_y(self, logo_h: int) -> int:
        return self.logo_y + logo_h + int(50 * self.unit)

    def text_y(self, logo_h: int) -> int:
        return self.line_y(logo_h) + self.line_h + int(50 * self.unit)

    @property
    def text_dy(self) -> int:
        return int(40 * self.unit)


def card_layout(platform: Platform, kind: str) -> CardLayout:
    W, H = platform.size
    unit = min(W, H) / 1080  # layout scales with the short side
    return CardLayout(unit=unit, logo_w=int((0.62 if platform.vertical else 0.36) * W),
                      logo_y=int(H * (0.30 if platform.vertical else 0.22)),
                      line_w=int(W * (0.55 if platform.vertical else 0.3)), line_h=max(4, int(8 * unit)),
                      text_w=int(W * 0.84), text_px=int((84 if kind == "intro" else 60) * unit))


@dataclass(frozen=True, slots=True)
class TitleLayer:
    """The card's title as a PNG and how the graph animates it: fade in and ease up by `dy` into (x, y)."""

    png: str
    x: int
    y: int
    dy: int
    start: float = TEXT_START
    slide: float = TEXT_SLIDE
    fade: float = FADE

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def title_layer(brand: BrandKit, platform: Platform, kind: str, text: str) -> TitleLayer | None:
    """The title PNG (cached by content; Pillow, milliseconds) placed where the animation leaves room for it."""
    if kind not in TITLED_KINDS or not text.strip():
        return None
    layout = card_layout(platform, kind)
    key = content_key({"brand": brand.identity(), "kind": kind, "text": text, "size": platform.size,
                       "v": CARD_VERSION})
    path = cache_dir("cards") / f"title-{platform.width}x{platform.height}-{key}.png"
    image = _text_block(brand, text, layout.text_w, layout.text_px)
    if not path.exists():
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.part.png")
        Image.fromarray(image).save(tmp)
        tmp.replace(path)
    logo_h = _logo_height(brand, layout.logo_w)
    return TitleLayer(str(path), platform.width // 2 - image.shape[1] // 2, layout.text_y(logo_h), layout.text_dy)


def prepare_card(brand: BrandKit, platform: Platform, card: Card, fps: int, render: bool = True) -> None:
    """Fill in the card's animation file and title layer for one platform."""
    card.files[platform.name] = str(card_file(brand, platform, card.kind, card.text, card.duration, fps, render))
    title = title_layer(brand, platform, card.kind, card.text)
    if title is not None:
        card.titles[platform.name] = title.as_dict()


def card_file(brand: BrandKit, platform: Platform, kind: str, text: str, duration: float, fps: int,
              render: bool = True) -> Path:
    """Path of the cached card video, rendering it first when it is not cached yet (and render is set)."""
    if kind in TITLED_KINDS:
        text = ""  # the title is a separate layer (title_layer): one cached animation serves every title
    key = content_key({"brand": brand.identity(), "kind": kind, "text": text, "size": platform.size,
                       "fps": fps, "duration": round(duration, 3), "v": CARD_VERSION})
    path = cache_dir("cards") / f"{kind}-{platform.width}x{platform.height}-{key}.mp4"
    if render and not path.exists():
        _render(brand, platform, kind, text, duration, fps, path)
    return path


def _render(brand: BrandKit, platform: Platform, kind: str, text: str, duration: float, fps: int, path: Path) -> None:
    pin_moviepy_ffmpeg()
    from moviepy import CompositeVideoClip, ImageClip, vfx

    W, H = platform.size
    layout = card_layout(platform, kind)
    background = ImageClip(_gradient(brand, W, H)).with_duration(duration)
    logo_img = _logo(brand, layout.logo_w)
    layers = [background]
    logo = (ImageClip(logo_img).with_duration(duration)
            .with_position(_slide(W // 2 - logo_img.shape[1] // 2, layout.logo_y, dy=int(30 * layout.unit), t0=0.0))
            .with_effects([vfx.CrossFadeIn(FADE)]))
    layers.append(logo)
    line_y = layout.line_y(logo_img.shape[0])
    line = ImageClip(_solid(brand.accent, layout.line_w, layout.line_h)).with_duration(duration - 0.2).with_start(0.2)
    line = line.with_position(_sweep((W - layout.line_w) // 2, line_y, W, t0=0.2))
    layers.append(line)
    body_text = text if kind == "intro" else "\n".join(t for t in (brand.outro_text, brand.credit) if t)
    if body_text:
        text_img = _text_block(brand, body_text, layout.text_w, layout.text_px)
        layers.append(
            ImageClip(text_img).with_duration(duration - TEXT_START).with_start(TEXT_START)
            .with_position(_slide(W // 2 - text_img.shape[1] // 2, layout.text_y(logo_img.shape[0]),
                                  dy=layout.text_dy, t0=0.0, dur=TEXT_SLIDE))
            .with_effects([vfx.CrossFadeIn(FADE)])
        )
    # use_bgclip: the opaque background is the canvas, so MoviePy computes no composite mask (half the work)
    clip = CompositeVideoClip(layers, size=(W, H), use_bgclip=True).with_duration(duration)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.part.mp4")
    try:
        clip.write_videofile(
            str(tmp), fps=fps, codec="libx264", audio=False, preset="ultrafast", logger=None,
            pixel_format="yuv420p",
            ffmpeg_params=["-crf", "12", "-vf", "scale=out_color_matrix=bt709:out_range=tv",
                           "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"],
        )
        tmp.replace(path)
    except Exception as exc:  # MoviePy raises bare OSError/IOError with ffmpeg's text
        tmp.unlink(missing_ok=True)
        raise RenderError(f"brand card '{kind}' for {platform.name} could not be rendered ({exc})") from None
    finally:
        clip.close()


def _slide(x: int, y: int, dy: int, t0: float, dur: float = 0.6):  # type: ignore[no-untyped-def]
    """Ease-out slide up into place."""
    def position(t: float) -> tuple[int, int]:
        p = min(1.0, max(0.0, (t - t0) / dur))
        return x, int(y + dy * (1 - p) ** 3)
    return position


def _sweep(x: int, y: int, frame_w: int, t0: float, dur: float = 0.5):  # type: ignore[no-untyped-def]
    """The accent line sweeps in from the left edge."""
    def position(t: float) -> tuple[int, int]:
        p = min(1.0, max(0.0, t / dur))
        start = -frame_w // 4  # partly on screen from the first frame (MoviePy cannot blit a fully hidden layer)
        return int(start + (x - start) * (1 - (1 - p) ** 3)), y
    return position


def _gradient(brand: BrandKit, w: int, h: int) -> np.ndarray:
    top = np.array(brand.primary, dtype=np.float32)
    bottom = top * 0.55
    ramp = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    img = top * (1 - ramp) + bottom * ramp
    return np.broadcast_to(img, (h, w, 3)).astype(np.uint8)


def _solid(rgb: tuple[int, int, int], w: int, h: int) -> np.ndarray:
    return np.full((h, w, 3), rgb, dtype=np.uint8)


def _logo_height(brand: BrandKit, width: int) -> int:
    with Image.open(brand.logo) as img:
        return max(1, round(img.height * width / img.width))


def _logo(brand: BrandKit, width: int) -> np.ndarray:
    with Image.open(brand.logo) as img:
        logo = img.convert("RGBA")
    height = max(1, round(logo.height * width / logo.width))
    return np.asarray(logo.resize((width, height), Image.LANCZOS))


def _text_block(brand: BrandKit, text: str, max_w: int, size: int) -> np.ndarray:
    """Centred, wrapped title in the brand's title font (Pillow wraps; MoviePy's caption mode wraps wrongly)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        font = fit_font(brand, "title", max(paragraph.split(), key=len, default=""), size, max_w)
        lines += wrap_text(paragraph, font, max_w, max_lines=4)
    font = brand.font("title", font.size)
    ascent, descent = font.getmetrics()
    line_h = int((ascent + descent) * 1.1)
    img = Image.new("RGBA", (max_w, line_h * len(lines) + descent), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((max_w // 2, i * line_h), line, font=font, fill=(*brand.text, 255), anchor="ma")
    return np.asarray(img)
