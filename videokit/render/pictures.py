"""Platforms that show the same picture share one encode.

TikTok, Reels and Shorts are all 1080x1920 at the job's frame rate with the same burned captions, lower thirds
and cards: only limits such as the bitrate cap differ (so are YouTube, PeerTube and the web's 1920x1080 with
their captions beside the video). Each distinct picture is encoded once, with the strictest
limits of the platforms that share it (so the one stream satisfies every one of them), and the other files are
byte copies of it. Four platforms then cost what two cost, and the graph never feeds one card or PNG input to
two encoders (ffmpeg-python merges identical nodes; two same-size branches crashed the graph build).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from videokit.platforms import Platform


@dataclass(frozen=True, slots=True)
class PictureGroup:
    """Platforms with one picture: `encode` carries the settings every member accepts, under the leader's name."""

    members: tuple[Platform, ...]

    @property
    def leader(self) -> Platform:
        return self.members[0]

    @property
    def encode(self) -> Platform:
        return replace(self.leader,
                       max_video_kbps=min(p.max_video_kbps for p in self.members),
                       audio_kbps=min(p.audio_kbps for p in self.members))

    @property
    def copies(self) -> tuple[Platform, ...]:
        return self.members[1:]


def picture_groups(platforms: list[Platform]) -> list[PictureGroup]:
    """Group by picture, in the order the platforms were asked for. A picture is its frame size (layout, caption
    style, cards and lower thirds follow from it) and whether captions are burned into it (Instagram's feed
    burns, Facebook's 4:5 takes an SRT). A platform with a file-size cap is a picture of its own: its bitrate is
    fitted to its cap (platforms.fitted_to_size), and a shared stream would have to meet the smallest cap."""
    by_picture: dict[tuple[object, ...], list[Platform]] = {}
    for platform in platforms:
        key = (platform.size, platform.burns_captions, platform.name if platform.max_bytes else None)
        by_picture.setdefault(key, []).append(platform)
    return [PictureGroup(tuple(members)) for members in by_picture.values()]


def encoded_platforms(platforms: list[Platform]) -> list[Platform]:
    """The platforms the render graph encodes (one per picture), with the group's shared limits."""
    return [group.encode for group in picture_groups(platforms)]


def copy_shared_pictures(platforms: list[Platform], temps: dict[str, Path]) -> None:
    """After the render: the group's other files are byte copies of the encoded one (milliseconds, no encode)."""
    for group in picture_groups(platforms):
        for member in group.copies:
            shutil.copyfile(temps[group.leader.name], temps[member.name])
