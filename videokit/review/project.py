"""What the review editor works on: one rendered job in its output folder (pure file logic, no server).

A render leaves, next to its videos: the job file (`<name>.job.toml`), the captions as cues and timed words
(`<name>.words.json`, body time: the clips without the intro) and, for YouTube, the SRT/VTT sidecars (video time).
Saving writes the corrected captions back into exactly those files (the machine's first version is kept as
`.auto`), plus `<name>.captions.srt` on body time, which the job file then names as its subtitles: "render again"
is `videokit render <name>.job.toml --force` with the corrections.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from videokit.captions.formats import write_sidecar
from videokit.errors import InputError
from videokit.plan.podcast import TimeMap, apply_speaker_fixes
from videokit.podcast.speakerfile import (
    SpeakerFix,
    SpeakerTurns,
    read_speaker_fixes,
    read_speaker_turns,
    write_speaker_fixes,
    write_speaker_turns,
)
from videokit.textfile import read_toml, write_text_atomic
from videokit.timeline import Cue, Word

MAX_CUES = 20000  # a 3-hour episode has ~3,000 cues
MAX_CUE_CHARS = 400
UNSURE = 0.5  # word probability under which the editor marks a word


# the files a run leaves beside its videos for the editor, and the editor's own (one place names them)
SIDE_FILES = {"words": ".words.json", "speakers": ".speakers.json", "speaker_fixes": ".speaker-fixes.toml",
              "captions": ".captions.srt"}


def side_file(folder: Path, name: str, kind: str) -> Path:
    return folder / f"{name}{SIDE_FILES[kind]}"


@dataclass(slots=True)
class Project:
    folder: Path
    name: str  # the job's slug: files are <name>_<platform>.mp4, <name>.job.toml, <name>.words.json
    job_file: Path
    intro: float  # seconds of intro before the body (video time = body time + intro)
    cues: list[Cue]
    words: list[Word]
    speakers: SpeakerTurns | None = None  # a podcast's turns and voice labels (<name>.speakers.json)

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
    words_file = side_file(folder, name, "words")
    if not words_file.is_file():
        raise InputError.for_file(job_file, f"was rendered without captions (no {words_file.name})",
                                  "render with --subtitles auto or an SRT")
    data = json.loads(words_file.read_text(encoding="utf-8"))
    cues = [Cue(c["start"], c["end"], list(c["lines"])) for c in data["cues"]]
    words = [Word(w["text"], w["start"], w["end"], w.get("probability", 1.0)) for w in data["words"]]
    speakers_file = side_file(folder, name, "speakers")
    speakers = read_speaker_turns(speakers_file) if speakers_file.is_file() else None
    return Project(folder, name, job_file, float(data.get("intro", 0.0)), cues, words, speakers)


def words_data(cues: list[Cue], words: list[Word], intro: float) -> dict[str, Any]:
    return {"intro": intro,
            "cues": [{"start": c.start, "end": c.end, "lines": c.lines} for c in cues],
            "words": [{"text": w.text, "start": w.start, "end": w.end, "probability": w.probability} for w in words]}


def write_words_file(path: Path, cues: list[Cue], words: list[Word], intro: float) -> Path:
    return write_text_atomic(path, json.dumps(words_data(cues, words, intro), ensure_ascii=False, indent=1))


def validate_cues(payload: Any, intro: float) -> list[Cue]:
    """Cues from the editor (video time) → body time; raises ValueError with what is wrong."""
    if not isinstance(payload, list) or not payload or len(payload) > MAX_CUES:
        raise ValueError("cues must be a non-empty list")
    cues: list[Cue] = []
    last = -1.0
    for n, item in enumerate(payload, 1):
        if not isinstance(item, dict):
            raise ValueError(f"cue {n} is not an object")
        start, end, text = item.get("start"), item.get("end"), item.get("text")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end)):
            raise ValueError(f"cue {n}: start and end must be numbers")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_CUE_CHARS:
            raise ValueError(f"cue {n}: text must be 1-{MAX_CUE_CHARS} characters")
        if end <= start or start < last - 1e-6 or start < intro - 1e-6:
            raise ValueError(f"cue {n}: times must increase and start after the intro")
        last = start
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:3]
        cues.append(Cue(round(start - intro, 3), round(end - intro, 3), lines))
    return cues


def validate_speakers(payload: Any, project: Project) -> list[str] | None:
    """Each cue's speaker from the editor: None for a news job; for a podcast, a known label per cue."""
    if project.speakers is None or not isinstance(payload, list):
        return None
    labels = set(project.speakers.labels.values())
    chosen = [item.get("speaker") if isinstance(item, dict) else None for item in payload]
    if all(who is None for who in chosen):
        return None
    for n, who in enumerate(chosen, 1):
        if who not in labels:
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


