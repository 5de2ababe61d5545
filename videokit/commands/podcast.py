"""`videokit podcast` end to end (`run_podcast`, in named steps): check the inputs → one audio-only pass (speech,
voices, Whisper) → cut the pauses, name the voices → the episode and its audio files rendered and published → chapters,
speakers, review page → teasers → the job file."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from videokit.brand import BrandKit, check_texts, load_brand
from videokit.captions.formats import read_subtitles
from videokit.captions.profiles import profile_note
from videokit.captions.segment import segment
from videokit.captions.transcribe import TranscribeOptions
from videokit.cards import card_file
from videokit.check import CheckReport, check_file
from videokit.cleanspeech import CleanSound, clean_sound
from videokit.commands.options import FocusType
from videokit.errors import CheckFailed, ConfigError, InputError
from videokit.graphics import check_image, draw_audiogram_still
from videokit.handoff.build import TimelineMarker
from videokit.job import parse_colour, parse_formats, parse_range, with_caption_profile
from videokit.naming import slug
from videokit.outdir import refuse_overwrite
from videokit.plan import clip_segment
from videokit.platforms import get_platform
from videokit.podcast.analysis import SpeechAnalysis, analyse_recording
from videokit.podcast.audiofiles import FORMATS, EpisodeTags, finish_audio_file
from videokit.podcast.chapters import (
    Chapter,
    TitleWords,
    format_chapters,
    parse_chapters,
    plan_chapters,
    shift_chapters,
)
from videokit.edits.apply import cut_summary, recording_cuts
from videokit.edits.cutfile import Cut, check_against_transcript, read_cuts
from videokit.timemap import TimeMap, without, words_on_body
from videokit.podcast.cuts import PauseSettings, plan_cuts, spoken_spans, turns_on_body
from videokit.podcast.jobfile import PodcastJob, write_podcast_job
from videokit.podcast.speakerfile import (
    SpeakerTurns,
    apply_speaker_fixes,
    fixes_as_turns,
    read_speaker_fixes,
    voice_labels,
    write_speaker_turns,
)
from videokit.podcast.speakers import (
    Speaker,
    load_speakers,
    speaker_lower_thirds,
    voice_names,
)
from videokit.podcast.teasers import propose_conversation_teasers, propose_teasers
from videokit.podcast.voices import speaker_turns
from videokit.probe import MediaInfo, probe, verify_demux
from videokit.publish import RenderResult, render_timeline, write_transcript
from videokit.render.streams import EncoderSettings
from videokit.signlanguage import SignLanguage, check_interpreter, sign_versions
from videokit.reframe.segments import plan_reframing
from videokit.render.graph import AudioFile
from videokit.review.podcastpage import write_review
from videokit.review.project import Project
from videokit.scratch import work_dir
from videokit.templates import load_template, output_fps
from videokit.textfile import read_name_list, write_text_atomic
from videokit.timeline import (
    AudioPlan,
    CaptionTrack,
    Card,
    ClipSegment,
    LowerThird,
    Output,
    Timeline,
    Word,
)

TEASER_PLATFORM = "tiktok"  # the strictest vertical preset (6 Mbit/s cap); the file is checked against all three
VERTICAL = ("tiktok", "reels", "shorts")
TEASER_LEAD = 0.15  # seconds before the first word
TEASER_TAIL = 0.4  # after the last word
TEASER_LOWER_THIRD = (0.3, 4.5)  # seconds into the teaser
AUDIOGRAM_SIZE = (1920, 1080)
FALLBACK_TEASER = 15.0  # seconds: the shortest proposal when nobody talks 30 s in one go


@dataclass(slots=True)
class PodcastResult:
    episode: RenderResult | None = None
    files: list[Path] = field(default_factory=list)
    reports: list[CheckReport] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    teaser_ranges: list[tuple[float, float]] = field(default_factory=list)
    cut_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Heard:
    """What the analysis heard in the recording (recording time) and the episode's cut that follows from it."""

    words: list[Word]
    duration: float  # the recording's usable length, frame-aligned
    tmap: TimeMap  # the kept ranges: long pauses cut
    turns: list[tuple[float, float, int]]  # (start, end, voice): who speaks when
    names: dict[int, Speaker]  # voice → the speaker it is
    cuts: list[Cut] = field(default_factory=list)  # the text's cuts (cuts file, fillers, retakes) as placed
    text_cut: float = 0.0  # seconds those cuts removed beyond the pauses


