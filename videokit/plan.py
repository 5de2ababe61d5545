"""Plan `videokit render`: clips joined in order (trimmed, frame-aligned), cards, lower thirds, outputs."""

from __future__ import annotations

from pathlib import Path

from videokit.errors import ConfigError, InputError
from videokit.job import RenderJob, output_name, output_paths
from videokit.platforms import Platform, fitted_to_size
from videokit.probe import MediaInfo
from videokit.timeline import (
    AudioPlan,
    CaptionTrack,
    Card,
    ClipSegment,
    LowerThird,
    Output,
    Timeline,
)

MIN_SEGMENT = 0.2  # seconds; shorter trims are almost certainly typos


def plan_render(job: RenderJob, infos: list[MediaInfo], intro_seconds: float, outro_seconds: float) -> Timeline:
    fps = job.fps
    clips = [clip_segment(spec.path, spec.start, spec.end, info, fps) for spec, info in zip(job.clips, infos)]
    body = sum(c.duration for c in clips)
    lower_thirds = []
    for lt in job.lower_thirds:
        end = min(lt.end if lt.end is not None else body, body)
        if lt.start >= body - MIN_SEGMENT:
            raise ConfigError(f"lower third '{lt.name}' starts at {lt.start:g} s but the video body is only {body:.1f} s long")
        lower_thirds.append(LowerThird(lt.name, lt.role, round(lt.start, 3), round(end, 3)))
    total = body + (intro_seconds if job.intro else 0) + (outro_seconds if job.outro else 0)
    check_lengths(job.platforms, total, job.split)
    name = output_name(job)
    paths = output_paths(job)
    outputs = [Output(p.name, p.width, p.height, str(paths[p.name])) for p in job.platforms]
    return Timeline(
        title=job.title, slug=name, fps=fps, fit=job.fit, focus_x=job.focus_x, clips=clips,
        intro=Card("intro", job.title, _aligned(intro_seconds, fps)) if job.intro and intro_seconds > 0 else None,
        outro=Card("outro", "", _aligned(outro_seconds, fps)) if job.outro and outro_seconds > 0 else None,
        lower_thirds=lower_thirds,
        captions=CaptionTrack(source=job.subtitles),
        audio=AudioPlan(job.template.loudness, job.template.true_peak),
        outputs=outputs,
        encoder={"preset": job.template.preset, "crf": job.template.crf},
    )


def check_lengths(platforms: list[Platform], total: float, split: bool = False) -> None:
    """One line before anything renders: a video too long or short for a channel, or too long for its size cap.
    `split`: a channel that takes parts (WhatsApp's status) gets the video in parts of its longest length."""
    for p in platforms:
        if split and p.splits and total > p.max_duration:
            fitted_to_size(p, p.max_duration, 2)
            continue
        if not p.min_duration <= total <= p.max_duration:
            hint = " or --split it into parts" if p.splits else ""
            raise ConfigError(f"the video would be {total:.1f} s long but {p.name} accepts "
                              f"{p.min_duration:g}–{p.max_duration:g} s (trim, add clips{hint} or drop that platform)")
        fitted_to_size(p, total, 2)


def clip_segment(path: Path, start: float, end: float | None, info: MediaInfo, fps: int) -> ClipSegment:
    if start == 0 and info.duration < 2 * MIN_SEGMENT:
        raise InputError.for_file(path, f"is too short to use ({info.duration:.2f} s)",
                                  f"a clip needs at least {2 * MIN_SEGMENT:g} s of picture")
    if start >= info.duration - MIN_SEGMENT:
        raise InputError.for_file(path, f"trim start {start:g} s is at or past the clip's end ({info.duration:.1f} s)",
                                  "check --trim, or the clip's start in the job file")
    stop = min(end, info.duration) if end is not None else info.duration
    return ClipSegment(
        path=str(path), start=round(start, 3), duration=_aligned(stop - start, fps),
        width=info.width, height=info.height, has_audio=info.has_audio,
        hdr_transfer=info.color_transfer if info.is_hdr else "", is_vfr=info.is_vfr,
        color_matrix=source_matrix(info),
        native_yuv=info.pix_fmt == "yuv420p" and info.color_range != "pc" and not info.is_hdr,
    )


def source_matrix(info: MediaInfo) -> str:
    """The matrix to read the clip with. Untagged HD video is BT.709 by convention (players assume it;
    swscale would assume BT.601, shifting colours and wasting a third of the render on a needless conversion)."""
    if info.is_hdr:
        return "bt709"  # the tone-mapping chain outputs BT.709
    if info.color_space in ("smpte170m", "bt470bg"):
        return "bt601"
    if not info.color_space or info.color_space == "unknown":
        return "bt709" if max(info.width, info.height) >= 1280 else "bt601"
    return "bt709"


def _aligned(seconds: float, fps: int) -> float:
    """Whole frames only, so picture and sound segments have exactly the same length."""
    return max(1, round(seconds * fps)) / fps
