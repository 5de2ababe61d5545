"""Content-addressed cache folder (cards, transcripts, converted models)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")


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


def cached_json(kind: str, settings: dict[str, Any], make: Callable[[], T], dump: Callable[[T], Any],
                load: Callable[[Any], T]) -> T:
    """`make()` once per clip and settings (`settings` names the clip's content digest too): an analysis kept
    as JSON under the cache's `kind` folder, written atomically (two renders of one clip may run side by side)."""
    from videokit.textfile import write_text_atomic

    path = cache_dir(kind) / f"{content_key(settings)}.json"
    if path.is_file():
        return load(json.loads(path.read_text(encoding="utf-8")))
    result = make()
    write_text_atomic(path, json.dumps(dump(result)))
    return result
