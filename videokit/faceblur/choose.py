"""Who is blurred (pure): every track but the speakers (`others`) or every track (`all`), less the people a user
named to keep; plus the regions a user asked to blur that no detector found.

The speakers are the people the camera is about: the face with the most screen time weighted by its size, and any
other face with at least half of that and nearly its size (two interviewees). A bystander filling the frame for a
moment, or a small one present throughout, stays blurred: recall before precision.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from videokit.errors import ConfigError
from videokit.faceblur.tracks import Track

MODES = ("none", "others", "all")
SPEAKER_SHARE = 0.5  # of the leading face's size × screen time
SPEAKER_SIZE = 0.6  # of the leading face's median width
KEEP_WINDOW = 1.0  # seconds around a keep point in which a face there is looked for


@dataclass(frozen=True, slots=True)
class KeepPoint:
    """`--keep-face [N=]X,Y[@T]`: the face at X,Y (0..1 of the frame) of clip N (1-based) at T seconds of it."""

    clip: int
    x: float
    y: float
    t: float = 0.0

    def __str__(self) -> str:
        clip = f"{self.clip}=" if self.clip != 1 else ""
        at = f"@{self.t:g}" if self.t else ""
        return f"{clip}{self.x:g},{self.y:g}{at}"


_KEEP = re.compile(r"^(?:(\d+)=)?\s*([0-9.]+)\s*,\s*([0-9.]+)\s*(?:@\s*(?:(\d+):)?([0-9.]+))?$")


def parse_keep_point(text: str) -> KeepPoint:
    match = _KEEP.match(text.strip())
    if not match:
        raise ConfigError(f"--keep-face {text!r}: expected X,Y (0..1 of the frame), optionally N= for clip N and "
                         "@SECONDS, e.g. 0.3,0.4 or 2=0.7,0.35@12.5")
    clip, x, y, minutes, seconds = match.groups()
    point = KeepPoint(int(clip or 1), float(x), float(y), int(minutes or 0) * 60 + float(seconds or 0.0))
    if not (0 <= point.x <= 1 and 0 <= point.y <= 1) or point.clip < 1:
        raise ConfigError(f"--keep-face {text!r}: X and Y are shares of the frame, between 0 and 1")
    return point


def speakers(tracks: list[Track]) -> set[int]:
    """Indexes of the tracks the camera is about."""
    if not tracks:
        return set()
    weight = [_screen_time(tr) for tr in tracks]
    widths = [statistics.median(w for _t, _x, _y, w, _h in tr.looks) for tr in tracks]
    lead = max(range(len(tracks)), key=lambda i: weight[i])
    return {i for i in range(len(tracks)) if weight[i] >= SPEAKER_SHARE * weight[lead]
            and widths[i] >= SPEAKER_SIZE * widths[lead]}


def _screen_time(track: Track) -> float:
    """The face's size integrated over its time (looks come at any spacing: every frame where it was followed)."""
    looks = track.looks
    if len(looks) == 1:
        return looks[0][3] * looks[0][4] * (track.end - track.start)
    return sum((a[3] * a[4] + b[3] * b[4]) / 2 * (b[0] - a[0]) for a, b in zip(looks, looks[1:]))


def kept_by_points(tracks: list[Track], points: list[KeepPoint]) -> tuple[set[int], list[KeepPoint]]:
    """Indexes of the tracks the points name, and the points that named nobody."""
    kept: set[int] = set()
    missed = []
    for point in points:
        best = _track_at(tracks, point)
        if best is None:
            missed.append(point)
        else:
            kept.add(best)
    return kept, missed


def blurred(tracks: list[Track], mode: str, points: list[KeepPoint]) -> tuple[list[int], list[int], list[KeepPoint]]:
    """(blurred, kept, keep points that named nobody) as track indexes."""
    if mode == "none":
        return [], list(range(len(tracks))), []
    named, missed = kept_by_points(tracks, points)
    kept = named | (speakers(tracks) if mode == "others" else set())
    return [i for i in range(len(tracks)) if i not in kept], sorted(kept), missed


def _track_at(tracks: list[Track], point: KeepPoint) -> int | None:
    """The track whose face is nearest the point around its time (inside its head, or within a face width)."""
    best, best_cost = None, float("inf")
    for i, track in enumerate(tracks):
        for t, x, y, w, h in track.looks:
            if abs(t - point.t) > KEEP_WINDOW:
                continue
            dx = (point.x - (x + w / 2)) / w
            dy = (point.y - (y + h / 2)) / h
            cost = (dx * dx + dy * dy) ** 0.5 + abs(t - point.t) / KEEP_WINDOW
            if (dx * dx + dy * dy) ** 0.5 <= 1.5 and cost < best_cost:
                best, best_cost = i, cost
    return best
