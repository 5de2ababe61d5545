"""`videokit render` (and `export-timeline`): a job's clips probed and planned; the camera path, the sound cleaned
and measured and the captions heard side by side; then rendered and published (publish.py). A job file of either
kind runs here too (`run_job_file`), alone or as a batch."""

from __future__ import annotations

import glob
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import click

from videokit.brand import check_texts, load_brand
from videokit.captions.prepare import plan_captions
from videokit.captions.profiles import profile_note
from videokit.captions.transcribe import TranscribeOptions
from videokit.cleanspeech import CleanSound, clean_sound
from videokit.commands.options import FocusType
from videokit.edits.apply import cut_timeline
from videokit.edits.cutfile import read_cuts
from videokit.faceblur.plan import plan_blur, write_faces
from videokit.job import (
    ClipSpec,
    RenderJob,
    build_job,
    load_job_file,
    parse_formats,
    parse_lower_third,
    parse_trim,
    write_job_file,
)
from videokit.jobschema import job_kind
from videokit.outdir import ensure_out_dir, refuse_overwrite
from videokit.plan import plan_render
from videokit.probe import probe_clip, verify_demux
from videokit.check import CheckReport
from videokit.platforms import fitted_to_size, for_parts
from videokit.publish import RenderResult, render_timeline
from videokit.reframe.segments import plan_reframing
from videokit.signlanguage import SignLanguage, check_interpreter, sign_versions
from videokit.splitting import caption_pauses, split_into_parts
from videokit.render.encode import measure_program
from videokit.render.streams import EncoderSettings
from videokit.render.tonemap import tonemap_lut
from videokit.templates import load_template
from videokit.timeline import ClipSegment, Timeline


def render_job(job: RenderJob, dry_run: bool = False, echo: Callable[[str], None] = print) -> RenderResult:
    brand = load_brand(job.brand_path)
    check_texts(brand, job.title, [(lt.name, lt.role) for lt in job.lower_thirds])
    infos = [probe_clip(spec.path) for spec in job.clips]
    timeline = plan_render(job, infos, brand.intro_seconds, brand.outro_seconds)
    finals = {o.platform: Path(o.path) for o in timeline.outputs}
    sign = SignLanguage(job.sign_language, job.sign_language_offset, job.sign_language_background) \
        if job.sign_language is not None else None
    if sign is not None:  # BITV 2.0's rules for the interpreter's recording, before anything is rendered
        check_interpreter(sign)
    if job.cuts is not None:  # its form before anything is made; against the transcript once it is heard
        read_cuts(job.cuts, [c.start + c.duration for c in timeline.clips])
    if not dry_run:
        # --split: the parts an earlier take published are outputs of this job too
        earlier_parts = [part for p in job.platforms if job.split and p.splits
                         for part in finals[p.name].parent.glob(f"{glob.escape(finals[p.name].stem)}_[0-9]*.mp4")]
        refuse_overwrite([*finals.values(), *earlier_parts], job.force)
        ensure_out_dir(job.out_dir)  # a bad --out is one line now, not after the render
    # the camera path is planned and the loudness measured while Whisper listens (each is one decode); the render
    # waits for the measurement only where it needs it (a picture joined to the cached outro does not)
    opts = TranscribeOptions(engine=job.engine, model=job.model, language=job.language, glossary=job.glossary,
                             names=brand.names)
    cutting = job.cuts is not None or job.cut_fillers
    with ThreadPoolExecutor(max_workers=4) as pool:
        # --clean-speech: the sound is cleaned beside the camera path and the demux check; the loudness is measured
        # on the cleaned sound, and Whisper waits for it only when it will hear it
        cleaning = pool.submit(clean_clips, timeline.clips, job.clean_speech) \
            if job.clean_speech and not dry_run else None
        verifying = [pool.submit(verify_demux, info.path) for info in infos]
        # an HDR clip's tone-mapping table (once per machine, about a second) is baked beside the analysis
        baking = [pool.submit(tonemap_lut, t) for t in {c.hdr_transfer for c in timeline.clips if c.hdr_transfer}]
        cut = None
        if cutting:  # the words come first: the cuts decide what the camera path and the loudness cover
            _wait(verifying)
            if cleaning is not None:
                cleaning.result()
            cut = cut_timeline(timeline, job.cuts, job.cut_fillers, opts)
        measuring = pool.submit(_measure_after, cleaning, timeline) if not dry_run else None
        reframing = pool.submit(plan_reframing, timeline, job.platforms)
        # --blur-faces: the faces are looked for beside Whisper too (after the cuts: only what is shown counts)
        blurring = pool.submit(plan_blur, timeline.clips, job.blur_faces, job.keep_faces, job.blur_regions) \
            if job.blur_faces != "none" or job.blur_regions else None
        if timeline.captions.source == "auto" and cut is None:  # a clip cut off mid-copy fails before Whisper
            _wait(verifying)
            if cleaning is not None:
                cleaning.result()
        cues = plan_captions(timeline, job.template, opts, heard=cut.heard if cut is not None else None)
        _wait([*verifying, reframing, *baking])
        blur = blurring.result() if blurring is not None else None
        parts = [p.name for p in job.platforms if job.split and p.splits and timeline.total_duration > p.max_duration]
        platforms = [for_parts(p, timeline.total_duration) if p.name in parts else p for p in job.platforms]
        result = render_timeline(timeline, platforms, brand, job.template, cues, job.out_dir, dry_run, echo,
                                 export=job.export_timeline, measuring=measuring, bundle=job.bundle,
                                 language=job.language)
        if cleaning is not None:
            result.notes.append(cleaning_note(cleaning.result()))
        if cut is not None:
            result.notes.append(cut.summary())
        if blur is not None:
            result.notes.append(blur.summary())
            if not dry_run:
                result.sidecars.append(write_faces(blur, job.out_dir / f"{timeline.slug}.faces.json"))
        if sign is not None and not dry_run:
            files, reports = sign_versions(
                {r.platform: r.path for r in result.reports},
                [fitted_to_size(p, timeline.total_duration) for p in platforms], sign,
                timeline.intro_duration + sign.offset, timeline.total_duration, brand,
                EncoderSettings(job.template.preset, job.template.crf, timeline.fps), job.template.loudness,
                job.out_dir, timeline.slug)
            result.reports += reports
            result.sidecars += [f for f in files if f.suffix != ".mp4" or f.name.endswith("_dgs.mp4")
                                and f not in {r.path for r in reports}]
        for report in [r for r in result.reports if r.platform in parts]:
            split_report(result, report, timeline, job)
        note = profile_note(cues.get(False, []), job.caption_profile, timeline.fps)
        if note:
            result.notes.append(note)
    if not dry_run:  # the job as it ran, next to its outputs: `videokit render` (or export-timeline) takes it again
        result.job_file = write_job_file(job, job.out_dir / f"{timeline.slug}.job.toml")
    return result


