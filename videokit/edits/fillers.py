"""Fillers and retakes found in a transcript and its sound (pure).

Whisper writes a clean text: it often leaves "äh" and "ähm" out, and when it writes them they are words like any
other. Both are found: a word that is a filler, and voiced sound with no word over it, short (0.2-1.5 s), between
two words. A retake is a sentence start said again within a few seconds ("Der Radweg wird … der neue Radweg wird"):
the last attempt is kept.
"""

from __future__ import annotations

import difflib

import numpy as np

from videokit.edits.cutfile import Cut, normalised
from videokit.timeline import Word

FILLER_WORDS = frozenset({"äh", "ähm", "äähm", "ääh", "öh", "öhm", "ehm", "eh", "hm", "hmm", "mhm", "mh", "em",
                          "ähh", "ähem", "uh", "uhm", "um", "erm"})
FRAME = 0.01  # seconds per frame of the voiced mask
MIN_FILLER, MAX_FILLER = 0.2, 1.5  # seconds of voice with no word over it
APART = 8  # frames (80 ms) of silence between a filler and the words around it
WORD_EDGE = 0.04  # Whisper's word edges are approximate: voice this close to a word belongs to it
RETAKE_WITHIN = 6.0  # seconds from one attempt's start to the next
RETAKE_WORDS = 12  # a first attempt is at most this many words
SENTENCE_END = (".", "!", "?")


def is_filler_word(word: Word) -> bool:
    return normalised(word.text) in FILLER_WORDS


def find_fillers(words: list[Word], voiced: np.ndarray) -> list[Cut]:
    """Filler words, and voiced stretches between two words that no word covers. `voiced`: one flag per 10 ms of
    the recording (voice activity and level together). Cuts carry the filler's own span; the edges are placed in
    the pauses around it later (edges.py)."""
    found = [Cut(w.start, w.end, w.text.strip(), reason="filler") for w in words if is_filler_word(w)]
    spoken = [w for w in words if not is_filler_word(w)]
    for before, after in zip(spoken, spoken[1:]):
        lo, hi = before.end + WORD_EDGE, after.start - WORD_EDGE
        if hi - lo < MIN_FILLER or any(lo < f.start < hi for f in found):
            continue
        a, b = int(round(lo / FRAME)), int(round(hi / FRAME))
        for s, e in _runs(voiced[a:b]):
            length = (e - s) * FRAME
            # a filler stands apart: silence between it and the words on both sides. Voice running on from a
            # word is that word (Whisper ended it early: "15." for a long "fünfzehnten"), never a filler.
            apart = (_silence(voiced[int(before.end / FRAME): a + s]) >= APART
                     and _silence(voiced[a + e: int(np.ceil(after.start / FRAME))]) >= APART)
            if MIN_FILLER <= length <= MAX_FILLER and apart:
                found.append(Cut(round((a + s) * FRAME, 3), round((a + e) * FRAME, 3), "", reason="filler"))
    return sorted(found, key=lambda c: c.start)


def _silence(mask: np.ndarray) -> int:
    """The longest run of unvoiced frames."""
    best = run = 0
    for v in mask:
        run = 0 if v else run + 1
        best = max(best, run)
    return best


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True, short gaps (up to 60 ms, a consonant's closure) closed."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    runs = [[int(idx[0]), int(idx[0]) + 1]]
    for i in idx[1:]:
        if i - runs[-1][1] <= 6:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    return [(s, e) for s, e in runs]


def find_retakes(words: list[Word]) -> list[Cut]:
    """Each first attempt of a sentence start said again soon after, as a cut of its words. An attempt begins a
    sentence (after a full stop or a pause) and the next attempt begins with the same word and repeats most of
    it; a complete sentence counts only when it is said again nearly word for word."""
    spoken = [w for w in words if not is_filler_word(w)]
    tokens = [normalised(w.text) for w in spoken]
    cuts: list[Cut] = []
    i = 0
    while i < len(spoken):
        if not _begins_sentence(spoken, i):
            i += 1
            continue
        retake = _retake_at(spoken, tokens, i)
        if retake is None:
            i += 1
            continue
        j = retake
        cuts.append(Cut(spoken[i].start, spoken[j - 1].end, " ".join(w.text.strip() for w in spoken[i:j]),
                        reason="retake"))
        i = j
    return cuts


def _begins_sentence(words: list[Word], i: int) -> bool:
    return i == 0 or words[i - 1].text.rstrip().endswith(SENTENCE_END) or words[i].start - words[i - 1].end > 0.5


def _retake_at(words: list[Word], tokens: list[str], i: int) -> int | None:
    """The index of the attempt that replaces the one starting at i, or None."""
    for j in range(i + 1, min(len(words), i + RETAKE_WORDS + 1)):
        if words[j].start - words[i].start > RETAKE_WITHIN:
            return None
        if tokens[j] != tokens[i]:
            continue
        first, second = tokens[i:j], tokens[j: j + 2 * (j - i) + 2]
        complete = words[j - 1].text.rstrip().endswith(SENTENCE_END)
        same = _common(first, second)
        if complete:
            # a whole sentence said twice: only when the second is nearly the same sentence
            end = next((k for k in range(j, len(words)) if words[k].text.rstrip().endswith(SENTENCE_END)), None)
            again = tokens[j: end + 1] if end is not None else second
            if len(first) >= 3 and _common(first, again) >= 0.8 * max(len(first), len(again)):
                return j
        elif len(first) >= 2 and same >= max(2, 0.8 * len(first)) or len(first) == 1 and _single(words, i, j):
            return j
    return None


def _single(words: list[Word], i: int, j: int) -> bool:
    """A stutter: one word, cut off, said again at once ("Der … der neue Radweg")."""
    return j == i + 1 and words[j].start - words[i].end < 1.0 and words[i].text.rstrip().endswith((",", "-", "…"))


def _common(a: list[str], b: list[str]) -> int:
    return sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks())
