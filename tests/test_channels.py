"""Every channel a city posts to (issue: 4:5 feed, LinkedIn, Bluesky, Mastodon, Pixelfed, PeerTube, WhatsApp, the
city's site): presets as data, a brand kit's own channel, fit to size, parts for WhatsApp, alt texts, the web page
files; and real renders of every preset together and of a busy 90 s clip against the size caps."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import FAST_TEMPLATE, run_cli, video_stream
from videokit.channelfiles import alt_text, video_snippet
from videokit.check import check_file
from videokit.errors import CheckFailed, ConfigError
from videokit.platforms import (
    MB,
    PLATFORMS,
    fitted_to_size,
    for_parts,
    get_platform,
    parse_platforms,
    safe_area,
    with_tables,
)
from videokit.plan import check_lengths
from videokit.render.pictures import picture_groups
from videokit.samplegen import make_clip, speak
from videokit.splitting import part_bounds
from videokit.timeline import Cue

BRAND = Path(__file__).resolve().parent.parent / "brand" / "musterstadt"
ISSUE_CHANNELS = ["instagram", "facebook", "linkedin", "bluesky", "mastodon", "pixelfed", "peertube", "whatsapp",
                  "web"]


# ---- presets as data -------------------------------------------------------------------------------------------

def test_every_channel_of_the_issue_is_a_preset_with_its_figures() -> None:
    assert set(ISSUE_CHANNELS + ["tiktok", "reels", "shorts", "youtube"]) == set(PLATFORMS)
    instagram, whatsapp, mastodon = PLATFORMS["instagram"], PLATFORMS["whatsapp"], PLATFORMS["mastodon"]
    assert instagram.size == (1080, 1350) and instagram.burns_captions and instagram.key_aspect == (3, 4)
    assert PLATFORMS["facebook"].sidecars == ("srt",) and PLATFORMS["bluesky"].sidecars == ("vtt",)
    assert whatsapp.size == (720, 1280) and whatsapp.max_duration == 60 and whatsapp.max_bytes == 16 * MB
    assert whatsapp.splits and not instagram.splits
    assert mastodon.max_bytes == 99 * MB and mastodon.alt_text == 1500 and mastodon.burns_captions
    assert PLATFORMS["pixelfed"].max_bytes == 15 * MB and PLATFORMS["web"].page == ("poster", "html")
    assert {p.name for p in PLATFORMS.values() if p.alt_text} == {"mastodon", "bluesky", "pixelfed", "linkedin"}
    assert all(p.source and p.origin == "built in" for p in PLATFORMS.values())


def test_safe_areas_follow_the_shape() -> None:
    # 9:16 keeps the apps' overlays clear, at any size
    assert safe_area(1080, 1920) == PLATFORMS["tiktok"].safe
    small = safe_area(720, 1280)
    assert (small.top, small.bottom, small.left, small.right) == (180, 833, 60, 600)
    # the Instagram feed: title-safe inside the 3:4 strip its profile grid shows (1012 of 1080 px)
    feed = PLATFORMS["instagram"].safe
    strip = (1080 - 1350 * 3 / 4) / 2
    assert feed.left >= strip + 0.05 * 1012 - 1 and feed.right <= 1080 - strip - 0.05 * 1012 + 1
    assert feed.top == round(0.05 * 1350) and feed.bottom == 1350 - round(0.05 * 1350)
    # 16:9 keeps 5 % title-safe margins, as before
    assert (PLATFORMS["youtube"].safe.left, PLATFORMS["youtube"].safe.bottom) == (96, 1026)


def test_a_kit_changes_a_preset_or_adds_a_channel_and_says_where_it_comes_from() -> None:
    tables = {"whatsapp": {"max_mb": 64}, "stadtapp": {"size": [1080, 1080], "captions": "burned", "alt_text": 500}}
    merged = with_tables(PLATFORMS, tables, "kit/brand.toml")
    assert merged["whatsapp"].max_bytes == 64 * MB and merged["whatsapp"].size == (720, 1280)  # only what was given
    assert merged["whatsapp"].origin == "kit/brand.toml" and PLATFORMS["whatsapp"].max_bytes == 16 * MB
    app = merged["stadtapp"]
    assert app.size == (1080, 1080) and app.burns_captions and app.alt_text == 500 and app.origin == "kit/brand.toml"
    assert parse_platforms("tiktok,stadtapp", merged)[1] is app
    with pytest.raises(ConfigError, match="unknown platform 'stadtapp'"):
        get_platform("stadtapp")


@pytest.mark.parametrize("table, message", [
    ({"size": [1080, 1080]}, "needs at least size"),
    ({"size": [1081, 1080], "captions": "burned"}, "even numbers"),
    ({"size": [1080, 1080], "captions": "ass"}, "captions must be"),
    ({"size": [1080, 1080], "captions": "burned", "fps": 30}, "unknown setting"),
    ({"size": [1080, 1080], "captions": "burned", "seconds": [60, 3]}, "shortest, longest"),
    ({"size": [1080, 1080], "captions": "burned", "key_aspect": "wide"}, "key_aspect"),
    ({"size": [1080, 1080], "captions": "burned", "page": ["pdf"]}, "page may hold"),
    ({"size": [1080, 1080], "captions": "burned", "safe": [0, 2000, 0, 1080]}, "safe must be"),
    ({"size": [1080, 1080], "captions": "burned", "video_kbps": 0}, "above 0"),
    ({"size": "big", "captions": "burned"}, "bad value"),
])
def test_a_bad_platform_table_is_one_line_naming_the_file(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        with_tables(PLATFORMS, {"stadtapp": table}, "kit/brand.toml")
    assert "kit/brand.toml [platform.stadtapp]" in str(err.value)


def test_brand_kit_and_template_platform_tables(tmp_path: Path) -> None:
    from videokit.brand import load_brand
    from videokit.channels import channel_presets
    from videokit.errors import BrandError
    from videokit.templates import load_template

    kit = _kit(tmp_path)
    template = tmp_path / "app.toml"
    template.write_text(Path(FAST_TEMPLATE).read_text(encoding="utf-8")
                        + '\n[platform.stadtapp]\nvideo_kbps = 3000\n', encoding="utf-8")
    presets = channel_presets(load_brand(kit), load_template(str(template)))
    assert presets["stadtapp"].size == (1080, 1080)  # the kit's channel ...
    assert presets["stadtapp"].max_video_kbps == 3000 and presets["stadtapp"].origin == str(template)  # ... tuned
    broken = tmp_path / "broken"
    shutil.copytree(kit, broken)
    (broken / "brand.toml").write_text((kit / "brand.toml").read_text(encoding="utf-8").replace(
        'captions = "burned"', 'captions = "open"'), encoding="utf-8")
    with pytest.raises(BrandError, match="captions must be"):
        load_brand(broken)


def test_videokit_platforms_lists_limits_and_sources(tmp_path: Path) -> None:
    listed = run_cli("platforms")
    assert listed.exit_code == 0
    for name in PLATFORMS:
        assert re.search(rf"^{name}\s", listed.output, re.M), name
    assert re.search(r"^whatsapp\s+720x1280\s.*16 MB\s+1-60\s+burned\s.*built in$", listed.output, re.M)
    assert "vtt (+poster, html)" in listed.output
    with_sources = run_cli("platforms", "--sources")
    assert "Bluesky blog, March 2025" in with_sources.output
    kit = _kit(tmp_path)
    own = run_cli("platforms", "--brand", str(kit), "--template", FAST_TEMPLATE)
    assert re.search(rf"^stadtapp\s+1080x1080\s.*{re.escape(str(kit / 'brand.toml'))}$", own.output, re.M)


# ---- one encode per picture --------------------------------------------------------------------------------------

def test_pictures_are_shared_by_size_and_captions_and_a_size_cap_is_its_own() -> None:
    groups = [[p.name for p in g.members] for g in picture_groups(list(PLATFORMS.values()))]
    assert ["tiktok", "reels", "shorts"] in groups
    assert ["youtube", "peertube", "web"] in groups  # one 16:9 picture with its captions beside it
    assert ["instagram"] in groups and ["facebook"] in groups  # 4:5 burned, 4:5 with an SRT
    for capped in ("linkedin", "bluesky", "mastodon", "pixelfed", "whatsapp"):
        assert [capped] in groups
    assert len(groups) == 9


# ---- fit to size ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, seconds", [("whatsapp", 60), ("whatsapp", 12), ("pixelfed", 90), ("pixelfed", 200),
                                           ("bluesky", 180), ("mastodon", 600), ("linkedin", 900)])
def test_the_fitted_bitrate_keeps_the_worst_case_under_the_cap(name: str, seconds: float) -> None:
    """x264's VBV allows a piece at most one buffer over maxrate x duration; with the outro joined there are two."""
    preset = PLATFORMS[name]
    fitted = fitted_to_size(preset, seconds, pieces=2)
    video = fitted.max_video_kbps * 1000 * (seconds + 2 * 1.0)  # 1 s buffers (render/streams.buffer_kbits)
    audio = preset.audio_kbps * 1000 * 1.02 * seconds
    assert (video + audio) / 8 + 64_000 <= preset.max_bytes
    assert fitted.max_video_kbps <= preset.max_video_kbps
    if seconds >= 90 and name in ("whatsapp", "pixelfed"):  # the cap binds: most of it is used
        assert (video + audio) / 8 > 0.9 * preset.max_bytes


