"""videokit podcast: pure planning (cuts, time map, chapters, teasers, voices) and one real two-voice episode."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, ffprobe, run_cli, video_stream
from videokit.errors import InputError
from videokit.podcast.chapters import Chapter, format_chapters, plan_chapters, youtube_timestamp
from videokit.timemap import TimeMap
from videokit.podcast.cuts import PauseSettings, plan_cuts, spoken_spans
from videokit.podcast.teasers import propose_conversation_teasers, propose_teasers
from videokit.podcast.speakerfile import apply_speaker_fixes
from videokit.podcast.speakers import speaker_lower_thirds, voice_names
from videokit.podcast.analysis import Region
from videokit.podcast.speakers import Speaker, load_speakers
from videokit.podcast.voices import label_regions
from videokit.timeline import Word

FAST_PODCAST = str(DATA / "fast-podcast.toml")
FPS = 30


# ---------------------------------------------------------------- pure planning

def test_long_pauses_are_shortened_with_padding_and_short_ones_kept() -> None:
    spans = [(2.0, 5.0), (5.8, 9.0), (12.0, 15.0)]  # 0.8 s pause kept, 3 s pause cut; 2 s lead-in cut
    keep = plan_cuts(spans, 16.0, FPS, PauseSettings(1.5, 0.5))
    # 1.75-9.25 and 11.75-16 widened to whole frames; the trailing 1 s is under the threshold: kept whole
    assert keep == [(52 / FPS, 278 / FPS), (352 / FPS, 16.0)]
    for a, b in keep:
        assert abs(a * FPS - round(a * FPS)) < 1e-6 and abs(b * FPS - round(b * FPS)) < 1e-6
    assert plan_cuts([], 10.0, FPS, PauseSettings()) == []


def test_cuts_never_enter_speech_and_align_outwards() -> None:
    spans = [(1.01, 2.02), (4.03, 5.04)]
    keep = plan_cuts(spans, 8.0, FPS, PauseSettings(1.5, 0.5))
    for a, b in spans:
        assert any(ka <= a and b <= kb for ka, kb in keep)
    assert keep[-1][1] <= 5.04 + 0.25 + 1 / FPS


def test_spoken_spans_join_vad_and_words() -> None:
    words = [Word("Hallo", 0.9, 1.3), Word("Welt.", 3.0, 3.4)]
    assert spoken_spans([(1.0, 2.0)], words) == [(0.9, 2.0), (3.0, 3.4)]


def test_time_map_carries_body_time_back_to_the_recording() -> None:
    tmap = TimeMap([(0.0, 5.0), (8.0, 10.0), (20.0, 25.0)])
    for t in (0.0, 2.5, 4.99, 5.0, 6.5, 7.0, 9.0, 11.99):
        assert tmap.to_body(tmap.to_recording(t)) == pytest.approx(t)
    assert tmap.to_recording(5.0) == 8.0 and tmap.to_recording(7.5) == 20.5


def test_time_map_moves_times_over_cuts() -> None:
    tmap = TimeMap([(1.0, 4.0), (10.0, 12.0)])
    assert tmap.duration == 5.0
    assert tmap.to_body(2.0) == 1.0
    assert tmap.to_body(7.0) == 3.0  # inside the cut: the cut point
    assert tmap.to_body(11.0) == 4.0
    assert tmap.ranges_within(3.0, 11.0) == [(3.0, 4.0), (10.0, 11.0)]


def _talk(spec: list[tuple[float, str]]) -> list[Word]:
    """Words every 0.4 s from (start, sentence) pairs."""
    words = []
    for start, sentence in spec:
        for i, token in enumerate(sentence.split()):
            words.append(Word(token, start + 0.4 * i, start + 0.4 * i + 0.3))
    return words


def test_chapters_start_at_zero_follow_pauses_and_speakers_and_keep_a_minimum_length() -> None:
    words = _talk([(0.0, "Willkommen zum Podcast heute."), (15.0, "Der Radweg wird im Sommer fertig."),
                   (17.5, "Das ist gut."), (40.0, "Und was ist mit den Parkplätzen?")])
    turns = [(0.0, 2.0, 0), (15.0, 19.0, 1), (40.0, 42.0, 0)]
    chapters = plan_chapters(words, words, turns, 65.0, min_length=10.0)
    # 17.5 follows a short pause by the same speaker: no boundary there
    assert [c.start for c in chapters] == [0.0, 15.0, 40.0]
    # titled by their most telling term (nouns), or the chapter's own phrase; without one its first words
    assert [c.title for c in chapters] == ["Willkommen zum Podcast heute", "Radweg", "Parkplätzen"]
    text = format_chapters(chapters)
    assert all(re.fullmatch(r"\d{2}:\d{2} \S.*", line) for line in text.splitlines())
    assert text.startswith("00:00 ")
    assert youtube_timestamp(3725) == "1:02:05"
    # the minimum length wins over a boundary candidate
    assert [c.start for c in plan_chapters(words, words, turns, 65.0, min_length=20.0)] == [0.0, 40.0]


def test_chapter_titles_weigh_terms_against_the_other_chapters() -> None:
    """A word every chapter uses ("Stadt") does not win; a chapter's own phrase is kept when the terms stand
    close together; no filler words; at most 40 characters."""
    from videokit.podcast.chapters import title_by_terms

    words = _talk([(0.0, "Die Stadt plant Radwege in der Innenstadt."), (4.0, "Radwege in der Innenstadt sind sicher."),
                   (8.0, "Die Stadt hört zu."),
                   (20.0, "Die Stadt streicht Parkplätze."), (24.0, "Kritik an den Parkplätzen kommt vom Handel."),
                   (28.0, "Parkplätze fehlen der Stadt dann.")])
    chapters = title_by_terms([Chapter(0.0, "x"), Chapter(20.0, "y")], words)
    assert chapters[0].title == "Radwege in der Innenstadt"
    assert "Parkplätze" in chapters[1].title and "Stadt" not in chapters[1].title
    assert all(len(c.title) <= 40 for c in chapters)


def test_chapter_titles_never_use_misheard_words_or_the_speakers_names() -> None:
    """"Adväger" (Whisper for "Radwege") is rare everywhere, so TF-IDF favoured it; a host's name is said in every
    chapter. Neither may title a chapter; a chapter with nothing telling left is "Teil N"."""
    from videokit.podcast.chapters import TitleWords, title_by_terms

    words = _talk([(0.0, "Herr Muster, die Adväger werden breiter."), (4.0, "Die Adväger sind neu, Herr Muster."),
                   (20.0, "Herr Muster, die Parkplätze bleiben."), (24.0, "Parkplätze gibt es genug."),
                   (40.0, "Herr Muster, Femmungen und Mitbähmab.")])
    for w in words:
        if w.text.startswith("Femmungen"):
            w.probability = 0.3  # heard with doubt
    names = TitleWords(frozenset({"Friedrichsplatz"}), frozenset({"Sven Muster"}))
    titles = [c.title for c in title_by_terms([Chapter(0.0, "x"), Chapter(20.0, "y"), Chapter(40.0, "z")], words,
                                              names)]
    assert titles[1] == "Parkplätze" and titles[2] == "Teil 3"
    assert not any(bad in " ".join(titles) for bad in ("Adväger", "Muster", "Femmungen", "Mitbähmab"))
    glossary = _talk([(0.0, "Der Friedrichsplatz wird neu gestaltet."), (3.0, "Am Friedrichsplatz gibt es Bäume.")])
    assert title_by_terms([Chapter(0.0, "x")], glossary, names)[0].title == "Friedrichsplatz"


def test_teaser_is_complete_sentences_inside_one_turn() -> None:
    sentence = "Wir bauen den Radweg in der Innenstadt neu."
    words = _talk([(t, sentence) for t in np.arange(0.0, 80.0, 4.0)])
    turns = [(0.0, 40.0, 0), (40.0, 80.0, 1)]
    tmap = TimeMap([(0.0, 80.0)])
    chosen = propose_teasers(words, turns, tmap, 2)
    assert chosen
    for start, end in chosen:
        assert 30.0 <= end - start <= 60.0
        assert (end <= 40.0) or (start >= 40.0)  # never across the speaker change
        assert any(abs(w.start - start) < 1e-9 for w in words if w.text == "Wir")


def test_interview_with_short_turns_gets_a_question_and_its_answer() -> None:
    """54 turns of 5-15 s (a question, an answer) gave no teaser: now a stretch across speakers is proposed,
    opening with a question answered inside it, never with a dangling "Und"."""
    script, turns, t = [], [], 0.0
    for k in range(10):
        q = f"Was passiert mit der Straße Nummer {k}?"
        a1 = "Und die Stadt baut dort einen neuen Radweg."
        a2 = "Die Arbeiten dauern bis zum Sommer."
        script += [(t, q), (t + 4.0, a1), (t + 8.0, a2)]
        turns += [(t, t + 3.9, 0), (t + 4.0, t + 11.9, 1)]
        t += 12.0
    words = _talk(script)
    tmap = TimeMap([(0.0, t)])
    assert propose_teasers(words, turns, tmap, 1) == []  # no one talks 30 s in one go
    chosen = propose_conversation_teasers(words, turns, tmap, 2)
    assert len(chosen) == 2 and all(30.0 <= b - a <= 60.0 for a, b in chosen)
    for start, end in chosen:
        first = next(w for w in words if abs(w.start - start) < 1e-9)
        assert first.text == "Was"  # opens with the question ...
        voices = {v for a, b, v in turns if a < end and b > start}
        assert voices == {0, 1}  # ... and its answer follows inside the teaser
        last_turn_end = max(b for a, b, v in turns if a < end)
        assert abs(end - last_turn_end) < 4.5  # ends where the answer ends, not mid-turn
    assert chosen[0][1] <= chosen[1][0]


def test_explicit_start_claims_the_voice_and_auto_takes_the_other() -> None:
    turns = [(0.0, 10.0, 0), (12.0, 20.0, 1), (22.0, 30.0, 0)]
    speakers = [Speaker("Anna Auto", "Moderation"), Speaker("Bernd Fest", "Bürgermeister", start=1.0)]
    lts = speaker_lower_thirds(voice_names(speakers, turns), turns, TimeMap([(0.0, 30.0)]), 5.0)
    by_name = {lt.name: lt for lt in lts}
    assert by_name["Bernd Fest"].start == 1.0
    assert by_name["Anna Auto"].start == pytest.approx(12.5)


def test_speaker_fixes_own_their_range_and_never_rename_a_voice(tmp_path: Path) -> None:
    from videokit.podcast.speakerfile import SpeakerFix, fixes_as_turns, read_speaker_fixes, voice_labels, \
        write_speaker_fixes

    turns = [(0.0, 10.0, 0), (12.0, 20.0, 1), (22.0, 30.0, 0)]
    speakers = [Speaker("Anna Auto", "Moderation"), Speaker("Bernd Auto", "Amt"), Speaker("Carla Gast", "Gast")]
    names = voice_names(speakers, turns)
    assert voice_labels(names, [0, 1], speakers) == {0: "Anna Auto", 1: "Bernd Auto", 2: "Carla Gast"}
    # the first paragraph was Bernd, and Carla (whom the diarisation heard as Anna) speaks from 25 s
    path = write_speaker_fixes(tmp_path / "fixes.toml", [SpeakerFix(0.0, 10.0, "Bernd Auto"),
                                                         SpeakerFix(25.0, 30.0, "Carla Gast")])
    fixes, grown = fixes_as_turns(read_speaker_fixes(path), names, [0, 1], speakers, path)
    fixed = apply_speaker_fixes(turns, fixes)
    assert fixed == [(0.0, 10.0, 1), (12.0, 20.0, 1), (22.0, 25.0, 0), (25.0, 30.0, 2)]
    assert grown[2].name == "Carla Gast" and grown[0].name == "Anna Auto"  # voice 0 keeps its name
    lts = {lt.name: lt.start for lt in speaker_lower_thirds(grown, fixed, TimeMap([(0.0, 30.0)]), 3.0)}
    assert lts == {"Bernd Auto": 0.5, "Anna Auto": 22.5, "Carla Gast": 25.5}  # lower thirds follow the fixes
    # later fixes win; a name from nowhere is a one-line error naming the file
    assert apply_speaker_fixes(turns, [(0.0, 30.0, 1), (5.0, 6.0, 0)]) == [(0.0, 5.0, 1), (5.0, 6.0, 0), (6.0, 30.0, 1)]
    bad = write_speaker_fixes(tmp_path / "bad.toml", [SpeakerFix(1.0, 2.0, "Niemand")])
    with pytest.raises(InputError, match="bad.toml: speaker 'Niemand'"):
        fixes_as_turns(read_speaker_fixes(bad), names, [0, 1], speakers, bad)
    (tmp_path / "broken.toml").write_text("[[fix]]\nstart = 3\nend = 2\nspeaker = 'Anna Auto'\n", encoding="utf-8")
    with pytest.raises(InputError, match="broken.toml: fix 1"):
        read_speaker_fixes(tmp_path / "broken.toml")


def test_voices_are_told_apart_by_fingerprint() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 80), rng.normal(0, 1, 80)
    regions = [Region(i * 3.0, i * 3.0 + 2.0, list((a if i % 3 else b) + rng.normal(0, 0.1, 80))) for i in range(9)]
    labels = label_regions(regions, 2)
    assert labels[0] == 0  # numbered by first appearance
    assert labels == [0, 1, 1, 0, 1, 1, 0, 1, 1]


def test_podcast_follows_the_recordings_frame_rate() -> None:
    from videokit.templates import load_template, output_fps

    tpl = load_template("podcast")
    assert [output_fps(tpl, f) for f in (25.0, 29.97, 30.0, 50.0, 59.94, 24.0)] == [25, 30, 30, 25, 30, 24]
    assert output_fps(load_template("news"), 25.0) == 30  # a fixed rate stays fixed


def test_pieces_come_in_whole_rounds_for_the_workers() -> None:
    from videokit.podcast.analysis import CHUNK_SECONDS, piece_seconds

    assert piece_seconds(614.0, 2) == pytest.approx(614.0 / 6)  # 6 pieces: three rounds of two, none alone
    assert piece_seconds(3600.0, 2) == pytest.approx(120.0)  # an hour: 30 pieces of two minutes
    assert piece_seconds(100.0, 2) == pytest.approx(50.0)
    assert piece_seconds(0.0, 2) == CHUNK_SECONDS  # length unknown


def test_speakers_file_is_strict(tmp_path: Path) -> None:
    from videokit.errors import ConfigError

    good = tmp_path / "ok.toml"
    good.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "OB"\nstart = "00:12"\n', encoding="utf-8")
    assert load_speakers(good) == [Speaker("Sven Muster", "OB", 12.0)]
    typo = tmp_path / "typo.toml"
    typo.write_text('[[speaker]]\nname = "Sven"\nrolle = "OB"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown field.*rolle"):
        load_speakers(typo)
    bad_time = tmp_path / "time.toml"
    bad_time.write_text('[[speaker]]\nname = "Sven"\nrole = "OB"\nstart = "zwölf"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad start 'zwölf'"):
        load_speakers(bad_time)


def test_cut_segment_graph_selects_frames_and_samples_alike() -> None:
    from videokit.platforms import get_platform
    from videokit.render.graph import build_render
    from videokit.timeline import AudioPlan, CaptionTrack, ClipSegment, Output, Timeline

    seg = ClipSegment("rec.mp4", 0.0, 5.0, 1920, 1080, True, keep=[[0.0, 2.0], [5.0, 8.0]])
    tl = Timeline("t", "t", FPS, "blur", 0.5, [seg], None, None, [], CaptionTrack("none"), AudioPlan(-14, -1.5),
                  [Output("youtube", 1920, 1080, "o.mp4")], {"preset": "veryfast", "crf": 20})
    graph = " ".join(build_render(tl, [get_platform("youtube")], {"youtube": "o.mp4"}))
    assert "select=expr=between(n\\,0\\,59)+between(n\\,150\\,239)" in graph
    assert "asetnsamples=n=1600" in graph and "aselect=expr=between(n\\,0\\,59)+between(n\\,150\\,239)" in graph


# ---------------------------------------------------------------- one real episode

@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from videokit.commands.podcast import PodcastJob, run_podcast
    from videokit.samplegen import make_podcast_recording
    from videokit.templates import load_template

    folder = tmp_path_factory.mktemp("podcast")
    recording, layout = make_podcast_recording(folder)
    speakers = folder / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Oberbürgermeister"\nstart = "auto"\n\n'
                        '[[speaker]]\nname = "Dr. Jana Beispiel"\nrole = "Leiterin Tiefbauamt"\nstart = "auto"\n',
                        encoding="utf-8")
    out = folder / "out"
    job = PodcastJob(recording, speakers, out, load_template(FAST_PODCAST), title="Rathaus-Podcast: Radweg",
                     episode=3, day=date(2026, 11, 20), export_timeline=("otio", "fcp7"))
    result = run_podcast(job, echo=lambda _: None)
    return recording, layout, out, result


@pytest.mark.slow
def test_episode_cuts_exactly_the_long_pauses(episode) -> None:  # type: ignore[no-untyped-def]
    recording, layout, out, result = episode
    keep = result.episode.timeline.clips[0].keep
    for u in layout:  # no word is clipped: every utterance's voice lies inside one kept range
        assert any(a <= u["voice_start"] and u["voice_end"] <= b for a, b in keep), u["text"]
    gaps = [nxt["voice_start"] - cur["voice_end"] for cur, nxt in zip(layout, layout[1:])]
    total = float(ffprobe(recording)["format"]["duration"])
    long_gaps = sum(g > 1.5 for g in gaps) + (layout[0]["voice_start"] > 1.5) + (total - layout[-1]["voice_end"] > 1.5)
    assert len(keep) == long_gaps - (layout[0]["voice_start"] > 1.5) - (total - layout[-1]["voice_end"] > 1.5) + 1
    for (_, end), (nxt, _) in zip(keep, keep[1:]):  # each cut leaves a 0.5 s pause (whole frames)
        before = max(u["voice_end"] for u in layout if u["voice_end"] <= end)
        after = min(u["voice_start"] for u in layout if u["voice_start"] >= nxt)
        assert 0.3 <= (end - before) + (after - nxt) <= 0.75
    body = sum(b - a for a, b in keep)
    tl = result.episode.timeline
    youtube = out / "rathaus-podcast-radweg_youtube.mp4"
    assert float(ffprobe(youtube)["format"]["duration"]) == pytest.approx(tl.intro_duration + body + 2.5, abs=0.05)
    assert all(r.ok for r in result.reports)
    assert [lt.name for lt in tl.lower_thirds] == ["Sven Muster", "Dr. Jana Beispiel"]


@pytest.mark.slow
def test_no_speech_is_lost_in_the_audio_episode(episode) -> None:  # type: ignore[no-untyped-def]
    """Every utterance of the recording is in the MP3, whole, where the cut map puts it: the sound's envelope (10 ms
    RMS) over each utterance matches the recording's. A word cut off, or a cut that shifts what follows, breaks the
    match (the envelope decorrelates within a tenth of a second). Measured on the signal, not through Whisper: two
    transcripts of espeak's voice differ by more than a lost word does."""
    import numpy as np

    from videokit.captions.audio import SAMPLE_RATE, load_speech

    recording, layout, out, result = episode
    keep = result.episode.timeline.clips[0].keep

    def envelope(path: Path) -> np.ndarray:
        samples = load_speech(str(path)).astype(float)
        hop = SAMPLE_RATE // 100
        n = len(samples) // hop
        return np.sqrt((samples[: n * hop].reshape(n, hop) ** 2).mean(axis=1))

    def on_body(t: float) -> float:
        before = 0.0
        for a, b in keep:
            if a <= t <= b:
                return before + t - a
            before += b - a
        raise AssertionError(f"{t} s of the recording was cut")

    source, episode_sound = envelope(recording), envelope(out / "rathaus-podcast-radweg.mp3")
    for u in layout:
        spoken = source[round(u["voice_start"] * 100):round(u["voice_end"] * 100)]
        at = round(on_body(u["voice_start"]) * 100)
        heard = episode_sound[at:at + len(spoken)]
        assert len(heard) == len(spoken) and np.corrcoef(spoken, heard)[0, 1] > 0.85, u["text"]


