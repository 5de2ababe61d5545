"""Compose the brand's calm music bed (a licence-clean loop made here): soft pads over C–Am–F–G with a gentle
arpeggio, 16 s, loop-safe (the tail decays into the head). Re-run to regenerate music.m4a."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RATE = 48000
BPM = 60
CHORDS = [(60, 64, 67), (57, 60, 64), (53, 57, 60), (55, 59, 62)]  # C, Am, F, G (MIDI notes)


def hz(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def pad(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * freq * k * t + k) / k ** 1.6 for k in (1, 2, 3))
    swell = np.sin(np.pi * np.clip(t / seconds, 0, 1)) ** 1.5  # breathe in and out over the chord
    return tone * swell * (1 + 0.15 * np.sin(2 * np.pi * 0.3 * t))


def pluck(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.sin(2 * np.pi * freq * t) * np.exp(-t * 3.5) * (1 - np.exp(-t * 200))


def main() -> None:
    bar = 4 * 60 / BPM  # 4 s per chord
    total = bar * len(CHORDS)
    mix = np.zeros((int(total * RATE) + RATE, 2))
    for i, chord in enumerate(CHORDS):
        start = int(i * bar * RATE)
        for j, note in enumerate(chord):
            p = pad(hz(note - 12), bar + 0.5) * 0.12
            pan = 0.35 + 0.15 * j
            mix[start:start + len(p), 0] += p * (1 - pan)
            mix[start:start + len(p), 1] += p * pan
        for k in range(8):  # eighth-note arpeggio, up and down the chord
            note = chord[[0, 1, 2, 1, 0, 1, 2, 1][k]] + 12
            s = start + int(k * bar / 8 * RATE)
            pl = pluck(hz(note), 1.2) * 0.08
            side = 0.3 if k % 2 else 0.7
            mix[s:s + len(pl), 0] += pl * side
            mix[s:s + len(pl), 1] += pl * (1 - side)
    tail = mix[int(total * RATE):]
    mix = mix[: int(total * RATE)]
    mix[: len(tail)] += tail  # wrap the decay into the start: the loop has no click
    mix /= np.abs(mix).max() * 1.25
    wav = HERE / "music.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((mix * 32767).astype("<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "aac", "-b:a", "128k",
                    str(HERE / "music.m4a")], check=True)
    wav.unlink()


if __name__ == "__main__":
    main()
