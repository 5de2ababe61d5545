"""Long pauses cut from a recording (pure), and the map between recording time and the cut episode's time."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from videokit.timeline import Word


@dataclass(frozen=True, slots=True)
class PauseSettings:
    max_pause: float = 1.5  # pauses longer than this are shortened ...
    keep_pause: float = 0.5  # ... to this, half before and half after the cut (padding around the words)


def spoken_spans(regions: list[tuple[float, float]], words: list[Word]) -> list[tuple[float, float]]:
    """Speech as the union of VAD regions and word timings, so neither a missed word nor a missed breath is cut."""
    spans = sorted([(a, b) for a, b in regions] + [(w.start, w.end) for w in words])
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def plan_cuts(spans: list[tuple[float, float]], duration: float, fps: int,
              settings: PauseSettings) -> list[tuple[float, float]]:
    """Kept ranges [start, end) of the recording, frame aligned. Every pause longer than `max_pause` (also
    before the first and after the last word) keeps `keep_pause`: half after the speech, half before the next."""
    if not spans:
        return []
    half = settings.keep_pause / 2
    keep: list[tuple[float, float]] = []
    start = spans[0][0] - half if spans[0][0] > settings.max_pause else 0.0
    for (_, end), (nxt, _) in zip(spans, spans[1:]):
        if nxt - end > settings.max_pause:
            keep.append((start, end + half))
            start = nxt - half
    last = spans[-1][1]
    keep.append((start, duration if duration - last <= settings.max_pause else last + half))
    limit = math.floor(duration * fps + 1e-6)
    framed: list[tuple[float, float]] = []
    for a, b in keep:
        fa, fb = max(0, math.floor(a * fps + 1e-6)), min(limit, math.ceil(b * fps - 1e-6))
        if framed and fa <= round(framed[-1][1] * fps):
            fa = round(framed[-1][0] * fps)
            framed.pop()
        if fb > fa:
            framed.append((fa / fps, fb / fps))
    return framed


class TimeMap:
    """Recording time ↔ body time (the recording after the cuts)."""

    def __init__(self, keep: list[tuple[float, float]]) -> None:
        self.keep = keep
        self.starts = [a for a, _ in keep]
        self.offsets: list[float] = []
        total = 0.0
        for a, b in keep:
            self.offsets.append(total)
            total += b - a
        self.duration = total

    def to_body(self, t: float) -> float:
        """A time inside a cut maps to the cut point."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        a, b = self.keep[i]
        return self.offsets[i] + min(t, b) - a

    def to_recording(self, t: float) -> float:
        """Body time back to the recording (a cut point maps to the start of the range after it)."""
        i = max(0, bisect_right(self.offsets, t) - 1)
        if not self.keep:
            return t
        a, b = self.keep[i]
        return min(b, a + t - self.offsets[i])

    def ranges_within(self, start: float, end: float) -> list[tuple[float, float]]:
        return [(max(a, start), min(b, end)) for a, b in self.keep if min(b, end) > max(a, start)]


def words_on_body(words: list[Word], tmap: TimeMap) -> list[Word]:
    return [Word(w.text, round(tmap.to_body(w.start), 3), round(max(tmap.to_body(w.end), tmap.to_body(w.start) + 0.02), 3),
                 w.probability) for w in words]


def turns_on_body(turns: list[tuple[float, float, int]], tmap: TimeMap) -> list[tuple[float, float, int]]:
    return [(tmap.to_body(a), tmap.to_body(b), v) for a, b, v in turns]
