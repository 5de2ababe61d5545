"""`videokit check` (check.py): rules a platform's ingest enforces, on real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from videokit.check import timestamp_gaps
from videokit.samplegen import make_clip


@pytest.mark.parametrize("fps", [25, 30, 50, 60])
def test_a_missing_frame_is_found(media: Path, tmp_path: Path, fps: int) -> None:
    """One frame dropped with its timestamps kept (what a join one frame short leaves): one irregular step."""
    clip = make_clip(media / f"gap-source-{fps}.mp4", 3.0, size=(320, 240), fps=fps)
    assert timestamp_gaps(clip, fps) == []
    gap = tmp_path / "gap.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-vf", "select='not(eq(n,40))'", "-fps_mode",
                    "passthrough", "-c:v", "libx264", "-preset", "ultrafast", "-an", str(gap)], check=True)
    found = timestamp_gaps(gap, fps)
    assert len(found) == 1 and found[0] == pytest.approx(39 / fps, abs=1e-3)


@pytest.mark.slow
def test_check_command_reports_the_gap(media: Path, tmp_path: Path) -> None:
    from conftest import run_cli

    clip = make_clip(media / "gap-cli.mp4", 3.0, size=(1080, 1920), fps=30, audio="tone")
    gap = tmp_path / "gap.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-vf", "select='not(eq(n,30))'", "-fps_mode",
                    "passthrough", "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a", "copy",
                    "-movflags", "+faststart", str(gap)], check=True)
    result = run_cli("check", str(gap), "--platform", "tiktok")
    assert result.exit_code == 4 and "timestamps: 1 irregular, first at 0.967 s" in result.output, result.output
