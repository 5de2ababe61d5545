"""A learned speaker embedding: Resemblyzer's pretrained voice encoder (Apache-2.0, `pretrained.pt` ships inside
its wheel; torch runs it on the CPU). 256 numbers per stretch of speech that are close for one voice and far for
another, also for two similar voices, where the spectral fingerprint mixes them up (benchmarks/speakers_accuracy.py).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

MIN_SAMPLES = 16000 // 2  # half a second: shorter stretches are padded (their label comes from the neighbours anyway)
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from resemblyzer import VoiceEncoder

    return VoiceEncoder("cpu", verbose=False)


def voice_embedding(audio: np.ndarray) -> np.ndarray:
    """The L2-normalised embedding of 16 kHz mono speech."""
    if audio.size < MIN_SAMPLES:
        audio = np.pad(audio, (0, MIN_SAMPLES - audio.size))
    with _LOCK:  # one encoder, called from the analysis thread and Whisper's neighbours
        emb = _encoder().embed_utterance(audio.astype(np.float32))
    return (emb / (np.linalg.norm(emb) + 1e-9)).astype(np.float32)
