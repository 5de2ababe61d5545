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


def is_hallucination(text: str) -> bool:
    return bool(HALLUCINATIONS.search(text))
