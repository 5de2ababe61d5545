"""Timeline × platforms → one ffmpeg-python graph: decode each clip once, split per platform, one encoder each.
A timeline of clips (render, podcast) or of stills (a then-and-now pair, render/stills.py) alike.

Pure: builds argv lists, never runs anything. Filter options are passed as keyword arguments only
(ffmpeg-python escapes positional ones twice).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import ffmpeg

from videokit.geometry import even, fit_inside, same_aspect
from videokit.layout import lower_third_box
from videokit.platforms import Platform
from videokit.render.captionlayer import burn_captions
from videokit.render.pictures import encoded_platforms
from videokit.render.stills import stills_audio, stills_outputs
from videokit.render.stitch import OutroJoin
from videokit.render.pieces import SharedStreams, split_stream
from videokit.render.streams import (
    PRIVATE_MP4,
    EncoderSettings,
    card_video,
    clip_audio,
    clip_video,
    crops_along_path,
    frames,
    measure_stream_argv,
    normalise_loudness,
    over_span,
    reframe,
    relative_keep,
    scale_to_sdr,
    seconds_arg,
    still,
)
from videokit.timeline import AudioPlan, ClipSegment, Timeline

LOWER_THIRD_FADE = 0.4  # seconds


def encoder_settings(timeline: Timeline) -> EncoderSettings:
    return EncoderSettings(timeline.encoder["preset"], timeline.encoder["crf"], timeline.fps)


def body_frames(timeline: Timeline) -> int:
    """Frames of the body as the graph renders it: each clip a whole number of frames."""
    return sum(frames(seg.duration, timeline.fps) for seg in timeline.clips)


def frames_before_outro(timeline: Timeline) -> int:
    """Frames of the intro and the body, as the graph renders them: where a joined outro's clock starts."""
    intro = frames(timeline.intro.duration, timeline.fps) if timeline.intro else 0
    return intro + body_frames(timeline)


# ---------------------------------------------------------------- per-clip chains


# ---------------------------------------------------------------- whole job

@dataclass(frozen=True, slots=True)
class AudioFile:
    """An audio-only output of the body (no cards), with its own loudness: the podcast feed's MP3 and M4A."""

    path: str
    plan: AudioPlan
    args: dict[str, Any]


def build_render(timeline: Timeline, platforms: list[Platform], temp_paths: dict[str, str],
                 ffmpeg_cmd: str = "ffmpeg", audio_files: tuple[AudioFile, ...] = (),
                 joins: dict[str, OutroJoin] | None = None) -> list[str]:
    """argv that renders every distinct picture (and any audio-only files) in one process, from one decode;
    outputs go to temp_paths[platform] of each picture group's leader (copy_shared_pictures writes the rest).
    `joins` (render/stitch.py): pictures whose outro is appended afterwards by stream copy; the render then writes
    the picture alone, without the outro, and build_sound the sound (and the audio files) beside it."""
    joins = joins or {}
    enc = encoder_settings(timeline)
    if timeline.stills is not None:  # a then-and-now pair: photos and a reveal make the body (render/stills.py)
        return _compile(stills_outputs(timeline, platforms, temp_paths, enc), ffmpeg_cmd)
    platforms = encoded_platforms(platforms)  # one encode per distinct picture; the caller copies the rest
    n_p = len(platforms)
    # encodes that show the same picture (the same size and captions: Instagram's feed and Pixelfed, which is
    # its own encode for its size cap) are fed one picture, split: composed once, encoded twice; and pictures of
    # one size (Instagram burns its captions, Facebook takes an SRT) share the framed body before the captions
    keys = [(p.size, p.name in timeline.captions.style_files, p.name in joins) for p in platforms]
    pictures = list(dict.fromkeys(keys))
    sizes = list(dict.fromkeys(key[0] for key in pictures))
    per_clip: list[list[Any]] = []
    branch_segs: list[ClipSegment] = []
    for seg in timeline.clips:
        video = clip_video(seg, timeline.fps)
        working = whole_picture_size(seg, platforms, timeline.fit)
        if working is not None:  # scaled (and tone-mapped) once for every branch
            video = scale_to_sdr(video, *working, seg.color_matrix, seg.hdr_transfer).filter("format", pix_fmts="yuv420p")
            seg = replace(seg, width=working[0], height=working[1], hdr_transfer="", color_matrix="bt709",
                          native_yuv=True)
        branch_segs.append(seg)
        per_clip.append([video] if len(sizes) == 1 else list(split_stream(video, len(sizes))))
    audio_outs, audio_file_outs = ([], []) if joins else _program_sound(timeline, n_p, audio_files)

    n_frames = body_frames(timeline)
    bodies: dict[tuple[int, int], list[Any]] = {}
    for k, size in enumerate(sizes):
        platform = next(p for p in platforms if p.size == size)
        body = _body(timeline, platform, [clip[k] for clip in per_clip], branch_segs)
        uses = sum(key[0] == size for key in pictures)
        bodies[size] = [body] if uses == 1 else list(split_stream(body, uses))
    shared = SharedStreams()
    composed: dict[tuple[Any, ...], list[Any]] = {}
    for key in pictures:
        platform = platforms[keys.index(key)]
        video = _picture(timeline, platform, bodies[key[0]].pop(0), shared, joins.get(platform.name), n_frames)
        encodes = keys.count(key)
        composed[key] = [video] if encodes == 1 else list(split_stream(video, encodes))
    outputs = []
    for p_index, platform in enumerate(platforms):
        video = composed[keys[p_index]].pop(0)
        join = joins.get(platform.name)
        # exactly the planned frames: the constant-rate encoder repeated a last frame that carried two frames'
        # duration (a 25 fps podcast), and the outro joined after it then sat a frame late
        planned = frames_before_outro(timeline)
        if join is None:
            total = planned + (frames(timeline.outro.duration, timeline.fps) if timeline.outro else 0)
            outputs.append(ffmpeg.output(video, audio_outs[p_index], temp_paths[platform.name],
                                         **enc.output_args(platform), **{"frames:v": total}))
        else:  # no faststart: the join writes the final file
            outputs.append(ffmpeg.output(video, join.video, **enc.video_args(platform), **PRIVATE_MP4,
                                         **{"frames:v": planned}))
    outputs += audio_file_outs
    return _compile(outputs, ffmpeg_cmd, tone_mapped=any(seg.hdr_transfer for seg in timeline.clips))


