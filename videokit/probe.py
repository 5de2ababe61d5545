"""ffprobe → MediaInfo: what a clip really is once rotation, SAR, HDR and VFR are taken into account."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from videokit.errors import InputError
from videokit.tools import ffprobe_bin, run_capture

HDR_TRANSFERS = {"arib-std-b67", "smpte2084"}
# avg vs nominal frame rate differing by more than this marks a clip as variable frame rate
VFR_TOLERANCE = 0.02
STILL_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "tiff_pipe", "bmp_pipe"}


@dataclass(slots=True)
class MediaInfo:
    path: Path
    duration: float
    width: int = 0
    height: int = 0
    rotation: int = 0
    fps: float = 0.0
    is_vfr: bool = False
    video_codec: str = ""
    pix_fmt: str = ""
    color_range: str = ""  # "tv" (limited), "pc" (full) or "" when untagged
    color_transfer: str = ""
    color_primaries: str = ""
    color_space: str = ""
    has_video: bool = False
    has_audio: bool = False
    audio_codec: str = ""
    audio_rate: int = 0
    audio_channels: int = 0
    is_still: bool = False
    format_tags: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "duration": round(self.duration, 3), "width": self.width,
            "height": self.height, "rotation": self.rotation, "fps": round(self.fps, 3),
            "is_vfr": self.is_vfr, "hdr": self.is_hdr, "has_audio": self.has_audio,
        }


def ffprobe_json(path: Path, packets: bool = False) -> dict[str, Any]:
    """Raw ffprobe JSON, or an InputError naming the file and what is wrong with it. `packets`: every packet's
    stream and presentation time too (read from the container, nothing decoded)."""
    if not path.exists():
        raise InputError.for_file(path, "file not found", "check the path")
    if path.is_dir():
        raise InputError.for_file(path, "is a folder, not a media file")
    if path.stat().st_size == 0:
        raise InputError.for_file(path, "file is empty (0 bytes)", "copy it from the phone again")
    proc = run_capture([
        ffprobe_bin(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
        *(("-show_entries", "packet=stream_index,pts_time") if packets else ()), str(path),
    ])
    if proc.returncode != 0:
        reason = _without_path(_last_line(proc.stderr), path) or "ffprobe could not read it"
        raise InputError.for_file(
            path, f"not a readable video or audio file ({reason})",
            "the file may be truncated, corrupt or not media at all; export or copy it again",
        )
    return json.loads(proc.stdout or "{}")


def probe(path: Path | str, packets: bool = False) -> MediaInfo:
    path = Path(path)
    data = ffprobe_json(path, packets)
    fmt = data.get("format", {})
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not s.get("disposition", {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    info = MediaInfo(path=path, duration=_duration(fmt, video, audio), raw=data,
                     format_tags={k.lower(): str(v) for k, v in fmt.get("tags", {}).items()})
    info.is_still = fmt.get("format_name", "") in STILL_FORMATS
    if video:
        _fill_video(info, video)
    if audio:
        info.has_audio = True
        info.audio_codec = audio.get("codec_name", "")
        info.audio_rate = int(audio.get("sample_rate") or 0)
        info.audio_channels = int(audio.get("channels") or 0)
    return info


def probe_clip(path: Path | str) -> MediaInfo:
    """Probe an input that must be a playable video clip (the render job's inputs)."""
    info = probe(path)
    if not info.has_video or info.is_still:
        raise InputError.for_file(info.path, "has no video stream", "pass a video clip (mp4, mov)")
    if info.width <= 0 or info.height <= 0:
        raise InputError.for_file(info.path, "video stream has no picture size", "the file is damaged")
    if info.duration <= 0.05:
        raise InputError.for_file(info.path, "has no playable duration", "the file is truncated or empty")
    return info


def _fill_video(info: MediaInfo, s: dict[str, Any]) -> None:
    info.has_video = True
    info.video_codec = s.get("codec_name", "")
    info.pix_fmt = s.get("pix_fmt", "")
    info.color_range = s.get("color_range", "")
    info.color_transfer = s.get("color_transfer", "")
    info.color_primaries = s.get("color_primaries", "")
    info.color_space = s.get("color_space", "")
    info.rotation = _rotation(s)
    w, h = int(s.get("width") or 0), int(s.get("height") or 0)
    sar = _ratio(s.get("sample_aspect_ratio", "1:1")) or Fraction(1)
    w = round(w * sar) if sar != 1 else w  # display width: non-square pixels widened, never stretched
    if info.rotation % 180:
        w, h = h, w
    info.width, info.height = w, h
    nominal = _ratio(s.get("r_frame_rate", "0/1"))
    average = _ratio(s.get("avg_frame_rate", "0/1"))
    info.fps = float(average or nominal or 0)
    if nominal and average:
        info.is_vfr = abs(float(nominal) - float(average)) / float(nominal) > VFR_TOLERANCE


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return int(round(float(side["rotation"]))) % 360
    rotate = stream.get("tags", {}).get("rotate")
    return (-int(rotate)) % 360 if rotate else 0


def _duration(fmt: dict[str, Any], *streams: dict[str, Any] | None) -> float:
    for candidate in [fmt.get("duration")] + [s.get("duration") for s in streams if s]:
        try:
            value = float(candidate)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if value > 0:
            return value
    return 0.0


def _ratio(text: str | None) -> Fraction | None:
    if not text or text in ("0/0", "N/A"):
        return None
    try:
        value = Fraction(text.replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        return None
    return value or None


def _without_path(line: str, path: Path) -> str:
    """ffprobe starts its line with the file name ("X: Invalid data ..."); the message names the file once."""
    prefix = f"{path}: "
    return line[len(prefix):] if line.startswith(prefix) else line


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def verify_demux(path: Path) -> None:
    """Read every packet once (no decoding: cheap) so a clip cut off mid-copy fails before rendering."""
    proc = run_capture([ffprobe_bin(), "-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets",
                        "-of", "csv=p=0", str(path)])
    problem = proc.stderr.strip().splitlines()
    if proc.returncode != 0 or problem:
        detail = problem[0] if problem else "cannot be read to the end"
        if "]" in detail:
            detail = detail.split("]", 1)[1].strip()
        raise InputError.for_file(path, f"is damaged or incomplete ({detail})", "copy it from the phone again")
