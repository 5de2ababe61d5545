"""What the review editor works on: one rendered job in its output folder (pure file logic, no server).

A render leaves, next to its videos: the job file (`<name>.job.toml`), the captions as cues and timed words
(`<name>.words.json`, body time: the clips without the intro) and, for YouTube, the SRT/VTT sidecars (video time).
Saving writes the corrected captions back into exactly those files (the machine's first version is kept as
`.auto`), plus `<name>.captions.srt` on body time, which the job file then names as its subtitles: "render again"
is `videokit render <name>.job.toml --force` with the corrections.
"""

from __future__ import annotations

import difflib
import math
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from videokit.captions.subtext import format_srt, format_vtt, looks_like_timing
from videokit.captions.wordsfile import (
    MAX_SECONDS,
    Piece,
    read_pieces,
    read_words_file,
    side_file,
    words_text,
)
from videokit.errors import InputError
from videokit.filetxn import recover, replace_together
from videokit.podcast.chapters import parse_chapters
from videokit.timemap import TimeMap
from videokit.podcast.speakerfile import (
    SpeakerFix,
    SpeakerTurns,
    apply_speaker_fixes,
    read_speaker_fixes,
    read_speaker_turns,
    speaker_fixes_text,
    speaker_turns_text,
)
from videokit.textfile import read_toml
from videokit.timeline import Cue, Word

MAX_CUES = 20000  # a 3-hour episode has ~3,000 cues
MAX_CUE_CHARS = 400
MAX_LINES = 3  # what the caption styles allow at most (the broadcast norm: 2)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # NUL, ESC, DEL ...: never part of a caption
UNSURE = 0.5  # word probability under which the editor marks a word


@dataclass(slots=True)
class Project:
    folder: Path
    name: str  # the job's slug: files are <name>_<platform>.mp4, <name>.job.toml, <name>.words.json
    job_file: Path
    intro: float  # seconds of intro before the body (video time = body time + intro)
    cues: list[Cue]
    words: list[Word]
    speakers: SpeakerTurns | None = None  # a podcast's turns and voice labels (<name>.speakers.json)
    pieces: list[Piece] = field(default_factory=list)  # body time → recording (the words file's map)

    @property
    def words_file(self) -> Path:
        return side_file(self.folder, self.name, "words")

    @property
    def speakers_file(self) -> Path:
        return side_file(self.folder, self.name, "speakers")

    @property
    def speaker_fixes_file(self) -> Path:
        return side_file(self.folder, self.name, "speaker_fixes")

    @property
    def captions_file(self) -> Path:
        return side_file(self.folder, self.name, "captions")

    def videos(self) -> list[Path]:
        return sorted(self.folder.glob(f"{self.name}_*.mp4"), key=lambda p: (not p.stem.endswith("_youtube"), p.name))

    def sidecars(self) -> list[Path]:
        return [p for p in (self.folder / f"{self.name}_youtube.srt", self.folder / f"{self.name}_youtube.vtt")
                if p.is_file()]


def find_project(target: Path) -> Project:
    """The job behind an output folder or one of its videos."""
    if not target.exists():
        raise InputError.for_file(target, "not found", "give the folder a render wrote, or one of its videos")
    folder = target if target.is_dir() else target.parent
    if target.name.endswith(".job.toml"):
        job_file = target
    elif target.is_dir():
        jobs = sorted(folder.glob("*.job.toml"), key=lambda p: p.stat().st_mtime, reverse=True)
        if not jobs:
            raise InputError.for_file(target, "holds no job file (*.job.toml)",
                                      "render into this folder first: every render records its job there")
        job_file = jobs[0]
    else:
        name = target.stem.rsplit("_", 1)[0]
        job_file = folder / f"{name}.job.toml"
        if not job_file.is_file():
            raise InputError.for_file(target, f"has no job file next to it ({job_file.name})",
                                      "render it again with this videokit version")
    name = job_file.name[: -len(".job.toml")]
    recover(folder)  # a save interrupted by a crash is finished or rolled back before anything is read
    words_file = side_file(folder, name, "words")
    if not words_file.is_file():
        raise InputError.for_file(job_file, f"was rendered without captions (no {words_file.name})",
                                  "render with --subtitles auto or an SRT")
    cues, words, intro = read_words_file(words_file)
    speakers_file = side_file(folder, name, "speakers")
    speakers = read_speaker_turns(speakers_file) if speakers_file.is_file() else None
    return Project(folder, name, job_file, intro, cues, words, speakers, read_pieces(words_file))


