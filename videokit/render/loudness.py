"""Loudness measurement (EBU R128, true peak) with ffmpeg's ebur128 filter: the render's first pass and the checks.

Measuring with ebur128 (integrated loudness, LRA, true peak) costs a quarter of a loudnorm analysis pass; the
render then applies a plain gain, plus a lookahead limiter only when the gain would push the true peak too high.
"""

from __future__ import annotations

import re
from typing import Callable

from videokit.errors import RenderError
from videokit.timeline import AudioPlan
from videokit.tools import ffmpeg_bin, run_capture

# an EBU R128 summary (input_i, input_tp, input_lra, input_thresh, target_offset); None: silence
Loudness = dict[str, float] | None
SILENCE_LUFS = -70.0  # the R128 absolute gate: anything quieter is treated as silence
EBUR128 = "ebur128=peak=true:framelog=verbose"  # per-frame lines at verbose: hidden, summary at info
_SUMMARY = {
    "input_i": r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS",
    "input_thresh": r"Integrated loudness:\s+I:.*?\n\s+Threshold:\s+(-?[\d.]+|-inf) LUFS",
    "input_lra": r"LRA:\s+(-?[\d.]+) LU",
    "input_tp": r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS",
}


def parse_ebur128(stderr: str) -> Loudness:
    """The summary ebur128 prints at the end; None when the audio is silent (nothing to normalise)."""
    summary = stderr[stderr.rfind("Summary:"):] if "Summary:" in stderr else ""
    values: dict[str, float] = {}
    for key, pattern in _SUMMARY.items():
        m = re.search(pattern, summary, re.S)
        if not m:
            if key == "input_tp":  # measured without the peak search (loudness only)
                values[key] = float("nan")
                continue
            return None
        values[key] = float(m.group(1)) if m.group(1) != "-inf" else float("-inf")
    if values["input_i"] <= SILENCE_LUFS:
        return None
    values["target_offset"] = 0.0
    return values


def measure_argv(argv: list[str], what: str) -> Loudness:
    proc = run_capture(argv)
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1:] or ["ffmpeg failed"]
        raise RenderError(f"{what}: loudness measurement failed ({last[0]})")
    return parse_ebur128(proc.stderr)


def measure_file(path: str) -> Loudness:
    """Integrated loudness and true peak of a finished file (audio decode only)."""
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-i", path, "-vn",
            "-af", EBUR128, "-f", "null", "-"]
    return measure_argv(argv, path)


def measure_loudness(plan: AudioPlan, argv_for: Callable[[bool], list[str]], what: str,
                     measured: dict[str, float] | None = None) -> None:
    """Measure, plan gain (+ limiter); when limiting, measure the result once more and correct the gain for the
    loudness the limiter took away. `argv_for(processed)` builds the audio-only pass: a second or two a minute.
    `measured`: the same audio measured already (an audio-only copy for another target needs no new pass)."""
    from videokit.render.streams import plan_loudness

    plan.measured = measured if measured is not None else measure_argv(argv_for(False), f"audio of {what}")
    plan.gain_db, plan.limit_db = plan_loudness(plan.measured, plan.target_lufs, plan.true_peak)
    if plan.limit_db is not None:
        limited = measure_argv(argv_for(True), f"audio of {what}")
        if limited:
            plan.gain_db = round(plan.gain_db + plan.target_lufs - limited["input_i"], 2)
