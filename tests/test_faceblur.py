"""--blur-faces: bystanders' faces found, followed and blurred; the speaker kept; released and added in review.

Pure parts first (tracks, who is kept, patches, the path expression, following by picture), then real renders of
a generated street scene whose face boxes are known in every frame (videokit/crowdclip.py): a bystander counts as
blurred in a frame when the detail in its face box (variance of the Laplacian) fell by at least 80 %."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from videokit.crowdclip import BYSTANDERS, SPEAKER, blur_shares, make_crowd_clip
from videokit.errors import ConfigError
from videokit.faceblur.choose import KeepPoint, blurred, parse_keep_point, speakers
from videokit.faceblur.detect import FaceSamples
from videokit.faceblur.follow import follow_backward, follow_forward
from videokit.faceblur.patches import BlurRegion, region_patch, thin, track_patches
from videokit.faceblur.tracks import Track, build_tracks
from videokit.reframe.expression import piecewise
from videokit.render.faceblur import MIN_FRAMES, _pieces

VIDEOKIT = str(Path(sys.executable).parent / "videokit")


# ---------------------------------------------------------------- pure parts

def _samples(faces_at: dict[float, list[tuple[float, float, float, float]]]) -> FaceSamples:
    times = sorted(faces_at)
    return FaceSamples(1920, 1080, times, [[(*f, 0.9) for f in faces_at[t]] for t in times])


def test_tracks_link_moving_faces_and_keep_two_people_apart() -> None:
    looks = {t / 2: [(0.2, 0.3, 0.1, 0.2), (0.05 + 0.05 * t, 0.7, 0.05, 0.1)] for t in range(10)}
    tracks = build_tracks(_samples(looks), 5.0)
    assert len(tracks) == 2
    walker = next(tr for tr in tracks if tr.looks[0][3] < 0.08)
    assert [round(look[1], 3) for look in walker.looks] == [round(0.05 + 0.05 * t, 3) for t in range(10)]


def test_a_face_entering_at_the_edge_joins_its_own_track_not_the_speaker() -> None:
    """Half a face at the left edge (a small box) next to a big speaker: the size rule lets a cut-off face grow
    into its own track, and never lets the speaker's track take it (seen in a real clip: the speaker's track
    jumped to the walker and the walker went unblurred)."""
    looks = {0.0: [(0.19, 0.28, 0.11, 0.24)], 0.3: [(0.19, 0.28, 0.11, 0.24), (0.0, 0.68, 0.03, 0.11)],
             0.5: [(0.19, 0.28, 0.11, 0.24), (0.0, 0.67, 0.06, 0.15)], 1.0: [(0.19, 0.28, 0.11, 0.24),
                                                                           (0.04, 0.67, 0.07, 0.15)]}
    tracks = build_tracks(_samples(looks), 2.0)
    assert len(tracks) == 2
    speaker = next(tr for tr in tracks if tr.looks[0][0] == 0.0)
    assert all(abs(look[1] - 0.19) < 1e-6 for look in speaker.looks)


def test_a_track_bridges_a_missed_look_and_reaches_past_its_ends() -> None:
    looks = {t / 2: [(0.5, 0.5, 0.05, 0.1)] if t != 4 else [] for t in range(9)}
    tracks = build_tracks(_samples(looks), 10.0)
    assert len(tracks) == 1
    assert tracks[0].start == 0.0 and tracks[0].end == pytest.approx(4.0 + 1.0)
    assert tracks[0].box_at(2.0)[0] == pytest.approx(0.5)


def _track(x: float, w: float, seconds: float = 10.0) -> Track:
    track = Track([(t / 2, x, 0.3, w, 2 * w) for t in range(int(seconds * 2))])
    track.start, track.end = 0.0, seconds
    return track


def test_the_speaker_is_the_face_with_most_screen_time_by_size() -> None:
    tracks = [_track(0.3, 0.12), _track(0.8, 0.03), _track(0.1, 0.05, 3.0)]
    assert speakers(tracks) == {0}
    interview = [_track(0.2, 0.12), _track(0.6, 0.11)]
    assert speakers(interview) == {0, 1}  # two interviewees side by side both speak
    hidden, kept, missed = blurred(tracks, "others", [])
    assert hidden == [1, 2] and kept == [0] and not missed
    assert blurred(tracks, "all", [])[0] == [0, 1, 2]
    assert blurred(tracks, "none", [])[0] == []


def test_a_keep_point_names_the_face_under_it() -> None:
    tracks = [_track(0.3, 0.12), _track(0.8, 0.04)]
    hidden, kept, missed = blurred(tracks, "others", [KeepPoint(1, 0.82, 0.34, 0.0)])
    assert hidden == [] and kept == [0, 1]
    hidden, _kept, missed = blurred(tracks, "all", [KeepPoint(1, 0.05, 0.9, 0.0)])
    assert hidden == [0, 1] and missed == [KeepPoint(1, 0.05, 0.9, 0.0)]


@pytest.mark.parametrize("text,point", [("0.3,0.4", KeepPoint(1, 0.3, 0.4, 0.0)),
                                        ("2=0.7,0.35@12.5", KeepPoint(2, 0.7, 0.35, 12.5)),
                                        ("0.5, 0.5 @ 1:05", KeepPoint(1, 0.5, 0.5, 65.0))])
def test_keep_points_are_read(text: str, point: KeepPoint) -> None:
    assert parse_keep_point(text) == point
    assert parse_keep_point(str(point)) == point


@pytest.mark.parametrize("text", ["0.3", "1.3,0.4", "a,b", "0=0.3,0.4", "0.3,0.4@x"])
def test_bad_keep_points_are_one_clear_line(text: str) -> None:
    with pytest.raises(ConfigError, match="--keep-face"):
        parse_keep_point(text)


def _at(keys: list[list[float]], t: float) -> float:
    if t <= keys[0][0]:
        return keys[0][1]
    for (t0, v0), (t1, v1) in zip(keys, keys[1:]):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / max(1e-9, t1 - t0)
    return keys[-1][1]


def test_patches_cover_the_whole_head_of_a_darting_face_at_every_frame() -> None:
    """A face on a sine path, looked at every half second; between the looks and past its ends the patch still
    holds the face box in every frame (the margin takes the bend)."""
    def box(t: float) -> tuple[float, float, float, float]:
        return (0.5 + 0.2 * math.sin(2 * math.pi * t / 2.5), 0.2, 0.03, 0.06)

    track = Track([(t / 10, *box(t / 10)) for t in range(0, 80)])  # followed every frame at 10 fps
    track.start, track.end = 0.0, 8.5
    patches = track_patches(track, 1920, 1080, 0.0, 8.5)
    for n in range(int(8.0 * 30)):
        t = n / 30
        x, y, w, h = box(t)
        fx, fy = x * 1920, y * 1080
        inside = [p for p in patches if p["start"] <= t <= p["end"]
                  and max(0, _at(p["x"], t)) <= fx and fx + w * 1920 <= max(0, _at(p["x"], t)) + p["w"]
                  and max(0, _at(p["y"], t)) <= fy - 0.1 * h * 1080 and fy + h * 1080 <= max(0, _at(p["y"], t)) + p["h"]]
        assert inside, f"frame {n}: face not covered"


def test_a_region_is_a_still_patch_on_the_segment_clock() -> None:
    patch = region_patch(BlurRegion(1, 5.0, 8.0, 0.1, 0.2, 0.3, 0.4), 1920, 1080, 4.0, 10.0)
    assert patch is not None and patch["start"] == 1.0 and patch["end"] == 4.0
    assert patch["w"] == 576 and patch["h"] == 432 and patch["x"] == [[1.0, 192.0]]
    assert region_patch(BlurRegion(1, 0.0, 3.0, 0.1, 0.2, 0.3, 0.4), 1920, 1080, 4.0, 10.0) is None


def test_thinning_keeps_the_path_within_its_tolerance() -> None:
    keys = [(t / 10, 100 * math.sin(t / 10)) for t in range(100)]
    thinned = thin(keys, 2.0)
    assert len(thinned) < 30
    assert all(abs(v - _at([list(k) for k in thinned], t)) <= 2.0 + 1e-6 for t, v in keys)


def _evaluate(expr: str, t: float) -> float:
    """ffmpeg's expression language, as far as `piecewise` uses it, in Python."""
    return float(eval(expr.replace("if(", "iff("), {"iff": lambda c, a, b: a if c else b,
                                                    "lt": lambda a, b: a < b, "gte": lambda a, b: a >= b, "t": t}))