@pytest.mark.slow
def test_pieces_transcribed_side_by_side_keep_order_and_words(episode, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Short pieces, two at a time, no cache: the words come back in recording order and match the script."""
    import threading

    from videokit.captions.transcribe import TranscribeOptions
    from videokit.podcast import analysis

    recording, layout, _, _ = episode
    monkeypatch.setenv("VIDEOKIT_CACHE", str(tmp_path))  # transcribe for real, not from the episode's cache
    monkeypatch.setattr(analysis, "CHUNK_SECONDS", 25.0)
    active, most, lock = [0], [0], threading.Lock()
    original = analysis.transcribe_audio

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        try:
            return original(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(analysis, "transcribe_audio", counting)
    length = float(ffprobe(recording)["format"]["duration"])
    result = analysis.analyse_recording(str(recording), TranscribeOptions(), parallel=2, expected_seconds=length)
    assert most[0] == 2  # two pieces really were in Whisper at once
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end <= result.duration
    said = [w.strip(".,?!").lower() for u in layout for w in u["text"].split()]
    heard = [w.text.strip(".,?!").lower() for w in result.words]
    assert difflib.SequenceMatcher(a=said, b=heard).ratio() >= 0.7  # espeak + Whisper base: WER about 0.25
    for u in layout:  # the speech regions found piece by piece cover every utterance
        covered = sum(min(r.end, u["voice_end"]) - max(r.start, u["voice_start"]) for r in result.regions
                      if r.end > u["voice_start"] and r.start < u["voice_end"])
        assert covered >= 0.75 * (u["voice_end"] - u["voice_start"]), u["text"]  # less the pauses between sentences
        for edge in (u["voice_start"], u["voice_end"]):  # and the first and last sound of each
            assert any(r.start - 0.15 <= edge <= r.end + 0.15 for r in result.regions), (edge, u["text"])


@pytest.mark.slow
def test_audio_files_carry_tags_chapters_and_podcast_loudness(episode) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess

    from videokit.render.loudness import measure_file

    _, _, out, result = episode
    chapters = (out / "chapters.txt").read_text(encoding="utf-8").splitlines()
    assert chapters[0].startswith("00:00 ") and len(chapters) == len(result.chapters) >= 2
    # titles only from words heard for sure, never a speaker's name
    heard = json.loads((out / "rathaus-podcast-radweg.words.json").read_text(encoding="utf-8"))["words"]
    unsure = {w["text"].strip(" ,.;:!?…\"'»«“”„()–-") for w in heard if w["probability"] < 0.5}
    for line in chapters:
        title = set(line.split(" ", 1)[1].split())
        assert not title & unsure and not title & {"Sven", "Muster", "Jana", "Beispiel"}, (line, title & unsure)
    for name in ("rathaus-podcast-radweg.mp3", "rathaus-podcast-radweg.m4a"):
        info = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_chapters", "-of", "json",
                                          str(out / name)], capture_output=True, text=True, check=True).stdout)
        tags = {k.lower(): v for k, v in info["format"]["tags"].items()}
        assert tags["title"] == "Rathaus-Podcast: Radweg" and tags["artist"] == "Stadt Musterstadt"
        assert tags["track"] == "3" and tags["date"].startswith("2026-11-20")
        assert len(info["chapters"]) == len(chapters)
        loud = measure_file(str(out / name))
        assert loud is not None and abs(loud["input_i"] + 16) <= 1.0 and loud["input_tp"] <= -1.0


@pytest.mark.slow
def test_teaser_and_review_page(episode) -> None:  # type: ignore[no-untyped-def]
    _, _, out, result = episode
    teaser = out / "rathaus-podcast-radweg_teaser-1.mp4"
    v = video_stream(teaser)
    assert (v["width"], v["height"]) == (1080, 1920)
    assert 30.0 <= float(ffprobe(teaser)["format"]["duration"]) - 2.5 <= 61.0
    assert {r.platform for r in result.reports if r.path == teaser} == {"tiktok", "reels", "shorts"}
    import json

    page = (out / "review.html").read_text(encoding="utf-8")  # the review editor's page, read-only, data inside
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1))
    assert data["video"] == "rathaus-podcast-radweg_youtube.mp4" and data["chapters"].startswith("00:00 ")
    assert {c["speaker"] for c in data["cues"]} == {"Dr. Jana Beispiel", "Sven Muster"}
    assert data["cues"][0]["start"] >= data["intro"] > 0  # on the video's clock
    assert "contenteditable" not in page.split('id="data"')[0]
    assert not [p for p in out.iterdir() if ".part" in p.name]


# ---------------------------------------------------------------- audiogram and bad input

@pytest.mark.slow
def test_audio_recording_with_photo_becomes_an_audiogram(tmp_path: Path) -> None:
    from videokit.samplegen import make_photo, make_podcast_recording

    script = [("de+m3", "Willkommen zum Podcast aus dem Rathaus.", 2.5), ("de+f2", "Heute geht es um den Radweg.", 0.5)]
    recording, _ = make_podcast_recording(tmp_path, script=script, video=False)
    photo = make_photo(tmp_path / "studio.jpg", (1200, 900), seed=3)
    speakers = tmp_path / "s.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "OB"\n', encoding="utf-8")
    r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(tmp_path / "out"),
                "--image", str(photo), "--teasers", "0", "--template", FAST_PODCAST, "--title", "Audiogramm")
    assert r.exit_code == 0, r.output
    v = video_stream(tmp_path / "out" / "audiogramm_youtube.mp4")
    assert (v["width"], v["height"]) == (1920, 1080)
    assert (tmp_path / "out" / "audiogramm.mp3").is_file()


@pytest.fixture(scope="module")
def speakers_ok(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spk") / "speakers.toml"
    path.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "OB"\n', encoding="utf-8")
    return path


def test_recording_without_audio_is_refused(tmp_path: Path, speakers_ok: Path) -> None:
    from videokit.samplegen import make_clip

    mute = make_clip(tmp_path / "stumm.mp4", 2.0, size=(320, 240), audio=None)
    r = run_cli("podcast", str(mute), "--speakers", str(speakers_ok), "--out", str(tmp_path / "out"))
    assert r.exit_code != 0 and "stumm.mp4: has no sound track" in r.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_speakers_file_and_teaser_range_are_one_line_errors(tmp_path: Path, landscape_clip: Path,
                                                               speakers_ok: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[speaker]]\nname = "Sven"\nfunktion = "OB"\n', encoding="utf-8")
    r = run_cli("podcast", str(landscape_clip), "--speakers", str(bad), "--out", str(tmp_path / "out"))
    assert r.exit_code != 0 and "bad.toml: speaker 1: unknown field(s) funktion" in r.output
    r = run_cli("podcast", str(landscape_clip), "--speakers", str(speakers_ok), "--out", str(tmp_path / "out"),
                "--teaser", "0:10-0:50")
    assert r.exit_code != 0 and "is outside the recording" in r.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_silent_recording_leaves_nothing_after_cutting(tmp_path: Path, speakers_ok: Path) -> None:
    from videokit.samplegen import make_clip

    quiet = make_clip(tmp_path / "leer.mp4", 4.0, size=(320, 240), audio="silence")
    r = run_cli("podcast", str(quiet), "--speakers", str(speakers_ok), "--out", str(tmp_path / "out"))
    assert r.exit_code != 0 and "no speech found" in r.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_episode_timelines_have_one_clip_per_kept_range(episode) -> None:  # type: ignore[no-untyped-def]
    """The hand-off keeps every cut movable: one clip per kept range, chapters and speaker turns as markers."""
    import opentimelineio as otio

    from test_handoff import assert_links_and_length

    _recording, _layout, out, result = episode
    kept = result.episode.timeline.clips[0].keep
    assert len(kept) > 3  # the pauses really were cut
    for suffix in (".otio", ".xml"):
        path = out / f"rathaus-podcast-radweg_youtube{suffix}"
        tl = otio.adapters.read_from_file(str(path))
        assert_links_and_length(tl, out / "rathaus-podcast-radweg_youtube.mp4", 30)
        clips = [c for c in tl.video_tracks()[0].find_clips() if "card" not in c.name]
        assert len(clips) == len(kept)
        for clip, (a, b) in zip(clips, kept):
            assert clip.source_range.start_time.to_seconds() == pytest.approx(a, abs=1 / 30)
            assert clip.source_range.duration.to_seconds() == pytest.approx(b - a, abs=1 / 30)
    markers = otio.adapters.read_from_file(str(out / "rathaus-podcast-radweg_youtube.otio")).tracks.markers
    names = {m.name for m in markers}
    assert {c.title for c in result.chapters} <= names and {"Sven Muster", "Dr. Jana Beispiel"} <= names


@pytest.mark.slow
def test_generated_interview_gets_a_teaser_and_telling_chapter_titles(tmp_path: Path) -> None:
    """A real two-voice interview in short turns: one teaser is proposed (a question and its answer, each
    speaker's lower third), and each chapter title holds a word frequent in its chapter and rare elsewhere."""
    from collections import Counter

    import pysubs2

    from videokit.samplegen import interview_script, make_podcast_recording

    recording, _ = make_podcast_recording(tmp_path / "rec", script=interview_script())
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Moderation"\n\n'
                        '[[speaker]]\nname = "Dr. Jana Beispiel"\nrole = "Tiefbauamt"\n', encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(out), "--template", FAST_PODCAST,
                "--title", "Interview")
    assert r.exit_code == 0, r.output
    assert "teasers: 1" in r.output and "0 of 1" not in r.output, r.output
    assert (out / "interview_teaser-1.mp4").is_file()
    chapters = [(int(line[:2]) * 60 + int(line[3:5]), line[6:]) for line in
                (out / "chapters.txt").read_text(encoding="utf-8").splitlines()]
    assert len(chapters) >= 2, chapters
    cues = pysubs2.load(str(out / "interview_youtube.srt"))
    bounds = [c[0] for c in chapters] + [10 ** 6]
    texts = [" ".join(c.plaintext for c in cues if bounds[i] <= c.start / 1000 < bounds[i + 1])
             for i in range(len(chapters))]
    counts = [Counter(w.strip(".,?!").lower() for w in t.split()) for t in texts]
    for i, (_start, title) in enumerate(chapters):
        assert len(title) <= 40 and not title.lower().startswith(("und ", "na ", "also ")), title
        # a short chapter (one answer) may say its word once: frequent here means more often than anywhere else
        telling = [w for w in title.lower().split() if counts[i][w] >= 1
                   and all(counts[i][w] > other[w] for j, other in enumerate(counts) if j != i)]
        assert telling, (title, texts[i])


@pytest.mark.slow
def test_a_25_fps_episode_has_every_frame_up_to_the_outro(tmp_path: Path) -> None:
    """A camera set to PAL: the episode keeps 25 fps, its pauses are cut by frame numbers, the lower thirds sit
    between frames, and the cached outro is joined by stream copy. Every frame follows the last by one frame
    (one was missing 2.5 s before the end: the check now names such a gap)."""
    from videokit.check import timestamp_gaps
    from videokit.samplegen import make_podcast_recording

    recording, _layout = make_podcast_recording(tmp_path, fps=25)
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Oberbürgermeister"\n\n'
                        '[[speaker]]\nname = "Jana Beispiel"\nrole = "Tiefbauamt"\n', encoding="utf-8")
    for run, extra in (("first", ()), ("second", ("--clean-speech", "0.6"))):  # the second joins the cached outro
        out = tmp_path / run
        r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(out), "--template",
                    FAST_PODCAST, "--title", "PAL", "--teasers", "0", *extra)
        assert r.exit_code == 0, r.output
        assert ("clean speech: noise reduced by" in r.output) == bool(extra)
        video = out / "pal_youtube.mp4"
        v = video_stream(video)
        assert v["r_frame_rate"] == "25/1" and timestamp_gaps(video, 25) == []
        assert int(v["nb_frames"]) == round(float(v["duration"]) * 25)
