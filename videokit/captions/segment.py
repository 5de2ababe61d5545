"""Words with timings → subtitle cues, by the rules of a CaptionStyle (pure; no I/O).

Broadcast style: ≤ 2 lines of ≤ 42 characters, ≤ 17 cps, 1–7 s, one sentence per cue where possible, breaks
chosen by German rules (german.py). The vertical "highlight" style is the same algorithm with short limits
(2–6 words, ~25 characters a line); the highlighting itself is done when writing ASS.
"""

from __future__ import annotations

import re

from videokit.captions.german import FORBIDDEN, break_penalty, ends_sentence
from videokit.templates import CaptionStyle
from videokit.timeline import Cue, Word

# "[Sven Muster]" and "*Musik*" stay one token: labels are never split or re-wrapped apart
TOKEN = re.compile(r"\[[^\]]*\]|\*[^*]+\*|\S+")
PAUSE_BREAK = 0.8  # seconds of silence that always end a cue
MAX_LINGER = 0.5  # a cue may stay this long after speech ends, for reading (Netflix: up to 0.5 s)
CUE_COST = 4.0  # each extra cue costs this much: fewer, fuller cues unless a break point is bad
GAP_MARGIN = 0.1  # the 2-frame gap may trim a cue's end: keep that much above the minimum duration
SHORT_COST = 30.0
SPEED_COST = 2.0  # per character a second above the reading speed  # a cue below the style's minimum duration or word count


def segment(words: list[Word], style: CaptionStyle, fps: int = 25) -> list[Cue]:
    """Cues for the whole word list, times clamped to speech and spaced by ≥ 2 frames."""
    words = [w for w in words if w.text.strip()]
    groups = [g for block in _blocks(words, style) for g in _partition(block, style)]
    groups = _merge_short(groups, style)
    cues = [Cue(g[0].start, g[-1].end, _lines(g, style), list(g)) for g in groups]
    return _fix_timing(cues, style, fps)


def _blocks(words: list[Word], style: CaptionStyle) -> list[list[Word]]:
    """Runs of words no cue may span: split at pauses, speaker/sound labels and sentence ends."""
    blocks: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if current and _must_end_before(current, word, style):
            blocks.append(current)
            current = []
        current.append(word)
    if current:
        blocks.append(current)
    return blocks


def _partition(block: list[Word], style: CaptionStyle) -> list[list[Word]]:
    """Optimal cues for one block (dynamic programming over cut points): good break points, few cues,
    no cue shorter than the minimum duration or word count when another split avoids it."""
    n = len(block)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            group = block[i:j]
            if _too_big(group, style):
                break  # longer groups ending at j only get bigger
            if best[i][0] == float("inf"):
                continue
            cost = best[i][0] + CUE_COST
            if j < n:
                cost += break_penalty(block[j - 1].text, block[j].text)
            if group[-1].end - group[0].start < style.min_duration + GAP_MARGIN:
                cost += SHORT_COST
            if len(group) < style.min_words:
                cost += SHORT_COST
            cost += SPEED_COST * _too_fast(group, block[j] if j < n else None, style)
            if cost < best[j][0]:
                best[j] = (cost, i)
        if best[j][0] == float("inf"):  # a single over-long word still gets a cue of its own
            best[j] = (best[j - 1][0] + FORBIDDEN, j - 1)
    cuts, j = [], n
    while j > 0:
        i = best[j][1]
        cuts.append(block[i:j])
        j = i
    return cuts[::-1]


def wrap_lines(texts: list[str], style: CaptionStyle, strict: bool = True) -> list[str] | None:
    """Best split of one cue's words into ≤ max_lines lines of ≤ max_chars; None if it cannot fit
    (when strict, also None if the only fitting split is a forbidden one such as "dem | 15. Mai")."""
    line = " ".join(texts)
    if len(line) <= style.max_chars_per_line:
        return [line]
    if style.max_lines < 2:
        return None
    best: tuple[float, int] | None = None
    for i in range(1, len(texts)):
        top, bottom = " ".join(texts[:i]), " ".join(texts[i:])
        if len(top) > style.max_chars_per_line or len(bottom) > style.max_chars_per_line:
            continue
        # prefer good break points, then balanced lines (a slightly longer bottom line reads better)
        imbalance = abs(len(top) - len(bottom)) / style.max_chars_per_line
        score = break_penalty(texts[i - 1], texts[i]) + 4 * imbalance + (0.5 if len(top) > len(bottom) else 0)
        if best is None or score < best[0]:
            best = (score, i)
    if best is None or (strict and best[0] >= FORBIDDEN):
        return None
    i = best[1]
    return [" ".join(texts[:i]), " ".join(texts[i:])]


