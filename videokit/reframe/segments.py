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
    span = (seg.keep[-1][1] - seg.start) if seg.keep else seg.duration
    analysis = analyse_clip(seg.path, seg.width, seg.height, seg.start, span)
    window = cover_crop(seg.width, seg.height, platform.width, platform.height).w / seg.width
    seg.reframe = [shot.as_dict() for shot in plan_path(analysis.samples, analysis.cuts, span, window)]


def plan_reframing(timeline: Timeline, platforms: list[Platform]) -> None:
    """Fills each clip's `reframe` path (the vertical platforms share one frame size, so one path serves all)."""
    vertical = [p for p in platforms if p.vertical]
    if timeline.fit != "auto" or not vertical:
        return
    for seg in timeline.clips:
        if needs_path(seg, vertical[0]):
            plan_segment(seg, vertical[0])
