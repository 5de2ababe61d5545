"""Where things sit in each platform frame: one place, shared by the graphics, the ASS styles and the graph.

Every frame has its safe area (platforms.safe_area): 9:16 frames keep everything between y=270 and y=1250 of
1920 (above the apps' captions and buttons) and inside x=90..900 of 1080 (clear of TikTok's action rail); 4:5,
1:1 and 16:9 keep 5 % title-safe margins (of the 3:4 strip Instagram's grid shows, for its feed). Captions take
the bottom of the safe area, lower thirds sit above them; the heights scale with the frame's short side.
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
    h = round((230 if platform.vertical else 150) * platform.scale)
    return Box(s.left, s.bottom - h, s.right - s.left, h)


def lower_third_box(platform: Platform) -> Box:
    """Name + role bar, left-aligned, just above the caption band."""
    s = platform.safe
    band = caption_band(platform)
    gap = round(40 * platform.scale)
    if platform.vertical:
        h = round(170 * platform.scale)
        return Box(s.left, band.y - gap - h, s.right - s.left, h)
    h = round(150 * platform.scale)
    return Box(s.left, band.y - gap - h, min(round(1100 * platform.scale), s.right - s.left), h)