def test_a_video_too_long_for_a_channel_is_one_line_before_rendering() -> None:
    with pytest.raises(ConfigError, match=r"whatsapp accepts 1–60 s .*--split"):
        check_lengths([PLATFORMS["whatsapp"]], 95.0)
    check_lengths([PLATFORMS["whatsapp"]], 95.0, split=True)  # parts: fine
    with pytest.raises(ConfigError, match="bluesky accepts 1–180 s"):
        check_lengths([PLATFORMS["bluesky"]], 200.0, split=True)  # Bluesky takes no parts
    with pytest.raises(ConfigError, match=r"do not fit in 15 MB at a watchable quality"):
        check_lengths([PLATFORMS["pixelfed"]], 880.0)
    parts = for_parts(PLATFORMS["whatsapp"], 95.0)
    assert parts.max_duration > 95 and parts.part_seconds == 60  # the whole renders; its parts are fitted
    assert fitted_to_size(parts, 95.0, 2).max_video_kbps == fitted_to_size(PLATFORMS["whatsapp"], 60.0, 2).max_video_kbps


def test_split_without_a_channel_that_takes_parts_is_refused(tmp_path: Path) -> None:
    from videokit.job import ClipSpec, build_job

    opts = {"clips": [ClipSpec(tmp_path / "a.mp4")], "template": FAST_TEMPLATE, "split": True}
    with pytest.raises(ConfigError, match=r"--split makes parts for whatsapp; none of tiktok, youtube takes parts"):
        build_job({**opts, "platforms": "tiktok,youtube"})
    assert build_job({**opts, "platforms": "tiktok,whatsapp"}).split


