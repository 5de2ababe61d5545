"""Podcast: the whole `videokit podcast` run on a 10-minute two-speaker 1080p30 recording, as a ratio to the
recording's own length (target ≤ 0.5x realtime; must be < 1x).

    .venv/bin/python benchmarks/podcast_speed.py [--minutes 10] [--keep]

The run covers what a user gets from one command: transcription (Whisper base, faster-whisper int8), silence
cuts, speaker turns, the YouTube episode (intro, outro, lower thirds), MP3 + M4A with tags and chapters,
chapters.txt, review.html and one vertical teaser. Fresh cache: cards are drawn and the speech is transcribed
from scratch. The recording: two espeak-ng voices taking turns of 2-6 sentences, pauses of 0.4-3 s, a
studio-like picture (static set, a gently moving figure), like a phone on a tripod.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from videokit.samplegen import make_podcast_recording  # noqa: E402
from videokit.speechtext import SENTENCES  # noqa: E402

VOICES = ("de+m3", "de+f2")


def script_for(minutes: float) -> list[tuple[str, str, float]]:
    """Turns of 2-6 sentences, alternating voices, until about `minutes` of talk (espeak: ~1.75 words/s)."""
    script, seconds, i = [], 0.0, 0
    while seconds < minutes * 60:
        n = 2 + (i * 3) % 8  # 2-9 sentences: some turns are long enough for a teaser
        text = " ".join(SENTENCES[(i * 3 + k) % len(SENTENCES)] for k in range(n))
        pause = (0.6, 2.2, 1.0, 3.0, 0.8)[i % 5]
        script.append((VOICES[i % 2], text, pause))
        seconds += len(text.split()) / 1.75 + pause  # espeak-ng at 125 wpm with sentence breaks (measured)
        i += 1
    return script


def x264_alone(recording: Path, seconds: float = 60.0) -> float:
    """Seconds of encode per second of recording for the podcast template's x264 settings, nothing else."""
    from videokit.platforms import PLATFORMS
    from videokit.render.streams import EncoderSettings
    from videokit.templates import load_template

    tpl = load_template("podcast")
    args = EncoderSettings(tpl.preset, tpl.crf, 30).video_args(PLATFORMS["youtube"])
    argv = ["ffmpeg", "-v", "error", "-y", "-ss", "60", "-t", str(seconds), "-i", str(recording), "-an"]
    for key, value in args.items():
        if key != "r":
            argv += [f"-{key}", str(value)]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(argv + [str(Path(tmp) / "x264.mp4")], check=True)
        return (time.perf_counter() - started) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--fps", type=int, default=30, help="30: a phone; 25: a camera set to PAL (output follows)")
    parser.add_argument("--recording", type=Path, help="reuse a recording made by an earlier --keep run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="videokit-bench-podcast-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")  # cold: nothing transcribed or drawn before
    if not args.recording:
        print(f"making a {args.minutes:g}-minute two-speaker 1080p{args.fps} recording in {work} ...", flush=True)
    if args.recording:
        import json

        recording = args.recording
        layout = json.loads(recording.with_suffix(".json").read_text(encoding="utf-8"))
    else:
        recording, layout = make_podcast_recording(work, size=(1920, 1080), script=script_for(args.minutes),
                                                   threads=0, fps=args.fps)
    length = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                   str(recording)], capture_output=True, text=True, check=True).stdout)
    speakers = work / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Oberbürgermeister"\n\n'
                        '[[speaker]]\nname = "Dr. Jana Beispiel"\nrole = "Leiterin Tiefbauamt"\n', encoding="utf-8")
    cmd = [str(ROOT / ".venv" / "bin" / "videokit"), "podcast", str(recording), "--speakers", str(speakers),
           "--out", str(work / "out"), "--title", "Rathaus-Podcast Folge 1", "--episode", "1", "--teasers", "1"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
    wall = time.perf_counter() - started
    print(proc.stdout.strip())
    if proc.returncode != 0:
        print(proc.stderr.strip(), file=sys.stderr)
        sys.exit(1)
    print(f"recording {length:.1f} s ({len(layout)} turns), videokit podcast {wall:.1f} s")
    print(f"ratio to realtime: {wall / length:.2f}x (target <= 0.5x, must be < 1x)")
    print(f"machine speed now: x264 alone encodes this recording at {x264_alone(recording):.2f}x realtime "
          "(superfast crf 21, video only, 60 s excerpt; the episode encode is most of the run)")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
