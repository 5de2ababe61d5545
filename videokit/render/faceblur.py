"""--blur-faces in the render graph (pure): each patch is cut from the decoded picture, shrunk to a few samples
across the face and grown back (a blur nothing recognisable survives), and laid back in place, following its keys.

The picture is cut at the patches' edges into pieces in which the same patches are shown (pieces.join_pieces):
overlay copies every main frame it is handed (ffmpeg 5.1's framesync), so only the frames that carry a patch go
through one. Crop and overlay read the same clamped expression on the frame's own time, so the patch is laid
exactly where it was cut, also at the picture's edges.
"""

from __future__ import annotations

import math
from typing import Any

from videokit.reframe.expression import piecewise
from videokit.render.pieces import join_pieces, split_stream

# concat times a piece by its frames' spacing (last pts × n / (n−1)): a piece of one frame has no length and the
# next one lands on it (the encoder drops a frame). Shorter pieces are merged: a patch stays a frame or two longer.
MIN_FRAMES = 3


def blur_patches(stream: Any, patches: list[dict[str, Any]], fps: int, width: int, height: int,
                 ten_bit: bool = False) -> Any:
    """`stream` (the decoded clip at `fps`, time from the segment's start) with every patch drawn. overlay is told
    the picture's format: left to choose ("auto"), it converted every frame (2.2 s more for a 60 s 1080p clip),
    and told "yuv420" it would take an HDR clip's 10 bits away before the tone mapping."""
    fmt = "yuv420p10" if ten_bit else "yuv420"
    if not patches:
        return stream
    pieces = _pieces(patches, fps)
    if len(pieces) == 1 and not pieces[0][2]:
        return stream

    def treat(piece: Any, shown: tuple[int, ...]) -> Any:
        if not shown:
            return piece
        main, *copies = split_stream(piece, 1 + len(shown))
        for copy, index in zip(copies, shown):
            main = _draw(main, copy, patches[index], width, height, fmt)
        return main

    return join_pieces(stream, pieces, treat, fps)


def _pieces(patches: list[dict[str, Any]], fps: int) -> list[tuple[float, float | None, tuple[int, ...]]]:
    """(start, end, patches shown) on whole frames, in order from 0; the last open-ended."""
    spans = [(int(p["start"] * fps), max(int(p["start"] * fps) + 1, math.ceil(p["end"] * fps - 1e-6))) for p in patches]
    edges = sorted({0, *[a for a, _ in spans], *[b for _, b in spans]})
    pieces: list[tuple[int, tuple[int, ...]]] = []
    for a in edges:
        shown = tuple(i for i, (s, e) in enumerate(spans) if s <= a < e)
        if pieces and a - pieces[-1][0] < MIN_FRAMES:  # too short to stand alone: the one before takes it
            shown = tuple(sorted({*pieces[-1][1], *shown}))
            pieces[-1] = (pieces[-1][0], shown)
            continue
        if not pieces or pieces[-1][1] != shown:
            pieces.append((a, shown))
    return [(a / fps, following[0] / fps if following else None, shown)
            for (a, shown), following in zip(pieces, [*pieces[1:], None])]


def _draw(main: Any, copy: Any, patch: dict[str, Any], width: int, height: int, fmt: str) -> Any:
    w, h = patch["w"], patch["h"]
    x = f"max(0,min({width - w},{piecewise([tuple(k) for k in patch['x']])}))"
    y = f"max(0,min({height - h},{piecewise([tuple(k) for k in patch['y']])}))"
    cells_w, cells_h = patch["cells"]
    layer = (copy.filter("crop", w=w, h=h, x=x, y=y)
             .filter("scale", w=cells_w, h=cells_h, flags="area")
             .filter("scale", w=w, h=h, flags="bilinear"))
    return main.overlay(layer, x=x, y=y, eval="frame", format=fmt)
