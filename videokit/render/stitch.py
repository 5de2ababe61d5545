"""The brand's closing card joined by stream copy: encoded once per picture and setting, never again per job.

The outro is the same animation in every video of a brand, so encoding its frames in every render is work done
again and again (a tenth of a one-minute news clip's encode). The render instead writes the intro and body (video
only) in one process and the whole program's sound in another beside it (graph.build_sound: the picture need not
wait for the loudness measurement, and ffmpeg 5.1's one filtering thread need not run the AAC encoder); the cached
outro, encoded with the very same x264 settings, is appended by ffmpeg's concat demuxer without decoding
(`-c copy`), and the sound is laid under it.

Why the join is safe:
- x264's `stitchable` option makes the headers depend on the settings only, not on the content, so both encodes
  carry byte-identical SPS/PPS (checked before every join; a mismatch re-renders the job in one piece);
- every GOP is closed and the outro starts with an IDR frame, so nothing in it refers to a frame before it;
- the concat list gives the first part's exact length (frames / fps), so the outro's frames continue the clock
  one frame apart and the sound, encoded in one piece, stays in sync to the sample.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from videokit.cache import cache_dir, content_key
from videokit.mp4box import child_box, read_top_level
from videokit.platforms import Platform
from videokit.timeline import Timeline
from videokit.tools import ffmpeg_bin


@dataclass(frozen=True, slots=True)
class OutroJoin:
    """One encoded picture whose outro is appended by stream copy."""

    platform: str  # the encoded picture's platform name (its group's leader)
    video: str  # the render writes the intro and body here, video only
    audio: str  # ... and build_sound the program's whole sound here
    outro: str  # the cached outro, encoded with the same settings
    seconds: float  # length of `video`: its frames / fps, where the outro's clock starts
    out: str  # the joined file (the render's temp output of this platform)


class HeaderMismatch(Exception):
    """The two encodes' stream headers differ (a changed encoder): the job is rendered in one piece instead."""


def outro_is_joinable(timeline: Timeline) -> bool:
    """An outro without a per-job title layer is the same pixels in every job: it can be encoded once."""
    return timeline.outro is not None and not timeline.outro.titles


def plan_joins(timeline: Timeline, platforms: list[Platform], video_args: dict[str, dict[str, Any]],
               outs: dict[str, str], seconds: float) -> dict[str, OutroJoin]:
    """The joins of every encoded picture (`platforms` as the graph encodes them, `video_args` their x264
    settings, `outs` their output files); `seconds`: the picture's length before the outro (its frames / fps).
    Empty when the outro is not joinable."""
    if not outro_is_joinable(timeline):
        return {}
    assert timeline.outro is not None
    joins = {}
    for platform in platforms:
        out = outs[platform.name]
        joins[platform.name] = OutroJoin(
            platform=platform.name,
            video=stage_path(out, "picture"),
            audio=stage_path(out, "sound"),
            outro=str(encoded_outro_path(timeline.outro.files[platform.name], video_args[platform.name])),
            seconds=seconds,
            out=out,
        )
    return joins


def stage_path(out: str, role: str) -> str:
    """An intermediate file beside the output, named like its temp file (`.<name>.<pid>.part.mp4` →
    `.<name>.<pid>.part.picture.part.mp4`): on the output's disk (an hour's podcast would not fit a RAM-backed
    /tmp), and a re-run after a killed render sweeps it away with the output's other temp files."""
    return str(Path(out).with_suffix(f".{role}.part.mp4"))


def encoded_outro_path(card_file: str, video_args: dict[str, Any]) -> Path:
    """Cache path of the card encoded with these settings; the ffmpeg build is part of the key, so an upgraded
    encoder (whose headers might differ) encodes it afresh."""
    binary = Path(ffmpeg_bin()).resolve()
    stat = binary.stat()
    key = content_key({"card": Path(card_file).name, "args": video_args,
                       "ffmpeg": [str(binary), stat.st_size, stat.st_mtime_ns]})
    return cache_dir("cards") / f"{Path(card_file).stem}-encoded-{key}.mp4"


def encode_outro_argv(card_video: Any, video_args: dict[str, Any], path: str, ffmpeg_cmd: str) -> list[str]:
    """argv that encodes the outro's frames (the graph's own card chain) with the render's video settings."""
    out = ffmpeg.output(card_video.filter("format", pix_fmts="yuv420p"), path, f="mp4", map_metadata=-1,
                        map_chapters=-1, **video_args)
    return out.global_args("-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y").compile(cmd=ffmpeg_cmd)


def join_argv(join: OutroJoin, list_file: Path, ffmpeg_cmd: str) -> list[str]:
    """argv that appends the outro to the picture by stream copy and lays the sound under both (faststart);
    `list_file` is the concat list write_concat_list writes."""
    return [ffmpeg_cmd, "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y",
            # auto_convert 0: no mp4-to-Annex-B round trip, which would add the SPS/PPS to every keyframe
            "-f", "concat", "-safe", "0", "-auto_convert", "0", "-i", str(list_file), "-i", join.audio,
            "-map", "0:v", "-map", "1:a", "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
            "-movflags", "+faststart", "-f", "mp4", join.out]


def write_concat_list(join: OutroJoin, list_file: Path) -> None:
    """The picture, with its exact length (the outro's clock starts there), then the outro. Absolute paths: the
    concat demuxer reads a relative one from the list's folder, not from ours (`--out out/`)."""
    list_file.write_text(
        "ffconcat version 1.0\n"
        f"file {concat_quote(os.path.abspath(join.video))}\nduration {join.seconds:.6f}\n"
        f"file {concat_quote(os.path.abspath(join.outro))}\n",
        encoding="utf-8")


def concat_quote(path: str) -> str:
    """A path as the concat demuxer's list reads it: single-quoted, a quote written as '\\''."""
    return "'" + path.replace("'", "'\\''") + "'"


def avc_config(path: str) -> bytes:
    """The mp4's H.264 decoder configuration (the avcC box: profile, level, SPS and PPS), read from the box tree
    without a process: moov > trak > mdia > minf > stbl > stsd > avc1 > avcC (both files joined hold one track).
    Empty when there is none."""
    with open(path, "rb") as fh:
        data = read_top_level(fh, b"moov")
    for kind in (b"trak", b"mdia", b"minf", b"stbl", b"stsd"):
        if data is None:
            return b""
        data = child_box(data, kind)
    if data is None or len(data) < 8:
        return b""
    entry = child_box(data[8:], b"avc1")  # stsd: version, flags and an entry count, then the sample entries
    # a visual sample entry holds 78 bytes of fields before its child boxes
    config = child_box(entry[78:], b"avcC") if entry is not None and len(entry) > 78 else None
    return config or b""


def check_headers(join: OutroJoin) -> None:
    """Raise HeaderMismatch (and drop the cached outro) when the picture's and the outro's headers differ."""
    headers = avc_config(join.video)
    if not headers or headers != avc_config(join.outro):
        Path(join.outro).unlink(missing_ok=True)
        raise HeaderMismatch(join.platform)


