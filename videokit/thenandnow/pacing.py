"""Plan one then-and-now clip (pure): how the seconds are shared between archive photo, reveal and today."""

from __future__ import annotations

from videokit.timeline import (
    AudioPlan,
    CaptionTrack,
    Card,
    ClipSegment,
    Stills,
    Timeline,
)

TRANSITIONS = {"slider": 2.0, "wipe": 1.2, "crossfade": 1.2}  # reveal length in seconds
MIN_PART = 1.5  # seconds each photo is seen on its own at least
CARD_SECONDS = 1.5  # short brand cards: the format lives from the photos


def plan_pair(duration: float, transition: str, fps: int, intro: Card | None, outro: Card | None,
              now_clip: ClipSegment | None, audio: AudioPlan, music: str | None, title: str = "",
              slug: str = "") -> Timeline:
    """The pair as a Timeline with a stills body (today's clip, when video, its one clip). `duration` is the whole
    clip, cards included; the body gets what the cards leave. All frame-aligned."""
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
    return Timeline(title, slug, fps, "crop", 0.5, [now_clip] if now_clip is not None else [], intro, outro, [],
                    CaptionTrack("none"), audio, [], stills=Stills(transition, reveal, then_alone, now_alone, music))


def min_duration(transition: str, cards: float = 2 * CARD_SECONDS) -> float:
    return round(cards + TRANSITIONS[transition] + 2 * MIN_PART, 2)


def _frames(seconds: float, fps: int) -> float:
    return max(1, round(seconds * fps)) / fps
