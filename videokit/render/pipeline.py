"""`videokit render` end to end: probe → plan → captions → graphics → measure → one ffmpeg run → check → publish."""

from __future__ import annotations

import os
import shlex
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from videokit.brand import BrandKit, load_brand
from videokit.captions.formats import write_ass, write_sidecar
from videokit.captions.prepare import plan_captions
from videokit.captions.transcribe import TranscribeOptions
from videokit.cards import prepare_card
from videokit.check import CheckReport, check_outputs
from videokit.cleanspeech import CleanSound, clean_sound
from videokit.errors import CheckFailed, InputError
from videokit.graphics import draw_lower_third
from videokit.handoff.build import TimelineMarker
from videokit.handoff.write import export_timelines
from videokit.job import RenderJob, write_job_file
from videokit.outdir import ensure_out_dir
from videokit.plan.clips import plan_render
from videokit.platforms import Platform
from videokit.probe import probe_clip
from videokit.reframe.plan import plan_reframing
from videokit.render.captionlayer import write_layer_file
from videokit.render.graph import (
    AudioFile,
    build_measure,
    build_render,
    build_sound,
    card_video,
    encoder_settings,
    frames_before_outro,
)
from videokit.render.loudness import (
    Loudness,
    measure_argv,
    measure_file,
    measure_loudness,
)
from videokit.render.pictures import copy_shared_pictures, encoded_platforms
from videokit.render.run import (
    atomic_outputs,
    remove_stale_parts,
    run_ffmpeg,
    spill_filtergraph,
    temp_output,
)
from videokit.render.stitch import (
    HeaderMismatch,
    OutroJoin,
    check_headers,
    encode_outro_argv,
    join_argv,
    plan_joins,
    write_concat_list,
)
from videokit.review.project import side_file, write_words_file
from videokit.scratch import work_dir
from videokit.templates import Template
from videokit.timeline import AudioPlan, ClipSegment, Cue, Timeline
from videokit.tools import ffmpeg_bin, ffprobe_bin, run_capture

CHECK_WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass(slots=True)
class RenderResult:
    timeline: Timeline
    reports: list[CheckReport] = field(default_factory=list)
    sidecars: list[Path] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    timelines: list[Path] = field(default_factory=list)  # hand-off files for editing software
    job_file: Path | None = None
    notes: list[str] = field(default_factory=list)  # what the run did beyond the outputs ("noise reduced by 11 dB")


def render_job(job: RenderJob, dry_run: bool = False, echo: Callable[[str], None] = print) -> RenderResult:
    brand = load_brand(job.brand_path)
    check_texts(brand, job.title, [(lt.name, lt.role) for lt in job.lower_thirds])
    infos = [probe_clip(spec.path) for spec in job.clips]
    timeline = plan_render(job, infos, brand.intro_seconds, brand.outro_seconds)
    finals = {o.platform: Path(o.path) for o in timeline.outputs}
    if not dry_run:
        refuse_overwrite(finals.values(), job.force)
        ensure_out_dir(job.out_dir)  # a bad --out is one line now, not after the render
    # the camera path is planned and the loudness measured while Whisper listens (each is one decode); the render
    # waits for the measurement only where it needs it (a picture joined to the cached outro does not)
    with ThreadPoolExecutor(max_workers=4) as pool:
        # --clean-speech: the sound is cleaned beside the camera path and the demux check; the loudness is measured
        # on the cleaned sound, and Whisper waits for it only when it will hear it
        cleaning = pool.submit(clean_clips, timeline.clips, job.clean_speech) \
            if job.clean_speech and not dry_run else None
        measuring = pool.submit(_measure_after, cleaning, timeline) if not dry_run else None
        verifying = [pool.submit(verify_demux, info.path) for info in infos]
        reframing = pool.submit(plan_reframing, timeline, job.platforms)
        if timeline.captions.source == "auto":  # a clip cut off mid-copy fails before Whisper listens
            _wait(verifying)
            if cleaning is not None:
                cleaning.result()
        cues = plan_captions(timeline, job.template, TranscribeOptions(
            engine=job.engine, model=job.model, language=job.language, glossary=job.glossary))
        _wait([*verifying, reframing])
        result = render_timeline(timeline, job.platforms, brand, job.template, cues, job.out_dir, dry_run, echo,
                                 export=job.export_timeline, measuring=measuring, bundle=job.bundle)
        if cleaning is not None:
            result.notes.append(cleaning_note(cleaning.result()))
    if not dry_run:  # the job as it ran, next to its outputs: `videokit render` (or export-timeline) takes it again
        result.job_file = write_job_file(job, job.out_dir / f"{timeline.slug}.job.toml")
    return result


