"""A planned Timeline rendered and published, for every job: its graphics and loudness and the one ffmpeg run
(render/encode.py), then the publish step every job shares (`publish_checked`: each output checked against its
platform's upload spec, all published atomically or none), then the SRT/VTT sidecars, the editor's words file and
the timelines for editing software."""

from __future__ import annotations

import shlex
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from videokit.brand import BrandKit
from videokit.captions.formats import write_sidecar
from videokit.captions.transcript import paragraphs, sections, transcript_html, transcript_text
from videokit.captions.wordsfile import side_file, write_words_file
from videokit.channelfiles import write_alt_texts, write_page_files
from videokit.check import CheckReport, check_outputs, refuse_failed
from videokit.handoff.build import TimelineMarker
from videokit.handoff.write import export_timelines
from videokit.outdir import ensure_out_dir
from videokit.platforms import Platform, fitted_to_size
from videokit.render.encode import (
    CHECK_WORKERS,
    encode_timeline,
    measure_program,
    plan_outro_joins,
    prepare_graphics,
)
from videokit.render.graph import (
    AudioFile,
    build_render,
    build_sound,
)
from videokit.render.loudness import Loudness
from videokit.render.pictures import copy_shared_pictures
from videokit.render.run import (
    atomic_outputs,
    remove_stale_parts,
)
from videokit.render.stitch import (
    join_argv,
)
from videokit.scratch import work_dir
from videokit.templates import Template
from videokit.timeline import Cue, Timeline
from videokit.textfile import write_text_atomic
from videokit.tools import ffmpeg_bin


@dataclass(slots=True)
class RenderResult:
    timeline: Timeline
    reports: list[CheckReport] = field(default_factory=list)
    sidecars: list[Path] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    timelines: list[Path] = field(default_factory=list)  # hand-off files for editing software
    job_file: Path | None = None
    notes: list[str] = field(default_factory=list)  # what the run did beyond the outputs ("noise reduced by 11 dB")


