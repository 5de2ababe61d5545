"""Signals with real processes (videokit/interrupt.py): INT, TERM or HUP mid-render stops every child process at
once and leaves no temp file or folder; what a `kill -9` left is swept by the next run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from videokit.samplegen import make_clip

from conftest import FAST_TEMPLATE

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def long_clip(media: Path) -> Path:
    return make_clip(media / "lang.mp4", 40.0, size=(1920, 1080), audio="tone")


def _start(out: Path, clip: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "videokit", "render", str(clip), "--out", str(out), "--template",
                             FAST_TEMPLATE, "--title", "Abbruch", "--no-outro", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_parts(out: Path, proc: subprocess.Popen[str], seconds: float = 60) -> list[psutil.Process]:
    """Until the render writes its temp outputs; returns the process tree under videokit at that moment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if out.is_dir() and any(p.name.endswith(".part.mp4") for p in out.iterdir()):
            children = psutil.Process(proc.pid).children(recursive=True)
            if any("ffmpeg" in c.name() for c in children):
                return children
        time.sleep(0.1)
    raise AssertionError("the render never started writing")


def _work_dirs(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"videokit-*-{pid}-*"))


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_render_stops_everything_and_leaves_nothing(long_clip: Path, tmp_path: Path,
                                                                  sig: signal.Signals) -> None:
    out = tmp_path / "out"
    proc = _start(out, long_clip)
    children = _wait_for_parts(out, proc)
    assert _work_dirs(proc.pid)
    sent = time.monotonic()
    proc.send_signal(sig)
    _stdout, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10  # at once, not when ffmpeg has finished on its own
    assert proc.returncode == 128 + sig and "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert not list(out.iterdir())  # no .part file, no half output
    assert not _work_dirs(proc.pid)


@pytest.mark.slow
def test_what_a_kill_9_left_is_swept_by_the_next_run(long_clip: Path, media: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _start(out, long_clip)
    children = _wait_for_parts(out, proc)
    proc.kill()  # no handler runs: the temp files and the work folder stay
    proc.wait()
    for child in children:  # the orphaned ffmpeg would go on writing; a user's machine would reap it at the end
        child.kill()
    psutil.wait_procs(children, timeout=10)
    assert any(p.name.endswith(".part.mp4") for p in out.iterdir()) and _work_dirs(proc.pid)
    short = make_clip(media / "kurz-danach.mp4", 2.0, size=(640, 360), audio="tone")
    again = _start(out, short, "--force")
    _stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert not _work_dirs(proc.pid)


@pytest.mark.slow
def test_ctrl_c_of_review_during_render_again_stops_the_render(long_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    srt = tmp_path / "text.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\nHallo\n", encoding="utf-8")
    first = _start(out, long_clip, "--subtitles", str(srt), "--platforms", "youtube")
    assert first.wait(timeout=600) == 0, first.communicate()
    review = subprocess.Popen([sys.executable, "-m", "videokit", "review", str(out), "--no-browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert review.stdout is not None
    url = review.stdout.readline().strip()
    base, token = url.split("/?token=")
    request = urllib.request.Request(f"{base}/api/render", data=b"{}", method="POST",
                                     headers={"X-Videokit-Token": token, "Content-Type": "application/json"})
    assert json.loads(urllib.request.urlopen(request, timeout=30).read())["status"] == "running"
    children = _wait_for_parts(out, review)
    review.send_signal(signal.SIGINT)
    _stdout, stderr = review.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert not [p for p in out.iterdir() if p.name.endswith(".part.mp4")]
    assert not _work_dirs(review.pid)
