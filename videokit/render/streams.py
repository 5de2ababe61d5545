"""The pieces of every render graph (ffmpeg-python streams, pure): a clip's picture and sound at the output rate,
stills and brand cards, reframing and tone mapping, the loudness gain, and the encoder's settings. Filter options
are passed as keyword arguments only (ffmpeg-python escapes positional ones twice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ffmpeg

from videokit.geometry import (
    BLUR_DOWNSCALE,
    Rect,
    cover_crop,
    even,
    fit_inside,
    same_aspect,
)
from videokit.platforms import BUFFER_SECONDS, Platform
from videokit.reframe.expression import output_keys, ramp_sum
from videokit.render.faceblur import blur_patches
from videokit.render.pieces import frames, join_pieces
from videokit.render.tonemap import tonemap_lut
from videokit.timeline import AudioPlan, ClipSegment

AUDIO_RATE = 48000
# extra source seconds decoded past a segment's end so the fps filter never runs dry before the trim
DECODE_MARGIN = 0.25
# the limiter holds sample peaks this far under the true-peak target: inter-sample peaks and AAC add up to ~1 dB
LIMITER_MARGIN = 1.0
BT709 = {"out_color_matrix": "bt709", "out_range": "tv"}
# a piece of a camera path shorter than this could hold no frame (a tenth of a second: a frame at 10 fps)
MIN_PIECE = 0.1


def buffer_kbits(platform: Platform) -> int:
    """The VBV buffer: two seconds of the cap, one where the file size is capped (platforms.fitted_to_size counts
    on it: the buffer is what a piece may run over maxrate x duration)."""
    return int(platform.max_video_kbps * (BUFFER_SECONDS if platform.max_bytes else 2))


def to_bt709(matrix: str) -> dict[str, str]:
    """scale options that read with the source's matrix and write BT.709; equal matrices take swscale's fast path."""
    return {"in_color_matrix": matrix, **BT709}


@dataclass(frozen=True, slots=True)
class EncoderSettings:
    preset: str
    crf: int
    fps: int

    def video_args(self, platform: Platform) -> dict[str, Any]:
        gop = max(1, self.fps // 2)  # closed GOP of half the frame rate (YouTube's recommendation)
        return {
            "c:v": "libx264", "profile:v": "high", "pix_fmt": "yuv420p", "preset": self.preset,
            "crf": self.crf, "maxrate": f"{platform.max_video_kbps}k", "bufsize": f"{buffer_kbits(platform)}k",
            "g": gop, "keyint_min": gop, "sc_threshold": 0, "bf": 2, "flags": "+cgop",
            # 8x8 transforms make the stream High profile whatever the preset (ultrafast would fall to Main);
            # stitchable: headers that depend on the settings only, so the cached outro joins by stream copy
            "x264-params": "8x8dct=1:cabac=1:stitchable=1",
            "r": self.fps, "fps_mode": "cfr",
            "color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709", "color_range": "tv",
        }

    @staticmethod
    def audio_args(platform: Platform) -> dict[str, Any]:
        # the "fast" coder: a fifth of the default's time at these bitrates, no audible difference
        return {"c:a": "aac", "aac_coder": "fast", "b:a": f"{platform.audio_kbps}k", "ar": AUDIO_RATE, "ac": 2}

    def output_args(self, platform: Platform) -> dict[str, Any]:
        return {**self.video_args(platform), **self.audio_args(platform), **PRIVATE_MP4, "movflags": "+faststart"}


CUT_FADE = 0.008  # seconds the sound fades out before a cut and in after it (inaudible in a pause, no click)
# privacy: nothing from the phone's container (GPS, make/model, creation time) is carried over
PRIVATE_MP4 = {"map_metadata": -1, "map_chapters": -1, "f": "mp4"}


def clip_video(seg: ClipSegment, fps: int, hold: float = 1.0) -> Any:
    """Decoded, upright, constant `fps`, exactly round(duration*fps) frames. HDR stays HDR here: `reframe` tone-maps
    each branch after scaling it to its output size (a 4K HLG frame has four times the pixels of any output, and
    the tone mapping works in 32-bit float), and after the frame-rate conversion (a 60 fps clip to 30 maps half)."""
    if seg.still_image:
        return audiogram_video(seg, fps)
    stream = ffmpeg.input(seg.path, ss=seconds_arg(seg.start), t=seconds_arg(seg.source_span + DECODE_MARGIN)).video
    # fps with start_time=0 resamples VFR by timestamps (drop/duplicate), so picture stays locked to audio
    stream = stream.filter("fps", fps=fps, start_time=0)
    # faces are blurred on the decoded picture: every output, every crop and the kept ranges show it blurred
    stream = blur_patches(stream, seg.blur, fps, seg.width, seg.height, ten_bit=bool(seg.hdr_transfer))
    if seg.keep:
        stream = stream.filter("select", expr=keep_expression(seg, fps)).filter("setpts", f"N/{fps}/TB")
    # the last frame is held (a short last GOP, or a clip shorter than its slot) so the segment is never short
    stream = stream.filter("tpad", stop_mode="clone", stop_duration=seconds_arg(hold))
    return stream.filter("trim", end_frame=frames(seg.duration, fps)).filter("setpts", "PTS-STARTPTS")


def relative_keep(seg: ClipSegment) -> list[tuple[float, float]] | None:
    """The kept ranges relative to the segment's start (the time the camera path is planned on)."""
    return [(a - seg.start, b - seg.start) for a, b in seg.keep] if seg.keep else None


