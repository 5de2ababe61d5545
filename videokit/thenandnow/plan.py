"""Plan one then-and-now clip (pure): how the seconds are shared between archive photo, reveal and today."""

from __future__ import annotations

from dataclasses import dataclass, field

from videokit.timeline import AudioPlan, Card, ClipSegment

TRANSITIONS = {"slider": 2.0, "wipe": 1.2, "crossfade": 1.2}  # reveal length in seconds
KEN_BURNS_ZOOM = 0.08  # 8 % slow push-in on the archive photo, the same pull-out on today's
MIN_PART = 1.5  # seconds each photo is seen on its own at least
CARD_SECONDS = 1.5  # short brand cards: the format lives from the photos


@dataclass(slots=True)
class PairPlan:
    fps: int
    transition: str
    reveal: float  # transition length
    then_alone: float  # archive photo on its own before the reveal starts
    now_alone: float  # today's view on its own after the reveal
    intro: Card | None
    outro: Card | None
    now_clip: ClipSegment | None  # today's view when it is video
    audio: AudioPlan
    music: str | None
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # platform → role → prepared file
    # platform → photo role ("then", "now") → (anchor x, anchor y, zoom) of its Ken Burns move (faces.Framing)
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

    @property
    def now_starts(self) -> float:
        """Where today's view (and its sound) begins, on output time."""
        return (self.intro.duration if self.intro else 0.0) + self.then_alone

    @property
    def total_seconds(self) -> float:
        return ((self.intro.duration if self.intro else 0.0) + self.body_seconds
                + (self.outro.duration if self.outro else 0.0))


def plan_pair(duration: float, transition: str, fps: int, intro: Card | None, outro: Card | None,
              now_clip: ClipSegment | None, audio: AudioPlan, music: str | None) -> PairPlan:
    """`duration` is the whole clip, cards included; the body gets what the cards leave. All frame-aligned."""
    if transition not in TRANSITIONS:
        raise ValueError(f"unknown transition '{transition}' (choose from: {', '.join(TRANSITIONS)})")
    reveal = _frames(TRANSITIONS[transition], fps)
    cards = sum(c.duration for c in (intro, outro) if c)
    if duration < min_duration(transition, cards):
        raise ValueError(f"duration {duration:g} s is too short (at least {min_duration(transition, cards):g} s)")
    duration -= cards
    then_alone = _frames((duration - reveal) / 2, fps)
    now_alone = _frames(duration - reveal - then_alone, fps)
    if now_clip is not None:
        now_clip.duration = _frames(reveal + now_alone, fps)
    return PairPlan(fps, transition, reveal, then_alone, now_alone, intro, outro, now_clip, audio, music)


def min_duration(transition: str, cards: float = 2 * CARD_SECONDS) -> float:
    return round(cards + TRANSITIONS[transition] + 2 * MIN_PART, 2)


def _frames(seconds: float, fps: int) -> float:
    return max(1, round(seconds * fps)) / fps
