"""The editor page: video beside the cue list, keyboard-first, autosaved in the browser until saved to disk.

One HTML document with its script and style inline (nothing fetched from anywhere but this server). The cue list
is built once from /api/project with a DocumentFragment: a 60-minute episode (~9,000 words, ~1,300 cues) is ready
well under a second (benchmarks/review_speed.py).

The same page, read-only and with its data embedded, is a podcast's review.html: it opens from the folder without
a server (the video beside it, cues by speaker, unsure words marked, chapters) and looks like the editor.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

PAGE = r"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{{ "Prüfen" if static else "Untertitel prüfen" }}: {{ name }}</title>
<meta name="referrer" content="no-referrer">
<style>
 body{font:15px/1.45 system-ui,sans-serif;margin:0;display:flex;height:100vh;color:#222}
 #left{flex:0 0 46%;padding:14px;box-sizing:border-box;background:#111;color:#eee;overflow:auto}
 video{width:100%;max-height:60vh;background:#000}
 #right{flex:1;display:flex;flex-direction:column;min-width:0}
 #tools{padding:8px 12px;border-bottom:1px solid #ddd;display:flex;gap:6px;flex-wrap:wrap;align-items:center}
 #tools input{font:inherit;padding:3px 6px;width:11em}
 #cues{flex:1;overflow:auto;padding:6px 12px}
 .cue{display:flex;gap:10px;padding:5px 6px;border-radius:6px;border-left:4px solid transparent}
 .cue.now{background:#eef5ff;border-left-color:#2a6fd6}
 .cue.bad .stats{color:#c00;font-weight:600}
 .time{font:12px monospace;color:#555;cursor:pointer;white-space:nowrap;padding-top:3px}
 .text{flex:1;white-space:pre-wrap;outline:none;min-height:1.4em;padding:1px 4px;border-radius:4px}
 .text:focus{background:#fffbe6}
 .text mark{background:#ffd86b;border-radius:3px}
 .stats{font-size:12px;color:#666;white-space:nowrap;padding-top:3px}
 .ops button{font-size:11px;padding:0 4px}
 button{font:inherit;cursor:pointer}
 #status{font-size:13px;color:#555;margin-left:auto}
 #status.error{color:#c00;font-weight:600}
 .help{font-size:12px;color:#aaa}
 .cue{flex-wrap:wrap} .who{flex-basis:100%;font-weight:600;color:{{ accent }};margin-top:8px}
 .who select{font:inherit;font-weight:600;color:{{ accent }};border:1px solid #ccd;border-radius:4px}
 #chapterlist button{display:block;margin:3px 0;background:none;color:#9cf;border:0;cursor:pointer;text-align:left}
</style></head><body>
<div id="left">
 <h2 id="title">{{ name }}</h2>
 <video id="video" controls preload="metadata"></video>
{% if static %}
 <p class="help">Esc: Pause/Weiter und 2 s zurück · Strg+←/→: 5 s · Klick auf Zeit oder Wort: ab dort abspielen.
  Markiert: Wörter, bei denen die Spracherkennung unsicher war. Nur zum Lesen: korrigieren (Untertitel, Sprecher,
  Kapitel) und neu rendern mit <code>videokit review {{ folder }}</code>.</p>
 <div id="chapterbox" hidden><h3>Kapitel</h3><div id="chapterlist"></div></div>
</div>
<div id="right">
 <div id="tools"><span id="status"></span></div>
{% else %}
 <p class="help">Esc: Pause/Weiter und 2 s zurück · Strg+←/→: 5 s · Tab: nächstes unsicheres Wort ·
  Klick auf Zeit oder Wort: ab dort abspielen. Markiert: Wörter, bei denen die Spracherkennung unsicher war.
  Änderungen werden im Browser gesichert, bis Sie „Speichern“ drücken.</p>
 <div id="chapterbox" hidden><h3>Kapitel (YouTube: „00:00 Titel“ je Zeile)</h3>
  <textarea id="chapters" rows="8" style="width:100%;font:13px monospace"></textarea>
  <button id="savechapters">Kapitel speichern</button> <span id="chapterstatus"></span></div>
 <p><button id="render">Neu rendern</button> <progress id="renderbar" max="1" value="0" hidden></progress>
  <span id="renderstatus"></span></p>
</div>
<div id="right">
 <div id="tools">
  <input id="find" placeholder="Suchen" list="names"> → <input id="replace" placeholder="Ersetzen durch" list="names">
  <datalist id="names"></datalist>
  <button id="replaceall">Alle ersetzen</button>
  <button id="save"><b>Speichern</b></button>
  <span id="status"></span>
 </div>
{% endif %}
 <div id="cues"></div>
</div>
{% if static %}<script type="application/json" id="data">{{ data | tojson }}</script>{% endif %}
<script{% if nonce %} nonce="{{ nonce }}"{% endif %}>
"use strict";
const STATIC = {{ static | tojson }};
const TOKEN = {{ token | tojson }};
const KEY = "videokit-review-" + {{ name | tojson }};
const $ = (id) => document.getElementById(id);
const api = (path, body) => fetch(path, {method: body === undefined ? "GET" : "POST",
  headers: {"X-Videokit-Token": TOKEN, "Content-Type": "application/json"},
  body: body === undefined ? undefined : JSON.stringify(body)});
let project = null, cues = [], style = null, current = -1;
const video = $("video");

function fmt(t) { const m = Math.floor(t / 60), s = (t - 60 * m).toFixed(1); return `${m}:${s.padStart(4, "0")}`; }
function status(text, error) { const el = $("status"); el.textContent = text; el.className = error ? "error" : ""; }
function escapeHtml(s) { return s.replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

function cueWords(cue) { return project.words.filter(w => w.start >= cue.start - 0.05 && w.start < cue.end); }
function unsureWords(cue) { return new Set(cueWords(cue).filter(w => w.p < project.unsure).map(w => w.text.trim())); }
function markup(cue) {
  const unsure = cue.edited ? new Set() : unsureWords(cue);
  return cue.text.split(/(\s+)/).map(tok => unsure.has(tok) ? `<mark>${escapeHtml(tok)}</mark>` : escapeHtml(tok)).join("");
}
function stats(cue) {
  const lines = cue.text.split("\n"), chars = cue.text.replace(/\n/g, " ").length, dur = cue.end - cue.start;
  const cpl = Math.max(...lines.map(l => l.length)), cps = chars / dur;
  const bad = cpl > style.max_chars_per_line || lines.length > style.max_lines || cps > style.max_cps
    || dur < style.min_duration || dur > style.max_duration;
  return {bad, text: `${cpl}/${style.max_chars_per_line} Z · ${cps.toFixed(0)}/${style.max_cps} Z/s · ${dur.toFixed(1)} s`};
}
function who(i) {  // a podcast's paragraph starts where the speaker changes: its name, in the editor a choice
  if (!project.speakers || (i > 0 && cues[i].speaker === cues[i - 1].speaker)) return "";
  if (STATIC) return `<div class="who">${escapeHtml(cues[i].speaker)}</div>`;
  const options = project.speakers.map(n => `<option${n === cues[i].speaker ? " selected" : ""}>${escapeHtml(n)}</option>`);
  return `<div class="who"><select data-op="speaker" title="Absatz einem anderen Sprecher geben">${options.join("")}</select></div>`;
}
function row(i) {
  const cue = cues[i], s = stats(cue), div = document.createElement("div");
  div.className = "cue" + (s.bad ? " bad" : ""); div.dataset.i = i;
  const ops = STATIC ? "" : `<span class="ops"><button data-op="split" title="Teilen (am Cursor)">✂</button>
    <button data-op="join" title="Mit nächstem verbinden">⤓</button><button data-op="wrap" title="Neu umbrechen">↵</button>
    ${project.speakers ? '<button data-op="turn" title="Hier spricht jemand anderes">👤</button>' : ""}</span>`;
  div.innerHTML = `${who(i)}<span class="time">${fmt(cue.start)}</span><div class="text"${STATIC ? "" :
    ' contenteditable="plaintext-only" spellcheck="true"'}>${markup(cue)}</div><span class="stats">${s.text}</span>${ops}`;
  return div;
}
function draw() {
  const box = $("cues"), frag = document.createDocumentFragment();
  for (let i = 0; i < cues.length; i++) frag.appendChild(row(i));
  box.replaceChildren(frag); current = -1;
}
function redraw(i) { const old = $("cues").children[i]; if (old) old.replaceWith(row(i)); }
function remember() { localStorage.setItem(KEY, JSON.stringify({cues, saved: false})); }
function chapterButtons(text) {  // read-only chapters: "01:23 Title" lines, each plays from its time
  return text.split("\n").filter(l => l.trim()).map(line => {
    const [stamp, ...title] = line.trim().split(" "), b = document.createElement("button");
    b.dataset.t = stamp.split(":").reduce((acc, part) => 60 * acc + +part, 0) + "";
    b.textContent = `${stamp} ${title.join(" ")}`; return b;
  });
}

async function load() {
  project = STATIC ? JSON.parse($("data").textContent) : await (await api("/api/project")).json();
  style = project.style;
  $("title").textContent = project.title;
  if (STATIC) {
    if (project.video) video.src = encodeURIComponent(project.video);  // the episode next to this page
    cues = project.cues;
    if (project.chapters !== null) { $("chapterbox").hidden = false; $("chapterlist").replaceChildren(...chapterButtons(project.chapters)); }
    draw(); document.body.dataset.ready = "1"; return;
  }
  if (project.video) video.src = `/media/${encodeURIComponent(project.video)}?token=${encodeURIComponent(TOKEN)}`;
  $("names").replaceChildren(...project.glossary.map(n => Object.assign(document.createElement("option"), {value: n})));
  if (project.chapters !== null) { $("chapterbox").hidden = false; $("chapters").value = project.chapters; }
  const kept = JSON.parse(localStorage.getItem(KEY) || "null");
  cues = kept && !kept.saved ? kept.cues : project.cues.map(c => ({...c}));
  draw();
  if (kept && !kept.saved) status("Ungespeicherte Änderungen wiederhergestellt");
  document.body.dataset.ready = "1";
  window.videokitReadyMs = performance.now();  // since navigation started (benchmarks/review_speed.py)
}

function play(t) { video.currentTime = t; video.play(); }
function splitAt(i, div) {
  // at the caret when it is inside this cue, else in the middle; the cut falls where the word after it is spoken
  const c = cues[i], tokens = c.text.split(/\s+/).filter(Boolean);
  let at = Math.ceil(tokens.length / 2);
  const sel = getSelection(), text = div.querySelector(".text");
  if (sel.rangeCount && text.contains(sel.anchorNode)) {
    const r = document.createRange(); r.selectNodeContents(text); r.setEnd(sel.anchorNode, sel.anchorOffset);
    const before = r.toString().split(/\s+/).filter(Boolean).length;
    if (before > 0 && before < tokens.length) at = before;
  }
  if (tokens.length < 2) return;
  const timed = cueWords(c);
  const mid = timed.length === tokens.length && !c.edited ? timed[at].start
    : c.start + (c.end - c.start) * tokens.slice(0, at).join(" ").length / tokens.join(" ").length;
  cues.splice(i, 1, {...c, end: +mid.toFixed(3), text: tokens.slice(0, at).join(" "), edited: true},
              {...c, start: +mid.toFixed(3), text: tokens.slice(at).join(" "), edited: true});
}
function paragraphEnd(i) { let j = i; while (j + 1 < cues.length && cues[j + 1].speaker === cues[i].speaker) j++; return j; }
function giveTo(i, name) {
  for (let j = i, end = paragraphEnd(i); j <= end; j++) cues[j].speaker = name;
  draw(); remember(); status(`Absatz an ${name} gegeben (noch nicht gespeichert)`);
}

$("cues").addEventListener("click", async (e) => {
  const div = e.target.closest(".cue"); if (!div) return;
  const i = +div.dataset.i, op = e.target.dataset.op;
  if (e.target.classList.contains("time") || (STATIC && e.target.closest(".text") && e.target.tagName !== "MARK")) {
    play(cues[i].start); return;
  }
  if (e.target.tagName === "MARK") {
    const word = cueWords(cues[i]).find(w => w.text.trim() === e.target.textContent);
    play(word ? word.start : cues[i].start);
  }
  if (STATIC) return;
  if (op === "split") { splitAt(i, div); draw(); remember(); }
  else if (op === "join" && i + 1 < cues.length) {
    cues.splice(i, 2, {...cues[i], end: cues[i + 1].end, text: cues[i].text + " " + cues[i + 1].text, edited: true});
    draw(); remember();
  } else if (op === "wrap") {
    const r = await api("/api/wrap", {text: cues[i].text.replace(/\n/g, " ")});
    if (r.ok) { cues[i].text = (await r.json()).text; cues[i].edited = true; redraw(i); remember(); }
  } else if (op === "turn") {  // someone else talks from this cue on: the rest of the paragraph to the next voice
    const others = project.speakers.filter(n => n !== cues[i].speaker);
    if (others.length) giveTo(i, others[0]);
  }
});
if (STATIC) {
  $("chapterlist").addEventListener("click", (e) => { if (e.target.dataset.t) play(+e.target.dataset.t); });
} else {
$("cues").addEventListener("mousedown", (e) => { if (e.target.dataset.op === "split") e.preventDefault(); });  // keep the caret
$("cues").addEventListener("change", (e) => {
  if (e.target.dataset.op === "speaker") giveTo(+e.target.closest(".cue").dataset.i, e.target.value);
});
$("cues").addEventListener("input", (e) => {
  const div = e.target.closest(".cue"); if (!div) return;
  const i = +div.dataset.i; cues[i].text = e.target.innerText.replace(/\n+$/, ""); cues[i].edited = true;
  const s = stats(cues[i]); div.querySelector(".stats").textContent = s.text; div.classList.toggle("bad", s.bad);
  remember(); status("Geändert (noch nicht gespeichert)");
});
$("replaceall").addEventListener("click", () => {
  const find = $("find").value, repl = $("replace").value; if (!find) return;
  const re = new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"); let n = 0;
  cues.forEach((c, i) => { const m = c.text.match(re); if (m) { n += m.length; c.text = c.text.replace(re, repl); c.edited = true; } });
  draw(); remember(); status(`„${find}“ → „${repl}“: ${n} ersetzt`);
});
$("save").addEventListener("click", async () => {
  const r = await api("/api/save", {cues: cues.map(c => ({start: c.start, end: c.end, text: c.text,
                                                         ...(c.speaker ? {speaker: c.speaker} : {})}))});
  const body = await r.json();
  if (!r.ok) { status("Nicht gespeichert: " + body.error, true); return; }
  localStorage.setItem(KEY, JSON.stringify({cues, saved: true}));
  status("Gespeichert: " + body.saved.join(", "));
});
$("savechapters").addEventListener("click", async () => {
  const r = await api("/api/chapters", {text: $("chapters").value}); const body = await r.json();
  $("chapterstatus").textContent = r.ok ? "Gespeichert: " + body.saved.join(", ") : "Nicht gespeichert: " + body.error;
});
$("render").addEventListener("click", async () => {
  const r = await api("/api/render", {}); const bar = $("renderbar");
  if (!r.ok) { $("renderstatus").textContent = (await r.json()).error; return; }
  bar.hidden = false;
  const poll = setInterval(async () => {
    const s = await (await api("/api/render")).json(); bar.value = s.progress;
    $("renderstatus").textContent = s.status === "running" ? `rendert … ${Math.round(100 * s.progress)} %`
      : s.status === "done" ? `fertig in ${s.seconds} s: ${s.outputs.join(", ")}` : `Fehler: ${s.message}`;
    if (s.status !== "running") { clearInterval(poll); if (s.status === "done") { video.load(); } }
  }, 500);
});
}
video.addEventListener("timeupdate", () => {
  const t = video.currentTime; let i = cues.findIndex(c => t >= c.start && t < c.end);
  if (i === current) return;
  const box = $("cues").children;
  if (current >= 0 && box[current]) box[current].classList.remove("now");
  current = i;
  if (i >= 0 && box[i]) { box[i].classList.add("now"); box[i].scrollIntoView({block: "nearest"}); }
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") { e.preventDefault(); if (video.paused) { video.currentTime = Math.max(0, video.currentTime - 2); video.play(); } else video.pause(); }
  else if (e.ctrlKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
    e.preventDefault(); video.currentTime = Math.max(0, video.currentTime + (e.key === "ArrowLeft" ? -5 : 5));
  } else if (e.key === "Tab" && !e.shiftKey && !["INPUT", "TEXTAREA"].includes(e.target.tagName)) {
    const marks = [...document.querySelectorAll(".text mark")]; if (!marks.length) return;
    e.preventDefault();
    const after = marks.find(m => document.activeElement && (document.activeElement.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)
                             && !document.activeElement.contains(m)) || marks[0];
    const text = after.closest(".text"); text.focus();
    const range = document.createRange(); range.selectNodeContents(after);
    const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
    after.scrollIntoView({block: "center"});
  }
});
load().catch(err => status("Laden fehlgeschlagen: " + err, true));
</script></body></html>
"""


def render_page(name: str, token: str, accent: str = "#2a6fd6", nonce: str = "") -> str:
    """The editor, served with its token; its data comes from /api/project. `nonce`: the one script the page's
    Content-Security-Policy lets run."""
    return TEMPLATE.render(name=name, token=token, static=False, data=None, folder="", accent=accent, nonce=nonce)


def render_static_page(data: dict[str, Any], folder: str, accent: str = "#2a6fd6") -> str:
    """The read-only page with its data embedded (`payload.page_data`), opened from the folder: no server."""
    return TEMPLATE.render(name=data["title"], token=None, static=True, data=data, folder=folder, accent=accent,
                           nonce="")


TEMPLATE = Environment(autoescape=True).from_string(PAGE)
