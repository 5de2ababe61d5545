"""Where a cut's edges fall (pure): Whisper's word times are ±0.1 s, so each edge moves to the quietest video-frame
boundary nearby, never into a kept word. Picture and sound are cut at the same instant (render/streams.py cuts
both on frame numbers), and the sound fades over a few milliseconds there, so a cut in a pause is silent."""

from __future__ import annotations

import math

import numpy as np

from videokit.captions.audio import SAMPLE_RATE
from videokit.edits.cutfile import Cut
from videokit.timeline import Word

LEVEL_FRAME = 0.01  # seconds per level value
REACH = 0.15  # how far outside the words' times an edge may move into the pause
FLOOR_MARGIN = 8.0  # dB above the noise floor that still count as a pause
PAUSE_FRAMES = 10  # 100 ms of silence make a pause
INSIDE = 0.1  # ... and how far into the removed words (their edges are approximate too)


def levels(audio: np.ndarray) -> np.ndarray:
    """dB per 10 ms of 16 kHz speech audio."""
    hop = int(SAMPLE_RATE * LEVEL_FRAME)
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop)
    return 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-9)


def spectral_flux(audio: np.ndarray) -> np.ndarray:
    """Per 10 ms: how much the spectrum's shape changes to the next 20 ms window (0 steady .. 2). Speech moves
    from sound to sound (about 0.5-0.6 on German speech); a hesitation's held vowel stays put (about 0.25)."""
    hop, size = int(SAMPLE_RATE * LEVEL_FRAME), 2 * int(SAMPLE_RATE * LEVEL_FRAME)
    count = max(0, (len(audio) - size) // hop + 1)
    if count < 2:
        return np.zeros(len(audio) // hop)
    idx = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    spectra = np.abs(np.fft.rfft(audio[idx] * np.hanning(size), axis=1))
    spectra /= spectra.sum(axis=1, keepdims=True) + 1e-9
    flux = np.abs(np.diff(spectra, axis=0)).sum(axis=1)
    out = np.zeros(len(audio) // hop)
    out[: flux.size] = flux[: out.size]
    return out


def voiced_mask(audio: np.ndarray, regions: list[tuple[int, int]]) -> np.ndarray:
    """Per 10 ms: inside a VAD speech region and near the level of the loud parts (a filler's hum is quieter
    than words but far above the room)."""
    level = levels(audio)
    loud = ~silent_mask(level)
    speech = np.zeros(level.size, bool)
    for a, b in regions:
        speech[int(a / SAMPLE_RATE / LEVEL_FRAME): int(math.ceil(b / SAMPLE_RATE / LEVEL_FRAME))] = True
    return loud & speech


def silent_mask(level: np.ndarray) -> np.ndarray:
    """Per 10 ms: a pause between words. Far below the loud parts of the recording, or near its noise floor
    when traffic or wind fill the pauses (the floor is what the quietest tenth of the recording holds)."""
    if not level.size:
        return level.astype(bool)
    loud, floor = float(np.percentile(level, 95)), float(np.percentile(level, 10))
    return level < min(max(-50.0, loud - 30.0, floor + FLOOR_MARGIN), loud - 10.0)


def place(cut: Cut, level: np.ndarray, kept: list[Word], origin: float, limit: float, fps: int) -> Cut | None:
    """The cut with both edges on frame boundaries (counted from `origin`, where the clip's frames start), each in
    the middle of the pause beside the removed words (their voice followed to its real edge: Whisper's word times
    are ±0.1 s), never past the last kept word before or the first kept word after. Without a pause there, the
    quietest boundary nearby. None when no whole frame fits between those words."""
    before = max((w.end for w in kept if w.end <= cut.start + INSIDE and w.start < cut.start), default=origin)
    after = min((w.start for w in kept if w.start >= cut.end - INSIDE and w.end > cut.end), default=limit)
    silent = silent_mask(level)
    start = _in_pause(silent, max(before, origin), cut.start, backwards=True)
    start = _snap(start, origin, fps, max(before, origin), cut.end) if start is not None else None
    if start is None:
        start = _quietest(level, max(before, cut.start - REACH), min(cut.start + INSIDE, cut.end), cut.start,
                          origin, fps)
    if start is None:
        start = origin + math.ceil((before - origin) * fps - 1e-6) / fps
    end = _in_pause(silent, cut.end, min(after, limit), backwards=False)
    end = _snap(end, origin, fps, start + 1 / fps, min(after, limit)) if end is not None else None
    if end is None:
        end = _quietest(level, max(cut.end - INSIDE, start + 1 / fps), min(after, cut.end + REACH), cut.end,
                        origin, fps)
    if end is None:
        end = origin + math.floor((after - origin) * fps + 1e-6) / fps
    if end - start < 1 / fps - 1e-6:
        return None
    return Cut(round(start, 6), round(end, 6), cut.text, cut.clip, cut.reason)


def _in_pause(silent: np.ndarray, lo: float, hi: float, backwards: bool) -> float | None:
    """From the removed words' edge (hi when going backwards, lo going forwards) through their voice to the first
    pause of at least PAUSE between lo and hi: that pause's middle. None when there is none. Shorter silences are
    inside words (a plosive's closure: "wir|d")."""
    a, b = max(0, int(round(lo / LEVEL_FRAME))), min(silent.size, int(round(hi / LEVEL_FRAME)))
    if b - a < PAUSE_FRAMES:
        return None
    span = silent[a:b][::-1] if backwards else silent[a:b]
    k = 0
    while k < span.size:
        if not span[k]:
            k += 1
            continue
        first = k
        while k < span.size and span[k]:
            k += 1
        if k - first >= PAUSE_FRAMES:
            middle = (first + k) / 2
            return (b - middle) * LEVEL_FRAME if backwards else (a + middle) * LEVEL_FRAME
    return None


def _snap(t: float, origin: float, fps: int, lo: float, hi: float) -> float | None:
    """The frame boundary nearest to t inside [lo, hi]."""
    k = round((t - origin) * fps)
    for cand in (k, k + 1, k - 1):
        s = origin + cand / fps
        if lo - 1e-6 <= s <= hi + 1e-6:
            return s
    return None


def _quietest(level: np.ndarray, lo: float, hi: float, near: float, origin: float, fps: int) -> float | None:
    first, last = math.ceil((lo - origin) * fps - 1e-6), math.floor((hi - origin) * fps + 1e-6)
    if last < first:
        return None
    best: tuple[float, float, float] | None = None
    for k in range(first, last + 1):
        t = origin + k / fps
        a, b = int((t - LEVEL_FRAME) / LEVEL_FRAME), int((t + LEVEL_FRAME) / LEVEL_FRAME) + 1
        window = level[max(0, a): max(0, b)]
        loudness = float(window.mean()) if window.size else -120.0
        score = (round(loudness, 0), abs(t - near), t)  # 1 dB is no difference: then the nearer point
        if best is None or score < best:
            best = score
    return best[2] if best else None
