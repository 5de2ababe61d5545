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
 .text mark.unknown{background:none;border-bottom:2px dotted #c00;cursor:pointer}
 .stats{font-size:12px;color:#666;white-space:nowrap;padding-top:3px}
 .ops button{font-size:11px;padding:0 4px}
 button{font:inherit;cursor:pointer}
 #status{font-size:13px;color:#555;margin-left:auto}
 #status.error{color:#c00;font-weight:600}
 .help{font-size:12px;color:#aaa}
 .cue{flex-wrap:wrap} .who{flex-basis:100%;font-weight:600;color:{{ accent }};margin-top:8px}
 .who select{font:inherit;font-weight:600;color:{{ accent }};border:1px solid #ccd;border-radius:4px}
 .w{border-radius:3px;cursor:pointer} .w.cut{text-decoration:line-through;color:#a33;background:#fde8e8}
 .w.saved{text-decoration:line-through;color:#999;background:#eee} .w.filler{font-style:italic;color:#a60}
 #cutmode[aria-pressed="true"]{background:#2a6fd6;color:#fff} #length{font-size:13px;color:#555}
 #removedlist label{display:block;font-size:13px;margin:2px 0}
 #chapterlist button{display:block;margin:3px 0;background:none;color:#9cf;border:0;cursor:pointer;text-align:left}
 #stage{position:relative} #faceboxes{position:absolute;left:0;top:0;right:0;bottom:40px;cursor:crosshair}
 .fb{position:absolute;border:2px solid #e33;box-sizing:border-box;font-size:11px;color:#fff;cursor:pointer;
  text-shadow:0 0 2px #000} .fb.kept{border-color:#3c3;cursor:default} .fb.released{border-color:#fa0;border-style:dashed}
 .fb.region{background:rgba(230,50,50,.25);cursor:default} .fb.pending{border-style:dotted}
 #facemode[aria-pressed="true"]{background:#2a6fd6;color:#fff} #facelist label{display:block;font-size:13px}
</style></head><body>
<div id="left">
 <h2 id="title">{{ name }}</h2>
 <div id="stage"><video id="video" controls preload="metadata"></video><div id="faceboxes" hidden></div></div>
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
  Änderungen werden im Browser gesichert, bis Sie „Speichern“ drücken. ✂ Schneiden: Wörter oder ganze Untertitel
  markieren und Entf drücken; das Video überspringt sie, Strg+Z holt sie zurück.</p>
 <div id="chapterbox" hidden><h3>Kapitel (YouTube: „00:00 Titel“ je Zeile)</h3>
  <textarea id="chapters" rows="8" style="width:100%;font:13px monospace"></textarea>
  <button id="savechapters">Kapitel speichern</button> <span id="chapterstatus"></span></div>
 <div id="facebox" hidden><h3>Gesichter</h3>
  <p class="help">Rot: unkenntlich gemacht · Grün: bleibt sichtbar (spricht) · Klick auf ein rotes Feld: freigeben ·
   auf dem Bild ziehen: hier auch unkenntlich machen, ab jetzt für
   <input id="regionseconds" type="number" value="3" min="0.5" max="600" step="0.5" style="width:4em"> s.
   Dann speichern und neu rendern.</p>
  <button id="facemode" aria-pressed="false">Gesichter prüfen</button> <button id="savefaces">Gesichter speichern</button>
  <span id="facestatus"></span><div id="facelist"></div></div>
 <div id="removedbox" hidden><h3>Herausgeschnitten (gespeichert)</h3>
  <p class="help">Haken setzen und speichern: die Stelle kommt beim nächsten Rendern zurück.</p>
  <div id="removedlist"></div></div>
 <p><button id="render">Neu rendern</button> <progress id="renderbar" max="1" value="0" hidden></progress>
  <span id="renderstatus"></span></p>
</div>
<div id="right">
 <div id="tools">
  <input id="find" placeholder="Suchen" list="names"> → <input id="replace" placeholder="Ersetzen durch" list="names">
  <datalist id="names"></datalist>
  <button id="replaceall">Alle ersetzen</button>
  <button id="cutmode" aria-pressed="false" title="Wörter markieren, Entf: herausschneiden · Strg+Z: zurück">✂ Schneiden</button>
  <button id="fillers" hidden title="Füllwörter und Wiederholungen markieren (einzeln per Klick zurückholen)">Füllwörter</button>
  <button id="restoreall" hidden>Alle zurückholen</button>
  <span id="length"></span>
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
// cutting by the text: struck items (a word "w<index>" or a filler no word covers "f<n>") → reason
let cutting = false, strikes = new Map(), undo = [], suggested = null, pseudo = [], order = [], byCue = [],
    intervals = [], restores = new Set(), unknown = {};  // unknown: word → the glossary's closest names
const video = $("video");

function fmt(t) { const m = Math.floor(t / 60), s = (t - 60 * m).toFixed(1); return `${m}:${s.padStart(4, "0")}`; }
function status(text, error) { const el = $("status"); el.textContent = text; el.className = error ? "error" : ""; }
function escapeHtml(s) { return s.replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

function cueWords(cue) { return project.words.filter(w => w.start >= cue.start - 0.05 && w.start < cue.end); }
function unsureWords(cue) { return new Set(cueWords(cue).filter(w => w.p < project.unsure).map(w => w.text.trim())); }
const bare = (tok) => tok.replace(/^[.,;:!?"'„“‚‘()\[\]*–…-]+|[.,;:!?"'„“‚‘()\[\]*–…-]+$/g, "");
function markup(cue) {
  const unsure = cue.edited ? new Set() : unsureWords(cue);
  return cue.text.split(/(\s+)/).map(tok => {
    const fix = unknown[bare(tok)];
    if (fix && !STATIC) return `<mark class="unknown" data-fix="${escapeHtml(fix[0] || "")}" title="${escapeHtml(
      "Nicht im Wörterbuch" + (fix.length ? ": Klick ersetzt durch " + fix[0] : ""))}">${escapeHtml(tok)}</mark>`;
    return unsure.has(tok) ? `<mark>${escapeHtml(tok)}</mark>` : escapeHtml(tok);
  }).join("");
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
  const editable = !STATIC && !cutting;
  div.innerHTML = `${who(i)}<span class="time">${fmt(cue.start)}</span><div class="text"${editable ?
    ' contenteditable="plaintext-only" spellcheck="true"' : ""}>${cutting ? cutMarkup(i) : markup(cue)}</div><span class="stats">${s.text}</span>${cutting ? "" : ops}`;
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

function buildOrder() {  // every word and unworded filler in time order, and which cue shows each
  order = project.words.map((w, k) => ({key: "w" + k, start: w.start, end: w.end, text: w.text}))
    .concat(pseudo).sort((a, b) => a.start - b.start);
  byCue = cues.map(() => []);
  let c = 0;
  for (const it of order) {
    while (c + 1 < cues.length && it.start >= cues[c + 1].start - 0.05) c++;
    if (byCue.length) byCue[c].push(it);
  }
}
function savedAt(it) {  // inside a cut saved earlier (not rendered yet)
  return (project.removed || []).some(r => r.video_start !== null && (it.start + it.end) / 2 >= r.video_start
                                       && (it.start + it.end) / 2 < r.video_end);
}
function cutMarkup(i) {
  return (byCue[i] || []).map(it => `<span class="w${strikes.has(it.key) ? " cut" : ""}${savedAt(it) ? " saved" : ""}${
    it.key[0] === "f" ? " filler" : ""}" data-k="${it.key}">${escapeHtml(it.key[0] === "f" ? `[${it.text || "äh"}]` : it.text)}</span>`).join(" ");
}
function struckIntervals() {  // runs of struck items as [start, end, reason] on the video's clock
  const out = []; let run = null;
  for (const it of order) {
    if (strikes.has(it.key)) {
      if (!run) run = [it.start, it.end, strikes.get(it.key)];
      else { run[1] = Math.max(run[1], it.end); if (run[2] !== strikes.get(it.key)) run[2] = ""; }  // mixed: a person's cut
    }
    else if (run) { out.push(run); run = null; }
  }
  if (run) out.push(run);
  return out;
}
function showLength() {
  const full = isFinite(video.duration) ? video.duration : (order.length ? order[order.length - 1].end : 0);
  const gone = intervals.reduce((sum, [a, b]) => sum + b - a, 0);
  $("length").textContent = cutting || gone ? `Länge ${fmt(full)} → ${fmt(full - gone)}` : "";
}
function refreshCuts() {
  document.querySelectorAll("#cues .w").forEach(s => s.classList.toggle("cut", strikes.has(s.dataset.k)));
  intervals = struckIntervals(); showLength();
  localStorage.setItem(KEY + "-cuts", JSON.stringify({strikes: [...strikes], pseudo, saved: false}));
}
function strike(pairs, on) {  // pairs: [key, reason]; one undo step
  const step = [];
  for (const [k, reason] of pairs) {
    const was = strikes.get(k);
    if (on && was === undefined) { strikes.set(k, reason); step.push([k, undefined]); }
    else if (!on && was !== undefined) { strikes.delete(k); step.push([k, was]); }
  }
  if (step.length) { undo.push(step); refreshCuts(); }
  return step.length;
}
function undoLast() {
  const step = undo.pop(); if (!step) return;
  for (const [k, before] of step) { if (before === undefined) strikes.delete(k); else strikes.set(k, before); }
  refreshCuts(); status("Rückgängig gemacht");
}
function drawRemoved() {
  const list = project.removed || [];
  $("removedbox").hidden = !list.length;
  $("removedlist").replaceChildren(...list.map(r => {
    const label = document.createElement("label"), box = document.createElement("input");
    box.type = "checkbox"; box.dataset.n = r.n; box.checked = restores.has(r.n);
    label.append(box, ` ${fmt(r.start)}–${fmt(r.end)}${r.clip > 1 ? ` (Clip ${r.clip})` : ""}: ${r.text || "[" + (r.reason || "Pause") + "]"}`);
    return label;
  }));
}
function skipStruck() {  // the video plays as it will be cut
  if (!video.paused && intervals.length) {
    const t = video.currentTime, hit = intervals.find(([a, b]) => t >= a - 0.02 && t < b);
    if (hit) video.currentTime = hit[1];
  }
  requestAnimationFrame(skipStruck);
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
  const keptCuts = JSON.parse(localStorage.getItem(KEY + "-cuts") || "null");
  if (keptCuts && !keptCuts.saved) { strikes = new Map(keptCuts.strikes); pseudo = keptCuts.pseudo || []; }
  else { strikes = new Map(); pseudo = []; }
  undo = []; restores = new Set(); suggested = null;
  $("cutmode").hidden = !project.can_cut;
  $("facebox").hidden = !project.faces;
  if (project.faces) listFaces();
  buildOrder(); intervals = struckIntervals(); drawRemoved(); showLength();
  draw();
  if (kept && !kept.saved) status("Ungespeicherte Änderungen wiederhergestellt");
  document.body.dataset.ready = "1";
  window.videokitReadyMs = performance.now();  // since navigation started (benchmarks/review_speed.py)
  api("/api/names").then(r => r.ok ? r.json() : {unknown: {}}).then(body => {  // the dictionary's verdict, later
    unknown = body.unknown || {};
    if (!cutting) cues.forEach((c, i) => {  // only rows with such a word, and never the one being typed in
      const row = $("cues").children[i];
      if (c.text.split(/\s+/).some(t => unknown[bare(t)]) && row && !row.contains(document.activeElement)) redraw(i);
    });
    document.body.dataset.names = "1";
  });
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
  if (cutting && e.target.classList.contains("w")) {  // a struck word comes back; another plays from there
    const k = e.target.dataset.k;
    if (strikes.has(k)) { strike([[k, ""]], false); status("Zurückgeholt (noch nicht gespeichert)"); }
    else { const it = order.find(o => o.key === k); if (it) play(it.start); }
    return;
  }
  if (!STATIC && e.target.classList.contains("unknown")) {  // a likely misheard name: the glossary's closest
    const fix = e.target.dataset.fix, word = bare(e.target.textContent);
    if (fix) {
      cues[i].text = cues[i].text.split(/(\s+)/).map(t => bare(t) === word ? t.replace(word, fix) : t).join("");
      cues[i].edited = true; redraw(i); remember(); status(`„${word}“ → „${fix}“ (noch nicht gespeichert)`);
    }
    return;
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
// faces: the render's tracks over the picture; a blurred one released by a click, a region drawn by dragging
let faceMode = false, releases = [], regions = [], dropKeep = new Set(), dropRegions = new Set(), drag = null;
function picture() {  // where the video's picture lies inside the element (letterboxed), in pixels
  const W = video.clientWidth, H = video.clientHeight, ar = (video.videoWidth / video.videoHeight) || 16 / 9;
  let w = W, h = W / ar; if (h > H - 40) { h = H - 40; w = h * ar; }
  return {x: (W - w) / 2, y: 0, w, h};
}
function faceAt(track, t) {  // x, y, w, h between the two looks around t
  const b = track.boxes; if (t < b[0][0] - 0.2 || t > b[b.length - 1][0] + 0.2) return null;
  let i = 0; while (i + 1 < b.length && b[i + 1][0] < t) i++;
  const a = b[i], c = b[Math.min(i + 1, b.length - 1)], k = c[0] > a[0] ? Math.min(1, Math.max(0, (t - a[0]) / (c[0] - a[0]))) : 0;
  return [1, 2, 3, 4].map(j => a[j] + (c[j] - a[j]) * k);
}
function released(face, t) {
  const near = (p) => p.t !== null && Math.abs(p.t - t) < 1.0 && Math.abs(p.x - (face[0] + face[2] / 2)) < face[2]
                      && Math.abs(p.y - (face[1] + face[3] / 2)) < face[3];
  return releases.some(near) || project.faces.keep.some((p, n) => !dropKeep.has(n) && near(p));
}
function drawFaces() {
  const layer = $("faceboxes"), faces = project && project.faces;
  if (!faceMode || !faces) { layer.hidden = true; return; }
  layer.hidden = false;
  const r = picture(), t = video.currentTime, boxes = [];
  const put = (x, y, w, h, cls, label, n) => {
    const d = document.createElement("div"); d.className = "fb " + cls; d.textContent = label;
    Object.assign(d.style, {left: r.x + x * r.w + "px", top: r.y + y * r.h + "px", width: w * r.w + "px", height: h * r.h + "px"});
    if (n !== undefined) d.dataset.track = n;
    boxes.push(d);
  };
  if (Math.abs((video.videoWidth / video.videoHeight) - faces.aspect) < 0.02)
    faces.tracks.forEach((tr, n) => {
      const f = faceAt(tr, t); if (!f) return;
      const [x, y, w, h] = [f[0] - 0.25 * f[2], f[1] - 0.3 * f[3], 1.5 * f[2], 1.6 * f[3]];
      if (!tr.blurred) put(x, y, w, h, "kept", "sichtbar");
      else if (released(f, t)) put(x, y, w, h, "released", "wird freigegeben");
      else put(x, y, w, h, "", "unkenntlich", n);
    });
  else $("facestatus").textContent = "Dieses Video zeigt einen Ausschnitt: Gesichter im Video gleicher Form prüfen.";
  faces.regions.forEach((g, n) => { if (!dropRegions.has(n) && g.video_start !== null && t >= g.video_start
    && t <= g.video_start + (g.end - g.start)) put(g.x, g.y, g.w, g.h, "region", "Bereich"); });
  regions.forEach(g => { if (t >= g.start && t <= g.end) put(g.x, g.y, g.w, g.h, "region pending", "neu"); });
  if (drag && drag.now) put(Math.min(drag.x, drag.now.x), Math.min(drag.y, drag.now.y), Math.abs(drag.now.x - drag.x),
                           Math.abs(drag.now.y - drag.y), "region pending", "");
  layer.replaceChildren(...boxes);
}
function listFaces() {
  const faces = project.faces, rows = [];
  faces.keep.forEach((p, n) => rows.push(`<label><input type="checkbox" data-kind="keep" data-n="${n}"${dropKeep.has(n) ? " checked" : ""}>
    freigegeben bei ${p.t === null ? "–" : fmt(p.t)} (${escapeHtml(p.text)}): wieder unkenntlich machen</label>`));
  faces.regions.forEach((g, n) => rows.push(`<label><input type="checkbox" data-kind="region" data-n="${n}"${dropRegions.has(n) ? " checked" : ""}>
    Bereich ab ${g.video_start === null ? "–" : fmt(g.video_start)}, ${(g.end - g.start).toFixed(1)} s: entfernen</label>`));
  releases.forEach((p, n) => rows.push(`<label>neu: freigeben bei ${fmt(p.t)} <button data-kind="newkeep" data-n="${n}">✕</button></label>`));
  regions.forEach((g, n) => rows.push(`<label>neu: Bereich ${fmt(g.start)}–${fmt(g.end)} <button data-kind="newregion" data-n="${n}">✕</button></label>`));
  $("facelist").innerHTML = rows.join("");
}
function shareOf(e) { const r = picture(), box = $("faceboxes").getBoundingClientRect();
  return {x: Math.min(1, Math.max(0, (e.clientX - box.left - r.x) / r.w)), y: Math.min(1, Math.max(0, (e.clientY - box.top - r.y) / r.h))}; }
function faceLoop() { if (faceMode) { drawFaces(); requestAnimationFrame(faceLoop); } }
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
  let saved = body.saved, note = "";
  if (intervals.length || restores.size) {
    const rc = await api("/api/cuts", {ranges: intervals.map(([a, b, reason]) => ({start: +a.toFixed(3), end: +b.toFixed(3), reason})),
                                       restore: [...restores]});
    const cb = await rc.json();
    if (!rc.ok) { status("Schnitte nicht gespeichert: " + cb.error, true); return; }
    saved = saved.concat(cb.saved); note = cb.note ? " – " + cb.note : "";
    localStorage.setItem(KEY + "-cuts", JSON.stringify({saved: true}));
    project = await (await api("/api/project")).json();
    strikes = new Map(); undo = []; restores = new Set(); pseudo = []; suggested = null;
    buildOrder(); intervals = []; drawRemoved(); draw(); showLength();
  }
  status("Gespeichert: " + [...new Set(saved)].join(", ") + note);
});
$("cutmode").addEventListener("click", () => {
  cutting = !cutting; $("cutmode").setAttribute("aria-pressed", cutting);
  $("fillers").hidden = $("restoreall").hidden = !cutting;
  buildOrder(); draw(); showLength();
  status(cutting ? "Schneiden: Wörter markieren und Entf drücken; Klick auf Durchgestrichenes holt es zurück" : "");
});
$("fillers").addEventListener("click", async () => {
  if (suggested === null) {
    status("Suche Füllwörter und Wiederholungen …");
    const r = await api("/api/fillers"); const body = await r.json();
    if (!r.ok) { status(body.error, true); return; }
    suggested = body.fillers;
    const mid = (it) => (it.start + it.end) / 2;
    suggested.forEach((f, n) => {
      if (!order.some(it => mid(it) >= f.start && mid(it) < f.end) && !pseudo.some(p => p.start === f.start))
        pseudo.push({key: "f" + n + "-" + f.start, start: f.start, end: f.end, text: f.text, reason: f.reason});
    });
    buildOrder(); draw();
  }
  const pairs = [];
  for (const f of suggested) for (const it of order)
    if ((it.start + it.end) / 2 >= f.start && (it.start + it.end) / 2 < f.end) pairs.push([it.key, f.reason]);
  const n = strike(pairs, true);
  const fillers = suggested.filter(f => f.reason === "filler").length, retakes = suggested.length - fillers;
  status(`${fillers} Füllwörter, ${retakes} Wiederholungen gefunden; ${n} Stellen markiert (noch nicht gespeichert)`);
});
$("restoreall").addEventListener("click", () => {
  const n = strike([...strikes.keys()].map(k => [k, ""]), false);
  status(`${n} Stellen zurückgeholt`);
});
$("removedlist").addEventListener("change", (e) => {
  const n = +e.target.dataset.n; if (e.target.checked) restores.add(n); else restores.delete(n);
  status(restores.size ? `${restores.size} Schnitt(e) kommen zurück (noch nicht gespeichert)` : "");
});
$("facemode").addEventListener("click", () => {
  faceMode = !faceMode; $("facemode").setAttribute("aria-pressed", faceMode);
  if (faceMode) { video.controls = true; requestAnimationFrame(faceLoop); } else drawFaces();
});
$("faceboxes").addEventListener("mousedown", (e) => {
  e.preventDefault();
  const n = e.target.dataset.track;
  if (n !== undefined) {  // a blurred face: released
    const f = faceAt(project.faces.tracks[+n], video.currentTime);
    releases.push({t: +video.currentTime.toFixed(3), x: +(f[0] + f[2] / 2).toFixed(4), y: +(f[1] + f[3] / 2).toFixed(4)});
    listFaces(); $("facestatus").textContent = "freigegeben (noch nicht gespeichert)"; return;
  }
  drag = {...shareOf(e), now: null};
});
$("faceboxes").addEventListener("mousemove", (e) => { if (drag) drag.now = shareOf(e); });
document.addEventListener("mouseup", (e) => {
  if (!drag) return;
  const end = shareOf(e), x = Math.min(drag.x, end.x), y = Math.min(drag.y, end.y), w = Math.abs(end.x - drag.x), h = Math.abs(end.y - drag.y);
  drag = null;
  if (w < 0.01 || h < 0.01) return;
  const start = +video.currentTime.toFixed(3), seconds = Math.max(0.5, +$("regionseconds").value || 3);
  const until = isFinite(video.duration) ? Math.min(video.duration, start + seconds) : start + seconds;
  regions.push({start, end: +until.toFixed(3), x: +x.toFixed(4), y: +y.toFixed(4), w: +w.toFixed(4), h: +h.toFixed(4)});
  listFaces(); $("facestatus").textContent = "Bereich markiert (noch nicht gespeichert)";
});
$("facelist").addEventListener("click", (e) => {
  const k = e.target.dataset.kind, n = +e.target.dataset.n;
  if (k === "newkeep") releases.splice(n, 1); else if (k === "newregion") regions.splice(n, 1); else return;
  listFaces();
});
$("facelist").addEventListener("change", (e) => {
  const set = e.target.dataset.kind === "keep" ? dropKeep : dropRegions, n = +e.target.dataset.n;
  if (e.target.checked) set.add(n); else set.delete(n);
});
$("savefaces").addEventListener("click", async () => {
  const r = await api("/api/faces", {keep: releases, regions, drop_keep: [...dropKeep], drop_regions: [...dropRegions]});
  const body = await r.json();
  if (!r.ok) { $("facestatus").textContent = "Nicht gespeichert: " + body.error; return; }
  releases = []; regions = []; dropKeep = new Set(); dropRegions = new Set();
  project = await (await api("/api/project")).json(); listFaces();
  $("facestatus").textContent = "Gespeichert: " + body.saved.join(", ") + ". Neu rendern übernimmt es.";
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
    if (s.status !== "running") { clearInterval(poll); if (s.status === "done") { video.load(); await load(); } }
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
  if (cutting && !STATIC && !["INPUT", "TEXTAREA"].includes(e.target.tagName)) {
    if (e.key === "Delete" || e.key === "Backspace") {
      const sel = getSelection(); if (!sel.rangeCount || sel.isCollapsed) return;
      e.preventDefault();
      const keys = [...document.querySelectorAll("#cues .w")].filter(s => sel.containsNode(s, true)).map(s => [s.dataset.k, ""]);
      const n = strike(keys, true); sel.removeAllRanges();
      status(`${n} Wörter herausgeschnitten (noch nicht gespeichert)`); return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") { e.preventDefault(); undoLast(); return; }
  }
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
if (!STATIC) { requestAnimationFrame(skipStruck); video.addEventListener("loadedmetadata", showLength); }
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
