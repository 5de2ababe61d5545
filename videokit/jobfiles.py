"""Run a recorded job file of either kind (a render or a podcast episode), as `videokit render JOB.toml` does."""

from __future__ import annotations

from pathlib import Path

from videokit.textfile import read_toml


def job_kind(path: Path) -> str:
    return str(read_toml(path).get("kind", "render"))


def run_job_file(path: Path, force: bool = True) -> list[Path]:
    """Render the job again; returns the video files it wrote. Raises VideokitError like the commands do."""
    if job_kind(path) == "podcast":
        from videokit.podcast.jobfile import load_podcast_job
        from videokit.podcast.pipeline import run_podcast

        result = run_podcast(load_podcast_job(path, force=force), echo=lambda _text: None)
        return [r.path for r in result.reports]
    from videokit.job import build_job, load_job_file
    from videokit.render.pipeline import render_job

    opts = load_job_file(path)
    opts["force"] = force or bool(opts.get("force"))
    return [r.path for r in render_job(build_job(opts), echo=lambda _text: None).reports]
