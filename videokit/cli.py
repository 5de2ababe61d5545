"""The `videokit` command line. Expected problems print one line and exit non-zero; no tracebacks."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import click

from videokit import __version__
from videokit.errors import VideokitError


class FocusType(click.ParamType):
    name = "0..1"

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        try:
            f = float(value)
        except ValueError:
            self.fail(f"{value!r} is not a number between 0 (left) and 1 (right)", param, ctx)
        if not 0 <= f <= 1:
            self.fail(f"{value} is outside 0 (left) .. 1 (right)", param, ctx)
        return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="videokit")
def cli() -> None:
    """Offline short-video production: phone clips in, upload-ready videos out."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), help="Output folder (default: out/).")
@click.option("--platforms", help="Comma list: tiktok, reels, shorts, youtube (default: the template's).")
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
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Several job files: how many render side by side on this machine.")
@click.option("--cluster", metavar="tcp://HOST:8786", help="Several job files: one task each on this Dask cluster.")
@click.option("--dry-run", is_flag=True, help="Print the planned timeline (JSON) and the ffmpeg command; render nothing.")
def render(inputs: tuple[Path, ...], trims: tuple[str, ...], lower_thirds: tuple[str, ...], dry_run: bool,
           workers: int, cluster: str | None, **flags: Any) -> None:
    """Render CLIPS (or job .toml files: several are one batch) into every platform at once."""
    jobs = [p for p in inputs if p.suffix.lower() == ".toml"]
    from videokit.jobfiles import job_kind

    if len(inputs) == 1 and jobs and not cluster and jobs[0].is_file() and job_kind(jobs[0]) == "podcast":
        from videokit.podcast.jobfile import load_podcast_job
        from videokit.podcast.pipeline import run_podcast

        result = run_podcast(load_podcast_job(jobs[0], force=bool(flags["force"])), dry_run=dry_run, echo=click.echo)
        if not dry_run:
            _print_podcast(result)
        return
    if jobs and (len(inputs) > 1 or cluster):
        if len(jobs) != len(inputs):
            raise click.UsageError("give either clips or job .toml files, not both")
        _render_batch(jobs, bool(flags["force"]), workers, cluster)
        return
    from videokit.job import (
        ClipSpec,
        build_job,
        load_job_file,
        parse_lower_third,
        parse_trim,
    )
    from videokit.render.pipeline import render_job
    from videokit.templates import load_template

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
    for trim in trims:
        index, start, end = parse_trim(trim, len(opts["clips"]))
        opts["clips"][index].start, opts["clips"][index].end = start, end
    job = build_job(opts)
    result = render_job(job, dry_run=dry_run, echo=click.echo)
    if dry_run:
        return
    _print_summary(result)


def _render_batch(jobs: list[Path], force: bool, workers: int, cluster: str | None) -> None:
    from videokit.jobbatch import run_job_batch

    results = run_job_batch(jobs, force, workers, cluster)
    for r in results:
        detail = ", ".join(r.outputs) if r.status != "failed" else r.message
        click.echo(f"{r.status:8} {r.job}: {detail}")
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    click.echo(f"{counts['ok']} rendered, {counts['skipped']} unchanged (skipped), {counts['failed']} failed")
    if counts["failed"]:
        sys.exit(1)


def _print_summary(result: Any) -> None:
    rows = [("platform", "file", "size", "length", "check")]
    for rep in result.reports:
        size = rep.path.stat().st_size / 1e6
        rows.append((rep.platform, str(rep.path), f"{size:.1f} MB", f"{result.timeline.total_duration:.1f} s",
                     "ok" if rep.ok else rep.summary()))
    for side in result.sidecars:
        rows.append(("", str(side), f"{side.stat().st_size / 1e3:.1f} kB", "", "captions"))
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


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--glossary", type=click.Path(path_type=Path), help="Names offered while correcting (text file).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
def review(target: Path, glossary: Path | None, port: int, no_browser: bool) -> None:
    """Check and correct a render's captions in the browser (TARGET: its output folder or one of its videos),
    save them next to the outputs and render the same job again."""
    from videokit.review.glossary import load_names
    from videokit.review.server import serve

    serve(target, port, not no_browser, load_names(glossary), echo=lambda text: click.echo(text))