def test_every_preset_lays_out_inside_its_safe_area() -> None:
    """Lower third above the caption band, both inside the safe area, at any shape: 9:16, 4:5, 16:9, 1:1."""
    from videokit.layout import caption_band, lower_third_box

    square = with_tables(PLATFORMS, {"stadtapp": {"size": [1080, 1080], "captions": "burned"}}, "k")["stadtapp"]
    for p in [*PLATFORMS.values(), square]:
        band, third, s = caption_band(p), lower_third_box(p), p.safe
        assert s.left <= band.x and band.right <= s.right and s.top < band.y and band.bottom <= s.bottom, p.name
        assert s.left <= third.x and third.right <= s.right and s.top <= third.y, p.name
        assert third.bottom < band.y, p.name  # the name bar never covers a caption
        assert band.h >= 2.2 * 46 * p.scale, p.name  # two lines of caption text fit
    feed = PLATFORMS["instagram"]  # inside the 3:4 strip the grid shows
    assert caption_band(feed).x >= (1080 - 1012) // 2 and caption_band(feed).right <= 1080 - (1080 - 1012) // 2


def test_pauses_are_the_gaps_between_captions() -> None:
    from videokit.splitting import caption_pauses

    cues = [Cue(0.0, 2.0, ["a"]), Cue(2.0, 4.0, ["b"]), Cue(4.1, 6.0, ["c"]), Cue(7.0, 9.0, ["d"])]
    assert caption_pauses(cues, 2.5) == [(8.5, 9.5)]  # back to back, or 0.1 s apart, is no pause