def clean_clips(clips: list[ClipSegment], strength: float) -> list[CleanSound]:
    """Each clip's sound cleaned (cleanspeech.py); the segments then read the cleaned WAV."""
    done = []
    for seg in clips:
        if seg.has_audio and not seg.still_image:
            sound = clean_sound(Path(seg.path), strength)
            seg.clean_audio, seg.clean_for_whisper = sound.path, sound.for_whisper
            done.append(sound)  # path "": no speech heard, the sound stays as recorded
    return done


def cleaning_note(sounds: list[CleanSound]) -> str:
    sounds = [s for s in sounds if s.path]
    if not sounds:
        return "clean speech: no speech heard, the sound stays as recorded"
    if max(s.floor_reduction_db for s in sounds) < 1.0:
        return "clean speech: hardly any noise under the voice (less than 1 dB removed)"
    reduced = min(s.floor_reduction_db for s in sounds), max(s.floor_reduction_db for s in sounds)
    amount = f"{reduced[0]:.0f} dB" if round(reduced[0]) == round(reduced[1]) else f"{reduced[0]:.0f}-{reduced[1]:.0f} dB"
    heard = "the cleaned sound" if all(s.for_whisper for s in sounds) else \
        "the original" if not any(s.for_whisper for s in sounds) else "the cleaned sound where noise was steady"
    return f"clean speech: noise reduced by {amount}; Whisper heard {heard}"


def _measure_after(cleaning: Future[list[CleanSound]] | None, timeline: Timeline) -> None:
    if cleaning is not None:
        cleaning.result()
    _measure(timeline, ())


def check_texts(brand: BrandKit, title: str, people: list[tuple[str, str]]) -> None:
    """The title and each lower third's name and role, in the fonts that will draw them."""
    brand.check_drawable("title", title, "title")
    for name, role in people:
        brand.check_drawable("title", name, "lower third name")
        brand.check_drawable("body", role, "lower third role")


def _wait(futures: list[Future[None]]) -> None:
    """Each result in order: the first clip's problem is the one reported."""
    for future in futures:
        future.result()


