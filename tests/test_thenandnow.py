"""Then-and-now: manifest and photo handling (pure/Pillow), and a real batch with a broken row and a resume."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videokit.samplegen import make_archive, make_photo
from videokit.thenandnow import photos
from videokit.thenandnow.manifest import read_manifest, scan_folder
from videokit.thenandnow.pacing import CARD_SECONDS, min_duration, plan_pair
from videokit.timeline import AudioPlan, Card

from conftest import FAST_TEMPLATE, ffprobe, run_cli, video_stream


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_archive(tmp_path_factory.mktemp("archive"))


def test_excel_manifest_rows_and_bad_row(archive: Path) -> None:
    items, bad = read_manifest(archive, this_year=2026)
    assert [i.row for i in items] == [2, 3, 4]
    first = items[0]
    assert first.title == "Rathaus am Königsplatz" and first.credit == "Foto: Stadtarchiv Musterstadt"
    assert first.year_then == 1962 and first.year_now == 2026 and first.focus == (0.5, 0.4)
    assert items[2].now.suffix == ".mp4" and not items[2].now_is_photo
    assert len(bad) == 1 and bad[0].row == 5 and "fehlt.jpg: file not found" in bad[0].reason


def test_bad_year_and_folder_pairs(tmp_path: Path) -> None:
    make_photo(tmp_path / "a.jpg", (300, 200))
    (tmp_path / "m.csv").write_text("then,now,title,year_then\na.jpg,a.jpg,X,19x2\na.jpg,a.jpg,Y,1950\n",
                                    encoding="utf-8")
    items, bad = read_manifest(tmp_path / "m.csv", this_year=2026)
    assert [i.title for i in items] == ["Y"] and "bad year_then '19x2'" in bad[0].reason
    make_photo(tmp_path / "bahnhof-1955_then.jpg", (300, 200))
    make_photo(tmp_path / "bahnhof-1955_now.jpg", (300, 200))
    make_photo(tmp_path / "allein_then.jpg", (300, 200))
    make_photo(tmp_path / "markt_then.jpg", (300, 200))
    make_photo(tmp_path / "markt_now.jpg", (300, 200))
    items, bad = scan_folder(tmp_path, this_year=2026)
    assert [(i.title, i.year_then) for i in items] == [("Bahnhof 1955", 1955)]
    assert "no matching allein_now" in bad[0].reason
    assert "no year in the name" in bad[1].reason and "markt-1962_then.jpg" in bad[1].reason


def test_plan_shares_the_duration_frame_exactly() -> None:
    cards = (Card("intro", "T", CARD_SECONDS), Card("outro", "", CARD_SECONDS))
    timeline = plan_pair(10.0, "slider", 30, *cards, None, AudioPlan(-14, -1.5), None)
    plan = timeline.stills
    assert timeline.total_duration == pytest.approx(10.0)
    assert plan.then_alone >= 1.5 and plan.now_alone >= 1.5 and plan.reveal == 2.0
    assert all(abs(x * 30 - round(x * 30)) < 1e-9 for x in (plan.then_alone, plan.now_alone, plan.reveal))
    with pytest.raises(ValueError, match="too short"):
        plan_pair(min_duration("slider") - 0.5, "slider", 30, *cards, None, AudioPlan(-14, -1.5), None)


def test_photos_orientation_gray_small_and_one_decode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {"tiktok": (1080, 1920), "youtube": (1920, 1080)}
    rotated = make_photo(tmp_path / "rot.jpg", (1200, 900), gray=True, exif_orientation=6)
    assert Image.open(rotated).size == (900, 1200)  # stored turned, EXIF says turn back
    out = photos.prepare_photo(rotated, sizes, (0.5, 0.5), tmp_path)
    with Image.open(out["youtube"].path) as img:
        assert img.mode == "L"  # grayscale scans stay grayscale
        assert img.size == (round(1920 * photos.OVERSAMPLE), round(1080 * photos.OVERSAMPLE))
    small = photos.prepare_photo(make_photo(tmp_path / "small.png", (400, 300)), sizes, (0.5, 0.5), tmp_path)
    assert Image.open(small["tiktok"].path).size == (round(1080 * photos.OVERSAMPLE), round(1920 * photos.OVERSAMPLE))
    big = make_photo(tmp_path / "phone.jpg", (4000, 3000), gps=True)
    assert Image.open(big).getexif().get_ifd(0x8825)  # has GPS
    decoders = []
    original = Image._getdecoder
    monkeypatch.setattr(Image, "_getdecoder", lambda mode, name, *a, **k: (decoders.append(name), original(mode, name, *a, **k))[1])
    prepared = photos.prepare_photo(big, sizes, (0.5, 0.5), tmp_path)
    assert decoders.count("jpeg") == 1  # the 12 MP JPEG is decoded once for both platforms
    assert not Image.open(prepared["tiktok"].path).getexif()  # no GPS (or any EXIF) goes on


@pytest.mark.slow
@pytest.mark.render
def test_batch_renders_reports_and_resumes(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("thenandnow", str(archive), "--out", str(out), "--platforms", "tiktok,youtube",
            "--template", FAST_TEMPLATE, "--transition", "wipe", "--duration", "8", "--workers", "2")
    result = run_cli(*args)
    assert result.exit_code == 1, result.output  # one bad row: the batch finishes but says so
    assert "3 rendered" in result.output and "1 failed" in result.output
    rows = list(csv.DictReader((out / "report.csv").open(encoding="utf-8")))
    assert [(r["row"], r["status"]) for r in rows] == [("2", "ok"), ("3", "ok"), ("4", "ok"), ("5", "failed")]
    assert "fehlt.jpg" in rows[3]["message"]
    for mp4 in sorted(out.glob("*.mp4")):
        platform = mp4.stem.rsplit("_", 1)[1]
        v = video_stream(mp4)
        assert (v["width"], v["height"]) == ((1080, 1920) if platform == "tiktok" else (1920, 1080))
        info = ffprobe(mp4)
        tags = json.dumps([info["format"].get("tags", {})] + [s.get("tags", {}) for s in info["streams"]])
        assert "GPS" not in tags and "iPhone" not in tags and "Apple" not in tags
        assert float(info["format"]["duration"]) == pytest.approx(8.0, abs=0.1)
    assert len(list(out.glob("*.mp4"))) == 6
    # the archive part of the grayscale scan stays gray: neutral chroma in the picture's centre
    rathaus = out / "rathaus-am-koenigsplatz_youtube.mp4"
    assert _colourfulness(rathaus, 2.2, "600:400:660:340") < 2
    # the wipe: 1.5 s card + 1.9 s archive alone, then 1.2 s in which today's colour view enters from the right
    left, right = "400:300:120:400", "400:300:1400:400"
    assert _colourfulness(rathaus, 3.3, right) < 2  # not started yet
    assert _colourfulness(rathaus, 4.0, left) < 2 < 8 < _colourfulness(rathaus, 4.0, right)  # half way
    assert _colourfulness(rathaus, 4.7, left) > 8  # done
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.mp4")}
    again = run_cli(*args)
    assert "0 rendered, 3 unchanged" in again.output  # resume: finished items are skipped
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.mp4")} == before


def _colourfulness(video: Path, at: float, crop: str) -> float:
    """How far a region's mean chroma is from neutral (0 = gray) in the frame at `at` seconds."""
    stats = subprocess.run(["ffmpeg", "-v", "error", "-ss", str(at), "-i", str(video), "-frames:v", "1",
                            "-vf", f"crop={crop},signalstats,metadata=print:file=-", "-f", "null", "-"],
                           capture_output=True, text=True, check=True).stdout
    u = float(re.search(r"UAVG=([\d.]+)", stats).group(1))
    v = float(re.search(r"VAVG=([\d.]+)", stats).group(1))
    return max(abs(u - 128), abs(v - 128))


