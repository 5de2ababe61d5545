"""Cut by the text: the cuts file, fillers and retakes, cut edges in the pauses, the render and podcast cut."""

from __future__ import annotations

import json
import subprocess
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


def test_cut_fillers_in_a_template_and_a_job_file(tmp_path: Path) -> None:
    from videokit.job import build_job, load_job_file
    from videokit.templates import load_template

    template = tmp_path / "schnitt.toml"
    template.write_text('name = "schnitt"\ncut_fillers = true\n', encoding="utf-8")
    assert load_template(str(template)).cut_fillers and not load_template("news").cut_fillers
    template.write_text('cut_fillers = "ja"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="cut_fillers must be true or false"):
        load_template(str(template))
    job = tmp_path / "job.toml"
    job.write_text(f'cuts = "c.cuts.toml"\ncut_fillers = false\n\n[[clip]]\nfile = "{tmp_path / "a.mp4"}"\n',
                   encoding="utf-8")
    built = build_job(load_job_file(job))
    assert built.cuts == tmp_path / "c.cuts.toml" and built.cut_fillers is False
    job.write_text('cut_fillers = "ja"\n\n[[clip]]\nfile = "a.mp4"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="cut_fillers"):
        load_job_file(job)


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


def test_a_filler_under_a_word_whisper_stretched_over_it_is_found_and_the_word_shortened() -> None:
    from videokit.edits.fillers import off_fillers

    # "Es spielen äh drei Bands": Whisper wrote "drei" from 4.51 to 5.85 s, the voice says "äh" 4.86-5.36
    heard = [Word("spielen", 4.01, 4.51), Word("drei", 4.51, 5.85), Word("Bands", 5.85, 6.25)]
    voiced = mask(7.0, [(3.8, 4.6), (4.86, 5.36), (5.6, 6.25)])
    found = find_fillers(heard, voiced, np.full(700, 0.25))
    assert [(c.start, c.end) for c in found] == [(4.86, 5.36)]
    assert [(w.text, w.start, w.end) for w in off_fillers(heard, found)][1] == ("drei", 5.36, 5.85)
    # a word that moves from sound to sound is no filler, however alone it stands
    assert find_fillers(heard, voiced, np.full(700, 0.55)) == []
    # nor a short word whose times are merely off by a little
    assert find_fillers([Word("Tag", 0.79, 1.15), Word("aus", 1.15, 1.77)], mask(3.0, [(0.5, 0.9), (1.0, 1.39), (1.5, 1.8)]),
                        np.full(300, 0.25)) == []


def test_german_words_that_sound_like_hesitations_are_words() -> None:
    from videokit.edits.fillers import is_filler_word

    assert [is_filler_word(Word(t, 0, 1)) for t in ("Ähm,", "äh", "hm.", "um.", "eh", "Um")] == [True, True, True,
                                                                                             False, False, False]


def test_a_retake_keeps_the_last_attempt() -> None:
    heard = words("Der Radweg wird, der neue Radweg wird im Mai fertig.")
    found = find_retakes(heard)
    assert [(c.text, c.reason) for c in found] == [("Der Radweg wird,", "retake")]
    assert found[0].start == heard[0].start and found[0].end == heard[2].end
    again = words("Alle Geschäfte bleiben geöffnet. Alle Geschäfte bleiben geöffnet. Danke.")
    assert [c.text for c in find_retakes(again)] == ["Alle Geschäfte bleiben geöffnet."]
    stopped = words("Alle Geschäfte bleiben. Alle Geschäfte in der Innenstadt bleiben geöffnet.")
    assert [c.text for c in find_retakes(stopped)] == ["Alle Geschäfte bleiben."]
    stutter = words("Der, der neue Radweg ist fertig.")
    assert [c.text for c in find_retakes(stutter)] == ["Der,"]


@pytest.mark.parametrize("text", [
    "Der Radweg in der Innenstadt wird im Juli fertig. Der Radweg bekommt eine eigene Ampel.",
    "Wir verstehen die Händler. Die Parkplätze im Parkhaus am Markt bleiben erhalten.",
    "Es fallen vierzig Parkplätze weg. Dafür gibt es neue Parkplätze im Parkhaus.",
    "Die Stadt baut, die Stadt plant und die Stadt feiert.",
    "Wie breit wird der Radweg? Der Radweg wird zwei Meter breit, damit Lastenräder gut überholen können.",
    "Der Radweg wird im Juli fertig. Der Radweg bekommt eine eigene Ampel. Der Radweg wird breit.",
    "Gibt es beim Sommerfest auch Musik? Beim Sommerfest spielen drei Bands aus der Region.",
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


# --- real renders ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def disfluent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    from videokit.samplegen import make_disfluent_clip

    return make_disfluent_clip(tmp_path_factory.mktemp("disfluent"))


def render(clip: Path, out: Path, *extra: str) -> dict:
    """Render for YouTube and return the planned timeline (the same run's plan, from --dry-run)."""
    args = [str(clip), "--platforms", "youtube", "--template", FAST_TEMPLATE, "--subtitles", "auto", "--out",
            str(out), "--no-outro", *extra]
    plan = run_cli("render", *args, "--dry-run")
    assert plan.exit_code == 0, plan.output
    timeline, _ = json.JSONDecoder().raw_decode(plan.output[plan.output.index("{"):])
    result = run_cli("render", *args)
    assert result.exit_code == 0, result.output
    return {"timeline": timeline, "output": result.output}


def seconds_of(path: Path) -> float:
    return float(ffprobe_format(path)["duration"])


def ffprobe_format(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["format"]


def tokens(words: list[dict]) -> list[str]:
    from videokit.edits.cutfile import normalised

    return [normalised(w["text"]) for w in words if normalised(w["text"])]


def wer(truth: list[str], heard: list[str]) -> float:
    import jiwer

    return jiwer.wer(" ".join(truth), " ".join(heard))


def is_filler(word: dict) -> bool:
    from videokit.edits.fillers import is_filler_word

    return is_filler_word(Word(word["text"], 0.0, 0.1))


def pcm(path: Path, rate: int = 48000) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.int16).astype(np.float32) / 32768


@pytest.mark.slow
def test_cut_fillers_removes_fillers_and_retakes_and_keeps_every_word(disfluent: tuple[Path, list], tmp_path: Path) -> None:
    clip, layout = disfluent
    render(clip, tmp_path / "plain")
    cut = render(clip, tmp_path / "cut", "--cut-fillers")
    name = "statement-with-fillers"
    before, after = (seconds_of(tmp_path / d / f"{name}_youtube.mp4") for d in ("plain", "cut"))
    inserted = sum(float(p["end"]) - float(p["start"]) for p in layout if p["kind"] in ("filler", "retake"))
    assert before - after >= 0.8 * inserted, (before, after, inserted)
    assert "cut 4 filler(s), 2 retake(s)" in cut["output"] and "s removed" in cut["output"]

    heard = json.loads((tmp_path / "plain" / f"{name}.words.json").read_text(encoding="utf-8"))["words"]
    kept = json.loads((tmp_path / "cut" / f"{name}.words.json").read_text(encoding="utf-8"))
    # the first attempts are gone: each sentence start is said once now
    for first in ("geschäfte", "alle"):
        assert tokens(heard).count(first) == 2
        assert tokens(kept["words"]).count(first) == 1
    assert not {"äh", "ähm"} & set(tokens(kept["words"]))
    # every other word is still there: Whisper hears the cut video as it heard those words in the original
    from videokit.captions.transcribe import TranscribeOptions, transcribe_file

    intro = kept["intro"]
    again = [w.text for w in transcribe_file(str(tmp_path / "cut" / f"{name}_youtube.mp4"), TranscribeOptions(),
                                             intro)]
    def script(kinds: tuple[str, ...]) -> list[str]:
        return tokens([{"text": t} for p in layout if p["kind"] in kinds for t in str(p["text"]).split()])

    # Whisper's own error on this voice (the original against all it says) is the yardstick for the cut video
    # against what it should still say: a lost word would show as a deletion on top
    wer_before = wer(script(("say", "retake")), tokens([w for w in heard if not is_filler(w)]))
    wer_after = wer(script(("say",)), tokens([{"text": t} for t in again]))
    print(f"WER against the script: original {wer_before:.2f}, cut {wer_after:.2f}")
    assert wer_after <= wer_before + 0.1, (wer_before, wer_after, again)
    # the kept ranges are whole frames and the job file records the setting
    keep = cut["timeline"]["clips"][0]["keep"]
    assert len(keep) == 7 and all(abs(a * 30 - round(a * 30)) < 1e-6 for r in keep for a in r)
    assert "cut_fillers = true" in (tmp_path / "cut" / f"{name}.job.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_sound_has_no_click_at_any_cut(disfluent: tuple[Path, list], tmp_path: Path) -> None:
    clip, _ = disfluent
    done = render(clip, tmp_path / "cut", "--cut-fillers")
    timeline = done["timeline"]
    intro = timeline["intro"]["duration"] if timeline["intro"] else 0.0
    keep = timeline["clips"][0]["keep"]
    joins, t = [], intro
    for a, b in keep[:-1]:
        t += b - a
        joins.append(t)
    sound = pcm(tmp_path / "cut" / "statement-with-fillers_youtube.mp4")
    rate = 48000
    jumps = np.abs(np.diff(sound))
    for at in joins:
        i = int(round(at * rate))
        near = jumps[i - rate // 100: i + rate // 100].max()  # 10 ms either side of the cut
        around = np.percentile(jumps[max(0, i - rate // 2): i + rate // 2], 99)  # the speech around it
        assert near <= max(around, 1e-3), f"click at {at:.3f} s: {near:.4f} > {around:.4f}"


@pytest.mark.slow
def test_a_cuts_file_removes_its_ranges_and_everything_follows(disfluent: tuple[Path, list], tmp_path: Path) -> None:
    clip, layout = disfluent
    sentence = next(p for p in layout if p["text"] == "Verständnis für die Bauarbeiten.")
    plain = render(clip, tmp_path / "plain", "--lower-third", "Erika Beispiel|Pressestelle@22-26")
    heard = json.loads((tmp_path / "plain" / "statement-with-fillers.words.json").read_text(encoding="utf-8"))
    removed = [w for w in heard["words"] if float(sentence["start"]) - 0.1 <= w["start"] < float(sentence["end"])]
    cuts = tmp_path / "statement.cuts.toml"
    start, end = removed[0]["start"] - 0.05, removed[-1]["end"] + 0.05  # body time is recording time here
    cuts.write_text(f'[[cut]]\nstart = {start:.3f}\nend = {end:.3f}\ntext = "{" ".join(w["text"] for w in removed)}"\n',
                    encoding="utf-8")
    done = render(clip, tmp_path / "cut", "--cuts", str(cuts), "--lower-third", "Erika Beispiel|Pressestelle@22-26",
                  "--export-timeline", "otio")
    kept = json.loads((tmp_path / "cut" / "statement-with-fillers.words.json").read_text(encoding="utf-8"))
    assert "bauarbeiten" not in tokens(kept["words"]) and "bauarbeiten" in tokens(heard["words"])
    srt = (tmp_path / "cut" / "statement-with-fillers_youtube.srt").read_text(encoding="utf-8")
    assert "Bauarbeiten" not in srt
    shorter = plain["timeline"]["clips"][0]["duration"] - done["timeline"]["clips"][0]["duration"]
    assert end - start - 0.3 <= shorter <= end - start + 0.5
    # the lower third started inside the removed sentence: it starts where the next kept words begin
    lower = done["timeline"]["lower_thirds"][0]
    next_word = next(w for w in kept["words"] if w["start"] >= lower["start"] - 0.05)
    assert lower["start"] <= next_word["start"] + 0.4 and lower["end"] - lower["start"] == pytest.approx(4.0, abs=0.01)
    # the words file maps body time back to the recording, and the OTIO timeline holds both kept pieces
    assert [p["start"] for p in kept["pieces"]][0] == 0.0 and len(kept["pieces"]) == 2
    import opentimelineio as otio

    tl = otio.adapters.read_from_file(str(tmp_path / "cut" / "statement-with-fillers_youtube.otio"))
    ranges = [c.source_range for c in tl.video_tracks()[0].find_clips() if "statement" in (c.name or "")]
    assert len(ranges) == 2
    assert "cuts = " in (tmp_path / "cut" / "statement-with-fillers.job.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_cuts_file_that_no_longer_fits_is_refused_before_anything_is_written(disfluent: tuple[Path, list],
                                                                               tmp_path: Path) -> None:
    clip, _ = disfluent
    cuts = tmp_path / "c.cuts.toml"
    for body, problem in [
        ('[[cut]]\nstart = 2.0\nend = 3.0\n[[cut]]\nstart = 2.5\nend = 4.0\n', "overlaps number 1"),
        ('[[cut]]\nstart = 30.0\nend = 90.0\n', "past the recording's end"),
        ('[[cut]]\nstart = 0.4\nend = 2.9\ntext = "Herzlich willkommen im Stadtrat"\n', "but the transcript has"),
    ]:
        cuts.write_text(body, encoding="utf-8")
        out = tmp_path / "out"
        result = run_cli("render", str(clip), "--platforms", "youtube", "--template", FAST_TEMPLATE, "--subtitles",
                         "auto", "--out", str(out), "--cuts", str(cuts))
        assert result.exit_code != 0 and problem in result.output and str(cuts) in result.output
        assert "Traceback" not in result.output
        assert not out.exists() or not any(out.iterdir())  # no partial output
    assert cuts.read_text(encoding="utf-8").startswith("[[cut]]")  # the input is never modified


@pytest.mark.slow
def test_a_cut_through_a_steady_tone_fades_instead_of_clicking(tmp_path: Path) -> None:
    """A 440 Hz tone cut at frame boundaries jumps in phase at every cut (up to twice its level in one sample)
    unless the sound fades there."""
    from videokit.samplegen import make_clip

    clip = make_clip(tmp_path / "tone.mp4", 4.0, size=(640, 360), audio="tone")
    cuts = tmp_path / "tone.cuts.toml"
    cuts.write_text("[[cut]]\nstart = 1.013\nend = 1.517\n\n[[cut]]\nstart = 2.61\nend = 2.9\n", encoding="utf-8")
    done = render(clip, tmp_path / "out", "--cuts", str(cuts), "--subtitles", "none", "--no-intro")
    keep = done["timeline"]["clips"][0]["keep"]
    assert len(keep) == 3
    sound = pcm(tmp_path / "out" / "tone_youtube.mp4")
    jumps = np.abs(np.diff(sound))
    steady = np.percentile(jumps[: 48000 // 2], 99.9)  # the tone's own steepest step
    t = 0.0
    for a, b in keep[:-1]:
        t += b - a
        i = int(round(t * 48000))
        assert jumps[i - 480: i + 480].max() <= steady * 1.2, f"click at {t:.3f} s"


@pytest.mark.slow
def test_editor_strikes_words_saves_the_cuts_and_renders_without_them(disfluent: tuple[Path, list],
                                                                       tmp_path: Path) -> None:
    """In Chromium: strike a sentence (Delete), undo and strike again, mark the fillers, hear the video skip,
    save, render again: the cuts file, the new output's length and its captions follow."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    import re

    from test_review import _browser, _wait, serving

    clip, _ = disfluent
    folder = tmp_path / "out"
    render(clip, folder)
    name = "statement-with-fillers"
    before = seconds_of(folder / f"{name}_youtube.mp4")
    struck = "return document.querySelectorAll('#cues .w.cut').length"
    with serving(folder) as (url, _srv):
        driver = _browser()
        try:
            driver.get(url)
            _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            driver.find_element(By.ID, "cutmode").click()
            select = """
                const spans = [...document.querySelectorAll('#cues .w')];
                const last = spans.findIndex(s => s.textContent.startsWith('Bauarbeiten'));
                const r = document.createRange(); r.setStartBefore(spans[last - 3]); r.setEndAfter(spans[last]);
                getSelection().removeAllRanges(); getSelection().addRange(r);
                return spans.slice(last - 3, last + 1).map(s => s.textContent);"""
            sentence = driver.execute_script(select)  # "Verständnis für die Bauarbeiten." as Whisper heard it
            assert sentence[1:] == ["für", "die", "Bauarbeiten."], sentence
            ActionChains(driver).send_keys(Keys.DELETE).perform()
            assert driver.execute_script(struck) == 4
            assert "→" in driver.find_element(By.ID, "length").text
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
            assert driver.execute_script(struck) == 0
            driver.execute_script(select)
            ActionChains(driver).send_keys(Keys.BACK_SPACE).perform()
            assert driver.execute_script(struck) == 4
            # the machine's fillers and retakes: struck too, each one restorable
            driver.find_element(By.ID, "fillers").click()
            _wait(driver, lambda d: "gefunden" in d.find_element(By.ID, "status").text, 60)
            found = re.search(r"(\d+) Füllwörter, (\d+) Wiederholungen", driver.find_element(By.ID, "status").text)
            assert found and int(found[1]) >= 3 and int(found[2]) >= 1, found
            assert driver.execute_script(struck) >= 4 + 3
            # the video skips what is struck while it plays
            gap = driver.execute_script("return intervals.find(i => i[1] - i[0] > 1.5)")
            driver.execute_script(f"video.currentTime = {gap[0] + 0.05}; video.play();")
            _wait(driver, lambda d: d.execute_script("return video.currentTime") >= gap[1], 10)
            driver.execute_script("video.pause()")
            driver.find_element(By.ID, "save").click()
            _wait(driver, lambda d: "Gespeichert" in d.find_element(By.ID, "status").text, 30)
            cuts = folder / f"{name}.cuts.toml"
            text = cuts.read_text(encoding="utf-8")
            assert "für die Bauarbeiten." in text and 'reason = "retake"' in text
            assert f'cuts = "{name}.cuts.toml"' in (folder / f"{name}.job.toml").read_text(encoding="utf-8")
            # saved, not rendered yet: listed and shown grey
            assert driver.find_elements(By.CSS_SELECTOR, "#removedlist label")
            assert driver.execute_script("return document.querySelectorAll('#cues .w.saved').length") >= 4
            driver.find_element(By.ID, "render").click()
            _wait(driver, lambda d: "fertig" in d.find_element(By.ID, "renderstatus").text
                  or "Fehler" in d.find_element(By.ID, "renderstatus").text, 240)
            assert "fertig" in driver.find_element(By.ID, "renderstatus").text
        finally:
            driver.quit()
    after = seconds_of(folder / f"{name}_youtube.mp4")
    assert before - after >= 2.0 + 4.0, (before, after)  # the sentence and the fillers and retakes
    words = json.loads((folder / f"{name}.words.json").read_text(encoding="utf-8"))
    assert "bauarbeiten" not in tokens(words["words"]) and tokens(words["words"]).count("geschäfte") == 1
    assert "Bauarbeiten" not in (folder / f"{name}_youtube.srt").read_text(encoding="utf-8")


@pytest.mark.slow
def test_podcast_cut_fillers_is_one_kept_range_list_with_the_pauses(disfluent: tuple[Path, list],
                                                                    tmp_path: Path) -> None:
    """The podcast's pause cutting and the text's cuts are one list: fillers and retakes go, the captions,
    chapters and job file follow, and a cuts file is taken too (the job file records both)."""
    from test_podcast import FAST_PODCAST

    clip, layout = disfluent
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Pressestelle"\n', encoding="utf-8")
    sentence = next(p for p in layout if p["text"] == "Vielen Dank.")
    cuts = tmp_path / "episode.cuts.toml"
    cuts.write_text(f'[[cut]]\nstart = {float(sentence["start"]) - 0.1:.3f}\nend = {float(sentence["end"]) + 0.1:.3f}\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("podcast", str(clip), "--speakers", str(speakers), "--out", str(out), "--template", FAST_PODCAST,
                "--title", "Folge", "--teasers", "0", "--cut-fillers", "--cuts", str(cuts))
    assert r.exit_code == 0, r.output
    import re

    # Whisper's words may run a filler into the stated range: then both are one range of the cuts file
    assert re.search(r"cut [34] filler\(s\), 2 retake\(s\), 1 range\(s\) of the cuts file", r.output), r.output
    words = json.loads((out / "folge.words.json").read_text(encoding="utf-8"))
    heard = tokens(words["words"])
    assert heard.count("geschäfte") == 1 and not {"äh", "ähm", "vielen", "dank"} & set(heard)
    kept = sum(p["end"] - p["start"] for p in words["pieces"])
    spoken = sum(float(p["end"]) - float(p["start"]) for p in layout if p["kind"] == "say")
    assert kept < spoken + 4.0  # what is left is the sentences and short pauses
    job = (out / "folge.job.toml").read_text(encoding="utf-8")
    assert "cut_fillers = true" in job and "episode.cuts.toml" in job


def test_a_sliver_a_cut_leaves_goes_too() -> None:
    # a trim at 2.5 s and a filler cut from 2.6 s: the 0.1 s between is a syllable's tail, not a piece to keep
    assert without([(2.5, 25.0)], [(2.6, 3.7)], 30, origin=2.5) == [(3.7, 25.0)]
    # a short range that was kept before the cuts (a podcast's short remark) stays
    assert without([(0.0, 0.1), (5.0, 9.0)], [(6.0, 7.0)], 30) == [(0.0, 0.1), (5.0, 6.0), (7.0, 9.0)]
