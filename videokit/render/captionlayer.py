"""Burned captions drawn once per caption change and laid over the picture, not drawn into every frame.

libass's blend into a YUV frame is plain C, per pixel and per layer (shadow, outline, fill): 2.3 ms for each
1080x1920 frame showing two lines, on the filter thread the encoders wait for. A caption stays on screen for
dozens of frames unchanged, so the layer is drawn only on the frames where the set of shown events changes (a
transparent canvas, libass writing alpha) and ffmpeg's overlay, SIMD, holds it over the frames in between, on
the caption band only. The same pixels as libass's own blend (tests/test_render.py compares every frame).

Two things make a transparent canvas differ from drawing into the picture, both handled here:
- ffmpeg's blend leaves the canvas's colour premultiplied (drawn towards its black): `unpremultiply` undoes it;
- it blends a translucent colour's alpha into the alpha plane with its opacity twice (o²): the layer's copy of
  the ASS file carries the square root of each style colour's opacity, so o² is the opacity the style asks for.
Files whose events animate or set alpha by tag are burned frame by frame as before (write_ass writes neither).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import ffmpeg
import pysubs2

from videokit.geometry import Rect
from videokit.render.pieces import SharedStreams

# frames of the select expression's leaves: a search tree of if(lt(n,..)) over these keeps it a few comparisons
# a frame for an hour of word-by-word highlights (tens of thousands of edges)
LEAF = 8
# room kept around the text beyond its lines (a line is the font size tall) and its outline and shadow: measured,
# two lines of Open Sans with umlauts and descenders reach 0.97 font sizes a line above the baseline, 2 px below
REGION_SLACK = 0.25
BAND_TOP = "VideokitBandTop"  # Script Info key of the layer copy: where its canvas sits in the frame
BOTTOM_ALIGNED = (1, 2, 3)  # ASS numpad alignments along the bottom edge
# override tags that change an event while it is shown, or set alpha (which the o² rule above cannot follow)
FRAME_BY_FRAME = re.compile(r"\\(t\(|fade?\(|move\(|[kK][fo]?\d|alpha|\da)")
PLACED = re.compile(r"\\(pos|move|an?\d|org)")
COLOURS = ("primarycolor", "secondarycolor", "outlinecolor", "backcolor")


def layer_file(ass_file: str | Path) -> Path:
    return Path(ass_file).with_suffix(".layer.ass")


def write_layer_file(ass_file: Path) -> Path | None:
    """The layer's copy of an ASS file, or None when the file must be burned frame by frame. The copy's canvas is
    the caption band: PlayRes equal to the canvas keeps libass's scale at 1, so with the bottom margin moved by the
    band's distance from the frame's bottom, every glyph lands on the same pixels, offset by the band's top (noted
    in the copy). Opacities become their square roots (see above)."""
    subs = pysubs2.load(str(ass_file), encoding="utf-8")
    W, H = int(subs.info.get("PlayResX", 0)), int(subs.info.get("PlayResY", 0))
    if not W or not H or any(FRAME_BY_FRAME.search(e.text) for e in subs.events):
        return None
    band = caption_region(subs, W, H)
    subs.info["PlayResY"] = str(band.h)
    subs.info[BAND_TOP] = str(band.y)
    for style in subs.styles.values():
        style.marginv -= H - (band.y + band.h)
        for name in COLOURS:
            colour = getattr(style, name)
            opacity = 1 - colour.a / 255
            setattr(style, name, pysubs2.Color(colour.r, colour.g, colour.b, round(255 * (1 - math.sqrt(opacity)))))
    path = layer_file(ass_file)
    subs.save(str(path), encoding="utf-8")
    return path


def burn_captions(body: Any, ass_file: str, fps: int, n_frames: int, shared: SharedStreams | None = None) -> Any:
    """`body` with the ASS file's captions burned in: through the caption layer when write_layer_file wrote its
    copy, else by libass into every frame."""
    fonts = str(Path(ass_file).parent / "fonts")
    layer_ass = layer_file(ass_file)
    if not layer_ass.is_file():
        return body.filter("ass", filename=ass_file, fontsdir=fonts)
    subs = pysubs2.load(str(layer_ass), encoding="utf-8")
    edges = change_frames([(e.start, e.end) for e in subs.events if not e.is_comment], fps, n_frames)
    W, h, top = int(subs.info["PlayResX"]), int(subs.info["PlayResY"]), int(subs.info[BAND_TOP])
    source = f"color=c=black@0:s={W}x{h}:r={fps}:d={n_frames / fps:.6f},format=yuva420p"
    expression = select_expression(edges)

    def canvas() -> Any:  # transparent from the source on (a format filter after the lavfi input would lose alpha)
        return ffmpeg.input(source, f="lavfi").video.filter("select", expr=expression)

    # two pictures of one width with the same captions (9:16 and 4:5) share the canvas, split
    layer = (
        (shared.get(f"captions {source} {expression}", canvas) if shared is not None else canvas())
        .filter("ass", filename=str(layer_ass), fontsdir=fonts, alpha=1)
        .filter("unpremultiply", inplace=1)
        # half a frame early on a finer clock: each drawing is in force from its own frame on, whatever rounding
        # the picture's timestamps went through (a concat works in microseconds)
        .filter("settb", expr=f"1/{2 * fps}")
        .filter("setpts", expr="max(PTS-1,0)")
    )
    return body.overlay(layer, x=0, y=top, format="yuv420", eof_action="repeat")


def ass_time_ms(frame: int, fps: int) -> int:
    """The time libass is asked to draw frame `frame` at: vf_ass computes pts * (1/fps) * 1000 in double
    precision and truncates it (so frame 111 at 30 fps is 3699 ms, not 3700)."""
    return int(frame * (1 / fps) * 1000)


def change_frames(events: list[tuple[int, int]], fps: int, n_frames: int) -> list[int]:
    """The frames (of n_frames) whose shown events differ from the frame before, and frame 0. An event (start,
    end in ms) is shown at libass time t when start <= t < end."""
    frames = {0}
    for edge in {t for event in events for t in event}:
        n = max(0, edge * fps // 1000 - 1)
        while n < n_frames and ass_time_ms(n, fps) < edge:
            n += 1
        if n < n_frames:
            frames.add(n)
    return sorted(frames)


def select_expression(frames: list[int]) -> str:
    """select's expression true exactly on these frames: a balanced search tree, so an hour's edges cost a
    frame a dozen comparisons, not one per edge."""
    if len(frames) <= LEAF:
        return "+".join(f"eq(n,{f})" for f in frames) or "0"
    mid = len(frames) // 2
    return f"if(lt(n,{frames[mid]}),{select_expression(frames[:mid])},{select_expression(frames[mid:])})"


def caption_region(subs: pysubs2.SSAFile, W: int, H: int) -> Rect:
    """The full-width band the captions can reach: up from the bottom margin by the most lines any event has,
    with slack for outline, shadow and glyphs beyond the line. The whole frame when a style or event places text
    elsewhere."""
    if any(PLACED.search(e.text) for e in subs.events) or not subs.styles:
        return Rect(W, H)
    lines = max((e.text.count("\\N") + 1 for e in subs.events), default=1)
    top, bottom = float(H), 0.0
    for style in subs.styles.values():
        if int(style.alignment) not in BOTTOM_ALIGNED:
            return Rect(W, H)
        edge = 2 * (style.outline + style.shadow) + style.fontsize * REGION_SLACK
        baseline = H - style.marginv
        top = min(top, baseline - style.fontsize * lines - edge)
        bottom = max(bottom, baseline + edge)
    y = max(0, int(top)) // 2 * 2
    return Rect(W, min(H, int(bottom) + 2) // 2 * 2 - y, 0, y)
