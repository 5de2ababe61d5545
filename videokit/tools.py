"""One ffmpeg/ffprobe pair for the whole toolkit (MoviePy included), and a thin process seam."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

from videokit.errors import ToolMissing
from videokit.interrupt import check_running


@lru_cache(maxsize=None)
def ffmpeg_bin() -> str:
    return _find("ffmpeg", "VIDEOKIT_FFMPEG")


@lru_cache(maxsize=None)
def ffprobe_bin() -> str:
    return _find("ffprobe", "VIDEOKIT_FFPROBE")


def _find(name: str, env: str) -> str:
    path = os.environ.get(env) or shutil.which(name)
    if not path:
        raise ToolMissing(f"{name} not found on PATH (install it: apt-get install -y ffmpeg)")
    return path


def pin_moviepy_ffmpeg() -> None:
    """MoviePy ships its own ffmpeg via imageio-ffmpeg; make it use the system one we test against."""
    os.environ["IMAGEIO_FFMPEG_EXE"] = ffmpeg_bin()
    os.environ.setdefault("FFMPEG_BINARY", ffmpeg_bin())


def run_capture(argv: list[str], timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run a short helper command (probe, measure) and capture its text output."""
    check_running()
    return subprocess.run(
        argv, capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=timeout, stdin=subprocess.DEVNULL,
    )
