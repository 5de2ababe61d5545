"""What a job file's settings may hold: checked before anything runs, one line per problem naming the key.

TOML gives typed values, so a job file can say `intro = "no"` (a string, which Python would call true) or
`clip = [5]`. Each key has the types it accepts and, where it matters, its choices or range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from videokit.errors import ConfigError
from videokit.textfile import read_toml

NUMBER = (int, float)
TIME = (int, float, str)  # seconds, or "mm:ss"
ENGINES = ("faster-whisper", "openai-whisper")


@dataclass(frozen=True, slots=True)
class Key:
    types: tuple[type, ...]
    what: str  # how the problem line describes a right value
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    items: type | tuple[type, ...] | None = None  # for lists: the type of each item
    table: dict[str, "Key"] | None = None  # for arrays of tables: each table's keys
    required: tuple[str, ...] = ()  # for arrays of tables: keys every table needs


def _text(what: str = "text") -> Key:
    return Key((str,), what)


FLAG = Key((bool,), "true or false (without quotes)")
TIMES = Key(TIME, "seconds (12.5) or mm:ss (\"01:05\")", low=0)
PATH = _text("a file or folder path in quotes")
FORMATS = Key((list, str), "a list like [\"otio\", \"fcp7\"]", items=str)
RENDER_JOB: dict[str, Key] = {
    "kind": Key((str,), "\"render\"", choices=("render",)),
    "title": _text(), "template": _text("a template name or .toml path"),
    "platforms": Key((list, str), "a list like [\"tiktok\", \"youtube\"]", items=str),
    "out": PATH, "brand": PATH, "glossary": PATH, "model": PATH, "cuts": PATH, "cut_fillers": FLAG,
    "caption_profile": _text("a caption profile: platform, broadcast or netflix"),
    "sign_language": PATH, "sign_language_offset": Key(NUMBER, "seconds (a number, negative for an early start)"),
    "sign_language_background": _text("a colour like \"#3b4a5a\""),
    "blur_faces": Key((str,), "one of none, others, all", choices=("none", "others", "all")),
    "keep_faces": Key((list,), "a list like [\"0.3,0.4\", \"2=0.7,0.35@12.5\"]", items=str),
    "split": FLAG,
    "blur_region": Key((list,), "[[blur_region]] tables with clip, start, end, x, y, w, h", items=dict,
                       required=("start", "end", "x", "y", "w", "h"),
                       table={"clip": Key((int,), "a clip number from 1", low=1), "start": TIMES, "end": TIMES,
                              **{k: Key(NUMBER, "a share of the frame from 0 to 1", low=0, high=1)
                                 for k in ("x", "y", "w", "h")}}),
    "subtitles": _text("\"auto\", \"none\" or an .srt path"),
    "fit": Key((str,), "one of auto, blur, crop", choices=("auto", "blur", "crop")),
    "focus": Key(NUMBER, "a number from 0 (left) to 1 (right)", low=0, high=1),
    "intro": FLAG, "outro": FLAG,
    "engine": Key((str,), "one of " + ", ".join(ENGINES), choices=ENGINES),
    "language": _text("a language code like \"de\""),
    "export_timeline": FORMATS, "bundle": FLAG,
    "clean_speech": Key((bool, int, float), "true, false or a strength from 0 to 1", low=0, high=1),
    "clip": Key((list,), "[[clip]] tables with file = \"...\"", items=dict, required=("file",),
                table={"file": PATH, "start": TIMES, "end": TIMES}),
    "lower_third": Key((list,), "[[lower_third]] tables with name = \"...\"", items=dict, required=("name",),
                       table={"name": _text(), "role": _text(), "start": TIMES, "end": TIMES}),
}
PODCAST_JOB: dict[str, Key] = {
    "kind": Key((str,), "\"podcast\"", choices=("podcast",)),
    "recording": PATH, "speakers": PATH, "out": PATH, "brand": PATH, "image": PATH, "chapters": PATH,
    "subtitles": PATH, "glossary": PATH, "speaker_fixes": PATH, "cuts": PATH, "cut_fillers": FLAG,
    "caption_profile": _text("a caption profile: platform, broadcast or netflix"),
    "sign_language": PATH, "sign_language_offset": Key(NUMBER, "seconds (a number, negative for an early start)"),
    "sign_language_background": _text("a colour like \"#3b4a5a\""),
    "title": _text(), "template": _text("a template name or .toml path"),
    "episode": Key((int,), "a whole number", low=0, high=100000),
    "date": Key((str, dt.date), "a date like 2026-12-05"),
    "keep_pauses": FLAG, "burn_subtitles": FLAG,
    "teasers": Key((list,), "a list of [start, end] pairs in seconds", items=list),
    "teaser_count": Key((int,), "a whole number from 0 to 3", low=0, high=3),
    "teaser_fit": Key((str,), "one of auto, crop, blur", choices=("auto", "crop", "blur")),
    "teaser_focus": Key(NUMBER, "a number from 0 (left) to 1 (right)", low=0, high=1),
    "engine": Key((str,), "one of " + ", ".join(ENGINES), choices=ENGINES),
    "export_timeline": FORMATS, "bundle": FLAG,
    "clean_speech": Key((bool, int, float), "true, false or a strength from 0 to 1", low=0, high=1),
}
PODCAST_REQUIRED = ("recording", "speakers", "out")


def check_settings(data: dict[str, Any], schema: dict[str, Key], source: Path,
                   required: tuple[str, ...] = ()) -> None:
    """Raise one ConfigError listing every problem, a line each, naming the key (and the table's number)."""
    problems = [f"unknown setting '{key}' (known: {', '.join(sorted(schema))})" for key in data if key not in schema]
    problems += [f"'{key}' is missing" for key in required if key not in data]
    for key, value in data.items():
        if key in schema:
            problems += _problems(key, value, schema[key])
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the job file\n{lines}")


def _problems(key: str, value: Any, spec: Key) -> list[str]:
    if isinstance(value, bool) and bool not in spec.types or not isinstance(value, spec.types):
        return [f"{key} = {_show(value)}: must be {spec.what}"]
    if spec.choices and value not in spec.choices:
        return [f"{key} = {_show(value)}: must be {spec.what}"]
    if isinstance(value, NUMBER) and not isinstance(value, bool) and (
            spec.low is not None and value < spec.low or spec.high is not None and value > spec.high):
        return [f"{key} = {_show(value)}: must be {spec.what}"]
    if isinstance(value, list) and spec.items is not None:
        for n, item in enumerate(value, 1):
            if not isinstance(item, spec.items) or isinstance(item, bool):
                return [f"{key}: item {n} ({_show(item)}) must be {spec.what}"]
            if spec.table is not None:
                problems = [f"[[{key}]] number {n}: '{k}' is missing" for k in spec.required if k not in item]
                problems += [f"[[{key}]] number {n}: unknown setting '{k}'" for k in item if k not in spec.table]
                for k, v in item.items():
                    if k in spec.table:
                        problems += _problems(f"[[{key}]] number {n}: {k}", v, spec.table[k])
                if problems:
                    return problems
    return []


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."


def job_kind(path: Path) -> str:
    return str(read_toml(path).get("kind", "render"))
