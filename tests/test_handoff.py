"""Timeline hand-off: OTIO and FCP7 XML written for a real render, read back with OpenTimelineIO."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import opentimelineio as otio
import pytest
from conftest import FAST_TEMPLATE, ffprobe, run_cli

from videokit.errors import ConfigError
from videokit.handoff.write import fcp7_url, otio_url
from videokit.job import parse_formats
from videokit.samplegen import make_clip

if TYPE_CHECKING:
    import numpy as np


def test_urls_and_formats() -> None:
    odd = "/tmp/Rathaus Übergabe: Bürgermeisterin #1 (final).mp4"
    # FCP7: ASCII specials percent-encoded, umlauts as text (Resolve does not decode percent-encoded UTF-8)
    assert fcp7_url(odd) == "file://localhost/tmp/Rathaus%20Übergabe%3A%20Bürgermeisterin%20%231%20(final).mp4"
    assert otio_url(odd).startswith("file:///tmp/Rathaus%20%C3%9Cbergabe")
    for url in (fcp7_url(odd), otio_url(odd)):
        assert unquote(urlparse(url).path) == odd
    assert parse_formats("otio, fcp7,otio") == ("otio", "fcp7")
    with pytest.raises(ConfigError, match="unknown timeline format 'aaf'"):
        parse_formats("otio,aaf")


def media_path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def assert_links_and_length(tl: otio.schema.Timeline, video: Path, fps: int) -> None:
    """Every media reference exists on disk, the rate is the output's and the length the rendered file's."""
    for clip in tl.find_clips():
        assert media_path(clip.media_reference.target_url).is_file(), clip.media_reference.target_url
        assert clip.source_range.duration.rate == fps
    assert tl.duration().rate == fps
    rendered = float(ffprobe(video)["format"]["duration"])
    assert abs(tl.duration().to_seconds() - rendered) <= 1 / fps + 1e-6, (tl.duration().to_seconds(), rendered)


@pytest.mark.slow
@pytest.mark.render
def test_render_writes_timelines_that_link(media: Path, tmp_path: Path) -> None:
    odd = media / "Rathaus Übergabe: Bürgermeisterin #1 (final).mov"
    if not odd.exists():
        make_clip(odd, 3.0, size=(1280, 720), audio="tone")
    out = tmp_path / "Ausgabe #2"
    r = run_cli("render", str(odd), "--out", str(out), "--platforms", "tiktok,youtube", "--template", FAST_TEMPLATE,
                "--title", "Übergabe", "--lower-third", "Sven Muster|OB@0.5-2", "--trim", "0.2-2.8",
                "--export-timeline", "otio,fcp7")
    assert r.exit_code == 0, r.output
    for platform in ("tiktok", "youtube"):
        video = out / f"uebergabe_{platform}.mp4"
        for suffix in (".otio", ".xml"):
            tl = otio.adapters.read_from_file(str(out / f"uebergabe_{platform}{suffix}"))
            assert_links_and_length(tl, video, 30)
            v1, v2 = tl.video_tracks()[:2]
            source = [c for c in v1.find_clips() if c.name == odd.name][0]
            assert source.source_range.start_time.to_seconds() == pytest.approx(0.2, abs=1 / 30)
            assert source.source_range.duration.to_seconds() == pytest.approx(2.6, abs=1 / 30)
            assert [c.name for c in v2.find_clips()] == ["title", "Sven Muster – OB"]
            lower = v2.find_clips()[1]
            assert tl.tracks.range_of_child(v2).start_time.value == 0
            assert v2.range_of_child(lower).start_time.to_seconds() == pytest.approx(2.5 + 0.5, abs=1 / 30)
            assert len(tl.audio_tracks()) == 1
        meta = otio.adapters.read_from_file(str(out / f"uebergabe_{platform}.otio")).video_tracks()[0]
        reframe = [c for c in meta.find_clips() if c.name == odd.name][0].metadata["videokit"]["reframe"]
        assert reframe["fit"] == ("blur" if platform == "tiktok" else "scale")
    # the folder is self-contained: cards and PNGs beside the timelines
    assert sorted(p.name for p in (out / "uebergabe.media").iterdir())[:2] == ["intro-1080x1920.mp4",
                                                                              "intro-1920x1080.mp4"]
    # a job rendered earlier: its recorded job file gives the same timelines again
    for path in out.glob("*.otio"):
        path.unlink()
    job = out / "uebergabe.job.toml"
    proc = subprocess.run(["videokit", "export-timeline", str(job), "--formats", "otio"], capture_output=True,
                          text=True, env=_venv_env())
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.glob("*.otio")) == ["uebergabe_tiktok.otio", "uebergabe_youtube.otio"]
    assert_links_and_length(otio.adapters.read_from_file(str(out / "uebergabe_youtube.otio")),
                            out / "uebergabe_youtube.mp4", 30)


def _venv_env() -> dict[str, str]:
    import os
    import sys

    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


# ---------------------------------------------------------------- opened in real editing software (MLT's melt)

def _frame(video: Path, seconds: float) -> "np.ndarray":
    import numpy as np

    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-ss", f"{seconds:.3f}", "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    info = next(s for s in ffprobe(video)["streams"] if s["codec_type"] == "video")
    return np.frombuffer(raw, np.uint8).reshape(info["height"], info["width"], 3).astype(np.float64)


def _psnr(a: "np.ndarray", b: "np.ndarray") -> float:
    import numpy as np

    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)


@pytest.fixture(scope="module")
def handed_off(media: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A horizontal and a vertical job (title, lower third, trimmed clip) with bundled OTIO + FCP7 hand-off."""
    folder = tmp_path_factory.mktemp("handoff")
    outs = {}
    for platform, size in (("youtube", (1920, 1080)), ("tiktok", (1080, 1920))):
        clip = make_clip(media / f"handoff-{platform}.mp4", 4.0, size=size, audio="tone")
        out = folder / platform
        r = run_cli("render", str(clip), "--out", str(out), "--platforms", platform, "--template", FAST_TEMPLATE,
                    "--title", "Übergabe", "--lower-third", "Sven Muster|Oberbürgermeister@0.5-3", "--trim",
                    "0.3-3.7", "--export-timeline", "otio,fcp7", "--bundle")
        assert r.exit_code == 0, r.output
        outs[platform] = out
    return outs


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.parametrize("platform", ["youtube", "tiktok"])
def test_melt_plays_the_timeline_as_videokit_rendered_it(handed_off: dict[str, Path], platform: str,
                                                         tmp_path: Path) -> None:
    """The OTIO opened and rendered by MLT (Kdenlive's and Shotcut's engine): the title and the lower third land
    where videokit put them, at their size, and the cuts on the same frames."""
    from mltimport import render_with_melt

    from videokit.layout import lower_third_box
    from videokit.platforms import get_platform

    out = handed_off[platform]
    p = get_platform(platform)
    ours = out / f"uebergabe_{platform}.mp4"
    theirs = render_with_melt(out / f"uebergabe_{platform}.otio", p.width, p.height, 30, tmp_path / "melt.mp4")
    tl = otio.adapters.read_from_file(str(out / f"uebergabe_{platform}.otio"))
    intro = tl.video_tracks()[0][0].duration().to_seconds()
    box = lower_third_box(p)
    moments = {"title on the intro card": intro - 0.2, "first frame after the cut in": intro + 0.0,
               "lower third": intro + 2.0, "last frame before the outro": intro + 3.4 - 1 / 30}
    for what, t in moments.items():
        a, b = _frame(ours, t), _frame(theirs, t)
        assert _psnr(a, b) > 30, (what, _psnr(a, b))
        if what == "lower third":  # the plate itself, where videokit overlays it
            region = (slice(box.y, box.y + box.h), slice(box.x, box.x + box.w))
            assert _psnr(a[region], b[region]) > 30, _psnr(a[region], b[region])
    # the overlays in the media folder are whole frames: every editor places them right
    from PIL import Image

    for png in (out / "uebergabe.media").glob("*.png"):
        assert Image.open(png).size == (p.width, p.height), png


