"""review.html: the transcript next to the episode video; a click on a time plays the video from there.

Plain HTML and a few lines of script, opened straight from the folder (no server): the editor checks names and
terms, words Whisper was unsure about are marked, then fixes the SRT and renders again with --subtitles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from videokit.plan.podcast import Chapter, sentences, voice_at, youtube_timestamp
from videokit.textfile import write_text_atomic
from videokit.timeline import Word

UNSURE = 0.5  # word probability under which the editor should listen again

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Prüfen: {{ title }}</title>
<style>
 body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;height:100vh}
 #player{flex:0 0 55%;padding:16px;box-sizing:border-box;background:#111;color:#eee}
 video{width:100%} #text{flex:1;overflow:auto;padding:16px 24px}
 button.t{font:inherit;font-size:13px;border:0;background:#e8eef5;border-radius:4px;cursor:pointer;margin-right:6px}
 h3{margin:18px 0 4px;font-size:15px;color:{{ accent }}} mark{background:#ffe08a}
 .chapters button{display:block;margin:4px 0;background:none;color:#9cf;border:0;cursor:pointer;font:inherit}
 p{margin:2px 0}
</style></head><body>
<div id="player"><h2>{{ title }}</h2>
<video id="v" src="{{ video }}" controls preload="metadata"></video>
<p>Markiert: Wörter, bei denen die Spracherkennung unsicher war. Untertitel korrigieren in {{ srt }} und mit
<code>--subtitles</code> neu rendern.</p>
<div class="chapters"><h3>Kapitel</h3>{% for c in chapters %}
<button data-t="{{ c.seconds }}">{{ c.stamp }} {{ c.title }}</button>{% endfor %}</div></div>
<div id="text">{% for para in paragraphs %}<h3>{{ para.speaker }}</h3>{% for s in para.sentences %}
<p><button class="t" data-t="{{ s.seconds }}">{{ s.stamp }}</button>{% for w in s.words %}{% if w.unsure %}<mark title="unsicher ({{ w.p }})">{{ w.text }}</mark>{% else %}{{ w.text }}{% endif %} {% endfor %}</p>{% endfor %}{% endfor %}
</div>
<script>
const v=document.getElementById('v');
document.querySelectorAll('[data-t]').forEach(b=>b.addEventListener('click',()=>{v.currentTime=+b.dataset.t;v.play();}));
</script></body></html>
"""


@dataclass(frozen=True, slots=True)
class ReviewPage:
    title: str
    video: str  # file name of the episode, next to the page
    srt: str
    accent: str = "#0b5394"


def write_review(page: ReviewPage, words: list[Word], turns: list[tuple[float, float, int]], names: dict[int, str],
                 chapters: list[Chapter], offset: float, path: Path) -> Path:
    """`words` and `turns` on body time; `offset` (the intro) moves them to the video's time."""
    paragraphs: list[dict[str, object]] = []
    for sentence in sentences(words):
        voice = voice_at(turns, sentence[0].start)
        speaker = names.get(voice, f"Stimme {(voice or 0) + 1}") if voice is not None else "Stimme 1"
        if not paragraphs or paragraphs[-1]["speaker"] != speaker:
            paragraphs.append({"speaker": speaker, "sentences": []})
        at = sentence[0].start + offset
        paragraphs[-1]["sentences"].append({  # type: ignore[union-attr]
            "seconds": round(at, 2), "stamp": youtube_timestamp(at),
            "words": [{"text": w.text.strip(), "unsure": w.probability < UNSURE, "p": f"{w.probability:.2f}"}
                      for w in sentence],
        })
    html = Environment(autoescape=True).from_string(PAGE).render(
        title=page.title, video=page.video, srt=page.srt, accent=page.accent, paragraphs=paragraphs,
        chapters=[{"seconds": c.start, "stamp": youtube_timestamp(c.start), "title": c.title} for c in chapters])
    return write_text_atomic(path, html)
