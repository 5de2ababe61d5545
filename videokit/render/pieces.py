"""Cutting a stream into pieces on whole frames and joining them again (pure ffmpeg-python): the tool every
span-limited change of the picture uses (camera-path spans, lower thirds, blurred faces)."""

from __future__ import annotations

from typing import Any, Callable

import ffmpeg


def frames(seconds: float, fps: int) -> int:
    return max(1, round(seconds * fps))


def split_stream(stream: Any, n: int, audio: bool = False) -> list[Any]:
    node = stream.asplit() if audio else stream.split()
    return [node[i] for i in range(n)]


def join_pieces(stream: Any, pieces: list[tuple[float, float | None, bool]], treat: Any, fps: int) -> Any:
    """The stream cut into `pieces` (path_pieces: start, end, flag), each piece passed through treat(piece,
    flag) with its own timestamps (trim keeps them), then joined again in order. Cut on frame numbers: cut on
    times, concat placed each piece where the last frame before it began (those frames carry no duration), the
    next frame collided with it and the encoder dropped one per cut (a 25 fps podcast two, seen at the outro)."""
    parts = []
    for (start, end, flag), branch in zip(pieces, split_stream(stream, len(pieces))):
        bounds = {"start_frame": frames(start, fps)} if start else {}
        if end is not None:
            bounds["end_frame"] = frames(end, fps)
        parts.append(treat(branch.filter("trim", **bounds), flag).filter("setpts", "PTS-STARTPTS"))
    return ffmpeg.concat(*parts, v=1, a=0)


class SharedStreams:
    """A chain built once and split to every branch that asks for it by the same key. Two branches that build
    identical chains (two encodes of one frame size: the same card, the same transparent caption canvas) would
    otherwise be merged by ffmpeg-python into one node with two outgoing edges: a graph it cannot compile."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}
        self._used: dict[str, int] = {}

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            self._made[key], self._used[key] = make().split(), 0
        self._used[key] += 1
        return self._made[key][self._used[key] - 1]
