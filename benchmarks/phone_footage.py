"""Phone footage at speed (issue 10): every figure is a ratio measured in this one run, on this machine.

    .venv/bin/python benchmarks/phone_footage.py [--seconds 60] [--uhd-seconds 10] [--only four,hdr,sdr,hd,hfr,title]

four   the four-platform render against the tiktok+youtube render of the same 1080p clip (intro, outro, lower
       third, burned SRT, cards cached)                                                       target <= 1.05x
hdr    the first render of a new phone clip: 4K HEVC 10-bit HLG (about 40 Mbit/s and a key frame every second,
       like an iPhone) to tiktok+youtube with the news template's defaults (--fit auto), no cards, no
       subtitles, the cache empty (no camera path, no tone-mapping table), against a plain ffmpeg transcode of
       the same file to both sizes from one decode with the same encoder settings and no tone mapping
                                                                                   target <= 1.25x (cold)
       beside it: the same clip again (warm: everything cached) and --fit blur, and the CPU-time ratios
sdr    the same for a 4K H.264 SDR clip (Android)                                   target <= 1.1x (cold)
hd     the same for a 1080p H.264 clip                                                        (printed)
hfr    the same for a 4K 60 fps HLG clip (output 30 fps)                                      (printed)
title  a title never rendered before (outro cached) to tiktok+youtube with intro, outro, lower third and burned
       SRT, against the plain two-size transcode                                              target <= 1.15x
       wall-clock medians, and the medians of CPU time (user+sys of the process tree): both jobs keep the two
       cores busy, so the CPU ratio is the wall ratio without the shared host's swings
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.platforms import PLATFORMS  # noqa: E402
from videokit.render.streams import EncoderSettings  # noqa: E402
from videokit.samplegen import make_clip, make_srt  # noqa: E402
from videokit.templates import load_template  # noqa: E402

VIDEOKIT = [sys.executable, "-m", "videokit"]
TWO = ("tiktok", "youtube")
FOUR = ("tiktok", "reels", "shorts", "youtube")  # the four presets of issue 10 (13 since issue 28)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the 1080p clip")
    ap.add_argument("--uhd-seconds", type=float, default=10.0, help="length of the 4K clips")
    ap.add_argument("--only", default="four,hdr,sdr,hd,hfr,title")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (medians are printed)")
    args = ap.parse_args()
    wanted = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="vk-phone-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    tpl = load_template("news")
    print(f"{os.cpu_count()} cores; x264 preset {tpl.preset}, crf {tpl.crf}, {tpl.fps} fps; work folder {work}")

    if wanted & {"four", "title"}:
        clip = make_clip(work / "phone 1080p.mp4", args.seconds, size=(1920, 1080), fps=30, audio="tone")
        srt = make_srt(work / "subs.srt", args.seconds)
    if "four" in wanted:
        job = ["--subtitles", str(srt), "--lower-third", "Sven Muster|Oberbürgermeister@1-8", "--title", "Vier"]
        videokit(clip, work / "warm", TWO, job)  # draws the cards once: the normal state after the first day
        two = timed(lambda: videokit(clip, work / "two", TWO, job))
        four = timed(lambda: videokit(clip, work / "four", FOUR, job))
        print(f"four  {args.seconds:g} s 1080p: tiktok+youtube {two:6.1f} s, all four {four:6.1f} s   "
              f"ratio {four / two:.3f}x (target <= 1.05x)")
    if "title" in wanted:
        job = ["--subtitles", str(srt), "--lower-third", "Sven Muster|Oberbürgermeister@1-8"]
        videokit(clip, work / "outro", TWO, ["--subtitles", "none", "--title", "Outro zwischenspeichern"])
        runs: dict[str, list[float]] = {"plain": [], "same": [], "new": []}
        cpu: dict[str, list[float]] = {"plain": [], "same": [], "new": []}
        for round_ in range(args.repeat):  # interleaved, so a busy moment of a shared host hits all three
            for key, run in (("plain", lambda: plain_two_sizes(clip, work / "plain-title", tpl)),
                             ("new", lambda: videokit(clip, work / "title", TWO,
                                                      job + ["--title", f"Neuer Titel {time.time_ns()}"])),
                             ("same", lambda: videokit(clip, work / "title", TWO, job + ["--title", "Gleicher Titel"]))):
                start = children_cpu()
                runs[key].append(timed(run))
                cpu[key].append(children_cpu() - start)
        plain, new, same = (statistics.median(runs[k]) for k in ("plain", "new", "same"))
        plain_cpu, new_cpu, same_cpu = (statistics.median(cpu[k]) for k in ("plain", "new", "same"))
        print(f"title {args.seconds:g} s 1080p (median of {args.repeat}): plain two-size transcode {plain:6.1f} s, "
              f"title never rendered before {new:6.1f} s = {new / plain:.3f}x (target <= 1.15x); the same title "
              f"again {same:6.1f} s = {same / plain:.3f}x. CPU time (user+sys, steadier on a shared host): plain "
              f"{plain_cpu:.1f} s, new title {new_cpu:.1f} s = {new_cpu / plain_cpu:.3f}x, same title "
              f"{same_cpu / plain_cpu:.3f}x")
    first = [("hdr", dict(size=(3840, 2160), hdr="hlg", fps=30, video_kbps=40000), "4K HEVC 10-bit HLG 30 fps",
              "target <= 1.25x cold"),
             ("sdr", dict(size=(3840, 2160), fps=30, video_kbps=40000), "4K H.264 SDR 30 fps", "target <= 1.1x cold"),
             ("hd", dict(size=(1920, 1080), fps=30, video_kbps=16000), "1080p H.264 30 fps", "printed"),
             ("hfr", dict(size=(3840, 2160), hdr="hlg", fps=60, video_kbps=50000), "4K HEVC 10-bit HLG 60 fps -> 30",
              "printed")]
    for key, opts, label, target in first:
        if key not in wanted:
            continue
        # a phone's clip: a key frame every second, as iPhones and Android cameras write them
        source = make_clip(work / f"{key} phone.mov", args.uhd_seconds, audio="tone", key_seconds=1.0, **opts)
        bare = ["--subtitles", "none", "--no-intro", "--no-outro", "--title", key]
        times: dict[str, list[float]] = {"plain": [], "cold": [], "warm": [], "blur": []}
        cpu: dict[str, list[float]] = {"plain": [], "cold": [], "warm": [], "blur": []}

        def measured(name: str, run: Callable[[], None]) -> None:
            start = children_cpu()
            times[name].append(timed(run))
            cpu[name].append(children_cpu() - start)

        for round_ in range(args.repeat):  # interleaved, medians printed
            measured("plain", lambda: plain_two_sizes(source, work / f"plain-{key}", tpl))
            # what a videographer meets: a new clip on a machine whose cache is empty (no camera path, no
            # tone-mapping table), with the news template's defaults (--fit auto) ...
            shutil.rmtree(work / "cache", ignore_errors=True)
            measured("cold", lambda: videokit(source, work / f"vk-{key}", TWO, bare))
            # ... and the same clip again, everything cached
            measured("warm", lambda: videokit(source, work / f"vk-{key}", TWO, bare))
            measured("blur", lambda: videokit(source, work / f"vk-{key}", TWO, bare + ["--fit", "blur"]))
        plain, cold, warm, blur = (statistics.median(times[k]) for k in ("plain", "cold", "warm", "blur"))
        plain_cpu, cold_cpu, warm_cpu = (statistics.median(cpu[k]) for k in ("plain", "cold", "warm"))
        print(f"{key:5} {args.uhd_seconds:g} s {label} (median of {args.repeat}): plain two-size transcode "
              f"{plain:6.1f} s; videokit first render, cache empty {cold:6.1f} s = {cold / plain:.3f}x ({target}), "
              f"{args.uhd_seconds / cold:.2f}x realtime; warm {warm:6.1f} s = {warm / plain:.3f}x; --fit blur "
              f"{blur:6.1f} s = {blur / plain:.3f}x. CPU time (user+sys, steadier on a shared host): plain "
              f"{plain_cpu:.1f} s, first render {cold_cpu:.1f} s = {cold_cpu / plain_cpu:.3f}x, warm "
              f"{warm_cpu / plain_cpu:.3f}x")


def children_cpu() -> float:
    """User+system seconds of every finished child process and its own children (ffmpeg under videokit)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def videokit(clip: Path, out: Path, platforms: tuple[str, ...], extra: list[str]) -> None:
    subprocess.run(VIDEOKIT + ["render", str(clip), "--out", str(out), "--platforms", ",".join(platforms),
                               "--force", *extra], check=True, stdout=subprocess.DEVNULL)


def plain_two_sizes(clip: Path, out: Path, tpl) -> None:  # type: ignore[no-untyped-def]
    """One decode, split, each branch scaled to its size (stretched: no framing), the same x264 settings and
    frame rate as videokit, AAC audio: the least any tool must do. No tone mapping."""
    out.mkdir(parents=True, exist_ok=True)
    enc = EncoderSettings(tpl.preset, tpl.crf, tpl.fps)
    argv = ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-filter_complex",
            f"[0:v]fps={tpl.fps},split=2[a][b];[a]scale=1080:1920,setsar=1[v1];[b]scale=1920:1080,setsar=1[v2]"]
    for name, label in (("tiktok", "[v1]"), ("youtube", "[v2]")):
        argv += ["-map", label, "-map", "0:a"]
        for key, value in enc.output_args(PLATFORMS[name]).items():
            argv += [f"-{key}", str(value)]
        argv.append(str(out / f"{name}.mp4"))
    subprocess.run(argv, check=True)


if __name__ == "__main__":
    main()
