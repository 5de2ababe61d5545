"""One pass over the recording's sound (audio decode only, the video is never decoded): speech regions (Silero
VAD), words (Whisper) and a voice fingerprint per region, in chunks so memory does not grow with the length."""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np

from videokit.captions.audio import SAMPLE_RATE, speech_regions
from videokit.captions.transcribe import TranscribeOptions, transcribe_audio
from videokit.errors import InputError
from videokit.timeline import Word
from videokit.tools import ffmpeg_bin

CHUNK_SECONDS = 120.0  # transcribe in pieces of at most about two minutes (short pieces share the workers evenly)
# pieces transcribed side by side, one worker per core: one piece on two threads kept 1.4 cores busy (13-min
# recording: 80.5 s alone, 55.8 s two at a time)
WHISPER_PARALLEL = 2 if (os.cpu_count() or 1) >= 2 else 1
READ_SECONDS = 10.0
N_FFT, HOP = 400, 160  # 25 ms windows, 10 ms hop (Whisper's front end)


@dataclass(slots=True)
class Region:
    """A stretch of speech between pauses, with the voice fingerprint used to tell speakers apart."""

    start: float
    end: float
    voice: list[float] = field(default_factory=list)


@dataclass(slots=True)
class SpeechAnalysis:
    duration: float
    regions: list[Region]
    words: list[Word]


def analyse_recording(path: str, opts: TranscribeOptions, on_progress: Callable[[float], None] | None = None,
                      parallel: int = WHISPER_PARALLEL, expected_seconds: float = 0.0) -> SpeechAnalysis:
    """Speech regions with voice fingerprints, and Whisper's words, from one decode of the sound. Up to `parallel`
    pieces are transcribed side by side while the next piece is read and searched for speech. With the expected
    length the pieces are sized so that every worker gets the same number (no lone last piece on one core)."""
    if opts.engine != "faster-whisper":
        parallel = 1  # openai-whisper's torch model is not shared between threads
    parallel = max(1, parallel)
    regions: list[Region] = []
    features = voice_features()
    pieces: list[tuple[float, Future[list[Word]]]] = []  # offset, words: in recording order
    lengths: dict[Future[list[Word]], float] = {}  # seconds of sound each running piece covers
    running: set[Future[list[Word]]] = set()
    done_seconds = 0.0

    def finished(futures: set[Future[list[Word]]]) -> None:
        nonlocal done_seconds
        done_seconds += sum(lengths[f] for f in futures)
        if on_progress:
            on_progress(done_seconds)

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for offset, piece, found in _pieces(_pcm_blocks(path), piece_seconds(expected_seconds, parallel)):
            regions += [Region(round(offset + a / SAMPLE_RATE, 3), round(offset + b / SAMPLE_RATE, 3),
                               features(piece[a:b]).tolist()) for a, b in found]
            future = pool.submit(transcribe_audio, piece, opts, parallel)
            pieces.append((offset, future))
            lengths[future] = len(piece) / SAMPLE_RATE
            running.add(future)
            if len(running) > parallel:  # one piece waits for a free worker; memory stays a few pieces
                done, running = wait(running, return_when=FIRST_COMPLETED)
                finished(done)
        finished(running)
    words = [Word(w.text, round(float(w.start) + offset, 3), round(float(w.end) + offset, 3), float(w.probability))
             for offset, future in pieces for w in future.result()]
    end = pieces[-1][0] + lengths[pieces[-1][1]] if pieces else 0.0
    return SpeechAnalysis(round(end, 3), regions, words)


def piece_seconds(expected: float, parallel: int) -> float:
    """Piece length: at most CHUNK_SECONDS, and a whole number of rounds of `parallel` pieces when the length is
    known (614 s on two workers: six pieces of 102 s, not five of 120 s with the fifth alone)."""
    if expected <= 0:
        return CHUNK_SECONDS
    rounds = math.ceil(expected / (CHUNK_SECONDS * parallel))
    return min(CHUNK_SECONDS, expected / (rounds * parallel))