def run_podcast(job: PodcastJob, dry_run: bool = False, echo: Callable[[str], None] = print) -> PodcastResult:
    """Check the inputs → listen (voices, Whisper; the cards drawn and the sound cleaned meanwhile) → cut the long
    pauses and name the voices → render and publish the episode with its audio files → write chapters, speakers and
    the review page → render the teasers → record the job file."""
    clock = time.perf_counter()
    result = PodcastResult()
    brand, speakers, info, audio_only = _check_inputs(job)
    job.transcribe = replace(job.transcribe, names=brand.names)  # the brand kit's names spelled right too
    title = job.title or job.recording.stem
    name = slug(title, fallback=job.recording.stem)
    finals = _final_paths(job, name)
    if not dry_run:
        refuse_overwrite(finals.values(), job.force)
    analysis, cleaned = _listen(job, info, brand, title, dry_run)
    result.timings["analysis"] = time.perf_counter() - clock
    heard = _cut_and_name(job, info, analysis, audio_only, speakers)
    result.cut_seconds = round(heard.duration - heard.tmap.duration, 3)
    if job.cuts is not None or job.cut_fillers:
        result.notes.append(cut_summary(heard.cuts, heard.text_cut))

    # Whisper runs before the render, not beside it: side by side, Whisper's and x264's threads fought over the
    # two cores and the whole run took 8 % longer (measured: 0.65x vs 0.60x realtime)
    work = work_dir("podcast")
    try:
        base = _base_segment(job, info, brand, title, heard.duration, audio_only, work)
        if cleaned is not None and cleaned.path:
            base.clean_audio = cleaned.path
            result.notes.append(f"clean speech: noise reduced by {cleaned.floor_reduction_db:.0f} dB; Whisper and "
                                "the speaker analysis heard the recording as it is")
        episode = _episode_timeline(job, brand, title, name, base, heard.tmap, heard.names, heard.turns, finals)
        result.episode = _render_episode(job, brand, title, episode, heard, speakers, finals, result, work, dry_run,
                                         echo)
        if job.sign_language is not None and not dry_run:
            _sign_episode(job, brand, episode, name, finals, result)
        result.teaser_ranges = job.teasers or _propose(job, heard.words, heard.turns, heard.tmap, result.notes)
        if dry_run:
            echo(f"teasers (recording time): {result.teaser_ranges}")
            echo(format_chapters(result.chapters))
            return result
        result.timings["episode"] = time.perf_counter() - clock - sum(result.timings.values())
        result.reports += result.episode.reports
        result.files += [finals["youtube"], finals["mp3"], finals["m4a"], *result.episode.sidecars]
        result.files += _write_episode_files(job, brand, title, name, episode, heard, speakers, finals, result)
        for i, (start, end) in enumerate(result.teaser_ranges, 1):
            _render_teaser(job, brand, title, f"{name}_teaser-{i}", base, heard, start, end, result, echo)
        result.timings["teasers"] = time.perf_counter() - clock - sum(result.timings.values())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the run as a job file beside its outputs: `videokit render` (and the review editor) run it again
    result.files.append(write_podcast_job(job, job.out_dir / f"{name}.job.toml"))
    result.timings["total"] = time.perf_counter() - clock
    return result


def _sign_episode(job: PodcastJob, brand: BrandKit, episode: Timeline, name: str, finals: dict[str, Path],
                  result: PodcastResult) -> None:
    """The episode with the interpreter, who signs the finished episode (the recording starts at its body)."""
    sign = SignLanguage(job.sign_language, job.sign_language_offset, job.sign_language_background)  # type: ignore[arg-type]
    files, reports = sign_versions(
        {"youtube": finals["youtube"]}, [get_platform("youtube")], sign,
        episode.intro_duration + sign.offset, episode.total_duration, brand,
        EncoderSettings(job.template.preset, job.template.crf, episode.fps), job.template.loudness, job.out_dir, name)
    result.reports += reports
    result.files += files


def _check_inputs(job: PodcastJob) -> tuple[BrandKit, list[Speaker], MediaInfo, bool]:
    """Everything that can be checked before an hour of listening: the brand's fonts draw the names, the speakers
    file, the image, the chapters' form, a sound track, a recording read to its end, the teaser ranges. Returns the
    brand, the speakers, the recording's MediaInfo and whether it is audio only; sets the template's frame rate."""
    brand = load_brand(job.brand_path)
    speakers = load_speakers(job.speakers_file)
    check_texts(brand, job.title or job.recording.stem, [(s.name, s.role) for s in speakers])
    if job.image is not None:
        check_image(job.image)
    if job.chapters_file is not None:  # their form now; whether they fit the episode once its length is known
        _read_chapters(job.chapters_file, None)
    if job.cuts is not None:  # the same: their form now, against the transcript once it is heard
        read_cuts(job.cuts)
    if job.sign_language is not None:  # BITV 2.0's rules for the interpreter's recording
        check_interpreter(SignLanguage(job.sign_language, job.sign_language_offset, job.sign_language_background))
    info = probe(job.recording)
    if not info.has_audio:
        raise InputError.for_file(job.recording, "has no sound track; a podcast needs the voices",
                                  "export the recording with its audio")
    audio_only = not info.has_video or info.is_still
    if not audio_only:
        verify_demux(info.path)
    _check_teaser_ranges(job, info.duration)
    job.template = replace(job.template, fps=output_fps(job.template, info.fps if not audio_only else 30.0))
    return brand, speakers, info, audio_only


