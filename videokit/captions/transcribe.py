"""Speech → timed words, offline. Engines: faster-whisper (default, CTranslate2 int8) and openai-whisper.

Whisper invents text on silence and music; every engine runs with VAD, without conditioning on previous text,
and its output passes the same hallucination filter. Results are cached by audio content + settings.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from videokit.cache import cache_dir, content_key
from videokit.captions.audio import SAMPLE_RATE, load_speech, speech_regions
from videokit.captions.filters import LOW_LOGPROB, NO_SPEECH_DROP, collapsed_runs, is_hallucination
from videokit.captions.model import resolve_model
from videokit.errors import TranscriptionError
from videokit.textfile import read_name_list, write_text_atomic
from videokit.timeline import Word

ENGINES = ("faster-whisper", "openai-whisper")
MISSED_SPEECH = 2.0  # seconds of voice with no word anywhere near: the batched decoder collapsed something
MISSED_STRETCH = 1.0  # only stretches this long count (a breath, a cough or a click is not speech)
WORD_REACH = 0.3  # seconds around a word that count as heard (word edges are approximate)
BATCH_SIZE = 8  # chunks of up to 30 s decoded together (a 4-minute piece is one batch)
SILENT_RMS = 1e-4  # digital silence: do not even ask the model
CACHE_VERSION = 6  # 5: batched decoding; 6: a decoder loop's collapsed copies dropped
SPEECH_FLOOR_DB = -55.0  # 10 ms frames quieter than this are never speech
SPEECH_RANGE_DB = 35.0  # ... nor frames this far below the loud parts of the clip
# audio at least this long is transcribed as two halves side by side (1.7x faster). Not for short clips: on three
# generated 66-83 s talks the halves' WER was 0.287/0.451/0.248 against 0.257/0.402/0.256 whole (each half
# loses context at the cut, which weighs more the shorter the clip); the podcast's pieces of ~2 minutes measured
# WER-neutral on 13 minutes (0.247 vs 0.251)
SPLIT_SECONDS = 180.0


@dataclass(frozen=True, slots=True)
class TranscribeOptions:
    engine: str = "faster-whisper"
    model: Path | None = None
    language: str = "de"
    glossary: Path | None = None
    beam_size: int = 5
    # faster-whisper's default retries a window at 0.2 ... 1.0 when its output looks like a loop: speech that really
    # repeats itself (a slogan said three times, 52 s) then took 12.4 s at WER 0.54; greedy temperature 0 alone
    # took 3.6 s at WER 0.35 (benchmarks/transcribe_speed.py --command). Silence and music are handled by VAD and
    # the hallucination filter, not by the retries (the tests on both hold).
    temperatures: tuple[float, ...] = (0.0,)

    names: tuple[str, ...] = ()  # more names to spell right (the brand kit's names.txt)
    hotwords: bool = True  # the names also as faster-whisper's hotwords (benchmarks/glossary_names.py)

    def all_names(self) -> list[str]:
        listed = read_name_list(self.glossary) if self.glossary is not None else []
        return list(dict.fromkeys([*listed, *self.names]))

    def prompt(self) -> str | None:
        """Glossary names as Whisper's initial prompt: spelling hints for local names."""
        names = self.all_names()
        return ", ".join(names) + "." if names else None

    def hotword_text(self) -> str | None:
        """The names as faster-whisper's hotwords (which bias every window's decoding towards them)."""
        names = self.all_names()
        return " ".join(names) if names and self.hotwords else None


def transcribe_file(path: str, opts: TranscribeOptions, start: float = 0.0, duration: float | None = None) -> list[Word]:
    """Words (times relative to `start`) for one clip or a part of it; [] for silence."""
    audio = load_speech(path, start, duration)
    return transcribe_in_halves(audio, opts)


def transcribe_in_halves(audio: np.ndarray, opts: TranscribeOptions) -> list[Word]:
    """Longer audio is cut in the longest pause near its middle and both halves are transcribed side by side,
    one Whisper worker per core: one piece on two threads keeps only ~1.4 cores busy (beam search and word
    alignment are partly serial). No pause in the middle half: one piece, as before."""
    seconds = len(audio) / SAMPLE_RATE
    cut = middle_pause(audio) if seconds >= SPLIT_SECONDS else None
    if opts.engine != "faster-whisper" or cut is None or (os.cpu_count() or 1) < 2:
        return transcribe_audio(audio, opts)
    halves = [(0.0, audio[:cut]), (cut / SAMPLE_RATE, audio[cut:])]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda half: transcribe_audio(half[1], opts, parallel=2), halves))
    return [Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
            for (offset, _), words in zip(halves, results) for w in words]