@cli.command("export-timeline")
@click.argument("job_file", type=click.Path(path_type=Path))
@click.option("--formats", default="otio,fcp7", show_default=True, help="Comma list: otio, fcp7.")
@click.option("--bundle", is_flag=True, help="Link the source clips into <name>.media/ too (the folder moves whole).")
def export_timeline(job_file: Path, formats: str, bundle: bool) -> None:
    """Write the timelines of a job rendered earlier (the JOB_FILE its render recorded) for editing software."""
    from videokit.handoff.write import parse_formats
    from videokit.job import build_job, load_job_file
    from videokit.render.pipeline import render_job

    opts = load_job_file(job_file)
    opts["export_timeline"] = list(parse_formats(formats))
    opts["bundle"] = bundle or bool(opts.get("bundle"))
    result = render_job(build_job(opts), dry_run=True, echo=lambda _text: None)
    for path in result.timelines:
        click.echo(str(path))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--platform", "platform_name", required=True, help="tiktok, reels, shorts or youtube.")
@click.option("--fps", type=int, help="Expected frame rate (default: any constant 23-60).")
@click.option("--lufs", type=float, default=-14.0, show_default=True, help="Loudness target.")
def check(files: tuple[Path, ...], platform_name: str, fps: int | None, lufs: float) -> None:
    """Check finished videos against a platform's upload spec."""
    from videokit.check import check_file
    from videokit.platforms import get_platform

    platform = get_platform(platform_name)
    failed = 0
    for path in files:
        report = check_file(path, platform, fps, lufs)
        click.echo(f"{path}: {'OK' if report.ok else 'FAIL'} for {platform.name}")
        for item in report.items:
            click.echo(f"  {'✓' if item.ok else '✗'} {item.name}: {item.detail}")
        failed += not report.ok
    if failed:
        sys.exit(4)


@cli.command()
@click.argument("clips", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Folder for .srt/.vtt/.json (default: next to the clip).")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper", show_default=True)
@click.option("--model", type=click.Path(path_type=Path), help="Other Whisper model (faster-whisper folder or openai checkpoint).")
@click.option("--glossary", type=click.Path(path_type=Path), help="Names to spell right (text file).")
@click.option("--language", default="de", show_default=True)
@click.option("--template", help="Template whose horizontal caption style segments the SRT.")
def transcribe(clips: tuple[Path, ...], out_dir: Path | None, engine: str, model: Path | None,
               glossary: Path | None, language: str, template: str | None) -> None:
    """Write CLIP.srt, .vtt and .json (words and timings) for review before rendering."""
    from videokit.captions.review import transcribe_for_review

    failures = 0
    for clip in clips:
        try:
            written, notice = transcribe_for_review(clip, out_dir, engine, model, glossary, language, template)
        except VideokitError as exc:
            click.echo(f"error: {exc.message}", err=True)
            failures += 1
            continue
        if notice:
            click.echo(f"{clip}: {notice}")
        for path in written:
            click.echo(str(path))
    if failures:
        sys.exit(2)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option("--platforms", help="Comma list (default: the template's).")