def test_parts_are_cut_at_key_frames_in_pauses() -> None:
    keys = [k / 2 for k in range(0, 300)]
    assert part_bounds(150.0, 60.0, keys, pauses=[(40.1, 40.6), (94.8, 96.2)]) == [40.5, 95.0]  # in the pauses
    assert part_bounds(150.0, 60.0, keys, pauses=[]) == [50.0, 100.0]  # no pause in reach: even thirds
    pauses = [(19.8, 20.3), (30.9, 31.3), (57.7, 58.3)]
    assert part_bounds(65.0, 60.0, keys, pauses=pauses) == [31.0]  # two halves, not 58 s + 7 s
    assert part_bounds(65.0, 60.0, keys, pauses=[(31.1, 31.4)]) == [32.5]  # a pause with no key frame in it
    assert part_bounds(59.0, 60.0, keys, pauses=[]) == []
    with pytest.raises(CheckFailed, match="no key frame"):
        part_bounds(150.0, 60.0, [0.0, 100.0], pauses=[])


# ---- alt text and the web page -------------------------------------------------------------------------------------

def _cue(text: str, start: float) -> Cue:
    return Cue(start, start + 2.0, [text])


def test_alt_text_is_the_title_and_whole_first_sentences_within_the_limit() -> None:
    cues = [_cue("Guten Tag aus dem Rathaus.", 0), _cue("Ab dem 15. Mai wird die Königsstraße gesperrt.", 2),
            _cue("Die Busse fahren eine Umleitung.", 4), _cue("Danke fürs Zuschauen.", 6)]
    text = alt_text("Sperrung der Königsstraße", cues, 1500)
    assert text == ("Video: Sperrung der Königsstraße. Gesprochen: Guten Tag aus dem Rathaus. Ab dem 15. Mai wird "
                    "die Königsstraße gesperrt. Die Busse fahren eine Umleitung.")
    short = alt_text("Sperrung der Königsstraße", cues, 90)
    assert len(short) <= 90 and short.endswith("Rathaus.")
    assert alt_text("Sperrung der Königsstraße", [], 500) == "Video: Sperrung der Königsstraße."
    tiny = alt_text("Sperrung der Königsstraße wegen Bauarbeiten", cues, 30)
    assert len(tiny) <= 30 and tiny.endswith("…")


def test_the_video_snippet_escapes_and_links_its_files() -> None:
    page = video_snippet('Bürger <fragen> & "antworten"', "a_web.mp4", 1920, 1080, "a_web.jpg", "a_web.vtt",
                         "a.transcript.html")
    assert "Bürger &lt;fragen&gt; &amp; &quot;antworten&quot;" in page and "<fragen>" not in page
    assert 'poster="a_web.jpg"' in page and '<track kind="captions" src="a_web.vtt" srclang="de"' in page
    assert 'href="a.transcript.html"' in page and 'width="1920" height="1080"' in page
    bare = video_snippet("", "a_web.mp4", 1920, 1080, None, None, None)
    assert "<track" not in bare and "poster=" not in bare and "<figcaption>" not in bare


# ---- real renders ---------------------------------------------------------------------------------------------------

def _kit(tmp_path: Path) -> Path:
    """The bundled brand kit with a channel of its own: the city app's square player."""
    kit = tmp_path / "kit"
    if not kit.exists():
        shutil.copytree(BRAND, kit)
        with (kit / "brand.toml").open("a", encoding="utf-8") as fh:
            fh.write('\n[platform.stadtapp]\nsize = [1080, 1080]\ncaptions = "burned"\nmax_mb = 50\n'
                     'alt_text = 400\nsource = "the city app team"\n')
    return kit


