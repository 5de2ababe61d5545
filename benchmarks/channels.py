"""Every channel (issue 28): what all thirteen presets cost against TikTok + YouTube, in one render.

    .venv/bin/python benchmarks/channels.py [--runs 1]

A new 60 s 1080p phone clip with German speech, rendered with the news template's defaults (Whisper included)
to tiktok,youtube and then to every preset at once (with --split: 60 s and the cards are more than WhatsApp's 60 s). Cold: each run with an empty cache, as a user meets a new
clip; warm (cards, outro and transcript cached) beside it. The render makes one encode per distinct picture, not
per platform: the ratio is printed beside the picture and platform counts, and the bytes each capped channel
used of its cap.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.coldwarm import cold_and_warm  # noqa: E402
from videokit.platforms import MB, PLATFORMS  # noqa: E402
from videokit.render.pictures import picture_groups  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        from videokit.samplegen import SAMPLE_TEXT, make_clip, speak

        wav = speak(" ".join([SAMPLE_TEXT] * 4), work / "speech.wav")
        clip = make_clip(work / "interview.mp4", 60.0, size=(1920, 1080), audio=wav)
        two, every = "tiktok,youtube", ",".join(PLATFORMS)
        med = cold_and_warm(work, ["render", str(clip), "--title", "Kanaele"],
                            {"two": ["--platforms", two], "every": ["--platforms", every, "--split"]}, args.runs)
        pictures = len(picture_groups(list(PLATFORMS.values())))
        print(f"60 s 1080p interview, news template, median of {args.runs}")
        print(f"  tiktok+youtube: 2 platforms, 2 pictures; every preset: {len(PLATFORMS)} platforms, "
              f"{pictures} pictures (encodes)")
        for state in ("cold", "warm"):
            ratio = med[f"every {state}"] / med[f"two {state}"]
            print(f"  {state}: tiktok+youtube {med[f'two {state}']:.1f} s, every preset {med[f'every {state}']:.1f} s, "
                  f"ratio {ratio:.2f}x (platforms {len(PLATFORMS) / 2:.1f}x, pictures {pictures / 2:.1f}x)")
        out = work / "out-every-0-cold"
        for p in PLATFORMS.values():
            for video in sorted(out.glob(f"kanaele_{p.name}*.mp4")) if p.max_bytes else []:
                print(f"  {video.name}: {video.stat().st_size / MB:.1f} MB of {p.max_bytes / MB:g} MB")


if __name__ == "__main__":
    main()
