"""Caption profiles: captions made to the broadcasters' norm (or Netflix's), and `videokit check --captions`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FAST_TEMPLATE, run_cli
from videokit.captions.profiles import PROFILES, caption_problems, get_profile, profiled
from videokit.captions.segment import segment
from videokit.errors import ConfigError
from videokit.templates import load_template
from videokit.timeline import Cue, Word

BROADCAST = PROFILES["broadcast"]


def test_every_rule_of_the_broadcast_norm_is_found_cue_by_cue() -> None:
    cues = [
        Cue(0.0, 2.0, ["Guten Tag."]),                                            # fine
        Cue(2.04, 4.0, ["eins", "zwei", "drei"]),                                 # 3 lines
        Cue(4.5, 8.5, ["Diese Zeile ist viel zu lang für das Fernsehen, ja."]),  # 51 characters
        Cue(9.0, 11.0, ["Hier wird sehr schnell gesprochen,", "viel zu schnell."]),  # 51 chars in 2 s: 25.5/s
        Cue(11.5, 14.0, ["Hier ein wenig zu schnell", "für die Norm."]),          # 39 chars in 2.5 s: 15.6/s
        Cue(14.5, 15.0, ["Kurz."]),                                               # 0.5 s
        Cue(15.0, 17.0, ["Ohne Lücke davor."]),                                   # no frame after the last
        Cue(18.0, 26.0, ["Acht Sekunden stehen bleibt", "dieser Untertitel hier."]),  # 8 s
        Cue(27.0, 29.0, ["[Straßenbahn fährt vorbei]"]),                          # sound in brackets
        Cue(30.0, 32.5, ["Wer spricht?", "– Ich spreche."]),                      # speaker change unmarked
        Cue(33.0, 35.5, ["– Wer spricht?", "– Ich spreche."]),                    # marked: fine
    ]
    found = {(p.cue, p.rule.split(" (")[0]) for p in caption_problems(cues, BROADCAST, 25)}
    assert found == {
        (2, "3 lines"), (3, "a line of 51 characters"),
        (4, "reading speed 25.5 characters/s"), (5, "reading speed 15.6 characters/s"),
        (6, "on screen 0.50 s"), (6, "0 ms before the next subtitle"), (8, "on screen 8.0 s"),
        (9, "sound '[Straßenbahn fährt vorbei]' in brackets"),
        (10, "a change of speaker inside the subtitle: mark both speakers with a dash"),
    }
    rules = {p.cue: p.rule for p in caption_problems(cues, BROADCAST, 25)}
    assert "never above 17" in rules[4] and "the norm: at most 15" in rules[5]
    assert "(in asterisks: *Straßenbahn fährt vorbei*)" in rules[9]
    # Netflix: 42 characters, 17/s, 5/6 s, 2 frames between subtitles
    netflix = {(p.cue, p.rule.split(" (")[0]) for p in caption_problems(cues, PROFILES["netflix"], 25)}
    assert (5, "reading speed 15.6 characters/s") not in netflix and (3, "a line of 51 characters") in netflix
    assert (1, "40 ms before the next subtitle") in netflix


def test_profiles_are_chosen_by_name_and_change_only_the_norms() -> None:
    style = load_template("news").horizontal_captions
    made = profiled(style, "broadcast")
    assert (made.max_chars_per_line, made.max_lines, made.max_cps, made.min_gap_frames) == (37, 2, 15.0, 1)
    assert (made.font_px, made.burn, made.style) == (style.font_px, style.burn, style.style)
    assert profiled(style, "platform") == style
    with pytest.raises(ConfigError, match="unknown caption profile 'tv'"):
        get_profile("tv")


def fast_talk(sentences: int = 12, cps: float = 16.5) -> list[Word]:
    """German sentences said fast (`cps` characters a second), with the short pauses speakers make at a comma
    (0.3 s) and between sentences (0.6 s)."""
    text = ("Die Königsstraße wird ab dem fünfzehnten Mai für drei Wochen gesperrt, weil die Leitungen erneuert "
            "werden. ")
    words, t = [], 0.5
    for _ in range(sentences):
        for token in text.split():
            length = (len(token) + 1) / cps
            words.append(Word(token, round(t, 3), round(t + length - 0.02, 3)))
            t += length + (0.3 if token.endswith(",") else 0.0)
        t += 0.6
    return words


def test_broadcast_captions_keep_the_rules_by_holding_cues_into_the_pauses() -> None:
    """Speech at 16.5 characters a second is above the norm's 15: the cues end at the clause's pause and stay on
    into it, so none is above 17 and those above 15 are listed by the check."""
    style = load_template("news").horizontal_captions
    words = fast_talk()
    broadcast = segment(words, profiled(style, "broadcast"), 25)
    problems = caption_problems(broadcast, BROADCAST, 25)
    assert [p for p in problems if "reading speed" not in p.rule] == []  # lines, characters, durations, gaps
    assert not any("never above" in p.rule for p in problems), problems
    assert " ".join(w for c in broadcast for w in " ".join(c.lines).split()) == " ".join(w.text for w in words)
    assert max(len(line) for c in broadcast for line in c.lines) <= 37


def test_check_captions_on_the_command_line(tmp_path: Path) -> None:
    srt = tmp_path / "bad.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:02,000\nGuten Tag.\n\n"
                   "2\n00:00:02,000 --> 00:00:02,400\nDiese Zeile ist viel zu lang für das Fernsehen, ja.\n\n"
                   "3\n00:00:03,000 --> 00:00:05,000\n(Applaus)\n", encoding="utf-8")
    r = run_cli("check", "--captions", str(srt))
    assert r.exit_code == 4
    assert f"{srt}: FAIL for the broadcast caption norm (3 cues, 3 breaking a rule)" in r.output
    assert re.search(r"✗ cue 2 \(00:00:02,000\): a line of 51 characters \(at most 37\)", r.output)
    assert "✗ cue 1 (00:00:00,000): 0 ms before the next subtitle (at least 1 frame)" in r.output
    assert "✗ cue 3 (00:00:03,000): sound '(Applaus)' in brackets (in asterisks: *Applaus*)" in r.output
    r = run_cli("check", "--captions", str(srt), "--profile", "netflix")
    assert r.exit_code == 4 and "at most 42" in r.output
    good = tmp_path / "good.vtt"
    good.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nGuten Tag.\n", encoding="utf-8")
    r = run_cli("check", "--captions", str(good))
    assert r.exit_code == 0 and "OK for the broadcast caption norm (1 cues, 0 breaking a rule)" in r.output
    video = tmp_path / "film.mp4"
    video.write_bytes(b"")
    r = run_cli("check", "--captions", str(video))
    assert r.exit_code != 0 and "film.mp4: has no caption file beside it" in r.output
    r = run_cli("check")
    assert r.exit_code != 0 and "--captions FILE" in r.output
    r = run_cli("check", str(video))
    assert r.exit_code != 0 and "needs --platform" in r.output


@pytest.mark.slow
def test_a_render_to_the_netflix_norm_and_its_check(landscape_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_cli("render", str(landscape_clip), "--platforms", "youtube", "--template", FAST_TEMPLATE, "--subtitles",
                "auto", "--out", str(out), "--caption-profile", "netflix", "--title", "Norm")
    assert r.exit_code == 0, r.output
    assert "keep the netflix norm" in r.output or "break the netflix norm" in r.output
    assert 'caption_profile = "netflix"' in (out / "norm.job.toml").read_text(encoding="utf-8")
    r = run_cli("check", "--captions", str(out / "norm_youtube.mp4"), "--profile", "netflix")
    assert "norm_youtube.srt" in r.output and "caption norm" in r.output
    # the full-text alternative beside the captions
    text = (out / "norm.transcript.txt").read_text(encoding="utf-8")
    assert text.startswith("Norm\n====") and "[00:02] Guten Tag" in text  # after the 2 s intro
    assert '<html lang="de">' in (out / "norm.transcript.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_broadcast_norm_on_a_generated_podcast(tmp_path: Path) -> None:
    """Every cue of the episode keeps the norm or is listed by the check with its rule (gaps counted in the
    episode's frames: the SRT's video beside it); the run's note counts the same cues."""
    from test_podcast import FAST_PODCAST
    from videokit.captions.formats import read_subtitles
    from videokit.samplegen import interview_script, make_podcast_recording

    recording, _layout = make_podcast_recording(tmp_path / "rec", size=(640, 360), script=interview_script())
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Moderation"\n\n'
                        '[[speaker]]\nname = "Dr. Jana Beispiel"\nrole = "Tiefbauamt"\n', encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(out), "--template", FAST_PODCAST,
                "--title", "Norm", "--teasers", "0", "--caption-profile", "broadcast")
    assert r.exit_code == 0, r.output
    srt = out / "norm_youtube.srt"
    cues = read_subtitles(srt)
    check = run_cli("check", "--captions", str(srt))
    listed = {int(m) for m in re.findall(r"✗ cue (\d+) ", check.output)}
    problems = caption_problems(cues, BROADCAST, 30)
    assert listed == {p.cue for p in problems}
    if listed:
        assert f"{len(listed)} of {len(cues)} cues break the broadcast norm" in r.output
        assert check.exit_code == 4
    else:
        assert f"all {len(cues)} cues keep the broadcast norm" in r.output and check.exit_code == 0
    assert not [p for p in problems if "line" in p.rule or "before the next" in p.rule], problems
    assert max(len(line) for c in cues for line in c.lines) <= 37
    assert 'caption_profile = "broadcast"' in (out / "norm.job.toml").read_text(encoding="utf-8")
    # the transcript: speakers by name, the chapters as headings with anchors
    page = (out / "norm.transcript.html").read_text(encoding="utf-8")
    assert "<strong>Sven Muster:</strong>" in page and "<strong>Dr. Jana Beispiel:</strong>" in page
    assert 'href="#kapitel-1"' in page and '<h2 id="kapitel-1">' in page
    assert "Sven Muster: " in (out / "norm.transcript.txt").read_text(encoding="utf-8")


