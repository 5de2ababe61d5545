"""Then-and-now batch speed: N pairs × two platforms × 10 s clips, seconds per clip-platform, and the ratio to a
bare ffmpeg encode of a 10 s 1080x1920 still-image video with the same encoder settings (target <= 1.5x).

    .venv/bin/python benchmarks/thenandnow_speed.py [--pairs 20] [--workers N]

The archive is synthetic (street photos with film grain, the worst case for x264): half the pairs use a
1600x1200 grayscale scan, half an EXIF-rotated one; today's view is a 12 MP phone photo. Brand cards are drawn
in a warm-up item first (they are cached per title and platform in normal use as well).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.platforms import PLATFORMS  # noqa: E402
from videokit.render.streams import EncoderSettings  # noqa: E402
from videokit.runners import default_workers  # noqa: E402
from videokit.samplegen import make_photo  # noqa: E402
from videokit.templates import load_template  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--workers", type=int, default=default_workers())
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-tnn-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    make_photo(work / "scan.jpg", (1600, 1200), seed=1, gray=True)
    make_photo(work / "scan_rot.jpg", (1200, 900), seed=3, gray=True, exif_orientation=6)
    make_photo(work / "today.jpg", (4000, 3000), seed=2, gps=True)
    rows = ["then;now;title;year_then;credit"]
    rows += [f"{'scan' if i % 2 else 'scan_rot'}.jpg;today.jpg;Ort {i + 1};19{50 + i};Foto: Stadtarchiv"
             for i in range(args.pairs)]
    (work / "batch.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (work / "warm.csv").write_text(rows[0] + "\n" + rows[1] + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "videokit", "thenandnow", "--platforms", "tiktok,youtube", "--duration", "10",
           "--workers", str(args.workers)]
    subprocess.run(cmd + [str(work / "warm.csv"), "--out", str(work / "warm")], check=True, stdout=subprocess.DEVNULL)
    # every title gets its own intro card: draw them first so the batch measures the per-item render
    from videokit.brand import load_brand
    from videokit.cards import card_file
    from videokit.thenandnow.pacing import CARD_SECONDS

    brand = load_brand()
    tpl = load_template(None)
    for i in range(args.pairs):
        for name in ("tiktok", "youtube"):
            card_file(brand, PLATFORMS[name], "intro", f"Ort {i + 1}", CARD_SECONDS, tpl.fps)
    start = time.perf_counter()
    subprocess.run(cmd + [str(work / "batch.csv"), "--out", str(work / "out")], check=True, stdout=subprocess.DEVNULL)
    batch = time.perf_counter() - start
    per_clip_platform = batch / (args.pairs * 2)

    still = work / "still.jpg"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(work / "today.jpg"), "-vf",
                    "scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920", "-q:v", "2", str(still)],
                   check=True)
    enc = EncoderSettings(tpl.preset, tpl.crf, tpl.fps)
    argv = ["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", str(tpl.fps), "-t", "10", "-i", str(still),
            "-f", "lavfi", "-t", "10", "-i", "anullsrc=sample_rate=48000:channel_layout=stereo", "-map", "0:v", "-map", "1:a"]
    for key, value in enc.output_args(PLATFORMS["tiktok"]).items():
        argv += [f"-{key}", str(value)]
    start = time.perf_counter()
    subprocess.run(argv + [str(work / "bare.mp4")], check=True)
    bare = time.perf_counter() - start
    print(f"{args.pairs} pairs x 2 platforms x 10 s, {args.workers} worker(s), x264 {tpl.preset} crf {tpl.crf}: "
          f"batch {batch:.1f} s = {per_clip_platform:.1f} s per clip-platform")
    print(f"bare ffmpeg encode of a 10 s 1080x1920 still: {bare:.1f} s; ratio {per_clip_platform / bare:.2f}x "
          f"(target <= 1.5x)")


if __name__ == "__main__":
    main()
