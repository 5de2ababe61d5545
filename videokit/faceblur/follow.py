"""Between two looks, the frames where a look is not enough: a face followed frame by frame (pure over frames).

A look every third of a second places a face that moves steadily; the patch's margin takes the rest. Where that
fails, every frame between the two looks is searched, only in a small window around where the face was in the
frame before (YuNet on a window a few faces wide costs a few milliseconds):
- a face that moved more than FAST of its width between the looks (a bend in its path would leave the patch);
- a face in the first look missing from the second (leaving the picture, turning away): followed forward;
- a face in the second look missing from the first (entering): followed backward.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Face = tuple[float, float, float, float, float]  # x, y, w, h (0..1 of the frame), score
Detector = Callable[[np.ndarray, float], list[Face]]  # an RGB window, the face's width in it (px) → faces in
# it (0..1 of the window)

FAST = 1.0  # of the face's width moved between two looks: followed frame by frame (a steadier path the margin takes)
WINDOW = 2.5  # the search window: this many face sizes around the face ...
MOVE = 0.025  # ... plus this share of the frame's width: a face darting across moves ~0.05 in a tenth of a second,
# but the window is placed where its last step leads, so only the change of its speed needs room
LOST = 3  # frames without the face before following it stops
SIZE_RATIO = 1.8
MATCH = 1.0  # a face in the second look within (its width + MATCH_SPEED × the time) of one in the first is it
MATCH_SPEED = 0.9  # frame widths a second


def follow_forward(first: list[Face], second: list[Face], frames: list[np.ndarray], dt: float,
                   detect: Detector) -> tuple[list[list[Face]], list[Face]]:
    """Faces found in each of `frames` (strictly between two looks, in order; `dt` seconds from the first look to
    the second) for the faces of the first look that left the second or moved fast; and where each of those
    still was at the last frame (to be looked for in the second look's frame: a face too small for a coarse
    look stays followed)."""
    found: list[list[Face]] = [[] for _ in frames]
    pairs = match(first, second, dt)
    chased = [first[i] for i, j in pairs.items() if _step(first[i], second[j]) > FAST * first[i][2]]
    chased += [face for i, face in enumerate(first) if i not in pairs]
    ends = [end for face in chased if (end := _chain(face, range(len(frames)), frames, detect, found)) is not None]
    return found, ends


def follow_backward(faces: list[Face], frames: list[np.ndarray], detect: Detector) -> list[list[Face]]:
    """Faces found in each of `frames` (the frames before a look, in order) for `faces` of that look that no
    look before saw: followed back to where they came into the picture, or came out from behind something."""
    found: list[list[Face]] = [[] for _ in frames]
    for face in faces:
        _chain(face, range(len(frames) - 1, -1, -1), frames, detect, found)
    return found


def search_near(frame: np.ndarray, faces: list[Face], detect: Detector) -> list[Face]:
    """Each face looked for in a window around where it was."""
    return [seen for face in faces if (seen := _near(frame, face, detect)) is not None]


def _chain(face: Face, order: range, frames: list[np.ndarray], detect: Detector,
           found: list[list[Face]]) -> Face | None:
    """The face followed frame by frame in `order`; where it was at the last frame, or None if it was lost."""
    here, before, misses = face, face, 0
    for k in order:
        # looked for where it would be at its last step's speed: the window need not reach as far both ways
        ahead = (2 * here[0] - before[0], 2 * here[1] - before[1], *here[2:]) if not misses else here
        seen = _near(frames[k], ahead, detect)
        if seen is None:
            misses += 1
            if misses >= LOST:
                return None
            continue
        misses = 0
        before, here = here, seen
        if not any(overlap(seen, other) > 0.5 for other in found[k]):
            found[k].append(seen)
    return here


def _near(frame: np.ndarray, face: Face, detect: Detector) -> Face | None:
    """The face in a window around `face`, nearest to it, of a similar size (or cut off by the frame's edge)."""
    fh, fw = frame.shape[:2]
    x, y, w, h = face[:4]
    half_w = (WINDOW * max(w, h * fh / fw) + MOVE) / 2
    cx, cy = x + w / 2, y + h / 2
    x0, x1 = max(0, int((cx - half_w) * fw)), min(fw, int((cx + half_w) * fw) + 1)
    half_h = half_w * fw / fh
    y0, y1 = max(0, int((cy - half_h) * fh)), min(fh, int((cy + half_h) * fh) + 1)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    window = np.ascontiguousarray(frame[y0:y1, x0:x1])
    best, best_d = None, float("inf")
    for wx, wy, ww, wh, score in detect(window, w * fw):
        seen = ((x0 + wx * (x1 - x0)) / fw, (y0 + wy * (y1 - y0)) / fh, ww * (x1 - x0) / fw, wh * (y1 - y0) / fh,
                score)
        ratio = max(seen[2] / w, w / max(seen[2], 1e-6))
        at_edge = seen[0] < 0.01 or seen[0] + seen[2] > 0.99
        if ratio > SIZE_RATIO and not at_edge:
            continue
        d = _step(face, seen)
        if d < best_d:
            best, best_d = seen, d
    return best


def match(first: list[Face], second: list[Face], dt: float) -> dict[int, int]:
    pairs = sorted((_step(a, b) / (a[2] + b[2] + MATCH_SPEED * dt), i, j)
                   for i, a in enumerate(first) for j, b in enumerate(second))
    matched: dict[int, int] = {}
    for cost, i, j in pairs:
        if cost <= MATCH and i not in matched and j not in matched.values():
            matched[i] = j
    return matched


def _step(a: Face, b: Face) -> float:
    return ((a[0] + a[2] / 2 - b[0] - b[2] / 2) ** 2 + (a[1] + a[3] / 2 - b[1] - b[3] / 2) ** 2) ** 0.5


def overlap(a: Face, b: Face) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)