def _card(shared: SharedStreams, card: Any, platform: Platform, fps: int) -> Any:
    """The card decoded once per picture size, split to every picture that shows it."""
    key = json.dumps(["card", card.kind, card.files[platform.name], card.titles.get(platform.name)], sort_keys=True)
    return shared.get(key, lambda: card_video(card, platform, fps))


def _body(timeline: Timeline, platform: Platform, branches: list[Any], segs: list[ClipSegment]) -> Any:
    """One frame size's body: each clip framed for it, joined, the lower thirds over it."""
    parts = [reframe(branches[i], seg.width, seg.height, platform, timeline.fit, timeline.focus_x,
                     seg.color_matrix, seg.native_yuv and not seg.still_image, seg.hdr_transfer,
                     seg.reframe, relative_keep(seg), timeline.fps)
             for i, seg in enumerate(segs)]
    body = parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=1, a=0)
    return _overlay_lower_thirds(body, timeline, platform)


def _picture(timeline: Timeline, platform: Platform, body: Any, shared: SharedStreams, join: OutroJoin | None,
             n_frames: int) -> Any:
    """One platform's picture: its captions burned into the body (when it takes them so), the cards around it
    (the outro left out when it is joined afterwards)."""
    ass_file = timeline.captions.style_files.get(platform.name)
    if ass_file:
        body = burn_captions(body, ass_file, timeline.fps, n_frames, shared)
    sequence = [_card(shared, timeline.intro, platform, timeline.fps)] if timeline.intro else []
    sequence.append(body)
    if timeline.outro and join is None:
        sequence.append(_card(shared, timeline.outro, platform, timeline.fps))
    video = sequence[0] if len(sequence) == 1 else ffmpeg.concat(*sequence, v=1, a=0)
    return video.filter("format", pix_fmts="yuv420p")


def build_sound(timeline: Timeline, platforms: list[Platform], joins: dict[str, OutroJoin],
                ffmpeg_cmd: str = "ffmpeg", audio_files: tuple[AudioFile, ...] = ()) -> list[str]:
    """argv that writes the program's sound of every joined picture (join.audio) and the audio-only files: the
    render's sound as its own process, so the picture's encode need not wait for the loudness measurement."""
    platforms = [p for p in encoded_platforms(platforms) if p.name in joins]
    audio_outs, outputs = _program_sound(timeline, len(platforms), audio_files)
    outputs = [ffmpeg.output(audio, joins[p.name].audio, **EncoderSettings.audio_args(p), **PRIVATE_MP4)
               for p, audio in zip(platforms, audio_outs)] + outputs
    return _compile(outputs, ffmpeg_cmd)


def _program_sound(timeline: Timeline, n: int, audio_files: tuple[AudioFile, ...]) -> tuple[list[Any], list[Any]]:
    """The normalised program sound split `n` ways, and the outputs of the audio-only files (from one decode)."""
    body_branches = split_stream(body_audio(timeline), 1 + len(audio_files), audio=True) if audio_files \
        else [body_audio(timeline)]
    audio = normalise_loudness(program_audio(timeline, body_branches[0]), timeline.audio)
    audio_outs = [audio] if n == 1 else list(split_stream(audio, n, audio=True))
    files = [ffmpeg.output(normalise_loudness(branch, audio_file.plan), audio_file.path, map_metadata=-1,
                           map_chapters=-1, **audio_file.args)
             for audio_file, branch in zip(audio_files, body_branches[1:])]
    return audio_outs, files


