"""Content-addressed cache folder (cards, transcripts, converted models)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def cache_dir(kind: str) -> Path:
    root = Path(os.environ.get("VIDEOKIT_CACHE") or Path.home() / ".cache" / "videokit")
    path = root / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def content_key(data: Any) -> str:
    """Stable hash of JSON-able settings."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


def file_digest(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()
