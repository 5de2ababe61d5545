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
    import videokit.commands.render as pipeline
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


# ---------------------------------------------------------------- job files, folders and options checked up front

def _job(tmp_path: Path, clip: Path, body: str, name: str = "job.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'title = "Job"\ntemplate = "{FAST_TEMPLATE}"\nout = "out"\n{body}'
                    + ("" if "[[clip]]" in body or "clip =" in body else f'\n[[clip]]\nfile = "{clip}"\n'),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("body, named", [
    ("clip = [5]", "clip: item 1 (5)"),
    ('[[clip]]\nfile = 5', "[[clip]] number 1: file = 5"),
    ("platforms = 5", "platforms = 5"),
    ('focus = "links"', 'focus = "links"'),
    ('[[lower_third]]\nrole = "Bürgermeisterin"', "[[lower_third]] number 1: 'name' is missing"),
    ('intro = "no"', 'intro = "no": must be true or false'),
    ('outro = "false"', 'outro = "false": must be true or false'),
    ('fit = "zoom"', 'fit = "zoom"'),
    ('colour = "red"', "unknown setting 'colour'"),
])
def test_job_values_of_the_wrong_type_name_the_key(landscape_clip: Path, tmp_path: Path, body: str,
                                                    named: str) -> None:
    result = run_cli("render", str(_job(tmp_path, landscape_clip, body)))
    assert result.exit_code == 2 and named in result.output and "job.toml" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_clip_end_before_start_is_refused_before_rendering(landscape_clip: Path, tmp_path: Path) -> None:
    path = _job(tmp_path, landscape_clip, f'[[clip]]\nfile = "{landscape_clip}"\nstart = 3\nend = 1\n')
    result = run_cli("render", str(path))
    assert result.exit_code == 2 and "end = 1 is not after start = 3" in result.output, result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["file", "proc", "proc itself", "job"])
def test_an_unwritable_out_is_one_line_before_anything_runs(landscape_clip: Path, tmp_path: Path,
                                                            where: str) -> None:
    (tmp_path / "datei").write_text("kein Ordner", encoding="utf-8")
    target = {"file": str(tmp_path / "datei"), "proc": "/proc/nope", "proc itself": "/proc", "job": "/proc/nope"}[where]
    if where == "job":
        job = _job(tmp_path, landscape_clip, "").read_text(encoding="utf-8").replace('out = "out"', f'out = "{target}"')
        (tmp_path / "job.toml").write_text(job, encoding="utf-8")
        result = run_cli("render", str(tmp_path / "job.toml"))
    else:
        result = _render(Path(target), str(landscape_clip))
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2 and len(errors) == 1 and target in errors[0], result.output
    assert "re-export" not in errors[0] and ("is a file" in errors[0] or "cannot be written" in errors[0])


def test_wrong_hints_are_gone(media: Path, tmp_path: Path) -> None:
    short = make_clip(media / "kurz.mp4", 0.2, size=(640, 360))
    result = _render(tmp_path / "out", str(short))
    assert result.exit_code == 2 and "too short" in result.output and "--trim" not in result.output, result.output


def test_empty_platforms_and_emoji_titles_are_refused(landscape_clip: Path, tmp_path: Path) -> None:
    result = _render(tmp_path / "out", str(landscape_clip), "--platforms", "")
    assert result.exit_code == 2 and "no platforms given" in result.output
    result = run_cli("render", str(landscape_clip), "--out", str(tmp_path / "out"), "--template", FAST_TEMPLATE,
                     "--title", "Sommerfest 🎉")
    assert result.exit_code == 2 and "🎉" in result.output and "boxes" in result.output
    assert not (tmp_path / "out").exists()


def test_srt_with_a_broken_arrow_is_not_burned_in(landscape_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "pfeil.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:01,500\nGut\n\n2\n00:00:02,000 -> 00:00:02,500\nFalsch\n", "utf-8")
    result = _render(tmp_path / "out", str(landscape_clip), "--subtitles", str(srt))
    assert result.exit_code == 2 and "pfeil.srt: line 6:" in result.output and "not a timing line" in result.output


def test_podcast_inputs_are_checked_before_listening(landscape_clip: Path, tmp_path: Path) -> None:
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Anna"\nrole = ["B"]\n', encoding="utf-8")
    result = run_cli("podcast", str(landscape_clip), "--speakers", str(speakers), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "role must be text" in result.output, result.output
    speakers.write_text('[[speaker]]\nname = "Anna"\nrole = "Moderation"\n', encoding="utf-8")
    image = tmp_path / "foto.jpg"
    image.write_text("kein Bild", encoding="utf-8")
    result = run_cli("podcast", str(landscape_clip), "--speakers", str(speakers), "--out", str(tmp_path / "out"),
                     "--image", str(image))
    assert result.exit_code == 2 and "foto.jpg: is not an image" in result.output, result.output
    chapters = tmp_path / "chapters.txt"
    chapters.write_text("00:00 Anfang\n00:05 Zu früh\n", encoding="utf-8")
    result = run_cli("podcast", str(landscape_clip), "--speakers", str(speakers), "--out", str(tmp_path / "out"),
                     "--chapters", str(chapters))
    assert result.exit_code == 2 and "at least 10 s apart" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_chapters_inside_the_episode_only() -> None:
    from videokit.podcast.chapters import parse_chapters

    assert [c.start for c in parse_chapters("00:00 A\n00:20 B", 30.0)] == [0.0, 20.0]
    with pytest.raises(ValueError, match="after the episode ends"):
        parse_chapters("00:00 A\n00:40 B", 30.0)


def test_a_long_title_is_cut_with_an_ellipsis() -> None:
    from videokit.brand import load_brand
    from videokit.graphics import wrap_text

    font = load_brand(None).font("title", 60)
    lines = wrap_text("Die Sanierung der Brücke über die Fulda dauert länger als geplant und kostet mehr", font,
                      500, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…") and font.getlength(lines[-1]) <= 500


def test_a_full_disk_is_named_as_such_not_as_a_bad_clip() -> None:
    from videokit.outdir import disk_problem

    log = "[mp4 @ 0x1] Error writing trailer of /out/.x.part.mp4: No space left on device"
    assert "the disk is full" in disk_problem(log, Path("/out"))
    assert disk_problem("Invalid data found when processing input", Path("/out")) is None
