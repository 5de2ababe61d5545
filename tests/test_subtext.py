"""SRT/WebVTT text (captions/subtext.py) and the ASS escape: what a person typed comes out as typed, in every
format and burned into the picture; broken timing lines are named, never burned in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from videokit.captions.formats import _esc, read_subtitles
from videokit.captions.subtext import SubtitleSyntaxError, format_srt, format_vtt, parse_subtitles
from videokit.timeline import Cue

TYPED = [Cue(1.0, 2.0, ["Preis {ca. 5 Euro} heute", "C:\\Nutzer\\neu"]),
         Cue(3.0, 4.5, ["a < b … > d", "A --> B & C"])]


@pytest.mark.parametrize("vtt", [False, True])
def test_typed_text_round_trips_through_srt_and_vtt(vtt: bool) -> None:
    text = format_vtt(TYPED) if vtt else format_srt(TYPED)
    assert [c.lines for c in parse_subtitles(text, vtt)] == [c.lines for c in TYPED]
    assert [(c.start, c.end) for c in parse_subtitles(text, vtt)] == [(c.start, c.end) for c in TYPED]


def test_no_line_of_a_written_file_reads_as_a_timing_but_the_timings() -> None:
    injected = [Cue(1.0, 2.0, ["Hallo", "00:00:00,000 --> 00:09:00,000", "INJIZIERT"])]
    for text in (format_srt(injected), format_vtt(injected)):
        timings = [line for line in text.splitlines() if "-->" in line]
        assert timings == [next(line for line in text.splitlines() if line.startswith("00:00:01"))]
    assert "--&gt;" in format_vtt(injected)  # WebVTT's own escape; SRT has none, a word joiner breaks the arrow


@pytest.mark.parametrize("bad, line", [
    ("1\n00:00:01,000 -> 00:00:02,000\nx\n", 2),
    ("1\nabc --> def\nx\n", 2),
    ("1\n00:00:01,000 --> 00:00:02,000\nx\n00:00:03,000 --> 00:00:04,000\ny\n", 4),
    ("1\n00:00:05,000 --> 00:00:01,000\nRückwärts\n", 2),
])
def test_broken_timing_lines_name_their_line(bad: str, line: int) -> None:
    with pytest.raises(SubtitleSyntaxError) as info:
        parse_subtitles(bad, vtt=False)
    assert info.value.line == line


def test_srt_with_a_broken_arrow_is_refused_with_its_line(tmp_path: Path) -> None:
    srt = tmp_path / "pfeil.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nGut\n\n2\n00:00:03,000 -> 00:00:04,000\nFalsch\n", "utf-8")
    with pytest.raises(Exception) as info:
        read_subtitles(srt)
    assert "pfeil.srt: line 6:" in str(info.value)


def test_srt_formatting_tags_are_formatting_not_text() -> None:
    cues = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>kursiv</i> <font color=\"red\">rot</font>\n", False)
    assert cues[0].lines == ["kursiv rot"]


def test_vtt_reading_skips_notes_and_decodes_entities() -> None:
    cues = parse_subtitles("WEBVTT\n\nNOTE hi\n\nid1\n00:01.000 --> 00:02.500 align:start\n"
                           "<v Sven>Hallo &amp; <i>Tschüss</i> &lt;3\n", vtt=True)
    assert [(c.start, c.end, c.lines) for c in cues] == [(1.0, 2.5, ["Hallo & Tschüss <3"])]


def _libass(text: str, tmp_path: Path) -> np.ndarray:
    """The white text pixels libass draws for one event (real ffmpeg + libass)."""
    ass = tmp_path / "t.ass"
    ass.write_text("[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 120\nWrapStyle: 2\n\n"
                   "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
                   "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
                   "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\nStyle: Default,DejaVu Sans,40,"
                   "&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,7,10,10,10,1\n\n"
                   "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
                   f"Dialogue: 0,0:00:00.00,0:00:05.00,Default,,0,0,0,,{text}\n", encoding="utf-8")
    raw = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=black:s=640x120:d=1", "-vf",
                          f"subtitles={ass.name}", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                         cwd=tmp_path, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(120, 640) > 128


def test_burned_text_keeps_braces_and_backslashes(tmp_path: Path) -> None:
    """libass reads `{...}` as override tags and `\\n` as a break: escaped, they are drawn as typed."""
    escaped = _libass(_esc("Preis {ca. 5 Euro}"), tmp_path)
    plain = _libass("Preis (ca. 5 Euro)", tmp_path)  # the same width of text, parentheses for braces
    swallowed = _libass("Preis ", tmp_path)
    assert escaped.any(axis=0).nonzero()[0].max() > swallowed.any(axis=0).nonzero()[0].max() + 100
    assert abs(int(escaped.sum()) - int(plain.sum())) < 0.2 * plain.sum()
    one_line = _libass(_esc("C:\\Nutzer\\neu"), tmp_path)
    rows = one_line.any(axis=1).nonzero()[0]
    assert rows.max() - rows.min() < 60  # one line of 40 px text, not three
