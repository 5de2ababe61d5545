"""Errors a user can act on. Each carries the one line the CLI prints (no traceback)."""

from __future__ import annotations

from pathlib import Path


class VideokitError(Exception):
    """Base: an expected problem with a message that names the thing and what to do."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(VideokitError):
    """A user-supplied file or value is missing, unreadable or unusable."""

    @classmethod
    def for_file(cls, path: Path | str, problem: str, hint: str = "") -> "InputError":
        line = f"{path}: {problem}"
        if hint:
            line += f" ({hint})"
        return cls(line)


class ConfigError(VideokitError):
    """A template, job file, brand kit or option is invalid."""


class BrandError(ConfigError):
    """The brand kit is incomplete: a font, logo or colour is missing or broken."""


class RenderError(VideokitError):
    """ffmpeg failed while rendering; the message carries ffmpeg's own error line."""

    exit_code = 3


class CheckFailed(VideokitError):
    """An output does not meet its platform's upload spec."""

    exit_code = 4


class ToolMissing(VideokitError):
    """A required program (ffmpeg, ffprobe) is not installed."""

    exit_code = 5


class TranscriptionError(VideokitError):
    """The speech model is missing/broken or transcription failed."""