def save_speaker_fixes(project: Project, cues: list[Cue], chosen: list[str]) -> list[Path]:
    """New fixes appended to the job's fixes file (later win); the turns the editor shows follow at once."""
    assert project.speakers is not None
    fixes = speaker_changes(project, cues, chosen)
    if not fixes:
        return []
    path = project.speaker_fixes_file
    earlier = read_speaker_fixes(path) if path.is_file() else []
    written = [write_speaker_fixes(path, earlier + fixes)]
    voice_of = {label: v for v, label in project.speakers.labels.items()}
    tmap = TimeMap(project.speakers.keep)
    body_fixes = [(tmap.to_body(f.start), tmap.to_body(f.end), voice_of[f.speaker]) for f in fixes]
    project.speakers = SpeakerTurns(project.speakers.labels, apply_speaker_fixes(project.speakers.turns, body_fixes),
                                    project.speakers.keep)
    written.append(write_speaker_turns(project.speakers_file, project.speakers))
    written.append(_point_job_at(project.job_file, path, key="speaker_fixes"))
    return written


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


def save_corrections(project: Project, cues: list[Cue]) -> list[Path]:
    """Write the corrected captions everywhere they live; keep the machine's first version; point the job file
    at the corrected SRT. Returns the files written."""
    words = retime_words(project.words, cues)
    written: list[Path] = []
    for path in [project.words_file, *project.sidecars()]:
        first = path.with_name(path.name.replace(".", ".auto.", 1) if path.suffix == ".json"
                               else f"{path.stem}.auto{path.suffix}")
        if not first.exists():
            shutil.copyfile(path, first)
    written.append(write_words_file(project.words_file, cues, words, project.intro))
    for side in project.sidecars():
        written.append(write_sidecar(cues, side, project.intro))
    written.append(write_sidecar(cues, project.captions_file))
    # a render job takes captions on body time; a podcast job the episode's SRT on video time
    podcast = read_toml(project.job_file).get("kind") == "podcast"
    sidecar = project.folder / f"{project.name}_youtube.srt"
    written.append(_point_job_at(project.job_file, sidecar if podcast and sidecar.is_file() else project.captions_file))
    project.cues, project.words = cues, words
    return written


CHAPTER_LINE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2}) (\S.{0,99})$")
MAX_CHAPTERS = 100


def chapters_file(project: Project) -> Path | None:
    """A podcast's chapters.txt (YouTube's `00:00 Title` lines), when the folder has one."""
    path = project.folder / "chapters.txt"
    return path if path.is_file() else None


def validate_chapters(text: Any) -> str:
    """YouTube's rules: one `MM:SS Title` per line, the first at 00:00, times increasing, at least 10 s apart."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("chapters must be text, one '00:00 Title' per line")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) > MAX_CHAPTERS:
        raise ValueError(f"at most {MAX_CHAPTERS} chapters")
    last = -10.0
    for n, line in enumerate(lines, 1):
        m = CHAPTER_LINE.match(line)
        if not m:
            raise ValueError(f"chapter {n}: write it as '01:23 Title' ({line[:40]!r})")
        seconds = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        if n == 1 and seconds != 0:
            raise ValueError("the first chapter starts at 00:00 (YouTube's rule)")
        if seconds < last + 10:
            raise ValueError(f"chapter {n}: times must increase, at least 10 s apart")
        last = seconds
    return "\n".join(lines) + "\n"


def save_chapters(project: Project, text: str) -> list[Path]:
    """chapters.txt corrected (its first version kept), and a podcast job file pointed at it."""
    path = project.folder / "chapters.txt"
    first = path.with_name("chapters.auto.txt")
    if path.is_file() and not first.exists():
        shutil.copyfile(path, first)
    written = [write_text_atomic(path, text)]
    if read_toml(project.job_file).get("kind") == "podcast":
        written.append(_point_job_at(project.job_file, path, key="chapters"))
    return written


def _point_job_at(job_file: Path, captions: Path, key: str = "subtitles") -> Path:
    import tomli_w

    data = read_toml(job_file)
    data[key] = str(captions.resolve())
    header = "".join(line + "\n" for line in job_file.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    return write_text_atomic(job_file, header + tomli_w.dumps(data))
