"""What a channel takes beside the video: an alt text for its description field (Mastodon, Bluesky, Pixelfed,
LinkedIn), and for the city's own site a poster JPEG and a `<video>` snippet with its caption track."""

from __future__ import annotations

import html
import re
from pathlib import Path

from videokit.platforms import Platform
from videokit.render.run import run_ffmpeg, temp_output
from videokit.textfile import write_text_atomic
from videokit.timeline import Cue
from videokit.tools import ffmpeg_bin

# a sentence ends at . ! ? … after a word, before a capital: "Ab dem 15. Mai" is one sentence
SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?…])\s+(?=[A-ZÄÖÜ\"„»])")
ALT_SENTENCES = 3  # "the title and the first sentences": a description, not the transcript (that is its own file)
POSTER_AT = 2.0  # seconds into the body: the picture after the intro card, once the shot has settled


def alt_text(title: str, cues: list[Cue], limit: int) -> str:
    """The title and the first sentences spoken, whole sentences only, within `limit` characters (the title alone,
    cut at a word, when even it is longer)."""
    text = " ".join(" ".join(" ".join(c.lines) for c in cues).split())
    head = title.strip().rstrip(".:") if title.strip() else ""
    described = f"Video: {head}." if head else "Video."
    if text:
        described += " Gesprochen:"
    if len(described) > limit:
        return _cut_at_word(described, limit)
    for sentence in [s for s in SENTENCE_END.split(text) if s][:ALT_SENTENCES]:
        if len(described) + 1 + len(sentence) > limit:
            break
        described += " " + sentence
    return described.removesuffix(" Gesprochen:")


def _cut_at_word(text: str, limit: int) -> str:
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" .,:;") + "…"


def write_alt_texts(platforms: list[Platform], title: str, cues: list[Cue], out_dir: Path,
                    name: str) -> list[Path]:
    """`<name>_<platform>.alt.txt` for each channel with a description field."""
    return [write_text_atomic(out_dir / f"{name}_{p.name}.alt.txt", alt_text(title, cues, p.alt_text) + "\n")
            for p in platforms if p.alt_text]


def write_poster(video: Path, at: float, path: Path) -> Path:
    """A JPEG of the video's frame at `at` seconds, written atomically (a page never links half a file)."""
    tmp = temp_output(path)
    try:
        run_ffmpeg([ffmpeg_bin(), "-nostdin", "-v", "error", "-y", "-ss", f"{at:.3f}", "-i", str(video),
                    "-frames:v", "1", "-q:v", "3", "-map_metadata", "-1", "-f", "image2", "-c:v", "mjpeg", str(tmp)],
                   0.0, f"poster of {video.name}", [str(video)], progress=False)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def video_snippet(title: str, video: str, width: int, height: int, poster: str | None, captions: str | None,
                  transcript: str | None, language: str = "de") -> str:
    """The `<video>` element for the city's site or app: native controls, the caption track on by default (the
    captions are not burned in), the poster while it loads, and the transcript linked for those who read."""
    esc = html.escape
    attrs = f'controls preload="metadata" playsinline width="{width}" height="{height}"'
    if poster:
        attrs += f' poster="{esc(poster)}"'
    lines = ['<figure class="videokit-video">', f"  <video {attrs}>",
             f'    <source src="{esc(video)}" type="video/mp4">']
    if captions:
        label = {"de": "Deutsch", "en": "English"}.get(language, language)
        lines.append(f'    <track kind="captions" src="{esc(captions)}" srclang="{esc(language)}" '
                     f'label="{esc(label)}" default>')
    fallback = f'<a href="{esc(video)}">{esc(title or video)}</a>'
    lines += [f"    {fallback}", "  </video>"]
    caption = esc(title)
    if transcript:
        caption += f' · <a href="{esc(transcript)}">Transkript</a>' if title else f'<a href="{esc(transcript)}">Transkript</a>'
    if caption:
        lines.append(f"  <figcaption>{caption}</figcaption>")
    lines.append("</figure>")
    return "\n".join(lines) + "\n"


def write_page_files(platform: Platform, video: Path, title: str, body_start: float, body_length: float,
                     captions: Path | None, transcript: Path | None, language: str = "de") -> list[Path]:
    """The poster and the snippet for a channel whose preset asks for them (`page`), beside its video."""
    written: list[Path] = []
    poster = None
    if "poster" in platform.page:
        poster = write_poster(video, body_start + min(POSTER_AT, body_length / 3), video.with_suffix(".jpg"))
        written.append(poster)
    if "html" in platform.page:
        snippet = video_snippet(title, video.name, platform.width, platform.height,
                                poster.name if poster else None,
                                captions.name if captions is not None and captions.is_file() else None,
                                transcript.name if transcript is not None and transcript.is_file() else None,
                                language)
        written.append(write_text_atomic(video.with_suffix(".html"), snippet))
    return written