def _listen(job: PodcastJob, info: MediaInfo, brand: BrandKit, title: str,
            dry_run: bool) -> tuple[SpeechAnalysis, CleanSound | None]:
    """One audio-only pass: speech regions, voices, Whisper's words. The brand cards are drawn while Whisper
    listens: a fresh title (every week) costs ~19 s of drawing on its own, alongside Whisper it adds ~5 s to the
    analysis (measured on a 10-minute recording). --clean-speech: the episode's sound is cleaned meanwhile too;
    the analysis hears the recording as it is (a voice's fingerprint is its spectrum, which the cleaning changes)."""
    with ThreadPoolExecutor(max_workers=1) as early:
        cards = None if dry_run else early.submit(_draw_cards, brand, title, job.template.fps,
                                                  bool(job.teasers or job.teaser_count))
        cleaning = early.submit(clean_sound, job.recording, job.clean_speech) \
            if job.clean_speech and not dry_run else None
        analysis = _analyse(job, info)
        if cards is not None:
            cards.result()  # raises here if a card could not be drawn
        return analysis, cleaning.result() if cleaning is not None else None


def _cut_and_name(job: PodcastJob, info: MediaInfo, analysis: SpeechAnalysis, audio_only: bool,
                  speakers: list[Speaker]) -> Heard:
    """The long pauses cut (unless --keep-pauses) and each voice named, the editor's speaker fixes applied."""
    fps = job.template.fps
    duration = min(info.duration, analysis.duration) if not audio_only else analysis.duration
    duration = int(duration * fps) / fps
    regions = [(r.start, r.end) for r in analysis.regions]
    if job.keep_pauses:
        keep = [(0.0, duration)] if regions else []
    else:
        keep = plan_cuts(spoken_spans(regions, []), duration, fps,
                         PauseSettings(job.template.max_pause, job.template.keep_pause))
    cuts: list[Cut] = []
    words = analysis.words
    text_cut = 0.0
    if job.cuts is not None or job.cut_fillers:  # one kept-range list: the pauses and the text's cuts together
        stated = read_cuts(job.cuts, [duration]) if job.cuts is not None else []
        if job.cuts is not None:
            check_against_transcript(job.cuts, stated, [analysis.words])
        cuts, words = recording_cuts(str(job.recording), analysis.words, stated, job.cut_fillers, 0.0, duration, fps)
        before = TimeMap(keep).duration
        keep = without(keep, [(c.start, c.end) for c in cuts], fps)
        text_cut = before - TimeMap(keep).duration
    tmap = TimeMap(keep)
    if tmap.duration < 1.0:
        raise InputError.for_file(job.recording, f"no speech found: cutting the pauses would leave "
                                  f"{tmap.duration:.1f} s", "check the recording, or pass --keep-pauses")
    turns = [(t.start, t.end, t.voice) for t in speaker_turns(analysis.regions, len(speakers))]
    names = voice_names(speakers, turns)  # from the machine's turns: a fixed paragraph never renames a voice
    if job.speaker_fixes is not None:
        fixes, names = fixes_as_turns(read_speaker_fixes(job.speaker_fixes), names, (v for _, _, v in turns),
                                      speakers, job.speaker_fixes)
        turns = apply_speaker_fixes(turns, fixes)
    return Heard(words, duration, tmap, turns, names, cuts, round(text_cut, 3))


