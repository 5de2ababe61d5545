"""Signals a user or the system sends (INT from Ctrl+C or `kill -INT`, TERM, HUP) stop videokit at once and cleanly.

A signal reaches videokit, not the ffmpeg processes it started (`kill -INT <pid>` left ffmpeg rendering for 19 s).
The handler first ends every child process (ffmpeg, ffprobe, pool workers: psutil walks the process tree), then
raises `Interrupted` in the main thread, so every `finally` and `atomic_outputs` removes its temp files on the way
out. After the first signal nothing new is started (`check_running`), so a thread that was about to start the next
ffmpeg stops instead.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_stopping = threading.Event()


class Interrupted(KeyboardInterrupt):
    """A signal stopped the run; `exit_code` is the shell's 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


def install() -> None:
    """Handle INT, TERM and HUP in this (the main) thread for the rest of the process."""
    for sig in HANDLED:
        signal.signal(sig, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    first = not _stopping.is_set()
    _stopping.set()
    stop_children()
    if first:  # a second signal during the clean-up must not cut the clean-up short
        raise Interrupted(signum)


def check_running() -> None:
    """Raise Interrupted when a signal has arrived: called before a child process is started."""
    if _stopping.is_set():
        raise Interrupted(signal.SIGTERM)


def stop_children(grace: float = 2.0) -> None:
    """End every process this one started (and theirs): TERM, then KILL after `grace` seconds."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
