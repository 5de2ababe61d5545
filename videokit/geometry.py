"""Pure reframing arithmetic: how a source of one aspect fills a platform frame without stretching."""

from __future__ import annotations

from dataclasses import dataclass

# aspect ratios closer than this are treated as equal (a plain scale, no fill or crop)
SAME_ASPECT = 0.01
# the blurred fill is computed at 1/BLUR_DOWNSCALE of the frame size and scaled up bilinear: nearly free to
# compute, and its smooth gradients cost x264 ~6 % less than a finer blur (measured on the render benchmark)
BLUR_DOWNSCALE = 16


def even(value: float) -> int:
    """yuv420p needs even dimensions."""
    return max(2, int(round(value / 2.0)) * 2)


@dataclass(frozen=True, slots=True)
class Rect:
    w: int
    h: int
    x: int = 0
    y: int = 0


def same_aspect(src_w: int, src_h: int, dst_w: int, dst_h: int) -> bool:
    return abs((src_w / src_h) / (dst_w / dst_h) - 1.0) < SAME_ASPECT


def fit_inside(src_w: int, src_h: int, dst_w: int, dst_h: int) -> Rect:
    """The whole source, as large as fits, centred."""
    scale = min(dst_w / src_w, dst_h / src_h)
    w, h = min(dst_w, even(src_w * scale)), min(dst_h, even(src_h * scale))
    return Rect(w, h, (dst_w - w) // 2, (dst_h - h) // 2)


def cover_crop(src_w: int, src_h: int, dst_w: int, dst_h: int, focus_x: float = 0.5, focus_y: float = 0.5) -> Rect:
    """The source window (in source pixels) that, scaled up, fills the destination exactly."""
    scale = max(dst_w / src_w, dst_h / src_h)
    w = min(src_w, even(dst_w / scale))
    h = min(src_h, even(dst_h / scale))
    x = int(round((src_w - w) * min(1.0, max(0.0, focus_x))))
    y = int(round((src_h - h) * min(1.0, max(0.0, focus_y))))
    return Rect(w, h, x - x % 2, y - y % 2)
