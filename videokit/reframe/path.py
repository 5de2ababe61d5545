"""Detections → a camera path for the vertical crop (pure): what a calm camera operator would do.

Coordinates are fractions of the source picture (x: 0 left edge, 1 right edge); times are source seconds. Per
shot (cut to cut) the operator decides once: follow the subject with a 9:16 window of the full picture height, or,
when no face and no person is seen (or a group is wider than the window), show the whole picture over the
blurred fill for that shot. Within a shot the window holds still while the subject moves inside a dead zone,
eases into a pan (starting early: the whole shot is known) when they leave it, never much faster than the subject
and never faster than a speed limit, and never changes its mind about whom to follow; at a cut it jumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the subject may drift this far (fraction of the window width) from the window's centre before the camera moves
DEAD_ZONE = 0.18
# a pan ends when the subject is this close (fraction of the window width) to the window's centre
SETTLED = 0.04
# the fastest pan, in window widths per second: a subject crossing the frame is followed in ~1.5 s, never whipped
MAX_SPEED = 0.9
# the camera eases into and out of every move over this long (seconds): the operator's intended path (hold, then
# keep the subject near the centre) is smoothed with a Hann window of this width, centred, so a move starts up
# to half of it early (the planner sees the future) and speed never jumps. Measured on a face that stands 4.4 s,
# then walks at 210 px/s: the old path held, then caught up at 550 px/s (52 px per 3 frames); eased, the camera
# starts 0.7 s early, moves at most 24 px per 3 frames (1.15x the subject) and changes speed by at most 20 % of
# the subject's per 3 frames (tests/test_reframe_path.py)
EASE = 1.5
STEP = 1 / 30  # the path is planned frame by frame, then reduced to the keys that matter
# a shot is cropped only when a subject is seen in at least this share of its samples
MIN_PRESENCE = 0.5
# a group is kept together in the window when its extent, edge to edge, is at most this share of the window
GROUP_FILL = 0.85
# detections of one subject in consecutive samples lie within this distance (window widths)
SAME_SUBJECT = 0.6


@dataclass(frozen=True, slots=True)
class Box:
    """A face or person in one sample: centre x, width (fractions of the picture width), detector confidence."""

    x: float
    w: float
    score: float = 1.0
    kind: str = "face"  # "face" or "person"


@dataclass(slots=True)
class Sample:
    t: float
    boxes: list[Box] = field(default_factory=list)


@dataclass(slots=True)
class Shot:
    """One shot's treatment: `keys` are (source seconds, left edge of the window as a fraction of the picture
    width), linear between keys; empty keys with mode "fill" = the blurred fill."""

    start: float
    end: float
    mode: str  # "crop" or "fill"
    keys: list[tuple[float, float]] = field(default_factory=list)
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "mode": self.mode, "keys": [list(k) for k in self.keys],
                "reason": self.reason}


def plan_path(samples: list[Sample], cuts: list[float], duration: float, window: float) -> list[Shot]:
    """`window`: the crop width as a fraction of the picture width (9:16 of the height of a 16:9 picture is
    0.316). Returns shots covering 0..duration."""
    bounds = [0.0] + sorted(c for c in cuts if 0.0 < c < duration) + [duration]
    shots = []
    for a, b in zip(bounds, bounds[1:]):
        inside = [s for s in samples if a <= s.t < b]
        shots.append(plan_shot(inside, a, b, window))
    return shots


def plan_shot(samples: list[Sample], start: float, end: float, window: float) -> Shot:
    seen = [s for s in samples if s.boxes]
    if not samples or len(seen) < MIN_PRESENCE * len(samples):
        return Shot(start, end, "fill", reason="no face or person")
    targets = subject_targets(seen, window)
    if targets is None:
        return Shot(start, end, "fill", reason="group wider than the vertical frame")
    half = max(b.w for s in seen for b in _primary_boxes(s)) / 2
    keys = follow(targets, window, half)
    keys = [(start, keys[0][1])] + [k for k in keys if start < k[0] < end] + [(end, keys[-1][1])]
    return Shot(start, end, "crop", keys)  # follow() keeps only the keys that matter


def subject_targets(samples: list[Sample], window: float) -> list[tuple[float, float]] | None:
    """(t, x to keep in the window) per sample: the whole group when it fits, else the one main subject (the one
    seen largest and longest), followed for the whole shot. None when three or more people stand wider apart
    than the window can show."""
    tracks = _tracks(samples, window)
    main = max(tracks, key=lambda tr: sum(b.w * b.score for _, b in tr))
    near = [tr for tr in tracks if tr is not main and _overlap(tr, main)]
    targets = []
    for s in samples:
        boxes = _primary_boxes(s)
        left = min(b.x - b.w / 2 for b in boxes)
        right = max(b.x + b.w / 2 for b in boxes)
        main_box = next((b for t, b in main if t == s.t), None)
        if right - left <= window * GROUP_FILL:
            targets.append((s.t, (left + right) / 2))  # everyone fits: keep them together
        elif main_box is not None:
            targets.append((s.t, main_box.x))
    if len(near) >= 2 and _too_wide(samples, window):
        return None
    return targets or None


def follow(targets: list[tuple[float, float]], window: float, half_width: float = 0.0) -> list[tuple[float, float]]:
    """The camera: the window centre starts on the subject and holds while the subject stays inside the dead
    zone; when they leave it, the intended centre moves to keep them near the middle (hysteresis: until they
    are centred again, as an operator does). That intention is eased (Hann window of EASE seconds, centred: the
    move starts before the subject reaches the edge, speeds up and slows down smoothly, never much faster than
    the subject), then limited to MAX_SPEED and kept so the subject's box (`half_width` either side) stays in the
    window. Returns (t, left edge) keys, clamped inside the picture."""
    import numpy as np

    smooth = _median3(targets)
    times = np.array([t for t, _ in smooth])
    grid = np.arange(times[0], times[-1] + STEP / 2, STEP)
    xs = np.interp(grid, times, [x for _, x in smooth])
    intended = np.empty_like(xs)
    centre, moving = xs[0], False
    for i, x in enumerate(xs):
        offset = x - centre
        moving = abs(offset) > (SETTLED if moving else DEAD_ZONE) * window
        if moving:
            centre = x - np.sign(offset) * SETTLED * window
        intended[i] = centre
    taps = max(3, int(round(EASE / STEP)) | 1)
    kernel = np.hanning(taps + 2)[1:-1]
    padded = np.concatenate([np.full(taps // 2, intended[0]), intended, np.full(taps // 2, intended[-1])])
    eased = np.convolve(padded, kernel / kernel.sum(), mode="valid")
    room = max(0.0, window / 2 - half_width)  # how far the subject's centre may sit from the window's centre
    limit = MAX_SPEED * window * STEP
    path = [float(eased[0])]
    for x, target in zip(xs[1:], eased[1:]):
        c = path[-1] + max(-limit, min(limit, target - path[-1]))
        path.append(min(max(c, x - room), x + room))  # the subject never leaves the picture
    keys = [(round(float(t), 4), _left(float(c), window)) for t, c in zip(grid, path)]
    return _reduce(keys)


# a move is drawn as straight pieces: a new piece starts where the camera's speed has changed by this much
# (picture widths per second: 23 px/s of a 1920 px source, a ninth of a walking subject's speed)
SPEED_STEP = 0.012


def _reduce(keys: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The keys that matter: a hold stays exactly still (its two ends are kept); a move keeps a key wherever its
    speed has changed by SPEED_STEP since the last key, so the straight pieces between keys never jump in speed
    (a position tolerance alone drew an ease-in as two pieces, the second 30 % faster)."""
    out: list[tuple[float, float]] = []
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1][1] == keys[i][1]:
            j += 1
        if j > i:  # a hold from i to j
            out += [keys[i], keys[j]] if not out or out[-1] != keys[i] else [keys[j]]
            i = j
            if i == len(keys) - 1:
                break
            continue
        k = i
        while k + 1 < len(keys) and keys[k + 1][1] != keys[k][1]:
            k += 1
        move = _by_speed(keys[i:k + 1])
        out += move[1:] if out and out[-1] == move[0] else move
        i = k
        if i == len(keys) - 1:
            break
    return out


