"""Upload presets: the channels' sizes, limits, caption modes and safe areas.

The presets are data (`platforms.toml` in the package); a brand kit or a template adds or changes one with a
`[platform.<name>]` table of its own, and every preset remembers where it came from (`videokit platforms`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from videokit.errors import ConfigError

PRESETS_FILE = Path(__file__).with_name("platforms.toml")
BUILT_IN = "built in"
CAPTION_FILES = ("srt", "vtt")
PAGE_PARTS = ("poster", "html")
MB = 1_000_000  # the channels state their caps in decimal megabytes (WhatsApp's 16 MB, Mastodon's 99 MB)


@dataclass(frozen=True, slots=True)
class SafeArea:
    """Where the app's own buttons and texts do not cover the picture, in output pixels."""

    top: int
    bottom: int  # y of the lowest line anything important may reach
    left: int
    right: int  # x of the rightmost pixel text may reach


@dataclass(frozen=True, slots=True)
class Platform:
    name: str
    width: int
    height: int
    max_video_kbps: int  # VBR cap; YouTube: 8 Mbit/s at 24-30 fps
    audio_kbps: int
    max_duration: float  # seconds
    min_duration: float
    sidecars: tuple[str, ...]  # caption files the platform takes next to the video; none: captions burned in
    safe: SafeArea
    max_bytes: int | None = None  # the channel's file-size cap
    alt_text: int = 0  # characters of the channel's description field; 0: it has none
    page: tuple[str, ...] = ()  # "poster", "html": the files a web page needs beside the video
    key_aspect: tuple[int, int] | None = None  # the part of the frame a grid shows (Instagram's 3:4)
    splits: bool = False  # `--split` makes a too-long video into parts of its longest length (WhatsApp's status)
    part_seconds: float = 0.0  # rendering for `--split`: the parts' length, which the size cap is fitted to
    source: str = ""  # where the figures were checked
    origin: str = BUILT_IN  # where the preset was defined: built in, or the brand kit's or template's file

    @property
    def vertical(self) -> bool:
        return self.height > self.width

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def scale(self) -> float:
        """Text and graphics scale with the frame's short side (1080 px is 1)."""
        return min(self.width, self.height) / 1080

    @property
    def burns_captions(self) -> bool:
        return not self.sidecars

    @property
    def caption_mode(self) -> str:
        return ",".join(self.sidecars) if self.sidecars else "burned"


def safe_area(width: int, height: int, key_aspect: tuple[int, int] | None = None) -> SafeArea:
    """Full-screen vertical frames (9:16 and taller) keep clear of the apps' overlays: nothing in the top 14 %,
    nothing important in the bottom 35 %, text inside x=90..900 of 1080 (TikTok's action rail is wide). Any other
    frame keeps 5 % title-safe margins, of the part a grid shows (`key_aspect`) where the channel crops one."""
    if height * 9 >= width * 16 * 0.99:  # the 1080x1920 figures, at this frame's size
        return SafeArea(top=round(height * 270 / 1920), bottom=round(height * 1250 / 1920),
                        left=round(width * 90 / 1080), right=round(width * 900 / 1080))
    key_w, key_h = width, height
    if key_aspect:
        key_w = min(width, round(height * key_aspect[0] / key_aspect[1]))
        key_h = min(height, round(width * key_aspect[1] / key_aspect[0]))
    side, top = (width - key_w) // 2, (height - key_h) // 2
    return SafeArea(top=top + round(0.05 * key_h), bottom=height - top - round(0.05 * key_h),
                    left=side + round(0.05 * key_w), right=width - side - round(0.05 * key_w))


