"""Real renders of short generated phone clips, checked with ffprobe. One ffmpeg process per render."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from videokit.check import check_file, moov_before_mdat
from videokit.platforms import PLATFORMS
from videokit.samplegen import make_clip, make_sync_clip

from conftest import FAST_TEMPLATE, ffprobe, run_cli, video_stream

pytestmark = pytest.mark.render
TITLE = "Qualitätsprüfung jäh"  # one title for all tests: the brand cards are rendered once and cached


def render(out: Path, *clips: Path, extra: tuple[str, ...] = (), platforms: str = "tiktok,youtube"):
    return run_cli("render", *map(str, clips), "--out", str(out), "--platforms", platforms,
                   "--template", FAST_TEMPLATE, "--title", TITLE, *extra)


def outputs(out: Path) -> dict[str, Path]:
    return {p.stem.rsplit("_", 1)[1]: p for p in sorted(out.glob("*.mp4"))}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_portrait_phone_clip_with_gps_becomes_both_platforms(media: Path, speech_wav: Path, tmp_path: Path) -> None:
    clip = make_clip(media / "iphone portrait.mov", 3.0, size=(1920, 1080), audio=speech_wav, audio_rate=44100,
                     channels=1, rotate=270, location=True)
    before = digest(clip)
    result = render(tmp_path, clip, extra=("--lower-third", "Sven Muster|Oberbürgermeister@0.5-2.5"))
    assert result.exit_code == 0, result.output
    files = outputs(tmp_path)
    assert set(files) == {"tiktok", "youtube"}
    assert files["tiktok"].name == "qualitaetspruefung-jaeh_tiktok.mp4"
    for name, path in files.items():
        platform = PLATFORMS[name]
        v = video_stream(path)
        assert (v["width"], v["height"]) == platform.size
        assert v["codec_name"] == "h264" and v["profile"] == "High" and v["pix_fmt"] == "yuv420p"
        assert v["r_frame_rate"] == "30/1" and v.get("color_transfer") == "bt709"
        assert "side_data_list" not in v  # no rotation left
        info = ffprobe(path)
        tags = json.dumps([info["format"].get("tags", {})] + [s.get("tags", {}) for s in info["streams"]]).lower()
        assert "location" not in tags and "apple" not in tags and "iphone" not in tags and "+51.31" not in tags
        assert moov_before_mdat(path)
        report = check_file(path, platform, 30)
        assert report.ok, report.summary()
        duration = float(ffprobe(path)["format"]["duration"])
        assert duration == pytest.approx(2.5 + 3.0 + 2.5, abs=0.1)  # intro + clip + outro
        times = _frame_times(path)  # the body cut around the lower third and joined again: no gap, no repeat
        assert [round(t * 30, 3) for t in times] == list(range(240))
    assert digest(clip) == before  # inputs are never written
    assert "qualitaetspruefung-jaeh_tiktok.mp4" in result.output and "ok" in result.output
    assert not list(tmp_path.glob(".*part*"))


def test_portrait_picture_is_upright_and_whole(media: Path, tmp_path: Path) -> None:
    """A portrait phone clip (stored landscape + rotation matrix) fills the vertical frame upright."""
    clip = make_clip(media / "upright.mp4", 3.2, size=(1920, 1080), audio="tone", rotate=270)
    result = render(tmp_path, clip, extra=("--no-intro", "--no-outro"), platforms="tiktok")
    assert result.exit_code == 0, result.output
    tiktok = outputs(tmp_path)["tiktok"]
    # compare with the clip as a player shows it (ffmpeg applies the matrix on decode): a wrong or missing
    # rotation would give a low PSNR
    proc = subprocess.run(["ffmpeg", "-v", "info", "-i", str(tiktok), "-i", str(clip), "-lavfi",
                           "[1:v]scale=1080:1920,fps=30[ref];[0:v][ref]psnr", "-frames:v", "20", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    psnr = float(re.search(r"PSNR .*average:([\d.]+)", proc.stderr).group(1))
    assert psnr > 18, psnr  # measured: 23.9 upright, 5.4 mirrored


@pytest.mark.slow
@pytest.mark.parametrize("kind,transfer", [("hlg", "arib-std-b67"), ("pq", "smpte2084")])
def test_hdr_is_tone_mapped_not_washed_out(media: Path, tmp_path: Path, kind: str, transfer: str) -> None:
    hdr = make_clip(media / f"hdr-{kind}.mov", 2.0, size=(1280, 720), audio="tone", hdr=kind)
    sdr = make_clip(media / "sdr.mp4", 2.0, size=(1280, 720), audio="tone")
    assert video_stream(hdr)["color_transfer"] == transfer
    for clip, out in ((hdr, tmp_path / "hdr"), (sdr, tmp_path / "sdr")):
        assert render(out, clip, extra=("--no-intro", "--no-outro"), platforms="youtube").exit_code == 0
    hdr_out, sdr_out = outputs(tmp_path / "hdr")["youtube"], outputs(tmp_path / "sdr")["youtube"]
    v = video_stream(hdr_out)
    assert v["pix_fmt"] == "yuv420p" and v["color_transfer"] == "bt709" and v["color_primaries"] == "bt709"
    # washed out = low saturation and lifted blacks; the tone-mapped picture keeps most of the SDR colourfulness
    assert _mean_stat(hdr_out, "SATAVG") > 0.5 * _mean_stat(sdr_out, "SATAVG")


def _mean_stat(path: Path, key: str) -> float:
    proc = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                           f"signalstats,metadata=print:key=lavfi.signalstats.{key}:file=-", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    values = [float(v) for v in re.findall(rf"{key}=([\d.]+)", proc.stdout)]
    return sum(values) / len(values)


def test_vfr_clip_becomes_cfr_with_audio_in_sync(media: Path, tmp_path: Path) -> None:
    clip = make_sync_clip(media / "vfr sync.mp4", seconds=5.0)
    probe = video_stream(clip)
    assert probe["r_frame_rate"] != probe["avg_frame_rate"]  # really variable
    assert render(tmp_path, clip, extra=("--no-intro", "--no-outro"), platforms="youtube").exit_code == 0
    out = outputs(tmp_path)["youtube"]
    assert video_stream(out)["avg_frame_rate"] == "30/1"
    flashes = _flash_times(out)
    beeps = _beep_times(out)
    assert len(flashes) >= 6 and len(beeps) >= 6
    for beep in beeps:
        nearest = min(flashes, key=lambda f: abs(f - beep))
        assert abs(nearest - beep) <= 1 / 30 + 0.005, (beep, nearest)  # within one frame all the way through


def _flash_times(path: Path) -> list[float]:
    proc = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                           "crop=200:200:860:440,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)
    times, last = [], -1.0
    for t, y in re.findall(r"pts_time:([\d.]+)\s+lavfi.signalstats.YAVG=([\d.]+)", proc.stdout):
        if float(y) > 128 and float(t) - last > 0.3:
            times.append(float(t))
            last = float(t)
    return times


def _beep_times(path: Path) -> list[float]:
    proc = subprocess.run(["ffmpeg", "-v", "info", "-i", str(path), "-vn", "-af", "silencedetect=n=-40dB:d=0.1",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)
    return [float(t) for t in re.findall(r"silence_end: ([\d.]+)", proc.stderr)]


def test_clip_without_audio_gets_silence(media: Path, tmp_path: Path) -> None:
    clip = make_clip(media / "mute.mp4", 2.0, size=(1280, 720), audio=None)
    assert render(tmp_path, clip, extra=("--no-outro",), platforms="shorts").exit_code == 0
    out = outputs(tmp_path)["shorts"]
    streams = ffprobe(out)["streams"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert audio and audio[0]["sample_rate"] == "48000" and audio[0]["channels"] == 2
    assert float(audio[0]["duration"]) == pytest.approx(2.5 + 2.0, abs=0.1)


def test_tall_phone_aspect_and_crop_fit(media: Path, tmp_path: Path) -> None:
    tall = make_clip(media / "tall.mp4", 3.2, size=(540, 1200), audio="tone")  # 20:9 like 1080x2400
    result = render(tmp_path, tall, extra=("--no-intro", "--no-outro", "--fit", "crop", "--focus", "0.2"))
    assert result.exit_code == 0, result.output
    for name, path in outputs(tmp_path).items():
        assert (video_stream(path)["width"], video_stream(path)["height"]) == PLATFORMS[name].size


@pytest.mark.slow
def test_two_clips_trimmed_srt_burned_and_sidecars_shifted(media: Path, tmp_path: Path) -> None:
    odd = media / "Rathaus Übergabe: Bürgermeisterin #1 (final).mp4"
    make_clip(odd, 3.0, size=(1280, 720), audio="tone")
    second = make_clip(media / "second.mp4", 3.0, size=(1280, 720), audio="tone", audio_rate=44100)
    srt = tmp_path / "edited.srt"
    srt.write_bytes("1\n00:00:00,200 --> 00:00:01,800\nGrüße aus der Königsstraße\n\n"
                    "2\n00:00:02,000 --> 00:00:03,200\n[Sven Muster] Qualitätsprüfung, jäh!\n".encode("cp1252"))
    out = tmp_path / "out"
    result = render(out, odd, second, extra=("--trim", "1=0.5-2.5", "--trim", "2=1-", "--subtitles", str(srt),
                                             "--no-outro"))
    assert result.exit_code == 0, result.output
    files = outputs(out)
    duration = float(ffprobe(files["youtube"])["format"]["duration"])
    assert duration == pytest.approx(2.5 + 2.0 + 2.0, abs=0.1)
    sidecar = (out / "qualitaetspruefung-jaeh_youtube.srt").read_text(encoding="utf-8")
    assert "Grüße aus der Königsstraße" in sidecar and "00:00:02,700 --> 00:00:04,300" in sidecar
    assert (out / "qualitaetspruefung-jaeh_youtube.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    # burned in: the caption band differs from a render without subtitles at the same instant
    plain = tmp_path / "plain"
    assert render(plain, odd, second, extra=("--trim", "1=0.5-2.5", "--trim", "2=1-", "--no-outro")).exit_code == 0
    assert _frame_at(files["tiktok"], 3.5) != _frame_at(outputs(plain)["tiktok"], 3.5)
    # YouTube carries closed captions only (the sidecars): its picture is the one without subtitles
    assert _video_md5(files["youtube"]) == _video_md5(outputs(plain)["youtube"])
    # a template that wants open captions on YouTube burns them in
    burning = tmp_path / "burn.toml"
    burning.write_text(Path(FAST_TEMPLATE).read_text(encoding="utf-8").replace(
        '[captions.horizontal]\n', '[captions.horizontal]\nburn = true\n'), encoding="utf-8")
    burned = tmp_path / "burned"
    assert run_cli("render", str(odd), str(second), "--out", str(burned), "--platforms", "youtube", "--template",
                   str(burning), "--title", TITLE, "--trim", "1=0.5-2.5", "--trim", "2=1-", "--subtitles", str(srt),
                   "--no-outro").exit_code == 0
    assert _video_md5(outputs(burned)["youtube"]) != _video_md5(outputs(plain)["youtube"])


def _video_md5(path: Path) -> str:
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-f", "md5", "-"],
                          capture_output=True, text=True, check=True).stdout.strip()


def _frame_at(path: Path, t: float) -> bytes:
    return subprocess.run(["ffmpeg", "-v", "error", "-ss", str(t), "-i", str(path), "-frames:v", "1",
                           "-vf", "crop=1080:300:0:950,scale=108:30", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, check=True).stdout


def test_dry_run_prints_plan_and_writes_nothing(landscape_clip: Path, tmp_path: Path) -> None:
    result = render(tmp_path / "out", landscape_clip, extra=("--dry-run",))
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output[: result.output.rindex("}") + 1])
    assert plan["clips"][0]["path"] == str(landscape_clip)
    assert "-filter_complex" in result.output and "split=2" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_existing_output_needs_force(landscape_clip: Path, tmp_path: Path) -> None:
    args = ("--no-intro", "--no-outro")
    assert render(tmp_path, landscape_clip, extra=args, platforms="reels").exit_code == 0
    again = render(tmp_path, landscape_clip, extra=args, platforms="reels")
    assert again.exit_code != 0 and "already exists" in again.output and "--force" in again.output
    assert render(tmp_path, landscape_clip, extra=args + ("--force",), platforms="reels").exit_code == 0


@pytest.mark.slow
def test_new_title_reuses_the_cached_brand_animation(landscape_clip: Path, tmp_path: Path) -> None:
    """A title never rendered before costs no MoviePy render: the animation is cached per brand and size, the
    title is a Pillow layer the graph animates over it."""
    import os

    cards = Path(os.environ["VIDEOKIT_CACHE"]) / "cards"
    frames, animations = [], []
    for i, title in enumerate(("Erster Titel über den Radweg", "Zweiter Titel: Königsstraße")):
        r = run_cli("render", str(landscape_clip), "--out", str(tmp_path / str(i)), "--platforms", "youtube",
                    "--template", FAST_TEMPLATE, "--title", title, "--no-outro")
        assert r.exit_code == 0, r.output
        frames.append(_region_at(next((tmp_path / str(i)).glob("*.mp4")), 1.5, "crop=1600:200:160:560"))
        animations.append(sorted(cards.glob("intro-1920x1080-*.mp4")))
    assert animations[1] == animations[0]  # the second title drew no new animation
    assert len(list(cards.glob("title-1920x1080-*.png"))) >= 2
    assert frames[0] != frames[1]  # each title is really in its intro
    # the title fades in: nothing of it in the first frame, all of it once the slide has ended
    first = _region_at(next((tmp_path / "0").glob("*.mp4")), 0.0, "crop=1600:200:160:560")
    assert first != frames[0]


def _region_at(path: Path, t: float, crop: str) -> bytes:
    return subprocess.run(["ffmpeg", "-v", "error", "-ss", str(t), "-i", str(path), "-frames:v", "1",
                           "-vf", f"{crop},scale=80:10", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, check=True).stdout


@pytest.mark.slow
def test_4k_hevc_10bit_hlg_60fps_phone_clip(media: Path, tmp_path: Path) -> None:
    """What an iPhone records by default: 4K HEVC 10-bit HLG, here at 60 fps. Both sizes come out SDR at 30 fps,
    and a frame matches one tone-mapped at full 4K size and then scaled (no visible difference)."""
    clip = make_clip(media / "iphone 4k60 hlg.mov", 3.2, size=(3840, 2160), fps=60, audio="tone", hdr="hlg")
    v = video_stream(clip)
    assert (v["width"], v["pix_fmt"], v["color_transfer"], v["r_frame_rate"]) == (3840, "yuv420p10le", "arib-std-b67", "60/1")
    result = render(tmp_path, clip, extra=("--no-intro", "--no-outro"))
    assert result.exit_code == 0, result.output
    files = outputs(tmp_path)
    for name, path in files.items():
        out = video_stream(path)
        assert (out["width"], out["height"]) == PLATFORMS[name].size
        assert out["pix_fmt"] == "yuv420p" and out["color_transfer"] == "bt709" and out["r_frame_rate"] == "30/1"
    reference = ("zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
                 "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,scale=1920:1080")
    proc = subprocess.run(["ffmpeg", "-v", "info", "-i", str(files["youtube"]), "-i", str(clip), "-lavfi",
                           f"[1:v]fps=30,{reference}[ref];[0:v][ref]psnr", "-frames:v", "30", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    psnr = float(re.search(r"PSNR .*average:([\d.]+)", proc.stderr).group(1))
    assert psnr > 32, psnr


@pytest.mark.slow
@pytest.mark.parametrize("concatenated", [False, True])
def test_captions_drawn_once_per_change_match_libass_frame_by_frame(tmp_path: Path, concatenated: bool) -> None:
    """The caption layer (libass draws each caption once, overlay holds it) against the ass filter blending every
    frame: the same pixels on every frame, word highlights switching on the same frame, also at edges where
    caption edges fall exactly on frame times (change_frames follows libass's truncated clock), and after a concat
    (whose microsecond timestamps round)."""
    import shutil

    import ffmpeg
    import numpy as np

    from videokit.brand import load_brand
    from videokit.captions.formats import write_ass
    from videokit.render.captionlayer import burn_captions, write_layer_file
    from videokit.templates import load_template
    from videokit.timeline import Cue, Word

    brand, platform, fps = load_brand(), PLATFORMS["tiktok"], 30
    (tmp_path / "fonts").mkdir()
    for font in set(brand.fonts.values()):
        shutil.copy(font, tmp_path / "fonts" / font.name)
    # edges on frame times; after a concat (microseconds) libass's own truncation there depends on float
    # rounding of the picture's clock, so that variant moves them 10 ms off the frames
    d = 0.01 if concatenated else 0.0
    words = [Word("Grüße", 0.1 + d, 0.4 + d), Word("aus", 0.4 + d, 0.7 + d), Word("der", 0.7 + d, 0.8 + d),
             Word("Königsstraße", 0.8 + d, 1.49 + d)]
    cues = [Cue(0.1 + d, 1.5 + d, ["Grüße aus", "der Königsstraße"], words),
            Cue(1.6 + d, 2.2 + d, ["Drei", "Zeilen", "hoch"], [Word("Drei", 1.6 + d, 1.8 + d),
                                                                Word("Zeilen", 1.8 + d, 2.0 + d),
                                                                Word("hoch", 2.0 + d, 2.2 + d)]),
            Cue(2.3 + d, 2.9 + d, ["Eine Zeile"])]
    ass = write_ass(cues, tmp_path / "captions.ass", platform, brand, load_template("news").caption_style(True))
    assert write_layer_file(ass) is not None
    ass, n = str(ass), 90

    def body():  # type: ignore[no-untyped-def]
        def part(seconds: float, pattern: str):  # type: ignore[no-untyped-def]
            return (ffmpeg.input(f"{pattern}=s=1080x1920:r={fps}:d={seconds}", f="lavfi").video
                    .filter("format", pix_fmts="yuv420p"))
        if not concatenated:
            return part(3, "testsrc2")
        return ffmpeg.concat(part(1.3, "testsrc2"), part(1.7, "smptebars"), v=1, a=0)

    def frames(stream) -> np.ndarray:  # type: ignore[no-untyped-def]
        raw = (ffmpeg.output(stream, "pipe:", f="rawvideo", pix_fmt="yuv420p", vframes=n)
               .run(capture_stdout=True, quiet=True)[0])
        return np.frombuffer(raw, np.uint8).reshape(n, -1).astype(np.int16)

    direct = frames(body().filter("ass", filename=ass, fontsdir=str(tmp_path / "fonts")))
    layered = frames(burn_captions(body(), ass, fps, n))
    plain = frames(body())
    assert (direct != plain).any(axis=1)[[4, 20, 44, 49, 60, 80]].all()  # the captions are there to compare
    assert not (direct != plain).any(axis=1)[[0, 1, 2, 46, 47, 68]].any()  # ... and gone between cues
    off = (np.abs(direct - layered) > 24).sum(axis=1)  # a highlight a frame late differs in thousands of pixels
    assert off.max() <= 40, f"frames differ from libass's own blend: {np.flatnonzero(off > 40).tolist()}"


@pytest.mark.slow
def test_brand_outro_joined_by_stream_copy_in_sync_and_encoded_once(media: Path, tmp_path: Path) -> None:
    """The brand's outro is encoded once per picture into the cache and appended by stream copy: its packets in
    the output are the cached ones byte for byte, the clock runs on one frame apart across the joins, sound and
    picture stay in sync, and an outro whose headers do not match (another encoder) is dropped, not joined."""
    import os

    clip = make_sync_clip(media / "sync for the outro.mp4", seconds=4.0, vfr=False)
    cards = Path(os.environ["VIDEOKIT_CACHE"]) / "cards"
    assert render(tmp_path / "a", clip).exit_code == 0
    stamps = {f: f.stat().st_mtime_ns for f in cards.glob("outro-*-encoded-*.mp4")}  # other tests' settings too
    used = {}
    for name, out in outputs(tmp_path / "a").items():
        check = check_file(out, PLATFORMS[name], 30)
        assert check.ok, check.summary()  # the render checked the sound file's loudness; here the output's own
        told = check_file(out, PLATFORMS[name], 30, measured=({"input_i": -20.0, "input_tp": -3.0},))
        assert told.summary().startswith("loudness: -20.0 LUFS")  # a loudness measured already is judged, not trusted
        times = _frame_times(out)
        assert [round(t * 30, 3) for t in times] == list(range(len(times)))  # no gap, no repeat at the joins
        assert len(times) == round(float(ffprobe(out)["format"]["duration"]) * 30)
        size = "1080x1920" if name == "tiktok" else "1920x1080"
        packets = _packet_hashes(out)
        copied = [f for f in sorted(cards.glob(f"outro-{size}-*-encoded-*.mp4"))
                  if packets[-len(_packet_hashes(f)):] == _packet_hashes(f)]
        assert copied, name  # its packets are a cached outro's, copied, not encoded again
        used[name] = copied[0]
        assert subprocess.run(["ffmpeg", "-v", "error", "-xerror", "-i", str(out), "-f", "null", "-"],
                              capture_output=True, text=True).stderr == ""  # decodes cleanly across the joins
    youtube = outputs(tmp_path / "a")["youtube"]
    end = float(ffprobe(youtube)["format"]["duration"])
    flashes = _flash_times(youtube)
    beeps = [t for t in _beep_times(youtube) if t < end - 0.1]  # the outro's silence runs to the end: no beep
    assert len(beeps) >= 5 and len(flashes) >= 5
    for beep in beeps:
        assert min(abs(f - beep) for f in flashes) <= 1 / 30 + 0.005, (beep, flashes)

    assert not [p.name for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]  # no intermediate left
    assert render(tmp_path / "b", clip).exit_code == 0  # the next job reuses the encoded outro
    assert {f: f.stat().st_mtime_ns for f in cards.glob("outro-*-encoded-*.mp4")} == stamps

    # an outro encoded with other headers (CAVLC instead of CABAC) must never be joined: the job is rendered in
    # one piece and the stale file leaves the cache
    stale = used["youtube"]
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(stale), "-c:v", "libx264", "-profile:v", "main",
                    "-x264-params", "cabac=0:stitchable=1", "-f", "mp4", str(stale) + ".tmp"], check=True)
    Path(str(stale) + ".tmp").replace(stale)
    assert render(tmp_path / "c", clip).exit_code == 0
    youtube = outputs(tmp_path / "c")["youtube"]
    assert check_file(youtube, PLATFORMS["youtube"], 30).ok and video_stream(youtube)["profile"] == "High"
    assert not stale.exists()
    assert _frame_times(youtube)[-1] == pytest.approx(_frame_times(outputs(tmp_path / "a")["youtube"])[-1])


def _frame_times(path: Path) -> list[float]:
    proc = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=pts_time",
                           "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    return [float(line.strip().strip(",")) for line in proc.stdout.splitlines() if line.strip()]


def _packet_hashes(path: Path) -> list[str]:
    proc = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy", "-f", "framemd5",
                           "-"], capture_output=True, text=True, check=True)
    return [line.rsplit(",", 1)[1].strip() for line in proc.stdout.splitlines() if line and not line.startswith("#")]


@pytest.mark.slow
def test_outro_join_keeps_the_bitrate_cap_after_a_body_at_the_cap(media: Path, tmp_path: Path) -> None:
    """The cached outro was encoded assuming a VBV buffer 90 % full at its start; after a body that ran at the
    platform's bitrate cap the real buffer is emptier. Replaying the decoder's buffer (filled at the cap, drained
    by each frame at its decode time) over the whole output, it never runs dry: the outro's frames are small next
    to the buffer (two seconds at the cap)."""
    noise = media / "grain at the cap.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "color=c=gray:s=1920x1080:r=30:d=4,noise=alls=60:allf=t+u", "-f", "lavfi", "-i",
                    "sine=frequency=300:duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "10",
                    "-c:a", "aac", "-shortest", str(noise)], check=True)
    assert render(tmp_path, noise, extra=("--no-intro", "--subtitles", "none"), platforms="youtube").exit_code == 0
    out = outputs(tmp_path)["youtube"]
    youtube = PLATFORMS["youtube"]
    packets = _video_packets(out)
    body = [size for t, size in packets if t < 3.5]
    assert sum(body) * 8 / 3.5 > 0.8 * youtube.max_video_kbps * 1000  # the body really runs at the cap
    assert vbv_lowest_fill(packets, youtube.max_video_kbps * 1000, youtube.max_video_kbps * 2000) > 0
    assert vbv_lowest_fill([(0.0, 0), (0.1, 2_000_000)], 8e6, 16e6) < 0  # the replay does catch a frame too big


def vbv_lowest_fill(packets: list[tuple[float, int]], rate: float, size: float, start: float = 0.9) -> float:
    """The lowest fill (a fraction of the buffer) of an H.264 decoder's buffer filled at `rate` bit/s up to `size`
    bits, starting `start` full as x264 assumes, and drained by each frame's bits at its decode time."""
    fill, lowest, last = start * size, start * size, packets[0][0]
    for t, nbytes in packets:
        fill = min(size, fill + (t - last) * rate) - nbytes * 8
        lowest, last = min(lowest, fill), t
    return lowest / size


def _video_packets(path: Path) -> list[tuple[float, int]]:
    proc = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=dts_time,size",
                           "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    return [(float(t), int(n)) for t, n in (line.split(",")[:2] for line in proc.stdout.split())]


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.parametrize("fps", [25, 60])
def test_every_frame_follows_the_last_where_pieces_and_the_outro_join(fps: int, media: Path,
                                                                       tmp_path: Path) -> None:
    """Lower thirds at times between two frames cut the body into pieces, and the cached outro is joined after
    it: at every rate the output has exactly its planned frames, each one frame after the last (a 25 fps
    podcast had one missing before the outro)."""
    from videokit.check import timestamp_gaps

    template = tmp_path / f"fast{fps}.toml"
    template.write_text(Path(FAST_TEMPLATE).read_text(encoding="utf-8").replace("fps = 30", f"fps = {fps}"),
                        encoding="utf-8")
    clip = make_clip(media / f"rate-{fps}.mp4", 4.0, size=(1280, 720), fps=fps, audio="tone")
    for run in ("outro encoded", "outro joined"):  # the first job encodes the outro beside it, the second joins it
        out = tmp_path / run
        r = run_cli("render", str(clip), "--out", str(out), "--platforms", "youtube", "--template", str(template),
                    "--title", f"Takt {fps}", "--lower-third", "Anna Beispiel|Sprecherin@0.53-1.97",
                    "--lower-third", "Bernd Muster|Amtsleiter@2.21-3.43")
        assert r.exit_code == 0, r.output
        video = out / f"takt-{fps}_youtube.mp4"
        assert timestamp_gaps(video, fps) == []
        v = video_stream(video)
        assert int(v["nb_frames"]) == round(float(v["duration"]) * fps)
