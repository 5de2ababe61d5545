"""Render speed: `videokit render` (both platforms, intro, outro, lower third, burned subtitles, loudness)
against (a) plain ffmpeg transcoding the same clip to the same two sizes with the same encoder settings
(one decode, split, one encoder per size), and (b) the same composition done the straightforward MoviePy way.

    .venv/bin/python benchmarks/render_speed.py [--seconds 60] [--moviepy-seconds 15]

Prints wall times and ratios. Cards are measured warm (cached, the normal case for a weekly format) and the
cold cost of drawing them once is printed separately. The MoviePy comparison runs on the first
--moviepy-seconds of the clip against videokit on the same excerpt (like for like), because MoviePy needs
minutes for the full clip.
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
from videokit.samplegen import make_clip, make_srt  # noqa: E402
from videokit.templates import load_template  # noqa: E402

VIDEOKIT = [sys.executable, "-m", "videokit"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--moviepy-seconds", type=float, default=15.0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-bench-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    clip = make_clip(work / "phone.mp4", args.seconds, size=(1920, 1080), fps=30, audio="tone",
                     picture="testsrc2")
    srt = make_srt(work / "subs.srt", args.seconds)
    tpl = load_template("news")
    print(f"clip: {args.seconds:g} s 1920x1080 30 fps H.264 (testsrc2 + timecode); x264 preset {tpl.preset}, "
          f"crf {tpl.crf}; {os.cpu_count()} cores")

    t_plain = timed(lambda: plain_ffmpeg(clip, work / "plain", tpl, None))
    t_frame = timed(lambda: same_framing_ffmpeg(clip, work / "framed"))
    cold = timed(lambda: videokit(clip, srt, work / "cold", args.seconds))
    warm = timed(lambda: videokit(clip, srt, work / "warm", args.seconds))
    print(f"plain ffmpeg, 2 sizes:          {t_plain:7.1f} s   (scaled to both sizes: vertical is stretched)")
    print(f"plain ffmpeg, same framing:     {t_frame:7.1f} s   (blurred fill, no cards/overlays/captions/loudness)")
    print(f"videokit render (cards cached): {warm:7.1f} s   ratio {warm / t_plain:.2f}x  (target <= 1.2x)")
    print(f"videokit render (cards drawn):  {cold:7.1f} s   ratio {cold / t_plain:.2f}x  (first render of a new title)")
    print(f"like for like (same framing):   ratio {warm / t_frame:.2f}x  = cost of cards (+{5 / args.seconds:.0%} "
          f"frames), lower third, captions, loudness passes, probe and checks")

    if args.moviepy_seconds > 0:
        n = min(args.moviepy_seconds, args.seconds)
        short = work / "short.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-t", str(n), "-c", "copy", str(short)], check=True)
        vk_short = timed(lambda: videokit(short, make_srt(work / "short.srt", n), work / "vk-short", n))
        mp = timed(lambda: moviepy_way(short, work / "moviepy", n, tpl))
        print(f"excerpt {n:g} s: videokit {vk_short:.1f} s, MoviePy CompositeVideoClip {mp:.1f} s   "
              f"MoviePy/videokit {mp / vk_short:.1f}x slower")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def videokit(clip: Path, srt: Path, out: Path, seconds: float) -> None:
    subprocess.run(VIDEOKIT + ["render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube",
                               "--title", "Benchmark: Sperrung der Königsstraße", "--subtitles", str(srt),
                               "--lower-third", f"Sven Muster|Oberbürgermeister@1-{min(8, seconds - 1)}", "--force"],
                   check=True, stdout=subprocess.DEVNULL)


def plain_ffmpeg(clip: Path, out: Path, tpl, _unused) -> None:  # type: ignore[no-untyped-def]
    out.mkdir(parents=True, exist_ok=True)
    enc = EncoderSettings(tpl.preset, tpl.crf, tpl.fps)
    argv = ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-filter_complex",
            "[0:v]split=2[a][b];[a]scale=1080:1920,setsar=1[v1];[b]scale=1920:1080,setsar=1[v2]"]
    for name, label in (("tiktok", "[v1]"), ("youtube", "[v2]")):
        opts = enc.output_args(PLATFORMS[name])
        argv += ["-map", label, "-map", "0:a"]
        for key, value in opts.items():
            argv += [f"-{key}", str(value)]
        argv.append(str(out / f"{name}.mp4"))
    subprocess.run(argv, check=True)


def same_framing_ffmpeg(clip: Path, out: Path) -> None:
    """The bare part of videokit's own graph: one decode, split, reframe, two encoders (its dry-run command)."""
    import shlex

    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(VIDEOKIT + ["render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube",
                                      "--no-intro", "--no-outro", "--subtitles", "none", "--dry-run", "--force"],
                          check=True, capture_output=True, text=True)
    argv = shlex.split(proc.stdout.strip().splitlines()[-1])
    argv = [a for a in argv if a not in ("-progress", "pipe:1")]
    subprocess.run(argv, check=True)


def moviepy_way(clip: Path, out: Path, seconds: float, tpl) -> None:  # type: ignore[no-untyped-def]
    """What a Python developer writes first: per-frame compositing in MoviePy for each platform."""
    from videokit.tools import pin_moviepy_ffmpeg

    pin_moviepy_ffmpeg()
    from moviepy import (
        ColorClip,
        CompositeVideoClip,
        ImageClip,
        TextClip,
        VideoFileClip,
        concatenate_videoclips,
        vfx,
    )

    out.mkdir(parents=True, exist_ok=True)
    font = str(Path(__file__).resolve().parent.parent / "brand/musterstadt/fonts/OpenSans-Bold.ttf")
    src = VideoFileClip(str(clip))
    for name in ("tiktok", "youtube"):
        W, H = PLATFORMS[name].size
        bg = src.resized((W, H)).with_effects([vfx.MultiplyColor(0.6)])
        fg = src.resized(width=W) if W < H else src.resized(height=H)
        lower = (TextClip(font=font, text="Sven Muster\nOberbürgermeister", font_size=48, color="white",
                          bg_color=(11, 79, 138)).with_start(1).with_duration(7).with_position((90, int(H * 0.45))))
        sub = TextClip(font=font, text="Untertitel über die Königsstraße", font_size=44, color="white",
                       stroke_color="black", stroke_width=3).with_duration(seconds).with_position(("center", int(H * 0.6)))
        body = CompositeVideoClip([bg, fg.with_position("center"), lower, sub], size=(W, H)).with_duration(seconds)
        card = ColorClip((W, H), color=(11, 79, 138), duration=2.5)
        logo = ImageClip(str(Path(__file__).resolve().parent.parent / "brand/musterstadt/logo.png")).with_duration(2.5)
        intro = CompositeVideoClip([card, logo.with_position("center")])
        final = concatenate_videoclips([intro, body, intro])
        enc = EncoderSettings(tpl.preset, tpl.crf, tpl.fps)
        final.write_videofile(str(out / f"{name}.mp4"), fps=tpl.fps, codec="libx264", audio_codec="aac",
                              preset=tpl.preset, logger=None,
                              ffmpeg_params=["-crf", str(tpl.crf), "-maxrate", enc.video_args(PLATFORMS[name])["maxrate"],
                                             "-bufsize", enc.video_args(PLATFORMS[name])["bufsize"]])


if __name__ == "__main__":
    main()