def _pieces(blocks: Iterator[np.ndarray], seconds: float) -> Iterator[tuple[float, np.ndarray, list[tuple[int, int]]]]:
    """(offset in seconds, piece, speech regions inside it): pieces of about `seconds`, each ending in the middle
    of a pause found in the last quarter, so no word is split between two pieces."""
    offset = 0.0
    target = int(seconds * SAMPLE_RATE)
    carry = np.zeros(0, np.float32)
    exhausted = False
    while not exhausted:
        parts, size = [carry], len(carry)
        while size < target:
            block = next(blocks, None)
            if block is None:
                exhausted = True
                break
            parts.append(block)
            size += len(block)
        chunk = np.concatenate(parts)
        found = speech_regions(chunk)
        cut = len(chunk) if exhausted else _cut_point(found, len(chunk), int(0.75 * target))
        piece, carry = chunk[:cut], chunk[cut:]
        yield offset, piece, [(a, b) for a, b in found if b <= cut]
        offset += cut / SAMPLE_RATE


def _pcm_blocks(path: str) -> Iterator[np.ndarray]:
    """16 kHz mono float32 blocks straight from ffmpeg (-vn: the video stream is not decoded)."""
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "error", "-i", path, "-vn", "-ac", "1",
            "-ar", str(SAMPLE_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "-"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    block = int(READ_SECONDS * SAMPLE_RATE) * 2
    try:
        while data := proc.stdout.read(block):
            yield np.frombuffer(data[: len(data) // 2 * 2], np.int16).astype(np.float32) / 32768.0
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode(errors="replace").strip()
        if proc.wait() != 0:
            reason = err.splitlines()[-1] if err else "ffmpeg failed"
            raise InputError.for_file(path, f"sound cannot be decoded ({reason})", "re-export the recording")


def _cut_point(found: list[tuple[int, int]], length: int, earliest: int) -> int:
    """Middle of the last pause after sample `earliest` (or the end when the speaker never pauses)."""
    for (_, end), (nxt, _) in zip(reversed(found[:-1]), reversed(found[1:])):
        if end >= earliest:
            return (end + nxt) // 2
    if found and found[-1][1] >= earliest and found[-1][1] < length:
        return (found[-1][1] + length) // 2
    return length


def voice_features() -> Callable[[np.ndarray], np.ndarray]:
    """Resemblyzer's learned voice embedding when it is installed (install.sh brings it): measured on two similar
    male voices 81 % of the words to the right speaker against 63 % for the spectral fingerprint, both 100 % for
    a male and a female voice (benchmarks/speakers_accuracy.py). Without it, the fingerprint."""
    try:
        import resemblyzer  # noqa: F401

        from videokit.podcast.embedding import voice_embedding
    except ImportError:
        return voice_fingerprint
    return voice_embedding


def voice_fingerprint(audio: np.ndarray) -> np.ndarray:
    """Mean and spread of the log-mel spectrum with the loudness removed: what a voice sounds like, not how
    loud it was recorded. Whisper's mel filter bank (faster-whisper) keeps us on one front end."""
    from faster_whisper.feature_extractor import FeatureExtractor

    filters = _mel_filters(FeatureExtractor)
    if audio.size < N_FFT:
        audio = np.pad(audio, (0, N_FFT - audio.size))
    frames = np.lib.stride_tricks.sliding_window_view(audio, N_FFT)[::HOP] * np.hanning(N_FFT)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    mel = np.log10(power @ filters.T + 1e-10)
    energy = mel.mean(axis=1)
    voiced = mel[energy > np.percentile(energy, 30)] if len(mel) > 10 else mel
    voiced = voiced - voiced.mean(axis=1, keepdims=True)
    return np.concatenate([voiced.mean(axis=0), voiced.std(axis=0)]).astype(np.float32)


_MEL: dict[str, np.ndarray] = {}


def _mel_filters(extractor: type) -> np.ndarray:
    if "f" not in _MEL:
        _MEL["f"] = extractor.get_mel_filters(SAMPLE_RATE, N_FFT, n_mels=40).astype(np.float32)
    return _MEL["f"]