def split_report(result: RenderResult, whole: CheckReport, timeline: Timeline, job: RenderJob) -> None:
    """--split: the channel's video cut into parts at pauses between captions; the parts replace it."""
    from videokit.platforms import get_platform

    pauses = caption_pauses(timeline.captions.cues, timeline.intro_duration)
    preset = get_platform(whole.platform, {p.name: p for p in job.platforms})
    files, reports = split_into_parts(whole.path, preset, timeline.fps, pauses, timeline.total_duration,
                                      timeline.audio.target_lufs)
    result.reports[result.reports.index(whole):result.reports.index(whole) + 1] = reports
    result.notes.append(f"{preset.name}: {len(files)} parts of at most {preset.max_duration:g} s "
                        f"({', '.join(f.name for f in files)})")


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
    measure_program(timeline, ())


def _wait(futures: list[Future[Any]]) -> None:
    """Each result in order: the first clip's problem is the one reported."""
    for future in futures:
        future.result()


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), help="Output folder (default: out/).")
@click.option("--platforms", help="Comma list of presets (`videokit platforms`: tiktok, reels, shorts, youtube, "
                                  "instagram, facebook, linkedin, bluesky, mastodon, pixelfed, peertube, whatsapp, "
                                  "web, or the brand kit's own; default: the template's).")
@click.option("--split", is_flag=True, help="A video longer than WhatsApp's 60 s: published in numbered parts "
                                            "cut at pauses (<name>_whatsapp_1.mp4, ...).")
@click.option("--title", help="Title on the intro card; also names the output files.")
@click.option("--lower-third", "lower_thirds", multiple=True, metavar="'NAME|ROLE@START-END'",
              help="Name and role of who speaks, times in seconds of the joined clips. Repeatable.")
@click.option("--subtitles", help="auto (Whisper), none, or an edited .srt to burn in.")
@click.option("--trim", "trims", multiple=True, metavar="N=START-END",
              help="Use only part of clip N (1-based), e.g. 2=0:03-0:10. Repeatable.")