def _compile(outputs: list[Any], ffmpeg_cmd: str, tone_mapped: bool = False) -> list[str]:
    """`tone_mapped`: the graph runs on one thread. lut3d is the one heavy filter that cuts its frames into slices
    for the graph's threads; beside a 4K HEVC decode and two x264 encodes, which keep both cores busy, the slices
    only waited for each other (the same 4K HLG render, six runs each way: 0.3 s of 15 s and 1 CPU-s less)."""
    graph = ffmpeg.merge_outputs(*outputs).global_args(
        "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-progress", "pipe:1", "-y",
        *(("-filter_complex_threads", "1") if tone_mapped else ()))
    return graph.compile(cmd=ffmpeg_cmd)


def whole_picture_size(seg: ClipSegment, platforms: list[Platform], fit: str) -> tuple[int, int] | None:
    """The size one shared working picture needs when every output shows the clip's whole picture (the same
    aspect, or the blurred fill): the largest of them. None when a branch crops (it needs the source's detail)
    or nothing would shrink. A 4K clip to YouTube and a vertical blurred fill is then scaled (and tone-mapped)
    once at 1920x1080 instead of once per branch from 4K."""
    if seg.still_image or len(platforms) < 2:
        return None
    widths = []
    for platform in platforms:
        W, H = platform.size
        if same_aspect(seg.width, seg.height, W, H):
            widths.append(W)
            continue
        if fit == "crop" or crops_along_path(seg.width, seg.height, platform, fit, seg.reframe, relative_keep(seg)):
            return None
        widths.append(fit_inside(seg.width, seg.height, W, H).w)
    w = max(widths)
    h = even(w * seg.height / seg.width)
    if w * h > 0.8 * seg.width * seg.height:
        return None
    return even(w), h


def body_audio(timeline: Timeline) -> Any:
    """The clips' sound joined: exactly as long as the body's picture."""
    parts = [clip_audio(seg, i, timeline.fps) for i, seg in enumerate(timeline.clips)]
    return parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=0, a=1)


def program_audio(timeline: Timeline, body: Any = None) -> Any:
    """The body's audio placed after the intro's silence and padded through the outro."""
    audio = body_audio(timeline) if body is None else body
    intro_ms = int(round(timeline.intro_duration * 1000))
    if intro_ms:
        audio = audio.filter("adelay", delays=intro_ms, all=1)
    total = seconds_arg(timeline.total_duration)
    return audio.filter("apad", whole_dur=total).filter("atrim", duration=total)


def build_measure(timeline: Timeline, ffmpeg_cmd: str = "ffmpeg", processed: bool = False,
                  audio_file: AudioFile | None = None) -> list[str]:
    """Loudness pass: audio only (cheap), the exact audio chain of the render (with the planned gain and
    limiter when `processed`), measured by ebur128. With `audio_file`: that file's chain (body only)."""
    if timeline.stills is not None:
        audio = stills_audio(timeline)
    else:
        audio = body_audio(timeline) if audio_file else program_audio(timeline)
    if processed:
        audio = normalise_loudness(audio, audio_file.plan if audio_file else timeline.audio)
    return measure_stream_argv(audio, ffmpeg_cmd, true_peak=not processed)


def _overlay_lower_thirds(body: Any, timeline: Timeline, platform: Platform) -> Any:
    fps = timeline.fps
    for lt in timeline.lower_thirds:
        png = lt.files.get(platform.name)
        if not png:
            continue
        # on whole frames: a span cut between two frames placed the layer at a fractional timestamp, and the
        # pieces joined again collided (a 25 fps podcast lost 2 frames: one missing where the outro is joined)
        first, last = frames(lt.start, fps), frames(lt.end, fps)
        if last <= first:
            continue
        start, end = first / fps, last / fps
        duration = end - start
        fade = min(LOWER_THIRD_FADE, duration / 3)
        layer = (
            still(png, duration, fps, as_yuva=True)  # converted once, not once per frame
            .filter("fade", type="in", start_time=0, duration=seconds_arg(fade), alpha=1)
            .filter("fade", type="out", start_time=seconds_arg(duration - fade), duration=seconds_arg(fade), alpha=1)
            .filter("setpts", f"PTS-STARTPTS+{first}")  # in frames: the layer's time base is 1/fps
        )
        box = lower_third_box(platform)
        body = over_span(body, start, end, timeline.body_duration,
                         lambda piece, layer=layer, box=box: piece.overlay(layer, x=box.x, y=box.y,
                                                                           eof_action="pass", format="yuv420"),
                         fps)
    return body


