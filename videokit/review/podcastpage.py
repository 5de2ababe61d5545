"""review.html: the podcast's read-only review page, opened straight from the folder (no server).

It is the review editor's page with its data embedded: the same look, cues by speaker paragraph, words Whisper was
unsure about marked, chapters; a click on a time, a word or a chapter plays the episode (next to the page) from
there. Corrections are made in `videokit review <folder>`, which renders again.
"""

from __future__ import annotations

from pathlib import Path

from videokit.review.page import render_static_page
from videokit.review.payload import page_data
from videokit.review.project import Project
from videokit.templates import CaptionStyle
from videokit.textfile import write_text_atomic


def write_review(project: Project, title: str, style: CaptionStyle, video: str, chapters: str, accent: str,
                 path: Path) -> Path:
    data = page_data(project, title, style, video, [], chapters)
    return write_text_atomic(path, render_static_page(data, str(project.folder), accent))
