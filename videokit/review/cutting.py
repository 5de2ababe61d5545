"""The editor's cuts (file logic, no server): words struck on the video's clock become ranges of the recording in
`<name>.cuts.toml`, which the job file then names; the words file's pieces carry body time back to the recording.
Cuts saved earlier are listed and can be brought back. An edited caption file follows the cut (its cues moved onto
the shorter body, the struck words taken out of their text), so "render again" needs nothing else."""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any

from videokit.captions.formats import read_subtitles
from videokit.captions.subtext import format_srt
from videokit.edits.cutfile import Cut, cuts_text, normalised, read_cuts, spoken_text, words_inside
from videokit.filetxn import replace_together
from videokit.review.project import Project, job_pointing_at
from videokit.textfile import read_toml
from videokit.timeline import Cue, Word
from videokit.timemap import TimeMap

MAX_STRIKES = 20000
REASONS = ("", "filler", "retake")


def cuts_path(project: Project) -> Path:
    """The job's cuts file: the one its job file names, else <name>.cuts.toml beside it."""
    named = read_toml(project.job_file).get("cuts")
    return (project.folder / named).resolve() if isinstance(named, str) else project.folder / f"{project.name}.cuts.toml"


def saved_cuts(project: Project) -> list[Cut]:
    path = cuts_path(project)
    return read_cuts(path) if path.is_file() else []


def to_recording(project: Project, start: float, end: float) -> list[tuple[int, float, float]]:
    """A body-time range as (clip, start, end) ranges of the recording(s), split where the body joins pieces."""
    out, offset = [], 0.0
    for piece in project.pieces:
        length = piece.end - piece.start
        a, b = max(start, offset), min(end, offset + length)
        if b > a + 1e-6:
            out.append((piece.clip, round(piece.start + a - offset, 3), round(piece.start + b - offset, 3)))
        offset += length
    return out


def validate_strikes(payload: Any, project: Project, duration: float | None) -> tuple[list[tuple[float, float, str]], set[int]]:
    """Struck ranges from the page (video time) → body time with their reason; which saved cuts to bring back."""
    if not isinstance(payload, dict):
        raise ValueError("send {\"ranges\": [...], \"restore\": [...]}")
    ranges, restore = payload.get("ranges", []), payload.get("restore", [])
    if not isinstance(ranges, list) or len(ranges) > MAX_STRIKES or not isinstance(restore, list):
        raise ValueError(f"ranges must be a list of at most {MAX_STRIKES}, restore a list of numbers")
    if not project.pieces:
        raise ValueError("this render has no map to its recording: render it again with this videokit first")
    limit = duration if duration is not None else project.intro + TimeMap([(p.start, p.end) for p in project.pieces]).duration
    body: list[tuple[float, float, str]] = []
    for n, item in enumerate(ranges, 1):
        start, end = (item.get("start"), item.get("end")) if isinstance(item, dict) else (None, None)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (start, end)):
            raise ValueError(f"range {n}: start and end must be seconds")
        if not project.intro - 1e-3 <= start < end <= limit + 1e-3:
            raise ValueError(f"range {n}: {start:g}-{end:g} s is not inside the video's body "
                             f"({project.intro:g}-{limit:.1f} s)")
        reason = item.get("reason", "")
        if reason not in REASONS:
            raise ValueError(f"range {n}: reason must be \"filler\", \"retake\" or empty")
        body.append((round(start - project.intro, 3), round(end - project.intro, 3), reason))
    count = len(saved_cuts(project))
    if not all(isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= count for i in restore):
        raise ValueError(f"restore must list numbers of saved cuts (1-{count})")
    return body, set(restore)


def save_cuts(project: Project, body: list[tuple[float, float, str]], restore: set[int]) -> tuple[list[Path], str]:
    """The cuts file with the new ranges (and without the restored ones), the job file pointed at it, an edited
    caption file moved onto the shorter body; all of it or nothing. Returns the files and a note for the page."""
    job = read_toml(project.job_file)  # a broken job file is refused before anything is written
    path = cuts_path(project)
    earlier = saved_cuts(project)
    kept = [c for n, c in enumerate(earlier, 1) if n not in restore]
    new: list[Cut] = []
    for start, end, reason in body:
        text = spoken_text(words_inside(project.words, start, end))
        for clip, a, b in to_recording(project, start, end):
            new.append(Cut(a, b, text, clip, reason))
    cuts = _merge(kept + new)
    contents: dict[Path, str] = {path: cuts_text(cuts)}
    pointers: dict[str, Path] = {"cuts": path}
    note = ""
    edited = _edited_captions(project, job)
    if edited is not None and restore:
        # words brought back are in no caption file of this render: Whisper hears them again on the next render
        pointers.pop("cuts")
        contents[project.job_file] = job_pointing_at(project.job_file, {**job, "subtitles": "auto"}, pointers)
        note = "the restored words are heard again on the next render; caption corrections must be made again"
    else:
        if edited is not None and body:
            # written into the output folder (the person's own SRT elsewhere is an input: never changed)
            srt_path, on_video_time = edited
            target = project.folder / f"{project.name}_youtube.srt" if on_video_time else project.captions_file
            contents[target] = _captions_after(project, srt_path, on_video_time, body)
            pointers["subtitles"] = target
        contents[project.job_file] = job_pointing_at(project.job_file, job, pointers)
    written = replace_together(contents)
    return written, note


