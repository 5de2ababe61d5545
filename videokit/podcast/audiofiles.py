"""The audio-only episode for podcast feeds: MP3 (ID3v2.3) and M4A, with tags, chapters and cover art.

The render writes the sound; tags, chapters and the cover are added by a stream-copy remux (a second or less),
because ffmpeg-python would drop a metadata input that feeds no filter.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from videokit.check import LOUDNESS_TOLERANCE, MAX_TRUE_PEAK
from videokit.errors import CheckFailed, RenderError
from videokit.podcast.chapters import Chapter
from videokit.render.loudness import measure_file
from videokit.tools import ffmpeg_bin, ffprobe_bin

PODCAST_RATE = 44100  # what podcast apps and their loudness guides expect
PODCAST_KBPS = 128
FORMATS: dict[str, dict[str, object]] = {
    "mp3": {"c:a": "libmp3lame", "b:a": f"{PODCAST_KBPS}k", "ar": PODCAST_RATE, "ac": 2, "f": "mp3",
            "write_xing": 1},
    "m4a": {"c:a": "aac", "aac_coder": "fast", "b:a": f"{PODCAST_KBPS}k", "ar": PODCAST_RATE, "ac": 2, "f": "ipod",
            "movflags": "+faststart"},
}


@dataclass(frozen=True, slots=True)
class EpisodeTags:
    title: str
    artist: str  # the brand's name: who publishes
    album: str  # the show
    episode: int | None
    day: date

    def ffmetadata(self, chapters: list[Chapter], duration: float) -> str:
        lines = [";FFMETADATA1", f"title={_esc(self.title)}", f"artist={_esc(self.artist)}",
                 f"album_artist={_esc(self.artist)}", f"album={_esc(self.album)}", "genre=Podcast",
                 f"date={self.day.isoformat()}"]
        if self.episode is not None:
            lines.append(f"track={self.episode}")
        for i, chapter in enumerate(chapters):
            end = chapters[i + 1].start if i + 1 < len(chapters) else duration
            lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(chapter.start * 1000)}", f"END={int(end * 1000)}",
                      f"title={_esc(chapter.title)}"]
        return "\n".join(lines) + "\n"


def finish_audio_file(rendered: Path, kind: str, tags: EpisodeTags, chapters: list[Chapter], duration: float,
                      cover: Path | None, work: Path, target_lufs: float) -> None:
    """Tag `rendered` in place (remux through a temp file), then check it: loudness, chapters, tags."""
    meta = work / f"tags-{kind}.txt"
    meta.write_text(tags.ffmetadata(chapters, duration), encoding="utf-8")
    tagged = rendered.with_name(rendered.name + ".tagged")
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(rendered), "-i", str(meta)]
    if cover is not None:
        argv += ["-i", str(cover)]
    argv += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c:a", "copy"]
    if cover is not None:
        argv += ["-map", "2:v", "-c:v", "png", "-disposition:v", "attached_pic"]
    if kind == "mp3":
        argv += ["-id3v2_version", "3", "-write_xing", "1", "-f", "mp3"]
    else:
        argv += ["-movflags", "+faststart", "-f", "ipod"]
    argv.append(str(tagged))
    proc = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        tagged.unlink(missing_ok=True)
        raise RenderError(f"{rendered.name}: tagging failed ({(proc.stderr.strip().splitlines() or ['?'])[-1]})")
    tagged.replace(rendered)
    problem = audio_problem(rendered, target_lufs, len(chapters), tags)
    if problem:
        raise CheckFailed(f"{rendered.name}: {problem}; nothing was published")


def audio_problem(path: Path, target_lufs: float, chapters: int, tags: EpisodeTags) -> str:
    """'' when the file is what podcast apps expect, else what is wrong."""
    import json

    probe = subprocess.run([ffprobe_bin(), "-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of",
                            "json", str(path)], capture_output=True, text=True)
    info = json.loads(probe.stdout or "{}")
    audio = [s for s in info.get("streams", []) if s.get("codec_type") == "audio"]
    if not audio or int(audio[0].get("sample_rate", 0)) != PODCAST_RATE:
        return f"audio is not {PODCAST_RATE} Hz"
    found_tags = {k.lower(): v for k, v in info.get("format", {}).get("tags", {}).items()}
    if found_tags.get("title") != tags.title:
        return "title tag missing"
    if len(info.get("chapters", [])) != chapters:
        return f"{len(info.get('chapters', []))} chapters written, {chapters} planned"
    loudness = measure_file(str(path))
    if loudness and abs(loudness["input_i"] - target_lufs) > LOUDNESS_TOLERANCE:
        return f"loudness {loudness['input_i']:.1f} LUFS, target {target_lufs:g}"
    if loudness and loudness["input_tp"] > MAX_TRUE_PEAK:
        return f"true peak {loudness['input_tp']:.1f} dBTP over {MAX_TRUE_PEAK:g}"
    return ""


def _esc(value: str) -> str:
    """ffmetadata escaping: = ; # \\ and newlines."""
    for ch in ("\\", "=", ";", "#"):
        value = value.replace(ch, "\\" + ch)
    return value.replace("\n", " ")
