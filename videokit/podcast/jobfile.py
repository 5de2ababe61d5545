"""A podcast run recorded as a job file next to its outputs (`kind = "podcast"`): `videokit render` takes it
again (so the review editor's "render again" and any past episode re-run the same way)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from videokit.captions.transcribe import TranscribeOptions
from videokit.errors import ConfigError
from videokit.textfile import read_toml, write_text_atomic

KNOWN = {"kind", "recording", "speakers", "out", "title", "episode", "date", "template", "brand", "keep_pauses",
         "burn_subtitles", "teasers", "teaser_count", "teaser_fit", "teaser_focus", "image", "chapters", "subtitles",
         "engine", "glossary", "export_timeline", "speaker_fixes"}


def podcast_job_as_toml(job: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "podcast", "recording": str(job.recording.resolve()), "speakers": str(job.speakers_file.resolve()),
        "out": str(job.out_dir.resolve()), "date": job.day.isoformat(),
        "template": str(Path(job.template_ref).resolve()) if job.template_ref.endswith(".toml") else job.template_ref,
        "keep_pauses": job.keep_pauses, "burn_subtitles": job.burn_subtitles,
        "teasers": [[a, b] for a, b in job.teasers], "teaser_count": job.teaser_count, "teaser_fit": job.teaser_fit,
        "teaser_focus": job.teaser_focus, "engine": job.transcribe.engine,
        "export_timeline": list(job.export_timeline),
    }
    for key, value in (("title", job.title), ("episode", job.episode)):
        if value is not None:
            data[key] = value
    for key, value in (("brand", job.brand_path), ("image", job.image), ("chapters", job.chapters_file),
                       ("subtitles", job.subtitles), ("glossary", job.transcribe.glossary),
                       ("speaker_fixes", job.speaker_fixes)):
        if value is not None:
            data[key] = str(Path(value).resolve())
    return data


def write_podcast_job(job: Any, path: Path) -> Path:
    import tomli_w

    header = "# videokit podcast job, recorded by the run that wrote the files beside it.\n" \
             "# Run it again: videokit render THIS_FILE --force\n"
    return write_text_atomic(path, header + tomli_w.dumps(podcast_job_as_toml(job)))


def load_podcast_job(path: Path, force: bool = False) -> Any:
    from videokit.podcast.pipeline import PodcastJob
    from videokit.templates import load_template

    data = read_toml(path)
    unknown = set(data) - KNOWN
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    try:
        optional = {k: Path(data[k]) for k in ("brand", "image", "chapters", "subtitles", "speaker_fixes")
                    if k in data}
        return PodcastJob(
            recording=Path(data["recording"]), speakers_file=Path(data["speakers"]), out_dir=Path(data["out"]),
            template=load_template(data.get("template", "podcast")), template_ref=str(data.get("template", "podcast")),
            title=data.get("title"), episode=data.get("episode"), day=dt.date.fromisoformat(data["date"]),
            brand_path=optional.get("brand"), keep_pauses=bool(data.get("keep_pauses")),
            burn_subtitles=bool(data.get("burn_subtitles")),
            teasers=[(float(a), float(b)) for a, b in data.get("teasers", [])],
            teaser_count=int(data.get("teaser_count", 1)), teaser_fit=str(data.get("teaser_fit", "crop")),
            teaser_focus=float(data.get("teaser_focus", 0.5)), image=optional.get("image"),
            chapters_file=optional.get("chapters"), subtitles=optional.get("subtitles"),
            speaker_fixes=optional.get("speaker_fixes"), force=force,
            transcribe=TranscribeOptions(engine=str(data.get("engine", "faster-whisper")),
                                         glossary=Path(data["glossary"]) if "glossary" in data else None),
            export_timeline=tuple(data.get("export_timeline", [])),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not a valid podcast job ({exc})") from None
