"""Kept ranges of a recording and the map between recording time and the cut body's time (pure)."""

from __future__ import annotations

from bisect import bisect_right

from videokit.timeline import Word


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

    def is_kept(self, t: float) -> bool:
        i = bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.keep[i][1]

    def ranges_within(self, start: float, end: float) -> list[tuple[float, float]]:
        return [(max(a, start), min(b, end)) for a, b in self.keep if min(b, end) > max(a, start)]


def without(keep: list[tuple[float, float]], cuts: list[tuple[float, float]], fps: int,
            origin: float = 0.0, min_piece: float = 0.15) -> list[tuple[float, float]]:
    """Kept ranges with the cuts taken out, on whole frames (counted from `origin`). A sliver a cut leaves
    (shorter than `min_piece`: a cut's edge next to a trim or another cut) goes too: no word fits in it, and it
    would flash a few frames and a syllable's tail. The podcast's pause cutting and the text's cuts become this
    one list."""
    def frame(t: float) -> int:
        return round((t - origin) * fps)

    pieces = [(frame(a), frame(b)) for a, b in keep]
    for start, end in sorted(cuts):
        ca, cb = frame(start), frame(end)
        nxt = []
        for a, b in pieces:
            if cb <= a or ca >= b:
                nxt.append((a, b))
                continue
            if ca > a:
                nxt.append((a, ca))
            if cb < b:
                nxt.append((cb, b))
        pieces = nxt
    before = {(a, b) for a, b in ((frame(x), frame(y)) for x, y in keep)}
    shortest = round(min_piece * fps)
    return [(origin + a / fps, origin + b / fps) for a, b in pieces
            if b > a and (b - a >= shortest or (a, b) in before)]


def words_on_body(words: list[Word], tmap: TimeMap) -> list[Word]:
    """Words placed on body time; those a cut removed (their middle inside it) are left out."""
    kept = [w for w in words if not tmap.keep or tmap.is_kept((w.start + w.end) / 2)]
    return [Word(w.text, round(tmap.to_body(w.start), 3),
                 round(max(tmap.to_body(w.end), tmap.to_body(w.start) + 0.02), 3), w.probability) for w in kept]
