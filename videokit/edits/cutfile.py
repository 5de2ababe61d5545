"""`<name>.cuts.toml`: ranges removed from the recording, each with the words it held. Read strictly (one line
naming the file and the entry for every problem), written atomically, readable and editable by hand."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from videokit.errors import InputError
from videokit.textfile import read_toml, write_text_atomic
from videokit.timeline import Word

HEADER = ("# videokit cuts: what is removed from the recording. start and end are seconds of the recording (of\n"
          "# clip N when the job has several: clip = N), text the words it removes as the transcript spells them.\n"
          "# Delete an entry to bring its words back; `videokit render JOB --force` renders without the rest.\n")
HINT = "fix that entry (or delete it) and render again"
MATCH = 0.7  # how alike the file's words and the transcript's must be (a respelled name still matches)
PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True, slots=True)
class Cut:
    start: float  # seconds of the recording (the clip's own time)
    end: float
    text: str | None = None  # the words it removes; None: not stated (no check against the transcript)
    clip: int = 1  # which clip of the job (1-based)
    reason: str = ""  # "filler", "retake" or "" (a person's cut)


def read_cuts(path: Path, durations: list[float] | None = None) -> list[Cut]:
    """The cuts of a file, sorted; every entry checked against its neighbours and the clips' lengths."""
    if not path.is_file():
        raise InputError.for_file(path, "not found", "check the path of the cuts file")
    data = read_toml(path)
    unknown = [k for k in data if k != "cut"]
    if unknown or not isinstance(data.get("cut", []), list):
        raise InputError.for_file(path, f"unknown setting '{(unknown or ['cut'])[0]}'",
                                  "a cuts file holds [[cut]] tables only")
    cuts = [_entry(path, n, item, durations) for n, item in enumerate(data.get("cut", []), 1)]
    order = sorted(range(len(cuts)), key=lambda i: (cuts[i].clip, cuts[i].start))
    for i, j in zip(order, order[1:]):
        if cuts[j].clip == cuts[i].clip and cuts[j].start < cuts[i].end - 1e-6:
            raise InputError.for_file(path, f"[[cut]] number {j + 1} ({cuts[j].start:g}-{cuts[j].end:g} s) overlaps "
                                      f"number {i + 1} ({cuts[i].start:g}-{cuts[i].end:g} s)",
                                      "join the two into one entry or correct the times")
    return [cuts[i] for i in order]


def _entry(path: Path, n: int, item: Any, durations: list[float] | None) -> Cut:
    where = f"[[cut]] number {n}"
    if not isinstance(item, dict):
        raise InputError.for_file(path, f"{where} is not a table", HINT)
    extra = [k for k in item if k not in ("start", "end", "text", "clip", "reason")]
    if extra:
        raise InputError.for_file(path, f"{where}: unknown key '{extra[0]}' (known: start, end, text, clip)", HINT)
    start, end, clip = item.get("start"), item.get("end"), item.get("clip", 1)
    for key, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError.for_file(path, f"{where}: {key} must be seconds (a number), got {value!r:.30}", HINT)
    if start < 0:
        raise InputError.for_file(path, f"{where}: start {start:g} s is negative", HINT)
    if end <= start:
        raise InputError.for_file(path, f"{where}: end {end:g} s is not after start {start:g} s", HINT)
    count = len(durations) if durations is not None else None
    if isinstance(clip, bool) or not isinstance(clip, int) or clip < 1 or (count is not None and clip > count):
        raise InputError.for_file(path, f"{where}: clip = {clip!r:.20} is not a clip of the job "
                                  f"(1-{count if count is not None else 'N'})", HINT)
    if durations is not None and end > durations[clip - 1] + 0.05:
        raise InputError.for_file(path, f"{where}: {start:g}-{end:g} s lies past the recording's end "
                                  f"({durations[clip - 1]:.2f} s)", HINT)
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError.for_file(path, f"{where}: text must be in quotes", HINT)
    reason = item.get("reason", "")
    return Cut(float(start), float(end), text, clip, reason if isinstance(reason, str) else "")


def cuts_text(cuts: list[Cut]) -> str:
    """The file as a person reads it: one [[cut]] table per range, in recording order."""
    import json

    tables = []
    for c in sorted(cuts, key=lambda c: (c.clip, c.start)):
        lines = ["[[cut]]", f"start = {c.start:.3f}", f"end = {c.end:.3f}"]
        if c.text is not None:
            lines.append(f"text = {json.dumps(c.text, ensure_ascii=False)}")  # a JSON string is a TOML string
        if c.clip != 1:
            lines.append(f"clip = {c.clip}")
        if c.reason:
            lines.append(f"reason = {json.dumps(c.reason)}")
        tables.append("\n".join(lines) + "\n")
    return HEADER + "".join("\n" + t for t in tables)


def write_cuts(path: Path, cuts: list[Cut]) -> Path:
    return write_text_atomic(path, cuts_text(cuts))


def words_inside(words: list[Word], start: float, end: float) -> list[Word]:
    """The words a range removes: those whose middle lies inside it."""
    return [w for w in words if start <= (w.start + w.end) / 2 < end]


def spoken_text(words: list[Word]) -> str:
    return " ".join(w.text.strip() for w in words)


def normalised(text: str) -> str:
    return " ".join(PUNCTUATION.sub(" ", text.lower()).split())


def check_against_transcript(path: Path, cuts: list[Cut], words_by_clip: list[list[Word]]) -> None:
    """Each entry's text must still be what the transcript has there: a recording replaced, or times shifted by
    hand, must not silently cut other words."""
    numbers = {id(c): n for n, c in enumerate(cuts, 1)}
    for cut in cuts:
        if cut.text is None:
            continue
        heard = spoken_text(words_inside(words_by_clip[cut.clip - 1], cut.start, cut.end))
        said, found = normalised(cut.text), normalised(heard)
        if said == found:
            continue
        if not said or not found or difflib.SequenceMatcher(a=said, b=found, autojunk=False).ratio() < MATCH:
            raise InputError.for_file(
                path, f"[[cut]] number {numbers[id(cut)]} ({cut.start:g}-{cut.end:g} s) says \"{cut.text[:40]}\" "
                f"but the transcript has \"{heard[:40]}\" there",
                "the recording or the times changed: correct the entry's times or text, or delete it")
