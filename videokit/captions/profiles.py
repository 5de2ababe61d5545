"""Caption profiles: the norms captions are made to and checked against (pure).

`broadcast` is the German public broadcasters' common standard (ARD/ZDF/ORF/SRF): at most 2 lines of 37
characters, 13-15 characters a second (never above 17), at least 1 s on screen, at least one frame between two
subtitles, sounds in asterisks (`*Straßenbahn fährt vorbei*`), a change of speaker marked with a dash. `netflix` is
Netflix's German timed-text guide. `platform` keeps the template's own style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from videokit.errors import ConfigError
from videokit.templates import CaptionStyle
from videokit.timeline import Cue


@dataclass(frozen=True, slots=True)
class CaptionProfile:
    name: str
    max_chars_per_line: int
    max_lines: int
    aim_cps: float  # the reading speed cues are made for (and checked against)
    max_cps: float  # never above
    min_duration: float
    max_duration: float
    min_gap_frames: int
    max_linger: float  # how long a cue may stay on after the voice, into a pause, so it can be read


PROFILES: dict[str, CaptionProfile] = {
    "broadcast": CaptionProfile("broadcast", 37, 2, 15.0, 17.0, 1.0, 7.0, 1, 2.0),
    "netflix": CaptionProfile("netflix", 42, 2, 17.0, 17.0, 5 / 6, 7.0, 2, 0.5),
}
CHOICES = ("platform", *PROFILES)  # "platform": the template's own caption style


def get_profile(name: str) -> CaptionProfile | None:
    """The profile, or None for "platform"; a one-line error for a name it does not know."""
    if name == "platform":
        return None
    if name not in PROFILES:
        raise ConfigError(f"unknown caption profile '{name}' (choose from: {', '.join(CHOICES)})")
    return PROFILES[name]


def profiled(style: CaptionStyle, name: str) -> CaptionStyle:
    """The horizontal caption style made to a profile (its look, font and burning stay the template's)."""
    profile = get_profile(name)
    if profile is None:
        return style
    return replace(style, max_chars_per_line=profile.max_chars_per_line, max_lines=profile.max_lines,
                   max_cps=profile.aim_cps, min_duration=profile.min_duration, max_duration=profile.max_duration,
                   min_gap_frames=profile.min_gap_frames, max_linger=profile.max_linger)


@dataclass(frozen=True, slots=True)
class Problem:
    cue: int  # 1-based
    start: float
    rule: str  # what is broken, with the figures


SOUND_IN_BRACKETS = re.compile(r"^[\[(][^\])]*[\])]$")
DASH = ("-", "–", "—")


def caption_problems(cues: list[Cue], profile: CaptionProfile, fps: float = 25.0) -> list[Problem]:
    """Every rule each cue breaks, cue by cue."""
    found: list[Problem] = []
    for n, cue in enumerate(cues, 1):
        def broken(rule: str) -> None:
            found.append(Problem(n, cue.start, rule))

        lines = [line.strip() for line in cue.lines if line.strip()]
        duration = cue.end - cue.start
        chars = len(" ".join(lines))
        longest = max((len(line) for line in lines), default=0)
        if len(lines) > profile.max_lines:
            broken(f"{len(lines)} lines (at most {profile.max_lines})")
        if longest > profile.max_chars_per_line:
            broken(f"a line of {longest} characters (at most {profile.max_chars_per_line})")
        cps = chars / duration if duration > 0 else float("inf")
        if cps > profile.max_cps:
            broken(f"reading speed {cps:.1f} characters/s (never above {profile.max_cps:g})")
        elif cps > profile.aim_cps + 0.05:
            broken(f"reading speed {cps:.1f} characters/s (the norm: at most {profile.aim_cps:g})")
        if duration < profile.min_duration - 1e-3:
            broken(f"on screen {duration:.2f} s (at least {profile.min_duration:.2f} s)")
        if duration > profile.max_duration + 1e-3:
            broken(f"on screen {duration:.1f} s (at most {profile.max_duration:g} s)")
        if n < len(cues):
            gap = cues[n].start - cue.end
            if gap < profile.min_gap_frames / fps - 1e-3:
                broken(f"{max(0.0, gap) * 1000:.0f} ms before the next subtitle (at least {profile.min_gap_frames} "
                       f"frame{'s' if profile.min_gap_frames > 1 else ''})")
        for line in lines:
            if SOUND_IN_BRACKETS.match(line):
                broken(f"sound '{line}' in brackets (in asterisks: *{line[1:-1]}*)")
        dashed = [line.startswith(DASH) for line in lines]
        if any(dashed[1:]) and not dashed[0]:
            broken("a change of speaker inside the subtitle: mark both speakers with a dash")
    return found


def profile_note(cues: list[Cue], name: str, fps: float) -> str | None:
    """The run's note on its captions against the job's profile (None for "platform")."""
    profile = get_profile(name)
    if profile is None or not cues:
        return None
    problems = caption_problems(cues, profile, fps)
    broken = len({p.cue for p in problems})
    if not broken:
        return f"captions: all {len(cues)} cues keep the {name} norm"
    return (f"captions: {broken} of {len(cues)} cues break the {name} norm where speech is too fast to hold "
            f"(videokit check --captions on the SRT lists them; shorten them in videokit review)")
