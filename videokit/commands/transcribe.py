"""`videokit transcribe`: the review loop's first step (SRT + VTT + word JSON next to the clip)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from videokit.captions.formats import write_sidecar
from videokit.captions.segment import segment
from videokit.captions.transcribe import TranscribeOptions, transcribe_file
from videokit.errors import InputError, VideokitError
from videokit.probe import probe
from videokit.templates import load_template
from videokit.textfile import write_text_atomic


def transcribe_for_review(clip: Path, out_dir: Path | None, engine: str, model: Path | None,
                          glossary: Path | None, language: str, template: str | None) -> tuple[list[Path], str]:
    info = probe(clip)
    if not info.has_audio:
        raise InputError.for_file(clip, "has no audio track", "nothing to transcribe")
    tpl = load_template(template)
    opts = TranscribeOptions(engine=engine, model=model, language=language, glossary=glossary)
    words = transcribe_file(str(clip), opts)
    cues = segment(words, tpl.horizontal_captions, tpl.fps)
    folder = out_dir or clip.parent
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / clip.stem
    written = [write_sidecar(cues, stem.with_suffix(".srt")), write_sidecar(cues, stem.with_suffix(".vtt"))]
    data = {"source": str(clip), "engine": engine, "language": language,
            "words": [{"text": w.text, "start": w.start, "end": w.end} for w in words],
            "cues": [{"start": c.start, "end": c.end, "lines": c.lines} for c in cues]}
    json_path = stem.with_suffix(".json")
    write_text_atomic(json_path, json.dumps(data, ensure_ascii=False, indent=1))
    written.append(json_path)
    notice = "" if words else "no speech found: the subtitle files are empty"
    return written, notice


@click.command()
@click.argument("clips", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Folder for .srt/.vtt/.json (default: next to the clip).")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper", show_default=True)
@click.option("--model", type=click.Path(path_type=Path), help="Other Whisper model (faster-whisper folder or openai checkpoint).")
@click.option("--glossary", type=click.Path(path_type=Path), help="Names to spell right (text file).")
@click.option("--language", default="de", show_default=True)
@click.option("--template", help="Template whose horizontal caption style segments the SRT.")
def transcribe(clips: tuple[Path, ...], out_dir: Path | None, engine: str, model: Path | None,
               glossary: Path | None, language: str, template: str | None) -> None:
    """Write CLIP.srt, .vtt and .json (words and timings) for review before rendering."""
    failures = 0
    for clip in clips:
        try:
            written, notice = transcribe_for_review(clip, out_dir, engine, model, glossary, language, template)
        except VideokitError as exc:
            click.echo(f"error: {exc.message}", err=True)
            failures += 1
            continue
        if notice:
            click.echo(f"{clip}: {notice}")
        for path in written:
            click.echo(str(path))
    if failures:
        sys.exit(2)