def render_timeline(timeline: Timeline, platforms: list[Platform], brand: BrandKit, template: Template,
                    cues: dict[bool, list[Cue]], out_dir: Path, dry_run: bool = False,
                    echo: Callable[[str], None] = print, audio_files: tuple[AudioFile, ...] = (),
                    burn_captions: bool | None = None,
                    finish: Callable[[dict[Path, Path]], None] | None = None, export: tuple[str, ...] = (),
                    markers: list[TimelineMarker] = (), measuring: Future[None] | None = None,
                    bundle: bool = False) -> RenderResult:
    """graphics → loudness → one ffmpeg run (every platform, plus audio-only files) → checks → atomic publish.
    `burn_captions`: None burns as each caption style says (vertical yes, horizontal no), True/False all or none.
    `export`: timeline formats for editing software (also written on a dry run: the hand-off needs no pixels).
    `audio_files` carry their final paths; they are published with the videos, all or nothing.
    `measuring`: the caller's loudness measurement under way (render_job runs it while Whisper listens); without
    it the program is measured here. Either way the render waits for it only where it needs the gain."""
    finals = {o.platform: Path(o.path) for o in timeline.outputs}
    finals.update({f"audio:{a.path}": Path(a.path) for a in audio_files})
    work = work_dir("render")
    try:
        _prepare_graphics(timeline, platforms, template, brand, cues if burn_captions is not False else {}, work,
                          render_cards=not dry_run or bool(export), burn_all=bool(burn_captions))
        if dry_run:
            joins = _plan_joins(timeline, platforms, {k: str(v) for k, v in finals.items()})
            argv = build_render(timeline, platforms, {k: str(v) for k, v in finals.items()}, ffmpeg_bin(), audio_files,
                                joins)
            echo(timeline.to_json())
            echo(shlex.join(argv))
            if joins:
                echo(shlex.join(build_sound(timeline, platforms, joins, ffmpeg_bin(), audio_files)))
            for join in joins.values():
                echo(shlex.join(join_argv(join, work / f"{join.platform}.ffconcat", ffmpeg_bin())))
            if export:  # the timelines carry the program's gain as the clips' audio level: measure it
                _measure(timeline, audio_files)
            return RenderResult(timeline, command=argv,
                                timelines=export_timelines(timeline, platforms, export, out_dir, markers, bundle))
        loudness_ready = measuring.result if measuring is not None else (lambda: _measure(timeline, audio_files))
        ensure_out_dir(out_dir)
        remove_stale_parts(finals.values(), spare_running=True)  # what a killed render of these files left
        result = RenderResult(timeline)
        with atomic_outputs(finals) as temps:
            temp_audio = tuple(replace(a, path=str(temps[f"audio:{a.path}"])) for a in audio_files)
            result.command, loudness = _encode(timeline, platforms, {p.name: str(temps[p.name]) for p in platforms},
                                               temp_audio, work, loudness_ready)
            copy_shared_pictures(platforms, temps)
            # each check decodes the sound once (single-threaded): run them, and the audio files' finishing (the
            # podcast tags and checks its MP3/M4A; it raises to publish nothing), side by side
            with ThreadPoolExecutor(max_workers=1) as pool:
                finishing = pool.submit(finish, {Path(a.path): temps[f"audio:{a.path}"] for a in audio_files}) \
                    if finish is not None else None
                reports = check_outputs({p.name: temps[p.name] for p in platforms}, platforms, timeline.fps,
                                        timeline.audio.target_lufs, CHECK_WORKERS, loudness)
                if finishing is not None:
                    finishing.result()
            for platform, report in zip(platforms, reports):
                report.path = finals[platform.name]
                result.reports.append(report)
            failed = [r for r in result.reports if not r.ok]
            if failed:
                raise CheckFailed(f"{failed[0].path}: does not meet the {failed[0].platform} upload spec "
                                  f"({failed[0].summary()}); nothing was published")
            for key, final in finals.items():
                temps[key].replace(final)
        result.sidecars = _write_sidecars(timeline, platforms, out_dir)
        if timeline.captions.cues:  # cues and timed words for `videokit review` (body time, intro noted)
            write_words_file(side_file(out_dir, timeline.slug, "words"), timeline.captions.cues,
                             timeline.captions.words, timeline.intro_duration)
        result.timelines = export_timelines(timeline, platforms, export, out_dir, markers, bundle)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _encode(timeline: Timeline, platforms: list[Platform], temps: dict[str, str], audio_files: tuple[AudioFile, ...],
            work: Path, loudness_ready: Callable[[], object]) -> tuple[list[str], dict[str, Loudness]]:
    """The one render of every picture. When the outro is the brand's cached one (render/stitch.py) the picture
    is rendered alone, from the start, while the sound waits for the loudness measurement and is encoded (and
    measured for the check) beside it; then the outro is appended and the sound laid under by stream copy.
    Returns the render's argv and the loudness of each picture's sound as measured (for check_outputs)."""
    joins = _plan_joins(timeline, platforms, temps)
    clips = [c.path for c in timeline.clips]
    if not joins:
        loudness_ready()
        return _render_whole(timeline, platforms, temps, audio_files, work), {}
    try:
        argv = spill_filtergraph(build_render(timeline, platforms, temps, ffmpeg_bin(), joins=joins), work)
        missing = {name: join for name, join in joins.items() if not Path(join.outro).exists()}
        with ThreadPoolExecutor(max_workers=2) as pool:  # a brand's first job encodes its outro beside the render
            sound = pool.submit(_sound, timeline, platforms, joins, audio_files, work, loudness_ready)
            encoding = pool.submit(_encode_outros, timeline, platforms, missing) if missing else None
            run_ffmpeg(argv, timeline.total_duration, f"render {timeline.slug}", clips)
            loudness = sound.result()
            if encoding is not None:
                encoding.result()
        try:
            for join in joins.values():
                check_headers(join)
        except HeaderMismatch:  # a changed encoder: the cached outro is dropped and the job rendered in one piece
            return _render_whole(timeline, platforms, temps, audio_files, work), {}
        with ThreadPoolExecutor(max_workers=CHECK_WORKERS) as pool:
            list(pool.map(lambda join: _join(join, work), joins.values()))
        return argv, loudness
    finally:
        for join in joins.values():
            Path(join.video).unlink(missing_ok=True)
            Path(join.audio).unlink(missing_ok=True)


