"""Pure functions: parsing, geometry, planning, graph building, segmentation. No ffmpeg runs here."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from videokit.captions.german import FORBIDDEN, break_penalty
from videokit.captions.segment import segment, words_from_cues, wrap_lines
from videokit.errors import ConfigError, InputError
from videokit.job import ClipSpec, LowerThirdSpec, build_job, parse_lower_third, parse_time, parse_trim
from videokit.layout import caption_band, lower_third_box
from videokit.naming import slug
from videokit.plan import plan_render
from videokit.platforms import PLATFORMS, parse_platforms
from videokit.probe import MediaInfo
from videokit.geometry import cover_crop, fit_inside, same_aspect
from videokit.render.graph import build_measure, build_render, build_sound
from videokit.render.streams import plan_loudness
from videokit.render.pictures import picture_groups
from videokit.templates import load_template
from videokit.timeline import Cue, Timeline, Word

from conftest import FAST_TEMPLATE


def test_parse_time_forms() -> None:
    assert parse_time("12") == 12
    assert parse_time("1:05") == 65
    assert parse_time("00:01:05,5") == 65.5
    with pytest.raises(ConfigError):
        parse_time("zwei")


def test_lower_third_and_trim_syntax() -> None:
    lt = parse_lower_third("Sven Muster|Oberbürgermeister@2-7", 5.0)
    assert (lt.name, lt.role, lt.start, lt.end) == ("Sven Muster", "Oberbürgermeister", 2, 7)
    assert parse_lower_third("Anna|Amtsleiterin@0:03", 5.0).end == 8
    with pytest.raises(ConfigError):
        parse_lower_third("no role here", 5.0)
    assert parse_trim("2=0:03-0:10", 2) == (1, 3, 10)
    assert parse_trim("1.5-4", 1) == (0, 1.5, 4)
    with pytest.raises(ConfigError):
        parse_trim("1-4", 2)  # which clip?
    with pytest.raises(ConfigError):
        parse_trim("1=5-4", 1)  # end before start


def test_platforms_and_slug() -> None:
    assert [p.name for p in parse_platforms("tiktok, youtube")] == ["tiktok", "youtube"]
    with pytest.raises(ConfigError, match="unknown platform 'myspace'"):
        parse_platforms("myspace")
    assert slug("Sperrung der Königsstraße") == "sperrung-der-koenigsstrasse"


def test_geometry_never_stretches() -> None:
    fg = fit_inside(1920, 1080, 1080, 1920)
    assert fg.w == 1080 and abs(fg.w / fg.h - 16 / 9) < 0.01 and fg.y == (1920 - fg.h) // 2
    crop = cover_crop(1920, 1080, 1080, 1920, focus_x=0.0)
    assert crop.x == 0 and abs(crop.w / crop.h - 9 / 16) < 0.01
    right = cover_crop(1920, 1080, 1080, 1920, focus_x=1.0)
    assert right.x + right.w == 1920
    assert same_aspect(1080, 2400, 1080, 1920) is False
    assert same_aspect(3840, 2160, 1920, 1080) is True


def test_layout_inside_vertical_safe_area() -> None:
    tiktok = PLATFORMS["tiktok"]
    for box in (caption_band(tiktok), lower_third_box(tiktok)):
        assert box.y >= 270 and box.bottom <= 1250 and box.x >= 90 and box.right <= 900
    assert lower_third_box(tiktok).bottom < caption_band(tiktok).y  # name bar never covers captions


def _job(tmp_path: Path, **extra: object) -> tuple:
    opts = {"clips": [ClipSpec(tmp_path / "a.mp4", 1.0, 3.0), ClipSpec(tmp_path / "b.mov")],
            "template": FAST_TEMPLATE, "title": "Test", "out": tmp_path, **extra}
    infos = [MediaInfo(tmp_path / "a.mp4", 10.0, 1920, 1080, has_video=True, has_audio=True, fps=30),
             MediaInfo(tmp_path / "b.mov", 2.49, 1080, 1920, has_video=True, has_audio=False, fps=29.97,
                       color_transfer="arib-std-b67")]
    return build_job(opts), infos


def test_plan_is_frame_aligned_and_round_trips(tmp_path: Path) -> None:
    job, infos = _job(tmp_path, lower_thirds=[LowerThirdSpec("A", "B", 1.0, 99.0)])
    tl = plan_render(job, infos, 2.5, 2.5)
    assert [round(c.duration * 30, 6) for c in tl.clips] == [60, 75]
    assert tl.clips[1].hdr_transfer == "arib-std-b67" and not tl.clips[1].has_audio
    assert tl.lower_thirds[0].end == pytest.approx(tl.body_duration)  # clamped to the body
    assert tl.outputs[0].path.endswith("test_tiktok.mp4")
    assert Timeline.from_dict(tl.as_dict()).as_dict() == tl.as_dict()


def test_plan_rejects_trim_past_end(tmp_path: Path) -> None:
    job, infos = _job(tmp_path)
    job.clips[0].start = 20
    with pytest.raises(InputError, match="past the clip's end"):
        plan_render(job, infos, 2.5, 2.5)


def test_plan_refuses_duration_outside_platform_limits(tmp_path: Path) -> None:
    job, infos = _job(tmp_path)
    job.intro = job.outro = False
    infos[0].duration, infos[1].duration = 1.0, 1.0
    job.clips[0].start, job.clips[0].end = 0.0, None
    with pytest.raises(ConfigError, match="tiktok accepts 3–600 s"):
        plan_render(job, infos, 2.5, 2.5)


def test_graph_decodes_once_and_splits_per_platform(tmp_path: Path) -> None:
    job, infos = _job(tmp_path)
    tl = plan_render(job, infos, 2.0, 2.0)
    for card in (tl.intro, tl.outro):
        card.files = {"tiktok": f"/c/{card.kind}-t.mp4", "youtube": f"/c/{card.kind}-y.mp4"}
    tl.audio.measured = {"input_i": -23.0, "input_tp": -12.0, "input_lra": 4.0, "input_thresh": -33.0,
                         "target_offset": 0.2}
    tl.audio.gain_db, tl.audio.limit_db = plan_loudness(tl.audio.measured, -14.0, -1.5)
    argv = build_render(tl, job.platforms, {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"})
    graph = argv[argv.index("-filter_complex") + 1]
    assert argv.count("-i") == 2 + 1 + 4  # two clips, one silence source, four cards; each decoded once
    assert graph.count("split=2") >= 2 and "asplit=2" in graph
    assert graph.count("interp=tetrahedral") == 2  # the HDR clip tone-mapped per branch; the fill is made from the picture
    assert "volume=volume=9.00dB" in graph and "alimiter" not in graph  # peaks at -12 dBTP: a plain gain
    tl.audio.measured["input_tp"] = -2.0  # now the gain would clip: gain + lookahead limiter (delay compensated)
    tl.audio.gain_db, tl.audio.limit_db = plan_loudness(tl.audio.measured, -14.0, -1.5)
    graph = build_render(tl, job.platforms, {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"})
    graph = graph[graph.index("-filter_complex") + 1]
    assert "volume=volume=9.00dB" in graph and "alimiter=" in graph and "latency=true" in graph
    assert plan_loudness(None, -14, -1.5) == (0.0, None)
    assert graph.count("libx264") == 0 and argv.count("libx264") == 2  # one encoder per platform
    assert argv.count("+faststart") == 2 and argv.count("-map_metadata") == 2
    measure = build_measure(tl)
    assert "ebur128=framelog=verbose:peak=true" in " ".join(measure) and "libx264" not in measure



def test_cached_outro_is_joined_by_copy_and_a_titled_one_is_not(tmp_path: Path) -> None:
    """The brand's outro is appended by stream copy (render/stitch.py): the graph then renders the picture without
    it, video and sound as two files, and every encode carries x264's stitchable headers."""
    from videokit.render.graph import encoder_settings, frames_before_outro
    from videokit.render.pictures import encoded_platforms
    from videokit.render.stitch import join_argv, plan_joins, stage_path, write_concat_list

    job, infos = _job(tmp_path)
    tl = plan_render(job, infos, 2.0, 2.5)
    for card in (tl.intro, tl.outro):
        card.files = {"tiktok": f"/c/{card.kind}-t.mp4", "youtube": f"/c/{card.kind}-y.mp4"}
    encoded = encoded_platforms(job.platforms)
    enc = encoder_settings(tl)
    temps = {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"}
    seconds = frames_before_outro(tl) / tl.fps
    assert frames_before_outro(tl) == 60 + 60 + 75  # intro, then the two clips, each a whole number of frames
    joins = plan_joins(tl, encoded, {p.name: enc.video_args(p) for p in encoded}, temps, seconds)
    assert set(joins) == {"tiktok", "youtube"} and joins["tiktok"].seconds == pytest.approx(6.5)
    assert joins["tiktok"].outro != joins["youtube"].outro  # per picture and setting
    # the intermediate files are named like the output's temp file: a re-run after a kill sweeps them away
    from videokit.render.run import remove_stale_parts, temp_output
    final = tmp_path / "clip_tiktok.mp4"
    picture = Path(stage_path(str(temp_output(final)), "picture"))
    picture.write_bytes(b"x")
    remove_stale_parts([final])
    assert picture.name.startswith(".clip_tiktok.") and not picture.exists()
    argv = build_render(tl, job.platforms, temps, joins=joins)
    assert "/c/outro-t.mp4" not in argv and "/c/intro-t.mp4" in argv  # the outro is not decoded again
    assert argv.count("+faststart") == 0 and joins["tiktok"].video in argv
    assert "-c:a" not in argv and "[0:a]" not in argv[argv.index("-filter_complex") + 1]  # the picture alone ...
    sound = build_sound(tl, job.platforms, joins)  # ... and the sound beside it, its own process
    assert [sound[i + 1] for i, a in enumerate(sound) if a == "-b:a"] == ["192k", "320k"]
    assert joins["tiktok"].audio in sound and joins["youtube"].audio in sound and "libx264" not in sound
    assert "adelay=all=1:delays=2000" in sound[sound.index("-filter_complex") + 1]  # silent under the intro
    assert all(a.endswith("stitchable=1") for a in argv if a.startswith("8x8dct"))
    whole = build_render(tl, job.platforms, temps)
    assert "/c/outro-t.mp4" in whole and whole.count("+faststart") == 2
    assert all("stitchable=1" in a for a in whole if a.startswith("8x8dct"))

    odd = tmp_path / "it's here"
    odd.mkdir()
    join = joins["tiktok"]
    join = type(join)(join.platform, str(odd / "p.mp4"), join.audio, join.outro, join.seconds, join.out)
    write_concat_list(join, odd / "list.ffconcat")
    text = (odd / "list.ffconcat").read_text()
    assert "file '" + str(tmp_path) + "/it'\\''s here/p.mp4'" in text and "duration 6.500000" in text
    relative = type(join)(join.platform, "out/.c.1.part.picture.part.mp4", join.audio, join.outro, 6.5, join.out)
    write_concat_list(relative, odd / "relative.ffconcat")  # `--out out/`: the list is read from its own folder
    assert f"file '{Path.cwd()}/out/.c.1.part.picture.part.mp4'" in (odd / "relative.ffconcat").read_text()
    copy = join_argv(join, odd / "list.ffconcat", "ffmpeg")
    assert copy[copy.index("-c") + 1] == "copy" and "+faststart" in copy and copy[-1] == join.out

    tl.outro.titles = {"tiktok": {"png": "/c/t.png"}}  # a per-job title on the outro: encoded with the job
    assert plan_joins(tl, encoded, {p.name: enc.video_args(p) for p in encoded}, temps, seconds) == {}
    tl.outro = None
    assert plan_joins(tl, encoded, {p.name: enc.video_args(p) for p in encoded}, temps, seconds) == {}


def test_lower_third_is_laid_over_its_own_frames_only(tmp_path: Path) -> None:
    """The body is cut at the lower third's edges, on frame numbers (cut on times, the pieces collided when joined),
    and only its span goes through overlay (which copies every frame it is handed); a lower third to the body's end
    cuts once."""
    job, infos = _job(tmp_path, lower_thirds=[LowerThirdSpec("A", "B", 0.5, 1.5)])
    tl = plan_render(job, infos, 2.0, 2.5)
    for card in (tl.intro, tl.outro):
        card.files = {"tiktok": f"/c/{card.kind}-t.mp4", "youtube": f"/c/{card.kind}-y.mp4"}
    tl.lower_thirds[0].files = {"tiktok": "/l/t.png", "youtube": "/l/y.png"}
    graph = " ".join(build_render(tl, job.platforms, {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"}))
    assert graph.count("trim=end_frame=15[") == 2 and graph.count("trim=end_frame=45:start_frame=15[") == 2
    assert graph.count("trim=start_frame=45[") == 2 and graph.count("overlay=eof_action=pass:format=yuv420") == 2
    tl.lower_thirds[0].end = tl.body_duration
    graph = " ".join(build_render(tl, job.platforms, {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"}))
    assert graph.count("trim=end_frame=15[") == 2 and graph.count("trim=start_frame=15[") == 2


def test_avc_config_is_read_from_the_box_tree(tmp_path: Path) -> None:
    """The join compares the two files' avcC boxes, read without ffprobe: after a large mdat, with a 64-bit
    size, and nothing when the track is not H.264."""
    import struct

    from videokit.render.stitch import avc_config

    def box(kind: bytes, payload: bytes, wide: bool = False) -> bytes:
        if wide:
            return struct.pack(">I4sQ", 1, kind, len(payload) + 16) + payload
        return struct.pack(">I4s", len(payload) + 8, kind) + payload

    def mp4(entry: bytes, wide: bool = False) -> bytes:
        stsd = box(b"stsd", b"\0" * 8 + entry)
        trak = box(b"trak", box(b"tkhd", b"\0" * 84) + box(b"mdia", box(b"mdhd", b"\0" * 24) + box(
            b"minf", box(b"stbl", stsd))))
        return box(b"ftyp", b"isom" + b"\0" * 4) + box(b"mdat", b"\xff" * 100_000, wide) + box(b"moov", trak)

    config = bytes.fromhex("01640028ffe1001e6764")
    avc1 = box(b"avc1", b"\0" * 78 + box(b"avcC", config) + box(b"pasp", b"\0" * 8))
    (tmp_path / "a.mp4").write_bytes(mp4(avc1))
    (tmp_path / "b.mp4").write_bytes(mp4(avc1, wide=True))
    (tmp_path / "c.mp4").write_bytes(mp4(box(b"mp4a", b"\0" * 28 + box(b"esds", b"\0" * 20))))
    (tmp_path / "d.mp4").write_bytes(box(b"ftyp", b"isom") + box(b"mdat", b""))
    assert avc_config(str(tmp_path / "a.mp4")) == config == avc_config(str(tmp_path / "b.mp4"))
    assert avc_config(str(tmp_path / "c.mp4")) == b"" == avc_config(str(tmp_path / "d.mp4"))

# every preset alone and with every other, the first four together (the old set), and all of them
ALL_COMBINATIONS = [list(c) for n in (1, 2) for c in itertools.combinations(PLATFORMS, n)] + \
    [list(PLATFORMS)[:3], list(PLATFORMS)[:4], list(PLATFORMS)]


@pytest.mark.parametrize("names", ALL_COMBINATIONS, ids=lambda names: "+".join(names))
def test_every_platform_combination_builds_one_encode_per_picture(tmp_path: Path, names: list[str]) -> None:
    """Two vertical platforms crashed the graph build (one card input feeding two branches), and so did two
    encodes of one size (Instagram's burned 4:5 and Facebook's). Every combination builds, platforms with the
    same picture share one encode with the strictest limits, and each size is composed once."""
    job, infos = _job(tmp_path, platforms=names,
                      lower_thirds=[LowerThirdSpec("A", "B", 0.5, 2.0)])
    tl = plan_render(job, infos, 2.0, 2.0)
    for card in (tl.intro, tl.outro):
        card.files = {p: f"/c/{card.kind}-{PLATFORMS[p].width}x{PLATFORMS[p].height}.mp4" for p in names}
    for lt in tl.lower_thirds:
        lt.files = {p: f"/g/lt-{p}.png" for p in names}  # drawn for each platform (render/encode.py)
    temps = {p: f"/o/{p}.mp4" for p in names}
    argv = build_render(tl, job.platforms, temps)
    groups = picture_groups(job.platforms)
    assert argv.count("libx264") == len(groups)
    written = [a for a in argv if a.startswith("/o/")]
    assert written == [temps[g.leader.name] for g in groups]
    caps = [argv[i + 1] for i, a in enumerate(argv) if a == "-maxrate"]
    assert caps == [f"{g.encode.max_video_kbps}k" for g in groups]  # each the strictest of its members
    graph = " ".join(argv)
    for size in {p.size for p in job.platforms}:  # each card decoded once per size, however many encodes
        assert graph.count(f"/c/intro-{size[0]}x{size[1]}.mp4") == 1


def test_german_break_rules() -> None:
    assert break_penalty("dem", "15.") == FORBIDDEN  # article + noun/number
    assert break_penalty("15.", "Mai") == FORBIDDEN
    assert break_penalty("25", "Prozent") == FORBIDDEN
    assert break_penalty("Herr", "Muster") == FORBIDDEN
    assert break_penalty("gesperrt.", "Die") < break_penalty("Straße", "und") < break_penalty("die", "Straße")
    assert break_penalty("Sven", "Muster") > break_penalty("gesperrt,", "weil")


def _words(text: str, start: float = 0.0, per_word: float = 0.35) -> list[Word]:
    return [Word(t, round(start + i * per_word, 3), round(start + (i + 1) * per_word - 0.05, 3))
            for i, t in enumerate(text.split())]


def test_segment_broadcast_rules() -> None:
    style = load_template("news").horizontal_captions
    text = ("Die Stadt Musterstadt sperrt ab dem 15. Mai die Königsstraße für drei Wochen. Oberbürgermeister "
            "Sven Muster erklärt, dass die Bauarbeiten 25 Prozent schneller gehen sollen als geplant.")
    cues = segment(_words(text), style, fps=25)
    joined = " ".join(" ".join(c.lines) for c in cues)
    assert joined == text  # nothing lost or reordered
    for prev, cue in zip([None] + cues[:-1], cues):
        assert len(cue.lines) <= 2 and all(len(line) <= 42 for line in cue.lines)
        assert 1.0 - 1e-6 <= cue.end - cue.start <= 7.0
        if prev:
            assert cue.start - prev.end >= 2 / 25 - 1e-6
    flat = [" ".join(c.lines) for c in cues]
    for glued in ("15. Mai", "25 Prozent", "Sven Muster", "dem 15."):
        assert any(glued in line for c in cues for line in c.lines), glued
    assert any(f.endswith("Wochen.") for f in flat)  # one sentence per cue where possible


def test_segment_vertical_groups_and_pauses() -> None:
    style = load_template("news").vertical_captions
    words = _words("Guten Tag aus dem Rathaus.") + _words("Heute geht es um die neue Brücke.", start=4.0)
    cues = segment(words, style, fps=30)
    assert all(len(c.words) <= 6 and all(len(l) <= 25 for l in c.lines) for c in cues)
    assert all(not (c.start < 2.5 < c.end) for c in cues)  # the pause separates cues
    assert cues[0].start == words[0].start  # clamped to speech


def test_wrap_balances_and_respects_limits() -> None:
    style = load_template("news").horizontal_captions
    lines = wrap_lines("Die Busse fahren in dieser Zeit eine Umleitung über die Wilhelmsstraße".split(), style)
    assert lines and len(lines) == 2 and all(len(l) <= 42 for l in lines)
    assert lines[1].startswith("über") or lines[1].startswith("eine")


def test_srt_words_keep_labels_whole() -> None:
    words = words_from_cues([Cue(0, 4, ["[Sven Muster] Guten Tag.", "*Applaus*"])])
    assert [w.text for w in words] == ["[Sven Muster]", "Guten", "Tag.", "*Applaus*"]
    assert words[0].start == 0 and words[-1].end == pytest.approx(4, abs=0.01)
    cues = segment(words, load_template("news").horizontal_captions)
    assert cues[-1].lines == ["*Applaus*"]


def test_job_file_paths_are_relative_to_it(tmp_path: Path) -> None:
    from videokit.job import load_job_file

    job = tmp_path / "weekly.toml"
    job.write_text('title = "Woche 12"\ntemplate = "interview"\nplatforms = ["reels"]\nsubtitles = "edit.srt"\n'
                   '[[clip]]\nfile = "a.mp4"\nstart = "0:02"\nend = 9\n'
                   '[[lower_third]]\nname = "Anna Beispiel"\nrole = "Kulturdezernentin"\nstart = 1\n', encoding="utf-8")
    opts = load_job_file(job)
    assert opts["clips"][0].path == tmp_path / "a.mp4" and opts["clips"][0].start == 2 and opts["clips"][0].end == 9
    assert opts["subtitles"] == str(tmp_path / "edit.srt")
    built = build_job(opts)
    assert built.template.name == "interview" and built.fps == 25 and built.fit == "crop"
    assert built.lower_thirds[0].end == 1 + built.template.lower_third_seconds
    job.write_text('titel = "Tippfehler"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_job_file(job)


def test_native_frames_at_the_output_size_are_not_converted() -> None:
    import ffmpeg

    from videokit.render.streams import reframe

    def graph(**kw) -> str:  # type: ignore[no-untyped-def]
        stream = reframe(ffmpeg.input("in.mp4").video, kw.pop("w", 1920), kw.pop("h", 1080), PLATFORMS["youtube"],
                         "blur", 0.5, **kw)
        return " ".join(ffmpeg.output(stream, "out.mp4").compile())

    assert "scale" not in graph(native=True)  # already 1920x1080 yuv420p BT.709: passes untouched
    assert "scale" in graph(native=False)  # e.g. full-range or 10-bit: converted
    assert "scale" in graph(native=True, matrix="bt601")
    assert "scale" in graph(native=True, w=1280, h=720)


def test_loudness_only_pass_parses_without_a_true_peak() -> None:
    import subprocess

    from videokit.render.loudness import parse_ebur128

    def measure(peak: str) -> dict[str, float] | None:
        err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-f", "lavfi", "-i", "sine=f=440:d=3",
                              "-af", f"ebur128=peak={peak}", "-f", "null", "-"], capture_output=True, text=True).stderr
        return parse_ebur128(err)

    full, quick = measure("true"), measure("none")
    assert full is not None and quick is not None
    assert quick["input_i"] == full["input_i"] and full["input_tp"] < 0 and quick["input_tp"] != quick["input_tp"]  # NaN


def test_a_whole_picture_for_every_output_is_scaled_and_tone_mapped_once() -> None:
    from videokit.platforms import get_platform
    from videokit.render.graph import whole_picture_size
    from videokit.timeline import ClipSegment

    both = [get_platform("tiktok"), get_platform("youtube")]
    uhd = ClipSegment("a.mov", 0.0, 10.0, 3840, 2160, True, hdr_transfer="arib-std-b67")
    assert whole_picture_size(uhd, both, "blur") == (1920, 1080)  # YouTube's size; the vertical fill needs less
    assert whole_picture_size(uhd, both, "auto") == (1920, 1080)  # nobody to follow: the whole picture
    assert whole_picture_size(uhd, both, "crop") is None  # the vertical crop needs the 4K detail
    crop_shot = {"start": 0.0, "end": 10.0, "mode": "crop", "keys": [[0.0, 0.5]]}
    followed = ClipSegment("a.mov", 0.0, 10.0, 3840, 2160, True, reframe=[crop_shot])
    assert whole_picture_size(followed, both, "auto") is None  # a speaker to follow: the vertical crops
    nobody = ClipSegment("a.mov", 0.0, 10.0, 3840, 2160, True, reframe=[dict(crop_shot, mode="fill", keys=[])])
    assert whole_picture_size(nobody, both, "auto") == (1920, 1080)
    assert whole_picture_size(uhd, both[:1], "blur") is None  # one branch: nothing to share
    portrait = ClipSegment("p.mov", 0.0, 10.0, 2160, 3840, True)
    assert whole_picture_size(portrait, both, "blur") == (1080, 1920)
    hd = ClipSegment("b.mp4", 0.0, 10.0, 1920, 1080, True)
    assert whole_picture_size(hd, both, "blur") is None  # nothing would shrink


def test_a_tone_mapped_render_runs_its_filter_graph_on_one_thread(tmp_path: Path) -> None:
    from videokit.job import ClipSpec, build_job
    from videokit.plan import plan_render
    from videokit.probe import MediaInfo

    def argv(transfer: str) -> list[str]:
        job = build_job({"clips": [ClipSpec(tmp_path / "a.mov")], "template": FAST_TEMPLATE, "title": "T",
                         "out": tmp_path, "platforms": "tiktok,youtube", "intro": False, "outro": False,
                         "subtitles": "none"})
        info = MediaInfo(tmp_path / "a.mov", 10.0, 3840, 2160, has_video=True, has_audio=True, fps=30,
                         color_transfer=transfer, color_primaries="bt2020" if transfer else "",
                         pix_fmt="yuv420p10le" if transfer else "yuv420p")
        tl = plan_render(job, [info], 0.0, 0.0)
        return build_render(tl, job.platforms, {"tiktok": "/o/t.mp4", "youtube": "/o/y.mp4"})

    hdr, sdr = argv("arib-std-b67"), argv("")
    assert "lut3d" in " ".join(hdr) and hdr[hdr.index("-filter_complex_threads") + 1] == "1"
    assert "lut3d" not in " ".join(sdr) and "-filter_complex_threads" not in sdr


def test_caption_layer_is_drawn_on_exactly_the_frames_where_captions_change(tmp_path: Path) -> None:
    import pysubs2

    from videokit.render.captionlayer import (ass_time_ms, caption_region, change_frames, layer_file,
                                              select_expression, write_layer_file)

    # libass draws frame n at int(n * (1/fps) * 1000) ms; an event shows while start <= t < end
    events = [(100, 1500), (1500, 1600), (2010, 2990)]
    frames = change_frames(events, 30, 90)
    shown = [tuple(s <= ass_time_ms(n, 30) < e for s, e in events) for n in range(90)]
    assert frames == [0] + [n for n in range(1, 90) if shown[n] != shown[n - 1]]
    assert change_frames([(0, 99_000)], 30, 90) == [0]  # an end past the body is no edge

    many = sorted({0, *range(3, 5000, 7), 4999})
    expr = select_expression(many)
    assert expr.count("if(") > 100 and len(expr) < 40 * len(many)  # a search tree, not one long sum
    # ffmpeg's expression language, as far as select_expression uses it, read as Python
    code = compile(expr.replace("if(", "_if(").replace("lt(", "_lt(").replace("eq(", "_eq("), "select", "eval")
    ops = {"_if": lambda c, a, b: a if c else b, "_lt": lambda a, b: a < b, "_eq": lambda a, b: a == b}
    assert [n for n in range(5001) if eval(code, {**ops, "n": n})] == many

    ass = tmp_path / "c.ass"
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": "1080", "PlayResY": "1920"})
    subs.styles["Default"] = pysubs2.SSAStyle(fontsize=91, outline=4, shadow=2, marginv=670,
                                              backcolor=pysubs2.Color(0, 0, 0, 110),
                                              alignment=pysubs2.Alignment.BOTTOM_CENTER)
    subs.append(pysubs2.SSAEvent(start=0, end=1000, text="zwei\\NZeilen"))
    subs.save(str(ass))
    region = caption_region(subs, 1080, 1920)
    assert region.w == 1080 and region.y % 2 == 0 and region.h % 2 == 0
    assert region.y < 1920 - 670 - 2 * 91 and region.y + region.h > 1920 - 670 and region.y + region.h <= 1920
    layer = write_layer_file(ass)
    assert layer == layer_file(ass)
    copy = pysubs2.load(str(layer))
    # o² is what ffmpeg's blend makes of an opacity o: the copy carries sqrt(0.569) = 0.754 (ASS alpha 63)
    assert copy.styles["Default"].backcolor.a == 63
    # its canvas is the band: the text keeps its distance from the band's bottom, the band its place in the frame
    assert (copy.info["PlayResX"], copy.info["PlayResY"], copy.info["VideokitBandTop"]) == \
        ("1080", str(region.h), str(region.y))
    assert region.h - copy.styles["Default"].marginv == 1920 - 670 - region.y
    assert pysubs2.load(str(ass)).styles["Default"].backcolor.a == 110  # the original stays as written
    subs.append(pysubs2.SSAEvent(start=0, end=1000, text="{\\pos(10,10)}oben"))
    assert caption_region(subs, 1080, 1920) == type(region)(1080, 1920)  # placed elsewhere: the whole frame
    subs.append(pysubs2.SSAEvent(start=0, end=1000, text="{\\fad(200,200)}blendet"))
    subs.save(str(ass))
    layer.unlink()
    assert write_layer_file(ass) is None and not layer.exists()  # animated: libass draws every frame


def test_long_filtergraphs_of_side_by_side_processes_spill_to_their_own_files(tmp_path: Path) -> None:
    """An hour's cut list makes a graph longer than one argument may be: it goes into a script file. The picture
    and the sound run side by side, so each has its own file (one would overwrite the other before it is read)."""
    from videokit.render.run import MAX_INLINE_FILTERGRAPH, spill_filtergraph

    picture = ["ffmpeg", "-filter_complex", "null" + ",null" * MAX_INLINE_FILTERGRAPH, "out.mp4"]
    sound = ["ffmpeg", "-filter_complex", "anull" + ",anull" * MAX_INLINE_FILTERGRAPH, "out.m4a"]
    short = ["ffmpeg", "-filter_complex", "null", "o.mp4"]
    assert spill_filtergraph(short, tmp_path) == short
    a, b = spill_filtergraph(picture, tmp_path), spill_filtergraph(sound, tmp_path, "sound")
    assert "-filter_complex" not in a and a[-1] == "out.mp4"
    scripts = [Path(argv[argv.index("-filter_complex_script") + 1]) for argv in (a, b)]
    assert scripts[0] != scripts[1]
    assert scripts[0].read_text(encoding="utf-8") == picture[2] and scripts[1].read_text(encoding="utf-8") == sound[2]
