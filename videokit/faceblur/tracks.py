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
    tracks = done + live
    for track in tracks:
        track.start = max(0.0, track.looks[0][0] - REACH)
        track.end = min(length, track.looks[-1][0] + REACH)
    return sorted(tracks, key=lambda tr: tr.start)


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