@click.option("--template", help="Template name (news, interview) or a .toml path.")
@click.option("--brand", type=click.Path(path_type=Path), help="Brand kit folder (default: bundled Musterstadt).")
@click.option("--fit", type=click.Choice(["auto", "blur", "crop"]),
              help="Wide clips in vertical frames: follow the speaker (auto), whole over a blurred fill, or crop.")
@click.option("--focus", type=FocusType(), help="Fixed crop around this horizontal point: 0 left, 0.5 centre, 1 right.")
@click.option("--no-intro", is_flag=True, help="Leave out the intro card.")
@click.option("--no-outro", is_flag=True, help="Leave out the outro card.")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), help="Speech engine for auto subtitles.")
@click.option("--model", type=click.Path(path_type=Path), help="Other Whisper model (faster-whisper folder or openai checkpoint).")
@click.option("--glossary", type=click.Path(path_type=Path), help="Names to spell right (text file).")
@click.option("--language", default=None, help="Spoken language (default: de).")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@click.option("--export-timeline", help="Also write the edit for editing software: otio, fcp7 (comma list).")
@click.option("--bundle", is_flag=True, help="With --export-timeline: link the source clips into <name>.media/ too.")
@click.option("--clean-speech", type=click.FloatRange(0, 1), is_flag=False, flag_value=0.5, default=None,
              metavar="[0..1]", help="Remove traffic, wind and hum under the voices (offline); 0..1 how much "
                                     "(alone: 0.5, never less intelligible).")
@click.option("--caption-profile", type=click.Choice(["platform", "broadcast", "netflix"]),
              help="The norm for horizontal captions and sidecars: broadcast (ARD/ZDF: 37 characters, 15/s), "
                   "netflix, or the template's (platform).")
@click.option("--cuts", type=click.Path(path_type=Path),
              help="A cuts file (<name>.cuts.toml, written by the review editor or by hand): ranges removed.")
@click.option("--sign-language", type=click.Path(path_type=Path), metavar="INTERPRETER.mp4",
              help="A sign-language interpreter's recording: additional <name>_<platform>_dgs.mp4 with it composed in.")
@click.option("--sign-language-offset", type=float, metavar="SECONDS",
              help="Where in the video (after the intro) the interpreter's recording starts (default 0).")
@click.option("--sign-language-background", metavar="#RRGGBB",
              help="The colour behind an interpreter recorded on green (the green is keyed out).")
@click.option("--cut-fillers", is_flag=True, default=None,
              help="Remove fillers (äh, ähm) and retakes (a sentence start said again), printing what went.")
@click.option("--blur-faces", type=click.Choice(["none", "others", "all"]),
              help="Blur faces: every face but the people speaking (others), every face (all), or none "
                   "(default: the template's).")
@click.option("--keep-face", "keep_faces", multiple=True, metavar="[N=]X,Y[@SECONDS]",
              help="Keep this person's face: a point (0..1 of the frame) on them at that second of clip N "
                   "(default: clip 1, its first frame). Repeatable.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Several job files: how many render side by side on this machine.")
@click.option("--cluster", metavar="tcp://HOST:8786", help="Several job files: one task each on this Dask cluster.")
@click.option("--dry-run", is_flag=True, help="Print the planned timeline (JSON) and the ffmpeg command; render nothing.")
def render(inputs: tuple[Path, ...], trims: tuple[str, ...], lower_thirds: tuple[str, ...], dry_run: bool,
           workers: int, cluster: str | None, keep_faces: tuple[str, ...], **flags: Any) -> None:
    """Render CLIPS (or job .toml files: several are one batch) into every platform at once."""
    jobs = [p for p in inputs if p.suffix.lower() == ".toml"]

    if len(inputs) == 1 and jobs and not cluster and jobs[0].is_file() and job_kind(jobs[0]) == "podcast":
        from videokit.commands.podcast import print_podcast, run_podcast
        from videokit.podcast.jobfile import load_podcast_job

        result = run_podcast(load_podcast_job(jobs[0], force=bool(flags["force"])), dry_run=dry_run, echo=click.echo)
        if not dry_run:
            print_podcast(result)
        return
    if jobs and (len(inputs) > 1 or cluster):
        if len(jobs) != len(inputs):
            raise click.UsageError("give either clips or job .toml files, not both")
        _render_batch(jobs, bool(flags["force"]), workers, cluster)
        return

    if len(inputs) == 1 and inputs[0].suffix.lower() == ".toml":
        opts = load_job_file(inputs[0])
    else:
        opts = {"clips": [ClipSpec(p) for p in inputs], "lower_thirds": []}
    overrides = {k: v for k, v in flags.items() if v not in (None, False)}
    if "out" in overrides:
        overrides["out"] = overrides["out"]
    opts.update({k: v for k, v in overrides.items() if k not in ("no_intro", "no_outro")})
    if flags["clean_speech"] is not None:  # 0 is an answer too: the sound as recorded
        opts["clean_speech"] = flags["clean_speech"] or None
    if flags["no_intro"]:
        opts["intro"] = False
    if flags["no_outro"]:
        opts["outro"] = False
    seconds = load_template(opts.get("template")).lower_third_seconds
    opts["lower_thirds"] = list(opts.get("lower_thirds", [])) + [parse_lower_third(t, seconds) for t in lower_thirds]
    opts["keep_faces"] = list(opts.get("keep_faces", [])) + list(keep_faces)  # the job's people, and these
    for trim in trims:
        index, start, end = parse_trim(trim, len(opts["clips"]))
        opts["clips"][index].start, opts["clips"][index].end = start, end
    job = build_job(opts)
    result = render_job(job, dry_run=dry_run, echo=click.echo)
    if dry_run:
        return
    _print_summary(result)


