"""A timeline's faces found, followed and chosen; each clip segment given its patches; what was done, counted.

Runs beside Whisper and the camera path (one small decode per clip, cached by content). The review editor reads
the tracks from `<name>.faces.json`, so the person checking can release a blurred face or add a region.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from videokit.faceblur.choose import KeepPoint, blurred
from videokit.faceblur.detect import find_faces
from videokit.faceblur.patches import BlurRegion, region_patch, track_patches
from videokit.faceblur.tracks import build_tracks
from videokit.textfile import write_text_atomic
from videokit.timeline import ClipSegment


@dataclass(slots=True)
class BlurReport:
    mode: str
    blurred_seconds: list[float] = field(default_factory=list)  # one entry per person blurred
    kept: int = 0
    regions: int = 0
    missed: list[KeepPoint] = field(default_factory=list)  # keep points that named no face
    clips: list[dict[str, Any]] = field(default_factory=list)  # the tracks, for the review editor

    def summary(self) -> str:
        if not self.blurred_seconds and not self.regions:
            line = "faces blurred: nobody" + (" (nobody but the speaker seen)" if self.kept else " (no face seen)")
        else:
            people = len(self.blurred_seconds)
            line = (f"faces blurred: {people} {'person' if people == 1 else 'people'}, "
                    f"{sum(self.blurred_seconds):.1f} s in all")
            if self.blurred_seconds:
                line += f" (longest {max(self.blurred_seconds):.1f} s)"
            if self.regions:
                line += f", {self.regions} region(s) by hand"
        if self.kept:
            line += f"; {self.kept} kept (speaking or named)"
        for point in self.missed:
            line += f"; --keep-face {point}: no face there, nobody kept for it"
        return line

    def as_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "clips": self.clips}


def plan_blur(clips: list[ClipSegment], mode: str, points: list[KeepPoint], regions: list[BlurRegion]) -> BlurReport:
    """Sets each segment's `blur`; `points` and `regions` are on each clip's own time (clip numbers from 1)."""
    report = BlurReport(mode)
    for number, seg in enumerate(clips, 1):
        if seg.still_image:
            continue
        span = seg.source_span
        patches: list[dict[str, Any]] = []
        mine = [r for r in regions if r.clip == number]
        for region in mine:
            patch = region_patch(region, seg.width, seg.height, seg.start, span)
            if patch is not None:
                patches.append(patch)
                report.regions += 1
        entry: dict[str, Any] = {"clip": number, "path": seg.path, "start": seg.start, "width": seg.width,
                                 "height": seg.height, "tracks": []}
        if mode != "none":
            samples = find_faces(seg.path, seg.width, seg.height, seg.start, span)
            tracks = build_tracks(samples, span)
            relative = [KeepPoint(p.clip, p.x, p.y, p.t - seg.start) for p in points if p.clip == number]
            hidden, kept, missed = blurred(tracks, mode, relative)
            report.missed += [KeepPoint(p.clip, p.x, p.y, p.t + seg.start) for p in missed]
            report.kept += len(kept)
            for i in hidden:
                patches += track_patches(tracks[i], seg.width, seg.height, 0.0, span)
                report.blurred_seconds.append(round(tracks[i].duration, 1))
            entry["tracks"] = [{"blurred": i in hidden, "start": round(tr.start + seg.start, 3),
                                "end": round(tr.end + seg.start, 3),
                                "looks": [[round(t + seg.start, 3), *look] for t, *look in tr.looks]}
                               for i, tr in enumerate(tracks)]
        seg.blur = patches
        report.clips.append(entry)
    return report


def write_faces(report: BlurReport, path: Path) -> Path:
    """The faces found and what became of each, for the review editor (release one, add a region)."""
    return write_text_atomic(path, json.dumps(report.as_json(), ensure_ascii=False))
