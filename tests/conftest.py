"""Shared fixtures: a per-session cache, generated phone-like media, and an in-process CLI runner."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from videokit.samplegen import make_clip, speak

DATA = Path(__file__).parent / "data"
FAST_TEMPLATE = str(DATA / "fast.toml")


@pytest.fixture(scope="session", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Cards, transcripts and the joined model live in one cache for the whole run (as for a user)."""
    import os

    os.environ.setdefault("VIDEOKIT_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def speech_wav(media: Path) -> Path:
    return speak("Guten Tag. Die Königsstraße wird ab Montag gesperrt.", media / "speech.wav")


@pytest.fixture(scope="session")
def landscape_clip(media: Path, speech_wav: Path) -> Path:
    return make_clip(media / "landscape.mp4", 3.0, size=(1280, 720), audio=speech_wav)


def run_cli(*args: str) -> "CliResult":
    """Run `videokit` in-process the way main() does (one-line errors, exit codes)."""
    from videokit.cli import cli
    from videokit.errors import VideokitError

    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=True)
    code, out = result.exit_code, result.output
    if isinstance(result.exception, VideokitError):
        code, out = result.exception.exit_code, out + f"error: {result.exception.message}\n"
    elif result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(code, out)


class CliResult:
    def __init__(self, exit_code: int, output: str) -> None:
        self.exit_code, self.output = exit_code, output


def ffprobe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def video_stream(path: Path) -> dict:
    return next(s for s in ffprobe(path)["streams"] if s["codec_type"] == "video")
