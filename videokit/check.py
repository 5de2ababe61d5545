"""Validate an export against its platform preset: what the upload page would reject or mangle."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from videokit.errors import CheckFailed
from videokit.mp4box import top_level_boxes
from videokit.platforms import MB, Platform
from videokit.probe import probe
from videokit.render.loudness import Loudness, measure_file
from videokit.tools import ffprobe_bin, run_capture

# tag keys a phone leaves behind: location and device identity must never reach an upload
PRIVATE_TAG_PARTS = ("location", "iso6709", "xyz", "gps", "make", "model", "software", "com.apple", "com.android",
                     "loci", "creation_time")
LOUDNESS_TOLERANCE = 1.0  # LU
MAX_TRUE_PEAK = -1.0  # dBTP


@dataclass(slots=True)
class CheckItem:
    name: str
    ok: bool
    detail: str


@dataclass(slots=True)
class CheckReport:
    path: Path
    platform: str
    items: list[CheckItem] = field(default_factory=list)
    seconds: float | None = None  # the file's length as probed

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)

    @property
    def failures(self) -> list[CheckItem]:
        return [i for i in self.items if not i.ok]

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.items.append(CheckItem(name, ok, detail))

    def summary(self) -> str:
        if self.ok:
            return "ok"
        return "; ".join(f"{i.name}: {i.detail}" for i in self.failures)


def check_file(path: Path, platform: Platform, fps: int | None = None, target_lufs: float = -14.0,
               loudness: bool = True, measured: tuple[Loudness] | None = None) -> CheckReport:
    """Every upload rule that ffprobe (and one audio decode for loudness) can verify. `measured`: the loudness of
    this file's audio stream measured already, from the very bytes the file holds (the render's sound file)."""
    info = probe(path, packets=True)  # the timestamps' check reads the packets from the same probe
    rep = CheckReport(path, platform.name, seconds=info.duration)
    streams = info.raw.get("streams", [])
    v = next((s for s in streams if s.get("codec_type") == "video"), {})
    a = next((s for s in streams if s.get("codec_type") == "audio"), {})
    rep.add("size", (info.width, info.height) == platform.size, f"{info.width}x{info.height}, want {platform.width}x{platform.height}")
    rep.add("video codec", v.get("codec_name") == "h264" and v.get("profile") == "High",
            f"{v.get('codec_name')} {v.get('profile')}, want h264 High")
    rep.add("pixel format", v.get("pix_fmt") == "yuv420p", f"{v.get('pix_fmt')}, want yuv420p (8-bit 4:2:0)")
    rep.add("colour", v.get("color_transfer", "bt709") in ("bt709", "unknown") and not info.is_hdr,
            f"transfer {v.get('color_transfer', 'untagged')}, want BT.709 SDR")
    r, avg = Fraction(v.get("r_frame_rate", "0/1")), Fraction(v.get("avg_frame_rate", "0/1") or "0/1")
    cfr = r > 0 and abs(float(r) - float(avg)) < 0.01 * float(r)
    want_fps = f", want {fps}" if fps else ""
    rep.add("frame rate", cfr and (fps is None or abs(float(r) - fps) < 0.01) and 23 <= float(r) <= 60,
            f"{float(r):.3f} nominal / {float(avg):.3f} average{want_fps}, constant")
    if r > 0:  # the average rate can hide one missing frame: every presentation step must be one frame
        index = v.get("index", 0)
        gaps = step_gaps(sorted(float(p["pts_time"]) for p in info.raw.get("packets", [])
                                if p.get("stream_index") == index and "pts_time" in p), float(r))
        rep.add("timestamps", not gaps, f"{len(gaps)} irregular, first at {gaps[0]:.3f} s" if gaps
                else "every frame one frame after the last")
    rep.add("rotation", info.rotation == 0, f"{info.rotation}°, want none (pixels upright)")
    rep.add("audio", a.get("codec_name") == "aac" and a.get("profile") == "LC" and a.get("sample_rate") == "48000"
            and a.get("channels") == 2, f"{a.get('codec_name')} {a.get('profile')} {a.get('sample_rate')} Hz {a.get('channels')} ch, want AAC-LC 48 kHz stereo")
    rep.add("container", "mp4" in info.raw.get("format", {}).get("format_name", ""), info.raw.get("format", {}).get("format_name", "?"))
    rep.add("faststart", moov_before_mdat(path), "moov atom must come before mdat (+faststart)")
    private = sorted({k for s in [info.raw.get("format", {})] + streams for k in s.get("tags", {})
                      if any(p in k.lower() for p in PRIVATE_TAG_PARTS)})
    rep.add("metadata", not private, f"private tags present: {', '.join(private)}" if private else "no location/device tags")
    if platform.max_bytes and not platform.part_seconds:  # a video for --split: its parts are checked for size
        size = path.stat().st_size
        rep.add("file size", size <= platform.max_bytes,
                f"{size / MB:.1f} MB, allowed {platform.max_bytes / MB:g} MB")
    rep.add("duration", platform.min_duration <= info.duration <= platform.max_duration,
            f"{info.duration:.1f} s, allowed {platform.min_duration:g}–{platform.max_duration:g} s")
    if loudness and a:
        m = measured[0] if measured is not None else measure_file(str(path))
        if m is None:
            rep.add("loudness", True, "silent audio")
        else:
            i, tp = m["input_i"], m["input_tp"]
            rep.add("loudness", abs(i - target_lufs) <= LOUDNESS_TOLERANCE and tp <= MAX_TRUE_PEAK,
                    f"{i:.1f} LUFS, true peak {tp:.1f} dBTP (want {target_lufs:g} ±1 LUFS, ≤ {MAX_TRUE_PEAK:g} dBTP)")
    return rep


def check_outputs(paths: dict[str, Path], platforms: list[Platform], fps: int | None, target_lufs: float,
                  workers: int = 2, loudness: dict[str, Loudness] | None = None) -> list[CheckReport]:
    """Check every output, side by side. Files that are byte copies of one encode (see render/pictures.py) share
    its loudness measurement: the same bytes have the same loudness, and the audio decode is most of a check.
    `loudness`: outputs whose audio stream was measured already (a stream copy of the render's sound file)."""
    from concurrent.futures import ThreadPoolExecutor

    from videokit.render.pictures import picture_groups

    groups = picture_groups(platforms)
    leaders = {g.leader.name for g in groups}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        reports = dict(zip([p.name for p in platforms], pool.map(
            lambda p: check_file(paths[p.name], p, fps, target_lufs, loudness=p.name in leaders,
                                 measured=(loudness[p.name],) if loudness and p.name in loudness else None),
            platforms)))
    for group in groups:
        loud = [i for i in reports[group.leader.name].items if i.name == "loudness"]
        for member in group.copies:
            reports[member.name].items.extend(loud)
    return [reports[p.name] for p in platforms]


def refuse_failed(reports: list[CheckReport], consequence: str = "nothing was published") -> None:
    """One line for the first output that fails its platform's check (the publish step then publishes none)."""
    failed = [r for r in reports if not r.ok]
    if failed:
        raise CheckFailed(f"{failed[0].path}: does not meet the {failed[0].platform} upload spec "
                          f"({failed[0].summary()}); {consequence}")


def timestamp_gaps(path: Path, fps: float) -> list[float]:
    """Where the video's presentation times step by other than one frame (a frame missing or doubled at a join):
    the time before each irregular step. ffprobe lists the packets without decoding (about 50 ms a minute)."""
    proc = run_capture([ffprobe_bin(), "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                        "-of", "csv=p=0", str(path)])
    return step_gaps(sorted(float(t) for t in proc.stdout.split() if t.replace(".", "", 1).lstrip("-").isdigit()),
                     fps)


def step_gaps(times: list[float], fps: float) -> list[float]:
    """The time before each presentation step (of sorted `times`) that is not one frame."""
    step = 1 / fps
    return [a for a, b in zip(times, times[1:]) if abs(b - a - step) > step * 0.25]


def moov_before_mdat(path: Path) -> bool:
    """Walk the top-level MP4 boxes: players can start streaming only when moov comes first."""
    with path.open("rb") as fh:
        for kind, _, _ in top_level_boxes(fh):
            if kind in (b"moov", b"mdat"):
                return kind == b"moov"
    return False