def validate_cues(payload: Any, intro: float, duration: float | None = None) -> list[Cue]:
    """Cues from the editor (video time) → body time; raises ValueError naming the cue and what is wrong. Nothing
    the editor sends is written before all of it passed."""
    if not isinstance(payload, list) or not payload or len(payload) > MAX_CUES:
        raise ValueError(f"cues must be a list of 1-{MAX_CUES} cues")
    limit = MAX_SECONDS if duration is None else duration + 1e-3
    cues: list[Cue] = []
    last = -1.0
    for n, item in enumerate(payload, 1):
        if not isinstance(item, dict):
            raise ValueError(f"cue {n} is not an object")
        start, end, text = item.get("start"), item.get("end"), item.get("text")
        if not all(_is_time(v, limit) for v in (start, end)):
            raise ValueError(f"cue {n}: start and end must be seconds between 0 and {limit:.0f}")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_CUE_CHARS:
            raise ValueError(f"cue {n}: text must be 1-{MAX_CUE_CHARS} characters")
        if CONTROL_CHARS.search(text):
            raise ValueError(f"cue {n}: the text holds a control character (remove it)")
        if end <= start or start < last - 1e-6 or start < intro - 1e-6:
            raise ValueError(f"cue {n}: times must increase and start after the intro")
        last = start
        lines = [ln.strip() for ln in text.replace("\t", " ").split("\n") if ln.strip()]
        if len(lines) > MAX_LINES:
            raise ValueError(f"cue {n} has {len(lines)} lines; at most {MAX_LINES} (split it with ✂)")
        timing = next((ln for ln in lines if looks_like_timing(ln)), None)
        if timing is not None:
            raise ValueError(f"cue {n}: the line '{timing[:40]}' looks like a subtitle timing; a cue holds only text")
        cues.append(Cue(round(start - intro, 3), round(end - intro, 3), lines))
    return cues


def _is_time(value: Any, limit: float) -> bool:
    """A finite number of seconds in range (JSON's 1e400 is infinity; a 400-digit integer is no float)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= limit
            and math.isfinite(value))


def validate_speakers(payload: Any, project: Project) -> list[str] | None:
    """Each cue's speaker from the editor: None for a news job; for a podcast, a known label per cue."""
    if project.speakers is None or not isinstance(payload, list):
        return None
    labels = set(project.speakers.labels.values())
    chosen = [item.get("speaker") if isinstance(item, dict) else None for item in payload]
    if all(who is None for who in chosen):
        return None
    for n, who in enumerate(chosen, 1):
        if not isinstance(who, str) or who not in labels:
            raise ValueError(f"cue {n}: speaker must be one of {', '.join(sorted(labels))}")
    return chosen  # type: ignore[return-value]


