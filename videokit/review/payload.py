"""What the review page shows, as one JSON document: served by the editor (/api/project) and embedded in a
podcast's static review.html, so both pages are the same page with the same data."""

from __future__ import annotations

from typing import Any

from videokit.review.project import UNSURE, Project
from videokit.templates import CaptionStyle


def caption_limits(style: CaptionStyle) -> dict[str, float]:
    return {"max_chars_per_line": style.max_chars_per_line, "max_lines": style.max_lines, "max_cps": style.max_cps,
            "min_duration": style.min_duration, "max_duration": style.max_duration}


def cue_speakers(project: Project) -> list[str] | None:
    """Each cue's speaker, for a podcast; None for a news job."""
    if project.speakers is None:
        return None
    return [project.speakers.label_at(cue.start) for cue in project.cues]


def page_data(project: Project, title: str, style: CaptionStyle, video: str | None, glossary: list[str],
              chapters: str | None) -> dict[str, Any]:
    """Times on the video's clock (body time + intro), as the viewer sees them."""
    intro = project.intro
    speakers = cue_speakers(project)
    cues = [{"start": round(c.start + intro, 3), "end": round(c.end + intro, 3), "text": "\n".join(c.lines)}
            for c in project.cues]
    if speakers is not None:
        for cue, who in zip(cues, speakers):
            cue["speaker"] = who
    return {
        "name": project.name, "title": title, "video": video, "intro": intro, "style": caption_limits(style),
        "unsure": UNSURE, "cues": cues,
        "words": [{"text": w.text, "start": round(w.start + intro, 3), "end": round(w.end + intro, 3),
                   "p": w.probability} for w in project.words],
        "glossary": glossary, "chapters": chapters,
        "speakers": list(project.speakers.labels.values()) if project.speakers is not None else None,
    }