def _render_batch(jobs: list[Path], force: bool, workers: int, cluster: str | None) -> None:
    from videokit.commands.batch import run_job_batch  # Dask and the batch's progress bar: only for batches

    results = run_job_batch(jobs, force, run_job_file, workers, cluster)
    for r in results:
        detail = ", ".join(r.outputs) if r.status != "failed" else r.message
        click.echo(f"{r.status:8} {r.job}: {detail}")
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    click.echo(f"{counts['ok']} rendered, {counts['skipped']} unchanged (skipped), {counts['failed']} failed")
    if counts["failed"]:
        sys.exit(1)


def side_kind(side: Path) -> str:
    """What a file beside the videos is for, in the summary's words."""
    if ".transcript." in side.name:
        return "transcript"
    if side.name.endswith(".alt.txt"):
        return "alt text"
    if side.name.endswith(".faces.json"):
        return "faces (videokit review)"
    return {".mp4": "interpreter", ".jpg": "poster", ".html": "web page snippet"}.get(side.suffix, "captions")


def _print_summary(result: Any) -> None:
    rows = [("platform", "file", "size", "length", "check")]
    for rep in result.reports:
        size = rep.path.stat().st_size / 1e6
        rows.append((rep.platform, str(rep.path), f"{size:.1f} MB", f"{rep.seconds or result.timeline.total_duration:.1f} s",
                     "ok" if rep.ok else rep.summary()))
    for side in result.sidecars:
        kind = side_kind(side)
        rows.append(("", str(side), f"{side.stat().st_size / 1e3:.1f} kB", "", kind))
    for path in result.timelines:
        rows.append(("", str(path), f"{path.stat().st_size / 1e3:.1f} kB", "", "timeline"))
    if result.job_file:
        rows.append(("", str(result.job_file), "", "", "job (videokit render it again)"))
    for note in result.notes:
        rows.append(("", note, "", "", ""))
    captions = result.timeline.captions
    if captions.source != "none" and not captions.cues:
        rows.append(("", "no speech heard: no captions burned, no SRT/VTT written", "", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@click.command("export-timeline")
@click.argument("job_file", type=click.Path(path_type=Path))
@click.option("--formats", default="otio,fcp7", show_default=True, help="Comma list: otio, fcp7.")
@click.option("--bundle", is_flag=True, help="Link the source clips into <name>.media/ too (the folder moves whole).")
def export_timeline(job_file: Path, formats: str, bundle: bool) -> None:
    """Write the timelines of a job rendered earlier (the JOB_FILE its render recorded) for editing software."""
    opts = load_job_file(job_file)
    opts["export_timeline"] = list(parse_formats(formats))
    opts["bundle"] = bundle or bool(opts.get("bundle"))
    result = render_job(build_job(opts), dry_run=True, echo=lambda _text: None)
    for path in result.timelines:
        click.echo(str(path))


def run_job_file(path: Path, force: bool = True) -> list[Path]:
    """Render the job again; returns the video files it wrote. Raises VideokitError like the commands do."""
    if job_kind(path) == "podcast":
        from videokit.commands.podcast import run_podcast
        from videokit.podcast.jobfile import load_podcast_job

        result = run_podcast(load_podcast_job(path, force=force), echo=lambda _text: None)
        return [r.path for r in result.reports]

    opts = load_job_file(path)
    opts["force"] = force or bool(opts.get("force"))
    return [r.path for r in render_job(build_job(opts), echo=lambda _text: None).reports]
