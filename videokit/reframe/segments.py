"""Plan `--fit auto` for a timeline: analyse each wide clip a vertical output will crop, plan its camera path."""

from __future__ import annotations

from videokit.geometry import cover_crop
from videokit.platforms import Platform
from videokit.reframe.analyse import analyse_clip
from videokit.reframe.path import plan_path
from videokit.timeline import ClipSegment, Timeline


def needs_path(seg: ClipSegment, platform: Platform) -> bool:
    """A clip wider than the frame, in a frame narrower than it: what auto reframing is for."""
    return not seg.still_image and seg.width * platform.height > seg.height * platform.width * 1.01


def plan_segment(seg: ClipSegment, platform: Platform) -> None:
    span = seg.source_span
    analysis = analyse_clip(seg.path, seg.width, seg.height, seg.start, span)
    window = cover_crop(seg.width, seg.height, platform.width, platform.height).w / seg.width
    # the window is recorded: a wider frame (4:5 beside 9:16) follows the same path around the same centre
    seg.reframe = [{**shot.as_dict(), "window": round(window, 5)}
                   for shot in plan_path(analysis.samples, analysis.cuts, span, window)]


def narrowest(platforms: list[Platform]) -> Platform | None:
    """The frame whose crop window is narrowest: its camera path serves the wider ones too (the same centre)."""
    return min(platforms, key=lambda p: p.width / p.height, default=None)


def plan_reframing(timeline: Timeline, platforms: list[Platform]) -> None:
    """Fills each clip's `reframe` path, planned for the narrowest frame that crops it (9:16 before 4:5): a
    speaker kept in the narrow window is kept in the wider one around the same centre."""
    if timeline.fit != "auto":
        return
    for seg in timeline.clips:
        frame = narrowest([p for p in platforms if needs_path(seg, p)])
        if frame is not None:
            plan_segment(seg, frame)
