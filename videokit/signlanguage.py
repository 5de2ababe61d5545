"""A sign-language interpreter composed into additional outputs (`<name>_<platform>_dgs.mp4`), as German TV does:
on horizontal pictures film-in-film (the programme scaled down on the left, the interpreter beside it on the right),
on vertical pictures an inset above the lower third. The interpreter takes at least a sixth of the picture, shows
the whole signing space (the recording is fitted, never cropped), never covers the captions, and carries the DGS
logo. BITV 2.0 Anlage 2 is checked on the recording first (≥ 25 fps, ≥ 320x240, a static background neither black
nor white; one recorded on green is keyed onto a colour). The interpreter is also written as its own file.

A second pass over each published output (its sound copied), not part of the main graph: the versions without
the interpreter stay exactly as they are.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from videokit.brand import BrandKit
from videokit.cache import cache_dir
from videokit.check import CheckReport, check_file
from videokit.errors import CheckFailed, InputError
from videokit.layout import Box, lower_third_box
from videokit.platforms import Platform
from videokit.probe import MediaInfo, probe
from videokit.render.run import atomic_outputs, run_ffmpeg
from videokit.render.streams import PRIVATE_MP4, EncoderSettings, seconds_arg
from videokit.tools import ffmpeg_bin

MIN_FPS, MIN_SIZE = 25.0, (320, 240)  # BITV 2.0 Anlage 2
MIN_SHARE = 1 / 6  # of the picture: the interpreter must be large enough to read hands and face
SIDE_SHARE = 0.3  # horizontal: the interpreter's column, of the frame's width
GREEN_KEY = "0x00b140"  # a chroma-key green; the key is sampled from the recording when it is greener


@dataclass(frozen=True, slots=True)
class SignLanguage:
    video: Path
    offset: float = 0.0  # seconds into the body where the interpreter's recording starts (negative: earlier)
    background: str | None = None  # "#rrggbb": the recording's green is keyed onto this colour


def interpreter_box(platform: Platform, aspect: float) -> Box:
    """Where the interpreter stands in this platform's frame: the recording's own shape (`aspect`, width/height:
    fitted whole, so the signing space is never cut off), at least a sixth of the picture. Horizontal: the right
    column, beside the programme, centred on it. Vertical: above the lower third, right-aligned in the safe area
    (captions and lower thirds stay free)."""
    w, h = platform.width, platform.height
    need = w * h * MIN_SHARE * 1.04  # a little over a sixth: rounding never takes it under
    if w > h:
        bw = min(_even(w * 0.45), max(_even(w * SIDE_SHARE), _even(math.sqrt(need * aspect))))
        bh = min(h, _even(bw / aspect))
        return Box(w - bw, (h - bh) // 2 // 2 * 2, bw, bh)
    top, bottom = platform.safe.top, lower_third_box(platform).y - 10
    safe_w = platform.safe.right - platform.safe.left
    bh = min(_even(bottom - top), _even(safe_w / aspect))
    bw = _even(bh * aspect)
    if bw * bh < need:  # a tall recording: wider than the safe area rather than too small
        bw = min(w, _even(need / bh))
    return Box(min(platform.safe.right, w) - bw if bw <= platform.safe.right else w - bw, top, bw, bh)


def main_box(platform: Platform, aspect: float) -> Box:
    """Where the programme stands: horizontal, scaled into the width the interpreter leaves; vertical, whole."""
    w, h = platform.width, platform.height
    if w <= h:
        return Box(0, 0, w, h)
    mw = w - interpreter_box(platform, aspect).w
    mh = _even(mw * h / w)
    return Box(0, (h - mh) // 2 // 2 * 2, mw, mh)


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def check_interpreter(sign: SignLanguage) -> MediaInfo:
    """BITV 2.0's rules for a sign-language video, before anything is rendered; one line per problem."""
    if not sign.video.is_file():
        raise InputError.for_file(sign.video, "not found", "give the interpreter's recording")
    info = probe(sign.video)
    if not info.has_video:
        raise InputError.for_file(sign.video, "has no picture", "give the interpreter's video recording")
    if info.fps < MIN_FPS - 0.01:
        raise InputError.for_file(sign.video, f"has {info.fps:g} frames a second; BITV 2.0 asks for at least 25",
                                  "record or export the interpreter at 25 fps or more")
    if info.width < MIN_SIZE[0] or info.height < MIN_SIZE[1]:
        raise InputError.for_file(sign.video, f"is {info.width}x{info.height}; BITV 2.0 asks for at least 320x240",
                                  "use a larger recording of the interpreter")
    if sign.background is None:
        r, g, b = border_colour(sign.video)
        if g > 1.3 * max(r, b) and g > 80:
            raise InputError.for_file(sign.video, "was recorded on green", "give the colour to show behind the "
                                      "interpreter: --sign-language-background '#3b4a5a'")
        if max(r, g, b) < 35 or min(r, g, b) > 220:
            raise InputError.for_file(sign.video, "stands on a black or white background, which BITV 2.0 does not "
                                      "allow (hands vanish against it)", "record on a plain coloured or green "
                                      "background (green: --sign-language-background '#3b4a5a')")
    return info


