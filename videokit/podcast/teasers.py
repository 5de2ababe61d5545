"""Teasers proposed from the transcript (pure): the best self-contained stretches of talk."""

from __future__ import annotations

from videokit.podcast.chapters import sentences
from videokit.timemap import TimeMap
from videokit.podcast.speakers import voice_at
from videokit.timeline import Word


def propose_teasers(words: list[Word], turns: list[tuple[float, float, int]], tmap: TimeMap, count: int,
                    min_seconds: float = 30.0, max_seconds: float = 60.0) -> list[tuple[float, float]]:
    """Teaser ranges (recording time) made of complete sentences inside one speaker's turn, 30-60 s after the
    cuts; densest speech first, never overlapping."""
    sents = sentences(words)
    candidates: list[tuple[float, float, float]] = []  # (score, start, end)
    for i, first in enumerate(sents):
        voice = voice_at(turns, first[0].start)
        spoken = 0.0
        for j in range(i, len(sents)):
            if voice_at(turns, sents[j][-1].start) != voice or (j > i and voice_at(turns, sents[j][0].start) != voice):
                break
            spoken += sum(w.end - w.start for w in sents[j])
            start, end = first[0].start, sents[j][-1].end
            length = tmap.to_body(end) - tmap.to_body(start)
            if length > max_seconds:
                break
            if length >= min_seconds:
                candidates.append((spoken / length, start, end))
    chosen: list[tuple[float, float]] = []
    for _, start, end in sorted(candidates, key=lambda c: (-round(c[0], 3), c[1])):
        if len(chosen) >= count:
            break
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
    return sorted(chosen)


# a teaser that starts with one of these leans on what came before it ("Und dann ..."): it does not stand alone
DANGLING_STARTS = {"und", "aber", "oder", "denn", "also", "doch", "sondern", "dann", "deshalb", "trotzdem",
                   "außerdem", "genau", "ja", "nein"}


def propose_conversation_teasers(words: list[Word], turns: list[tuple[float, float, int]], tmap: TimeMap,
                                 count: int, taken: list[tuple[float, float]] = (), min_seconds: float = 30.0,
                                 max_seconds: float = 60.0) -> list[tuple[float, float]]:
    """Teaser ranges (recording time) of complete sentences across speaker changes: an interview's question and
    its answer. Stretches that make sense alone win: one that opens with a question answered by the other voice,
    ends where a turn ends, and does not open with a dangling "und"/"aber"; then the denser speech."""
    sents = sentences(words)
    voices = [voice_at(turns, s[0].start) for s in sents]
    candidates: list[tuple[float, float, float]] = []
    for i, first in enumerate(sents):
        opener = first[0].text.strip(" ,.;:-–„\"»").lower()
        spoken = 0.0
        for j in range(i, len(sents)):
            spoken += sum(w.end - w.start for w in sents[j])
            start, end = first[0].start, sents[j][-1].end
            length = tmap.to_body(end) - tmap.to_body(start)
            if length > max_seconds:
                break
            if length < min_seconds:
                continue
            score = spoken / length
            if first[-1].text.rstrip('"»“').endswith("?") and voices[j] != voices[i]:
                score += 1.0  # a question, answered inside the teaser
            if j + 1 == len(sents) or voices[j + 1] != voices[j]:
                score += 0.3  # the last speaker has finished
            if i == 0 or voices[i - 1] != voices[i]:
                score += 0.2  # begins where a turn begins
            if opener in DANGLING_STARTS:
                score -= 1.0
            candidates.append((score, start, end))
    chosen: list[tuple[float, float]] = []
    for _, start, end in sorted(candidates, key=lambda c: (-round(c[0], 3), c[1])):
        if len(chosen) >= count:
            break
        if all(end <= a or start >= b for a, b in [*taken, *chosen]):
            chosen.append((start, end))
    return sorted(chosen)
