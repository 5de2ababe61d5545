"""The stills layer of a Timeline (a then-and-now pair): the archive photo's Ken Burns move and labels, the reveal,
today's photo or clip, the music bed; the graph builder (render/graph.py) makes it one ffmpeg process with the cards.
Pure: builds streams, runs nothing."""

from __future__ import annotations

from typing import Any

import ffmpeg

from videokit.platforms import Platform
from videokit.render.pictures import encoded_platforms
from videokit.render.pieces import split_stream
from videokit.render.streams import (
    AUDIO_RATE,
    BT709,
    EncoderSettings,
    card_video,
    clip_audio,
    clip_video,
    frames,
    normalise_loudness,
    reframe,
    seconds_arg,
    still,
)
from videokit.timeline import ClipSegment, Stills, Timeline

KEN_BURNS_ZOOM = 0.08  # 8 % slow push-in on the archive photo, the same pull-out on today's

DUCK = {"threshold": 0.03, "ratio": 8, "attack": 20, "release": 400, "makeup": 1}  # music under speech
MUSIC_LEVEL_DB = -6.0  # the bed sits under voices; loudness normalisation sets the final level
DEFAULT_MOVE = (0.5, 0.5, KEN_BURNS_ZOOM)  # a push-in towards the centre (a photo without faces)


def ken_burns(png: str, seconds: float, platform: Platform, fps: int, zoom_in: bool,
              move: tuple[float, float, float] = (0.5, 0.5, KEN_BURNS_ZOOM)) -> Any:
    """A slow, smooth push-in (or pull-out) on an image prepared larger than the frame (photos.OVERSAMPLE),
    anchored at `move`'s point (fractions of the image: it keeps its place on screen, so the faces around it stay
    whole) by `move`'s zoom (faces.frame_photo limits it so no head leaves the frame)."""
    n = frames(seconds, fps)
    ax, ay, zoom = move
    z = f"1+{zoom:.4f}*on/{n}" if zoom_in else f"1+{zoom:.4f}*(1-on/{n})"
    return (
        ffmpeg.input(png).video
        # to YUV once, on the single decoded picture: zoompan then scales 1.5 bytes a pixel instead of 3 and
        # nothing converts per frame (4x faster than converting after the move)
        .filter("scale", **BT709).filter("format", pix_fmts="yuv420p")
        .filter("zoompan", z=z, x=f"(iw-iw/zoom)*{ax:.4f}", y=f"(ih-ih/zoom)*{ay:.4f}", d=n,
                s=f"{platform.width}x{platform.height}", fps=fps)  # crops the oversampled image: sub-pixel steps
        .filter("setsar", "1")
    )


def _overlay(base: Any, png: str, x: int | str, y: int | str, fps: int, seconds: float, start: float = 0.0) -> Any:
    layer = still(png, seconds, fps, as_yuva=True)
    if start:
        layer = layer.filter("setpts", f"PTS-STARTPTS+{seconds_arg(start)}/TB")
    return base.overlay(layer, x=x, y=y, eof_action="pass", format="yuv420")


def today_clip(timeline: Timeline) -> ClipSegment | None:
    """Today's view when it is video: the stills timeline's one clip."""
    return timeline.clips[0] if timeline.clips else None


def stills_body(timeline: Timeline, platform: Platform, now_video: Any | None) -> Any:
    """Archive photo (Ken Burns, year, credit) → reveal → today (photo or clip, year), frame-exact."""
    stills, fps = timeline.stills, timeline.fps
    assert stills is not None
    f = stills.files[platform.name]
    at = stills.places[platform.name]
    moves = stills.moves.get(platform.name, {})
    then = ken_burns(f["then"], stills.then_seconds, platform, fps, zoom_in=True, move=moves.get("then", DEFAULT_MOVE))
    then = _overlay(then, f["then_label"], *at["then_label"], fps, stills.then_seconds)
    if "credit" in f:
        then = _overlay(then, f["credit"], *at["credit"], fps, stills.then_seconds)
    seg = today_clip(timeline)
    if seg is not None and now_video is not None:
        now = reframe(now_video, seg.width, seg.height, platform, "auto" if seg.reframe else "crop", 0.5,
                      seg.color_matrix, hdr_transfer=seg.hdr_transfer, path=seg.reframe, fps=fps)
    else:
        now = ken_burns(f["now"], stills.now_seconds, platform, fps, zoom_in=False,
                        move=moves.get("now", DEFAULT_MOVE))
    now = _overlay(now, f["now_label"], *at["now_label"], fps, stills.now_seconds)
    body = reveal(then, now, stills, fps, platform.width)
    if stills.transition == "slider":
        # the handle rides the wipe's edge: from the right border to the left over the reveal
        t0, d = stills.then_alone, stills.reveal
        x = f"{platform.width}*(1-(t-{seconds_arg(t0)})/{seconds_arg(d)})-w/2"
        body = _overlay(body, f["slider"], x, 0, fps, d, start=t0)
    ass = f.get("captions")
    if ass:
        body = body.filter("ass", filename=ass, fontsdir=f["fonts"])
    return body.filter("trim", end_frame=frames(stills.body_seconds, fps)).filter("setpts", "PTS-STARTPTS")


