"""What both Whisper engines drop from their output (the lowest module of the speech stage, as openai/whisper keeps
its shared constants in audio.py): German credit lines learned from subtitled TV, and low-confidence text in
segments that are probably not speech."""

from __future__ import annotations

import re

# German credit lines Whisper learned from subtitled TV and produces on silence
HALLUCINATIONS = re.compile(
    r"untertitel (im auftrag|der amara|von|des)|untertitelung|vielen dank (fürs|für's|für das|für ihre) "
    r"(zuschauen|zusehen|aufmerksamkeit)|copyright|swr 20\d\d|zdf, 20\d\d|amara\.org|bis zum nächsten mal|"
    r"abonniert|thanks for watching",
    re.IGNORECASE,
)
NO_SPEECH_DROP = 0.6  # segment-level no-speech probability above which low-confidence text is dropped
LOW_LOGPROB = -1.0


COLLAPSED_RUN = 4  # words Whisper could place at one instant: a repetition loop, not speech


def collapsed_runs(words: list[tuple[float, str]]) -> set[int]:
    """Indices of the words of a decoder loop: COLLAPSED_RUN or more words (start, text) that start within 50 ms
    of each other and repeat a phrase of three or more words inside themselves. When Whisper's decoder loops
    ("Wir fischen die Parkplätze …" four times over) the copies get one timestamp and the audio holds them once;
    a collapsed run without a repetition is speech whose times were lost (a slogan said again), and stays."""
    drop: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while j + 1 < len(words) and words[j + 1][0] - words[i][0] <= 0.05:
            j += 1
        texts = [text.lower().strip(".,!?") for _, text in words[i:j + 1]]
        if len(texts) >= COLLAPSED_RUN and _repeats_itself(texts):
            drop |= set(range(i, j + 1))
        i = j + 1
    return drop


def _repeats_itself(texts: list[str], phrase: int = 3) -> bool:
    seen = {tuple(texts[k:k + phrase]) for k in range(0, len(texts) - phrase + 1)}
    return len(seen) < len(texts) - phrase + 1


def is_hallucination(text: str) -> bool:
    return bool(HALLUCINATIONS.search(text))