def _render_episode(job: PodcastJob, brand: BrandKit, title: str, episode: Timeline, heard: Heard,
                    speakers: list[Speaker], finals: dict[str, Path], result: PodcastResult, work: Path,
                    dry_run: bool, echo: Callable[[str], None]) -> RenderResult:
    """The YouTube episode and the feed's MP3/M4A (tagged, with chapters) from one render, published together;
    the captions and chapters are placed on the episode first (result.chapters)."""
    tags = EpisodeTags(title=title, artist=brand.name, album=f"{brand.name} – Podcast", episode=job.episode,
                       day=job.day)
    feed_plan = AudioPlan(job.template.audio_loudness, job.template.true_peak)  # one plan: measured once
    audio_files = tuple(AudioFile(str(finals[kind]), feed_plan, dict(FORMATS[kind])) for kind in ("mp3", "m4a"))
    tmap = heard.tmap
    _fill_captions(episode, job, heard.words, tmap, heard.turns)
    note = profile_note(episode.captions.cues, job.template.caption_profile, episode.fps)
    if note:
        result.notes.append(note)
    body_chapters = _chapters(job, episode.captions.words, heard.words, heard.turns, tmap.duration,
                              episode.intro_duration, speakers, brand)
    result.chapters = shift_chapters(body_chapters, episode.intro_duration)

    def finish(temps: dict[Path, Path]) -> None:
        with ThreadPoolExecutor(max_workers=2) as pool:  # tag + check both files side by side
            list(pool.map(lambda item: finish_audio_file(
                item[1], item[0].suffix.lstrip("."), tags, body_chapters, tmap.duration, brand.logo, work,
                job.template.audio_loudness), temps.items()))

    cues = {False: episode.captions.cues}
    markers = [TimelineMarker(c.start, c.title, "chapter") for c in result.chapters]
    markers += [TimelineMarker(round(a + episode.intro_duration, 3),
                               heard.names[v].name if v in heard.names else f"Stimme {v + 1}", "speaker")
                for a, _b, v in turns_on_body(heard.turns, tmap)]
    return render_timeline(episode, [get_platform("youtube")], brand, job.template, cues, job.out_dir, dry_run, echo,
                           audio_files, burn_captions=job.burn_subtitles, finish=finish, export=job.export_timeline,
                           markers=markers, bundle=job.bundle)


def _write_episode_files(job: PodcastJob, brand: BrandKit, title: str, name: str, episode: Timeline, heard: Heard,
                         speakers: list[Speaker], finals: dict[str, Path], result: PodcastResult) -> list[Path]:
    """chapters.txt, and what the review editor and review.html show: captions, and who speaks when (body
    time)."""
    chapters_text = format_chapters(result.chapters)
    write_text_atomic(finals["chapters"], chapters_text)
    project = Project(job.out_dir, name, job.out_dir / f"{name}.job.toml", episode.intro_duration,
                      episode.captions.cues, episode.captions.words,
                      SpeakerTurns(voice_labels(heard.names, (v for _, _, v in heard.turns), speakers),
                                   turns_on_body(heard.turns, heard.tmap), heard.tmap.keep))
    write_speaker_turns(project.speakers_file, project.speakers)
    # the full text with who speaks and the chapters (publish.py wrote it without them)
    if episode.captions.cues:
        write_transcript(job.out_dir, name, title, episode.captions.cues, episode.intro_duration,
                         project.speakers.label_at, [(c.start, c.title) for c in result.chapters],
                         finals["youtube"].name)
    write_review(project, title, job.template.horizontal_captions, finals["youtube"].name, chapters_text,
                 "#{:02x}{:02x}{:02x}".format(*brand.primary), finals["review"])
    return [finals["chapters"], finals["review"], project.speakers_file]


def _render_teaser(job: PodcastJob, brand: BrandKit, title: str, stem: str, base: ClipSegment, heard: Heard,
                   start: float, end: float, result: PodcastResult, echo: Callable[[str], None]) -> None:
    """One vertical teaser (the speaker followed with --teaser-fit auto), checked against all three vertical
    presets: one encode serves TikTok, Reels and Shorts."""
    path = job.out_dir / f"{stem}.mp4"
    teaser = _teaser_timeline(job, brand, title, stem, base, heard.tmap, heard.words, heard.turns, heard.names,
                              start, end, heard.duration, path)
    plan_reframing(teaser, [get_platform(TEASER_PLATFORM)])  # --teaser-fit auto: follow the speaker
    vertical_cues = segment(teaser.captions.words, job.template.vertical_captions, job.template.fps)
    teaser_result = render_timeline(teaser, [get_platform(TEASER_PLATFORM)], brand, job.template,
                                    {True: vertical_cues}, job.out_dir, echo=echo)
    result.reports += teaser_result.reports
    for other in VERTICAL[1:]:
        report = check_file(path, get_platform(other), job.template.fps, job.template.loudness)
        if not report.ok:
            path.unlink(missing_ok=True)
            raise CheckFailed(f"{path}: does not meet the {other} upload spec ({report.summary()})")
        result.reports.append(report)
    result.files.append(path)


def _runs_by_turn(words: list[Word], turns: list[tuple[float, float, int]]) -> list[list[Word]]:
    """The words in runs of one speaker each (a word belongs to the turn its middle falls in)."""
    runs: list[list[Word]] = []
    last = None
    for w in words:
        middle = (w.start + w.end) / 2
        voice = next((v for a, b, v in turns if a <= middle < b), last)
        if not runs or voice != last:
            runs.append([])
        runs[-1].append(w)
        last = voice
    return runs


