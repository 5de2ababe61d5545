"""Several render job files as one batch (`videokit render jobs/*.toml`): here one after another, side by side
(`--workers`), or one task per job on a Dask cluster (`--cluster`). A bad job is reported and the batch goes on;
jobs whose outputs all exist are skipped unless --force (so an interrupted batch resumes)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from videokit.errors import VideokitError
from videokit.job import build_job, load_job_file, output_paths
from videokit.jobschema import job_kind
from videokit.render.run import remove_stale_parts
from videokit.runners import run_items


@dataclass(slots=True)
class JobResult:
    job: str
    status: str  # "ok", "skipped" or "failed"
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""


def job_outputs(path: Path) -> list[Path]:
    """The video files a job file will write (from its title, platforms and folder; no probing)."""
    if job_kind(path) != "render":
        return []  # a podcast's files depend on its analysis: it always runs
    return list(output_paths(build_job(load_job_file(path))).values())


# runs one job file and returns the videos it wrote (commands/render.py's run_job_file: passed in, so this module
# needs no import of the command that calls it; a module-level function pickles by name for the workers)
JobRunner = Callable[[Path, bool], list[Path]]


def render_job_file(path: str, force: bool, run_job: JobRunner) -> JobResult:
    """The plain per-item function a worker runs: never raises for a bad job (the batch goes on)."""
    started = time.perf_counter()
    try:
        remove_stale_parts(job_outputs(Path(path)))  # a worker that died on this job before left temp files
        outputs = run_job(Path(path), force)
        return JobResult(path, "ok", [str(p) for p in outputs], time.perf_counter() - started)
    except VideokitError as exc:
        return JobResult(path, "failed", [], time.perf_counter() - started, exc.message)


def run_job_batch(paths: list[Path], force: bool, run_job: JobRunner, workers: int = 1,
                  cluster: str | None = None) -> list[JobResult]:
    results: list[JobResult] = []
    todo: list[str] = []
    for path in paths:
        try:
            finals = job_outputs(path)
        except VideokitError as exc:
            results.append(JobResult(str(path), "failed", message=exc.message))
            continue
        if not force and finals and all(p.is_file() for p in finals):
            results.append(JobResult(str(path), "skipped", [str(p) for p in finals],
                                     message="outputs exist (--force renders again)"))
        else:
            todo.append(str(path))

    def lost(i: int, exc: BaseException) -> JobResult:
        return JobResult(todo[i], "failed", message=f"the cluster gave up on this job ({exc})")

    with tqdm(total=len(todo), unit="job", desc="render jobs", disable=None) as bar:
        for _i, result in run_items(render_job_file, [(p, force, run_job) for p in todo], workers, cluster, lost):
            results.append(result)
            bar.update()
    for path in todo:
        try:
            remove_stale_parts(job_outputs(Path(path)))
        except VideokitError:
            pass  # a job that cannot be read wrote nothing
    order = {str(p): i for i, p in enumerate(paths)}
    return sorted(results, key=lambda r: order.get(r.job, 0))
