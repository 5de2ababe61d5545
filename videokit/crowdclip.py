"""A street scene with a speaker and bystanders whose face boxes are known in every frame (test footage).

Real faces from photos that ship in packages (test-only dependencies): scikit-image's astronaut speaks in the middle;
Grace Hopper (matplotlib's sample photo) walks across the frame, in and out at the edges; scikit-image's cameraman,
turned to the side, bobs at the right edge, partly outside the picture; a small face from scikit-image's Labeled
Faces in the Wild subset darts about the background. The truth is where each face was pasted.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from videokit.tools import ffmpeg_bin

if TYPE_CHECKING:
    import numpy as np

FaceBox = tuple[int, int, int, int]  # x, y, w, h in pixels of the frame (may reach outside it)
SPEAKER = "speaker"
BYSTANDERS = ("walker", "turned", "small")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    photo: "np.ndarray"  # RGB, already at its size in the frame
    face: FaceBox  # the face's box inside `photo`
    centre: Callable[[float, float], tuple[float, float]]  # (t, clip length) → the face's centre, 0..1 of the frame


def actors(width: int, height: int) -> list[Actor]:
    """The cast at this frame size (faces as wide as a share of the frame, so a 4K clip shows the same scene)."""
    import numpy as np
    from skimage import data

    def placed(name: str, image: "np.ndarray", crop: tuple[int, int, int, int], face: FaceBox, face_share: float,
               centre: Callable[[float, float], tuple[float, float]]) -> Actor:
        from PIL import Image

        left, top, right, bottom = crop
        scale = face_share * width / face[2]
        size = (max(2, round((right - left) * scale)), max(2, round((bottom - top) * scale)))
        photo = np.asarray(Image.fromarray(image).crop(crop).resize(size, Image.LANCZOS).convert("RGB"))
        box = (round((face[0] - left) * scale), round((face[1] - top) * scale), round(face[2] * scale),
               round(face[3] * scale))
        return Actor(name, photo, box, centre)

    hopper = _grace_hopper()
    small = (data.lfw_subset()[3] * 255).astype(np.uint8)
    return [
        placed(SPEAKER, data.astronaut(), (120, 0, 380, 330), (178, 63, 89, 112), 0.11,
               lambda t, n: (0.25 + 0.01 * math.sin(0.7 * t), 0.40)),
        placed("walker", hopper, (110, 40, 420, 400), (182, 121, 171, 211), 0.07,
               lambda t, n: (-0.04 + 1.08 * t / n, 0.75 + 0.01 * math.sin(5 * t))),
        placed("turned", data.camera(), (150, 60, 300, 240), (195, 113, 60, 80), 0.055,
               lambda t, n: (0.93 + 0.06 * math.sin(0.9 * t), 0.45)),
        placed("small", small, (0, 0, 25, 25), (3, 3, 19, 20), 0.028,
               lambda t, n: (0.6 + 0.2 * math.sin(2 * math.pi * t / 2.5), 0.16)),
    ]


def make_crowd_clip(path: Path, seconds: float, size: tuple[int, int] = (1280, 720), fps: int = 30,
                    audio: Path | str = "tone") -> dict[str, list[FaceBox]]:
    """The clip (H.264, a key frame a second, as phones write) and each face's box in every frame."""
    w, h = size
    cast = actors(w, h)
    wall = _wall(w, h)
    n_frames = round(seconds * fps)
    sound = (["-i", str(audio)] if isinstance(audio, Path)
             else ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"])
    argv = [ffmpeg_bin(), "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
            "-r", str(fps), "-i", "-", *sound, "-map", "0:v", "-map", "1:a", "-t", f"{n_frames / fps:.4f}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-g", str(fps), "-pix_fmt", "yuv420p",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-af", "apad", "-c:a", "aac", "-movflags", "+faststart", str(path)]  # speech shorter than the clip
    truth: dict[str, list[FaceBox]] = {actor.name: [] for actor in cast}
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for n in range(n_frames):
            frame = wall.copy()
            for actor in cast:
                truth[actor.name].append(_paste(frame, actor, n / fps, seconds))
            proc.stdin.write(frame.tobytes())
    finally:
        proc.stdin.close()
        proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg could not write {path}")
    return truth


def visible_share(box: FaceBox, width: int, height: int) -> float:
    """How much of a face box lies inside the frame (0..1)."""
    x, y, w, h = box
    inside = max(0, min(x + w, width) - max(x, 0)) * max(0, min(y + h, height) - max(y, 0))
    return inside / max(1, w * h)


def _paste(frame: "np.ndarray", actor: Actor, t: float, length: float) -> FaceBox:
    fh, fw = frame.shape[:2]
    cx, cy = actor.centre(t, length)
    fx, fy, face_w, face_h = actor.face
    left = round(cx * fw - fx - face_w / 2)
    top = round(cy * fh - fy - face_h / 2)
    ph, pw = actor.photo.shape[:2]
    x0, y0, x1, y1 = max(0, left), max(0, top), min(fw, left + pw), min(fh, top + ph)
    if x1 > x0 and y1 > y0:
        frame[y0:y1, x0:x1] = actor.photo[y0 - top:y1 - top, x0 - left:x1 - left]
    return (left + fx, top + fy, face_w, face_h)


def _wall(width: int, height: int) -> "np.ndarray":
    """A textured street wall: detail everywhere, so a blur shows in the numbers."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    small = rng.integers(60, 200, (max(2, height // 12), max(2, width // 12), 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(small).resize((width, height), Image.BILINEAR)).copy()


def _grace_hopper() -> "np.ndarray":
    import numpy as np
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        return np.asarray(Image.open(f).convert("RGB"))


def blur_shares(source: Path, output: Path, truth: dict[str, list[FaceBox]], size: tuple[int, int],
                min_visible: float = 0.3) -> dict[str, tuple[int, int]]:
    """For each face: (frames in which it is blurred, frames in which it is visible). Blurred: the detail in its
    visible box (the variance of the Laplacian) is at least 80 % below the source's. `output` shows the source's
    picture from its first frame at the same size (a horizontal render without intro: with one, frame n of the
    output is a card, not frame n of the source)."""
    import cv2

    w, h = size
    frames_of = [_gray_frames(source, w, h), _gray_frames(output, w, h)]
    counts = {name: [0, 0] for name in truth}
    for n, (before, after) in enumerate(zip(*frames_of)):
        for name, boxes in truth.items():
            if n >= len(boxes) or visible_share(boxes[n], w, h) < min_visible:
                continue
            x, y, bw, bh = boxes[n]
            x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + bw), min(h, y + bh)
            if x1 - x0 < 8 or y1 - y0 < 8:
                continue
            detail = [float(cv2.Laplacian(img[y0:y1, x0:x1], cv2.CV_64F).var()) for img in (before, after)]
            counts[name][1] += 1
            counts[name][0] += detail[1] <= 0.2 * detail[0]
    return {name: (a, b) for name, (a, b) in counts.items()}


def _gray_frames(path: Path, w: int, h: int):  # type: ignore[no-untyped-def]
    import numpy as np

    proc = subprocess.Popen([ffmpeg_bin(), "-v", "error", "-i", str(path), "-vf", f"scale={w}:{h}", "-f", "rawvideo",
                             "-pix_fmt", "gray", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    try:
        while len(chunk := proc.stdout.read(w * h)) == w * h:
            yield np.frombuffer(chunk, np.uint8).reshape(h, w)
    finally:
        proc.stdout.close()
        proc.wait()
