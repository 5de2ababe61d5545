"""Long pauses cut from a recording (pure), and the map between recording time and the cut episode's time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from videokit.timemap import TimeMap
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


def turns_on_body(turns: list[tuple[float, float, int]], tmap: TimeMap) -> list[tuple[float, float, int]]:
    return [(tmap.to_body(a), tmap.to_body(b), v) for a, b, v in turns]
