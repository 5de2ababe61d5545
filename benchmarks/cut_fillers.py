"""Cut by the text (issue 30): what --cut-fillers costs, and how well it finds fillers and retakes.

    .venv/bin/python benchmarks/cut_fillers.py [--runs 3] [--only cost,quality]

cost     a new statement with fillers and retakes (two takes of the generated script, about a minute) rendered
         to tiktok+youtube with the news template's defaults and auto subtitles, with --cut-fillers against the
         same render without it. Cold: each run with an empty cache (Whisper, cards, everything), as a user meets
         a new clip; warm beside it. Medians of --runs.                                     target <= 1.10x
prompt   the other approach: Whisper asked, by an initial prompt full of hesitations, to write them down; how many
         of the fillers it then writes as words, against no prompt (the captions' own transcription)
quality  generated statements (two scripts x two espeak voices x two noise floors) whose fillers ("äh", "ähm",
         0.4-0.8 s) and retakes are known: recall (a filler or retake counts as found when cuts cover at least
         half of it) and precision (a cut counts as right when at least half of it lies on a filler or a retake,
         or on the pauses around one), as Whisper heard them and with every filler word taken out of the
         transcript (the voice-without-words detector alone: Whisper often writes no "äh")
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.coldwarm import cold_and_warm  # noqa: E402
from videokit.samplegen import (  # noqa: E402
    DISFLUENT_SCRIPT,
    DISFLUENT_SCRIPT_2,
    make_clip,
    make_disfluent_speech,
)



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="cost,quality,prompt")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "cost" in args.only:
            cost(work, args.runs)
        if "quality" in args.only:
            quality(work)
        if "prompt" in args.only:
            prompt(work)


def cost(work: Path, runs: int) -> None:
    wav, _ = make_disfluent_speech(work / "cost", DISFLUENT_SCRIPT + DISFLUENT_SCRIPT_2)
    import wave

    with wave.open(str(wav)) as w:
        seconds = w.getnframes() / w.getframerate()
    clip = make_clip(work / "statement.mp4", seconds, size=(1920, 1080), audio=wav)
    med = cold_and_warm(work, ["render", str(clip), "--platforms", "tiktok,youtube"],
                        {"plain": [], "cut": ["--cut-fillers"]}, runs)
    print(f"cost: {seconds:.0f} s statement with 7 fillers and 3 retakes to tiktok+youtube, median of {runs}")
    for state in ("cold", "warm"):
        print(f"  {state}: without {med['plain ' + state]:.1f} s, --cut-fillers {med['cut ' + state]:.1f} s, "
              f"ratio {med['cut ' + state] / med['plain ' + state]:.3f}x")


def quality(work: Path) -> None:
    from videokit.captions.transcribe import TranscribeOptions, transcribe_file
    from videokit.edits.apply import recording_cuts
    from videokit.edits.fillers import is_filler_word

    totals = {mode: {"found": 0, "true": 0, "right": 0, "cuts": 0, "retakes_found": 0, "retakes": 0}
              for mode in ("as heard", "no filler words")}
    n = 0
    for s, script in enumerate((DISFLUENT_SCRIPT, DISFLUENT_SCRIPT_2)):
        for voice in ("de+m3", "de+f3"):
            for noise in (-60.0, -40.0):
                n += 1
                wav, layout = make_disfluent_speech(work / f"q{n}", script, noise, voice)
                heard = transcribe_file(str(wav), TranscribeOptions())
                duration = max(float(p["end"]) for p in layout) + 0.5
                for mode, words in (("as heard", heard),
                                    ("no filler words", [w for w in heard if not is_filler_word(w)])):
                    cuts, _ = recording_cuts(str(wav), words, [], True, 0.0, duration, 30)
                    score(totals[mode], layout, [(c.start, c.end) for c in cuts])
    print(f"quality: {n} generated statements ({sum(1 for p in DISFLUENT_SCRIPT if p[0] == 'filler') * 4 + sum(1 for p in DISFLUENT_SCRIPT_2 if p[0] == 'filler') * 4} fillers, "
          f"{sum(1 for p in DISFLUENT_SCRIPT if p[0] == 'retake') * 4 + sum(1 for p in DISFLUENT_SCRIPT_2 if p[0] == 'retake') * 4} retakes)")
    for mode, t in totals.items():
        print(f"  {mode:16}: filler recall {t['found'] / t['true']:.2f}, retake recall "
              f"{t['retakes_found'] / t['retakes']:.2f}, precision {t['right'] / max(1, t['cuts']):.2f} "
              f"({t['right']} of {t['cuts']} cuts)")


def prompt(work: Path) -> None:
    from videokit.captions.transcribe import TranscribeOptions, transcribe_file
    from videokit.edits.fillers import is_filler_word

    hesitations = work / "hesitations.txt"
    hesitations.write_text("Ähm\näh\nalso, ähm\nhm\n", encoding="utf-8")  # the prompt: "Ähm, äh, also, ähm, hm."
    written = {"no prompt": 0, "hesitation prompt": 0}
    true = n = 0
    for script in (DISFLUENT_SCRIPT, DISFLUENT_SCRIPT_2):
        for voice in ("de+m3", "de+f3"):
            for noise in (-60.0, -40.0):
                n += 1
                wav, layout = make_disfluent_speech(work / f"p{n}", script, noise, voice)
                fillers = [(float(p["start"]), float(p["end"])) for p in layout if p["kind"] == "filler"]
                true += len(fillers)
                for label, opts in (("no prompt", TranscribeOptions()),
                                    ("hesitation prompt", TranscribeOptions(glossary=hesitations))):
                    words = [w for w in transcribe_file(str(wav), opts) if is_filler_word(w)]
                    written[label] += sum(any(w.start < b and w.end > a for w in words) for a, b in fillers)
    print(f"prompt: fillers Whisper writes as words, of {true}: " +
          ", ".join(f"{label} {count} ({count / true:.2f})" for label, count in written.items()))


def score(t: dict[str, int], layout: list[dict[str, object]], cuts: list[tuple[float, float]]) -> None:
    def covered(a: float, b: float) -> float:
        return sum(max(0.0, min(b, d) - max(a, c)) for c, d in cuts) / (b - a)

    targets = [(float(p["start"]), float(p["end"]), p["kind"]) for p in layout if p["kind"] in ("filler", "retake")]
    spoken = [(float(p["start"]), float(p["end"])) for p in layout if p["kind"] == "say"]
    for a, b, kind in targets:
        hit = covered(a, b) >= 0.5
        if kind == "filler":
            t["true"] += 1
            t["found"] += hit
        else:
            t["retakes"] += 1
            t["retakes_found"] += hit
    for c, d in cuts:
        t["cuts"] += 1
        on_speech = sum(max(0.0, min(d, b) - max(c, a)) for a, b in spoken)
        t["right"] += on_speech <= 0.5 * (d - c) and any(min(d, b) > max(c, a) for a, b, _ in targets)


if __name__ == "__main__":
    main()
