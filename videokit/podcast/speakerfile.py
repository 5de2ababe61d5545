"""Who speaks when, as files beside a podcast's outputs.

- `<name>.speakers.json` (written by every podcast run, read by the review editor): the turns on body time, the
  label of every voice, and the kept recording ranges, so the editor's times can be carried back to the recording.
- `<name>.speaker-fixes.toml` (written by the editor, named in the job file as `speaker_fixes`): paragraphs a
  person gave to another speaker, on recording time, so they survive any re-cut. Later fixes win. Plain TOML, so it
  can be read and edited by hand like chapters.txt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from videokit.errors import InputError
from videokit.podcast.speakers import Speaker, voice_at
from videokit.textfile import read_toml, write_text_atomic

UNNAMED = re.compile(r"^Stimme (\d{1,2})$")  # a voice nobody in speakers.toml claims


@dataclass(frozen=True, slots=True)
class SpeakerTurns:
    labels: dict[int, str]  # voice → name shown in the editor and on review.html
    turns: list[tuple[float, float, int]]  # body time
    keep: list[tuple[float, float]]  # the recording ranges the episode keeps (its TimeMap)

    def label_at(self, t: float) -> str:
        """Who talks at body time `t` (or talks next): a cue's speaker is the one talking at its start."""
        voice = voice_at(self.turns, t + 0.01)
        if voice is None:
            return next(iter(self.labels.values()), unnamed_label(0))
        return self.labels.get(voice, unnamed_label(voice))


@dataclass(frozen=True, slots=True)
class SpeakerFix:
    start: float  # recording time
    end: float
    speaker: str  # a label: a name from speakers.toml, or "Stimme N"


def unnamed_label(voice: int) -> str:
    return f"Stimme {voice + 1}"


def voice_labels(names: dict[int, Speaker], voices: Iterable[int], speakers: list[Speaker]) -> dict[int, str]:
    """Every voice's label; speakers from speakers.toml that have no voice get one past the last, so the editor
    can give them a paragraph (the diarisation heard two people as one)."""
    labels = {v: (names[v].name if v in names else unnamed_label(v)) for v in sorted(set(voices) | set(names))}
    for speaker in speakers:
        if speaker.name not in labels.values():
            labels[max(labels, default=-1) + 1] = speaker.name
    return labels


def speaker_turns_text(turns: SpeakerTurns) -> str:
    data = {"labels": {str(v): name for v, name in turns.labels.items()},
            "turns": [[round(a, 3), round(b, 3), v] for a, b, v in turns.turns],
            "keep": [[round(a, 3), round(b, 3)] for a, b in turns.keep]}
    return json.dumps(data, ensure_ascii=False, indent=1)


def write_speaker_turns(path: Path, turns: SpeakerTurns) -> Path:
    return write_text_atomic(path, speaker_turns_text(turns))


def read_speaker_turns(path: Path) -> SpeakerTurns:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SpeakerTurns({int(v): str(n) for v, n in data["labels"].items()},
                            [(float(a), float(b), int(v)) for a, b, v in data["turns"]],
                            [(float(a), float(b)) for a, b in data["keep"]])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError.for_file(path, f"unreadable speaker turns ({exc})", "render the podcast again") from None


def read_speaker_fixes(path: Path) -> list[SpeakerFix]:
    """Strict: a fix with bad times or no speaker names the file and the fix."""
    if not path.is_file():
        raise InputError.for_file(path, "speaker fixes not found", "save them again from `videokit review`")
    tables = read_toml(path).get("fix", [])
    fixes: list[SpeakerFix] = []
    for n, table in enumerate(tables if isinstance(tables, list) else [], 1):
        try:
            fix = SpeakerFix(float(table["start"]), float(table["end"]), str(table["speaker"]).strip())
        except (KeyError, TypeError, ValueError):
            raise InputError.for_file(path, f"fix {n} needs start, end (seconds) and speaker",
                                      "e.g. start = 12.5, end = 30.0, speaker = \"Sven Muster\"") from None
        if fix.end <= fix.start or fix.start < 0 or not fix.speaker:
            raise InputError.for_file(path, f"fix {n}: end must come after start, and a speaker must be named")
        fixes.append(fix)
    return fixes


def speaker_fixes_text(fixes: list[SpeakerFix]) -> str:
    import tomli_w

    header = ("# Paragraphs given to another speaker in `videokit review` (recording time, seconds).\n"
              "# Later fixes win; the podcast job names this file as speaker_fixes.\n")
    data = {"fix": [{"start": round(f.start, 3), "end": round(f.end, 3), "speaker": f.speaker} for f in fixes]}
    return header + tomli_w.dumps(data)


def write_speaker_fixes(path: Path, fixes: list[SpeakerFix]) -> Path:
    return write_text_atomic(path, speaker_fixes_text(fixes))


def fixes_as_turns(fixes: list[SpeakerFix], names: dict[int, Speaker], voices: Iterable[int],
                   speakers: list[Speaker], source: Path) -> tuple[list[tuple[float, float, int]], dict[int, Speaker]]:
    """Fixes as (start, end, voice), and the voice names grown by speakers the diarisation never found."""
    names = dict(names)
    used = set(voices) | set(names)
    by_label = {s.name: v for v, s in names.items()}
    known = {s.name: s for s in speakers}
    result: list[tuple[float, float, int]] = []
    for fix in fixes:
        voice = by_label.get(fix.speaker)
        if voice is None and fix.speaker in known:
            voice = max(used, default=-1) + 1
            used.add(voice)
            names[voice] = known[fix.speaker]
            by_label[fix.speaker] = voice
        elif voice is None and (m := UNNAMED.match(fix.speaker)):
            voice = int(m.group(1)) - 1
        if voice is None:
            raise InputError.for_file(source, f"speaker '{fix.speaker}' is in no speakers file",
                                      "use a name from speakers.toml or 'Stimme N'")
        result.append((fix.start, fix.end, voice))
    return result, names


def apply_speaker_fixes(turns: list[tuple[float, float, int]],
                        fixes: list[tuple[float, float, int]]) -> list[tuple[float, float, int]]:
    """The editor's corrections over the machine's turns (all recording time): each fix (start, end, voice) owns
    its range, later fixes win, the machine's turns keep what lies outside; neighbours of one voice are joined."""
    result = sorted(turns)
    for a, b, voice in fixes:
        if b <= a:
            continue
        kept: list[tuple[float, float, int]] = []
        for s, e, v in result:
            if e <= a or s >= b:
                kept.append((s, e, v))
                continue
            if s < a:
                kept.append((s, a, v))
            if e > b:
                kept.append((b, e, v))
        result = sorted(kept + [(a, b, voice)])
    joined: list[tuple[float, float, int]] = []
    for s, e, v in result:
        if joined and joined[-1][2] == v and s <= joined[-1][1] + 1e-6:
            joined[-1] = (joined[-1][0], max(e, joined[-1][1]), v)
        else:
            joined.append((s, e, v))
    return joined
