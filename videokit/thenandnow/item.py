"""Render one then-and-now item for every platform: the pair planned as a Timeline with a stills body
(thenandnow/pacing.py), its photos and labels prepared, then rendered by the same graph builder as every job
(render/graph.py) and published by the same step (publish.py). A plain, importable function with no global state,
so a local process pool or a Dask cluster runs it as it is."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from videokit.brand import load_brand
from videokit.captions.formats import write_ass
from videokit.captions.segment import segment
from videokit.captions.transcribe import TranscribeOptions, transcribe_file
from videokit.cards import prepare_card
from videokit.errors import VideokitError
from videokit.graphics import draw_credit, draw_slider, draw_year_label
from videokit.plan import source_matrix
from videokit.channels import channel_presets
from videokit.platforms import Platform, fitted_to_size, get_platform
from videokit.probe import probe_clip, verify_demux
from videokit.publish import publish_checked
from videokit.reframe.segments import narrowest, needs_path, plan_segment
from videokit.render.encode import measure_program
from videokit.render.graph import build_render
from videokit.render.run import atomic_outputs, remove_stale_parts, run_ffmpeg
from videokit.scratch import work_dir
from videokit.templates import Template, load_template
from videokit.thenandnow.faces import place_labels
from videokit.thenandnow.manifest import PairItem
from videokit.thenandnow.pacing import CARD_SECONDS, plan_pair
from videokit.thenandnow.photos import PreparedPhoto, prepare_photo
from videokit.faceblur.plan import plan_blur
from videokit.timeline import AudioPlan, Card, ClipSegment, Cue, Output, Timeline
from videokit.tools import ffmpeg_bin


@dataclass(frozen=True, slots=True)
class PairSettings:
    platforms: tuple[str, ...]
    out_dir: str
    transition: str = "slider"
    duration: float = 10.0
    brand: str | None = None
    template: str | None = None
    music: bool = True
    subtitles: bool = True
    threads: int = 0
    blur_faces: str = "none"  # today's footage: bystanders' faces blurred (faceblur/), as `videokit render` does


@dataclass(slots=True)
class ItemResult:
    row: int
    title: str
    status: str  # "ok", "skipped" or "failed"
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""


def output_paths(item: PairItem, settings: PairSettings, stem: str) -> dict[str, Path]:
    return {p: Path(settings.out_dir) / f"{stem}_{p}.mp4" for p in settings.platforms}


def render_pair(item: PairItem, settings: PairSettings, stem: str) -> ItemResult:
    """Never raises for a bad item: the result says what went wrong (the batch goes on)."""
    started = time.perf_counter()
    try:
        outputs = _render(item, settings, stem)
        return ItemResult(item.row, item.title, "ok", [str(p) for p in outputs], time.perf_counter() - started)
    except (VideokitError, ValueError) as exc:
        message = exc.message if isinstance(exc, VideokitError) else str(exc)
        return ItemResult(item.row, item.title, "failed", [], time.perf_counter() - started, message)


def _render(item: PairItem, settings: PairSettings, stem: str) -> list[Path]:
    brand = load_brand(settings.brand)
    tpl = load_template(settings.template)
    presets = channel_presets(brand, tpl)
    platforms = [get_platform(p, presets) for p in settings.platforms]
    fps = tpl.fps
    now_clip = None
    if not item.now_is_photo:
        info = probe_clip(item.now)
        verify_demux(item.now)
        now_clip = ClipSegment(str(item.now), 0.0, info.duration, info.width, info.height, info.has_audio,
                               info.color_transfer if info.is_hdr else "", info.is_vfr, source_matrix(info))
        frame = narrowest([p for p in platforms if needs_path(now_clip, p)])
        if frame is not None:  # today's footage follows its subject, like --fit auto
            plan_segment(now_clip, frame)
    intro = Card("intro", item.title, CARD_SECONDS)
    outro = Card("outro", "", CARD_SECONDS)
    timeline = plan_pair(settings.duration, settings.transition, fps, intro, outro, now_clip,
                         AudioPlan(tpl.loudness, tpl.true_peak),
                         str(brand.music) if settings.music and brand.music else None, item.title, stem)
    if settings.blur_faces != "none" and timeline.clips:  # on the seconds of today's clip the pair shows
        plan_blur(timeline.clips, settings.blur_faces, [], [])
    stills = timeline.stills
    assert stills is not None
    finals = output_paths(item, settings, stem)
    timeline.outputs = [Output(p.name, p.width, p.height, str(finals[p.name])) for p in platforms]
    platforms = [fitted_to_size(p, timeline.total_duration) for p in platforms]  # a size cap: the bitrate fitted
    timeline.encoder = {"preset": tpl.preset, "crf": tpl.crf, "threads": settings.threads}
    remove_stale_parts(finals.values())  # a worker that died on this item before left its temp files
    work = work_dir("pair")
    try:
        sizes = {p.name: p.size for p in platforms}
        then_files = prepare_photo(item.then, sizes, item.focus, work)
        now_files = prepare_photo(item.now, sizes, item.focus, work) if item.now_is_photo else {}
        fonts = work / "fonts"
        fonts.mkdir()
        for font in set(brand.fonts.values()):
            shutil.copy(font, fonts / font.name)
        cues = _speech_cues(timeline, tpl, settings) if now_clip is not None else {}
        for p in platforms:
            files = {"then": str(then_files[p.name].path), "fonts": str(fonts),
                     "then_label": str(draw_year_label(brand, p, item.year_then, item.place, work / f"then-{p.name}.png")),
                     "now_label": str(draw_year_label(brand, p, item.year_now, "", work / f"now-{p.name}.png")),
                     "slider": str(draw_slider(brand, p, work / f"slider-{p.name}.png"))}
            if item.credit:
                files["credit"] = str(draw_credit(brand, p, item.credit, work / f"credit-{p.name}.png"))
            if item.now_is_photo:
                files["now"] = str(now_files[p.name].path)
            if cues.get(p.vertical):
                ass = write_ass(cues[p.vertical], work / f"captions-{p.name}.ass", p, brand, tpl.caption_style(p.vertical))
                files["captions"] = str(ass)
            stills.files[p.name] = files
            stills.moves[p.name], stills.places[p.name] = _layout(p, files, then_files[p.name], now_files.get(p.name))
            for card in (intro, outro):
                prepare_card(brand, p, card, fps)
        measure_program(timeline, ())
        Path(settings.out_dir).mkdir(parents=True, exist_ok=True)
        with atomic_outputs(finals) as temps:
            argv = build_render(timeline, platforms, {k: str(v) for k, v in temps.items()}, ffmpeg_bin())
            run_ffmpeg(argv, timeline.total_duration, f"row {item.row}", [str(item.then), str(item.now)],
                       progress=False)
            publish_checked(temps, finals, platforms, timeline, workers=1)
        return list(finals.values())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _layout(platform: Platform, files: dict[str, str], then: PreparedPhoto, now: PreparedPhoto | None,
            ) -> tuple[dict[str, tuple[float, float, float]], dict[str, tuple[int, int]]]:
    """Each photo's Ken Burns move, and each label at the first corner of the safe area where it covers no face
    (the year and place prefer the top left, the credit the bottom left)."""
    from PIL import Image

    moves = {"then": (*then.framing.anchor, then.framing.zoom)}
    if now is not None:
        moves["now"] = (*now.framing.anchor, now.framing.zoom)
    s = platform.safe
    frame = (platform.width, platform.height)

    def corners(w: int, h: int, bottom_first: bool, heads: tuple[tuple[float, ...], ...]) -> list[tuple[int, int]]:
        """The four corners of the safe area first; then, for a label as wide as the faces leave no corner free,
        the bands just above and below the faces, left, centred and right."""
        top, bottom = s.top + 10, s.bottom - max(60, h)
        spots = [(s.left, top), (s.right - w, top), (s.left, bottom), (s.right - w, bottom)]
        spots = spots[2:] + spots[:2] if bottom_first else spots
        if heads:
            above = round(min(b[1] for b in heads) * platform.height) - h - 20
            below = round(max(b[3] for b in heads) * platform.height) + 20
            for y in (below, above):
                if top <= y <= s.bottom - h:
                    spots += [(s.left, y), ((platform.width - w) // 2, y), (s.right - w, y)]
        return spots

    sizes = {role: Image.open(files[role]).size for role in ("then_label", "credit", "now_label") if role in files}
    then_roles = {r: sizes[r] for r in ("then_label", "credit") if r in sizes}
    now_heads = now.framing.heads if now is not None else ()
    places = place_labels(then_roles, {r: corners(*sizes[r], r == "credit", then.framing.heads) for r in then_roles},
                          then.framing.heads, frame)
    places |= place_labels({"now_label": sizes["now_label"]},
                           {"now_label": corners(*sizes["now_label"], False, now_heads)}, now_heads, frame)
    return moves, places


def _speech_cues(timeline: Timeline, tpl: Template, settings: PairSettings) -> dict[bool, list[Cue]]:
    """Subtitles for today's clip when it has speech, on body time (the clip starts when the reveal does)."""
    seg = timeline.clips[0] if timeline.clips else None
    if not settings.subtitles or seg is None or not seg.has_audio or timeline.stills is None:
        return {}
    words = transcribe_file(seg.path, TranscribeOptions(), 0.0, seg.duration)
    then_alone = timeline.stills.then_alone
    for w in words:
        w.start, w.end = round(w.start + then_alone, 3), round(w.end + then_alone, 3)
    if not words:
        return {}
    return {v: segment(words, tpl.caption_style(v), timeline.fps) for v in (True, False)}
