"""Static brand graphics rasterised once per job with Pillow and the brand's own font files."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from videokit.brand import BrandKit
from videokit.layout import lower_third_box
from videokit.platforms import Platform

BAR_ALPHA = 235  # the name bar is nearly opaque so text stays legible over busy footage
ACCENT_W = 14
PAD_X = 28


def fit_font(brand: BrandKit, role: str, text: str, size: int, max_w: int, min_size: int = 20) -> ImageFont.FreeTypeFont:
    """Largest font ≤ size whose rendering of text fits max_w (long names shrink, never overflow)."""
    while size > min_size:
        font = brand.font(role, size)
        if font.getlength(text) <= max_w:
            return font
        size -= 2
    return brand.font(role, min_size)


def wrap_text(text: str, font: ImageFont.FreeTypeFont, max_w: int, max_lines: int = 3) -> list[str]:
    """Greedy word wrap measured in real pixels of the real font."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > max_w:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines[:max_lines]


def draw_lower_third(brand: BrandKit, platform: Platform, name: str, role: str, path: Path) -> Path:
    """A name bar (accent stripe, brand-coloured plate, name bold, role below) sized to its text."""
    box = lower_third_box(platform)
    name_px, role_px = (58, 40) if platform.vertical else (54, 38)
    max_text_w = box.w - ACCENT_W - 2 * PAD_X
    name_font = fit_font(brand, "title", name, name_px, max_text_w)
    role_font = fit_font(brand, "body", role, role_px, max_text_w) if role else None
    text_w = max(name_font.getlength(name), role_font.getlength(role) if role_font else 0)
    plate_w = int(min(box.w, ACCENT_W + 2 * PAD_X + text_w))

    img = Image.new("RGBA", (box.w, box.h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    name_h = sum(name_font.getmetrics())
    role_h = sum(role_font.getmetrics()) if role_font else 0
    plate_h = min(box.h, name_h + role_h + 36)
    top = box.h - plate_h  # anchored to the bottom of the box, close to the captions
    draw.rectangle([0, top, plate_w, box.h], fill=(*brand.primary, BAR_ALPHA))
    draw.rectangle([0, top, ACCENT_W, box.h], fill=(*brand.accent, 255))
    x = ACCENT_W + PAD_X
    draw.text((x, top + 14), name, font=name_font, fill=(*brand.text, 255), anchor="la")
    if role_font:
        draw.text((x, top + 14 + name_h), role, font=role_font, fill=(*brand.accent, 255), anchor="la")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path