def reveal(then: Any, now: Any, stills: Stills, fps: int, width: int) -> Any:
    """Archive alone → transition → today alone, cut into three segments so that only the transition frames are
    composited: xfade works in 4:4:4 only, and running the whole body through it (two colour conversions per frame)
    cost more than both Ken Burns moves together."""
    alone, n = frames(stills.then_alone, fps), frames(stills.reveal, fps)
    then_alone, then_end = split_stream(then, 2)
    now_start, now_rest = split_stream(now, 2)
    then_alone = then_alone.filter("trim", end_frame=alone)
    then_end = then_end.filter("trim", start_frame=alone).filter("setpts", "PTS-STARTPTS")
    now_start = now_start.filter("trim", end_frame=n)
    now_rest = now_rest.filter("trim", start_frame=n).filter("setpts", "PTS-STARTPTS")
    if stills.transition == "crossfade":
        middle = ffmpeg.filter([then_end, now_start], "xfade", transition="fade", duration=seconds_arg(stills.reveal),
                               offset=0)
    else:
        middle = wipe(then_end, now_start, width, stills.reveal)
    return ffmpeg.concat(then_alone, middle, now_rest, v=1, a=0)


def wipe(old: Any, new: Any, width: int, seconds: float) -> Any:
    """Today's view revealed from the right, its edge moving right to left over `seconds` (xfade's wipeleft,
    without the 4:4:4 round trip): the new picture is padded to twice its width and cropped at the edge, so the
    part placed at the edge is exactly the part of the new picture that belongs there."""
    edge = f"{width}*(1-t/{seconds_arg(seconds)})"
    shifted = new.filter("pad", w=2 * width, h="ih", x=0, y=0).filter("crop", w=width, h="ih", x=edge, y=0)
    return old.overlay(shifted, x=edge, y=0, format="yuv420", eof_action="pass")


def stills_audio(timeline: Timeline) -> Any:
    """Music bed (looped) ducked under the speech of today's clip, as long as the whole video."""
    assert timeline.stills is not None
    total_seconds = timeline.total_duration
    total = seconds_arg(total_seconds)
    speech = None
    seg = today_clip(timeline)
    if seg is not None and seg.has_audio:  # today's clip starts (with its sound) when the reveal does
        now_starts = timeline.intro_duration + timeline.stills.then_alone
        speech = (clip_audio(seg, 0)
                  .filter("adelay", delays=int(round(now_starts * 1000)), all=1)
                  .filter("apad", whole_dur=total).filter("atrim", duration=total))
    music = timeline.stills.music
    if music:
        bed = (ffmpeg.input(music, stream_loop=-1).audio
               .filter("atrim", duration=total).filter("asetpts", "PTS-STARTPTS")
               .filter("aformat", sample_fmts="fltp", sample_rates=AUDIO_RATE, channel_layouts="stereo")
               .filter("volume", volume=f"{MUSIC_LEVEL_DB}dB")
               .filter("afade", type="in", duration=0.5)
               .filter("afade", type="out", start_time=seconds_arg(max(0.0, total_seconds - 1.5)), duration=1.5))
        if speech is None:
            return bed
        key, voice = split_stream(speech, 2, audio=True)
        ducked = ffmpeg.filter([bed, key], "sidechaincompress", **DUCK)
        return ffmpeg.filter([ducked, voice], "amix", inputs=2, duration="first", normalize=0)
    if speech is not None:
        return speech
    return ffmpeg.input(f"anullsrc=channel_layout=stereo:sample_rate={AUDIO_RATE}", f="lavfi", t=total)


def stills_outputs(timeline: Timeline, platforms: list[Platform], temp_paths: dict[str, str],
                   encoder: EncoderSettings) -> list[Any]:
    """One output per distinct picture: intro card, the stills body, outro card; the sound normalised."""
    platforms = encoded_platforms(platforms)  # one encode per distinct picture; the caller copies the rest
    audio = normalise_loudness(stills_audio(timeline), timeline.audio)
    audio_outs = [audio] if len(platforms) == 1 else split_stream(audio, len(platforms), audio=True)
    # a pair's picture is its size (its captions are always burned): two encodes of one size (Instagram's feed
    # and Pixelfed's, under its size cap) are fed one picture, split
    sizes = list(dict.fromkeys(p.size for p in platforms))
    now_videos: list[Any] = [None] * len(sizes)
    seg = today_clip(timeline)
    if seg is not None:  # decoded once, split per picture
        clip = clip_video(seg, timeline.fps, hold=seg.duration)
        now_videos = [clip] if len(sizes) == 1 else split_stream(clip, len(sizes))
    pictures: dict[tuple[int, int], list[Any]] = {}
    for k, size in enumerate(sizes):
        platform = next(p for p in platforms if p.size == size)
        parts = [card_video(timeline.intro, platform, timeline.fps)] if timeline.intro else []
        parts.append(stills_body(timeline, platform, now_videos[k]))
        if timeline.outro:
            parts.append(card_video(timeline.outro, platform, timeline.fps))
        video = (parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=1, a=0)).filter("format", pix_fmts="yuv420p")
        encodes = sum(p.size == size for p in platforms)
        pictures[size] = [video] if encodes == 1 else list(split_stream(video, encodes))
    threads = int(timeline.encoder.get("threads", 0))
    outputs = []
    for i, platform in enumerate(platforms):
        args = encoder.output_args(platform)
        if threads:
            args["threads"] = threads
        outputs.append(ffmpeg.output(pictures[platform.size].pop(0), audio_outs[i], temp_paths[platform.name], **args))
    return outputs