@pytest.mark.render
def test_fcp7_says_the_frame_size_reframing_and_level(handed_off: dict[str, Path]) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(handed_off["tiktok"] / "uebergabe_tiktok.xml").getroot()
    sample = root.find(".//sequence/media/video/format/samplecharacteristics")
    assert (sample.findtext("width"), sample.findtext("height")) == ("1080", "1920")
    vertical = otio.adapters.read_from_file(str(handed_off["tiktok"] / "uebergabe_tiktok.otio"))
    assert dict(vertical.metadata["resolution"]) == {"width": 1080, "height": 1920, "rate": 30}
    comments = [c.text for c in root.iter("mastercomment1")]
    assert comments and all(c.startswith("videokit: scale") for c in comments)
    levels = [float(v.text) for v in root.iter("value") if v.text]
    tl = otio.adapters.read_from_file(str(handed_off["tiktok"] / "uebergabe_tiktok.otio"))
    gain = tl.audio_tracks()[0].find_clips()[0].metadata["videokit"]["gain_db"]
    assert levels and levels[0] == pytest.approx(min(10 ** (gain / 20), 3.98109), rel=1e-3)
    assert gain != 0.0  # the render's measured gain, not a placeholder


@pytest.mark.render
def test_a_bundled_folder_moves_whole(handed_off: dict[str, Path], tmp_path: Path) -> None:
    """Moved to another place (another machine), every file both timelines name is in `<name>.media/`: the
    editors' "relink to folder" finds all of them by name."""
    moved = tmp_path / "anderswo" / "kopie"
    moved.parent.mkdir()
    shutil.copytree(handed_off["youtube"], moved)
    media_dir = moved / "uebergabe.media"
    for suffix in (".otio", ".xml"):
        tl = otio.adapters.read_from_file(str(moved / f"uebergabe_youtube{suffix}"))
        names = [media_path(c.media_reference.target_url).name for c in tl.find_clips()]
        assert len(names) >= 5 and all((media_dir / name).is_file() for name in names), names
