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

from videokit.geometry import cover_crop, fit_inside, same_aspect
from videokit.platforms import Platform
from videokit.timeline import ClipSegment, Timeline

# marker colours per kind, from OTIO's fixed palette; FCP7 XML has none, its markers say the kind in a comment
MARKER_COLOURS = {"chapter": otio.schema.MarkerColor.GREEN, "speaker": otio.schema.MarkerColor.BLUE}
MARKER_KINDS = {"chapter": "Kapitel", "speaker": "Sprecherwechsel"}
AUDIO_LEVEL_MAX = 3.98109  # FCP7's Audio Levels maximum: +12 dB


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
    out.metadata.update(sequence_format(platform, fps))
    gain = timeline.audio.gain_db if timeline.audio.measured is not None else 0.0

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
            note = reframe_note(seg, platform, timeline.fit, timeline.focus_x)
            # FCP7 has no reliable transform either: the note goes into the clip's comments, where editors show it
            meta = {"videokit": {"reframe": note}, "fcp_xml": {"comments": {"mastercomment1": note_text(note)}}}
            video.append(otio.schema.Clip(name=_name(media), media_reference=ref, source_range=piece, metadata=meta))
            if seg.has_audio:
                audio_ref = otio.schema.ExternalReference(target_url=media_url(seg.path),
                                                          available_range=ref.available_range)
                audio.append(otio.schema.Clip(name=_name(seg.path), media_reference=audio_ref, source_range=piece,
                                              metadata=audio_level(gain)))
            else:
                audio.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0, fps), rt(n, fps))))
    card("outro")
    _fill_overlays(overlays, timeline, platform, media_url)
    for marker in markers:
        out.tracks.markers.append(otio.schema.Marker(
            name=marker.name, color=MARKER_COLOURS.get(marker.kind, otio.schema.MarkerColor.RED),
            marked_range=otio.opentime.TimeRange(rt(frames(marker.seconds, fps), fps), rt(0, fps)),
            # FCP7 markers have no colour: the kind goes into the marker's comment
            metadata={"videokit": {"kind": marker.kind}, "fcp_xml": {"comment": MARKER_KINDS.get(marker.kind, "")}}))
    return out


def sequence_format(platform: Platform, fps: int) -> dict[str, object]:
    """The frame size in both formats: OTIO metadata, and the FCP7 sequence's <format> (without it a vertical
    timeline imports as 1920x1080, pillarboxed)."""
    characteristics = {"rate": {"timebase": str(fps), "ntsc": "FALSE"}, "width": str(platform.width),
                       "height": str(platform.height), "anamorphic": "FALSE", "pixelaspectratio": "square",
                       "fielddominance": "none"}
    return {"fcp_xml": {"media": {"video": {"format": {"samplecharacteristics": characteristics}}}},
            "resolution": {"width": platform.width, "height": platform.height, "rate": fps}}


def note_text(note: dict[str, object]) -> str:
    """The reframing in one line a person reads in the editor's comment column."""
    box = note.get("crop") or note.get("picture")
    where = f" {box['w']}x{box['h']} at {box['x']},{box['y']}" if isinstance(box, dict) else ""
    return f"videokit: {note['fit']}{where} of {note['source'][0]}x{note['source'][1]} into {note['frame'][0]}x{note['frame'][1]}"


def audio_level(gain_db: float) -> dict[str, object]:
    """The program's loudness gain as the clip's level: FCP7's Audio Levels filter (linear, at most +12 dB), and in
    OTIO as metadata (OTIO has no level the editors read)."""
    linear = min(10 ** (gain_db / 20), AUDIO_LEVEL_MAX)
    level = {"parameterid": "level", "name": "Level", "valuemin": "0", "valuemax": f"{AUDIO_LEVEL_MAX:.5f}",
             "value": f"{linear:.5f}"}
    effect = {"name": "Audio Levels", "effectid": "audiolevels", "effectcategory": "audiolevels",
              "effecttype": "audiolevels", "mediatype": "audio", "parameter": level}
    return {"videokit": {"gain_db": round(gain_db, 2)}, "fcp_xml": {"filter": {"effect": effect}}}


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