def test_the_path_expression_is_a_tree_that_follows_its_keys() -> None:
    keys = [(t / 5, float((t * 37) % 101)) for t in range(400)]
    expr = piecewise(keys)
    assert expr.count("if(") < 2 * len(keys) and expr.count("(t,") > 0
    for t in (0.0, 0.1, 3.33, 41.1, 79.8, 200.0, -1.0):
        assert _evaluate(expr, t) == pytest.approx(_at([list(k) for k in keys], t), abs=0.11)


def test_the_picture_is_cut_where_patches_start_and_end_never_into_slivers() -> None:
    patches = [{"start": 1.0, "end": 3.0}, {"start": 2.0, "end": 2.04}, {"start": 2.05, "end": 5.0}]
    pieces = _pieces(patches, 30)
    assert pieces[0] == (0.0, 1.0, ())
    lengths = [round((end - start) * 30) for start, end, _ in pieces if end is not None]
    assert all(n >= MIN_FRAMES for n in lengths), pieces
    for i, p in enumerate(patches):  # every frame of every patch lies in a piece that shows it
        for n in range(round(p["start"] * 30), math.ceil(p["end"] * 30)):
            assert any(start * 30 <= n < (end * 30 if end is not None else 1e9) and i in shown
                       for start, end, shown in pieces), (i, n)


