"""The one data model every job is planned into; JSON round-trips so `--dry-run` output is an artefact."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0  # the recogniser's confidence; low ones are flagged for review


@dataclass(slots=True)
class Cue:
    """One subtitle event. `words` carry timings for word highlighting; `lines` is the text as shown."""

    start: float
    end: float
    lines: list[str]
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class ClipSegment:
    """A piece of one source clip, already frame-aligned: `duration` is frames / fps exactly."""

    path: str
    start: float
    duration: float
    width: int  # display size after rotation
    height: int
    has_audio: bool
    hdr_transfer: str = ""  # "arib-std-b67" (HLG) or "smpte2084" (PQ) when tone mapping is needed
    is_vfr: bool = False
    color_matrix: str = "bt709"  # YUV matrix of the decoded picture: "bt709" or "bt601"
    native_yuv: bool = False  # decodes to 8-bit 4:2:0 limited range: at the output size it needs no conversion
    # source-time ranges [start, end) kept from this clip (silence cutting), frame aligned; empty = all of it.
    # One input with select/aselect instead of one input per piece: a podcast has hundreds of cuts.
    keep: list[list[float]] = field(default_factory=list)
    # a still picture shown instead of the clip's video, with a waveform of its sound (audiogram); "" = none
    still_image: str = ""
    wave_colour: str = "white"
    # --clean-speech: the clip's sound cleaned (a 48 kHz WAV on the clip's own timeline), read instead of its sound;
    # Whisper hears it only when it removed steady noise (cleanspeech.CleanSound.for_whisper)
    clean_audio: str = ""
    clean_for_whisper: bool = False
    # --fit auto: the planned camera path for vertical frames (reframe.path.Shot dicts, source seconds from
    # `start`; "crop" shots follow the speaker, "fill" shots show the whole picture over the blurred fill)
    reframe: list[dict[str, Any]] = field(default_factory=list)
    # --blur-faces: patches over the heads of bystanders (faceblur.patches dicts, source seconds from `start`,
    # pixels of the display size), drawn on the decoded picture before anything else
    blur: list[dict[str, Any]] = field(default_factory=list)

    @property
    def source_span(self) -> float:
        """Seconds of the source the segment reads, from its start: its duration, or up to its last kept range."""
        return self.keep[-1][1] - self.start if self.keep else self.duration


@dataclass(slots=True)
class Card:
    """A brand card (intro/outro/title): rendered once per platform and cached; `files` maps platform → mp4,
    `titles` platform → the title layer the graph animates over it (cards.TitleLayer as a dict)."""

    kind: str
    text: str
    duration: float
    files: dict[str, str] = field(default_factory=dict)
    titles: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class LowerThird:
    name: str
    role: str
    start: float  # seconds on the body (clips joined, before the intro is added)
    end: float
    files: dict[str, str] = field(default_factory=dict)  # platform → PNG


@dataclass(slots=True)
class CaptionTrack:
    """Cues on body time. `style_files` maps platform → ASS file burned into that platform's picture."""

    source: str  # "none", "auto" or the path of an edited SRT
    cues: list[Cue] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    style_files: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AudioPlan:
    target_lufs: float
    true_peak: float
    measured: dict[str, float] | None = None  # first-pass EBU R128 numbers of the unprocessed program audio
    gain_db: float = 0.0  # applied gain
    limit_db: float | None = None  # sample-peak ceiling of the lookahead limiter, when the gain needs one


@dataclass(slots=True)
class Stills:
    """A then-and-now body instead of clips: the archive photo (a slow Ken Burns move, its year, place and credit),
    a reveal transition, then today's photo or clip (the timeline's one clip, when it is video). Frame-aligned."""

    transition: str  # "slider", "wipe" or "crossfade"
    reveal: float  # the transition's length
    then_alone: float  # archive photo on its own before the reveal starts
    now_alone: float  # today's view on its own after the reveal
    music: str | None = None  # a bed under the whole video, ducked under today's speech
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # platform → role → prepared file
    # platform → photo role ("then", "now") → (anchor x, anchor y, zoom) of its Ken Burns move (thenandnow/faces.py)
    moves: dict[str, dict[str, tuple[float, float, float]]] = field(default_factory=dict)
    # platform → label role ("then_label", "credit", "now_label") → (x, y) in the frame, off every face
    places: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    @property
    def then_seconds(self) -> float:
        return self.then_alone + self.reveal

    @property
    def now_seconds(self) -> float:
        return self.reveal + self.now_alone

    @property
    def body_seconds(self) -> float:
        return self.then_alone + self.reveal + self.now_alone


@dataclass(slots=True)
class Output:
    platform: str
    width: int
    height: int
    path: str


@dataclass(slots=True)
class Timeline:
    title: str
    slug: str
    fps: int
    fit: str  # "blur" or "crop"
    focus_x: float  # 0..1, horizontal focus point for --fit crop
    clips: list[ClipSegment]
    intro: Card | None
    outro: Card | None
    lower_thirds: list[LowerThird]
    captions: CaptionTrack
    audio: AudioPlan
    outputs: list[Output]
    encoder: dict[str, Any] = field(default_factory=dict)
    stills: Stills | None = None  # a then-and-now pair: its photos and reveal make the body (the clip is today's)

    @property
    def body_duration(self) -> float:
        if self.stills is not None:
            return self.stills.body_seconds
        return sum(c.duration for c in self.clips)

    @property
    def intro_duration(self) -> float:
        return self.intro.duration if self.intro else 0.0

    @property
    def total_duration(self) -> float:
        return self.intro_duration + self.body_duration + (self.outro.duration if self.outro else 0.0)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Timeline":
        def cue(c: dict[str, Any]) -> Cue:
            return Cue(c["start"], c["end"], list(c["lines"]), [Word(**w) for w in c.get("words", [])])

        cap = d["captions"]
        return cls(
            title=d["title"], slug=d["slug"], fps=d["fps"], fit=d["fit"], focus_x=d["focus_x"],
            clips=[ClipSegment(**c) for c in d["clips"]],
            intro=Card(**d["intro"]) if d.get("intro") else None,
            outro=Card(**d["outro"]) if d.get("outro") else None,
            lower_thirds=[LowerThird(**lt) for lt in d["lower_thirds"]],
            captions=CaptionTrack(cap["source"], [cue(c) for c in cap["cues"]],
                                  [Word(**w) for w in cap.get("words", [])], dict(cap.get("style_files", {}))),
            audio=AudioPlan(**d["audio"]),
            outputs=[Output(**o) for o in d["outputs"]],
            encoder=dict(d.get("encoder", {})),
            stills=Stills(**d["stills"]) if d.get("stills") else None,
        )
