"""The caption stage of a render: words for the body (Whisper or an edited SRT) → cues per platform style."""

from __future__ import annotations

from pathlib import Path

from videokit.captions.formats import read_subtitles
from videokit.captions.segment import segment, words_from_cues, wrap_lines
from videokit.captions.transcribe import TranscribeOptions, transcribe_file
from videokit.timemap import TimeMap, words_on_body
from videokit.templates import CaptionStyle, Template
from videokit.timeline import Cue, Timeline, Word


def body_words(timeline: Timeline, opts: TranscribeOptions, heard: list[list[Word]] | None = None) -> list[Word]:
    """Transcribe each clip's used part and place its words on body time. `heard`: each clip's words already
    transcribed on recording time (a cut job heard them first); a clip's cuts drop the words they removed."""
    words: list[Word] = []
    offset = 0.0
    for n, seg in enumerate(timeline.clips):
        if heard is not None and seg.keep:
            words += [Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                      for w in words_on_body(heard[n], TimeMap([(a, b) for a, b in seg.keep]))]
        elif heard is not None:
            words += [Word(w.text, round(w.start - seg.start + offset, 3), round(w.end - seg.start + offset, 3),
                           w.probability) for w in heard[n]]
        elif seg.has_audio:
            source = seg.clean_audio if seg.clean_for_whisper else seg.path
            for w in transcribe_file(source, opts, seg.start, seg.duration):
                words.append(Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3)))
        offset += seg.duration
    return words


def edited_cues(path: Path, style: CaptionStyle) -> list[Cue]:
    """The editor's cues kept as they are (their text is the truth); only over-long lines are re-wrapped."""
    cues = read_subtitles(path)
    for cue in cues:
        texts = " ".join(cue.lines).split()
        if any(len(line) > style.max_chars_per_line for line in cue.lines):
            cue.lines = wrap_lines(texts, style, strict=False) or cue.lines
    return cues


def plan_captions(timeline: Timeline, template: Template, opts: TranscribeOptions,
                  heard: list[list[Word]] | None = None) -> dict[bool, list[Cue]]:
    """Cues keyed by 'vertical?': broadcast cues for the horizontal picture and sidecars, word groups for vertical.
    `heard`: the clips' words on recording time when the job's cuts were planned from them."""
    source = timeline.captions.source
    if source == "none":
        return {}
    if source == "auto":
        words = body_words(timeline, opts, heard)
        horizontal = segment(words, template.horizontal_captions, timeline.fps)
    else:
        horizontal = edited_cues(Path(source), template.horizontal_captions)
        words = words_from_cues(horizontal)
    horizontal = [c for c in horizontal if c.start < timeline.body_duration]
    for cue in horizontal:
        cue.end = min(cue.end, timeline.body_duration)
    vertical = segment([w for w in words if w.start < timeline.body_duration], template.vertical_captions, timeline.fps)
    timeline.captions.cues = horizontal
    timeline.captions.words = words
    return {False: horizontal, True: vertical}
