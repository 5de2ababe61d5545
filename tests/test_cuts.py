"""Cut by the text: the cuts file, fillers and retakes, cut edges in the pauses, the render and podcast cut."""

from __future__ import annotations

import json
import math
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import FAST_TEMPLATE, run_cli
from videokit.edits.cutfile import Cut, check_against_transcript, cuts_text, read_cuts, write_cuts
from videokit.edits.edges import place
from videokit.edits.fillers import find_fillers, find_retakes
from videokit.errors import ConfigError, InputError
from videokit.timemap import TimeMap, without, words_on_body
from videokit.timeline import Word


def words(text: str, start: float = 0.0, step: float = 0.4, pause_after: dict[int, float] | None = None) -> list[Word]:
    out, t = [], start
    for i, token in enumerate(text.split()):
        out.append(Word(token, round(t, 3), round(t + step - 0.05, 3)))
        t += step + (pause_after or {}).get(i, 0.0)
    return out


# --- the cuts file ---------------------------------------------------------------------------------------------

def test_cuts_file_round_trips_and_is_readable_by_hand(tmp_path: Path) -> None:
    cuts = [Cut(12.34, 13.1, "ähm", reason="filler"), Cut(2.0, 3.5, "Der Radweg wird"), Cut(1.0, 2.0, None, clip=2)]
    path = write_cuts(tmp_path / "clip.cuts.toml", cuts)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# videokit cuts") and '[[cut]]\nstart = 2.000\nend = 3.500\ntext = "Der Radweg wird"' in text
    assert read_cuts(path, [60.0, 10.0]) == sorted(cuts, key=lambda c: (c.clip, c.start))
    assert cuts_text([]).startswith("#")


