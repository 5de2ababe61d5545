"""Timeline hand-off: OTIO and FCP7 XML written for a real render, read back with OpenTimelineIO."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import opentimelineio as otio
import pytest

from videokit.errors import ConfigError
from videokit.handoff.write import fcp7_url, otio_url, parse_formats
from videokit.samplegen import make_clip

from conftest import FAST_TEMPLATE, ffprobe, run_cli


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
