"""Loudness measurement (EBU R128 via ffmpeg's loudnorm analysis): first pass of the render, and the checks."""

from __future__ import annotations

import json
import re

from videokit.errors import RenderError
from videokit.tools import ffmpeg_bin, run_capture

JSON_BLOCK = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)
SILENCE_LUFS = -70.0  # loudnorm reports -inf/-70 for digital silence


def parse_loudnorm(stderr: str) -> dict[str, float] | None:
    """loudnorm's JSON summary as floats; None when the audio is silent (nothing to normalise)."""
    blocks = JSON_BLOCK.findall(stderr)
    if not blocks:
        return None
    data = json.loads(blocks[-1])
    values: dict[str, float] = {}
    for key, value in data.items():
        try:
            values[key] = float(value)
        except (TypeError, ValueError):
            continue
    if values.get("input_i", SILENCE_LUFS) <= SILENCE_LUFS or values.get("input_i") != values.get("input_i"):
        return None
    return values


def measure_argv(argv: list[str], what: str) -> dict[str, float] | None:
    proc = run_capture(argv)
    if proc.returncode != 0:
        raise RenderError(f"{what}: loudness measurement failed ({proc.stderr.strip().splitlines()[-1:] or '?'})")
    return parse_loudnorm(proc.stderr)


def measure_file(path: str) -> dict[str, float] | None:
    """Integrated loudness and true peak of a finished file (audio decode only)."""
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-i", path, "-vn",
            "-af", "loudnorm=print_format=json", "-f", "null", "-"]
    return measure_argv(argv, path)
