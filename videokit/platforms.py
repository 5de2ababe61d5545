"""Upload presets (see shared/specs/platforms.md). One place for sizes, limits, bitrates and safe areas."""

from __future__ import annotations

from dataclasses import dataclass

from videokit.errors import ConfigError


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
    sidecars: tuple[str, ...]  # caption files the platform accepts next to the video
    safe: SafeArea

    @property
    def vertical(self) -> bool:
        return self.height > self.width

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


# One vertical layout that is safe on TikTok, Reels and Shorts alike: nothing in the top 270 px,
# nothing important below y=1250, text inside x=90..900 (the right action rail is wide on TikTok).
VERTICAL_SAFE = SafeArea(top=270, bottom=1250, left=90, right=900)
# Title-safe 5 % margins on 16:9 (the YouTube player overlays its controls at the bottom).
HORIZONTAL_SAFE = SafeArea(top=54, bottom=1026, left=96, right=1824)

PLATFORMS: dict[str, Platform] = {
    "tiktok": Platform("tiktok", 1080, 1920, 6000, 192, 600.0, 3.0, (), VERTICAL_SAFE),
    "reels": Platform("reels", 1080, 1920, 8000, 128, 180.0, 3.0, (), VERTICAL_SAFE),
    "shorts": Platform("shorts", 1080, 1920, 8000, 192, 180.0, 1.0, (), VERTICAL_SAFE),
    # YouTube recommends 384 kbit/s AAC; ffmpeg's AAC encoder hits a slow path there (3x the time of 320 kbit/s,
    # measured) for no audible gain on a source YouTube re-encodes anyway
    "youtube": Platform("youtube", 1920, 1080, 8000, 320, 12 * 3600.0, 1.0, ("srt", "vtt"), HORIZONTAL_SAFE),
}


def get_platform(name: str) -> Platform:
    try:
        return PLATFORMS[name.strip().lower()]
    except KeyError:
        known = ", ".join(PLATFORMS)
        raise ConfigError(f"unknown platform '{name}' (choose from: {known})") from None


def parse_platforms(text: str | list[str]) -> list[Platform]:
    names = text.split(",") if isinstance(text, str) else list(text)
    result: list[Platform] = []
    for name in names:
        if name.strip() and get_platform(name) not in result:
            result.append(get_platform(name))
    if not result:
        raise ConfigError("no platforms given (e.g. --platforms tiktok,youtube)")
    return result
