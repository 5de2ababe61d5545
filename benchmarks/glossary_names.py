"""Names spelled right (issue 29): generated statements that say Kassel's street and place names, transcribed
without a glossary, with the glossary as Whisper's initial prompt only, and with the prompt and faster-whisper's
hotwords. Prints the share of names written exactly as the glossary spells them, and how far the word timings
moved against the run without a glossary (hotwords can shift them: faster-whisper #853).

    .venv/bin/python benchmarks/glossary_names.py
"""

from __future__ import annotations

import difflib
import statistics
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.captions.audio import SAMPLE_RATE  # noqa: E402
from videokit.captions.transcribe import TranscribeOptions, transcribe_audio  # noqa: E402
from videokit.samplegen import speak  # noqa: E402

NAMES = ["Friedrichsplatz", "Königsstraße", "Wilhelmshöher Allee", "Kulturbahnhof", "Karlsaue", "Orangerie",
         "Auestadion", "Bergpark", "Herkules", "Brüder-Grimm-Platz", "Treppenstraße", "Scheidemannplatz",
         "Entenanger", "Holländischer Platz", "Lutherplatz", "Weinberg", "Fuldaufer", "Documenta-Halle"]
SENTENCES = [
    "Der Weihnachtsmarkt auf dem {0} öffnet am Montag, die {1} bleibt frei.",
    "Die Straßenbahn fährt ab Dienstag über die {2} zum {3}.",
    "Im Park an der {4} und an der {5} blühen die Tulpen.",
    "Vom {6} bis zum {7} läuft der Stadtlauf, Ziel ist der {8}.",
    "Am {9} und in der {10} wird gebaut.",
    "Der Markt zieht vom {11} an den {12}.",
    "Am {13} und am {14} gibt es neue Bänke.",
    "Das Fest am {15} beginnt um acht, am {16} um neun.",
    "Die Ausstellung in der {17} ist bis Sonntag offen.",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        glossary = folder / "names.txt"
        glossary.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
        runs = {"no glossary": TranscribeOptions(),
                "prompt only": TranscribeOptions(glossary=glossary, hotwords=False),
                "prompt + hotwords": TranscribeOptions(glossary=glossary)}
        right = {label: 0 for label in runs}
        shifts: dict[str, list[float]] = {label: [] for label in runs}
        said = 0
        for voice in ("de+m3", "de+f3"):
            for n, sentence in enumerate(SENTENCES):
                text = sentence.format(*NAMES)
                names = [name for name in NAMES if name in text]
                said += len(names)
                audio = _audio(speak(text, folder / f"s{voice}{n}.wav", voice=voice))
                heard = {label: transcribe_audio(audio, opts) for label, opts in runs.items()}
                for label, words in heard.items():
                    written = _norm(" ".join(w.text for w in words))
                    right[label] += sum(_norm(name) in written for name in names)
                    shifts[label] += _shifts(heard["no glossary"], words)
        print(f"names spelled as the glossary spells them, of {said} said ({len(SENTENCES) * 2} statements, two voices):")
        for label in runs:
            moved = shifts[label]
            far = sum(s > 0.1 for s in moved) / max(1, len(moved))
            print(f"  {label:18} {right[label] / said:.2f} ({right[label]} of {said}); word starts against no "
                  f"glossary: median {statistics.median(moved) if moved else 0:.3f} s, {far:.0%} moved > 0.1 s")


def _audio(wav: Path) -> np.ndarray:
    with wave.open(str(wav)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
    return data[:: 48000 // SAMPLE_RATE].copy()


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace(",", " ").replace(".", " ").split())


def _shifts(base: list, other: list) -> list[float]:
    """|Δ start| of the words both runs wrote the same, matched in order."""
    a, b = [w.text for w in base], [w.text for w in other]
    out = []
    for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        out += [abs(base[block.a + k].start - other[block.b + k].start) for k in range(block.size)]
    return out


if __name__ == "__main__":
    main()