def middle_pause(audio: np.ndarray) -> int | None:
    """The middle of the longest pause between two stretches of speech (Silero VAD) in the middle half."""
    lo, hi = len(audio) // 4, 3 * len(audio) // 4
    found = speech_regions(audio)
    gaps = [(b2 - a1, (a1 + b2) // 2) for (_, a1), (b2, _) in zip(found, found[1:])]
    inside = [(length, mid) for length, mid in gaps if lo <= mid <= hi]
    return max(inside)[1] if inside else None


def transcribe_audio(audio: np.ndarray, opts: TranscribeOptions, parallel: int = 1) -> list[Word]:
    """`parallel`: how many threads will call this at the same time (faster-whisper then loads one model with that
    many workers, each on its share of the cores). The words do not depend on it."""
    if opts.engine not in ENGINES:
        raise TranscriptionError(f"unknown engine '{opts.engine}' (choose from: {', '.join(ENGINES)})")
    if audio.size == 0 or float(np.sqrt(np.mean(audio ** 2))) < SILENT_RMS:
        return []
    model_path = resolve_model(opts.model) if opts.engine == "faster-whisper" else opts.model
    key = content_key({
        "audio": _audio_digest(audio), "engine": opts.engine, "model": str(model_path), "lang": opts.language,
        "prompt": opts.prompt(), "hotwords": opts.hotword_text() if opts.engine == "faster-whisper" else None,
        "beam": opts.beam_size, "v": CACHE_VERSION,
        "temperatures": list(opts.temperatures),
    })
    cached = cache_dir("transcripts") / f"{key}.json"
    if cached.is_file():
        return [Word(**w) for w in json.loads(cached.read_text(encoding="utf-8"))]
    if opts.engine == "faster-whisper":
        raw = _faster_whisper(audio, opts, model_path, parallel)
    else:
        raw = _openai_whisper(audio, opts, model_path)
    words = snap_to_speech(clean_words(raw, len(audio) / SAMPLE_RATE), audio)
    write_text_atomic(cached, json.dumps([{"text": w.text, "start": w.start, "end": w.end,
                                           "probability": w.probability} for w in words], ensure_ascii=False))
    return words


def clean_words(words: list[Word], audio_seconds: float) -> list[Word]:
    """Monotonic, inside the audio, non-empty; a decoder loop's copies (one timestamp for many words) dropped."""
    cleaned: list[Word] = []
    last = 0.0
    for w in words:
        text = w.text.strip()
        if not text:
            continue
        start = min(max(w.start, last), audio_seconds)
        end = min(max(w.end, start + 0.02), audio_seconds)
        if end <= start:
            continue
        cleaned.append(Word(text, round(float(start), 3), round(float(end), 3), w.probability))
        last = start
    loop = collapsed_runs([(w.start, w.text) for w in cleaned])
    return [w for i, w in enumerate(cleaned) if i not in loop]


def snap_to_speech(words: list[Word], audio: np.ndarray) -> list[Word]:
    """Trim silence off word edges. Whisper (and VAD padding) often starts the first word of a phrase up to
    half a second early; subtitles must not appear before the voice does."""
    if not words:
        return words
    loud = loud_frames(audio)
    snapped = []
    for w in words:
        a, b = int(w.start * 100), max(int(w.start * 100) + 1, int(np.ceil(w.end * 100)))
        voiced = np.flatnonzero(loud[a:b])
        if voiced.size:
            start = (a + voiced[0]) / 100
            end = (a + voiced[-1] + 1) / 100
            snapped.append(Word(w.text, round(max(w.start, start), 3), round(min(w.end, max(end, start + 0.05)), 3),
                                w.probability))
        else:
            snapped.append(w)
    return snapped


def loud_frames(audio: np.ndarray) -> np.ndarray:
    """Per 10 ms frame: is it voiced (near the loud parts of the clip, above the floor)."""
    hop = SAMPLE_RATE // 100
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop)
    level = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-9)
    return level > max(SPEECH_FLOOR_DB, float(np.percentile(level, 95)) - SPEECH_RANGE_DB)