def _moving_square(n: int, step: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    face = rng.integers(0, 255, (40, 40), dtype=np.uint8)
    frames = []
    for k in range(n):
        frame = np.full((360, 640), 90, np.uint8)
        frame[100:140, 50 + k * step:90 + k * step] = face
        frames.append(frame)
    return frames


def test_a_face_is_followed_by_its_picture_forward_and_back() -> None:
    frames = _moving_square(8, 12)
    first = (50 / 640, 100 / 360, 40 / 640, 40 / 360, 0.9)
    found, ends = follow_forward([first], [], frames[0], frames[1:], 0.8)
    xs = [round(f[0][0] * 640) for f in found]
    assert xs == [50 + 12 * k for k in range(1, 8)] and len(ends) == 1
    last = (134 / 640, 100 / 360, 40 / 640, 40 / 360, 0.9)
    back = follow_backward([last], frames[7], frames[:7])
    assert [round(f[0][0] * 640) for f in back] == [50 + 12 * k for k in range(7)]
    gone = [np.full((360, 640), 90, np.uint8)] * 4  # it left: following stops, nothing is invented
    found, ends = follow_forward([first], [], frames[0], gone, 0.4)
    assert not any(found) and not ends


# ---------------------------------------------------------------- real renders

@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list]]:
    """8 s of a street: the speaker talks (German speech), three bystanders pass, dart and lean in at the edge."""
    from videokit.samplegen import SAMPLE_TEXT, speak

    folder = tmp_path_factory.mktemp("street")
    wav = speak(SAMPLE_TEXT, folder / "speech.wav")
    clip = folder / "strasse.mp4"
    return clip, make_crowd_clip(clip, 8.0, (1280, 720), audio=wav)


def _render(clip: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VIDEOKIT, "render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube",
                           "--no-intro", "--no-outro", "--title", "Strasse", *extra],
                          capture_output=True, text=True, timeout=600)


def _detail_kept(source: Path, output: Path, box_of: list, size: tuple[int, int], frames: int | None = None,
                 share: float = 0.7) -> float:
    """Share of frames (the first `frames`, or all) in which a face box keeps at least `share` of its detail."""
    import cv2

    from videokit.crowdclip import _gray_frames

    w, h = size
    kept = total = 0
    for n, (a, b) in enumerate(zip(_gray_frames(source, w, h), _gray_frames(output, w, h))):
        if frames is not None and n >= frames:
            break
        x, y, bw, bh = box_of[n]
        x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + bw), min(h, y + bh)
        detail = [float(cv2.Laplacian(img[y0:y1, x0:x1], cv2.CV_64F).var()) for img in (a, b)]
        total += 1
        kept += detail[1] >= share * detail[0]
    return kept / total


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.whisper
def test_others_blurs_every_bystander_in_every_frame_and_never_the_speaker(street: tuple[Path, dict], tmp_path: Path) -> None:
    clip, truth = street
    run = _render(clip, tmp_path / "out", "--blur-faces", "others")
    assert run.returncode == 0, run.stderr
    shares = blur_shares(clip, tmp_path / "out" / "strasse_youtube.mp4", truth, (1280, 720))
    for name in BYSTANDERS:
        hit, seen = shares[name]
        assert seen > 100 and hit / seen >= 0.99, (name, hit, seen)
    assert _detail_kept(clip, tmp_path / "out" / "strasse_youtube.mp4", truth[SPEAKER], (1280, 720)) >= 0.99
    assert re.search(r"faces blurred: 3 people, [\d.]+ s in all", run.stdout), run.stdout
    faces = json.loads((tmp_path / "out" / "strasse.faces.json").read_text(encoding="utf-8"))
    assert sorted(t["blurred"] for t in faces["clips"][0]["tracks"]) == [False, True, True, True]
    job = (tmp_path / "out" / "strasse.job.toml").read_text(encoding="utf-8")
    assert 'blur_faces = "others"' in job
    # the vertical picture is cut from the blurred one: the walker's face is blurred there too (checked in the
    # run), and the captions (the speaker's words) are burned as usual
    assert (tmp_path / "out" / "strasse_tiktok.mp4").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.render
