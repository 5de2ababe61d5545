"""The output folder, made and tried before any work starts: a bad `--out` is one line up front, not a failure
after minutes of rendering with a hint about the input clip."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterable

from videokit.errors import InputError

HINT = "choose a folder you can write to with --out (or `out = ...` in the job file)"


def ensure_out_dir(path: Path) -> Path:
    """`path` as a writable folder (created with its parents); InputError naming it otherwise."""
    if path.exists() and not path.is_dir():
        raise InputError.for_file(path, "is a file, not a folder", HINT)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".videokit-write-test-"):
            pass
    except OSError as exc:
        raise InputError.for_file(path, f"cannot be written ({exc.strerror or exc})", HINT) from None
    return path


def disk_problem(log: str, folder: Path) -> str | None:
    """The line to show when ffmpeg failed writing an output rather than reading an input."""
    lowered = log.lower()
    if "no space left on device" in lowered:
        return f"{folder}: the disk is full (free some space, or render into another folder with --out)"
    if "read-only file system" in lowered or "permission denied" in lowered and str(folder) in log:
        return f"{folder}: cannot write the outputs there ({HINT})"
    if "disk quota exceeded" in lowered:
        return f"{folder}: the disk quota is exceeded (free some space, or render into another folder with --out)"
    return None


def refuse_overwrite(finals: Iterable[Path], force: bool) -> None:
    existing = [p for p in finals if p.exists()]
    if existing and not force:
        raise InputError.for_file(existing[0], "already exists", "use --force to overwrite, or another --out folder")