def render_timeline(timeline: Timeline, platforms: list[Platform], brand: BrandKit, template: Template,
                    cues: dict[bool, list[Cue]], out_dir: Path, dry_run: bool = False,
                    echo: Callable[[str], None] = print, audio_files: tuple[AudioFile, ...] = (),
                    burn_captions: bool | None = None,
                    finish: Callable[[dict[Path, Path]], None] | None = None, export: tuple[str, ...] = (),
                    markers: list[TimelineMarker] = (), measuring: Future[None] | None = None,
                    bundle: bool = False, language: str = "de") -> RenderResult:
    """graphics → loudness → one ffmpeg run (every platform, plus audio-only files) → checks → atomic publish.
    `burn_captions`: None burns as each caption style says (vertical yes, horizontal no), True/False all or none.
    `export`: timeline formats for editing software (also written on a dry run: the hand-off needs no pixels).
    `audio_files` carry their final paths; they are published with the videos, all or nothing.
    `measuring`: the caller's loudness measurement under way (render_job runs it while Whisper listens); without
    it the program is measured here. Either way the render waits for it only where it needs the gain."""
    # a size-capped channel's bitrate fitted to this video's length (the body and a joined outro: two pieces)
    platforms = [fitted_to_size(p, timeline.total_duration, 2 if timeline.outro else 1) for p in platforms]
    finals = {o.platform: Path(o.path) for o in timeline.outputs}
    finals.update({f"audio:{a.path}": Path(a.path) for a in audio_files})
    work = work_dir("render")
    try:
        prepare_graphics(timeline, platforms, template, brand, cues if burn_captions is not False else {}, work,
                         render_cards=not dry_run or bool(export), burn_all=bool(burn_captions))
        if dry_run:
            joins = plan_outro_joins(timeline, platforms, {k: str(v) for k, v in finals.items()})
            argv = build_render(timeline, platforms, {k: str(v) for k, v in finals.items()}, ffmpeg_bin(), audio_files,
                                joins)
            echo(timeline.to_json())
            echo(shlex.join(argv))
            if joins:
                echo(shlex.join(build_sound(timeline, platforms, joins, ffmpeg_bin(), audio_files)))
            for join in joins.values():
                echo(shlex.join(join_argv(join, work / f"{join.platform}.ffconcat", ffmpeg_bin())))
            if export:  # the timelines carry the program's gain as the clips' audio level: measure it
                measure_program(timeline, audio_files)
            return RenderResult(timeline, command=argv,
                                timelines=export_timelines(timeline, platforms, export, out_dir, markers, bundle))
        loudness_ready = measuring.result if measuring is not None else \
            (lambda: measure_program(timeline, audio_files))
        ensure_out_dir(out_dir)
        remove_stale_parts(finals.values(), spare_running=True)  # what a killed render of these files left
        result = RenderResult(timeline)
        with atomic_outputs(finals) as temps:
            temp_audio = tuple(replace(a, path=str(temps[f"audio:{a.path}"])) for a in audio_files)
            outputs = {p.name: str(temps[p.name]) for p in platforms}
            result.command, loudness = encode_timeline(timeline, platforms, outputs, temp_audio, work, loudness_ready)
            beside = (lambda: finish({Path(a.path): temps[f"audio:{a.path}"] for a in audio_files})) \
                if finish is not None else None
            result.reports = publish_checked(temps, finals, platforms, timeline, CHECK_WORKERS, loudness, beside)
        result.sidecars = _write_sidecars(timeline, platforms, out_dir)
        if timeline.captions.source != "none" and not timeline.captions.cues:
            for kind in ("transcript", "transcript_html"):  # an earlier take's would not match this video
                side_file(out_dir, timeline.slug, kind).unlink(missing_ok=True)
        if timeline.captions.cues:  # cues and timed words for `videokit review` (body time, intro noted)
            write_words_file(side_file(out_dir, timeline.slug, "words"), timeline.captions.cues,
                             timeline.captions.words, timeline.intro_duration, timeline.clips)
            result.sidecars += write_transcript(out_dir, timeline.slug, timeline.title, timeline.captions.cues,
                                                timeline.intro_duration, video=Path(timeline.outputs[0].path).name)
        result.sidecars += write_alt_texts(platforms, timeline.title, timeline.captions.cues, out_dir, timeline.slug)
        for p in platforms:
            if p.page:
                vtt = out_dir / f"{timeline.slug}_{p.name}.vtt"
                result.sidecars += write_page_files(p, finals[p.name], timeline.title, timeline.intro_duration,
                                                    timeline.body_duration, vtt if "vtt" in p.sidecars else None,
                                                    side_file(out_dir, timeline.slug, "transcript_html"), language)
        result.timelines = export_timelines(timeline, platforms, export, out_dir, markers, bundle)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_transcript(out_dir: Path, name: str, title: str, cues: list[Cue], intro: float,
                     speaker_at: Callable[[float], str] | None = None, chapters: list[tuple[float, str]] = (),
                     video: str | None = None) -> list[Path]:
    """<name>.transcript.txt and .html: the full text beside the captions (WCAG 1.2.3), on video time."""
    parts = sections(paragraphs(cues, intro, speaker_at), list(chapters))
    return [write_text_atomic(side_file(out_dir, name, "transcript"), transcript_text(title, parts)),
            write_text_atomic(side_file(out_dir, name, "transcript_html"), transcript_html(title, parts, video))]


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


def publish_checked(temps: dict[str, Path], finals: dict[str, Path], platforms: list[Platform], timeline: Timeline,
                    workers: int = CHECK_WORKERS, loudness: dict[str, Loudness] | None = None,
                    beside: Callable[[], object] | None = None) -> list[CheckReport]:
    """The publish step of every job (render, podcast, then-and-now), inside its atomic_outputs: pictures shared
    between platforms copied, every video checked against its platform's upload spec, then every file moved to its
    final name; one failed check publishes nothing. `beside` runs next to the checks (each check decodes the sound
    once, single-threaded): the podcast's audio files are tagged and checked there, and raise to publish nothing."""
    copy_shared_pictures(platforms, temps)
    with ThreadPoolExecutor(max_workers=1) as pool:
        finishing = pool.submit(beside) if beside is not None else None
        reports = check_outputs({p.name: temps[p.name] for p in platforms}, platforms, timeline.fps,
                                timeline.audio.target_lufs, workers, loudness)
        if finishing is not None:
            finishing.result()
    for platform, report in zip(platforms, reports):
        report.path = finals[platform.name]
    refuse_failed(reports)
    for key, final in finals.items():
        temps[key].replace(final)
    return reports