@pytest.mark.parametrize("transition", ["wipe", "crossfade"])
def test_reveal_runs_in_ffmpeg_frame_exact(transition: str) -> None:
    """Gray archive → red today on a tiny frame: each frame's colour says where the transition is."""
    import ffmpeg
    import numpy as np

    from videokit.render.stills import reveal

    fps, w, h = 10, 40, 8
    plan = plan_pair(4.2, transition, fps, None, None, None, AudioPlan(-14, -1.5), None).stills
    plan.reveal, plan.then_alone, plan.now_alone = 1.0, 0.5, 0.5  # 5 + 10 + 5 frames

    def source(colour: str, seconds: float):  # noqa: ANN202
        return ffmpeg.input(f"color={colour}:s={w}x{h}:r={fps}:d={seconds}", f="lavfi").video.filter("format", "yuv420p")

    body = reveal(source("gray", 1.5), source("red", 1.5), plan, fps, w)
    raw = ffmpeg.output(body, "pipe:", f="rawvideo", pix_fmt="rgb24").global_args("-v", "error").run(capture_stdout=True)[0]
    video = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3).astype(int)
    redness = video[..., 0] - video[..., 1]  # 0 on gray, ~255 on red
    assert len(video) == 20
    assert redness[:6].max() < 10 and redness[15:].min() > 200  # archive alone (and the reveal's first frame), today alone
    mid = redness[10]
    if transition == "wipe":  # half way: archive on the left, today on the right, a hard edge
        assert mid[:, : w // 2 - 2].max() < 10 and mid[:, w // 2 + 2:].min() > 200
    else:  # half way: an even mix
        assert 90 < mid.mean() < 165 and mid.max() - mid.min() < 10


def test_a_16_bit_grayscale_scan_keeps_its_tones(tmp_path: Path) -> None:
    """Pillow's convert("L") clipped a 16-bit scan to white (frame mean 250/255): it is scaled instead."""
    import numpy as np

    ramp = np.tile(np.linspace(0, 65535, 1600), (1200, 1)).astype(np.uint16)
    scan = tmp_path / "scan16.png"
    Image.fromarray(ramp).save(scan)
    assert Image.open(scan).mode.startswith("I")
    out = photos.prepare_photo(scan, {"youtube": (1920, 1080)}, (0.5, 0.5), tmp_path)
    with Image.open(out["youtube"].path) as img:
        values = np.asarray(img)
        assert img.mode == "L" and 120 <= values.mean() <= 135 and values.min() < 10 and values.max() > 245


def _portrait(where: str, size: tuple[int, int] = (900, 1350)) -> np.ndarray:
    """An archive-like 2:3 portrait: scikit-image's astronaut (a real face) placed high, low or at the side."""
    from skimage.data import astronaut

    canvas = np.full((size[1], size[0], 3), 90, np.uint8)
    face = np.asarray(Image.fromarray(astronaut()).resize((600, 600)))
    x, y = {"high": (150, 40), "low": (150, 720), "side": (290, 375)}[where]
    canvas[y:y + 600, x:x + 600] = face
    return canvas


@pytest.mark.parametrize("where", ["high", "low", "side"])
@pytest.mark.parametrize("platform", ["tiktok", "youtube"])
def test_faces_stay_whole_and_uncovered_through_the_push_in(tmp_path: Path, where: str, platform: str) -> None:
    """Without a focus the crop follows the face, the push-in never cuts the head, and the year and the credit
    go where they cover no face, in every frame of the move (the real detector on the real portrait)."""
    from videokit.brand import load_brand
    from videokit.graphics import draw_credit, draw_year_label
    from videokit.platforms import get_platform
    from videokit.thenandnow.faces import _zoomed
    from videokit.thenandnow.item import _layout

    path = tmp_path / f"{where}.png"
    Image.fromarray(_portrait(where)).save(path)
    p = get_platform(platform)
    prepared = photos.prepare_photo(path, {p.name: p.size}, None, tmp_path)[p.name]
    framing = prepared.framing
    assert framing.heads, "the face was found"
    brand = load_brand(None)
    files = {"then_label": str(draw_year_label(brand, p, 1995, "Königsplatz", tmp_path / "y.png")),
             "credit": str(draw_credit(brand, p, "Foto: Stadtarchiv Kassel", tmp_path / "c.png")),
             "now_label": str(draw_year_label(brand, p, 2026, "", tmp_path / "n.png"))}
    moves, places = _layout(p, files, prepared, None)
    ax, ay, zoom = moves["then"]
    start = framing.heads[: len(framing.heads) // 2]
    for k in range(31):  # every step of the move, start to end
        for head in start:
            x0, y0, x1, y1 = _zoomed(head, ax, ay, 1 + zoom * k / 30)
            assert x0 >= -1e-6 and y0 >= -1e-6 and x1 <= 1 + 1e-6 and y1 <= 1 + 1e-6, (k, head)
            for role in ("then_label", "credit"):
                lw, lh = Image.open(files[role]).size
                lx, ly = places[role]
                covered = max(0, min(lx + lw, x1 * p.width) - max(lx, x0 * p.width)) * \
                    max(0, min(ly + lh, y1 * p.height) - max(ly, y0 * p.height))
                assert covered == 0, (role, places[role], (x0, y0, x1, y1))


@pytest.mark.slow
@pytest.mark.render
def test_a_portrait_with_its_face_high_renders_with_the_whole_head(tmp_path: Path) -> None:
    """The real batch on a portrait whose face sits high: in the rendered archive part the face is found again
    and the head is whole in the frame, at the start and at the end of the push-in."""
    import subprocess

    import numpy as np

    from videokit.thenandnow.faces import find_heads
    from videokit.thenandnow.pacing import CARD_SECONDS

    folder = tmp_path / "fotos"
    folder.mkdir()
    Image.fromarray(_portrait("high")).save(folder / "astronautin-1995_then.png")
    make_photo(folder / "astronautin-1995_now.jpg", (1600, 1200))
    out = tmp_path / "out"
    result = run_cli("thenandnow", str(folder), "--out", str(out), "--platforms", "tiktok", "--template",
                     FAST_TEMPLATE, "--duration", "8", "--workers", "1")
    assert result.exit_code == 0, result.output
    video = next(out.glob("*_tiktok.mp4"))
    for t in (CARD_SECONDS + 0.1, CARD_SECONDS + 1.8):
        raw = subprocess.run(["ffmpeg", "-v", "error", "-ss", f"{t}", "-i", str(video), "-frames:v", "1", "-f",
                              "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
        heads = find_heads(np.frombuffer(raw, np.uint8).reshape(1920, 1080, 3))
        assert heads, t
        head = max(heads, key=lambda h: h.area)
        assert head.y0 > 0 and head.x0 > 0 and head.x1 < 1 and head.y1 < 1, (t, head)