def _by_speed(keys: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [keys[0]]
    speed = None
    for (t0, x0), (t1, x1) in zip(keys, keys[1:]):
        now = (x1 - x0) / (t1 - t0) if t1 > t0 else 0.0
        if speed is None:
            speed = now
        elif abs(now - speed) > SPEED_STEP:
            out.append((t0, x0))
            speed = now
    out.append(keys[-1])
    return out


def window_at(shots: list[Shot], t: float) -> tuple[str, float]:
    """The mode and left edge at source time t (for tests and the timeline export)."""
    for shot in shots:
        if shot.start <= t < shot.end or shot is shots[-1]:
            if shot.mode != "crop":
                return shot.mode, 0.0
            return "crop", interpolate(shot.keys, t)
    return "fill", 0.0


def interpolate(keys: list[tuple[float, float]], t: float) -> float:
    if t <= keys[0][0]:
        return keys[0][1]
    for (t0, x0), (t1, x1) in zip(keys, keys[1:]):
        if t <= t1:
            return x0 + (x1 - x0) * ((t - t0) / (t1 - t0) if t1 > t0 else 1.0)
    return keys[-1][1]


def _left(centre: float, window: float) -> float:
    return round(min(max(centre - window / 2, 0.0), 1.0 - window), 5)


def _primary_boxes(sample: Sample) -> list[Box]:
    """Faces when any were found, else people."""
    faces = [b for b in sample.boxes if b.kind == "face"]
    return faces or sample.boxes


def _tracks(samples: list[Sample], window: float) -> list[list[tuple[float, Box]]]:
    """Detections linked into subjects by nearness from sample to sample."""
    tracks: list[list[tuple[float, Box]]] = []
    for s in samples:
        free = list(tracks)
        for box in sorted(_primary_boxes(s), key=lambda b: -b.w):
            best = min(free, key=lambda tr: abs(tr[-1][1].x - box.x), default=None)
            if best is not None and abs(best[-1][1].x - box.x) <= SAME_SUBJECT * window:
                best.append((s.t, box))
                free.remove(best)
            else:
                tracks.append([(s.t, box)])
    return tracks


def _overlap(a: list[tuple[float, Box]], b: list[tuple[float, Box]]) -> bool:
    times = {t for t, _ in b}
    return sum(t in times for t, _ in a) >= 0.5 * min(len(a), len(b))


def _too_wide(samples: list[Sample], window: float) -> bool:
    wide = 0
    for s in samples:
        boxes = _primary_boxes(s)
        if len(boxes) >= 3 and max(b.x + b.w / 2 for b in boxes) - min(b.x - b.w / 2 for b in boxes) > window:
            wide += 1
    return wide >= 0.5 * len(samples)


def _median3(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A detector misses or jumps for one sample now and then: a median of three ignores it."""
    if len(points) < 3:
        return points
    out = [points[0]]
    for i in range(1, len(points) - 1):
        out.append((points[i][0], sorted(p[1] for p in points[i - 1:i + 2])[1]))
    out.append(points[-1])
    return out