@pytest.mark.parametrize("body, problem", [
    ("[[cut]]\nstart = 3.0\nend = 4.0\n[[cut]]\nstart = 3.5\nend = 5.0\n", "[[cut]] number 2 (3.5-5 s) overlaps number 1"),
    ("[[cut]]\nstart = -1.0\nend = 4.0\n", "[[cut]] number 1: start -1 s is negative"),
    ("[[cut]]\nstart = 4.0\nend = 4.0\n", "end 4 s is not after start 4 s"),
    ("[[cut]]\nstart = 50.0\nend = 70.0\n", "lies past the recording's end (60.00 s)"),
    ("[[cut]]\nstart = \"eins\"\nend = 4.0\n", "start must be seconds"),
    ("[[cut]]\nstart = 1.0\nend = 2.0\nwho = 3\n", "unknown key 'who'"),
    ("[[cut]]\nstart = 1.0\nend = 2.0\nclip = 3\n", "clip = 3 is not a clip of the job"),
    ("[[cut]]\nstart = 1.0\nend = 2.0\ntext = 5\n", "text must be in quotes"),
    ("cut = 3\n", "a cuts file holds [[cut]] tables only"),
    ("[[cut]\nstart = 1\n", ""),
])
def test_a_bad_cuts_file_is_one_line_naming_the_entry(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "bad.cuts.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises((InputError, ConfigError)) as err:
        read_cuts(path, [60.0])
    assert str(path) in err.value.message and problem in err.value.message and "\n" not in err.value.message


def test_cuts_must_still_match_the_transcript(tmp_path: Path) -> None:
    heard = words("Der Radweg wird der neue Radweg wird im Mai fertig")
    path = tmp_path / "c.cuts.toml"
    ok = [Cut(heard[0].start, heard[2].end, "Der Radweg wird,"), Cut(heard[8].start, heard[9].end, "Mei fertig"),
          Cut(heard[3].start, heard[3].end)]  # punctuation and a respelling pass; no text: no check
    check_against_transcript(path, ok, [heard])
    with pytest.raises(InputError, match=r'number 1 \(0-1.15 s\) says "im Mai" but the transcript has "Der Radweg wird"'):
        check_against_transcript(path, [Cut(heard[0].start, heard[2].end, "im Mai")], [heard])
    with pytest.raises(InputError, match="the transcript has \"\""):
        check_against_transcript(path, [Cut(20.0, 21.0, "ähm")], [heard])


# --- fillers and retakes (pure) -------------------------------------------------------------------------------

def mask(seconds: float, voiced: list[tuple[float, float]]) -> np.ndarray:
    m = np.zeros(int(seconds * 100), bool)
    for a, b in voiced:
        m[int(a * 100): int(b * 100)] = True
    return m


def test_fillers_are_found_as_words_and_as_voice_no_word_covers() -> None:
    heard = [Word("Die", 0.0, 0.3), Word("Busse", 0.3, 0.8), Word("fahren,", 0.8, 1.3), Word("äh,", 1.6, 2.0),
             Word("eine", 2.3, 2.6), Word("Umleitung.", 2.6, 3.4), Word("Wir", 4.3, 4.5), Word("bitten", 4.5, 4.9)]
    voiced = mask(6.0, [(0.0, 1.3), (1.6, 2.0), (2.3, 3.4), (3.7, 4.2), (4.3, 4.9)])
    found = find_fillers(heard, voiced)
    assert [(c.start, c.end, c.text) for c in found] == [(1.6, 2.0, "äh,"), (3.7, 4.2, "")]
    assert all(c.reason == "filler" for c in found)


def test_voice_running_on_from_a_word_is_that_word_not_a_filler() -> None:
    # Whisper ended "15." at 4.75 s, the voice ("fünfzehnten") runs on to 5.2 s: no filler there
    heard = [Word("dem", 3.9, 4.2), Word("15.", 4.25, 4.75), Word("Mai", 5.34, 5.65)]
    voiced = mask(6.0, [(3.9, 5.2), (5.34, 5.65)])
    assert find_fillers(heard, voiced) == []
    # too short (a breath) or too long (a whole unheard sentence) is no filler either
    voiced = mask(6.0, [(3.9, 4.75), (4.95, 5.1), (5.34, 5.65)])
    assert find_fillers(heard, voiced) == []


def test_a_retake_keeps_the_last_attempt() -> None:
    heard = words("Der Radweg wird, der neue Radweg wird im Mai fertig.")
    found = find_retakes(heard)
    assert [(c.text, c.reason) for c in found] == [("Der Radweg wird,", "retake")]
    assert found[0].start == heard[0].start and found[0].end == heard[2].end
    again = words("Alle Geschäfte bleiben geöffnet. Alle Geschäfte bleiben geöffnet. Danke.")
    assert [c.text for c in find_retakes(again)] == ["Alle Geschäfte bleiben geöffnet."]
    stutter = words("Der, der neue Radweg ist fertig.")
    assert [c.text for c in find_retakes(stutter)] == ["Der,"]


@pytest.mark.parametrize("text", [
    "Der Radweg in der Innenstadt wird im Juli fertig. Der Radweg bekommt eine eigene Ampel.",
    "Wir verstehen die Händler. Die Parkplätze im Parkhaus am Markt bleiben erhalten.",
    "Es fallen vierzig Parkplätze weg. Dafür gibt es neue Parkplätze im Parkhaus.",
    "Die Stadt baut, die Stadt plant und die Stadt feiert.",
])
def test_ordinary_sentences_are_no_retakes(text: str) -> None:
    assert find_retakes(words(text)) == []


# --- edges and kept ranges (pure) ----------------------------------------------------------------------------

def test_edges_go_to_the_middle_of_the_pauses_on_frame_boundaries() -> None:
    # 10 ms levels: speech -20 dB, pauses -70 dB; kept word ends at 1.0, filler 1.3-1.8, next word at 2.2
    level = np.full(300, -20.0)
    level[100:130] = -70.0
    level[180:220] = -70.0
    kept = [Word("fahren", 0.5, 1.0), Word("eine", 2.2, 2.5)]
    placed = place(Cut(1.35, 1.75, ""), level, kept, 0.0, 3.0, 30)
    assert placed is not None
    assert abs(placed.start - 1.15) <= 1 / 30 and abs(placed.end - 2.0) <= 1 / 30
    for t in (placed.start, placed.end):
        assert abs(t * 30 - round(t * 30)) < 1e-4
    assert placed.start >= 1.0 and placed.end <= 2.2


def test_an_edge_never_enters_a_kept_word_even_without_a_pause() -> None:
    level = np.full(300, -20.0)  # no pause anywhere: words glued together
    kept = [Word("und", 0.5, 1.02), Word("dann", 1.5, 2.0)]
    placed = place(Cut(1.05, 1.45, "äh"), level, kept, 0.0, 3.0, 30)
    assert placed is not None and placed.start >= 1.02 - 1e-6 and placed.end <= 1.5 + 1e-6
    assert place(Cut(1.03, 1.04, "x"), level, [Word("a", 0.5, 1.02), Word("b", 1.05, 1.5)], 0.0, 3.0, 30) is None


def test_kept_ranges_without_the_cuts_and_the_words_that_follow() -> None:
    keep = without([(0.0, 10.0)], [(2.0, 3.0), (5.0, 5.5)], 30)
    assert keep == [(0.0, 2.0), (3.0, 5.0), (5.5, 10.0)]
    assert without([(0.0, 4.0), (6.0, 9.0)], [(3.5, 7.0)], 30) == [(0.0, 3.5), (7.0, 9.0)]
    tmap = TimeMap(keep)
    moved = words_on_body([Word("a", 1.0, 1.5), Word("äh", 2.2, 2.8), Word("b", 3.2, 3.6)], tmap)
    assert [(w.text, w.start) for w in moved] == [("a", 1.0), ("b", 2.2)]
