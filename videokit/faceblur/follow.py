"""Between two looks, the frames where a look is not enough: a face followed frame by frame (pure over frames).

A look every half second places a face that moves steadily; the patch's margin takes the rest. Where that fails,
the face is followed through every decoded frame between the two looks by matching its own picture (the head as
the last frame showed it, normalised cross-correlation on the luma plane, in a small window placed where its last
step leads). A match costs a tenth of a millisecond where a detector in the same window cost three; the looks
on either side correct any drift. Followed:
- a face that moved more than FAST of its width between the looks (a bend in its path would leave the patch);
- a face in the first look missing from the second (leaving the picture, turning away, too small for a coarse
  look): followed forward, and where it still is at the second look it counts as seen there;
- a face in a look that no look before saw (entering, coming out from behind someone): followed backward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Face = tuple[float, float, float, float, float]  # x, y, w, h (0..1 of the frame), score

FAST = 1.0  # of the face's width moved between two looks: followed frame by frame
MOVE = 0.02  # of the frame's width: room in the window for a change of speed between two frames ...
FIRST_MOVE = 0.06  # ... and for the first move, whose speed is not known (a face darting across: ~0.05)
HEAD = 1.3  # the picture matched is the face box grown by this much (hair and outline carry the match)
MIN_MATCH = 0.6  # normalised cross-correlation below which the face is not there (turned, hidden, gone)
LOST = 2  # frames without a match before following stops
MATCH = 1.0  # a face of the second look within (its width + MATCH_SPEED × the time) of one of the first is it
MATCH_SPEED = 0.9  # frame widths a second


@dataclass(slots=True)
class Followed:
    face: Face
    picture: np.ndarray  # the head as last matched (luma)
    step: tuple[float, float] | None = None  # its last move from frame to frame; None: not known yet


def follow_forward(first: list[Face], second: list[Face], start: np.ndarray, frames: list[np.ndarray],
                   dt: float) -> tuple[list[list[Face]], list[Followed]]:
    """Faces found in each of `frames` (the luma planes strictly between two looks; `start` is the first look's;
    `dt` seconds from the first look to the second) for the faces of the first look that left the second or moved
    fast; and those still followed at the last frame (to be matched in the second look's frame)."""
    found: list[list[Face]] = [[] for _ in frames]
    pairs = match(first, second, dt)
    chased = [first[i] for i, j in pairs.items() if _step(first[i], second[j]) > FAST * first[i][2]]
    chased += [face for i, face in enumerate(first) if i not in pairs]
    later = {first[i]: second[j] for i, j in pairs.items()}
    ends = []
    for face in chased:
        followed = _picture(start, face)
        if followed is None:
            continue
        if face in later:  # both ends known: it starts at their average speed
            followed.step = ((later[face][0] - face[0]) / (len(frames) + 1),
                             (later[face][1] - face[1]) / (len(frames) + 1))
        if (end := _chain(followed, range(len(frames)), frames, found)) is not None:
            ends.append(end)
    return found, ends


def follow_backward(faces: list[Face], start: np.ndarray, frames: list[np.ndarray]) -> list[list[Face]]:
    """Faces found in each of `frames` (the luma planes before a look, in order; `start` is the look's) for
    `faces` of that look that no look before saw."""
    found: list[list[Face]] = [[] for _ in frames]
    for face in faces:
        followed = _picture(start, face)
        if followed is not None:
            _chain(followed, range(len(frames) - 1, -1, -1), frames, found)
    return found


def still_there(followed: list[Followed], frame: np.ndarray) -> list[Face]:
    """Where the followed faces are in `frame` (the next look's luma plane), those that match."""
    return [seen.face for f in followed if (seen := _match_near(frame, f, _ahead(f, 1))) is not None]


def _chain(followed: Followed, order: range, frames: list[np.ndarray], found: list[list[Face]]) -> Followed | None:
    """The face followed frame by frame in `order`; as it was at the last frame, or None if it was lost."""
    here, misses = followed, 0
    for k in order:
        seen = _match_near(frames[k], here, _ahead(here, misses + 1))
        if seen is None:
            misses += 1
            if misses >= LOST:
                return None
            continue
        seen.step = ((seen.face[0] - here.face[0]) / (misses + 1), (seen.face[1] - here.face[1]) / (misses + 1))
        misses = 0
        here = seen
        if not any(overlap(seen.face, other) > 0.5 for other in found[k]):
            found[k].append(seen.face)
    return here


def _ahead(followed: Followed, frames: int) -> Face:
    """Where its last step leads in `frames` frames (where it was, if its speed is not known)."""
    if followed.step is None:
        return followed.face
    x, y, *rest = followed.face
    return (x + followed.step[0] * frames, y + followed.step[1] * frames, *rest)  # type: ignore[return-value]


def _picture(frame: np.ndarray, face: Face) -> Followed | None:
    x0, y0, x1, y1 = _head_box(frame, face)
    if x1 - x0 < 6 or y1 - y0 < 6:
        return None
    return Followed(face, frame[y0:y1, x0:x1].copy())


def _match_near(frame: np.ndarray, followed: Followed, ahead: Face) -> Followed | None:
    """The followed head found in a window around `ahead`, or None."""
    import cv2

    fh, fw = frame.shape[:2]
    th, tw = followed.picture.shape[:2]
    hx0, hy0, _hx1, _hy1 = _head_box(frame, ahead)
    room = round((MOVE if followed.step is not None else FIRST_MOVE) * fw + 0.15 * tw)
    x0, y0 = max(0, hx0 - room), max(0, hy0 - room)
    x1, y1 = min(fw, hx0 + tw + room), min(fh, hy0 + th + room)
    if x1 - x0 < tw or y1 - y0 < th:
        return None
    scores = cv2.matchTemplate(frame[y0:y1, x0:x1], followed.picture, cv2.TM_CCOEFF_NORMED)
    _lo, best, _at_lo, (bx, by) = cv2.minMaxLoc(scores)
    if best < MIN_MATCH:
        return None
    # the head box moved by (found − expected); the face inside it moved the same
    old = _head_box(frame, followed.face)
    dx, dy = (x0 + bx - old[0]) / fw, (y0 + by - old[1]) / fh
    face = (followed.face[0] + dx, followed.face[1] + dy, *followed.face[2:])
    return Followed(face, frame[y0 + by:y0 + by + th, x0 + bx:x0 + bx + tw].copy(), followed.step)  # type: ignore[arg-type]


def _head_box(frame: np.ndarray, face: Face) -> tuple[int, int, int, int]:
    """The face box grown by HEAD around its centre, in pixels, inside the frame."""
    fh, fw = frame.shape[:2]
    x, y, w, h = face[:4]
    cx, cy = (x + w / 2) * fw, (y + h / 2) * fh
    half_w, half_h = w * fw * HEAD / 2, h * fh * HEAD / 2
    return (max(0, round(cx - half_w)), max(0, round(cy - half_h)), min(fw, round(cx + half_w)),
            min(fh, round(cy + half_h)))


def match(first: list[Face], second: list[Face], dt: float) -> dict[int, int]:
    """Faces of two looks paired by distance (nearest first); index in `first` → index in `second`."""
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
    """Intersection over union of two boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)