def keep_ranges_in_frames(seg: ClipSegment, fps: int) -> list[tuple[int, int]]:
    """Kept ranges as [first, last) frame numbers counted from the segment's start."""
    return [(round((a - seg.start) * fps), round((b - seg.start) * fps)) for a, b in seg.keep]


def keep_expression(seg: ClipSegment, fps: int) -> str:
    """select/aselect expression on the frame number `n`. Video after fps=… and audio cut into frames of exactly
    one video frame's samples share that numbering, so both cut at the same instants, sample-exactly."""
    return "+".join(f"between(n,{a},{b - 1})" for a, b in keep_ranges_in_frames(seg, fps) if b > a)


def cut_points(seg: ClipSegment, fps: int) -> list[int]:
    """Frame numbers of the cut segment (from its start) where one kept range meets the next."""
    lengths = [b - a for a, b in keep_ranges_in_frames(seg, fps) if b > a]
    points, total = [], 0
    for length in lengths[:-1]:
        total += length
        points.append(total)
    return points


def fade_at_cut(stream: Any, frame: int, fps: int) -> Any:
    """The sound fades out over the last CUT_FADE seconds before a cut and in over the first after it: two pieces
    of a waveform never meet at different levels (a click). Each afade works only on the one audio frame (one
    video frame's samples) it is for; elsewhere it passes the sound untouched."""
    at, half = frame / fps, 0.5 / fps
    return (stream.filter("afade", t="out", st=seconds_arg(at - CUT_FADE), d=CUT_FADE,
                          enable=f"between(t,{at - 1 / fps - half:.6f},{at - 1 / fps + half:.6f})")
            .filter("afade", t="in", st=seconds_arg(at), d=CUT_FADE,
                    enable=f"between(t,{at - half:.6f},{at + half:.6f})"))