def _fill_captions(episode: Timeline, job: PodcastJob, words: list[Word], tmap: TimeMap,
                   turns: list[tuple[float, float, int]]) -> None:
    """Whisper's words on body time; cues from them, or the editor's SRT (on video time, so minus the intro)."""
    body_words = words_on_body(words, tmap)
    if job.subtitles is not None:
        offset = episode.intro_duration
        cues = [replace(c, start=max(0.0, c.start - offset), end=max(0.0, c.end - offset))
                for c in read_subtitles(job.subtitles)]
        cues = [c for c in cues if c.end > c.start]
    elif job.template.caption_profile != "platform":
        # a norm wants one speaker per subtitle: each turn is captioned on its own
        cues = [c for run in _runs_by_turn(body_words, turns_on_body(turns, tmap))
                for c in segment(run, job.template.horizontal_captions, episode.fps)]
    else:
        cues = segment(body_words, job.template.horizontal_captions, episode.fps)
    episode.captions.words = body_words
    episode.captions.cues = cues


def _propose(job: PodcastJob, words: list[Word], turns: list[tuple[float, float, int]], tmap: TimeMap,
             notes: list[str]) -> list[tuple[float, float]]:
    """30-60 s teasers: one speaker's complete sentences first; then (an interview's short turns) a question and
    its answer across speakers; when even that is too long for the episode, the best 15-30 s (a note says so)."""
    want = job.teaser_count
    chosen = propose_teasers(words, turns, tmap, want)
    if len(chosen) < want:
        chosen = sorted(chosen + propose_conversation_teasers(words, turns, tmap, want - len(chosen), chosen))
    for finder in (propose_teasers, propose_conversation_teasers):
        if len(chosen) < want:
            short = [r for r in finder(words, turns, tmap, want, min_seconds=FALLBACK_TEASER)
                     if all(r[1] <= a or r[0] >= b for a, b in chosen)][: want - len(chosen)]
            if short:
                notes.append(f"the episode has no 30 s stretch of complete sentences: {len(short)} teaser(s) of "
                             f"{FALLBACK_TEASER:g}-30 s instead (or choose with --teaser START-END)")
            chosen = sorted(chosen + short)
    if len(chosen) < want:
        notes.append(f"{len(chosen)} of {want} teasers proposed: no more stretches of complete sentences "
                     "(choose with --teaser START-END)")
    return chosen


def _final_paths(job: PodcastJob, name: str) -> dict[str, Path]:
    out = job.out_dir
    finals = {"youtube": out / f"{name}_youtube.mp4", "mp3": out / f"{name}.mp3", "m4a": out / f"{name}.m4a",
              "srt": out / f"{name}_youtube.srt", "vtt": out / f"{name}_youtube.vtt",
              "chapters": out / "chapters.txt", "review": out / "review.html"}
    count = len(job.teasers) or job.teaser_count
    finals.update({f"teaser-{i}": out / f"{name}_teaser-{i}.mp4" for i in range(1, count + 1)})
    return finals


def _check_teaser_ranges(job: PodcastJob, duration: float) -> None:
    for start, end in job.teasers:
        if end > duration + 0.05 or start >= duration:
            raise InputError.for_file(job.recording, f"--teaser {start:g}-{end:g} is outside the recording "
                                      f"(0-{duration:.1f} s)", "give a range inside it, in recording time")
        if end - start < 3:
            raise InputError.for_file(job.recording, f"--teaser {start:g}-{end:g} is shorter than 3 s",
                                      "teasers are 30-60 s")


def _analyse(job: PodcastJob, info: MediaInfo) -> SpeechAnalysis:
    with _progress("transcribe", info.duration) as progress:
        return analyse_recording(str(job.recording), job.transcribe, on_progress=progress,
                                 expected_seconds=info.duration)


