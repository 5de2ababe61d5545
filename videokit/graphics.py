"""Static brand graphics rasterised once per job with Pillow and the brand's own font files."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from videokit.brand import BrandKit
from videokit.errors import InputError
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
    if len(lines) > max_lines:  # cut: say so with an ellipsis on the last line that fits
        last = f"{lines[max_lines - 1]} {lines[max_lines]}"
        while last and font.getlength(last + "…") > max_w:
            last = last[:-1].rstrip()
        lines = [*lines[:max_lines - 1], last + "…"]
    return lines


def draw_lower_third(brand: BrandKit, platform: Platform, name: str, role: str, path: Path) -> Path:
    """A name bar (accent stripe, brand-coloured plate, name bold, role below) sized to its text."""
    box = lower_third_box(platform)
    name_px, role_px = (round(px * platform.scale) for px in ((58, 40) if platform.vertical else (54, 38)))
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


def draw_year_label(brand: BrandKit, platform: Platform, year: int, place: str, path: Path) -> Path:
    """The big year ("1962") with the place under it, top left inside the safe area, with a soft shadow."""
    from PIL import ImageFilter

    scale = min(platform.width, platform.height) / 1080
    year_font = brand.font("title", int(150 * scale))
    place_font = brand.font("body", int(46 * scale))
    pad = int(12 * scale)
    w = platform.width - 2 * platform.safe.left
    h = int(260 * scale)
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.text((pad, 0), str(year), font=year_font, fill=(*brand.text, 255), anchor="la")
    year_h = sum(year_font.getmetrics())
    if place:
        draw.text((pad + 6, year_h - pad), place, font=fit_font(brand, "body", place, place_font.size, w - 2 * pad),
                  fill=(*brand.accent, 255), anchor="la")
    shadow = Image.new("RGBA", layer.size, (0, 0, 0, 0))
    shadow.putalpha(layer.getchannel("A").filter(ImageFilter.GaussianBlur(8 * scale)).point(lambda a: int(a * 0.75)))
    out = Image.alpha_composite(shadow, layer)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(path)
    return path


def draw_credit(brand: BrandKit, platform: Platform, credit: str, path: Path) -> Path:
    """Archive credit ("Foto: Stadtarchiv Musterstadt") on a translucent strip, bottom left of the safe area."""
    scale = min(platform.width, platform.height) / 1080
    max_w = platform.safe.right - platform.safe.left
    font = fit_font(brand, "body", credit, int(34 * scale), max_w - 24)
    w = int(font.getlength(credit)) + 24
    h = sum(font.getmetrics()) + 12
    img = Image.new("RGBA", (w, h), (0, 0, 0, 140))
    ImageDraw.Draw(img).text((12, 6), credit, font=font, fill=(255, 255, 255, 235), anchor="la")
    img.save(path)
    return path


def draw_slider(brand: BrandKit, platform: Platform, path: Path) -> Path:
    """The before/after slider: a white line with a round handle (◀ ▶) that sweeps across during the reveal."""
    scale = min(platform.width, platform.height) / 1080
    knob = int(96 * scale)
    line = max(4, int(8 * scale))
    img = Image.new("RGBA", (knob, platform.height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    cx = knob // 2
    draw.rectangle([cx - line // 2, 0, cx + line // 2, platform.height], fill=(255, 255, 255, 255))
    cy = platform.height // 2
    draw.ellipse([0, cy - knob // 2, knob - 1, cy + knob // 2], fill=(255, 255, 255, 255), outline=(*brand.primary, 255),
                 width=max(2, line // 2))
    a = knob // 6
    draw.polygon([(cx - 6 - a, cy), (cx - 6, cy - a), (cx - 6, cy + a)], fill=(*brand.primary, 255))
    draw.polygon([(cx + 6 + a, cy), (cx + 6, cy - a), (cx + 6, cy + a)], fill=(*brand.primary, 255))
    img.save(path)
    return path


def check_image(path: Path) -> None:
    """A photo Pillow can read (checked before minutes of listening, not when the picture is drawn)."""
    from PIL import UnidentifiedImageError

    if not path.is_file():
        raise InputError.for_file(path, "image not found", "pass a photo for the audiogram, or leave --image out")
    try:
        with Image.open(path) as photo:
            photo.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError.for_file(path, f"is not an image that can be read ({exc})",
                                  "pass a JPEG or PNG photo with --image") from None


def draw_audiogram_still(brand: BrandKit, title: str, image: Path | None, path: Path,
                         size: tuple[int, int] = (1920, 1080)) -> Path:
    """The picture of an audio-only episode: brand background, the show's photo, title and logo. The
    waveform is drawn live by ffmpeg underneath (lower fifth of the frame is left free for it)."""
    from PIL import ImageOps

    w, h = size
    img = Image.new("RGB", size, brand.primary)
    draw = ImageDraw.Draw(img)
    for y in range(h):  # a quiet vertical gradient towards black, as on the cards
        shade = 1 - 0.35 * y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(c * shade) for c in brand.primary))
    text_x = w // 12
    if image is not None:
        with Image.open(image) as photo:
            photo = ImageOps.exif_transpose(photo).convert("RGB")
            side = int(h * 0.5)
            photo = ImageOps.fit(photo, (side, side), Image.Resampling.LANCZOS)
        img.paste(photo, (w // 12, h // 10))
        draw.rectangle([w // 12, h // 10 + side, w // 12 + side, h // 10 + side + 10], fill=brand.accent)
        text_x = w // 12 + side + w // 24
    font = fit_font(brand, "title", title, 84, w - text_x - w // 12)
    lines = wrap_text(title, font, w - text_x - w // 12, max_lines=3)
    y = h // 10 + 20
    for line in lines:
        draw.text((text_x, y), line, font=font, fill=brand.text)
        y += int(sum(font.getmetrics()) * 1.1)
    draw.text((text_x, y + 10), brand.name, font=brand.font("body", 44), fill=brand.accent)
    with Image.open(brand.logo) as logo:
        logo = logo.convert("RGBA")
        logo.thumbnail((w // 8, h // 8))
        img.paste(logo, (w - logo.width - w // 24, h // 24), logo)
    img.save(path)
    return path