def border_colour(path: Path) -> tuple[float, float, float]:
    """The mean colour of the picture's outer tenth, on a frame one second in (the static background)."""
    raw = subprocess.run([ffmpeg_bin(), "-v", "error", "-ss", "1", "-i", str(path), "-frames:v", "1",
                          "-vf", "scale=64:48", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, stdin=subprocess.DEVNULL).stdout
    if len(raw) < 64 * 48 * 3:
        return (128.0, 128.0, 128.0)
    frame = np.frombuffer(raw[: 64 * 48 * 3], np.uint8).reshape(48, 64, 3).astype(float)
    border = np.concatenate([frame[:5].reshape(-1, 3), frame[-5:].reshape(-1, 3),
                             frame[:, :6].reshape(-1, 3), frame[:, -6:].reshape(-1, 3)])
    return tuple(float(v) for v in border.mean(axis=0))  # type: ignore[return-value]


def compose_argv(main: Path, sign: SignLanguage, info: MediaInfo, platform: Platform, start: float, logo: Path,
                 backdrop: str, enc: EncoderSettings, out: Path) -> list[str]:
    """One output with the interpreter: the programme (its sound copied) and the interpreter's recording, which
    starts `start` seconds into the programme (the intro, plus the offset)."""
    aspect = info.width / max(1, info.height)
    box, shown = interpreter_box(platform, aspect), main_box(platform, aspect)
    fit = _fit(info, box)
    chain = [f"[0:v]scale={shown.w}:{shown.h},setsar=1,pad={platform.width}:{platform.height}:{shown.x}:{shown.y}:"
             f"color={backdrop}[main]"]
    chain.append(f"[1:v]{interpreter_chain(sign, start, box, fit, backdrop, enc.fps)}[sign]")
    logo_w = _even(box.w * 0.18)
    chain.append(f"[2:v]scale={logo_w}:-2,format=rgba[logo]")
    chain.append(f"[main][sign]overlay=x={box.x}:y={box.y}:eof_action=pass[both]")
    chain.append(f"[both][logo]overlay=x={box.x + 12}:y={box.y + 12},format=yuv420p,setsar=1[v]")
    video = enc.video_args(platform)
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", "-v", "error",
            "-i", str(main), "-i", str(sign.video), "-loop", "1", "-i", str(logo),
            "-filter_complex", ";".join(chain), "-map", "[v]", "-map", "0:a?", "-c:a", "copy", "-shortest"]
    for key, value in {**video, **PRIVATE_MP4, "movflags": "+faststart"}.items():
        argv += [f"-{key}", str(value)]
    return argv + [str(out)]


def _fit(info: MediaInfo, box: Box) -> tuple[int, int]:
    """The recording scaled to fit inside the box whole: the signing space is never cut off."""
    scale = min(box.w / max(1, info.width), box.h / max(1, info.height))
    return _even(info.width * scale), _even(info.height * scale)


def interpreter_chain(sign: SignLanguage, start: float, box: Box, fit: tuple[int, int], backdrop: str,
                      fps: int) -> str:
    """The interpreter's picture: keyed onto its colour when recorded on green, fitted into the box over the
    backdrop, at the programme's frame rate, starting `start` seconds in."""
    parts = []
    if sign.offset < 0:
        parts.append(f"trim=start={seconds_arg(-sign.offset)}")
    parts += [f"fps={fps}", f"scale={fit[0]}:{fit[1]}", "setsar=1"]
    if sign.background:
        parts += [f"chromakey={GREEN_KEY}:0.18:0.06", f"pad={fit[0]}:{fit[1]}:0:0:color={sign.background}@0"]
    colour = sign.background or backdrop
    parts.append(f"pad={box.w}:{box.h}:{(box.w - fit[0]) // 2}:{(box.h - fit[1]) // 2}:color={colour}")
    if sign.background:
        # the key leaves transparency: laid over a plate of the chosen colour
        parts.append("format=yuva420p")
        return (",".join(parts) + f"[keyed];color=c={sign.background}:s={box.w}x{box.h}:r={fps}[plate];"
                f"[plate][keyed]overlay=shortest=1,setpts=PTS-STARTPTS+{seconds_arg(start)}/TB")
    return ",".join(parts) + f",setpts=PTS-STARTPTS+{seconds_arg(start)}/TB"


