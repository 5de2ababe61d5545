"""Speakers told apart: the spectral fingerprint (k-means) against Resemblyzer's learned voice embedding, by the
share of words given to the right speaker, on generated two-voice recordings: a male and a female voice, and two
similar male voices (issue 13).

    .venv/bin/python benchmarks/speakers_accuracy.py

Regions come from the same Silero VAD the podcast uses; each word of the script is placed evenly inside its
utterance and takes the label of the region it falls in (the best matching of labels to voices counts).
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from videokit.captions.audio import load_speech  # noqa: E402
from videokit.captions.audio import speech_regions  # noqa: E402
from videokit.podcast.analysis import Region, voice_fingerprint  # noqa: E402
from videokit.podcast.embedding import voice_embedding  # noqa: E402
from videokit.podcast.voices import label_regions  # noqa: E402
from videokit.samplegen import interview_script, make_podcast_recording  # noqa: E402

PAIRS = {"male + female (de+m3, de+f2)": ("de+m3", "de+f2"), "two male voices (de+m3, de+m1)": ("de+m3", "de+m1")}


def accuracy(layout: list[dict], regions: list[Region], labels: list[int]) -> float:
    voices = sorted({u["voice"] for u in layout})
    words = []  # (time, true voice)
    for u in layout:
        n = len(str(u["text"]).split())
        a, b = float(u["voice_start"]), float(u["voice_end"])
        words += [(a + (b - a) * (k + 0.5) / n, voices.index(u["voice"])) for k in range(n)]
    found = []
    for t, truth in words:
        region = next((i for i, r in enumerate(regions) if r.start <= t <= r.end), None)
        if region is None:  # between regions: the nearest one
            region = min(range(len(regions)), key=lambda i: min(abs(regions[i].start - t), abs(regions[i].end - t)))
        found.append((labels[region], truth))
    best = max(sum(perm[label] == truth for label, truth in found) for perm in itertools.permutations(range(2)))
    return best / len(found)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="vk-speakers-"))
    for name, (first, second) in PAIRS.items():
        script = [(first if voice == "de+m3" else second, text, pause) for voice, text, pause in interview_script()]
        recording, layout = make_podcast_recording(work / name.split()[0], script=script, video=False)
        audio = load_speech(str(recording))
        spans = speech_regions(audio)
        for method, features in (("spectral fingerprint", voice_fingerprint), ("Resemblyzer embedding", voice_embedding)):
            start = time.perf_counter()
            regions = [Region(a / 16000, b / 16000, features(audio[a:b]).tolist()) for a, b in spans]
            took = time.perf_counter() - start
            labels = label_regions(regions, 2)
            print(f"{name:34} {method:22} words to the right speaker {accuracy(layout, regions, labels):6.1%} "
                  f"({len(audio) / 16000:.0f} s, features {took:.1f} s)")


if __name__ == "__main__":
    main()