def platform_from_table(name: str, table: Mapping[str, Any], origin: str, base: Platform | None = None) -> Platform:
    """One preset from its TOML table; `base`: the preset it changes (only the figures given are replaced)."""
    where = f"{origin} [platform.{name}]" if origin != BUILT_IN else f"{PRESETS_FILE} [{name}]"
    known = {"size", "video_kbps", "audio_kbps", "seconds", "max_mb", "captions", "alt_text", "key_aspect", "page",
             "source", "safe", "parts"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    if base is None and not {"size", "captions"} <= set(table):
        raise ConfigError(f"{where}: a new platform needs at least size = [width, height] and captions = "
                          f"\"burned\" (or [\"srt\"], [\"vtt\"])")
    try:
        values: dict[str, Any] = {}
        if "size" in table:
            w, h = (int(v) for v in table["size"])
            if not (144 <= w <= 3840 and 144 <= h <= 3840 and w % 2 == 0 and h % 2 == 0):
                raise ConfigError(f"{where}: size must be two even numbers from 144 to 3840, got {table['size']}")
            values.update(width=w, height=h)
        if "video_kbps" in table:
            values["max_video_kbps"] = _positive(table["video_kbps"], "video_kbps", where)
        if "audio_kbps" in table:
            values["audio_kbps"] = _positive(table["audio_kbps"], "audio_kbps", where)
        if "seconds" in table:
            low, high = (float(v) for v in table["seconds"])
            if not 0 <= low < high:
                raise ConfigError(f"{where}: seconds must be [shortest, longest], got {table['seconds']}")
            values.update(min_duration=low, max_duration=high)
        if "max_mb" in table:
            values["max_bytes"] = int(float(table["max_mb"]) * MB) if table["max_mb"] else None
        if "captions" in table:
            values["sidecars"] = _caption_files(table["captions"], where)
        if "alt_text" in table:
            values["alt_text"] = int(table["alt_text"])
        if "page" in table:
            page = tuple(str(p) for p in table["page"])
            if set(page) - set(PAGE_PARTS):
                raise ConfigError(f"{where}: page may hold {', '.join(PAGE_PARTS)}, got {list(page)}")
            values["page"] = page
        if "key_aspect" in table:
            values["key_aspect"] = _aspect(table["key_aspect"], where)
        if "source" in table:
            values["source"] = str(table["source"])
        if "parts" in table:
            if not isinstance(table["parts"], bool):
                raise ConfigError(f"{where}: parts must be true or false, got {table['parts']!r}")
            values["splits"] = table["parts"]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: bad value ({exc})") from None
    if base is None:
        values = {"max_video_kbps": 8000, "audio_kbps": 128, "min_duration": 1.0, "max_duration": 3600.0,
                  **values}
        platform = Platform(name=name, safe=SafeArea(0, 0, 0, 0), **values)
    else:
        platform = replace(base, **values)
    platform = replace(platform, origin=origin, safe=safe_area(platform.width, platform.height, platform.key_aspect))
    if "safe" in table:
        platform = replace(platform, safe=_safe(table["safe"], platform, where))
    return platform


def _positive(value: Any, key: str, where: str) -> int:
    number = int(value)
    if number <= 0:
        raise ConfigError(f"{where}: {key} must be above 0, got {value!r}")
    return number


def _caption_files(value: Any, where: str) -> tuple[str, ...]:
    if value == "burned":
        return ()
    files = tuple(str(v).lower() for v in ([value] if isinstance(value, str) else value))
    if not files or set(files) - set(CAPTION_FILES):
        raise ConfigError(f"{where}: captions must be \"burned\" or a list of {', '.join(CAPTION_FILES)}, "
                          f"got {value!r}")
    return files


def _aspect(value: Any, where: str) -> tuple[int, int]:
    try:
        a, b = (int(v) for v in str(value).split(":"))
        if a > 0 and b > 0:
            return a, b
    except ValueError:
        pass
    raise ConfigError(f"{where}: key_aspect must look like \"3:4\", got {value!r}")


def _safe(value: Any, platform: Platform, where: str) -> SafeArea:
    """`safe = [top, bottom, left, right]` in pixels of the frame."""
    top, bottom, left, right = (int(v) for v in value)
    if not (0 <= top < bottom <= platform.height and 0 <= left < right <= platform.width):
        raise ConfigError(f"{where}: safe must be [top, bottom, left, right] inside {platform.width}x"
                          f"{platform.height}, got {list(value)}")
    return SafeArea(top, bottom, left, right)


def _built_in() -> dict[str, Platform]:
    with PRESETS_FILE.open("rb") as fh:
        tables = tomllib.load(fh)
    return {name: platform_from_table(name, table, BUILT_IN) for name, table in tables.items()}


PLATFORMS: dict[str, Platform] = _built_in()


def with_tables(presets: Mapping[str, Platform], tables: Mapping[str, Any], origin: str) -> dict[str, Platform]:
    """The presets with a brand kit's or template's `[platform.*]` tables: a known name changes that preset, a
    new one adds a channel."""
    if not isinstance(tables, Mapping):
        raise ConfigError(f"{origin}: [platform] must hold tables like [platform.stadtapp]")
    merged = dict(presets)
    for name, table in tables.items():
        key = name.strip().lower()
        if not key.replace("_", "").replace("-", "").isalnum() or not isinstance(table, Mapping):
            raise ConfigError(f"{origin}: [platform.{name}]: a platform is a table named with letters and digits")
        merged[key] = platform_from_table(key, table, origin, presets.get(key))
    return merged


def check_tables(tables: Mapping[str, Any], origin: str) -> None:
    """Each table's figures valid, for a file read before it is known what it builds on (a template's table may
    change a channel the brand kit adds): a new channel's required figures are asked for when it is used."""
    if not isinstance(tables, Mapping):
        raise ConfigError(f"{origin}: [platform] must hold tables like [platform.stadtapp]")
    for name, table in tables.items():
        with_tables({name.strip().lower(): PLATFORMS.get(name.strip().lower(), PLATFORMS["youtube"])},
                    {name: table}, origin)


def get_platform(name: str, presets: Mapping[str, Platform] | None = None) -> Platform:
    table = PLATFORMS if presets is None else presets
    try:
        return table[name.strip().lower()]
    except KeyError:
        known = ", ".join(table)
        raise ConfigError(f"unknown platform '{name}' (choose from: {known})") from None


def parse_platforms(text: str | list[str], presets: Mapping[str, Platform] | None = None) -> list[Platform]:
    names = text.split(",") if isinstance(text, str) else list(text)
    result: list[Platform] = []
    for name in names:
        if name.strip() and get_platform(name, presets) not in result:
            result.append(get_platform(name, presets))
    if not result:
        raise ConfigError("no platforms given (e.g. --platforms tiktok,youtube)")
    return result


def fitted_to_size(platform: Platform, duration: float, pieces: int = 1) -> Platform:
    """The preset with its video bitrate cap fitted so a `duration`-second file is under the size cap on the first
    try. x264's VBV guarantees at most `bufsize` above maxrate x duration for each separately encoded piece (the
    body, and the cached outro joined to it), so the cap is what is left after the audio (AAC runs a little over
    its nominal rate), the container and a 3 % margin, spread over the duration plus one buffer a piece."""
    if platform.max_bytes is None or duration <= 0:
        return platform
    if platform.part_seconds:
        duration = min(duration, platform.part_seconds)
    budget = platform.max_bytes * 8 * 0.97 - platform.audio_kbps * 1000 * 1.02 * duration - 64_000 * 8
    kbps = int(budget / (duration + BUFFER_SECONDS * pieces) / 1000)
    if kbps < MIN_FITTED_KBPS:
        raise ConfigError(f"{platform.name}: {duration:.0f} s do not fit in {platform.max_bytes / MB:g} MB at a "
                          f"watchable quality (it would be {max(kbps, 0)} kbit/s); shorten the video"
                          + (" or use --split" if platform.name == "whatsapp" else ""))
    return replace(platform, max_video_kbps=min(platform.max_video_kbps, kbps))


def for_parts(platform: Platform, total: float) -> Platform:
    """The preset a `--split` video renders with: as long as it is, its size cap fitted to one part's length (the
    parts are cut from it and checked against the channel itself, splitting.split_into_parts)."""
    return replace(platform, part_seconds=platform.max_duration, max_duration=max(platform.max_duration, total + 1))


BUFFER_SECONDS = 1.0  # a capped encode's VBV buffer, in seconds of its maxrate (render/streams.video_args)
MIN_FITTED_KBPS = 300
