"""Bad input: one clear line naming the file, non-zero exit, no traceback, no partial output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from videokit.samplegen import make_clip

from conftest import FAST_TEMPLATE, run_cli


def _render(out: Path, *args: str):
    return run_cli("render", *args, "--out", str(out), "--template", FAST_TEMPLATE, "--no-intro", "--no-outro",
                   "--title", "Fehler")


@pytest.fixture(scope="module")
def broken(media: Path) -> dict[str, Path]:
    files = {"missing": media / "does-not-exist.mp4", "empty": media / "empty.mp4", "text": media / "notes.mp4"}
    files["empty"].write_bytes(b"")
    files["text"].write_text("Das ist kein Video.\n", encoding="utf-8")
    # moov at the end, cut off: not even probe-able
    tail = make_clip(media / "tail-moov.mp4", 3.0, size=(640, 360), faststart=False)
    files["truncated"] = media / "truncated.mp4"
    files["truncated"].write_bytes(tail.read_bytes()[: tail.stat().st_size // 2])
    # moov first, mdat cut off: probes fine, fails halfway through
    whole = make_clip(media / "whole.mp4", 3.0, size=(640, 360))
    files["cut"] = media / "cut-mid.mp4"
    files["cut"].write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    return files


@pytest.mark.parametrize("kind, expected", [
    ("missing", "file not found"),
    ("empty", "empty"),
    ("text", "not a readable video"),
    ("truncated", "not a readable video"),
    ("cut", "damaged or incomplete"),
])
def test_bad_clip_gets_one_clear_line(broken: dict[str, Path], tmp_path: Path, kind: str, expected: str) -> None:
    result = _render(tmp_path, str(broken[kind]))
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(broken[kind]) in errors[0] and expected in errors[0], result.output
    assert errors[0].count(broken[kind].name) == 1, errors[0]  # the file named once, then problem, then what to do
    assert not any(tmp_path.iterdir())  # nothing written, not even a temp file


def test_unknown_platform_and_broken_brand(landscape_clip: Path, tmp_path: Path) -> None:
    result = _render(tmp_path, str(landscape_clip), "--platforms", "tiktok,myspace")
    assert result.exit_code != 0 and "unknown platform 'myspace'" in result.output
    brand = tmp_path / "brand"
    brand.mkdir()
    (brand / "brand.toml").write_text('name = "X"\n[colors]\nprimary = "#000000"\naccent = "#ffffff"\n'
                                      'text = "#ffffff"\n[fonts]\ntitle = "missing.ttf"\n', encoding="utf-8")
    result = _render(tmp_path / "out", str(landscape_clip), "--brand", str(brand))
    assert result.exit_code != 0 and "missing.ttf" in result.output and "font 'title'" in result.output
    assert not (tmp_path / "out").exists()


def test_real_cli_prints_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "videokit", "render", str(tmp_path / "nope.mov"), "--out",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "nope.mov: file not found" in proc.stderr


def test_bad_srt_timestamps(landscape_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "bad.srt"
    srt.write_text("1\n00:00:05,000 --> 00:00:01,000\nRückwärts\n", encoding="utf-8")
    result = _render(tmp_path / "out", str(landscape_clip), "--subtitles", str(srt))
    assert result.exit_code != 0 and "bad.srt" in result.output and "ends before it starts" in result.output


def test_unexpected_failure_is_one_line_with_a_log(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                                   tmp_path: Path) -> None:
    """A bug (not the user's input) still prints one line, names where the traceback went, and exits non-zero."""
    import videokit.render.pipeline as pipeline
    from videokit.cli import main

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("setsar")

    monkeypatch.setattr(pipeline, "render_job", boom)
    monkeypatch.setenv("VIDEOKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "argv", ["videokit", "render", str(tmp_path / "clip.mp4"), "--title", "x"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 70
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "KeyError" in lines[0]
    log = Path(lines[0].split("details: ")[1].split(" ")[0])
    assert log.is_file() and "Traceback" in log.read_text() and "boom" in log.read_text()
