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


def collapsed_runs(starts: list[float]) -> set[int]:
    """Indices of words in runs of COLLAPSED_RUN or more that start within 50 ms of each other. When Whisper's
    decoder loops ("Wir fischen die Parkplätze …" four times over), the copies get one timestamp: the audio holds
    them once, and a word that cannot be placed cannot be captioned in time either."""
    drop: set[int] = set()
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] - starts[i] <= 0.05:
            j += 1
        if j - i + 1 >= COLLAPSED_RUN:
            drop |= set(range(i, j + 1))
        i = j + 1
    return drop


def is_hallucination(text: str) -> bool:
    return bool(HALLUCINATIONS.search(text))
