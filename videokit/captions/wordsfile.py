"""The files a render leaves beside its videos for the caption editor, above all <name>.words.json: its cues and
timed words (body time, the intro noted)."""

from __future__ import annotations

import json
from pathlib import Path
from dataclasses import dataclass
from typing import Any

from videokit.errors import InputError
from videokit.textfile import write_text_atomic
from videokit.timeline import ClipSegment, Cue, Word

MAX_SECONDS = 24 * 3600.0  # no recording is longer; a larger time is an error, not a caption
# the files a run leaves beside its videos for the editor, and the editor's own (one place names them)
SIDE_FILES = {"words": ".words.json", "speakers": ".speakers.json", "speaker_fixes": ".speaker-fixes.toml",
              "captions": ".captions.srt", "transcript": ".transcript.txt", "transcript_html": ".transcript.html"}


def side_file(folder: Path, name: str, kind: str) -> Path:
    return folder / f"{name}{SIDE_FILES[kind]}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A kept range of one clip's recording, in body order: body time runs through the pieces one after another.
    The editor turns struck words (body time) into cuts on recording time with it."""

    clip: int  # 1-based
    start: float  # recording seconds
    end: float


def read_words_file(path: Path) -> tuple[list[Cue], list[Word], float]:
    """(cues, words, intro) of a render's words.json; a damaged file is one clear error."""
    hint = "render the job again (videokit render its .job.toml --force) to write it anew"
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
        cues = [Cue(_seconds(c["start"]), _seconds(c["end"]), [str(line) for line in c["lines"]])
                for c in data["cues"]]
        words = [Word(str(w["text"]), _seconds(w["start"]), _seconds(w["end"]), float(w.get("probability", 1.0)))
                 for w in data["words"]]
        intro = _seconds(data.get("intro", 0.0))
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError.for_file(path, f"cannot be read ({exc})", hint) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
        raise InputError.for_file(path, f"is damaged ({problem})", hint) from None
    return cues, words, intro


def read_pieces(path: Path) -> list[Piece]:
    """The words file's body → recording map ([] for a file written before cuts existed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
        return [Piece(int(p["clip"]), _seconds(p["start"]), _seconds(p["end"])) for p in data.get("pieces", [])]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -MAX_SECONDS <= value <= MAX_SECONDS:
        raise ValueError(f"{value!r:.40} is not a time in seconds")
    return float(value)


def words_data(cues: list[Cue], words: list[Word], intro: float, pieces: list[Piece] = ()) -> dict[str, Any]:
    return {"intro": intro, "pieces": [{"clip": p.clip, "start": p.start, "end": p.end} for p in pieces],
            "cues": [{"start": c.start, "end": c.end, "lines": c.lines} for c in cues],
            "words": [{"text": w.text, "start": w.start, "end": w.end, "probability": w.probability} for w in words]}


def words_text(cues: list[Cue], words: list[Word], intro: float, pieces: list[Piece] = ()) -> str:
    return json.dumps(words_data(cues, words, intro, pieces), ensure_ascii=False, indent=1, allow_nan=False)


def write_words_file(path: Path, cues: list[Cue], words: list[Word], intro: float, clips: list[ClipSegment]) -> Path:
    return write_text_atomic(path, words_text(cues, words, intro, pieces_of(clips)))


def pieces_of(clips: list[ClipSegment]) -> list[Piece]:
    return [Piece(n, round(a, 4), round(b, 4)) for n, seg in enumerate(clips, 1)
            for a, b in (seg.keep or [(seg.start, seg.start + seg.duration)])]
