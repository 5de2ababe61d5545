"""Transcription: realtime factor of both engines on a 60 s German espeak-ng clip, word error rate of the SRT
text against the reference, cue timing sanity, and the peak memory of a 10-minute transcription.

    .venv/bin/python benchmarks/transcribe_speed.py [--seconds 60] [--long-minutes 10] [--skip-openai]

The realtime factor is audio seconds / wall seconds with the model already loaded (loading is ~1 s once).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jiwer  # noqa: E402

from videokit.captions.audio import load_speech  # noqa: E402
from videokit.captions.formats import read_subtitles, write_sidecar  # noqa: E402
from videokit.captions.segment import segment  # noqa: E402
from videokit.captions.transcribe import TranscribeOptions, transcribe_audio  # noqa: E402
from videokit.samplegen import speak  # noqa: E402
from videokit.speechtext import text_of  # noqa: E402
from videokit.templates import load_template  # noqa: E402


def normalise(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


def german_speech(folder: Path, seconds: float) -> tuple[Path, str]:
    """Sentences with short pauses until the target length is reached."""
    parts, texts, total, i = [], [], 0.0, 0
    while total < seconds:
        text = text_of(2, offset=i)
        wav = speak(text, folder / f"part{i}.wav")
        parts.append(wav)
        texts.append(text)
        total += len(load_speech(str(wav))) / 16000 + 0.6
        i += 2
    listing = folder / "list.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts), encoding="utf-8")
    out = folder / "speech.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-af", "apad=pad_dur=0.6", "-t", str(seconds), str(out)], check=True)
    return out, " ".join(texts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--long-minutes", type=float, default=10.0)
    ap.add_argument("--skip-openai", action="store_true")
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:  # run one transcription and report this process's peak memory
        audio = load_speech(args.memory_child)
        transcribe_audio(audio, TranscribeOptions())
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return
    work = Path(tempfile.mkdtemp(prefix="vk-asr-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")  # no transcript cache hits
    wav, reference = german_speech(work, args.seconds)
    audio = load_speech(str(wav))
    seconds = len(audio) / 16000
    engines = ["faster-whisper"] + ([] if args.skip_openai else ["openai-whisper"])
    style = load_template("news").horizontal_captions
    for engine in engines:
        opts = TranscribeOptions(engine=engine)
        transcribe_audio(audio[: 16000 * 3], opts)  # load the model once (not part of the factor)
        start = time.perf_counter()
        words = transcribe_audio(audio, opts)
        wall = time.perf_counter() - start
        cues = segment(words, style, 25)
        srt = write_sidecar(cues, work / f"{engine}.srt")
        text = " ".join(" ".join(c.lines) for c in read_subtitles(srt))
        wer = jiwer.wer(normalise(reference), normalise(text))
        monotonic = all(a.start <= b.start for a, b in zip(words, words[1:]))
        inside = all(0 <= w.start < w.end <= seconds + 0.01 for w in words)
        print(f"{engine:15} {seconds:.0f} s audio in {wall:5.1f} s: {seconds / wall:5.1f}x realtime, "
              f"WER {wer:.3f} (target <= 0.30), {len(cues)} cues, monotonic={monotonic}, inside audio={inside}")
    if args.long_minutes > 0:
        long_wav = work / "long.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(wav), "-t",
                        str(args.long_minutes * 60), str(long_wav)], check=True)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(long_wav)], capture_output=True,
                             text=True, check=True, env={**os.environ, "VIDEOKIT_CACHE": str(work / "cache2")})
        wall = time.perf_counter() - start
        peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
        print(f"{args.long_minutes:g}-minute transcription (faster-whisper): peak memory {peak_mb:.0f} MB "
              f"(target < 1536 MB), {args.long_minutes * 60 / wall:.1f}x realtime including model load")


if __name__ == "__main__":
    main()
