"""Clean speech: quality on generated mixtures and the cost of `--clean-speech`, measured in one run.

    .venv/bin/python benchmarks/clean_speech.py [--seconds 60] [--podcast-minutes 10] [--repeat 1]

Quality: espeak-ng speech mixed with traffic-like, wind-like and babble noise at 0, 5 and 10 dB SNR; SI-SDR and
STOI of the noisy and the cleaned sound against the clean speech, and Whisper's WER on what it hears (the
original, or the cleaned sound where the rule in cleanspeech.py picks it). Speed: a new 60 s 1080p clip with
speech under traffic rendered to tiktok+youtube with and without `--clean-speech`, each with an empty cache
(nothing cleaned or transcribed before: what a user meets), interleaved; and a podcast of --podcast-minutes with
it, as a realtime factor (0 skips it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_cleanspeech import TEXT, _load, mixture, si_sdr, stoi, write_wav  # noqa: E402

from videokit.cleanspeech import DEFAULT_STRENGTH, clean_sound  # noqa: E402
from videokit.samplegen import make_clip, make_podcast_recording, speak  # noqa: E402

RATE = 48000
VIDEOKIT = [sys.executable, "-m", "videokit"]
REPO = Path(__file__).resolve().parent.parent


def wer(path: Path) -> float:
    import jiwer

    from videokit.captions.transcribe import TranscribeOptions, transcribe_file

    words = " ".join(w.text for w in transcribe_file(str(path), TranscribeOptions()))
    norm = lambda s: " ".join("".join(c for c in s.lower() if c.isalnum() or c.isspace()).split())  # noqa: E731
    return jiwer.wer(norm(TEXT), norm(words))


def quality(work: Path) -> None:
    speech = _load(speak(TEXT, work / "speech.wav"))
    print("noise     SNR  SI-SDR noisy → cleaned   STOI noisy → cleaned   WER original / heard (which)")
    for kind in ("traffic", "wind", "babble"):
        for snr in (0, 5, 10):
            noisy, clean = mixture(speech, kind, snr, work)
            source = write_wav(work / f"{kind}-{snr}.wav", noisy)
            sound = clean_sound(source, DEFAULT_STRENGTH)
            cleaned = _load(Path(sound.path))[: len(noisy)]
            heard = Path(sound.path) if sound.for_whisper else source
            original_wer = wer(source)
            heard_wer = wer(heard) if sound.for_whisper else original_wer
            print(f"{kind:8} {snr:4d}  {si_sdr(clean, noisy):6.1f} → {si_sdr(clean, cleaned):6.1f} dB"
                  f"   {stoi(clean, noisy):.3f} → {stoi(clean, cleaned):.3f}"
                  f"   {original_wer:.3f} / {heard_wer:.3f} ({'cleaned' if sound.for_whisper else 'original'})")


TITLE = "Baustelle am Friedrichsplatz"


def render(clip: Path, out: Path, extra: list[str], warm: Path) -> float:
    """One render with the brand's cards (and the joined model) from `warm`, everything about the clip cold."""
    shutil.rmtree(out, ignore_errors=True)
    cache = out.parent / f"cache-{out.name}"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(warm / "cards", cache / "cards")
    (cache / "models").symlink_to(warm / "models")
    started = time.perf_counter()
    subprocess.run([*VIDEOKIT, "render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube",
                    "--title", TITLE, "--subtitles", "auto", "--fit", "blur", *extra],
                   check=True, env={**os.environ, "VIDEOKIT_CACHE": str(cache)}, capture_output=True)
    return time.perf_counter() - started


def speed(work: Path, seconds: float, repeat: int) -> None:
    speech = _load(speak(" ".join([TEXT] * 6), work / "long.wav"))
    speech = np.resize(speech, int(seconds * RATE))
    noisy, _ = mixture(speech, "traffic", 5, work)
    clip = make_clip(work / "baustelle.mp4", seconds, size=(1920, 1080), audio=write_wav(work / "noisy.wav", noisy))
    warm = work / "cache-warm"  # the brand's cards and outro, drawn once (a weekly format's normal case)
    short = make_clip(work / "kurz.mp4", 2.0, size=(1920, 1080), audio="tone")
    subprocess.run([*VIDEOKIT, "render", str(short), "--out", str(work / "warmup"), "--platforms", "tiktok,youtube",
                    "--title", TITLE, "--subtitles", "auto"], check=True, capture_output=True,
                   env={**os.environ, "VIDEOKIT_CACHE": str(warm)})
    plain, cleaned = [], []
    for _ in range(repeat):
        plain.append(render(clip, work / "plain", [], warm))
        cleaned.append(render(clip, work / "clean", ["--clean-speech"], warm))
    p, c = float(np.median(plain)), float(np.median(cleaned))
    print(f"render {seconds:.0f} s 1080p → tiktok+youtube, caches empty: without {p:.1f} s, with --clean-speech "
          f"{c:.1f} s: {c / p:.3f}x (median of {repeat})")


def podcast(work: Path, minutes: float) -> None:
    """The podcast benchmark's recording (benchmarks/podcast_speed.py), whole runs without and with cleaning."""
    from podcast_speed import script_for

    recording, _ = make_podcast_recording(work / "pod", size=(1920, 1080), script=script_for(minutes), threads=2)
    length = len(_load(recording)) / RATE
    speakers = work / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "OB"\n\n[[speaker]]\nname = "Jana Beispiel"\n'
                        'role = "Tiefbauamt"\n', encoding="utf-8")
    for extra in ([], ["--clean-speech"]):
        env = {**os.environ, "VIDEOKIT_CACHE": str(work / f"cache-pod{len(extra)}")}
        started = time.perf_counter()
        subprocess.run([*VIDEOKIT, "podcast", str(recording), "--speakers", str(speakers), "--out",
                        str(work / f"pod-out{len(extra)}"), "--title", "Radweg", *extra], check=True, env=env,
                       capture_output=True)
        took = time.perf_counter() - started
        print(f"podcast {length / 60:.1f} min {' '.join(extra) or 'as recorded'}: {took:.0f} s = "
              f"{took / length:.2f}x realtime")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--podcast-minutes", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", choices=["quality", "speed", "podcast"])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-clean-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    try:
        if args.only in (None, "quality"):
            quality(work)
        if args.only in (None, "speed"):
            speed(work, args.seconds, args.repeat)
        if args.only in (None, "podcast") and args.podcast_minutes > 0:
            podcast(work, args.podcast_minutes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