def test_all_blurs_the_speaker_too_and_a_named_face_is_kept(street: tuple[Path, dict], tmp_path: Path) -> None:
    clip, truth = street
    run = _render(clip, tmp_path / "all", "--blur-faces", "all", "--subtitles", "none")
    assert run.returncode == 0, run.stderr
    shares = blur_shares(clip, tmp_path / "all" / "strasse_youtube.mp4", truth, (1280, 720))
    assert all(hit / seen >= 0.99 for hit, seen in shares.values()), shares
    # the bystander at the right edge, named by a point on it at its first frame: kept, the others blurred
    x, y, w, h = truth["turned"][0]
    point = f"{min(0.99, (x + w / 2) / 1280):.3f},{(y + h / 2) / 720:.3f}"
    run = _render(clip, tmp_path / "keep", "--blur-faces", "all", "--keep-face", point, "--subtitles", "none")
    assert run.returncode == 0, run.stderr
    shares = blur_shares(clip, tmp_path / "keep" / "strasse_youtube.mp4", truth, (1280, 720))
    assert shares["walker"][0] / shares["walker"][1] >= 0.99, shares
    # kept: never blurred until the walker (blurred) passes right beside it in the last second (a small face
    # loses up to half its detail to the encoder alone: blurred means 80 % and more)
    assert _detail_kept(clip, tmp_path / "keep" / "strasse_youtube.mp4", truth["turned"], (1280, 720), 7 * 30,
                        share=0.2) == 1.0
    recorded = str(parse_keep_point(point))  # "0.93,0.45": as typed, without trailing zeros
    assert f'keep_faces = [\n    "{recorded}",\n]' in (tmp_path / "keep" / "strasse.job.toml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.render
def test_an_hdr_60fps_phone_clip_is_blurred_in_ten_bits(tmp_path: Path) -> None:
    """HEVC 10-bit HLG at 60 fps, as phones record: the patches are drawn in 10 bits before the tone mapping,
    every output passes its check, and the walker's face is blurred against the same render without."""
    import cv2

    from videokit.crowdclip import _gray_frames

    plain = tmp_path / "plain.mp4"
    truth = make_crowd_clip(plain, 4.0, (1280, 720), fps=60)
    clip = tmp_path / "hlg.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(plain), "-c:v", "libx265", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p10le", "-x265-params",
                    "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc",
                    "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc",
                    "-tag:v", "hvc1", "-c:a", "copy", str(clip)], check=True)
    with_blur = _render(clip, tmp_path / "blur", "--blur-faces", "others", "--subtitles", "none")
    without = _render(clip, tmp_path / "none", "--subtitles", "none")
    assert with_blur.returncode == 0 and without.returncode == 0, with_blur.stderr + without.stderr
    blurred_frames = seen = 0
    frames = zip(_gray_frames(tmp_path / "none" / "strasse_youtube.mp4", 1280, 720),
                 _gray_frames(tmp_path / "blur" / "strasse_youtube.mp4", 1280, 720))
    for n, (a, b) in enumerate(frames):
        x, y, w, h = truth["walker"][2 * n]  # the output runs at 30 fps
        x0, x1 = max(0, x), min(1280, x + w)
        if x1 - x0 < 0.5 * w:
            continue
        seen += 1
        detail = [cv2.Laplacian(img[y:y + h, x0:x1], cv2.CV_64F).var() for img in (a, b)]
        blurred_frames += detail[1] <= 0.2 * detail[0]
    assert seen > 60 and blurred_frames / seen >= 0.99, (blurred_frames, seen)


