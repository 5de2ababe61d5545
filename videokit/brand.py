"""BrandKit: colours, fonts, logo and card texts from brand/<name>/brand.toml. Broken kits fail loudly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageFont

from videokit.errors import BrandError, ConfigError
from videokit.platforms import PLATFORMS, Platform, with_tables
from videokit.textfile import read_toml

DEFAULT_BRAND_DIR = Path(__file__).resolve().parent.parent / "brand" / "musterstadt"
FONT_ROLES = ("title", "body", "captions")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class BrandKit:
    root: Path
    name: str
    credit: str
    primary: RGB
    accent: RGB
    text: RGB
    fonts: dict[str, Path]
    logo: Path
    intro_seconds: float
    outro_seconds: float
    outro_text: str
    music: Path | None
    # [platform.<name>] tables: channels the kit adds or changes (platforms.with_tables), checked at load
    platforms: dict[str, Platform] = field(default_factory=dict, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The names its team writes most (names.txt: mayor, districts, streets): Whisper spells them right."""
        from videokit.textfile import read_name_list

        path = self.root / "names.txt"
        return tuple(read_name_list(path)) if path.is_file() else ()

    @property
    def fonts_dir(self) -> Path:
        """Folder handed to libass so burned subtitles use exactly the brand's font files."""
        return self.fonts["captions"].parent

    def font(self, role: str, size_px: int) -> ImageFont.FreeTypeFont:
        return _load_font(str(self.fonts[role]), size_px)

    def font_family(self, role: str) -> str:
        """The family name libass matches against the files in fonts_dir."""
        return self.font(role, 40).getname()[0]

    def ass_font_size(self, role: str, em_px: int) -> int:
        """ASS Fontsize is ascent+descent, Pillow's size is the em: derive one from the other."""
        ascent, descent = self.font(role, em_px).getmetrics()
        return ascent + descent

    def check_drawable(self, role: str, text: str, what: str) -> None:
        """Refuse text the brand's font cannot draw (an emoji in a title showed as a box): one line naming the
        characters, before anything is rendered."""
        cmap = _codepoints(str(self.fonts[role]))
        missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap and ch not in IGNORABLE})
        if missing:
            raise ConfigError(f"{what} '{text}': the brand's {role} font ({self.fonts[role].name}) has no "
                              f"{' '.join(missing)}, which would show as boxes; leave "
                              f"{'them' if len(missing) > 1 else 'it'} out, or use a brand kit whose font has "
                              f"{'them' if len(missing) > 1 else 'it'}")

    def identity(self) -> dict[str, Any]:
        """What a cached card depends on (content, not paths' mtimes)."""
        return {
            "name": self.name, "primary": self.primary, "accent": self.accent, "text": self.text,
            "fonts": {k: _file_digest(v) for k, v in self.fonts.items()}, "logo": _file_digest(self.logo),
            "outro_text": self.outro_text, "intro": self.intro_seconds, "outro": self.outro_seconds,
        }


def load_brand(path: Path | str | None = None) -> BrandKit:
    root = Path(path) if path else DEFAULT_BRAND_DIR
    toml_path = root / "brand.toml" if root.is_dir() else root
    root = toml_path.parent
    if not toml_path.is_file():
        raise BrandError(f"{toml_path}: brand kit not found (pass --brand with a folder holding brand.toml)")
    data = read_toml(toml_path, BrandError)
    colours = data.get("colors", {})
    fonts_cfg = data.get("fonts", {})
    cards = data.get("cards", {})
    fonts = {role: _font_file(root, toml_path, fonts_cfg, role) for role in FONT_ROLES}
    logo = _existing(root, data.get("logo", {}).get("file"), toml_path, "logo file")
    _check_image(logo)
    music_name = data.get("music", {}).get("file")
    return BrandKit(
        root=root,
        name=str(data.get("name", root.name)),
        credit=str(data.get("credit", "")),
        primary=_colour(colours, "primary", toml_path),
        accent=_colour(colours, "accent", toml_path),
        text=_colour(colours, "text", toml_path),
        fonts=fonts,
        logo=logo,
        intro_seconds=float(cards.get("intro_seconds", 2.5)),
        outro_seconds=float(cards.get("outro_seconds", 2.5)),
        outro_text=str(cards.get("outro_text", "")),
        music=_existing(root, music_name, toml_path, "music file") if music_name else None,
        platforms=_platforms(data.get("platform", {}), toml_path),
    )


def _platforms(tables: Any, toml_path: Path) -> dict[str, Platform]:
    """The kit's own channels and changed presets, each as it will render (built-in figures under the kit's)."""
    try:
        merged = with_tables(PLATFORMS, tables, str(toml_path))
    except ConfigError as exc:
        raise BrandError(str(exc)) from None
    return {name: merged[name] for name in tables}


def _font_file(root: Path, toml_path: Path, fonts_cfg: dict[str, Any], role: str) -> Path:
    path = _existing(root, fonts_cfg.get(role), toml_path, f"font '{role}'")
    try:
        _load_font(str(path), 40)
    except OSError:
        raise BrandError(f"{path}: font file cannot be loaded (brand {toml_path}); use a .ttf/.otf file") from None
    return path


def _existing(root: Path, name: Any, toml_path: Path, what: str) -> Path:
    if not name:
        raise BrandError(f"{toml_path}: no {what} set in the brand kit")
    path = (root / str(name)).resolve()
    if not path.is_file():
        raise BrandError(f"{path}: {what} of brand {toml_path} is missing; add the file or fix brand.toml")
    return path


def _check_image(path: Path) -> None:
    try:
        with Image.open(path) as img:
            img.verify()
    except Exception:
        raise BrandError(f"{path}: logo is not a readable image; export it again as PNG") from None


def _colour(colours: dict[str, Any], key: str, toml_path: Path) -> RGB:
    value = str(colours.get(key, ""))
    if not HEX_COLOUR.match(value):
        raise BrandError(f"{toml_path}: colors.{key} must look like '#1a2b3c', got '{value}'")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


@lru_cache(maxsize=64)
def _load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


# invisible characters a shaper drops (variation selectors, joiners): no glyph needed
IGNORABLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufe0e", "\ufe0f", "\u00ad"}


@lru_cache(maxsize=16)
def _codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=64)
def _file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def check_texts(brand: BrandKit, title: str, people: list[tuple[str, str]]) -> None:
    """The title and each lower third's name and role, in the fonts that will draw them."""
    brand.check_drawable("title", title, "title")
    for name, role in people:
        brand.check_drawable("title", name, "lower third name")
        brand.check_drawable("body", role, "lower third role")