def _merge(cuts: list[Cut]) -> list[Cut]:
    out: list[Cut] = []
    for c in sorted(cuts, key=lambda c: (c.clip, c.start)):
        if out and out[-1].clip == c.clip and c.start <= out[-1].end + 1e-3:
            last = out[-1]
            text = " ".join(t for t in (last.text, c.text) if t)
            out[-1] = Cut(last.start, max(last.end, c.end), text, last.clip, last.reason or c.reason)
        else:
            out.append(c)
    return out


def _edited_captions(project: Project, job: dict[str, Any]) -> tuple[Path, bool] | None:
    """The edited caption file the job renders with, and whether it is on video time (a podcast's sidecar)."""
    named = job.get("subtitles")
    if not isinstance(named, str) or named in ("auto", "none"):
        return None
    path = (project.folder / named).resolve()
    if not path.is_file():
        return None
    return path, job.get("kind") == "podcast"


def _captions_after(project: Project, path: Path, on_video_time: bool, body: list[tuple[float, float, str]]) -> str:
    """The edited cues on the body after the new cuts: times moved up, struck words out of the text, cues left
    empty dropped."""
    shift = project.intro if on_video_time else 0.0
    removed = sorted((a, b) for a, b, _ in body)
    total = max([c.end - shift for c in read_subtitles(path)] + [b for _, b in removed] + [0.0]) + 1.0
    keep = TimeMap(_complement(removed, total))
    struck = {id(w) for a, b in removed for w in words_inside(project.words, a, b)}
    cues: list[Cue] = []
    for cue in read_subtitles(path):
        start, end = cue.start - shift, cue.end - shift
        timed = [w for w in project.words if start - 0.05 <= w.start < end]
        lines = _without_words(cue.lines, timed, struck)
        a, b = keep.to_body(start), keep.to_body(end)
        if lines and b - a >= 0.2:
            cues.append(Cue(round(a + shift, 3), round(b + shift, 3), lines))
    return format_srt(cues)


def _complement(removed: list[tuple[float, float]], total: float) -> list[tuple[float, float]]:
    out, t = [], 0.0
    for a, b in removed:
        if a > t:
            out.append((t, a))
        t = max(t, b)
    if total > t:
        out.append((t, total))
    return out


def _without_words(lines: list[str], timed: list[Word], struck: set[int]) -> list[str]:
    """The cue's text without the tokens that stand for struck words (matched to the timed words in order)."""
    if not any(id(w) in struck for w in timed):
        return lines
    tokens = [(i, tok) for i, line in enumerate(lines) for tok in line.split()]
    matcher = difflib.SequenceMatcher(a=[normalised(t) for _, t in tokens], b=[normalised(w.text) for w in timed],
                                      autojunk=False)
    drop: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            drop |= {i1 + k for k in range(i2 - i1) if id(timed[j1 + k]) in struck}
    out: list[str] = []
    for i in range(len(lines)):
        kept = [tok for k, (line_no, tok) in enumerate(tokens) if line_no == i and k not in drop]
        if kept:
            out.append(" ".join(kept))
    return out


def cuts_for_page(project: Project) -> list[dict[str, Any]]:
    """The saved cuts, each with where it lies in the video shown when that render still holds it (saved, not
    rendered yet: the page strikes its words grey), else None."""
    out = []
    for n, c in enumerate(saved_cuts(project), 1):
        shown = on_video(project, c)
        out.append({"n": n, "clip": c.clip, "start": c.start, "end": c.end, "text": c.text or "", "reason": c.reason,
                    "video_start": shown[0] if shown else None, "video_end": shown[1] if shown else None})
    return out


def on_video(project: Project, cut: Cut) -> tuple[float, float] | None:
    offset, found = 0.0, []
    for piece in project.pieces:
        a, b = max(cut.start, piece.start), min(cut.end, piece.end)
        if piece.clip == cut.clip and b > a + 1e-3:
            found += [offset + a - piece.start, offset + b - piece.start]
        offset += piece.end - piece.start
    return (round(project.intro + min(found), 3), round(project.intro + max(found), 3)) if found else None


def suggested_cuts(project: Project) -> list[dict[str, Any]]:
    """Fillers and retakes the machine finds in the rendered video (video time), for the page's "Füllwörter":
    its sound heard again for voice no word covers, its words for retakes."""
    from videokit.captions.audio import load_speech, speech_regions
    from videokit.edits.edges import spectral_flux, voiced_mask
    from videokit.edits.fillers import find_fillers, find_retakes

    videos = project.videos()
    if not videos or not project.words:
        return []
    length = project.words[-1].end + 2.0
    audio = load_speech(str(videos[0]), project.intro, length)
    found = find_fillers(project.words, voiced_mask(audio, speech_regions(audio)), spectral_flux(audio)) + find_retakes(project.words)
    return [{"start": round(c.start + project.intro, 3), "end": round(c.end + project.intro, 3),
             "text": c.text or "", "reason": c.reason} for c in sorted(found, key=lambda c: c.start)]
