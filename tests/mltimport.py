"""An editor's import of an OTIO timeline, rendered by the MLT framework (`melt`, the engine under Kdenlive and
Shotcut): the test's stand-in for opening videokit's hand-off in real editing software.

Each OTIO track becomes an MLT playlist (clips with their in/out frames, gaps as blanks); the upper video tracks are
composited over V1 the way editors place a picture of another size: scaled to fit the frame and centred (MLT's
`composite` transition with `fill`, no distortion). The audio track is mixed in; the video tracks' own sound is
muted, as an editor links the A1 sound instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree as ET

import opentimelineio as otio


def mlt_xml(timeline: otio.schema.Timeline, width: int, height: int, fps: int) -> str:
    root = ET.Element("mlt")
    ET.SubElement(root, "profile", width=str(width), height=str(height), frame_rate_num=str(fps),
                  frame_rate_den="1", sample_aspect_num="1", sample_aspect_den="1", display_aspect_num=str(width),
                  display_aspect_den=str(height), progressive="1", colorspace="709")
    producers: dict[str, str] = {}
    playlists: list[tuple[str, bool]] = []
    for n, track in enumerate(timeline.tracks):
        playlist = ET.Element("playlist", id=f"track{n}")
        for item in track:
            frames = round(item.duration().to_frames())
            if isinstance(item, otio.schema.Gap):
                ET.SubElement(playlist, "blank", length=str(frames))
                continue
            path = unquote(urlparse(item.media_reference.target_url).path)
            if path not in producers:
                producers[path] = f"producer{len(producers)}"
                producer = ET.Element("producer", id=producers[path])
                ET.SubElement(producer, "property", name="resource").text = path
                if path.endswith(".png"):
                    ET.SubElement(producer, "property", name="length").text = "100000"
                root.append(producer)
            first = round(item.source_range.start_time.to_frames())
            ET.SubElement(playlist, "entry", producer=producers[path], **{"in": str(first),
                                                                           "out": str(first + frames - 1)})
        root.append(playlist)
        playlists.append((playlist.get("id"), track.kind == otio.schema.TrackKind.Audio))
    tractor = ET.SubElement(root, "tractor", id="main")
    multitrack = ET.SubElement(tractor, "multitrack")
    for name, is_audio in playlists:
        ET.SubElement(multitrack, "track", producer=name, hide="video" if is_audio else "audio")
    for n, (_name, is_audio) in enumerate(playlists[1:], 1):
        transition = ET.SubElement(tractor, "transition")
        properties = {"a_track": "0", "b_track": str(n), "always_active": "1"}
        if is_audio:
            properties.update({"mlt_service": "mix", "sum": "1"})
        else:
            properties.update({"mlt_service": "composite", "geometry": "0/0:100%x100%:100", "fill": "1",
                               "distort": "0", "halign": "centre", "valign": "centre", "progressive": "1"})
        for key, value in properties.items():
            ET.SubElement(transition, "property", name=key).text = value
    return ET.tostring(root, encoding="unicode")


def render_with_melt(timeline_file: Path, width: int, height: int, fps: int, out: Path) -> Path:
    """The timeline file as an editor would play it, encoded near-losslessly for frame comparisons."""
    project = out.with_suffix(".mlt")
    project.write_text(mlt_xml(otio.adapters.read_from_file(str(timeline_file)), width, height, fps),
                       encoding="utf-8")
    subprocess.run(["melt", "-quiet", str(project), "-consumer", f"avformat:{out}", "vcodec=libx264", "crf=10",
                    "preset=ultrafast", "acodec=aac", "pix_fmt=yuv420p", "real_time=0"],
                   check=True, capture_output=True, timeout=600)
    return out
