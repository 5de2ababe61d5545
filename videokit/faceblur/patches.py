"""Blurred tracks and regions → patches the render graph draws (pure).

A patch is a rectangle over the whole head with a margin (a face box is brow to chin; hair, ears and the head's
turn lie outside it), moving along keys in source pixels. Between two looks the face's real path bends; the patch
is widened by a share of each step so the bend stays inside it. A track whose face grows or shrinks a lot (walking
towards the camera) is cut into pieces of steady size. The keys are thinned to what changes the path by more than
a small tolerance (the patch grows by it), so a long clip stays a short ffmpeg expression.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from videokit.faceblur.tracks import Track

HEAD_W = 1.8  # the patch's width as a multiple of the face box's
HEAD_H = 1.9
HEAD_RISE = 0.1  # the head's centre lies this share of the face's height above the box's (hair)
STEP_MARGIN = 0.2  # of the distance between two looks, added on each side (the path between looks bends)
TAIL_MARGIN = 0.5  # where the box is carried on past the first or last look (a guess): of a face and of the way
SIZE_STEP = 1.4  # a new piece when the head's size changes by more than this factor
TOLERANCE = 0.15  # of the face's width: how far the thinned keys may stray from the looks' path
CELLS_PER_FACE = 4  # the blur keeps this many samples across a face: nothing recognisable survives


@dataclass(frozen=True, slots=True)
class BlurRegion:
    """A rectangle a user asked to blur ("hier auch"), on clip N's own time, 0..1 of the frame."""

    clip: int
    start: float
    end: float
    x: float
    y: float
    w: float
    h: float

    def as_dict(self) -> dict[str, Any]:
        return {"clip": self.clip, "start": self.start, "end": self.end, "x": self.x, "y": self.y,
                "w": self.w, "h": self.h}


def track_patches(track: Track, width: int, height: int, offset: float, span: float) -> list[dict[str, Any]]:
    """A track's patches on the segment's time (clip time − `offset`, inside [0, span])."""
    start, end = max(track.start - offset, 0.0), min(track.end - offset, span)
    if end <= start:
        return []
    inner = [t - offset for t, *_ in track.looks if start < t - offset < end]
    times = [start, *inner, end]
    heads = [_head(track.box_at(t + offset), width, height) for t in times]
    steps = [max(_step(heads, i - 1, i), _step(heads, i, i + 1)) for i in range(len(heads))]
    # before the first look and after the last one the box is carried on at the track's speed: a guess, given a
    # wider margin and a piece of its own, so the guess does not widen the patch over the whole track
    first = 1 if times[0] < track.looks[0][0] - offset - 1e-6 and len(times) > 2 else 0
    last = len(times) - 2 if times[-1] > track.looks[-1][0] - offset + 1e-6 and len(times) > 2 else len(times) - 1
    margins = [STEP_MARGIN * steps[i] for i in range(len(heads))]
    for i in [*range(first), *range(last + 1, len(heads))]:  # the carried ends: half a face, and half the way
        margins[i] = TAIL_MARGIN * (heads[i][2] / HEAD_W + steps[i])
    pieces: list[list[int]] = [[0]]
    for i in range(1, len(heads)):
        base = heads[pieces[-1][0]]
        grown = max(heads[i][2] / base[2], base[2] / heads[i][2])
        pieces[-1].append(i)  # a piece ends on the key the next one starts from: the path never holds still
        if (grown > SIZE_STEP or i in (first, last)) and i < len(heads) - 1:
            pieces.append([i])
    return [_patch([times[i] for i in piece], [heads[i] for i in piece], [margins[i] for i in piece],
                   times[piece[0]], times[piece[-1]], width, height) for piece in pieces]


def region_patch(region: BlurRegion, width: int, height: int, offset: float, span: float) -> dict[str, Any] | None:
    start, end = max(region.start - offset, 0.0), min(region.end - offset, span)
    if end <= start:
        return None
    w, h = _even(region.w * width, width), _even(region.h * height, height)
    x, y = region.x * width, region.y * height
    face = min(w, h) / HEAD_W
    return {"start": round(start, 4), "end": round(end, 4), "w": w, "h": h, "x": [[round(start, 4), round(x, 1)]],
            "y": [[round(start, 4), round(y, 1)]], "cells": _cells(w, h, face)}


def _head(box: tuple[float, float, float, float], width: int, height: int) -> tuple[float, float, float, float]:
    """(centre x, centre y, width, height) of the head around a face box, in pixels."""
    x, y, w, h = box
    return ((x + w / 2) * width, (y + h / 2 - HEAD_RISE * h) * height, w * width * HEAD_W, h * height * HEAD_H)


def _step(heads: list[tuple[float, float, float, float]], i: int, j: int) -> float:
    if i < 0 or j >= len(heads):
        return 0.0
    return ((heads[j][0] - heads[i][0]) ** 2 + (heads[j][1] - heads[i][1]) ** 2) ** 0.5


def _patch(times: list[float], heads: list[tuple[float, float, float, float]], margins: list[float],
           start: float, end: float, width: int, height: int) -> dict[str, Any]:
    face = min(h[2] for h in heads) / HEAD_W
    tolerance = TOLERANCE * face
    w = _even(max(h[2] + 2 * m for h, m in zip(heads, margins)) + 2 * tolerance, width)
    h = _even(max(hd[3] + 2 * m for hd, m in zip(heads, margins)) + 2 * tolerance, height)
    xs = thin([(t, hd[0] - w / 2) for t, hd in zip(times, heads)], tolerance)
    ys = thin([(t, hd[1] - h / 2) for t, hd in zip(times, heads)], tolerance)
    return {"start": round(start, 4), "end": round(end, 4), "w": w, "h": h,
            "x": [[round(t, 4), round(v, 1)] for t, v in xs], "y": [[round(t, 4), round(v, 1)] for t, v in ys],
            "cells": _cells(w, h, max(h[2] for h in heads) / HEAD_W)}


def thin(keys: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker on (t, value): the fewest keys whose straight lines stay within `tolerance`."""
    if len(keys) <= 2:
        return keys
    (t0, v0), (t1, v1) = keys[0], keys[-1]
    worst, at = -1.0, 0
    for i in range(1, len(keys) - 1):
        t, v = keys[i]
        line = v0 + (v1 - v0) * (t - t0) / max(1e-9, t1 - t0)
        if abs(v - line) > worst:
            worst, at = abs(v - line), i
    if worst <= tolerance:
        return [keys[0], keys[-1]]
    return thin(keys[:at + 1], tolerance)[:-1] + thin(keys[at:], tolerance)


def _cells(w: int, h: int, face: float) -> tuple[int, int]:
    across = max(2, round(w / max(face, 1.0) * CELLS_PER_FACE))
    return across, max(2, round(across * h / w))


def _even(value: float, limit: int) -> int:
    return max(8, min(limit // 2 * 2, int(round(value / 2)) * 2))
