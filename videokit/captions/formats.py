"""Subtitle files: read edited SRTs (any common encoding), write SRT/VTT sidecars and brand-styled ASS."""

from __future__ import annotations

from pathlib import Path

import pysubs2

from videokit.brand import BrandKit
from videokit.captions.subtext import (
    SubtitleSyntaxError,
    format_srt,
    format_vtt,
    parse_subtitles,
)
from videokit.errors import InputError
from videokit.layout import caption_band
from videokit.platforms import Platform
from videokit.templates import CaptionStyle
from videokit.textfile import read_text_any, write_text_atomic
from videokit.timeline import Cue

SIDE_FORMATS = ("srt", "vtt")


def read_subtitles(path: Path) -> list[Cue]:
    """Cues from an SRT/VTT the editor corrected. UTF-8 expected; Windows-1252 (common from editors) detected.
    Strict: a broken timing line names its line number instead of becoming caption text."""
    if not path.is_file():
        raise InputError.for_file(path, "subtitle file not found", "check the path or use --subtitles auto")
    text, _encoding = read_text_any(path)
    try:
        cues = parse_subtitles(text, vtt=_format_of(path) == "vtt")
    except SubtitleSyntaxError as exc:
        raise InputError.for_file(path, str(exc), "fix it in a subtitle editor, or use --subtitles auto") from None
    if text.strip() and not cues:
        raise InputError.for_file(path, "has no readable cues (bad timestamps?)", "timestamps look like 00:00:01,000 --> 00:00:03,500")
    return cues


def _format_of(path: Path) -> str:
    return "vtt" if path.suffix.lower() == ".vtt" else "srt"


def write_sidecar(cues: list[Cue], path: Path, offset: float = 0.0) -> Path:
    """SRT or VTT (by suffix), times shifted by `offset` (the intro), the text as typed. Written atomically."""
    text = format_vtt(cues, offset) if _format_of(path) == "vtt" else format_srt(cues, offset)
    return write_text_atomic(path, text)


def write_ass(cues: list[Cue], path: Path, platform: Platform, brand: BrandKit, style: CaptionStyle) -> Path:
    """Brand-styled ASS for one platform: pixel coordinates of that frame, the brand's caption font, inside
    the safe area; 'highlight' style colours the word being spoken (one event per word)."""
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(platform.width)
    subs.info["PlayResY"] = str(platform.height)
    subs.info["WrapStyle"] = "2"  # we break lines ourselves; libass must not re-wrap
    subs.info["ScaledBorderAndShadow"] = "yes"
    band = caption_band(platform)
    white = pysubs2.Color(*brand.text)
    subs.styles["Default"] = pysubs2.SSAStyle(
        fontname=brand.font_family("captions"),
        fontsize=brand.ass_font_size("captions", round(style.font_px * platform.scale)),
        primarycolor=white, secondarycolor=white,
        outlinecolor=pysubs2.Color(0, 0, 0), backcolor=pysubs2.Color(0, 0, 0, 110),
        bold=False, outline=max(2, round(style.font_px * platform.scale / 14)), shadow=2, borderstyle=1,
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginl=band.x, marginr=platform.width - band.right, marginv=platform.height - band.bottom,
    )
    accent = "{\\c&H%02X%02X%02X&}" % (brand.accent[2], brand.accent[1], brand.accent[0])
    for cue in cues:
        if style.style == "highlight" and cue.words:
            for start, end, text in highlight_events(cue, accent):
                subs.append(pysubs2.SSAEvent(start=_ms(start), end=_ms(end), text=text))
        else:
            subs.append(pysubs2.SSAEvent(start=_ms(cue.start), end=_ms(cue.end), text="\\N".join(_esc(l) for l in cue.lines)))
    path.write_text(subs.to_string("ass"), encoding="utf-8")
    return path


def highlight_events(cue: Cue, accent_tag: str) -> list[tuple[float, float, str]]:
    """One event per spoken word: the whole group shown, that word in the accent colour (TikTok style)."""
    tokens = [_esc(w.text) for w in cue.words]
    per_line = _words_per_line(cue)
    n = len(tokens)
    events = []
    for k in range(n):
        start = cue.start if k == 0 else cue.words[k].start
        end = cue.end if k == n - 1 else cue.words[k + 1].start
        if end <= start:
            continue
        shown = [f"{accent_tag}{t}{{\\c}}" if i == k else t for i, t in enumerate(tokens)]
        lines, i = [], 0
        for count in per_line:
            lines.append(" ".join(shown[i:i + count]))
            i += count
        events.append((start, end, "\\N".join(lines)))
    return events


def _words_per_line(cue: Cue) -> list[int]:
    """How many of the cue's words each of its lines holds (lines are the words joined by spaces)."""
    counts, i = [], 0
    for line in cue.lines:
        start, joined = i, ""
        while i < len(cue.words) and len(joined) < len(line):
            joined = f"{joined} {cue.words[i].text}".strip()
            i += 1
        counts.append(i - start)
    counts[-1] += len(cue.words) - i
    return counts


def _esc(text: str) -> str:
    """User text literal in ASS: braces escaped (libass reads `\\{` as a brace, not an override block), and a
    backslash followed by an invisible word joiner, so `C:\\Nutzer\\neu` is not read as `\\N` line breaks."""
    return text.replace("\\", "\\\u2060").replace("{", "\\{").replace("}", "\\}")


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))
