"""A job's cuts applied: the cuts file read and checked against the transcript, fillers and retakes found
(--cut-fillers), each edge placed in the pause, and the clips' kept ranges (`ClipSegment.keep`) cut by them. The
captions, lower thirds and timelines then follow the kept ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from videokit.captions.audio import load_speech, speech_regions
from videokit.captions.transcribe import TranscribeOptions, transcribe_file
from videokit.edits.cutfile import Cut, check_against_transcript, read_cuts, words_inside
from videokit.edits.edges import levels, place, spectral_flux, voiced_mask
from videokit.edits.fillers import find_fillers, find_retakes, off_fillers
from videokit.timemap import TimeMap, without
from videokit.timeline import ClipSegment, Timeline, Word


@dataclass(slots=True)
class CutReport:
    cuts: list[Cut] = field(default_factory=list)  # as placed, recording time, every clip
    heard: list[list[Word]] = field(default_factory=list)  # each clip's words on recording time
    seconds: float = 0.0  # removed from the body

    def summary(self) -> str:
        return cut_summary(self.cuts, self.seconds)


def cut_summary(cuts: list[Cut], seconds: float) -> str:
    """'cut 3 filler(s), 1 retake(s): 2.4 s removed' for the run's summary."""
    counts = [(sum(c.reason == r for c in cuts), what) for r, what in
              (("filler", "filler(s)"), ("retake", "retake(s)"), ("", "range(s) of the cuts file"))]
    parts = [f"{n} {what}" for n, what in counts if n]
    return f"cut {', '.join(parts) or 'nothing'}: {seconds:.1f} s removed"


def recording_cuts(path: str, words: list[Word], stated: list[Cut], find: bool, origin: float, limit: float,
                   fps: int, clip: int = 1) -> tuple[list[Cut], list[Word]]:
    """One recording's cuts (the stated ones and, with `find`, fillers and retakes), merged where they touch and
    placed on frame boundaries in the pauses, and its words (those Whisper stretched over a filler shortened).
    `origin`..`limit`: the part of the recording the job uses."""
    audio = load_speech(path, 0.0, limit)
    found: list[Cut] = []
    if find:
        voiced = voiced_mask(audio, speech_regions(audio))
        found = [c for c in find_fillers(words, voiced, spectral_flux(audio)) + find_retakes(words)
                 if origin <= c.start and c.end <= limit]
    words = off_fillers(words, found)
    wanted = _merged([c for c in stated if c.clip == clip] + [Cut(c.start, c.end, c.text, clip, c.reason) for c in found])
    removed = {id(w) for c in wanted for w in words_inside(words, c.start, c.end)}
    kept = [w for w in words if id(w) not in removed]
    level = levels(audio)
    return [p for p in (place(c, level, kept, origin, limit, fps) for c in wanted) if p is not None], words


def _merged(cuts: list[Cut]) -> list[Cut]:
    """Overlapping or touching cuts as one (a retake's first attempt with the filler after it)."""
    out: list[Cut] = []
    for c in sorted(cuts, key=lambda c: c.start):
        if out and c.start <= out[-1].end + 0.05:
            last = out[-1]
            text = " ".join(t for t in (last.text, c.text) if t) if last.text is not None or c.text is not None else None
            reason = last.reason if last.reason == c.reason else ""  # with a person's range: the person's cut
            out[-1] = Cut(last.start, max(last.end, c.end), text, last.clip, reason)
        else:
            out.append(c)
    return out


def cut_timeline(timeline: Timeline, cuts_file: Path | None, find: bool, opts: TranscribeOptions) -> CutReport:
    """Every clip of a render cut: its words heard (the captions reuse them), the cuts placed, its kept ranges
    set; the lower thirds moved with the body (one that starts inside a removed range starts at the next kept
    word)."""
    report = CutReport()
    for seg in timeline.clips:
        heard = seg.clean_audio if seg.clean_for_whisper else seg.path
        words = [Word(w.text, round(w.start + seg.start, 3), round(w.end + seg.start, 3), w.probability)
                 for w in transcribe_file(heard, opts, seg.start, seg.duration)] if seg.has_audio else []
        report.heard.append(words)
    ends = [seg.start + seg.duration for seg in timeline.clips]
    stated = read_cuts(cuts_file, ends) if cuts_file is not None else []
    if cuts_file is not None:
        check_against_transcript(cuts_file, stated, report.heard)
    before = [(seg.start, seg.duration) for seg in timeline.clips]
    for n, seg in enumerate(timeline.clips, 1):
        if not seg.has_audio or seg.still_image:
            continue
        placed, report.heard[n - 1] = recording_cuts(seg.path, report.heard[n - 1], stated, find, seg.start,
                                                     ends[n - 1], timeline.fps, clip=n)
        if not placed:
            continue
        keep = without([(seg.start, ends[n - 1])], [(c.start, c.end) for c in placed], timeline.fps, origin=seg.start)
        seg.keep = [[a, b] for a, b in keep]
        seg.duration = sum(round((b - a) * timeline.fps) for a, b in keep) / timeline.fps
        report.cuts += placed
    report.seconds = round(sum(d for _, d in before) - timeline.body_duration, 3)
    _move_lower_thirds(timeline, before)
    return report


def body_map(clips: list[ClipSegment], before: list[tuple[float, float]]) -> list[tuple[float, float, TimeMap]]:
    """Per clip: its old body offset, its new body offset and its recording ↔ kept-time map."""
    out, old, new = [], 0.0, 0.0
    for seg, (start, duration) in zip(clips, before):
        keep = [(a, b) for a, b in seg.keep] or [(start, start + duration)]
        out.append((old, new, TimeMap(keep)))
        old += duration
        new += seg.duration
    return out


def _move_lower_thirds(timeline: Timeline, before: list[tuple[float, float]]) -> None:
    maps = body_map(timeline.clips, before)

    def moved(t: float) -> float:
        for (old, new, tmap), (start, duration) in zip(maps, before):
            if t < old + duration or (old, new, tmap) == maps[-1]:
                return new + tmap.to_body(start + min(t - old, duration))
        return t

    body = timeline.body_duration
    for lt in timeline.lower_thirds:
        length = lt.end - lt.start
        lt.start = round(min(moved(lt.start), max(0.0, body - length)), 3)
        lt.end = round(min(body, lt.start + length), 3)