def write_interpreter_file(sign: SignLanguage, info: MediaInfo, start: float, duration: float, backdrop: str,
                           main: Path, out: Path, enc: EncoderSettings, platform: Platform) -> None:
    """The interpreter alone, in time with the programme (its sound), for those who watch it beside the video."""
    w, h = (info.width // 2 * 2, info.height // 2 * 2)
    box = Box(0, 0, w, h)
    chain = (f"color=c={backdrop}:s={w}x{h}:r={enc.fps}:d={seconds_arg(duration)}[bg];"
             f"[1:v]{interpreter_chain(sign, start, box, (w, h), backdrop, enc.fps)}[sign];"
             f"[bg][sign]overlay=eof_action=pass,format=yuv420p,setsar=1[v]")
    argv = [ffmpeg_bin(), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", "-v", "error",
            "-i", str(main), "-i", str(sign.video), "-filter_complex", chain, "-map", "[v]", "-map", "0:a?",
            "-c:a", "copy", "-t", seconds_arg(duration)]
    args = {**enc.video_args(platform), **PRIVATE_MP4, "movflags": "+faststart"}
    for key in ("maxrate", "bufsize"):
        args.pop(key, None)
    for key, value in args.items():
        argv += [f"-{key}", str(value)]
    run_ffmpeg(argv + [str(out)], duration, "interpreter", [str(sign.video)], progress=False)


def dgs_logo(brand: BrandKit) -> Path:
    """The brand kit's `dgs-logo.png`, or a neutral one drawn once (white "DGS" on a dark rounded plate)."""
    own = brand.root / "dgs-logo.png"
    if own.is_file():
        return own
    path = cache_dir("signing") / "dgs-logo-v1.png"
    if not path.is_file():
        from PIL import Image, ImageDraw

        img = Image.new("RGBA", (240, 120), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.rounded_rectangle((0, 0, 239, 119), radius=22, fill=(20, 24, 30, 220), outline=(255, 255, 255, 255),
                               width=5)
        font = brand.font("title", 64)
        draw.text((120, 60), "DGS", font=font, fill=(255, 255, 255, 255), anchor="mm")
        tmp = path.with_suffix(".part.png")
        img.save(tmp)
        tmp.replace(path)
    return path


def sign_versions(published: dict[str, Path], platforms: list[Platform], sign: SignLanguage, start: float,
                  duration: float, brand: BrandKit, enc: EncoderSettings, lufs: float, out_dir: Path,
                  name: str) -> tuple[list[Path], list[CheckReport]]:
    """`<name>_<platform>_dgs.mp4` beside each published output (one composition per distinct picture, copies
    for the platforms that share it), each checked against its platform's spec, the interpreter alone as
    `<name>_dgs.mp4`, and the YouTube captions beside its version; all of them or none."""
    info = check_interpreter(sign)
    backdrop = "0x{:02x}{:02x}{:02x}".format(*brand.primary)
    logo = dgs_logo(brand)
    finals = {p.name: out_dir / f"{name}_{p.name}_dgs.mp4" for p in platforms}
    finals["interpreter"] = out_dir / f"{name}_dgs.mp4"
    reports: list[CheckReport] = []
    with atomic_outputs(finals) as temps:
        made: dict[tuple[int, int], Path] = {}
        for platform in platforms:
            size = platform.size
            if size in made:
                shutil.copyfile(made[size], temps[platform.name])
            else:
                argv = compose_argv(published[platform.name], sign, info, platform, start, logo, backdrop, enc,
                                    temps[platform.name])
                run_ffmpeg(argv, duration, f"DGS {platform.name}", [str(sign.video)])
                made[size] = temps[platform.name]
            report = check_file(temps[platform.name], platform, enc.fps, lufs)
            report.path = finals[platform.name]
            if not report.ok:
                raise CheckFailed(f"{finals[platform.name]}: does not meet the {platform.name} upload spec "
                                  f"({report.summary()})")
            reports.append(report)
        first = platforms[0]
        write_interpreter_file(sign, info, start, duration, backdrop, published[first.name], temps["interpreter"],
                               enc, first)
        for key, temp in temps.items():
            temp.replace(finals[key])
    files = list(finals.values())
    for platform in platforms:
        for suffix in (".srt", ".vtt"):
            side = published[platform.name].with_suffix(suffix)
            if side.is_file():
                files.append(Path(shutil.copyfile(side, finals[platform.name].with_suffix(suffix))))
    return files, reports
