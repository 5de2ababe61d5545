"""Faces seen at each look → tracks of one person each, with a box at any time (pure).

Detections are linked look to look by position and size (near where the face's last speed would have taken it);
a track survives up to MAX_GAP seconds without a detection (a face turned away, hidden for a moment, missed), and
reaches REACH seconds past its first and last look at its own speed, so a face that enters between two looks, or
one the detector lost early, is covered from its first frame. Between two looks its box moves in a straight line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from videokit.faceblur.detect import Face, FaceSamples

REACH_FACE = 0.8  # a look of the same face lies within this share of its width from where its speed led ...
SPEED_CHANGE = 0.3  # ... plus this many frame widths a second of the time since the track's last look
MAX_GAP = 1.2  # seconds a track lives on without a detection
REACH = 1.0  # seconds a track reaches past its first and last detection: a face leaving the picture is found
# less and less as it goes (half a face, then a third), and one turning away the same
SIZE_RATIO = 1.8  # a face grows or shrinks at most this much between two looks of one track
EDGE = 0.01  # of the frame: a box this close to an edge may be a face partly outside it
EDGE_NEAR = 0.04  # a track that ends this close to a side edge may have gone out there ...
EDGE_HOLD = 6.0  # ... and one that starts there within this many seconds is the same person back (blurred between)


@dataclass(slots=True)
class Track:
    """One face over time: (t, x, y, w, h) looks on the clip's time, coordinates 0..1 of the frame."""

    looks: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    start: float = 0.0  # the span it is blurred over (its looks, reached out)
    end: float = 0.0

    def box_at(self, t: float) -> tuple[float, float, float, float]:
        """The box at `t`: interpolated between looks, carried at the end looks' speed past them."""
        looks = self.looks
        if len(looks) == 1:
            return looks[0][1:]
        if t <= looks[0][0]:
            a, b = looks[0], looks[1]
        elif t >= looks[-1][0]:
            a, b = looks[-2], looks[-1]
        else:
            i = next(i for i in range(1, len(looks)) if looks[i][0] >= t)
            a, b = looks[i - 1], looks[i]
        k = (t - a[0]) / max(1e-6, b[0] - a[0])
        if not 0 <= k <= 1:  # carried past an end: the position moves on, the size stays
            k_pos = max(-1.5, min(2.5, k))
            x = a[1] + (b[1] - a[1]) * k_pos
            y = a[2] + (b[2] - a[2]) * k_pos
            end = a if k < 0 else b
            return x, y, end[3], end[4]
        return tuple(a[j] + (b[j] - a[j]) * k for j in range(1, 5))  # type: ignore[return-value]

    @property
    def duration(self) -> float:
        return self.end - self.start


def build_tracks(samples: FaceSamples, length: float) -> list[Track]:
    """Tracks from the looks, each reached out by REACH inside [0, length]."""
    aspect = samples.height / max(1, samples.width)  # a step in y, in frame widths
    live: list[Track] = []
    done: list[Track] = []
    for t, faces in zip(samples.times, samples.faces):
        for track in [tr for tr in live if t - tr.looks[-1][0] > MAX_GAP]:
            live.remove(track)
            done.append(track)
        pairs = sorted((_distance(track, face, t, aspect), i, j) for i, track in enumerate(live)
                       for j, face in enumerate(faces))
        used_tracks: set[int] = set()
        used_faces: set[int] = set()
        for cost, i, j in pairs:
            if cost > 1.0 or i in used_tracks or j in used_faces:
                continue
            used_tracks.add(i)
            used_faces.add(j)
            live[i].looks.append((t, *faces[j][:4]))
        live += [Track([(t, *face[:4])]) for j, face in enumerate(faces) if j not in used_faces]
    tracks = _merge_splits(done + live)
    for track in tracks:
        track.start = max(0.0, track.looks[0][0] - REACH)
        track.end = min(length, track.looks[-1][0] + REACH)
    return sorted(tracks, key=lambda tr: tr.start)


def _merge_splits(tracks: list[Track]) -> list[Track]:
    """One track per person: a track that starts on top of another (the same face found twice) or where another
    ended (lost for longer than MAX_GAP and found again near where it was, or gone out at an edge and come back
    in there within EDGE_HOLD) is merged into it. A speaker's track split in two left one half to be blurred."""
    tracks = sorted(tracks, key=lambda tr: tr.looks[0][0])
    merged = True
    while merged:
        merged = False
        for a in tracks:
            b = next((b for b in tracks if b is not a and b.looks[0][0] >= a.looks[0][0] and _same_person(a, b)), None)
            if b is not None:
                times = {look[0] for look in a.looks}
                a.looks = sorted(a.looks + [look for look in b.looks if look[0] not in times])
                tracks.remove(b)
                merged = True
                break
    return tracks


def _same_person(a: Track, b: Track) -> bool:
    t, *box = b.looks[0]
    if t <= a.looks[-1][0]:  # at the same time: the same face if the boxes overlap
        return _iou(a.box_at(t), tuple(box)) >= 0.3  # type: ignore[arg-type]
    last = a.looks[-1][1:]
    gap = t - a.looks[-1][0]
    step = ((last[0] + last[2] / 2 - box[0] - box[2] / 2) ** 2 + (last[1] + last[3] / 2 - box[1] - box[3] / 2) ** 2) ** 0.5
    if gap <= 2 * MAX_GAP and step <= 1.5 * max(last[2], box[2]):
        return True
    edge = next((e for e in ("left", "right") if _at_edge(last, e) and _at_edge(tuple(box), e)), None)
    return edge is not None and gap <= EDGE_HOLD and abs(last[1] - box[1]) <= max(last[3], box[3])


def _at_edge(box: tuple[float, ...], edge: str) -> bool:
    x, _y, w, _h = box[:4]
    return x < EDGE_NEAR if edge == "left" else x + w > 1 - EDGE_NEAR


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)


def _distance(track: Track, face: Face, t: float, aspect: float) -> float:
    """How far a face is from where the track would be by now at its last speed, as a share of the allowed step
    (>1: not it). The allowance is most of a face and a little for a change of speed: a fast face is followed
    frame by frame (faceblur/follow.py), so its looks come close together, and a generous allowance let a
    speaker's track take a bystander walking past below it."""
    last_t, x, y, w, h = track.looks[-1]
    dt = t - last_t
    vx = vy = 0.0
    if len(track.looks) > 1 and 0 < last_t - track.looks[-2][0] <= MAX_GAP:
        before = track.looks[-2]
        vx, vy = ((x - before[1]) / (last_t - before[0]), (y - before[2]) / (last_t - before[0]))
    cx, cy = x + w / 2 + vx * dt, y + h / 2 + vy * dt
    step = ((face[0] + face[2] / 2 - cx) ** 2 + ((face[1] + face[3] / 2 - cy) * aspect) ** 2) ** 0.5
    ratio = max(w / max(face[2], 1e-6), face[2] / max(w, 1e-6))
    if ratio > SIZE_RATIO:
        # a face going out of (or coming into) the picture is seen smaller: the same face if the smaller box is
        # cut off by an edge and the two lie within a face of each other
        smaller = face if face[2] < w else (x, y, w, h)
        cut_off = smaller[0] < EDGE or smaller[0] + smaller[2] > 1 - EDGE
        if not cut_off or step > max(w, face[2]):
            return 2.0
    return step / (REACH_FACE * max(w, face[2]) + SPEED_CHANGE * dt)
