"""One ffmpeg/ffprobe pair for the whole toolkit (MoviePy included), and a thin process seam."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from functools import lru_cache
from typing import Iterator

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


class RawFrames:
    """ffmpeg's raw frames read one by one as it writes them, its log collected beside them (a full stderr pipe
    would stall it), so each frame is looked at while ffmpeg decodes the next."""

    def __init__(self, argv: list[str], frame_bytes: int) -> None:
        check_running()
        self._size = frame_bytes
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self._widen_pipe()
        self._log: list[bytes] = []
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _widen_pipe(self) -> None:
        """The pipe made as large as Linux allows (1 MB without root's say): ffmpeg then decodes the next frame
        while this one is looked at, instead of waiting after 64 kB for the reader (who holds the GIL while a
        detector runs)."""
        try:
            import fcntl

            assert self._proc.stdout is not None
            fcntl.fcntl(self._proc.stdout.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ
        except (ImportError, OSError):
            pass  # another system, or a lower limit: only slower

    def _read_log(self) -> None:
        assert self._proc.stderr is not None
        self._log.append(self._proc.stderr.read())

    def __iter__(self) -> Iterator[bytes]:
        assert self._proc.stdout is not None
        while len(frame := self._proc.stdout.read(self._size)) == self._size:
            yield frame

    def finish(self) -> tuple[int, str]:
        """ffmpeg's exit code and its whole log, once it has ended."""
        self._proc.wait()
        self._reader.join()
        return self._proc.returncode, b"".join(self._log).decode(errors="replace")
