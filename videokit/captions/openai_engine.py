"""openai-whisper engine: the same weights as faster-whisper (converted once from the bundled CTranslate2 model,
or any openai checkpoint via --model), the same VAD (Silero, from faster-whisper) and the same filters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from videokit.cache import cache_dir, content_key
from videokit.captions.audio import SAMPLE_RATE
from videokit.captions.filters import LOW_LOGPROB, NO_SPEECH_DROP, is_hallucination
from videokit.captions.model import bundled_model_dir
from videokit.errors import TranscriptionError
from videokit.timeline import Word

VAD_PAD = 0.2  # seconds around each speech region so no word is clipped


def transcribe_openai(audio: np.ndarray, opts: Any, model_path: Path | None) -> list[Word]:
    model = _load(str(checkpoint_path(model_path)))
    clips = speech_clips(audio)
    if not clips:
        return []
    result = model.transcribe(
        audio, language=opts.language, task="transcribe", word_timestamps=True, fp16=False,
        condition_on_previous_text=False, initial_prompt=opts.prompt(), beam_size=opts.beam_size,
        best_of=opts.beam_size, temperature=0.0, clip_timestamps=clips, verbose=None,
    )
    words: list[Word] = []
    for seg in result["segments"]:
        if is_hallucination(seg["text"]):
            continue
        if seg["no_speech_prob"] > NO_SPEECH_DROP and seg["avg_logprob"] < LOW_LOGPROB:
            continue
        words += [Word(w["word"], float(w["start"]), float(w["end"]), round(float(w.get("probability", 1.0)), 3))
                  for w in seg.get("words", [])]
    return words


def speech_clips(audio: np.ndarray) -> list[float]:
    """Silero VAD speech regions as openai-whisper's clip_timestamps [start, end, start, end, ...]."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    regions = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500))
    total = len(audio) / SAMPLE_RATE
    clips: list[float] = []
    for r in regions:
        start = max(0.0, r["start"] / SAMPLE_RATE - VAD_PAD)
        end = min(total, r["end"] / SAMPLE_RATE + VAD_PAD)
        if clips and start <= clips[-1]:
            clips[-1] = end  # padded regions that touch become one
        else:
            clips += [start, end]
    return clips


def checkpoint_path(model_path: Path | None) -> Path:
    """An openai-whisper checkpoint: --model if it is one, else the bundled CT2 weights converted once."""
    if model_path is not None and model_path.is_file():
        return model_path
    source = model_path if model_path is not None else bundled_model_dir()
    if not (source / "model.bin").is_file():
        raise TranscriptionError(f"{source}: neither an openai-whisper checkpoint (.pt) nor a CTranslate2 model folder")
    stat = (source / "model.bin").stat()
    key = content_key({"src": str(source.resolve()), "size": stat.st_size, "mtime": stat.st_mtime_ns})
    target = cache_dir("models") / f"openai-whisper-{key}.pt"
    if not target.is_file():
        from videokit.captions.ct2_weights import convert_to_openai

        try:
            convert_to_openai(source, target)
        except (KeyError, ValueError) as exc:
            raise TranscriptionError(f"{source}: cannot convert to an openai-whisper checkpoint ({exc})") from None
    return target


@lru_cache(maxsize=1)
def _load(path: str) -> Any:
    try:
        import torch
        import whisper
    except ImportError:
        raise TranscriptionError("openai-whisper is not installed (see README: install.sh --with-openai-whisper)") from None
    try:
        # weights only: a checkpoint is a pickle, and a full unpickle of a file someone handed over runs its code
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        model = whisper.Whisper(whisper.ModelDimensions(**checkpoint["dims"]))
        model.load_state_dict(checkpoint["model_state_dict"], strict=False)
    except Exception as exc:  # torch raises many types for a broken file
        raise TranscriptionError(f"{path}: openai-whisper checkpoint cannot be loaded ({exc})") from None
    heads = checkpoint.get("alignment_heads") or []
    if heads:
        mask = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
        for layer, head in heads:
            mask[layer, head] = True
        model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
    return model.float().eval()