@contextmanager
def _progress(label: str, total: float) -> Iterator[Callable[[float], None]]:
    bar = tqdm(total=round(total, 1), unit="s", desc=label, leave=False, disable=None,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio [{elapsed}<{remaining}]")
    done = [0.0]

    def update(seconds: float) -> None:
        bar.update(round(min(seconds, total) - done[0], 1))
        done[0] = min(seconds, total)

    try:
        yield update
    finally:
        bar.close()


def _base_segment(job: PodcastJob, info: MediaInfo, brand: BrandKit, title: str, duration: float, audio_only: bool,
                  work: Path) -> ClipSegment:
    if not audio_only:
        return replace(clip_segment(job.recording, 0.0, duration, info, job.template.fps), start=0.0)
    if job.image is not None and not job.image.is_file():
        raise InputError.for_file(job.image, "image not found", "pass a photo for the audiogram, or leave --image out")
    still = draw_audiogram_still(brand, title, job.image, work / "audiogram.png", AUDIOGRAM_SIZE)
    return ClipSegment(path=str(job.recording), start=0.0, duration=duration, width=AUDIOGRAM_SIZE[0],
                       height=AUDIOGRAM_SIZE[1], has_audio=True, still_image=str(still),
                       wave_colour="0x{:02x}{:02x}{:02x}".format(*brand.accent))


def _brand_cards(brand: BrandKit, title: str, fps: int) -> tuple[Card | None, Card | None]:
    """Intro (with the title) and outro, frame-aligned; new objects each time (a timeline fills in their files)."""
    intro = Card("intro", title, round(brand.intro_seconds * fps) / fps) if brand.intro_seconds > 0 else None
    outro = Card("outro", "", round(brand.outro_seconds * fps) / fps) if brand.outro_seconds > 0 else None
    return intro, outro


def _draw_cards(brand: BrandKit, title: str, fps: int, teasers: bool) -> None:
    """Every brand card the run will use, drawn into the card cache (a no-op for cards drawn before)."""
    intro, outro = _brand_cards(brand, title, fps)
    wanted = [("youtube", intro), ("youtube", outro)] + ([(TEASER_PLATFORM, outro)] if teasers else [])
    for platform, card in wanted:
        if card is not None:
            card_file(brand, get_platform(platform), card.kind, card.text, card.duration, fps)


def _cut_segment(base: ClipSegment, ranges: list[tuple[float, float]], fps: int) -> ClipSegment:
    frames = sum(round((b - a) * fps) for a, b in ranges)
    return replace(base, start=ranges[0][0], duration=frames / fps, keep=[[a, b] for a, b in ranges])


def _episode_timeline(job: PodcastJob, brand: BrandKit, title: str, name: str, base: ClipSegment,
                      tmap: TimeMap, names: dict[int, Speaker],
                      turns: list[tuple[float, float, int]], finals: dict[str, Path]) -> Timeline:
    """The episode; its captions are filled in when Whisper's words arrive (_fill_captions)."""
    fps = job.template.fps
    clip = _cut_segment(base, tmap.keep, fps) if not job.keep_pauses else replace(
        base, duration=round(tmap.duration * fps) / fps)
    intro, outro = _brand_cards(brand, title, fps)
    return Timeline(
        title=title, slug=name, fps=fps, fit=job.template.fit, focus_x=0.5, clips=[clip], intro=intro, outro=outro,
        lower_thirds=speaker_lower_thirds(names, turns, tmap, job.template.lower_third_seconds),
        captions=CaptionTrack(str(job.subtitles) if job.subtitles else "auto"),
        audio=AudioPlan(job.template.loudness, job.template.true_peak),
        outputs=[Output("youtube", 1920, 1080, str(finals["youtube"]))],
        encoder={"preset": job.template.preset, "crf": job.template.crf},
    )


def _chapters(job: PodcastJob, words_body: list[Word], words: list[Word], turns: list[tuple[float, float, int]],
              body_duration: float, intro: float, speakers: list[Speaker], brand: BrandKit) -> list[Chapter]:
    """Body-time chapters: the editor's chapters.txt (video time) when given, else planned from the transcript,
    titled with words heard for sure that German (or the glossary) knows, never a speaker's name."""
    if job.chapters_file is None:
        glossary = [*(read_name_list(job.transcribe.glossary) if job.transcribe.glossary else []),
                    *(read_name_list(brand.root / "names.txt") if (brand.root / "names.txt").is_file() else [])]
        names = TitleWords(frozenset(glossary), frozenset(s.name for s in speakers))
        return plan_chapters(words_body, words, turns, body_duration, names=names)
    chapters = _read_chapters(job.chapters_file, intro + body_duration)
    return [Chapter(round(max(0.0, c.start - intro), 3) if i else 0.0, c.title) for i, c in enumerate(chapters)]


def _read_chapters(path: Path, duration: float | None) -> list[Chapter]:
    """An edited chapters.txt on video time, by the same rules as the review editor's."""
    try:
        return parse_chapters(path.read_text(encoding="utf-8"), duration)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError.for_file(path, str(exc), "YouTube's format: '00:00 Title' per line") from None


def _teaser_lower_thirds(turns: list[tuple[float, float, int]], names: dict[int, Speaker],
                         duration: float) -> list[LowerThird]:
    """Each speaker's lower third when they first speak in the teaser (turns on teaser time), never two at once."""
    first_start, length = TEASER_LOWER_THIRD[0], TEASER_LOWER_THIRD[1] - TEASER_LOWER_THIRD[0]
    shown: list[LowerThird] = []
    seen: set[int] = set()
    for start, _end, voice in sorted(turns):
        speaker = names.get(voice)
        if speaker is None or voice in seen:
            continue
        seen.add(voice)
        at = max(first_start, start, shown[-1].end + 0.3 if shown else 0.0)
        if at + length <= duration - 1:
            shown.append(LowerThird(speaker.name, speaker.role, round(at, 3), round(at + length, 3)))
    return shown


def _teaser_timeline(job: PodcastJob, brand: BrandKit, title: str, name: str, base: ClipSegment,
                     episode_map: TimeMap, words: list[Word], turns: list[tuple[float, float, int]],
                     names: dict[int, Speaker], start: float, end: float, duration: float, path: Path) -> Timeline:
    fps = job.template.fps
    inside = [w for w in words if w.start >= start - 0.05 and w.end <= end + 0.05]
    a = max(0.0, (inside[0].start if inside and not job.teasers else start) - TEASER_LEAD)
    b = min(duration, (inside[-1].end if inside and not job.teasers else end) + TEASER_TAIL)
    a, b = int(a * fps) / fps, min(int(duration * fps), -int(-b * fps)) / fps
    ranges = episode_map.ranges_within(a, b)  # the episode's cuts inside the teaser (none with --keep-pauses)
    tmap = TimeMap(ranges)
    clip = _cut_segment(base, ranges, fps)
    teaser_words = words_on_body([w for w in words if a <= w.start < b], tmap)
    lower_thirds = _teaser_lower_thirds(turns_on_body([t for t in turns if t[1] > a and t[0] < b], tmap), names,
                                        clip.duration)
    return Timeline(
        title=title, slug=name, fps=fps, fit=job.teaser_fit, focus_x=job.teaser_focus, clips=[clip], intro=None,
        outro=_brand_cards(brand, title, fps)[1],
        lower_thirds=lower_thirds, captions=CaptionTrack("auto", [], teaser_words),
        audio=AudioPlan(job.template.loudness, job.template.true_peak),
        outputs=[Output(TEASER_PLATFORM, 1080, 1920, str(path))],
        encoder={"preset": job.template.preset, "crf": job.template.crf},
    )


@click.command()
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--speakers", "speakers_file", required=True, type=click.Path(path_type=Path),
              help="speakers.toml: [[speaker]] name, role, start ('auto' or a time in the recording).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option("--title", help="Episode title (intro card, tags, file names; default: the recording's name).")
@click.option("--episode", type=click.IntRange(0, 100000), help="Episode number (tags).")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Publication date (tags; default today).")
@click.option("--keep-pauses", is_flag=True, help="Do not shorten long pauses.")
@click.option("--burn-subtitles", is_flag=True, help="Burn subtitles into the episode (sidecars are always written).")
@click.option("--subtitles", type=click.Path(path_type=Path), help="An edited SRT of the episode (video time) to use.")
@click.option("--chapters", "chapters_file", type=click.Path(path_type=Path), help="An edited chapters.txt to use.")
@click.option("--teaser", "teasers", multiple=True, metavar="START-END",
              help="Teaser range in the recording (e.g. 4:10-4:55). Repeatable, up to 3. Default: proposed.")
@click.option("--teasers", "teaser_count", type=click.IntRange(0, 3), default=1, show_default=True,
              help="How many teasers to propose when no --teaser is given.")
@click.option("--teaser-fit", type=click.Choice(["auto", "crop", "blur"]), default="crop", show_default=True,
              help="Wide recording in the vertical teaser: follow the speaker, crop, or whole over a blurred fill.")
@click.option("--teaser-focus", type=FocusType(), default=0.5, show_default=True,
              help="Horizontal focus of the teaser crop: 0 left, 0.5 centre, 1 right.")
@click.option("--image", type=click.Path(path_type=Path), help="Photo for an audio-only recording (audiogram).")
@click.option("--template", default="podcast", show_default=True, help="Template name or .toml.")
@click.option("--brand", "brand_path", type=click.Path(path_type=Path), help="Brand kit folder.")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper")
@click.option("--glossary", type=click.Path(path_type=Path), help="Names to spell right (text file).")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@click.option("--export-timeline", help="Also write the episode's edit for editing software: otio, fcp7.")
@click.option("--bundle", is_flag=True, help="With --export-timeline: link the recording into <name>.media/ too.")
@click.option("--clean-speech", type=click.FloatRange(0, 1), is_flag=False, flag_value=0.5, default=None,
              metavar="[0..1]", help="Remove traffic, wind and hum under the voices; 0..1 how much (alone: 0.5).")
@click.option("--cuts", type=click.Path(path_type=Path),
              help="A cuts file (<name>.cuts.toml, from the review editor or by hand): ranges removed.")
@click.option("--caption-profile", type=click.Choice(["platform", "broadcast", "netflix"]),
              help="The norm for the captions: broadcast (ARD/ZDF: 37 characters, 15/s), netflix, or the template's.")
@click.option("--sign-language", type=click.Path(path_type=Path), metavar="INTERPRETER.mp4",
              help="An interpreter signing the finished episode: <name>_youtube_dgs.mp4 beside it.")
@click.option("--sign-language-offset", type=float, default=0.0, metavar="SECONDS",
              help="Where in the episode (after the intro) the interpreter's recording starts.")
@click.option("--sign-language-background", metavar="#RRGGBB", help="The colour behind an interpreter on green.")
@click.option("--cut-fillers", is_flag=True, help="Remove fillers (äh, ähm) and retakes, printing what went.")
@click.option("--dry-run", is_flag=True, help="Analyse and plan; print the timeline and command, render nothing.")
def podcast(recording: Path, speakers_file: Path, out_dir: Path, title: str | None, episode: int | None,
            day: Any, keep_pauses: bool, burn_subtitles: bool, subtitles: Path | None, chapters_file: Path | None,
            teasers: tuple[str, ...], teaser_count: int, teaser_fit: str, teaser_focus: float, image: Path | None, template: str, brand_path: Path | None,
            engine: str, glossary: Path | None, force: bool, export_timeline: str | None, bundle: bool,
            clean_speech: float | None, cuts: Path | None, cut_fillers: bool, caption_profile: str | None,
            sign_language: Path | None, sign_language_offset: float, sign_language_background: str | None,
            dry_run: bool) -> None:
    """The weekly podcast: RECORDING (video, or audio + --image) to the YouTube episode, MP3/M4A, chapters,
    sidecars, vertical teasers and a review page."""
    if not recording.is_file():
        raise InputError.for_file(recording, "not found", "check the path")
    if len(teasers) > 3:
        raise ConfigError("at most 3 --teaser ranges")
    for extra in (subtitles, chapters_file, cuts):
        if extra is not None and not extra.is_file():
            raise InputError.for_file(extra, "not found", "check the path")
    ranges = []
    for text in teasers:
        start, end = parse_range(text, f"--teaser '{text}'")
        if end is None:
            raise ConfigError(f"bad --teaser '{text}': give START-END, e.g. 4:10-4:55")
        ranges.append((start, end))
    job = PodcastJob(
        recording=recording, speakers_file=speakers_file, out_dir=out_dir,
        template=with_caption_profile(load_template(template), caption_profile),
        title=title, episode=episode, day=day.date() if day else date.today(), brand_path=brand_path,
        keep_pauses=keep_pauses, burn_subtitles=burn_subtitles, teasers=ranges, teaser_count=teaser_count,
        teaser_fit=teaser_fit, teaser_focus=teaser_focus,
        image=image, chapters_file=chapters_file, subtitles=subtitles, force=force,
        transcribe=TranscribeOptions(engine=engine, glossary=glossary), export_timeline=parse_formats(export_timeline),
        bundle=bundle,
        clean_speech=(clean_speech or None) if clean_speech is not None else load_template(template).clean_speech,
        template_ref=template, cuts=cuts, cut_fillers=cut_fillers or load_template(template).cut_fillers,
        sign_language=sign_language, sign_language_offset=sign_language_offset,
        sign_language_background=parse_colour(sign_language_background),
    )
    result = run_podcast(job, dry_run=dry_run, echo=click.echo)
    if dry_run:
        return
    print_podcast(result)


def print_podcast(result: Any) -> None:
    for rep in result.reports:
        click.echo(f"{rep.platform:8} {rep.path}  {'ok' if rep.ok else rep.summary()}")
    for path in result.files + (result.episode.timelines if result.episode else []):
        click.echo(f"wrote    {path}")
    t = result.timings
    click.echo(f"pauses cut: {result.cut_seconds:.1f} s; chapters: {len(result.chapters)}; "
               f"teasers: {len(result.teaser_ranges)}; took {t.get('total', 0):.0f} s (listen and "
               f"transcribe {t.get('analysis', 0):.0f} s, episode + audio files {t.get('episode', 0):.0f} s, "
               f"teasers {t.get('teasers', 0):.0f} s)")
    for note in result.notes:
        click.echo(f"note: {note}")

