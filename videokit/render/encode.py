"""Encode a planned Timeline: its graphics drawn, its loudness measured, every platform's picture in one ffmpeg run
(the brand's cached outro joined by stream copy)."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from videokit.brand import BrandKit
from videokit.captions.formats import write_ass
from videokit.cards import prepare_card
from videokit.graphics import draw_lower_third
from videokit.platforms import Platform
from videokit.render.captionlayer import write_layer_file
from videokit.render.graph import (
    AudioFile,
    build_measure,
    build_render,
    build_sound,
    encoder_settings,
    frames_before_outro,
)
from videokit.render.loudness import (
    Loudness,
    measure_argv,
    measure_file,
    measure_loudness,
)
from videokit.render.pictures import encoded_platforms
from videokit.render.run import (
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
from videokit.render.streams import card_video
from videokit.templates import Template
from videokit.timeline import AudioPlan, Cue, Timeline
from videokit.tools import ffmpeg_bin

CHECK_WORKERS = max(1, min(4, os.cpu_count() or 1))


def encode_timeline(timeline: Timeline, platforms: list[Platform], temps: dict[str, str],
                    audio_files: tuple[AudioFile, ...], work: Path,
                    loudness_ready: Callable[[], object]) -> tuple[list[str], dict[str, Loudness]]:
    """The one render of every picture. When the outro is the brand's cached one (render/stitch.py) the picture
    is rendered alone, from the start, while the sound waits for the loudness measurement and is encoded (and
    measured for the check) beside it; then the outro is appended and the sound laid under by stream copy.
    Returns the render's argv and the loudness of each picture's sound as measured (for check_outputs)."""
    joins = plan_outro_joins(timeline, platforms, temps)
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


def plan_outro_joins(timeline: Timeline, platforms: list[Platform], outs: dict[str, str]) -> dict[str, OutroJoin]:
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


def measure_program(timeline: Timeline, audio_files: tuple[AudioFile, ...]) -> None:
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


def prepare_graphics(timeline: Timeline, platforms: list[Platform], template: Template, brand: BrandKit,
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
        if platform_cues and (template.burns(platform) or burn_all):
            ass = write_ass(platform_cues, work / f"captions-{platform.name}.ass", platform, brand, style)
            write_layer_file(ass)  # drawn once per change (render/captionlayer.py)
            timeline.captions.style_files[platform.name] = str(ass)
