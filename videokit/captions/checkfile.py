"""The captions `videokit check --captions` reads: an SRT/VTT, or the sidecar beside a video (burned-in captions
are pixels: only a caption file can be checked cue by cue)."""

from __future__ import annotations

from pathlib import Path

from videokit.captions.formats import read_subtitles
from videokit.errors import InputError
from videokit.timeline import Cue

VIDEO = (".mp4", ".mov", ".m4v", ".mkv", ".webm")


def captions_of(path: Path, fps: int | None = None) -> tuple[Path, list[Cue], float]:
    """(the caption file read, its cues, the frame rate gaps are counted in)."""
    if not path.exists():
        raise InputError.for_file(path, "not found", "give an .srt or .vtt, or a video with one beside it")
    if path.suffix.lower() not in VIDEO:
        # a sidecar beside its video: gaps are counted in the video's frames
        video = next((path.with_suffix(s) for s in VIDEO if path.with_suffix(s).is_file()), None)
        return path, read_subtitles(path), float(fps) if fps else _frame_rate(video) if video else 25.0
    sidecar = next((p for p in (path.with_suffix(".srt"), path.with_suffix(".vtt")) if p.is_file()), None)
    if sidecar is None:
        raise InputError.for_file(path, "has no caption file beside it (.srt or .vtt of the same name)",
                                  "burned-in captions cannot be read back: check the SRT the render wrote")
    rate = float(fps) if fps else _frame_rate(path)
    return sidecar, read_subtitles(sidecar), rate


def _frame_rate(path: Path) -> float:
    from videokit.probe import probe

    info = probe(path)
    return info.fps if info.has_video and info.fps else 25.0