def _render_whole(timeline: Timeline, platforms: list[Platform], temps: dict[str, str],
                  audio_files: tuple[AudioFile, ...], work: Path) -> list[str]:
    """Every picture with its outro, and its sound, in one process (the loudness is measured). Returns its argv."""
    argv = spill_filtergraph(build_render(timeline, platforms, temps, ffmpeg_bin(), audio_files), work)
    run_ffmpeg(argv, timeline.total_duration, f"render {timeline.slug}", [c.path for c in timeline.clips])
    return argv


def _sound(timeline: Timeline, platforms: list[Platform], joins: dict[str, OutroJoin],
           audio_files: tuple[AudioFile, ...], work: Path, loudness_ready: Callable[[], object]) -> dict[str, Loudness]:
    """Once the loudness is measured: the program's sound of every joined picture (and the audio files), then the
    loudness of each sound file for the check. The join copies these very bytes into the output, so measuring
    them here is measuring the output, while the picture still renders instead of after it."""
    loudness_ready()
    argv = spill_filtergraph(build_sound(timeline, platforms, joins, ffmpeg_bin(), audio_files), work, "sound")
    run_ffmpeg(argv, timeline.total_duration, f"sound of {timeline.slug}", [c.path for c in timeline.clips],
               progress=False)
    return {name: measure_file(join.audio) for name, join in joins.items()}


def _plan_joins(timeline: Timeline, platforms: list[Platform], outs: dict[str, str]) -> dict[str, OutroJoin]:
    encoded = encoded_platforms(platforms)
    enc = encoder_settings(timeline)
    return plan_joins(timeline, encoded, {p.name: enc.video_args(p) for p in encoded}, outs,
                      frames_before_outro(timeline) / timeline.fps)


def _encode_outros(timeline: Timeline, platforms: list[Platform], joins: dict[str, OutroJoin]) -> None:
    """Encode the brand's outro once per picture and setting into the cache (atomically: a job started meanwhile
    sees the whole file or none)."""
    assert timeline.outro is not None
    enc = encoder_settings(timeline)
    for platform in encoded_platforms(platforms):
        join = joins.get(platform.name)
        if join is None:
            continue
        final = Path(join.outro)
        tmp = temp_output(final)
        try:
            run_ffmpeg(encode_outro_argv(card_video(timeline.outro, platform, timeline.fps), enc.video_args(platform),
                                         str(tmp), ffmpeg_bin()),
                       timeline.outro.duration, "outro", [timeline.outro.files[platform.name]], progress=False)
            tmp.replace(final)
        finally:
            tmp.unlink(missing_ok=True)


def _join(join: OutroJoin, work: Path) -> None:
    list_file = work / f"{join.platform}.ffconcat"
    write_concat_list(join, list_file)
    run_ffmpeg(join_argv(join, list_file, ffmpeg_bin()), 0.0, f"outro {join.platform}", [join.video, join.outro],
               progress=False)


