"""The editor's faces (file logic, no server): the tracks a render blurred or kept (`<name>.faces.json`), shown on
the video's clock; a blurred face released or a region added becomes a setting of the job file (`keep_faces`,
`[[blur_region]]` on the recording's own time), which the next render follows."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from videokit.faceblur.choose import KeepPoint, parse_keep_point
from videokit.filetxn import replace_together
from videokit.review.project import Project, job_pointing_at
from videokit.textfile import read_toml

MAX_ITEMS = 200  # releases or regions in one save
REGION_SECONDS = 3.0  # a region drawn on a paused frame lasts this long unless the page says otherwise


def faces_file(project: Project) -> Path:
    return project.folder / f"{project.name}.faces.json"


def faces_for_page(project: Project) -> dict[str, Any] | None:
    """The tracks on the video's clock (looks outside the kept pieces left out), the job's releases and regions."""
    path = faces_file(project)
    if not path.is_file() or not project.pieces:
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    job = read_toml(project.job_file)
    tracks = []
    for clip in data.get("clips", []):
        for track in clip.get("tracks", []):
            boxes = [[round(t, 3), *look] for at, *look in track["looks"]
                     if (t := video_time(project, clip["clip"], at)) is not None]
            if boxes:
                tracks.append({"clip": clip["clip"], "blurred": track["blurred"], "boxes": boxes})
    first = next(iter(data.get("clips", [])), {})
    keep = []
    for text in job.get("keep_faces", []):
        point = parse_keep_point(text)
        keep.append({"text": text, "t": video_time(project, point.clip, point.t), "x": point.x, "y": point.y})
    regions = [{**r, "video_start": video_time(project, int(r.get("clip", 1)), float(r["start"]))}
               for r in job.get("blur_region", [])]
    return {"mode": data.get("mode", "none"), "aspect": first.get("width", 16) / max(1, first.get("height", 9)),
            "tracks": tracks, "keep": keep, "regions": regions}


def video_time(project: Project, clip: int, at: float) -> float | None:
    """A moment of clip `clip`'s recording on the video's clock; None where the render left it out."""
    offset = 0.0
    for piece in project.pieces:
        if piece.clip == clip and piece.start - 1e-3 <= at <= piece.end + 1e-3:
            return project.intro + offset + min(max(at, piece.start), piece.end) - piece.start
        offset += piece.end - piece.start
    return None


def recording_time(project: Project, t: float) -> tuple[int, float] | None:
    """A moment of the video (its clock) as (clip, seconds of its recording); None in the intro or outro."""
    body, offset = t - project.intro, 0.0
    for piece in project.pieces:
        length = piece.end - piece.start
        if offset - 1e-3 <= body <= offset + length + 1e-3:
            return piece.clip, round(piece.start + min(max(body - offset, 0.0), length), 3)
        offset += length
    return None


def validate_faces(payload: Any, project: Project, duration: float | None) -> dict[str, list[Any]]:
    """The page's request (video time, 0..1 of the picture) checked and carried onto the recording's time."""
    if not isinstance(payload, dict):
        raise ValueError("send {\"keep\": [...], \"regions\": [...], \"drop_keep\": [...], \"drop_regions\": [...]}")
    lists = {key: payload.get(key, []) for key in ("keep", "regions", "drop_keep", "drop_regions")}
    for key, value in lists.items():
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise ValueError(f"{key} must be a list of at most {MAX_ITEMS}")
    keep = []
    for n, item in enumerate(lists["keep"], 1):
        t, x, y = (_number(item, k, f"face {n} to release") for k in ("t", "x", "y"))
        _inside(t, duration, f"face {n} to release")
        _share(x, y, f"face {n} to release")
        where = recording_time(project, t)
        if where is None:
            raise ValueError(f"face {n} to release: {t:.2f} s is in the intro or outro, where nobody is blurred")
        keep.append(KeepPoint(where[0], x, y, where[1]))
    regions = []
    for n, item in enumerate(lists["regions"], 1):
        start, end, x, y, w, h = (_number(item, k, f"region {n}") for k in ("start", "end", "x", "y", "w", "h"))
        _inside(start, duration, f"region {n}")
        _inside(end, duration, f"region {n}")
        _share(x, y, f"region {n}")
        if end <= start or not (0 < w <= 1 - x + 1e-6 and 0 < h <= 1 - y + 1e-6):
            raise ValueError(f"region {n}: it must end after it starts and lie inside the picture")
        a, b = recording_time(project, start), recording_time(project, end)
        if a is None or b is None or a[0] != b[0] or b[1] <= a[1]:
            raise ValueError(f"region {n}: from {start:.2f} to {end:.2f} s is not one stretch of one clip")
        regions.append({"clip": a[0], "start": a[1], "end": b[1], "x": round(x, 4), "y": round(y, 4),
                        "w": round(w, 4), "h": round(h, 4)})
    drops = {}
    for key in ("drop_keep", "drop_regions"):
        if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in lists[key]):
            raise ValueError(f"{key} must list numbers of saved entries (from 0)")
        drops[key] = lists[key]
    return {"keep": keep, "regions": regions, **drops}


def save_faces(project: Project, change: dict[str, list[Any]]) -> list[Path]:
    """The job file with the releases and regions added (and the dropped ones removed), written whole or not."""
    job = read_toml(project.job_file)
    keep = [p for i, p in enumerate(job.get("keep_faces", [])) if i not in set(change["drop_keep"])]
    keep += [str(p) for p in change["keep"]]
    regions = [r for i, r in enumerate(job.get("blur_region", [])) if i not in set(change["drop_regions"])]
    regions += change["regions"]
    data = {k: v for k, v in job.items() if k not in ("keep_faces", "blur_region")}
    if keep:
        data["keep_faces"] = keep
        if data.get("blur_faces", "none") == "none":
            data["blur_faces"] = "others"
    if regions:
        data["blur_region"] = regions
    return replace_together({project.job_file: job_pointing_at(project.job_file, data, {})})


def _number(item: Any, key: str, what: str) -> float:
    value = item.get(key) if isinstance(item, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what}: {key} must be a number")
    return float(value)


def _inside(t: float, duration: float | None, what: str) -> None:
    if t < 0 or (duration is not None and t > duration + 1e-3):
        raise ValueError(f"{what}: {t:.2f} s is outside the video")


def _share(x: float, y: float, what: str) -> None:
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(f"{what}: the place must be given as shares of the picture, 0 to 1")