def _lines(group: list[Word], style: CaptionStyle) -> list[str]:
    texts = [w.text for w in group]
    return wrap_lines(texts, style) or wrap_lines(texts, style, strict=False) or [" ".join(texts)]


def words_from_cues(cues: list[Cue]) -> list[Word]:
    """Approximate word timings inside edited cues (SRT has none): time shared out by character count."""
    words: list[Word] = []
    for cue in cues:
        tokens = TOKEN.findall(" ".join(cue.lines))
        if not tokens:
            continue
        total = sum(len(t) + 1 for t in tokens)
        t = cue.start
        span = cue.end - cue.start
        for token in tokens:
            dur = span * (len(token) + 1) / total
            words.append(Word(token, round(t, 3), round(t + dur, 3)))
            t += dur
    return words


def _must_end_before(current: list[Word], nxt: Word, style: CaptionStyle) -> bool:
    if nxt.start - current[-1].end >= PAUSE_BREAK:
        return True
    if _is_label(nxt.text) or _is_sound(current[-1].text):
        return True  # a speaker or sound label starts a new cue; a sound label stands alone
    return ends_sentence(current[-1].text)  # one sentence per cue; _merge_short rejoins tiny ones


def _too_fast(group: list[Word], following: Word | None, style: CaptionStyle) -> float:
    """Characters a second above the style's reading speed, with the time the cue may stay on after the voice:
    up to the next word, or (at a block's end, a pause) the style's linger. Cuts where speech is too fast for
    one cue fall where the cue can be held longer."""
    chars = len(" ".join(w.text for w in group))
    hold = (following.start if following is not None else group[-1].end + style.max_linger) - group[0].start
    return max(0.0, chars / max(hold, 0.05) - style.max_cps)


def _too_big(group: list[Word], style: CaptionStyle) -> bool:
    if len(group) < 2:
        return False
    if len(group) > style.max_words:
        return True
    if group[-1].end - group[0].start > style.max_duration:
        return True
    chars = len(" ".join(w.text for w in group))
    if chars > style.max_chars_per_line * style.max_lines:
        return True
    return wrap_lines([w.text for w in group], style) is None


def _merge_short(groups: list[list[Word]], style: CaptionStyle) -> list[list[Word]]:
    """Fold a group below min_words into its neighbour when the result still fits and nothing separates them."""
    merged: list[list[Word]] = []
    for group in groups:
        if merged and (_short(group, style) or _short(merged[-1], style)):
            prev = merged[-1]
            joined = prev + group
            if (group[0].start - prev[-1].end < PAUSE_BREAK and not _too_big(joined, style)
                    and not _is_label(group[0].text)):
                merged[-1] = joined
                continue
        merged.append(group)
    return merged


def _short(group: list[Word], style: CaptionStyle) -> bool:
    return len(group) < style.min_words or group[-1].end - group[0].start < style.min_duration


def _fix_timing(cues: list[Cue], style: CaptionStyle, fps: int) -> list[Cue]:
    """Minimum duration and reading speed by lingering (≤ the style's max_linger), never into the next cue's gap."""
    gap = style.min_gap_frames / fps
    for i, cue in enumerate(cues):
        next_start = cues[i + 1].start if i + 1 < len(cues) else float("inf")
        chars = len(cue.text.replace("\n", " "))
        wanted = max(style.min_duration, chars / style.max_cps)
        end = cue.end
        if end - cue.start < wanted:
            end = min(cue.start + wanted, cue.end + max(style.max_linger, MAX_LINGER))
        end = min(end, next_start - gap)
        cue.end = round(max(end, cue.start + 1.0 / fps), 3)
        cue.start = round(cue.start, 3)
    return cues


def _is_label(text: str) -> bool:
    t = text.strip()
    return (t.startswith("[") and t.endswith("]")) or t == "-" or _is_sound(t)


def _is_sound(text: str) -> bool:
    t = text.strip()
    return t.startswith("*") and t.endswith("*") and len(t) > 2