def _srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    def stamp(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    path.write_text("\n".join(f"{i}\n{stamp(a)} --> {stamp(b)}\n{text}\n" for i, (a, b, text) in enumerate(cues, 1)),
                    encoding="utf-8")
    return path


def _band_difference(a: Path, b: Path, at: float, size: tuple[int, int], band: tuple[int, int]) -> float:
    """Mean luma difference of two videos' frames at `at`, in the rows `band` (where captions sit)."""
    frames = []
    for path in (a, b):
        raw = subprocess.run(["ffmpeg", "-v", "error", "-ss", f"{at}", "-i", str(path), "-frames:v", "1",
                              "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
        frames.append(np.frombuffer(raw, np.uint8).reshape(size[1], size[0]).astype(float))
    return float(np.abs(frames[0] - frames[1])[band[0]:band[1]].mean())


@pytest.mark.render
@pytest.mark.slow
def test_every_preset_and_a_kit_channel_in_one_render(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "interview.mp4", 6.0, size=(1920, 1080),
                     audio=speak("Guten Tag. Die Königsstraße wird gesperrt.", tmp_path / "s.wav"))
    srt = _srt(tmp_path / "edited.srt", [(0.3, 2.8, "Guten Tag."), (3.0, 5.6, "Die Königsstraße wird gesperrt.")])
    kit, out = _kit(tmp_path), tmp_path / "out"
    names = [*PLATFORMS, "stadtapp"]
    result = run_cli("render", str(clip), "--template", FAST_TEMPLATE, "--brand", str(kit), "--out", str(out),
                     "--title", "Sperrung", "--subtitles", str(srt), "--platforms", ",".join(names),
                     "--lower-third", "Sven Muster|Oberbürgermeister@0.5-5")
    assert result.exit_code == 0, result.output
    presets = {**PLATFORMS, "stadtapp": with_tables(PLATFORMS, {"stadtapp": {"size": [1080, 1080],
                                                                             "captions": "burned"}}, "k")["stadtapp"]}
    for name in names:
        video = out / f"sperrung_{name}.mp4"
        stream = video_stream(video)
        assert (stream["width"], stream["height"]) == presets[name].size, name
        assert check_file(video, presets[name], 30).ok, (name, check_file(video, presets[name], 30).summary())
        sidecars = sorted(p.suffix for p in out.glob(f"sperrung_{name}.*") if p.suffix in (".srt", ".vtt"))
        assert sidecars == sorted(f".{f}" for f in presets[name].sidecars), name  # burned: no caption file
        alt = out / f"sperrung_{name}.alt.txt"
        assert alt.is_file() == bool(presets[name].alt_text or name == "stadtapp"), name
        if alt.is_file():
            text = alt.read_text(encoding="utf-8").strip()
            assert text.startswith("Video: Sperrung. Gesprochen: Guten Tag.") and len(text) <= 400
    page = (out / "sperrung_web.html").read_text(encoding="utf-8")
    assert 'src="sperrung_web.vtt"' in page and 'poster="sperrung_web.jpg"' in page
    assert subprocess.run(["ffprobe", "-v", "error", str(out / "sperrung_web.jpg")]).returncode == 0
    assert "sperrung.transcript.html" in page and (out / "sperrung.transcript.html").is_file()
    # the same 4:5 picture, captions burned into Instagram's and not into Facebook's (it has the SRT)
    intro = 2.5
    band = PLATFORMS["instagram"].safe.bottom - 230, PLATFORMS["instagram"].safe.bottom
    assert _band_difference(out / "sperrung_instagram.mp4", out / "sperrung_facebook.mp4", intro + 4.0,
                            (1080, 1350), band) > 8
    assert _band_difference(out / "sperrung_instagram.mp4", out / "sperrung_facebook.mp4", intro + 4.0,
                            (1080, 1350), (100, 600)) < 3  # above the captions: the same picture
    # the kit's own channel is known to the upload check with the kit
    checked = run_cli("check", "--platform", "stadtapp", "--brand", str(kit), "--fps", "30",
                      str(out / "sperrung_stadtapp.mp4"))
    assert checked.exit_code == 0 and "OK for stadtapp" in checked.output, checked.output
    unknown = run_cli("check", "--platform", "stadtapp", str(out / "sperrung_stadtapp.mp4"))
    assert unknown.exit_code != 0 and "unknown platform 'stadtapp'" in unknown.output


@pytest.mark.render
@pytest.mark.slow
def test_a_busy_90_s_clip_fits_the_caps_and_whatsapp_takes_it_in_parts(tmp_path: Path) -> None:
    """cellauto changes every pixel every frame: x264 would spend far more than the caps allow."""
    clip = make_clip(tmp_path / "busy.mp4", 90.0, size=(1280, 720), picture="cellauto", audio="tone")
    # speech without a break but for one pause, from 36 s to 41 s: the first WhatsApp part ends in it, not at 60 s
    # inside a sentence
    cues = [(4.0 * i, 4.0 * i + 4.0, f"Satz {i + 1}.") for i in range(9)] + \
           [(41.0 + 4 * i, 45.0 + 4 * i, f"Satz {10 + i}.") for i in range(12)]
    srt = _srt(tmp_path / "busy.srt", cues)
    out = tmp_path / "out"
    out.mkdir()
    (out / "busy_whatsapp_3.mp4").write_bytes(b"a part of an earlier, longer take")
    argv = ["render", str(clip), "--template", FAST_TEMPLATE, "--out", str(out), "--title", "Busy",
            "--subtitles", str(srt), "--platforms", "pixelfed,whatsapp", "--split"]
    refused = run_cli(*argv)  # an earlier take's parts are outputs too: not overwritten without --force
    assert refused.exit_code != 0 and "busy_whatsapp_3.mp4: already exists" in refused.output, refused.output
    result = run_cli(*argv, "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "busy_whatsapp_3.mp4").exists()  # this take has two parts: a third would be wrong
    pixelfed = out / "busy_pixelfed.mp4"
    size = pixelfed.stat().st_size
    assert 0.75 * 15 * MB < size <= 15 * MB, size  # under the cap on the first try, and most of it used
    assert not (out / "busy_whatsapp.mp4").exists()  # the whole is longer than WhatsApp takes: parts only
    parts = sorted(out.glob("busy_whatsapp_*.mp4"))
    assert [p.name for p in parts] == ["busy_whatsapp_1.mp4", "busy_whatsapp_2.mp4"]
    lengths = [float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                     str(p)], capture_output=True, text=True).stdout) for p in parts]
    intro = 2.5
    assert intro + 36 - 0.05 <= lengths[0] <= intro + 41 + 0.2, lengths  # cut in the pause from 36 s to 41 s
    assert sum(lengths) == pytest.approx(intro + 90 + 2.5, abs=0.2)
    for part in parts:
        report = check_file(part, PLATFORMS["whatsapp"], 30, loudness=False)
        assert report.ok, report.summary()
        assert part.stat().st_size <= 16 * MB
    assert "whatsapp: 2 parts" in result.output
    job = (out / "busy.job.toml").read_text(encoding="utf-8")
    assert "split = true" in job


# ---- the camera path in 4:5 --------------------------------------------------------------------------------------

def test_the_camera_path_is_planned_for_the_narrowest_frame_and_widened_around_its_centre() -> None:
    from videokit.reframe.segments import narrowest
    from videokit.render.streams import widened

    assert narrowest([PLATFORMS["instagram"], PLATFORMS["tiktok"], PLATFORMS["youtube"]]).name == "tiktok"
    assert narrowest([]) is None
    nine, four = 1080 / 1920 * 1080 / 1920, 1080 / 1350 * 1080 / 1920  # 9:16 and 4:5 windows of a 16:9 picture
    keys = [(0.0, 0.40), (2.0, 0.0), (4.0, 1.0 - nine)]
    wide = widened(keys, nine, four)
    assert wide[0] == (0.0, pytest.approx(0.40 + nine / 2 - four / 2))  # the same centre
    assert wide[1] == (2.0, 0.0) and wide[2] == (4.0, pytest.approx(1.0 - four))  # kept inside the picture
    assert widened(keys, nine, nine) == keys


def test_pictures_of_one_size_share_the_framed_body_before_the_captions(tmp_path: Path) -> None:
    """Instagram burns its captions into 4:5, Facebook takes the SRT: two encodes, one framed 4:5 body."""
    from videokit.job import ClipSpec, build_job
    from videokit.plan import plan_render
    from videokit.probe import MediaInfo
    from videokit.render.graph import build_render

    job = build_job({"clips": [ClipSpec(tmp_path / "a.mp4")], "template": FAST_TEMPLATE, "title": "T",
                     "out": tmp_path, "platforms": "instagram,facebook,tiktok"})
    info = MediaInfo(tmp_path / "a.mp4", 10.0, 1920, 1080, has_video=True, has_audio=True, fps=30)
    tl = plan_render(job, [info], 2.0, 2.0)
    for card in (tl.intro, tl.outro):
        card.files = {p.name: f"/c/{card.kind}-{p.width}x{p.height}.mp4" for p in job.platforms}
    tl.captions.style_files = {"instagram": str(tmp_path / "captions-instagram.ass"),
                               "tiktok": str(tmp_path / "captions-tiktok.ass")}
    graph = " ".join(build_render(tl, job.platforms, {p.name: f"/o/{p.name}.mp4" for p in job.platforms}))
    assert graph.count("libx264") == 3
    assert graph.count("boxblur") == 2  # the blurred fill made once for 4:5 and once for 9:16
    assert graph.count("captions-instagram.ass") == 1 and graph.count("captions-facebook") == 0
