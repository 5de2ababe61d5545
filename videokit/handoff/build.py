"""Timeline × platform → an OpenTimelineIO timeline: videokit's edit, not its pixels.

Tracks: V1 the cards and the source clips with their in/out points (every kept range of the podcast's silence
cutting its own clip, so a cut can be moved), V2 the titles and lower thirds as PNG overlays at their times, A1
the program audio (the clips' own sound). Markers carry chapters and speaker turns. The reframing is recorded on
each source clip as metadata (neither format has a transform a Resolve/Premiere import applies reliably).
Pure apart from reading nothing: media paths are given, the writer copies the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import opentimelineio as otio

from videokit.platforms import Platform
from videokit.render.geometry import cover_crop, fit_inside, same_aspect
from videokit.timeline import ClipSegment, Timeline

# marker colours per kind, from OTIO's fixed palette
MARKER_COLOURS = {"chapter": otio.schema.MarkerColor.GREEN, "speaker": otio.schema.MarkerColor.BLUE}


@dataclass(frozen=True, slots=True)
class TimelineMarker:
    """A point on output time (seconds from the start of the video) worth seeing in the editor."""

    seconds: float
    name: str
    kind: str = "chapter"  # "chapter" or "speaker"


def frames(seconds: float, fps: int) -> int:
    return round(seconds * fps)


def rt(n_frames: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(n_frames, fps)


def build_otio(timeline: Timeline, platform: Platform, media_url: Callable[[str], str],
               source_seconds: dict[str, float], markers: list[TimelineMarker] = ()) -> otio.schema.Timeline:
    """`media_url` turns a local path into the reference the target format wants; `source_seconds` gives each
    source clip's full length (the editor may extend a trim into it)."""
    fps = timeline.fps
    out = otio.schema.Timeline(name=f"{timeline.slug}_{platform.name}")
    out.global_start_time = rt(0, fps)
    video, overlays = otio.schema.Track("V1", kind=otio.schema.TrackKind.Video), \
        otio.schema.Track("V2", kind=otio.schema.TrackKind.Video)
    audio = otio.schema.Track("A1", kind=otio.schema.TrackKind.Audio)
    out.tracks.extend([video, overlays, audio])
    out.tracks.metadata["videokit"] = {"platform": platform.name, "width": platform.width, "height": platform.height}

    def card(kind: str) -> None:
        c = timeline.intro if kind == "intro" else timeline.outro
        if c is None:
            return
        n = frames(c.duration, fps)
        ref = otio.schema.ExternalReference(target_url=media_url(c.files[platform.name]),
                                            available_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps)))
        video.append(otio.schema.Clip(name=f"{kind} card", media_reference=ref,
                                      source_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps)),
                                      metadata={"videokit": {"kind": f"{kind} card"}}))
        audio.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps))))

    card("intro")
    for seg in timeline.clips:
        for start, n in source_pieces(seg, fps):
            media = seg.still_image or seg.path
            ref = otio.schema.ExternalReference(
                target_url=media_url(media),
                available_range=otio.opentime.TimeRange(rt(0, fps), rt(frames(source_seconds.get(seg.path, 0.0)
                                                                           or seg.start + seg.duration, fps), fps)))
            piece = otio.opentime.TimeRange(rt(start, fps), rt(n, fps))
            meta = {"videokit": {"reframe": reframe_note(seg, platform, timeline.fit, timeline.focus_x)}}
            video.append(otio.schema.Clip(name=_name(media), media_reference=ref, source_range=piece, metadata=meta))
            if seg.has_audio:
                audio_ref = otio.schema.ExternalReference(target_url=media_url(seg.path),
                                                          available_range=ref.available_range)
                audio.append(otio.schema.Clip(name=_name(seg.path), media_reference=audio_ref, source_range=piece))
            else:
                audio.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps))))
    card("outro")
    _fill_overlays(overlays, timeline, platform, media_url)
    for marker in markers:
        out.tracks.markers.append(otio.schema.Marker(
            name=marker.name, color=MARKER_COLOURS.get(marker.kind, otio.schema.MarkerColor.RED),
            marked_range=otio.opentime.TimeRange(rt(frames(marker.seconds, fps), fps), rt(0, fps)),
            metadata={"videokit": {"kind": marker.kind}}))
    return out


def source_pieces(seg: ClipSegment, fps: int) -> list[tuple[int, int]]:
    """(first source frame, frame count) of every piece of the clip the video shows, in source frames at the
    output rate: each kept range of the silence cutting, or the one trimmed range."""
    if not seg.keep:
        return [(frames(seg.start, fps), frames(seg.duration, fps))]
    return [(frames(a, fps), frames(b, fps) - frames(a, fps)) for a, b in seg.keep if frames(b, fps) > frames(a, fps)]


def reframe_note(seg: ClipSegment, platform: Platform, fit: str, focus_x: float) -> dict[str, object]:
    """How the picture sits in the platform frame, in source pixels: what the editor must redo by hand."""
    W, H = platform.size
    if same_aspect(seg.width, seg.height, W, H):
        return {"fit": "scale", "source": [seg.width, seg.height], "frame": [W, H]}
    if fit == "crop":
        r = cover_crop(seg.width, seg.height, W, H, focus_x)
        return {"fit": "crop", "source": [seg.width, seg.height], "frame": [W, H],
                "crop": {"x": r.x, "y": r.y, "w": r.w, "h": r.h}, "focus_x": focus_x}
    r = fit_inside(seg.width, seg.height, W, H)
    return {"fit": "blur", "source": [seg.width, seg.height], "frame": [W, H],
            "picture": {"x": r.x, "y": r.y, "w": r.w, "h": r.h}, "background": "the picture, blurred, filling the frame"}


def _fill_overlays(track: otio.schema.Track, timeline: Timeline, platform: Platform,
                   media_url: Callable[[str], str]) -> None:
    """Titles and lower thirds as still clips at their output times, gaps between."""
    fps = timeline.fps
    layers: list[tuple[int, int, str, str]] = []  # start frame, frames, png, name
    intro = timeline.intro
    if intro is not None and intro.titles.get(platform.name):
        title = intro.titles[platform.name]
        layers.append((frames(title["start"], fps), frames(intro.duration - title["start"], fps), title["png"],
                       "title"))
    offset = timeline.intro_duration
    for lt in timeline.lower_thirds:
        png = lt.files.get(platform.name)
        if png:
            layers.append((frames(offset + lt.start, fps), frames(lt.end - lt.start, fps), png, f"{lt.name} – {lt.role}"))
    position = 0
    for start, n, png, name in sorted(layers):
        start = max(start, position)
        if start > position:
            track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0, fps), rt(start - position, fps))))
        ref = otio.schema.ExternalReference(target_url=media_url(png),
                                            available_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps)))
        track.append(otio.schema.Clip(name=name, media_reference=ref,
                                      source_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps)),
                                      metadata={"videokit": {"kind": "overlay", "png": True}}))
        position = start + n


def _name(path: str) -> str:
    from pathlib import Path

    return Path(path).name