@click.option("--transition", type=click.Choice(["slider", "wipe", "crossfade"]), default="slider", show_default=True)
@click.option("--duration", type=float, default=10.0, show_default=True, help="Seconds per clip, cards included.")
@click.option("--workers", type=click.IntRange(1, 64), help="Items rendered at once (default: cores / 2).")
@click.option("--template", help="Template name or .toml (fps, encoder, loudness, captions).")
@click.option("--brand", type=click.Path(path_type=Path), help="Brand kit folder.")
@click.option("--no-music", is_flag=True, help="No music bed.")
@click.option("--no-subtitles", is_flag=True, help="Do not subtitle speech in 'now' clips.")
@click.option("--force", is_flag=True, help="Render items again even when nothing changed.")
@click.option("--cluster", metavar="tcp://HOST:8786", help="Run each item as a task on this Dask cluster.")
def thenandnow(source: Path, out_dir: Path, platforms: str | None, transition: str, duration: float,
               workers: int | None, template: str | None, brand: Path | None, no_music: bool, no_subtitles: bool,
               force: bool, cluster: str | None) -> None:
    """Then-and-now clips from a CSV manifest or a folder of *_then / *_now files."""
    from dataclasses import replace

    from videokit.brand import load_brand
    from videokit.errors import ConfigError
    from videokit.platforms import parse_platforms
    from videokit.templates import load_template
    from videokit.thenandnow.batch import default_workers, run_batch
    from videokit.thenandnow.item import PairSettings
    from videokit.thenandnow.manifest import read_manifest, scan_folder
    from videokit.thenandnow.plan import min_duration

    tpl = load_template(template)
    load_brand(brand)  # a broken brand kit is one error up front, not one per row
    if duration < min_duration(transition):
        raise ConfigError(f"--duration {duration:g} is too short for the {transition} transition "
                          f"(at least {min_duration(transition):g} s)")
    names = tuple(p.name for p in parse_platforms(platforms if platforms is not None else list(tpl.platforms)))
    items, bad = scan_folder(source) if source.is_dir() else read_manifest(source)
    settings = PairSettings(names, str(out_dir), transition, duration, str(brand) if brand else None, template,
                            not no_music, not no_subtitles)
    if cluster:  # paths are passed, not data: workers must see the files at the same absolute paths
        settings = PairSettings(names, str(out_dir.resolve()), transition, duration,
                                str(brand.resolve()) if brand else None,
                                str(Path(template).resolve()) if template and template.endswith(".toml") else template,
                                not no_music, not no_subtitles)
        items = [replace(i, then=i.then.resolve(), now=i.now.resolve()) for i in items]
    results = run_batch(items, bad, settings, workers or default_workers(), force, cluster)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    click.echo(f"{counts['ok']} rendered, {counts['skipped']} unchanged (skipped), {counts['failed']} failed; "
               f"report: {out_dir / 'report.csv'}")
    for r in results:
        if r.status == "failed":
            click.echo(f"row {r.row}: {r.message}", err=True)
    if counts["failed"]:
        sys.exit(1)


@cli.command()
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
@click.option("--dry-run", is_flag=True, help="Analyse and plan; print the timeline and command, render nothing.")
def podcast(recording: Path, speakers_file: Path, out_dir: Path, title: str | None, episode: int | None,
            day: Any, keep_pauses: bool, burn_subtitles: bool, subtitles: Path | None, chapters_file: Path | None,
            teasers: tuple[str, ...], teaser_count: int, teaser_fit: str, teaser_focus: float, image: Path | None, template: str, brand_path: Path | None,
            engine: str, glossary: Path | None, force: bool, export_timeline: str | None, bundle: bool,
            clean_speech: float | None, dry_run: bool) -> None:
    """The weekly podcast: RECORDING (video, or audio + --image) to the YouTube episode, MP3/M4A, chapters,
    sidecars, vertical teasers and a review page."""
    from datetime import date

    from videokit.captions.transcribe import TranscribeOptions
    from videokit.errors import ConfigError, InputError
    from videokit.handoff.write import parse_formats
    from videokit.job import parse_range
    from videokit.podcast.pipeline import PodcastJob, run_podcast
    from videokit.templates import load_template

    if not recording.is_file():
        raise InputError.for_file(recording, "not found", "check the path")
    if len(teasers) > 3:
        raise ConfigError("at most 3 --teaser ranges")
    for extra in (subtitles, chapters_file):
        if extra is not None and not extra.is_file():
            raise InputError.for_file(extra, "not found", "check the path")
    ranges = []
    for text in teasers:
        start, end = parse_range(text, f"--teaser '{text}'")
        if end is None:
            raise ConfigError(f"bad --teaser '{text}': give START-END, e.g. 4:10-4:55")
        ranges.append((start, end))
    job = PodcastJob(
        recording=recording, speakers_file=speakers_file, out_dir=out_dir, template=load_template(template),
        title=title, episode=episode, day=day.date() if day else date.today(), brand_path=brand_path,
        keep_pauses=keep_pauses, burn_subtitles=burn_subtitles, teasers=ranges, teaser_count=teaser_count,
        teaser_fit=teaser_fit, teaser_focus=teaser_focus,
        image=image, chapters_file=chapters_file, subtitles=subtitles, force=force,
        transcribe=TranscribeOptions(engine=engine, glossary=glossary), export_timeline=parse_formats(export_timeline),
        bundle=bundle,
        clean_speech=(clean_speech or None) if clean_speech is not None else load_template(template).clean_speech,
        template_ref=template,
    )
    result = run_podcast(job, dry_run=dry_run, echo=click.echo)
    if dry_run:
        return
    _print_podcast(result)


