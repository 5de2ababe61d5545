"""`--split`: a video longer than a channel takes (WhatsApp's status: 60 s) published as numbered parts.

The parts are stream copies of the rendered file (ffmpeg's segment muxer), cut at key frames (the encoder's closed GOP puts one every half
second), into parts of about equal length, each cut at a key frame in a pause between captions where one lies in
reach, so a part ends after a sentence, not inside a word. Each part is under the channel's length and size cap: the bitrate was fitted to the
part length (platforms.fitted_to_size), and each part is checked against the channel before any is published.
"""

from __future__ import annotations

import glob
import math
import os
from pathlib import Path

from videokit.check import CheckReport, check_file, refuse_failed
from videokit.errors import CheckFailed
from videokit.platforms import Platform
from videokit.render.run import atomic_outputs, run_ffmpeg
from videokit.timeline import Cue
from videokit.tools import ffmpeg_bin, ffprobe_bin, run_capture

PAUSE_REACH = 0.04  # a key frame a frame before or after a pause still cuts in it (the caption's rounding)
SHORTEST_SHARE = 0.5  # a part is at least half its even share of the video, wherever the pauses are
SHORTEST_PAUSE = 0.3  # seconds between two captions that count as a pause to cut in
END_MARGIN = 0.1  # seconds a part stays under the longest length (the last frame's duration, the AAC frames)


def caption_pauses(cues: list[Cue], offset: float) -> list[tuple[float, float]]:
    """The gaps between captions long enough to be a pause, on video time (`offset`: the intro)."""
    return [(offset + a.end, offset + b.start) for a, b in zip(cues, cues[1:]) if b.start - a.end >= SHORTEST_PAUSE]


def key_frames(path: Path) -> list[float]:
    """The presentation times of the video's key frames (packets flagged K; no decode)."""
    proc = run_capture([ffprobe_bin(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "packet=pts_time,flags", "-of", "csv=p=0", str(path)])
    times = []
    for line in proc.stdout.splitlines():
        time, _, flags = line.partition(",")
        if "K" in flags and time.replace(".", "", 1).isdigit():
            times.append(float(time))
    return sorted(times)


def part_bounds(total: float, longest: float, keys: list[float], pauses: list[tuple[float, float]]) -> list[float]:
    """Where to cut a `total`-second video into as few parts of at most `longest` seconds as it takes, of about
    equal length (no 5 s stub after a 60 s part): each cut the key frame nearest the even share that lies in a
    pause (`pauses`: the gaps between captions, start and end), else the key frame nearest it. Pure: the tests
    give it the times."""
    cuts: list[float] = []
    start, most = 0.0, longest - END_MARGIN
    while total - start > most:
        left = math.ceil((total - start) / most)  # parts still to make
        target = start + (total - start) / left
        # in reach: not shorter than half the share, not longer than the channel takes, and leaving no more
        # than the parts after it can hold
        reach = [k for k in keys if start + (target - start) * SHORTEST_SHARE <= k <= start + most
                 and total - k <= (left - 1) * most]
        if not reach:
            raise CheckFailed(f"no key frame between {start + (target - start) * SHORTEST_SHARE:.1f} s and "
                              f"{start + most:.1f} s to cut a part at")
        quiet = [k for k in reach if any(a - PAUSE_REACH <= k <= b + PAUSE_REACH for a, b in pauses)]
        cut = min(quiet or reach, key=lambda k: abs(k - target))
        cuts.append(cut)
        start = cut
    return cuts


def split_into_parts(video: Path, platform: Platform, fps: int, pauses: list[tuple[float, float]], total: float,
                     target_lufs: float) -> tuple[list[Path], list[CheckReport]]:
    """`<name>_<platform>_1.mp4`, `_2.mp4`, ... beside `video`, all checked and published or none; the whole
    file is removed once they are (it is longer than the channel takes)."""
    cuts = part_bounds(total, platform.max_duration, key_frames(video), pauses)
    finals = {str(i): video.with_name(f"{video.stem}_{i}.mp4") for i in range(1, len(cuts) + 2)}
    with atomic_outputs(finals) as temps:
        # the segment muxer cuts at the first key frame at or after each time: exactly the chosen ones. (Input
        # seeking with -t kept a frame of the next GOP: B-frames put its decode time before the cut.)
        pattern = video.with_name(f".{video.stem}.{os.getpid()}.segment-%d.mp4")
        made = [Path(str(pattern).replace("%d", str(i))) for i in range(len(finals))]
        try:
            run_ffmpeg([ffmpeg_bin(), "-nostdin", "-v", "error", "-y", "-i", str(video), "-map", "0", "-c", "copy",
                        "-map_metadata", "-1", "-map_chapters", "-1", "-f", "segment",
                        "-segment_times", ",".join(f"{c:.3f}" for c in cuts), "-reset_timestamps", "1",
                        "-segment_format", "mp4", "-segment_format_options", "movflags=+faststart", str(pattern)],
                       0.0, f"parts of {video.name}", [str(video)], progress=False)
            if not all(path.is_file() for path in made):
                raise CheckFailed(f"{video}: ffmpeg made {sum(p.is_file() for p in made)} parts, not {len(made)}")
            for path, key in zip(made, finals):
                path.replace(temps[key])
        finally:
            for path in made:
                path.unlink(missing_ok=True)
        # the loudness is the whole video's (checked when it was rendered); a part's own can differ by its speech
        reports = [check_file(temps[key], platform, fps, target_lufs, loudness=False) for key in finals]
        for key, report in zip(finals, reports):
            report.path = finals[key]
        refuse_failed(reports, "no part was published")
        for key, final in finals.items():
            temps[key].replace(final)
    video.unlink()
    for stale in video.parent.glob(f"{glob.escape(video.stem)}_*.mp4"):  # parts of a longer take, now wrong
        number = stale.stem[len(video.stem) + 1:]
        if number.isdigit() and int(number) > len(finals):
            stale.unlink()
    return list(finals.values()), reports
