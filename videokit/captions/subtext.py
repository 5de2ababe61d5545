"""SRT and WebVTT as text: written so that what a person typed comes out as typed, read strictly.

pysubs2 converts through ASS, where `{...}` is an override block and `\\n` a line break: `Preis {ca. 5 Euro}` lost its
braces, `C:\\Nutzer\\neu` gained line breaks, `a < b > d` lost its middle. These formats are simple enough to write
and read directly, and a reader of our own can be strict: a line that looks like a timing but is not one (`->`,
`abc --> def`) names its line number instead of being burned in as caption text.
"""

from __future__ import annotations

import html
import re

from videokit.timeline import Cue

TIMING = re.compile(r"^\s*(\d{1,3}:)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d{1,3}:)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
                    r"(?:\s+.*)?$")
ARROW = re.compile(r"-+>")  # what a hand-typed timing line contains even when the rest is wrong
# a line that is a timing line (or a broken attempt at one): refused inside a cue's text
TIMING_LIKE = re.compile(r"^\s*[\d:.,\s]*\d[\d:.,\s]*-+>")
# formatting tags SRT players know; other '<' are text ("a < b > d" stays)
SRT_TAG = re.compile(r"</?(?:i|b|u|s)>|</?font(?:\s[^<>]*)?>", re.IGNORECASE)
ASS_IN_SRT = re.compile(r"\{\\[^{}]*\}")  # `{\an8}` that some editors write into SRT
VTT_TAG = re.compile(r"<[^<>]*>")
# SRT has no escape: a cue line holding "-->" is written with an invisible word joiner inside the arrow, so no
# player reads it as a timing; reading gives the arrow back
ARROW_GUARD = ("-->", "--\u2060>")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class SubtitleSyntaxError(ValueError):
    """A line of a subtitle file that cannot be read; `line` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


def looks_like_timing(line: str) -> bool:
    """A cue text line that a subtitle reader would take for structure."""
    return bool(TIMING_LIKE.match(line) or TIMING.match(line))


def format_srt(cues: list[Cue], offset: float = 0.0) -> str:
    blocks = []
    for n, cue in enumerate(cues, 1):
        text = "\n".join(line.replace(*ARROW_GUARD) for line in _clean(cue.lines))
        blocks.append(f"{n}\n{_stamp(cue.start + offset, ',')} --> {_stamp(cue.end + offset, ',')}\n{text}\n")
    return "\n".join(blocks)


def format_vtt(cues: list[Cue], offset: float = 0.0) -> str:
    blocks = ["WEBVTT\n"]
    for n, cue in enumerate(cues, 1):
        # the WebVTT spec: '&' and '<' must be escaped, and '-->' may not appear; escaping '>' covers it
        text = "\n".join(html.escape(line, quote=False) for line in _clean(cue.lines))
        blocks.append(f"{n}\n{_stamp(cue.start + offset, '.')} --> {_stamp(cue.end + offset, '.')}\n{text}\n")
    return "\n".join(blocks)


def parse_subtitles(text: str, vtt: bool) -> list[Cue]:
    """Cues of an SRT or WebVTT text; raises SubtitleSyntaxError naming the line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[Cue] = []
    i = 0
    if vtt:
        if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise SubtitleSyntaxError(1, "a WebVTT file starts with 'WEBVTT'")
        i = _skip_block(lines, 0)
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start_line = i
        block_end = _skip_block(lines, i)
        block = lines[i:block_end]
        if vtt and block[0].split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            i = block_end
            continue
        # SRT: index, timing, text; WebVTT: optional identifier, timing, text. A first line with an arrow is
        # meant as the timing (and named if it is not one)
        timing_at = 0 if ARROW.search(block[0]) or len(block) == 1 else 1
        if timing_at >= len(block) or not TIMING.match(block[timing_at]):
            bad = block[min(timing_at, len(block) - 1)]
            raise SubtitleSyntaxError(start_line + min(timing_at, len(block) - 1) + 1,
                                      f"'{bad[:60]}' is not a timing line like 00:00:01,000 --> 00:00:03,500")
        start, end = _parse_timing(block[timing_at])
        if end <= start:
            raise SubtitleSyntaxError(start_line + timing_at + 1, f"the cue ends before it starts ({block[timing_at]})")
        text_lines = []
        for k, line in enumerate(block[timing_at + 1:], start_line + timing_at + 2):
            if looks_like_timing(line):
                raise SubtitleSyntaxError(k, f"'{line[:60]}' looks like a timing line inside a cue's text "
                                             "(a blank line must come before each cue)")
            shown = _vtt_text(line) if vtt else _srt_text(line)
            if shown.strip():
                text_lines.append(shown.strip())
        if text_lines:
            cues.append(Cue(start, end, text_lines))
        i = block_end
    return sorted(cues, key=lambda c: c.start)


def _skip_block(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _parse_timing(line: str) -> tuple[float, float]:
    m = TIMING.match(line)
    assert m is not None
    h1, m1, s1, f1, h2, m2, s2, f2 = m.groups()

    def seconds(h: str | None, mi: str, s: str, frac: str) -> float:
        return int((h or "0:")[:-1]) * 3600 + int(mi) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000

    return seconds(h1, m1, s1, f1), seconds(h2, m2, s2, f2)


def _srt_text(line: str) -> str:
    return ASS_IN_SRT.sub("", SRT_TAG.sub("", line)).replace(ARROW_GUARD[1], ARROW_GUARD[0])


def _vtt_text(line: str) -> str:
    return html.unescape(VTT_TAG.sub("", line))


def _clean(lines: list[str]) -> list[str]:
    """Lines as they can stand in a cue: no control characters, no empty line (it would end the cue)."""
    cleaned = [CONTROL.sub("", line).strip() for line in lines]
    return [line for line in cleaned if line] or ["…"]


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, int(round(seconds * 1000)))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def stamp(seconds: float) -> str:
    """An SRT time stamp, for messages that point into a caption file."""
    return _stamp(seconds, ",")
