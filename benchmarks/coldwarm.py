"""Timing a render as a user meets it: with an empty cache (cold), then the same again (warm), for each variant,
medians of several runs. Shared by the benchmarks that compare a feature's render against the same without it."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

VIDEOKIT = [sys.executable, "-m", "videokit"]


def cold_and_warm(work: Path, argv: list[str], variants: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median seconds of `videokit <argv> <variant args> --out …` under "<variant> cold" and "<variant> warm";
    each run of each variant with a cache of its own, empty at first. Outputs go to work/out-<variant>-<run>-<state>."""
    figures: dict[str, list[float]] = {}
    for run in range(runs):
        for label, extra in variants.items():
            cache = work / f"cache-{label}-{run}"
            for state in ("cold", "warm"):
                out = work / f"out-{label}-{run}-{state}"
                env = {**os.environ, "VIDEOKIT_CACHE": str(cache)}
                t = time.perf_counter()
                subprocess.run([*VIDEOKIT, *argv, "--out", str(out), *extra], check=True, env=env, capture_output=True)
                figures.setdefault(f"{label} {state}", []).append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in figures.items()}
