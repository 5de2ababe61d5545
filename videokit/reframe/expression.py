"""A planned camera path → ffmpeg expressions on the segment's own time `t` (pure).

The crop window's left edge becomes one flat sum of ramps, x(t) = x0 + Σ dx_i · clip((t - t_i) / d_i, 0, 1), and a
jump at a cut is dx · gte(t, t_i): no nesting, so a path with hundreds of keys stays a short expression that
ffmpeg evaluates per frame. Shots shown over the blurred fill become the spans where the crop is not shown.
"""

from __future__ import annotations

from typing import Any

from videokit.reframe.path import interpolate

Key = tuple[float, float]


def output_keys(shots: list[dict[str, Any]], keep: list[tuple[float, float]] | None
                ) -> tuple[list[Key], list[tuple[float, float]]]:
    """Keys and crop spans on output time. `shots` are on source time relative to the segment's start; `keep`
    (relative too) are the ranges the segment shows, in order (the podcast's cut pauses), or None for all."""
    end = max((s["end"] for s in shots), default=0.0)
    ranges = keep if keep else [(0.0, end)]
    keys: list[Key] = []
    spans: list[tuple[float, float]] = []
    offset = 0.0
    for a, b in ranges:
        for shot in shots:
            lo, hi = max(a, shot["start"]), min(b, shot["end"])
            if hi <= lo or shot["mode"] != "crop":
                continue
            shot_keys = [tuple(k) for k in shot["keys"]]
            inner = [(t, x) for t, x in shot_keys if lo < t < hi]
            pieces = [(lo, interpolate(shot_keys, lo)), *inner, (hi, interpolate(shot_keys, hi))]
            mapped = [(round(offset + t - a, 4), x) for t, x in pieces]
            if keys and keys[-1][0] < mapped[0][0]:
                keys.append((mapped[0][0], keys[-1][1]))  # hold until here, then jump (a cut, or after a fill)
            keys += mapped
            spans.append((round(offset + lo - a, 4), round(offset + hi - a, 4)))
        offset += b - a
    return keys, _merge(spans)


RAMPS_PER_GROUP = 40  # ffmpeg's expression parser fails on a flat sum of about 90 terms: sums of sums it takes


def ramp_sum(keys: list[Key], scale: float) -> str:
    """x(t) in pixels: `keys` are (seconds, fraction); `scale` turns a fraction into pixels."""
    if not keys:
        return "0"
    start = keys[0][1] * scale
    terms: list[str] = []
    placed = start  # where the ramps so far lead: a step too small to write is carried into the next one
    for (t0, _x0), (t1, x1) in zip(keys, keys[1:]):
        dx = x1 * scale - placed
        if abs(dx) < 0.5:
            continue
        placed += round(dx, 1)
        if t1 - t0 < 1e-3:
            terms.append(f"{dx:+.1f}*gte(t,{t0:.4f})")
        else:
            terms.append(f"{dx:+.1f}*clip((t-{t0:.4f})/{t1 - t0:.4f},0,1)")
    groups = ["".join(terms[i:i + RAMPS_PER_GROUP]) for i in range(0, len(terms), RAMPS_PER_GROUP)]
    return f"{start:.1f}" + "".join(groups if len(groups) <= 1 else [f"+({g})" for g in groups])


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1e-3:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def piecewise(keys: list[Key]) -> str:
    """v(t) through `keys` (seconds, value), straight between them and held before the first and after the last,
    as a balanced tree of `if(lt(t, …))`: ffmpeg evaluates only the branch taken, so a path of hundreds of keys
    costs a few comparisons a frame (a flat sum of ramps evaluates every ramp in every frame)."""
    if not keys:
        return "0"
    if len(keys) == 1:
        return f"{keys[0][1]:.1f}"

    def segment(i: int) -> str:
        (t0, v0), (t1, v1) = keys[i], keys[i + 1]
        slope = (v1 - v0) / (t1 - t0) if t1 - t0 > 1e-6 else 0.0
        return f"{v0:.1f}" if abs(slope) < 1e-3 else f"({v0:.1f}+(t-{t0:.4f})*{slope:.3f})"

    def tree(lo: int, hi: int) -> str:  # segments lo..hi-1
        if hi - lo == 1:
            return segment(lo)
        mid = (lo + hi) // 2
        return f"if(lt(t,{keys[mid][0]:.4f}),{tree(lo, mid)},{tree(mid, hi)})"

    first, last = keys[0], keys[-1]
    return (f"if(lt(t,{first[0]:.4f}),{first[1]:.1f},if(gte(t,{last[0]:.4f}),{last[1]:.1f},"
            f"{tree(0, len(keys) - 1)}))")