@pytest.mark.slow
@pytest.mark.render
def test_a_template_and_a_then_and_now_clip_blur_too(street: tuple[Path, dict], tmp_path: Path) -> None:
    from videokit.samplegen import make_photo

    clip, truth = street
    template = tmp_path / "strasse.toml"
    template.write_text('name = "strasse"\nplatforms = ["youtube"]\nblur_faces = "others"\nsubtitles = "none"\n',
                        encoding="utf-8")
    run = subprocess.run([VIDEOKIT, "render", str(clip), "--template", str(template), "--out", str(tmp_path / "t"),
                          "--no-intro", "--no-outro", "--title", "Strasse"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    hit, seen = blur_shares(clip, tmp_path / "t" / "strasse_youtube.mp4", truth, (1280, 720))["walker"]
    assert hit / seen >= 0.99
    bad = template.with_name("bad.toml")
    bad.write_text('blur_faces = "some"\n', encoding="utf-8")
    run = subprocess.run([VIDEOKIT, "render", str(clip), "--template", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2 and "blur_faces must be" in run.stderr and "Traceback" not in run.stderr
    # then-and-now: today's clip has its bystanders blurred as well
    pairs = tmp_path / "paare"
    pairs.mkdir()
    make_photo(pairs / "platz-1962_then.jpg", (1600, 1200))
    (pairs / "platz-1962_now.mp4").symlink_to(clip)
    run = subprocess.run([VIDEOKIT, "thenandnow", str(pairs), "--out", str(tmp_path / "tn"), "--platforms", "youtube",
                          "--no-music", "--no-subtitles", "--blur-faces", "others"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    last = subprocess.run(["ffmpeg", "-v", "error", "-sseof", "-1.5", "-i", str(tmp_path / "tn" / "platz-1962_youtube.mp4"),
                           "-frames:v", "1", "-vf", "scale=1280:720", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, check=True).stdout
    frame = np.frombuffer(last, np.uint8).reshape(720, 1280)
    source = subprocess.run(["ffmpeg", "-v", "error", "-ss", "6.3", "-i", str(clip), "-frames:v", "1", "-f", "rawvideo",
                             "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    import cv2

    original = np.frombuffer(source, np.uint8).reshape(720, 1280)
    x, y, w, h = truth["turned"][190]  # the turned bystander barely moves: its box at 6.3 s holds its face
    x1 = min(1280, x + w)
    detail = [cv2.Laplacian(img[y:y + h, x:x1], cv2.CV_64F).var() for img in (original, frame)]
    assert detail[1] <= 0.2 * detail[0], detail


@pytest.mark.slow
@pytest.mark.render
def test_bad_blur_options_are_one_line_before_anything_is_made(street: tuple[Path, dict], tmp_path: Path) -> None:
    clip, _ = street
    for extra, message in ((["--keep-face", "1.4,0.5"], "between 0 and 1"),
                           (["--keep-face", "3=0.4,0.5"], "the job has 1 clip"),
                           (["--blur-faces", "some"], "Invalid value for '--blur-faces'")):
        run = _render(clip, tmp_path / "bad", *extra)
        assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert not (tmp_path / "bad").exists()
    job = tmp_path / "job.toml"
    job.write_text(f'blur_faces = "others"\n\n[[clip]]\nfile = "{clip}"\n\n[[blur_region]]\nstart = 2\nend = 1\n'
                   'x = 0.1\ny = 0.1\nw = 0.2\nh = 0.2\n', encoding="utf-8")
    run = subprocess.run([VIDEOKIT, "render", str(job)], capture_output=True, text=True)
    assert run.returncode == 2 and "blur_region" in run.stderr and "end is not after start" in run.stderr


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.whisper
def test_review_releases_a_face_and_adds_a_region_and_the_next_render_follows(street: tuple[Path, dict],
                                                                               tmp_path: Path) -> None:
    """The editor's faces: bad requests are a 400 that write nothing, a request without the token a 403; in
    Chromium the tracks are drawn over the picture, a click on the walker releases it, a drag adds a region over
    the speaker for 2 s; saved into the job file, rendered again: the walker is sharp, the region blurred."""
    import cv2
    from selenium.webdriver.common.by import By

    from test_review import JSON, _browser, _request, _snapshot, _wait, serving
    from videokit.crowdclip import _gray_frames

    clip, truth = street
    folder = tmp_path / "out"
    assert _render(clip, folder, "--blur-faces", "others").returncode == 0
    with serving(folder) as (url, _srv):
        token = url.split("token=")[1]

        def post(body: object, with_token: bool = True) -> tuple[int, dict]:
            path = f"/api/faces?token={token}" if with_token else "/api/faces"
            status, answer = _request(url, path, "POST", json.dumps(body).encode(), JSON)
            return status, json.loads(answer) if answer.startswith(b"{") else {}

        before = _snapshot(folder)
        for bad in ([], {"keep": "x"}, {"keep": [{"t": "a", "x": 0.5, "y": 0.5}]}, {"keep": [{"t": 1, "x": 1.5, "y": 0.5}]},
                    {"keep": [{"t": 99, "x": 0.5, "y": 0.5}]}, {"regions": [{"start": 2, "end": 1, "x": 0, "y": 0, "w": 0.1, "h": 0.1}]},
                    {"regions": [{"start": 1, "end": 2, "x": 0.9, "y": 0, "w": 0.5, "h": 0.1}]},
                    {"drop_keep": [-1]}, {"keep": [{"t": 1, "x": 0.5, "y": 0.5}] * 201}):
            status, answer = post(bad)
            assert status == 400 and answer["error"], bad
        assert post({"keep": []}, with_token=False)[0] == 403
        assert _snapshot(folder) == before
        driver = _browser()
        try:
            driver.set_window_size(1600, 1000)
            driver.get(url)
            _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            assert driver.find_element(By.ID, "facebox").is_displayed()
            driver.execute_script("video.pause(); video.currentTime = 4.0;")
            _wait(driver, lambda d: d.execute_script("return video.readyState >= 2 && !video.seeking"))
            driver.find_element(By.ID, "facemode").click()
            _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#faceboxes .fb")) >= 4)
            kinds = driver.execute_script("return [...document.querySelectorAll('#faceboxes .fb')].map(b => b.className)")
            assert sum(k == "fb kept" for k in kinds) == 1 and sum(k == "fb " for k in kinds) == 3, kinds
            # the walker: the lowest red box
            driver.execute_script("""const boxes = [...document.querySelectorAll('#faceboxes .fb[data-track]')];
                const low = boxes.reduce((a, b) => parseFloat(b.style.top) > parseFloat(a.style.top) ? b : a);
                low.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));""")
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#faceboxes .fb.released"))
            driver.find_element(By.ID, "regionseconds").clear()
            driver.find_element(By.ID, "regionseconds").send_keys("2")
            driver.execute_script("""const layer = $('faceboxes'), box = layer.getBoundingClientRect(), r = picture();
                const at = (x, y) => ({clientX: box.left + r.x + x * r.w, clientY: box.top + r.y + y * r.h, bubbles: true});
                layer.dispatchEvent(new MouseEvent('mousedown', at(0.18, 0.22)));
                layer.dispatchEvent(new MouseEvent('mousemove', at(0.40, 0.60)));
                document.dispatchEvent(new MouseEvent('mouseup', at(0.40, 0.60)));""")
            assert "neu: Bereich" in driver.find_element(By.ID, "facelist").text
            driver.find_element(By.ID, "savefaces").click()
            _wait(driver, lambda d: "Gespeichert" in d.find_element(By.ID, "facestatus").text)
            import tomllib

            job = tomllib.loads((folder / "strasse.job.toml").read_text(encoding="utf-8"))
            assert len(job["keep_faces"]) == 1 and job["keep_faces"][0].endswith("@4"), job
            region = job["blur_region"][0]
            assert region["start"] == 4.0 and region["end"] == 6.0 and region["x"] == pytest.approx(0.18, abs=0.01)
            driver.find_element(By.ID, "render").click()
            _wait(driver, lambda d: "fertig" in d.find_element(By.ID, "renderstatus").text
                  or "Fehler" in d.find_element(By.ID, "renderstatus").text, 300)
            assert "fertig" in driver.find_element(By.ID, "renderstatus").text
        finally:
            driver.quit()
    shares = blur_shares(clip, folder / "strasse_youtube.mp4", truth, (1280, 720))
    assert shares["walker"][0] == 0 and shares["small"][0] / shares["small"][1] >= 0.99, shares
    region = [0, 0]  # the speaker's face inside the region's 2 s: blurred; after it: sharp again
    for n, (a, b) in enumerate(zip(_gray_frames(clip, 1280, 720), _gray_frames(folder / "strasse_youtube.mp4", 1280, 720))):
        x, y, w, h = truth[SPEAKER][n]
        detail = [cv2.Laplacian(img[y:y + h, x:x + w], cv2.CV_64F).var() for img in (a, b)]
        if 4.1 <= n / 30 <= 5.9:
            region[0] += detail[1] <= 0.2 * detail[0]
            region[1] += 1
        elif n / 30 >= 6.5:
            assert detail[1] >= 0.7 * detail[0], n
    assert region[0] == region[1] > 40, region