def test_a_decoder_loops_copies_with_one_timestamp_are_dropped() -> None:
    from videokit.captions.transcribe import clean_words

    real = [Word("Die", 40.0, 40.2), Word("Parkplätze", 40.2, 40.8), Word("bleiben", 40.8, 41.2)]
    loop = [Word(t, 44.607, 44.627) for t in "Wir fischen die Parkplätze. Wir fischen die Parkplätze.".split()]
    after = [Word("Es", 45.5, 45.7), Word("fallen", 45.7, 46.1)]
    kept = clean_words(real + loop + after, 60.0)
    assert [w.text for w in kept] == ["Die", "Parkplätze", "bleiben", "Es", "fallen"]
    # words that lost their times but do not repeat themselves are speech (a slogan said once more)
    once = [Word(t, 44.607, 44.627) for t in "Die Königsstraße bleibt offen für alle.".split()]
    assert len(clean_words(real + once + after, 60.0)) == 11


def test_the_transcript_has_paragraphs_speakers_and_chapter_anchors() -> None:
    from videokit.captions.transcript import paragraphs, sections, transcript_html, transcript_text

    cues = [Cue(0.0, 2.0, ["Guten Tag,", "liebe Zuhörer."]), Cue(2.1, 4.0, ["Heute: der Radweg."]),
            Cue(4.2, 6.0, ["Danke <für> & die Einladung."]), Cue(20.0, 22.0, ["Zum Sommerfest."])]
    who = lambda t: "Sven Muster" if t < 4.1 or t > 19 else "Dr. Jana Beispiel"  # noqa: E731
    paras = paragraphs(cues, 2.5, who)
    assert [(p.start, p.speaker, p.text) for p in paras] == [
        (2.5, "Sven Muster", "Guten Tag, liebe Zuhörer. Heute: der Radweg."),
        (6.7, "Dr. Jana Beispiel", "Danke <für> & die Einladung."), (22.5, "Sven Muster", "Zum Sommerfest.")]
    parts = sections(paras, [(0.0, "Radweg"), (20.0, "Sommerfest")])
    text = transcript_text("Folge 7", parts)
    assert "00:02 Radweg" not in text and "00:00 Radweg" in text and "[00:06] Dr. Jana Beispiel: Danke" in text
    page = transcript_html("Folge 7", parts, "folge-7_youtube.mp4")
    assert page.startswith("<!doctype html>\n<html lang=\"de\">") and "<title>Abschrift: Folge 7</title>" in page
    assert '<a href="#kapitel-2">00:20 Sommerfest</a>' in page and '<h2 id="kapitel-2">' in page
    assert "<strong>Dr. Jana Beispiel:</strong> Danke &lt;für&gt; &amp; die Einladung." in page
    assert "<script" not in page and page.count("<h1>") == 1
    # a render without chapters or speakers: one section of paragraphs
    plain = transcript_text("Baustelle", sections(paragraphs(cues), []))
    assert plain.splitlines()[:3] == ["Baustelle", "=========", ""] and "[00:20] Zum Sommerfest." in plain


def test_the_glossary_and_the_brand_kits_names_go_to_the_prompt_and_the_hotwords(tmp_path: Path) -> None:
    from videokit.brand import load_brand
    from videokit.captions.transcribe import TranscribeOptions

    glossary = tmp_path / "names.txt"
    glossary.write_text("Friedrichsplatz\nKulturbahnhof\n", encoding="utf-8")
    opts = TranscribeOptions(glossary=glossary, names=("Sven Muster", "Friedrichsplatz"))
    assert opts.prompt() == "Friedrichsplatz, Kulturbahnhof, Sven Muster."
    assert opts.hotword_text() == "Friedrichsplatz Kulturbahnhof Sven Muster"
    assert TranscribeOptions(glossary=glossary, hotwords=False).hotword_text() is None
    assert TranscribeOptions().prompt() is None and TranscribeOptions().hotword_text() is None
    assert "Sven Muster" in load_brand(None).names  # the bundled brand kit's names.txt