def unheard_seconds(audio: np.ndarray, words: list[Word]) -> float:
    """Seconds of voiced audio in stretches of at least MISSED_STRETCH with no word near them: what a decoder
    that collapsed a repetition (a slogan said three times, written once) left out."""
    loud = loud_frames(audio)
    # one stretch of speech, not word by word: the short gaps between words (up to 0.3 s) are closed
    kernel = np.ones(31)
    loud = np.convolve(np.convolve(loud, kernel, "same") > 0, kernel, "same") >= kernel.size
    covered = np.zeros_like(loud)
    for w in words:
        covered[max(0, int((w.start - WORD_REACH) * 100)): int((w.end + WORD_REACH) * 100)] = True
    missed = np.concatenate([[False], loud & ~covered, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(missed))
    runs = edges[1::2] - edges[::2]
    return float(runs[runs >= MISSED_STRETCH * 100].sum()) / 100


def _audio_digest(audio: np.ndarray) -> str:
    import hashlib

    return hashlib.sha256(audio.tobytes()).hexdigest()


_MODEL_LOCK = threading.Lock()


def _fw_model(path: str, parallel: int = 1) -> Any:
    with _MODEL_LOCK:  # parallel callers share one model (and load it once)
        return _load_fw_model(path, parallel)


@lru_cache(maxsize=2)
def _load_fw_model(path: str, parallel: int) -> Any:
    from faster_whisper import WhisperModel

    # one decoding worker per caller, the cores shared between them: two pieces decoded side by side keep two
    # cores busy, one piece on two threads keeps 1.4 busy (beam search and word alignment are partly serial)
    threads = max(1, (os.cpu_count() or 1) // max(1, parallel))  # CTranslate2 would take 4 on a 2-core machine
    try:
        return WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads, num_workers=parallel,
                            local_files_only=True)
    except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError with its own text
        raise TranscriptionError(f"{path}: the Whisper model cannot be loaded ({exc}); reinstall it or pass another --model") from None


def _faster_whisper(audio: np.ndarray, opts: TranscribeOptions, model_path: Path, parallel: int = 1) -> list[Word]:
    """Batched: the speech (Silero VAD) is cut into chunks of up to 30 s at pauses, and the chunks are encoded and
    beam-searched together, as one batch. On three generated 66 s two-voice talks this took 3.6-4.4 s against
    5.4-6.5 s window by window, at a lower word error rate (0.228/0.307/0.327 against 0.257/0.356/0.406): each
    chunk starts at a pause instead of wherever a 30 s window ends."""
    from faster_whisper import BatchedInferencePipeline

    model = _fw_model(str(model_path), parallel)
    settings = dict(language=opts.language, task="transcribe", beam_size=opts.beam_size,
                    temperature=list(opts.temperatures), word_timestamps=True, vad_filter=True,
                    vad_parameters={"min_silence_duration_ms": 500}, condition_on_previous_text=False,
                    initial_prompt=opts.prompt(), hotwords=opts.hotword_text())
    words = _words(BatchedInferencePipeline(model=model).transcribe(audio, batch_size=BATCH_SIZE, **settings)[0])
    if unheard_seconds(audio, words) > MISSED_SPEECH:
        # a chunk without timestamps writes a repeated sentence once: window by window, with timestamps, as
        # before (measured on a slogan said twelve times: WER 0.83 batched, 0.35 this way)
        words = _words(model.transcribe(audio, **settings)[0])
    return without_credit_lines(words)


def _words(segments: Any) -> list[Word]:
    words: list[Word] = []
    for seg in segments:
        if seg.no_speech_prob > NO_SPEECH_DROP and seg.avg_logprob < LOW_LOGPROB:
            continue
        words += [Word(w.word, w.start, w.end, round(float(w.probability), 3)) for w in (seg.words or [])]
    return words


def without_credit_lines(words: list[Word]) -> list[Word]:
    """Sentences holding a hallucinated credit line ("Untertitel im Auftrag des ZDF, 2020") dropped, the rest kept:
    a batched chunk holds up to 30 s of real speech, so the line is looked for sentence by sentence."""
    kept: list[Word] = []
    sentence: list[Word] = []
    for i, w in enumerate(words):
        sentence.append(w)
        if w.text.rstrip().endswith((".", "!", "?", "…")) or i == len(words) - 1:
            if not is_hallucination("".join(x.text for x in sentence)):
                kept += sentence
            sentence = []
    return kept


def _openai_whisper(audio: np.ndarray, opts: TranscribeOptions, model_path: Any) -> list[Word]:
    from videokit.captions.openai_engine import transcribe_openai

    return transcribe_openai(audio, opts, model_path)