def _print_podcast(result: Any) -> None:
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


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("samples/generated"))
def sample(folder: Path) -> None:
    """Make the sample phone clip (German speech, portrait, GPS tags) in FOLDER."""
    from videokit.samplegen import make_sample

    click.echo(str(make_sample(folder)))


@cli.command()
def platforms() -> None:
    """List platform presets."""
    from videokit.platforms import PLATFORMS

    for p in PLATFORMS.values():
        side = ",".join(p.sidecars) or "burn-in"
        click.echo(f"{p.name:8} {p.width}x{p.height}  ≤{p.max_video_kbps / 1000:g} Mbit/s  ≤{p.max_duration:g} s  captions: {side}")


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def brand(path: Path | None) -> None:
    """Validate a brand kit (default: the bundled one) and show what it holds."""
    from videokit.brand import load_brand

    kit = load_brand(path)
    click.echo(f"{kit.name}: {kit.root}")
    click.echo(f"  colours  primary #{bytes(kit.primary).hex()}  accent #{bytes(kit.accent).hex()}  text #{bytes(kit.text).hex()}")
    for role, font in kit.fonts.items():
        click.echo(f"  font     {role}: {font.name} ({kit.font_family(role)})")
    click.echo(f"  logo     {kit.logo.name}")


def main() -> None:
    from videokit.interrupt import install
    from videokit.scratch import sweep_orphans

    install()  # INT, TERM, HUP: child processes stopped, temp files removed, exit 128 + signal
    # libraries' notes to developers (pysubs2 on formats, Pillow on palettes) are not the user's business: the
    # user sees videokit's lines only
    warnings.filterwarnings("ignore", module=r"(pysubs2|PIL)(\.|$)")
    sweep_orphans()  # work folders of runs that were killed outright
    try:
        cli.main(standalone_mode=False)
    except VideokitError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns a signal (videokit.interrupt) into Abort
            _interrupted(exc.__cause__)
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except Exception as exc:  # a bug, not the user's input: one line, the traceback goes to a log file
        log = write_crash_log(exc)
        click.echo(f"error: videokit failed unexpectedly ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no message'}); "
                   f"no partial outputs were kept; details: {log} (please attach it to a bug report)", err=True)
        sys.exit(70)


def _interrupted(exc: KeyboardInterrupt) -> None:
    click.echo(f"interrupted ({exc.args[0] if exc.args else 'SIGINT'}); child processes stopped, no partial "
               "outputs or temp files kept", err=True)
    sys.exit(getattr(exc, "exit_code", 130))


def write_crash_log(exc: BaseException) -> Path:
    """The full traceback and the command line, in the cache's log folder."""
    import time
    import traceback

    from videokit.cache import cache_dir

    folder = cache_dir("logs")
    log = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{id(exc):x}.log"
    log.write_text(f"videokit {__version__}\nargv: {sys.argv!r}\n\n"
                   + "".join(traceback.format_exception(exc)), encoding="utf-8")
    return log


if __name__ == "__main__":
    main()
