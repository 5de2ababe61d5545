"""Where things sit in each platform frame: one place, shared by the graphics, the ASS styles and the graph.

Vertical frames keep everything between y=270 and y=1250 (above the apps' captions and buttons) and inside
x=90..900 (clear of TikTok's action rail); captions take the bottom of that band, lower thirds sit above them.
"""

from __future__ import annotations

from dataclasses import dataclass

from videokit.platforms import Platform


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w


def caption_band(platform: Platform) -> Box:
    """Captions are bottom-aligned to this box (two lines fit)."""
    s = platform.safe
    if platform.vertical:
        return Box(s.left, s.bottom - 230, s.right - s.left, 230)
    return Box(s.left, s.bottom - 150, s.right - s.left, 150)


def lower_third_box(platform: Platform) -> Box:
    """Name + role bar, left-aligned, just above the caption band."""
    s = platform.safe
    band = caption_band(platform)
    if platform.vertical:
        h = 170
        return Box(s.left, band.y - 40 - h, s.right - s.left, h)
    h = 150
    return Box(s.left, band.y - 40 - h, 1100, h)
