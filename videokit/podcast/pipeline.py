"""`videokit podcast` end to end: validate → one audio-only pass (speech, voices, Whisper) → plan (cuts, lower
thirds, chapters) → one render for the YouTube episode + MP3 + M4A → tags, sidecars, chapters.txt, review.html →
teasers.

Everything reuses the render core (Timeline, render_timeline, checks); only the planning is podcast-specific.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from videokit.brand import BrandKit, load_brand
from videokit.captions.formats import read_subtitles
from videokit.captions.segment import segment
from videokit.cards import card_file
from videokit.check import CheckReport, check_file
from videokit.cleanspeech import clean_sound
from videokit.errors import CheckFailed, InputError
from videokit.graphics import check_image, draw_audiogram_still
from videokit.handoff.build import TimelineMarker
from videokit.naming import slug
from videokit.plan.clips import clip_segment
from videokit.plan.podcast import (
    Chapter,
    PauseSettings,
    TimeMap,
    TitleWords,
    apply_speaker_fixes,
    format_chapters,
    parse_chapters,
    plan_chapters,
    plan_cuts,
    propose_conversation_teasers,
    propose_teasers,
    shift_chapters,
    speaker_lower_thirds,
    spoken_spans,
    turns_on_body,
    voice_names,
    words_on_body,
)
from videokit.platforms import get_platform
from videokit.podcast.analysis import SpeechAnalysis, analyse_recording
from videokit.podcast.audiofiles import FORMATS, EpisodeTags, finish_audio_file
from videokit.podcast.jobfile import PodcastJob, write_podcast_job
from videokit.podcast.review import write_review
from videokit.podcast.speakerfile import (
    SpeakerTurns,
    fixes_as_turns,
    read_speaker_fixes,
    voice_labels,
    write_speaker_turns,
)
from videokit.podcast.speakers import Speaker, load_speakers
from videokit.podcast.voices import speaker_turns
from videokit.probe import MediaInfo, probe
from videokit.reframe.plan import plan_reframing
from videokit.render.graph import AudioFile
from videokit.render.pipeline import (
    RenderResult,
    check_texts,
    refuse_overwrite,
    render_timeline,
    verify_demux,
)
from videokit.review.project import Project
from videokit.scratch import work_dir
from videokit.templates import output_fps
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


def run_podcast(job: PodcastJob, dry_run: bool = False, echo: Callable[[str], None] = print) -> PodcastResult:
    clock = time.perf_counter()
    result = PodcastResult()
    brand = load_brand(job.brand_path)
    speakers = load_speakers(job.speakers_file)
    check_texts(brand, job.title or job.recording.stem, [(s.name, s.role) for s in speakers])
    if job.image is not None:
        check_image(job.image)
    if job.chapters_file is not None:  # their form now; whether they fit the episode once its length is known
        _read_chapters(job.chapters_file, None)
    info = probe(job.recording)
    if not info.has_audio:
        raise InputError.for_file(job.recording, "has no sound track; a podcast needs the voices",
                                  "export the recording with its audio")
    audio_only = not info.has_video or info.is_still
    if not audio_only:
        verify_demux(info.path)
    _check_teaser_ranges(job, info.duration)
    job.template = replace(job.template, fps=output_fps(job.template, info.fps if not audio_only else 30.0))
    title = job.title or job.recording.stem
    name = slug(title, fallback=job.recording.stem)
    finals = _final_paths(job, name)
    if not dry_run:
        refuse_overwrite(finals.values(), job.force)

    # the brand cards are drawn while Whisper listens: a fresh title (every week) costs ~19 s of drawing on its
    # own, alongside Whisper it adds ~5 s to the analysis (measured on a 10-minute recording)
    # --clean-speech: the episode's sound is cleaned meanwhile too; the analysis (voices, Whisper) hears the
    # recording as it is (a voice's fingerprint is its spectrum, which the cleaning changes)
    with ThreadPoolExecutor(max_workers=1) as early:
        cards = None if dry_run else early.submit(_draw_cards, brand, title, job.template.fps,
                                                  bool(job.teasers or job.teaser_count))
        cleaning = early.submit(clean_sound, job.recording, job.clean_speech) \
            if job.clean_speech and not dry_run else None
        analysis = _analyse(job, info)  # one audio-only pass: speech regions, voices, Whisper's words
        if cards is not None:
            cards.result()  # raises here if a card could not be drawn
        cleaned = cleaning.result() if cleaning is not None else None
    words = analysis.words
    result.timings["analysis"] = time.perf_counter() - clock
    fps = job.template.fps
    duration = min(info.duration, analysis.duration) if not audio_only else analysis.duration
    duration = int(duration * fps) / fps
    regions = [(r.start, r.end) for r in analysis.regions]
    if job.keep_pauses:
        keep = [(0.0, duration)] if regions else []
    else:
        keep = plan_cuts(spoken_spans(regions, []), duration, fps,
                         PauseSettings(job.template.max_pause, job.template.keep_pause))
    tmap = TimeMap(keep)
    if tmap.duration < 1.0:
        raise InputError.for_file(job.recording, f"no speech found: cutting the pauses would leave "
                                  f"{tmap.duration:.1f} s", "check the recording, or pass --keep-pauses")
    result.cut_seconds = round(duration - tmap.duration, 3)
    turns = [(t.start, t.end, t.voice) for t in speaker_turns(analysis.regions, len(speakers))]
    names = voice_names(speakers, turns)  # from the machine's turns: a fixed paragraph never renames a voice
    if job.speaker_fixes is not None:
        fixes, names = fixes_as_turns(read_speaker_fixes(job.speaker_fixes), names, (v for _, _, v in turns),
                                      speakers, job.speaker_fixes)
        turns = apply_speaker_fixes(turns, fixes)

    # Whisper runs before the render, not beside it: side by side, Whisper's and x264's threads fought over the
    # two cores and the whole run took 8 % longer (measured: 0.65x vs 0.60x realtime)
    work = work_dir("podcast")
    try:
        base = _base_segment(job, info, brand, title, duration, audio_only, work)
        if cleaned is not None and cleaned.path:
            base.clean_audio = cleaned.path
            result.notes.append(f"clean speech: noise reduced by {cleaned.floor_reduction_db:.0f} dB; Whisper and "
                                "the speaker analysis heard the recording as it is")
        episode = _episode_timeline(job, brand, title, name, base, tmap, names, turns, finals)
        tags = EpisodeTags(title=title, artist=brand.name, album=f"{brand.name} – Podcast", episode=job.episode,
                           day=job.day)
        feed_plan = AudioPlan(job.template.audio_loudness, job.template.true_peak)  # one plan: measured once
        audio_files = tuple(AudioFile(str(finals[kind]), feed_plan, dict(FORMATS[kind])) for kind in ("mp3", "m4a"))

        _fill_captions(episode, job, words, tmap)
        body_chapters = _chapters(job, episode.captions.words, words, turns, tmap.duration, episode.intro_duration,
                                  speakers, brand)
        result.chapters = shift_chapters(body_chapters, episode.intro_duration)

        def finish(temps: dict[Path, Path]) -> None:
            with ThreadPoolExecutor(max_workers=2) as pool:  # tag + check both files side by side
                list(pool.map(lambda item: finish_audio_file(
                    item[1], item[0].suffix.lstrip("."), tags, body_chapters, tmap.duration, brand.logo, work,
                    job.template.audio_loudness), temps.items()))

        cues = {False: episode.captions.cues}
        markers = [TimelineMarker(c.start, c.title, "chapter") for c in result.chapters]
        markers += [TimelineMarker(round(a + episode.intro_duration, 3), names[v].name if v in names else f"Stimme {v + 1}",
                                   "speaker") for a, _b, v in turns_on_body(turns, tmap)]
        result.episode = render_timeline(episode, [get_platform("youtube")], brand, job.template, cues, job.out_dir,
                                         dry_run, echo, audio_files, burn_captions=job.burn_subtitles, finish=finish,
                                         export=job.export_timeline, markers=markers, bundle=job.bundle)
        teaser_ranges = job.teasers or _propose(job, words, turns, tmap, result.notes)
        result.teaser_ranges = teaser_ranges
        if dry_run:
            echo(f"teasers (recording time): {teaser_ranges}")
            echo(format_chapters(result.chapters))
            return result
        result.timings["episode"] = time.perf_counter() - clock - sum(result.timings.values())
        result.reports += result.episode.reports
        result.files += [finals["youtube"], finals["mp3"], finals["m4a"], *result.episode.sidecars]
        chapters_text = format_chapters(result.chapters)
        write_text_atomic(finals["chapters"], chapters_text)
        # what the review editor and review.html show: captions, and who speaks when (body time)
        project = Project(job.out_dir, name, job.out_dir / f"{name}.job.toml", episode.intro_duration,
                          episode.captions.cues, episode.captions.words,
                          SpeakerTurns(voice_labels(names, (v for _, _, v in turns), speakers),
                                       turns_on_body(turns, tmap), tmap.keep))
        write_speaker_turns(project.speakers_file, project.speakers)
        write_review(project, title, job.template.horizontal_captions, finals["youtube"].name, chapters_text,
                     "#{:02x}{:02x}{:02x}".format(*brand.primary), finals["review"])
        result.files += [finals["chapters"], finals["review"], project.speakers_file]
        for i, (start, end) in enumerate(teaser_ranges, 1):
            path = job.out_dir / f"{name}_teaser-{i}.mp4"
            teaser = _teaser_timeline(job, brand, title, f"{name}_teaser-{i}", base, tmap, words, turns,
                                      names, start, end, duration, path)
            plan_reframing(teaser, [get_platform(TEASER_PLATFORM)])  # --teaser-fit auto: follow the speaker
            vertical_cues = segment(teaser.captions.words, job.template.vertical_captions, fps)
            teaser_result = render_timeline(teaser, [get_platform(TEASER_PLATFORM)], brand, job.template,
                                            {True: vertical_cues}, job.out_dir, echo=echo)
            result.reports += teaser_result.reports
            for other in VERTICAL[1:]:
                report = check_file(path, get_platform(other), fps, job.template.loudness)
                if not report.ok:
                    path.unlink(missing_ok=True)
                    raise CheckFailed(f"{path}: does not meet the {other} upload spec ({report.summary()})")
                result.reports.append(report)
            result.files.append(path)
        result.timings["teasers"] = time.perf_counter() - clock - sum(result.timings.values())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the run as a job file beside its outputs: `videokit render` (and the review editor) run it again
    result.files.append(write_podcast_job(job, job.out_dir / f"{name}.job.toml"))
    result.timings["total"] = time.perf_counter() - clock
    return result


def _fill_captions(episode: Timeline, job: PodcastJob, words: list[Word], tmap: TimeMap) -> None:
    """Whisper's words on body time; cues from them, or the editor's SRT (on video time, so minus the intro)."""
    body_words = words_on_body(words, tmap)
    if job.subtitles is not None:
        offset = episode.intro_duration
        cues = [replace(c, start=max(0.0, c.start - offset), end=max(0.0, c.end - offset))
                for c in read_subtitles(job.subtitles)]
        cues = [c for c in cues if c.end > c.start]
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

