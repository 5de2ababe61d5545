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

# hesitations as Whisper writes them in German; never a word German uses ("um", "eh" are words: "um acht",
# "das ist eh klar")
FILLER_WORDS = frozenset({"äh", "ähm", "äähm", "ääh", "ähh", "ähem", "öh", "öhm", "ehm", "hm", "hmm", "mhm", "mh",
                          "uhm", "erm"})
FRAME = 0.01  # seconds per frame of the voiced mask
MIN_FILLER, MAX_FILLER = 0.2, 1.5  # seconds of voice with no word over it
STEADY = 0.4  # spectral flux under which a stretch holds one sound (measured: "äh"/"ähm" 0.24-0.28, words 0.47-0.63)
APART = 8  # frames (80 ms) of silence between a filler and the words around it
STRETCHED = 0.15  # seconds a word must reach beyond a filler's voice to be another sound's word
WORD_EDGE = 0.04  # Whisper's word edges are approximate: voice this close to a word belongs to it
RETAKE_WITHIN = 6.0  # seconds from one attempt's start to the next
RETAKE_WORDS = 12  # a first attempt is at most this many words
SENTENCE_END = (".", "!", "?")
SHORT_START = 6  # words: a "sentence" this short that the next one repeats was broken off


def is_filler_word(word: Word) -> bool:
    return normalised(word.text) in FILLER_WORDS


def find_fillers(words: list[Word], voiced: np.ndarray, flux: np.ndarray | None = None) -> list[Cut]:
    """Filler words, and stretches of voice that hold one sound, stand apart from the words around them by a
    pause, and carry no word of their own: a hesitation's "äh" is a held vowel; a word Whisper left out moves from
    sound to sound. Whisper sometimes stretches the next word over the "äh" ("drei" from 4.5 to 5.9 s): a word
    that reaches well beyond the stretch on either side is not its word. `voiced`: one flag per 10 ms of the
    recording (voice activity and level together); `flux`: the spectrum's change per 10 ms (edges.spectral_flux;
    None: not checked). Cuts carry the filler's own span; the edges are placed in the pauses later (edges.py)."""
    found = [Cut(w.start, w.end, w.text.strip(), reason="filler") for w in words if is_filler_word(w)]
    spoken = [w for w in words if not is_filler_word(w)]
    for s, e in _runs(voiced):
        start, end = s * FRAME, e * FRAME
        if not MIN_FILLER <= end - start <= MAX_FILLER or any(f.start < end and start < f.end for f in found):
            continue
        apart = _silence(voiced[max(0, s - APART): s]) >= APART and _silence(voiced[e: e + APART]) >= APART
        steady = flux is None or float(np.mean(flux[s:e])) < STEADY
        if not (apart and steady) or not spoken or start < spoken[0].start or end > spoken[-1].end:
            continue  # before the first word or after the last it may be anything (a breath, a cough, "hm")
        overlapping = [w for w in spoken if w.start < end - WORD_EDGE and w.end > start + WORD_EDGE]
        if not overlapping or len(overlapping) == 1 and _stretched(overlapping[0], start, end):
            found.append(Cut(round(start, 3), round(end, 3), "", reason="filler"))
    return sorted(found, key=lambda c: c.start)


def _stretched(word: Word, start: float, end: float) -> bool:
    """Whisper laid this word over the stretch: far longer than its letters take to say, and reaching well
    beyond the stretch on a side (word times are ±0.1 s: a word merely touching the stretch is its own)."""
    letters = sum(ch.isalpha() for ch in word.text)
    too_long = word.end - word.start > 0.4 + 0.1 * letters
    return too_long and (word.start < start - STRETCHED or word.end > end + STRETCHED)


def off_fillers(words: list[Word], cuts: list[Cut]) -> list[Word]:
    """Words Whisper stretched over a filler found without a word, shortened to the side where they are spoken
    (the longer rest), so the cut does not take them and the captions keep their time."""
    out = []
    for w in words:
        for c in cuts:
            if c.text or c.reason != "filler" or not (w.start < c.end and w.end > c.start):
                continue
            before, after = c.start - w.start, w.end - c.end
            w = Word(w.text, w.start, round(c.start, 3), w.probability) if before >= after else \
                Word(w.text, round(c.end, 3), w.end, w.probability)
        out.append(w)
    return out


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
        covered = len(first) >= 2 and _common(first, second) >= max(2, 0.75 * len(first))
        if not words[j - 1].text.rstrip().endswith(SENTENCE_END):
            if covered or len(first) == 1 and _single(words, i, j):
                return j
            continue
        # Whisper often ends a broken-off start with a full stop ("Alle Geschäfte bleiben. Alle Geschäfte in der
        # Innenstadt bleiben geöffnet."): a short one whose words open the next sentence is a retake too
        if covered and len(first) <= SHORT_START:
            return j
        end = next((k for k in range(j, len(words)) if words[k].text.rstrip().endswith(SENTENCE_END)), None)
        again = tokens[j: end + 1] if end is not None else second
        if len(first) >= 3 and _common(first, again) >= 0.8 * max(len(first), len(again)):
            return j  # a whole sentence said twice
    return None


def _single(words: list[Word], i: int, j: int) -> bool:
    """A stutter: one word, cut off, said again at once ("Der … der neue Radweg")."""
    return j == i + 1 and words[j].start - words[i].end < 1.0 and words[i].text.rstrip().endswith((",", "-", "…"))


def _common(a: list[str], b: list[str]) -> int:
    return sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks())