def _measure(timeline: Timeline, audio_files: tuple[AudioFile, ...]) -> None:
    """Loudness of the program (one pass), then the gain of every mix from it: the video's and each audio file's
    (files sharing a plan measure once); the passes after a limiter run side by side."""
    measured = measure_argv(build_measure(timeline, ffmpeg_bin()), f"audio of {timeline.title}")
    if measured is None:  # silence stays silence: no gain, nothing more to measure
        for plan in [timeline.audio, *(a.plan for a in audio_files)]:
            plan.measured, plan.gain_db, plan.limit_db = None, 0.0, None
        return
    jobs: list[tuple[AudioPlan, Callable[[bool], list[str]]]] = [
        (timeline.audio, lambda processed: build_measure(timeline, ffmpeg_bin(), processed))]
    jobs += [(a.plan, lambda processed, a=a: build_measure(timeline, ffmpeg_bin(), processed, audio_file=a))
             for a in {id(a.plan): a for a in audio_files}.values()]
    with ThreadPoolExecutor(max_workers=CHECK_WORKERS) as pool:
        list(pool.map(lambda job: measure_loudness(job[0], job[1], timeline.title, measured=measured), jobs))


def verify_demux(path: Path) -> None:
    """Read every packet once (no decoding: cheap) so a clip cut off mid-copy fails before rendering."""
    proc = run_capture([ffprobe_bin(), "-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets",
                        "-of", "csv=p=0", str(path)])
    problem = proc.stderr.strip().splitlines()
    if proc.returncode != 0 or problem:
        detail = problem[0] if problem else "cannot be read to the end"
        if "]" in detail:
            detail = detail.split("]", 1)[1].strip()
        raise InputError.for_file(path, f"is damaged or incomplete ({detail})", "copy it from the phone again")


def refuse_overwrite(finals: Iterable[Path], force: bool) -> None:
    existing = [p for p in finals if p.exists()]
    if existing and not force:
        raise InputError.for_file(existing[0], "already exists", "use --force to overwrite, or another --out folder")


def _prepare_graphics(timeline: Timeline, platforms: list[Platform], template: Template, brand: BrandKit,
                      cues: dict[bool, list[Cue]], work: Path, render_cards: bool, burn_all: bool = False) -> None:
    fonts = work / "fonts"
    fonts.mkdir()
    for font in set(brand.fonts.values()):
        shutil.copy(font, fonts / font.name)  # libass gets exactly the brand's fonts, from a path with no specials
    for platform in platforms:
        for card in (timeline.intro, timeline.outro):
            if card:
                prepare_card(brand, platform, card, timeline.fps, render=render_cards)
        for i, lt in enumerate(timeline.lower_thirds):
            lt.files[platform.name] = str(draw_lower_third(brand, platform, lt.name, lt.role,
                                                           work / f"lower-third-{i}-{platform.name}.png"))
        platform_cues = cues.get(platform.vertical)
        style = template.caption_style(platform.vertical)
        if platform_cues and (style.burn or burn_all):
            ass = write_ass(platform_cues, work / f"captions-{platform.name}.ass", platform, brand, style)
            write_layer_file(ass)  # drawn once per change (render/captionlayer.py)
            timeline.captions.style_files[platform.name] = str(ass)


def _write_sidecars(timeline: Timeline, platforms: list[Platform], out_dir: Path) -> list[Path]:
    """SRT/VTT for platforms that take them, on output time (shifted by the intro). Without a single cue (nobody
    speaks) none: an empty file would look like a failed transcription, and one left from an earlier take of
    this output would not match the video that just replaced it."""
    if timeline.captions.source == "none":
        return []
    paths = [out_dir / f"{timeline.slug}_{p.name}.{fmt}" for p in platforms for fmt in p.sidecars]
    if not timeline.captions.cues:
        for path in paths:
            path.unlink(missing_ok=True)
        return []
    return [write_sidecar(timeline.captions.cues, path, timeline.intro_duration) for path in paths]