def audiogram_video(seg: ClipSegment, fps: int) -> Any:
    """A still picture with a live waveform of the segment's own sound (audio-only episodes)."""
    picture = ffmpeg.input(seg.still_image).video.filter("loop", loop=-1, size=1, start=0)
    picture = picture.filter("fps", fps=fps).filter("format", pix_fmts="yuv420p")
    wave_w, wave_h = even(seg.width * 0.8), even(seg.height * 0.16)
    waves = (
        clip_audio(seg, 0, fps, for_picture=True)
        .filter("showwaves", s=f"{wave_w}x{wave_h}", mode="cline", rate=fps, colors=seg.wave_colour, scale="sqrt")
        .filter("format", pix_fmts="yuva420p")
    )
    n = frames(seg.duration, fps)
    stream = picture.overlay(waves, x=(seg.width - wave_w) // 2, y=even(seg.height * 0.72), shortest=1, format="yuv420")
    return (stream.filter("tpad", stop_mode="clone", stop_duration=1)
            .filter("trim", end_frame=n).filter("setpts", "PTS-STARTPTS"))


def tonemap_to_sdr(stream: Any, transfer: str, size: tuple[int, int] | None = None) -> Any:
    """HLG/PQ BT.2020 → BT.709 SDR (without it iPhone HDR looks washed out on every platform): the signal as float
    R'G'B' through the baked tone-mapping LUT (render/tonemap.py), then BT.709 Y'CbCr. `size`: zimg scales to it
    in the same pass that converts to float R'G'B' (see scale_to_sdr)."""
    first: dict[str, Any] = {"min": "bt2020nc", "rin": "limited", "r": "full"}
    if size is not None:
        first.update(w=size[0], h=size[1], filter="bilinear")
    return (
        stream.filter("zscale", **first)
        .filter("format", pix_fmts="gbrpf32le")
        .filter("lut3d", file=str(tonemap_lut(transfer)), interp="tetrahedral")
        .filter("zscale", tin="bt709", pin="bt709", t="bt709", p="bt709", m="bt709", rin="full", r="limited")
        .filter("format", pix_fmts="yuv420p")
    )


def clip_audio(seg: ClipSegment, index: int, fps: int | None = None, for_picture: bool = False) -> Any:
    """48 kHz stereo, starting at 0 and exactly as long as the clip's picture (silence when it has none).
    `for_picture`: a second, separate decode feeding a waveform (ffmpeg-python merges identical inputs)."""
    if seg.has_audio:
        source = seg.clean_audio or seg.path  # the cleaned WAV keeps the clip's timeline
        stream = ffmpeg.input(source, ss=seconds_arg(seg.start), t=seconds_arg(seg.source_span + DECODE_MARGIN),
                              **({"vn": None} if for_picture else {})).audio
        stream = stream.filter("aresample", AUDIO_RATE, first_pts=0)
    else:
        # nb_samples differs per clip only so ffmpeg-python does not merge two identical silent inputs
        stream = ffmpeg.input(f"anullsrc=channel_layout=stereo:sample_rate={AUDIO_RATE}:nb_samples={1024 + index}",
                              f="lavfi", t=seconds_arg(seg.duration))
    stream = stream.filter("aformat", sample_fmts="fltp", sample_rates=AUDIO_RATE, channel_layouts="stereo")
    if seg.keep and seg.has_audio:
        if not fps or AUDIO_RATE % fps:
            raise ValueError(f"cutting audio needs a frame rate that divides {AUDIO_RATE} Hz, got {fps}")
        stream = (stream.filter("asetnsamples", n=AUDIO_RATE // fps, p=1)
                  .filter("aselect", expr=keep_expression(seg, fps)).filter("asetpts", "N/SR/TB"))
        for join in cut_points(seg, fps):
            stream = fade_at_cut(stream, join, fps)
    return (
        stream.filter("apad", whole_dur=seconds_arg(seg.duration))
        .filter("atrim", duration=seconds_arg(seg.duration))
        .filter("asetpts", "PTS-STARTPTS")
    )


def scale_to_sdr(stream: Any, w: int, h: int, matrix: str, hdr_transfer: str = "", **extra: Any) -> Any:
    """Scale to w x h and convert to 8-bit BT.709: SDR with swscale's matrix conversion; HDR by scaling the HDR
    signal first and tone-mapping the small frame (both outputs of a 4K frame together are a third of its pixels;
    a frame matches one tone-mapped at full size: PSNR 36 dB on saturated colour bars, see tests/test_render.py).
    The HDR frame is scaled by zimg in the pass that makes it float R'G'B' for the LUT: swscale's 10-bit scale
    before it cost a fifth of a 4K HLG render's time (18.8 s against 23.7 s for 10 s to two sizes, x264 included),
    and came out further from a frame tone-mapped at 4K and then scaled (38.0 dB against 42.0 dB)."""
    if hdr_transfer:
        return tonemap_to_sdr(stream, hdr_transfer, size=(w, h))
    return stream.filter("scale", w=w, h=h, **to_bt709(matrix), **extra)


def reframe(stream: Any, src_w: int, src_h: int, platform: Platform, fit: str, focus_x: float,
            matrix: str = "bt709", native: bool = False, hdr_transfer: str = "",
            path: list[dict[str, Any]] | None = None, keep: list[tuple[float, float]] | None = None,
            fps: int = 30) -> Any:
    """Show the clip in the platform frame: whole over a blurred fill, cropped, or (`auto`) cropped along a
    planned camera path. Never stretched.
    `native`: the decoded frames are 8-bit 4:2:0 limited range, so at the output size with the output's matrix
    they pass untouched (swscale's "no-op" still copies every frame: 8 % of a podcast's decode-and-filter time).
    `hdr_transfer`: an HDR clip, tone-mapped to SDR after each branch is scaled to its size.
    `path`/`keep`: the auto camera path and the kept ranges, both relative to the segment's start."""
    W, H = platform.size
    if crops_along_path(src_w, src_h, platform, fit, path, keep):
        return follow_path(stream, src_w, src_h, platform, matrix, hdr_transfer, path or [], keep, fps)
    if fit == "auto":
        fit = "blur"  # no path (a portrait clip in 16:9, or nothing to follow): the whole picture
    if native and not hdr_transfer and (src_w, src_h) == (W, H) and matrix == "bt709":
        return stream.filter("setsar", "1")
    if same_aspect(src_w, src_h, W, H):
        return scale_to_sdr(stream, W, H, matrix, hdr_transfer).filter("setsar", "1")
    if fit == "crop":
        r = cover_crop(src_w, src_h, W, H, focus_x)
        return scale_to_sdr(stream.filter("crop", w=r.w, h=r.h, x=r.x, y=r.y), W, H, matrix,
                            hdr_transfer).filter("setsar", "1")
    fg_rect = fit_inside(src_w, src_h, W, H)
    # the fill is made from the picture already scaled (and tone-mapped) for the frame, not from the source:
    # its reduction then reads a third of the pixels, and an HDR clip is tone-mapped once
    picture = scale_to_sdr(stream, fg_rect.w, fg_rect.h, matrix, hdr_transfer).split()
    small_w, small_h = even(W / BLUR_DOWNSCALE), even(H / BLUR_DOWNSCALE)
    c = cover_crop(fg_rect.w, fg_rect.h, small_w, small_h)
    background = (
        # area averaging: half of bicubic's cost at a 5x reduction, and no aliasing to shimmer through the blur
        picture[0].filter("crop", w=c.w, h=c.h, x=c.x, y=c.y).filter("scale", w=small_w, h=small_h, flags="area")
        .filter("boxblur", luma_radius=4, luma_power=2)
        .filter("eq", brightness=-0.06)
        # bilinear: on a fill this smooth it differs from bicubic by at most 2 of 255 levels (mean 0.09, measured
        # on a testsrc2 frame), at two taps a row instead of four
        .filter("scale", w=W, h=H, flags="bilinear")
    )
    foreground = picture[1]
    return frame_with_fill(background, foreground, fg_rect, W, H).filter("setsar", "1")


def frame_with_fill(fill: Any, picture: Any, at: Rect, W: int, H: int) -> Any:
    """The opaque picture framed by the fill's two bands (above and below, or left and right), stacked: a copy.
    overlay would turn the picture into YUVA and alpha-blend every pixel of it: 1.6 ms of a 1080x1920 frame, on
    the filter thread the encoders wait for. The first band is rounded down to even (4:2:0 chroma), so a 4:3
    picture may sit one pixel above the centre. Overlay only when the picture spans neither the frame's width nor
    its height (a rounding case)."""
    if at.w == W and at.h < H and at.h % 2 == 0:
        first = at.y - at.y % 2
        stack = "vstack"
        bands = dict(w=W, h=first, x=0, y=0), dict(w=W, h=H - first - at.h, x=0, y=first + at.h)
    elif at.h == H and at.w < W and at.w % 2 == 0:
        first = at.x - at.x % 2
        stack = "hstack"
        bands = dict(w=first, h=H, x=0, y=0), dict(w=W - first - at.w, h=H, x=first + at.w, y=0)
    else:
        return fill.overlay(picture, x=at.x, y=at.y)
    layers = [picture]
    copies = fill.split()
    for i, band in enumerate(bands):
        if band["w"] > 0 and band["h"] > 0:
            layers.insert(2 * i, copies[i].filter("crop", **band))
    if len(layers) == 1:
        return picture
    return ffmpeg.filter(layers, stack, inputs=len(layers))


def crops_along_path(src_w: int, src_h: int, platform: Platform, fit: str, path: list[dict[str, Any]] | None,
                     keep: list[tuple[float, float]] | None) -> bool:
    """`--fit auto` crops this picture along its camera path: wider than the frame, and a shot to follow."""
    W, H = platform.size
    return bool(fit == "auto" and path and src_w * H > src_h * W and not same_aspect(src_w, src_h, W, H)
                and output_keys(path, keep)[1])


def follow_path(stream: Any, src_w: int, src_h: int, platform: Platform, matrix: str, hdr_transfer: str,
                path: list[dict[str, Any]], keep: list[tuple[float, float]] | None, fps: int = 30) -> Any:
    """The crop window's x follows the camera path (an expression of t, evaluated per frame inside ffmpeg);
    shots planned as "fill" show the blurred fill instead. The picture is cut at the crop spans' edges and each
    piece computes only its own picture, crop or fill, before they are joined again: laying the crop over a fill
    made for every frame cost both pictures and a YUVA conversion of the crop on every frame."""
    W, H = platform.size
    window = cover_crop(src_w, src_h, W, H)
    keys, spans = output_keys(path, keep)  # spans: crops_along_path made sure there is one
    keys = widened(keys, float(path[0].get("window", window.w / src_w)), window.w / src_w)
    length = sum(b - a for a, b in keep) if keep else max(s["end"] for s in path)
    x = ramp_sum(keys, src_w)

    def cropped(piece: Any) -> Any:
        return scale_to_sdr(piece.filter("crop", w=window.w, h=window.h, x=x, y=window.y), W, H, matrix,
                            hdr_transfer).filter("setsar", "1")

    pieces = path_pieces(spans, length)
    if len(pieces) == 1:
        return cropped(stream)
    # trim keeps the timestamps, so the crop's x still reads the segment's own t
    return join_pieces(stream, pieces, lambda piece, crop: cropped(piece) if crop else reframe(
        piece, src_w, src_h, platform, "blur", 0.5, matrix, hdr_transfer=hdr_transfer), fps).filter("setsar", "1")


def widened(keys: list[tuple[float, float]], planned: float, window: float) -> list[tuple[float, float]]:
    """A camera path planned for a window `planned` wide (a share of the source width) for a window `window`
    wide: the same centre, kept inside the picture. Between two kept keys the crop stays inside too."""
    if abs(planned - window) < 1e-4:
        return keys
    return [(t, min(max(x + (planned - window) / 2, 0.0), 1.0 - window)) for t, x in keys]


def path_pieces(spans: list[tuple[float, float]], length: float) -> list[tuple[float, float | None, bool]]:
    """The segment cut at its crop spans' edges: (start, end, crop?) in order from 0, the last one open-ended (it
    takes any held frames too). A piece shorter than MIN_PIECE could hold no frame: its neighbours take it."""
    cuts = [(0.0, False)] + [edge for a, b in spans for edge in ((a, True), (b, False))]
    kept: list[tuple[float, bool]] = []
    for (start, crop), end in zip(cuts, [t for t, _ in cuts[1:]] + [length]):
        if end - start >= MIN_PIECE and (not kept or kept[-1][1] != crop):
            kept.append((start if kept else 0.0, crop))
    if not kept:
        return [(0.0, None, True)]
    return [(start, following[0] if following else None, crop)
            for (start, crop), following in zip(kept, [*kept[1:], None])]


def measure_stream_argv(audio: Any, ffmpeg_cmd: str = "ffmpeg", true_peak: bool = True) -> list[str]:
    """argv that decodes only what `audio` needs and prints its EBU R128 summary. Without `true_peak` it measures
    loudness alone: the 4x oversampled peak search is more than half of the pass, and the pass after the limiter
    only needs the loudness (the limiter sets the peak)."""
    audio = audio.filter("ebur128", peak="true" if true_peak else "none", framelog="verbose")
    out = ffmpeg.output(audio, "-", f="null").global_args("-hide_banner", "-nostdin", "-nostats", "-v", "info")
    return out.compile(cmd=ffmpeg_cmd)


def plan_loudness(measured: dict[str, float] | None, target_lufs: float, true_peak: float) -> tuple[float, float | None]:
    """Gain to reach the target, and a limiter ceiling when that gain would push the true peak over the
    limit. Gain + limiter lands on target (loudnorm's dynamic mode lands 1-2 LU low on speech)."""
    if not measured:
        return 0.0, None  # silence stays silence
    gain = target_lufs - measured["input_i"]
    if measured["input_tp"] + gain <= true_peak:
        return round(gain, 2), None
    return round(gain, 2), true_peak - LIMITER_MARGIN


def normalise_loudness(audio: Any, plan: AudioPlan) -> Any:
    """Second loudness pass: the planned gain, then (if needed) a lookahead limiter with its delay compensated."""
    if plan.gain_db:
        audio = audio.filter("volume", volume=f"{plan.gain_db:.2f}dB")
    if plan.limit_db is not None:
        audio = audio.filter("alimiter", limit=round(10 ** (plan.limit_db / 20), 4), attack=5, release=80,
                             level="false", latency="true")
    return audio


def over_span(stream: Any, start: float, end: float, length: float, change: Any, fps: int) -> Any:
    """`change` applied to the frames from `start` to `end` only: the stream is cut at those edges (trim keeps the
    timestamps a layer is placed by) and joined again. overlay (ffmpeg 5.1's framesync) copies every main frame
    it is handed while its layer's next frame is not queued yet, also before the layer starts: a lower third of
    7 s over a 60 s YouTube body copied all 1,800 frames (3 MB each: they are shared with the vertical branch)."""
    pieces = path_pieces([(start, end)], length)
    if len(pieces) == 1 or not any(inside for _, _, inside in pieces):  # nothing to cut off, or too short to cut
        return change(stream)
    return join_pieces(stream, pieces, lambda piece, inside: change(piece) if inside else piece, fps)


def still(png: str, seconds: float, fps: int, as_yuva: bool = False) -> Any:
    """A picture held for `seconds`: decoded once and repeated by the loop filter (the image demuxer's -loop
    would decode the PNG again for every frame). `as_yuva` converts it to BT.709 YUVA once, before the loop,
    instead of once per frame after it."""
    n = frames(seconds, fps)
    picture = ffmpeg.input(png).video
    if as_yuva:  # RGBA → YUV with the BT.709 matrix the output is tagged with, or the brand colours shift
        picture = picture.filter("format", pix_fmts="rgba").filter("scale", **BT709).filter("format", pix_fmts="yuva420p")
    return (picture.filter("loop", loop=n - 1, size=1, start=0)
            .filter("fps", fps=fps).filter("trim", end_frame=n).filter("setpts", f"N/{fps}/TB"))


def card_video(card: Any, platform: Platform, fps: int) -> Any:
    """The cached brand animation, with the card's title (if any) faded in and eased up into place. The animation
    is ours, written at the platform's size in 8-bit 4:2:0 BT.709 (cards.py): its frames pass unconverted."""
    n = frames(card.duration, fps)
    video = (
        ffmpeg.input(card.files[platform.name]).video
        .filter("fps", fps=fps, start_time=0)
        .filter("tpad", stop_mode="clone", stop_duration=1)
        .filter("trim", end_frame=n).filter("setpts", "PTS-STARTPTS")
        .filter("setsar", "1")
    )
    title = card.titles.get(platform.name)
    if not title:
        return video
    start, shown = title["start"], card.duration - title["start"]
    layer = (
        still(title["png"], shown, fps, as_yuva=True)
        .filter("fade", type="in", start_time=0, duration=seconds_arg(title["fade"]), alpha=1)
        .filter("setpts", f"PTS-STARTPTS+{seconds_arg(start)}/TB")
    )
    # the same ease-out as the MoviePy animation: y + dy * (1 - p)^3, p = progress of the slide
    progress = f"clip((t-{seconds_arg(start)})/{seconds_arg(title['slide'])},0,1)"
    return video.overlay(layer, x=title["x"], y=f"{title['y']}+{title['dy']}*pow(1-{progress},3)",
                         eval="frame", eof_action="pass", format="yuv420")


def seconds_arg(value: float) -> str:
    """Times as short exact decimals (no 2.9999999999 in the command line)."""
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"
