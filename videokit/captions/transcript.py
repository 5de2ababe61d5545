"""The full-text alternative (WCAG 1.2.3) beside the captions: `<name>.transcript.txt` and an accessible
`<name>.transcript.html` (language de, headings, speakers, chapter anchors, times), both from the cues (pure
text building; the caller writes the files)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from videokit.timeline import Cue

PARAGRAPH_PAUSE = 1.5  # seconds between two cues that start a new paragraph


@dataclass(slots=True)
class Paragraph:
    start: float  # video time
    text: str
    speaker: str | None = None


@dataclass(slots=True)
class Section:
    """A chapter (or the whole video when there are none) and its paragraphs."""

    title: str | None
    start: float
    paragraphs: list[Paragraph] = field(default_factory=list)


def paragraphs(cues: list[Cue], offset: float = 0.0,
               speaker_at: Callable[[float], str] | None = None) -> list[Paragraph]:
    """Cues joined into paragraphs: a new one where the speaker changes or after a pause. `offset`: body → video
    time (the intro); `speaker_at`: body time → the speaker's name (a podcast), or None."""
    out: list[Paragraph] = []
    last_end = None
    for cue in cues:
        who = speaker_at(cue.start) if speaker_at is not None else None
        text = " ".join(" ".join(cue.lines).split())
        if out and who == out[-1].speaker and last_end is not None and cue.start - last_end < PARAGRAPH_PAUSE:
            out[-1].text += " " + text
        else:
            out.append(Paragraph(round(cue.start + offset, 3), text, who))
        last_end = cue.end
    return out


def sections(paras: list[Paragraph], chapters: list[tuple[float, str]]) -> list[Section]:
    """Paragraphs under their chapters (video time); one untitled section without chapters."""
    if not chapters:
        return [Section(None, 0.0, list(paras))]
    out = [Section(title, start) for start, title in chapters]
    for p in paras:
        home = max((s for s in out if s.start <= p.start + 0.01), key=lambda s: s.start, default=out[0])
        home.paragraphs.append(p)
    return out


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def transcript_text(title: str, parts: list[Section]) -> str:
    lines = [title, "=" * len(title), ""]
    for part in parts:
        if part.title:
            lines += [f"{clock(part.start)} {part.title}", "-" * (len(part.title) + 6), ""]
        for p in part.paragraphs:
            lines += [f"[{clock(p.start)}] " + (f"{p.speaker}: " if p.speaker else "") + p.text, ""]
    return "\n".join(lines).rstrip() + "\n"


def transcript_html(title: str, parts: list[Section], video: str | None = None) -> str:
    """A page that stands alone: no script, no styles fetched, headings in order, a table of contents of the
    chapters with anchors, each paragraph with its time and speaker."""
    h = escape
    body: list[str] = [f"<h1>{h(title)}</h1>"]
    if video:
        body.append(f'<p>Abschrift des Videos <a href="{h(video)}">{h(video)}</a>.</p>')
    titled = [p for p in parts if p.title]
    if titled:
        body.append('<nav aria-label="Kapitel"><h2>Kapitel</h2><ol>')
        body += [f'<li><a href="#kapitel-{n}">{h(clock(p.start))} {h(p.title or "")}</a></li>'
                 for n, p in enumerate(parts, 1) if p.title]
        body.append("</ol></nav>")
    body.append("<main>")
    for n, part in enumerate(parts, 1):
        if part.title:
            body.append(f'<section aria-labelledby="kapitel-{n}"><h2 id="kapitel-{n}">'
                        f'<time datetime="PT{int(part.start)}S">{h(clock(part.start))}</time> {h(part.title)}</h2>')
        for p in part.paragraphs:
            who = f"<strong>{h(p.speaker)}:</strong> " if p.speaker else ""
            body.append(f'<p><time datetime="PT{int(p.start)}S">{h(clock(p.start))}</time> {who}{h(p.text)}</p>')
        if part.title:
            body.append("</section>")
    body.append("</main>")
    return ("<!doctype html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Abschrift: {h(title)}</title>"
            "<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
            "color:#111;background:#fff}time{color:#555;font-size:.9em;margin-right:.4em}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
