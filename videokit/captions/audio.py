"""Decode speech audio for Whisper: 16 kHz mono float32, straight from ffmpeg into memory."""

from __future__ import annotations

import subprocess

import numpy as np

from videokit.errors import InputError
from videokit.tools import ffmpeg_bin

SAMPLE_RATE = 16000
VAD_MIN_SILENCE_MS = 250  # pauses shorter than this belong to the phrase
VAD_PAD_MS = 60  # Silero's edges sit on the voice; a little air so consonants are never cut


def load_speech(path: str, start: float = 0.0, duration: float | None = None) -> np.ndarray:
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "error", "-ss", f"{start:.3f}"]
    if duration is not None:
        argv += ["-t", f"{duration:.3f}"]
    argv += ["-i", path, "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "-"]
    proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        reason = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["ffmpeg failed"]
        raise InputError.for_file(path, f"audio cannot be decoded ({reason[0]})", "re-export the clip")
    return np.frombuffer(proc.stdout, np.int16).astype(np.float32) / 32768.0


def speech_regions(audio: np.ndarray) -> list[tuple[int, int]]:
    """Silero VAD (bundled with faster-whisper, offline) speech stretches as sample ranges."""
    if audio.size < SAMPLE_RATE // 10:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=VAD_MIN_SILENCE_MS,
                                                    speech_pad_ms=VAD_PAD_MS, min_speech_duration_ms=120))
    return [(int(r["start"]), int(r["end"])) for r in found]
