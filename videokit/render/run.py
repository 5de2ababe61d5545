"""Run one ffmpeg process with a progress bar; outputs are written to temp names and published atomically."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Callable, Iterable, Iterator

from tqdm import tqdm

from videokit.errors import RenderError
from videokit.interrupt import check_running
from videokit.outdir import disk_problem
from videokit.scratch import pid_alive

# ffmpeg log lines that mean an input could not be read completely (the render would silently be short/frozen)
FATAL_INPUT = re.compile(
    r"partial file|Invalid data found|error while decoding|corrupt|moov atom not found|"
    r"Error reading|Packet mismatch|stream ends prematurely|Invalid NAL unit|missing picture",
    re.IGNORECASE,
)


# who else wants to know how far a render is (the review editor's "render again" shows it on its page)
progress_listener: ContextVar[Callable[[float], None] | None] = ContextVar("progress_listener", default=None)


def temp_output(final: Path) -> Path:
    """A hidden temp name in the target folder (same filesystem, so the final rename is atomic)."""
    return final.with_name(f".{final.stem}.{os.getpid()}.part{final.suffix}")


def run_ffmpeg(argv: list[str], total_seconds: float, label: str, inputs: list[str], progress: bool = True) -> None:
    """Run ffmpeg; raise RenderError naming the input when it fails or reads an input only partly."""
    check_running()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                text=True, encoding="utf-8", errors="replace", env=ffmpeg_env())
        bar = tqdm(total=round(total_seconds, 1), unit="s", desc=label, disable=None if progress else True, leave=False,
                   bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total:.1f} s video [{elapsed}<{remaining}]")
        assert proc.stdout is not None
        done = 0.0
        try:
            for line in proc.stdout:
                key, _, value = line.strip().partition("=")
                if key == "out_time_us" and value.isdigit():
                    now = min(total_seconds, int(value) / 1e6)
                    bar.update(round(now - done, 3))
                    done = now
                    listener = progress_listener.get()
                    if listener is not None and total_seconds > 0:
                        listener(done / total_seconds)
            code = proc.wait()
        except BaseException:  # a signal (videokit.interrupt) or an error here: ffmpeg must not run on
            proc.kill()
            proc.wait()
            raise
        finally:
            bar.close()
        err.seek(0)
        log = err.read()
    writing = disk_problem(log, Path(argv[-1]).parent) if code != 0 else None
    if writing:  # the output could not be written: not the clip's fault
        raise RenderError(writing + "; nothing was written")
    problem = _first_problem(log)
    if code != 0 or problem:
        raise RenderError(f"{_culprit(problem or log, inputs)}: {problem or _last(log) or f'ffmpeg exit code {code}'}"
                          " (re-export or re-copy the clip; nothing was written)")


# glibc hands a freed frame-sized block (MBs) back to the kernel and faults fresh zeroed pages in for the next one.
# overlay copies every frame it cannot write into (ffmpeg 5.1's framesync clones the main frame while the layer's
# next frame is unknown) with a plain malloc, so a render with burned captions took ~900,000 page faults and a
# second of kernel time. Keeping freed memory in the process (allocations up to 32 MB from the heap, no trim below
# 1 GB): 48,000 faults, the same output. ffmpeg is short-lived, so nothing is held longer than the render.
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"


def ffmpeg_env() -> dict[str, str]:
    """The environment for ffmpeg: ours, with the allocator tuned (a user's other GLIBC_TUNABLES kept)."""
    env = dict(os.environ)
    env["GLIBC_TUNABLES"] = ":".join(t for t in (env.get("GLIBC_TUNABLES", ""), MALLOC_TUNABLES) if t)
    return env


def _first_problem(log: str) -> str:
    for line in log.splitlines():
        if FATAL_INPUT.search(line):
            return re.sub(r"^\[[^\]]*\]\s*", "", line.strip())
    return ""


def _culprit(text: str, inputs: list[str]) -> str:
    """Name the input the error is about when ffmpeg's line says so; else all inputs."""
    for path in inputs:
        if path in text or Path(path).name in text:
            return path
    return inputs[0] if len(inputs) == 1 else "one of " + ", ".join(Path(p).name for p in inputs)


def _last(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


# Linux caps one argument at 128 KiB; an hour-long podcast's cut list can come close
MAX_INLINE_FILTERGRAPH = 64 * 1024


def spill_filtergraph(argv: list[str], work: Path, name: str = "filtergraph") -> list[str]:
    """Move a very long -filter_complex into a script file (same graph, no argv limit). Processes that run side by
    side (the picture and the sound) spill under their own `name`: each reads its file when it starts."""
    if "-filter_complex" not in argv:
        return argv
    i = argv.index("-filter_complex")
    if len(argv[i + 1]) <= MAX_INLINE_FILTERGRAPH:
        return argv
    script = work / f"{name}.txt"
    script.write_text(argv[i + 1], encoding="utf-8")
    return argv[:i] + ["-filter_complex_script", str(script)] + argv[i + 2:]


def remove_stale_parts(finals: Iterable[Path], spare_running: bool = False) -> None:
    """Temp files a killed process left for these outputs: a re-run starts clean, and a batch whose worker died
    mid-item leaves nothing half-written in the output folder. `spare_running`: keep those of a process still
    running on this machine (the same job rendering in another terminal); a batch on a cluster cannot tell."""
    for final in finals:
        for stale in final.parent.glob(f".{glob_escape(final.stem)}.*.part{final.suffix}"):
            pid = stale.name[len(final.stem) + 2:].split(".", 1)[0]
            if spare_running and pid.isdigit() and pid_alive(int(pid)) and int(pid) != os.getpid():
                continue
            stale.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


@contextmanager
def atomic_outputs(finals: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Yield temp paths; on error remove them all, so a failed render leaves no partial file behind."""
    temps = {key: temp_output(path) for key, path in finals.items()}
    try:
        yield temps
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