def speaker_changes(project: Project, cues: list[Cue], chosen: list[str]) -> list[SpeakerFix]:
    """Runs of cues given to another speaker than the one talking now, as fixes on recording time (the kept
    ranges carry body time back), so they hold on the next render whatever is cut."""
    assert project.speakers is not None
    tmap = TimeMap(project.speakers.keep)
    now = [project.speakers.label_at(c.start) for c in cues]
    fixes: list[SpeakerFix] = []
    i = 0
    while i < len(cues):
        if chosen[i] == now[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(cues) and chosen[j + 1] == chosen[i] and chosen[j + 1] != now[j + 1]:
            j += 1
        # the fix owns the pauses around its cues too: the machine's turn may run past the last word
        start = cues[i - 1].end if i > 0 else 0.0
        end = cues[j + 1].start if j + 1 < len(cues) else tmap.duration
        fixes.append(SpeakerFix(round(tmap.to_recording(start), 3), round(tmap.to_recording(end), 3), chosen[i]))
        i = j + 1
    return fixes


def speaker_fix_contents(project: Project, cues: list[Cue], chosen: list[str]) -> tuple[dict[Path, str], SpeakerTurns | None]:
    """The fixes file with new fixes appended (later win) and the turns the editor shows after them; nothing
    when the speakers are unchanged."""
    assert project.speakers is not None
    fixes = speaker_changes(project, cues, chosen)
    if not fixes:
        return {}, None
    path = project.speaker_fixes_file
    earlier = read_speaker_fixes(path) if path.is_file() else []
    voice_of = {label: v for v, label in project.speakers.labels.items()}
    tmap = TimeMap(project.speakers.keep)
    body_fixes = [(tmap.to_body(f.start), tmap.to_body(f.end), voice_of[f.speaker]) for f in fixes]
    turns = SpeakerTurns(project.speakers.labels, apply_speaker_fixes(project.speakers.turns, body_fixes),
                         project.speakers.keep)
    return {path: speaker_fixes_text(earlier + fixes), project.speakers_file: speaker_turns_text(turns)}, turns


def retime_words(old: list[Word], cues: list[Cue]) -> list[Word]:
    """Words of the corrected cues: unchanged words keep their timings; changed or new words get timings
    inside their cue (between their unchanged neighbours, shared by length), so word highlights follow the voice."""
    result: list[Word] = []
    for cue in cues:
        before = [w for w in old if cue.start - 0.05 <= w.start < cue.end]
        tokens = " ".join(cue.lines).split()
        matcher = difflib.SequenceMatcher(a=[w.text.strip() for w in before], b=tokens, autojunk=False)
        placed: list[Word | None] = [None] * len(tokens)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    w = before[i1 + k]
                    placed[j1 + k] = Word(tokens[j1 + k], w.start, w.end, w.probability)
        i = 0
        while i < len(tokens):
            if placed[i] is not None:
                i += 1
                continue
            j = i
            while j < len(tokens) and placed[j] is None:
                j += 1
            lo = placed[i - 1].end if i > 0 and placed[i - 1] else cue.start
            hi = placed[j].start if j < len(tokens) and placed[j] else cue.end
            hi = max(hi, lo + 0.05 * (j - i))
            total = sum(len(t) for t in tokens[i:j]) or 1
            t = lo
            for k in range(i, j):
                share = (hi - lo) * len(tokens[k]) / total
                placed[k] = Word(tokens[k], round(t, 3), round(t + share, 3), 1.0)  # a person checked it
                t += share
            i = j
        result += [w for w in placed if w is not None]
    return result


def save_corrections(project: Project, cues: list[Cue], chosen: list[str] | None = None) -> list[Path]:
    """Write the corrected captions (and speakers) everywhere they live, all files or none (filetxn); keep the
    machine's first version; point the job file at the corrected SRT. Returns the files written."""
    job = read_toml(project.job_file)  # a broken job file is refused before anything is written
    words = retime_words(project.words, cues)
    contents: dict[Path, str] = {project.words_file: words_text(cues, words, project.intro, project.pieces)}
    for side in project.sidecars():
        contents[side] = format_vtt(cues, project.intro) if side.suffix == ".vtt" else format_srt(cues, project.intro)
    contents[project.captions_file] = format_srt(cues)
    # a render job takes captions on body time; a podcast job the episode's SRT on video time
    sidecar = project.folder / f"{project.name}_youtube.srt"
    pointers = {"subtitles": sidecar if job.get("kind") == "podcast" and sidecar.is_file() else project.captions_file}
    turns = None
    if chosen is not None:
        fix_contents, turns = speaker_fix_contents(project, cues, chosen)
        contents.update(fix_contents)
        if fix_contents:
            pointers["speaker_fixes"] = project.speaker_fixes_file
    contents[project.job_file] = job_pointing_at(project.job_file, job, pointers)
    for path in [project.words_file, *project.sidecars()]:
        first = path.with_name(path.name.replace(".", ".auto.", 1) if path.suffix == ".json"
                               else f"{path.stem}.auto{path.suffix}")
        if not first.exists():
            shutil.copyfile(path, first)
    written = replace_together(contents)
    project.cues, project.words = cues, words
    if turns is not None:
        project.speakers = turns
    return written


MAX_CHAPTERS = 100


def chapters_file(project: Project) -> Path | None:
    """A podcast's chapters.txt (YouTube's `00:00 Title` lines), when the folder has one."""
    path = project.folder / "chapters.txt"
    return path if path.is_file() else None


def validate_chapters(text: Any, duration: float | None = None) -> str:
    """YouTube's rules (first at 00:00, increasing, at least 10 s apart), every chapter inside the episode."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("chapters must be text, one '00:00 Title' per line")
    if CONTROL_CHARS.search(text.replace("\n", "").replace("\r", "")):
        raise ValueError("the chapters hold a control character (remove it)")
    if len(parse_chapters(text, duration)) > MAX_CHAPTERS:
        raise ValueError(f"at most {MAX_CHAPTERS} chapters")
    return "".join(line.strip() + "\n" for line in text.strip().splitlines() if line.strip())  # as the person wrote them


def episode_duration(project: Project) -> float | None:
    """Where a podcast's chapters may start: before the outro (intro + the kept recording)."""
    if project.speakers is None or not project.speakers.keep:
        return None
    return project.intro + TimeMap(project.speakers.keep).duration


def save_chapters(project: Project, text: str) -> list[Path]:
    """chapters.txt corrected (its first version kept), and a podcast job file pointed at it."""
    job = read_toml(project.job_file)
    path = project.folder / "chapters.txt"
    first = path.with_name("chapters.auto.txt")
    contents = {path: text}
    if job.get("kind") == "podcast":
        contents[project.job_file] = job_pointing_at(project.job_file, job, {"chapters": path})
    if path.is_file() and not first.exists():
        shutil.copyfile(path, first)
    return replace_together(contents)


def job_pointing_at(job_file: Path, data: dict[str, Any], files: dict[str, Path]) -> str:
    """The job file's text with settings naming files of its own folder, by name: a copied folder renders with
    its own corrections into itself, never into the folder it was copied from."""
    import tomli_w

    data = dict(data)
    for key, path in files.items():
        data[key] = path.name if path.parent.resolve() == job_file.parent.resolve() else str(path.resolve())
    header = "".join(line + "\n" for line in job_file.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    return header + tomli_w.dumps(data)
