"""A sign-language interpreter composed into additional outputs: size, place, captions kept free, sync, BITV."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import FAST_TEMPLATE, run_cli
from videokit.errors import InputError
from videokit.layout import caption_band, lower_third_box
from videokit.platforms import PLATFORMS, get_platform
from videokit.signlanguage import MIN_SHARE, SignLanguage, check_interpreter, interpreter_box, main_box

INTERPRETER_BG = (0x3B, 0x6E, 0xA5)


@pytest.mark.parametrize("name", sorted(PLATFORMS))
@pytest.mark.parametrize("aspect", [4 / 3, 16 / 9, 3 / 4, 1.0])
def test_the_interpreter_takes_a_sixth_and_leaves_captions_and_lower_thirds_free(name: str, aspect: float) -> None:
    platform = get_platform(name)
    box = interpreter_box(platform, aspect)
    assert box.w * box.h >= platform.width * platform.height * MIN_SHARE
    assert 0 <= box.x and box.right <= platform.width and 0 <= box.y and box.bottom <= platform.height
    assert abs(box.w / box.h - aspect) < 0.05 or box.w * box.h >= platform.width * platform.height * MIN_SHARE
    band = caption_band(platform)
    if platform.vertical:
        assert box.bottom <= lower_third_box(platform).y <= band.y  # above the lower third and the captions
    else:
        shown = main_box(platform, aspect)
        assert shown.right <= box.x and shown.w / shown.h == pytest.approx(platform.width / platform.height, abs=0.01)


def test_bitv_rules_for_the_recording_are_one_line_each(tmp_path: Path) -> None:
    from videokit.samplegen import make_interpreter_clip

    cases = [
        (make_interpreter_clip(tmp_path / "slow.mp4", 2.0, fps=15), None, "has 15 frames a second; BITV 2.0 asks for at least 25"),
        (make_interpreter_clip(tmp_path / "tiny.mp4", 2.0, size=(240, 180)), None, "is 240x180; BITV 2.0 asks for at least 320x240"),
        (make_interpreter_clip(tmp_path / "green.mp4", 2.0, background="green"), None, "was recorded on green"),
        (make_interpreter_clip(tmp_path / "black.mp4", 2.0, background="black"), None, "black or white background"),
        (tmp_path / "missing.mp4", None, "not found"),
    ]
    for path, background, problem in cases:
        with pytest.raises(InputError) as err:
            check_interpreter(SignLanguage(path, 0.0, background))
        assert problem in err.value.message and str(path) in err.value.message
    check_interpreter(SignLanguage(tmp_path / "green.mp4", 0.0, "#3b4a5a"))  # keyed onto a colour: fine
    r = run_cli("render", str(tmp_path / "slow.mp4"), "--sign-language", str(tmp_path / "slow.mp4"),
                "--out", str(tmp_path / "out"))
    assert r.exit_code != 0 and "at least 25" in r.output and not (tmp_path / "out").exists()
    r = run_cli("render", str(tmp_path / "slow.mp4"), "--sign-language", str(tmp_path / "green.mp4"),
                "--sign-language-background", "blau", "--out", str(tmp_path / "out"))
    assert r.exit_code != 0 and "bad colour 'blau'" in r.output


def frames(path: Path, w: int, h: int) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"scale={w}:{h}", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3).astype(np.int16)


def white_frames(stack: np.ndarray, region: tuple[int, int, int, int]) -> list[int]:
    x, y, w, h = region
    return [i for i, f in enumerate(stack) if f[y:y + h, x:x + w].mean() > 200]  # the DGS logo darkens a corner


@pytest.mark.slow
def test_the_interpreter_on_all_four_platforms_in_sync(tmp_path: Path) -> None:
    from videokit.samplegen import make_flash_clip, make_interpreter_clip, speak

    speech = speak("Guten Tag. Die Königsstraße wird ab Montag für drei Wochen gesperrt.", tmp_path / "s.wav")
    main = make_flash_clip(tmp_path / "rede.mp4", 8.0, flashes=(3.0, 6.0), audio=speech)
    signer = make_interpreter_clip(tmp_path / "dgs.mp4", 8.0, flashes=(3.0, 6.0))
    out = tmp_path / "out"
    r = run_cli("render", str(main), "--platforms", "tiktok,reels,shorts,youtube", "--template", FAST_TEMPLATE,
                "--subtitles", "auto", "--no-outro", "--out", str(out), "--sign-language", str(signer))
    assert r.exit_code == 0, r.output
    for name in ("tiktok", "reels", "shorts", "youtube"):
        assert (out / f"rede_{name}.mp4").is_file() and f"rede_{name}_dgs.mp4" in r.output
    assert (out / "rede_dgs.mp4").is_file() and (out / "rede_youtube_dgs.srt").is_file()
    for name in ("tiktok", "youtube"):
        platform = get_platform(name)
        w, h = platform.width // 4, platform.height // 4
        stack = frames(out / f"rede_{name}_dgs.mp4", w, h)
        # the interpreter's box, found by its recording's background colour, is at least a sixth of the picture
        mid = stack[len(stack) // 2]
        if platform.vertical:  # where the version with the interpreter differs from the one without
            plain = frames(out / f"rede_{name}.mp4", w, h)[len(stack) // 2]
            found = np.abs(mid - plain).sum(axis=2) > 60
        else:  # the recording's background colour, right of the programme
            found = np.abs(mid - np.array(INTERPRETER_BG)).sum(axis=2) < 40
            found[:, : main_box(platform, 4 / 3).right // 4] = False
        ys, xs = np.nonzero(found)
        area = (xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1) / (w * h)
        assert area >= MIN_SHARE * 0.97, (name, area)
        if platform.vertical:  # the captions' band stays free of it
            assert ys.max() * 4 <= caption_band(platform).y
        # in sync: the flash shows in the programme and in the interpreter on the same frame (±1)
        box = interpreter_box(platform, 4 / 3)
        in_box = white_frames(stack, (box.x // 4 + 2, box.y // 4 + 2, box.w // 4 - 4, box.h // 4 - 4))
        shown = main_box(platform, 4 / 3) if not platform.vertical else None
        region = (shown.x // 4 + 2, shown.y // 4 + 2, shown.w // 4 - 4, shown.h // 4 - 4) if shown else \
            (10, (box.bottom // 4) + 10, w - 20, 40)
        in_main = white_frames(stack, region)
        assert len(in_box) >= 2 and len(in_main) >= 2, (name, in_box, in_main)
        assert abs(in_box[0] - in_main[0]) <= 1 and abs(in_box[-1] - in_main[-1]) <= 1, (name, in_box, in_main)
    info = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                           "stream=width,height,r_frame_rate", "-of", "csv=p=0", str(out / "rede_dgs.mp4")],
                          capture_output=True, text=True, check=True).stdout.strip().split(",")
    assert int(info[0]) >= 320 and int(info[1]) >= 240 and eval(info[2]) >= 25  # noqa: S307 (ffprobe's "30/1")


@pytest.mark.slow
def test_a_late_interpreter_on_green_is_keyed_and_offset(tmp_path: Path) -> None:
    from videokit.samplegen import make_flash_clip, make_interpreter_clip

    main = make_flash_clip(tmp_path / "rede.mp4", 6.0, flashes=(4.0,))
    signer = make_interpreter_clip(tmp_path / "dgs.mp4", 5.0, background="green", flashes=(3.0,))  # started 1 s late
    out = tmp_path / "out"
    r = run_cli("render", str(main), "--platforms", "youtube", "--template", FAST_TEMPLATE, "--subtitles", "none",
                "--no-intro", "--no-outro", "--out", str(out), "--sign-language", str(signer),
                "--sign-language-offset", "1", "--sign-language-background", "#3b4a5a")
    assert r.exit_code == 0, r.output
    platform = get_platform("youtube")
    stack = frames(out / "rede_youtube_dgs.mp4", 480, 270)
    box = interpreter_box(platform, 4 / 3)
    region = (box.x // 4 + 2, box.y // 4 + 2, box.w // 4 - 4, box.h // 4 - 4)
    shown = main_box(platform, 4 / 3)
    assert abs(white_frames(stack, region)[0] - white_frames(stack, (2, shown.y // 4 + 2, shown.w // 4 - 4, 20))[0]) <= 1
    corner = stack[60][box.y // 4 + 3, box.x // 4 + 3]  # the green is gone: the chosen colour stands there
    assert np.abs(corner - np.array((0x3B, 0x4A, 0x5A))).sum() < 40, corner
    job = (out / "rede.job.toml").read_text(encoding="utf-8")
    assert "sign_language_offset = 1.0" in job and 'sign_language_background = "#3b4a5a"' in job


@pytest.mark.slow
def test_a_podcast_episode_with_its_interpreter(tmp_path: Path) -> None:
    from test_podcast import FAST_PODCAST
    from videokit.samplegen import make_interpreter_clip, make_podcast_recording

    recording, _ = make_podcast_recording(tmp_path / "rec", size=(640, 360), script=[
        ("de+m3", "Willkommen zum Podcast aus dem Rathaus.", 0.6),
        ("de+f2", "Heute geht es um den neuen Radweg in der Innenstadt.", 0.6)])
    signer = make_interpreter_clip(tmp_path / "dgs.mp4", 12.0)
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Moderation"\n', encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(out), "--template", FAST_PODCAST,
                "--title", "Folge", "--teasers", "0", "--sign-language", str(signer), "--sign-language-offset", "0.5")
    assert r.exit_code == 0, r.output
    assert (out / "folge_youtube_dgs.mp4").is_file() and (out / "folge_dgs.mp4").is_file()
    assert "folge_youtube_dgs.mp4  ok" in r.output
    assert "sign_language_offset = 0.5" in (out / "folge.job.toml").read_text(encoding="utf-8")
