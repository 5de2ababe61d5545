"""A podcast run recorded as a job file next to its outputs (`kind = "podcast"`): `videokit render` takes it
again (so the review editor's "render again" and any past episode re-run the same way)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from videokit.captions.transcribe import TranscribeOptions
from videokit.errors import ConfigError
from videokit.job import output_folder_of, recorded_path
from videokit.jobschema import PODCAST_JOB, PODCAST_REQUIRED, check_settings
from videokit.job import with_caption_profile
from videokit.templates import Template, clean_speech_setting, load_template
from videokit.textfile import read_toml, write_text_atomic


@dataclass(slots=True)
class PodcastJob:
    recording: Path
    speakers_file: Path
    out_dir: Path
    template: Template
    title: str | None = None
    episode: int | None = None
    day: date = field(default_factory=date.today)
    brand_path: Path | None = None
    keep_pauses: bool = False
    burn_subtitles: bool = False
    teasers: list[tuple[float, float]] = field(default_factory=list)  # recording time; empty = propose
    teaser_count: int = 1
    teaser_fit: str = "crop"  # a talking head fills the vertical frame; "blur" shows the whole wide shot
    teaser_focus: float = 0.5
    image: Path | None = None
    chapters_file: Path | None = None
    subtitles: Path | None = None  # an edited SRT of the episode (video time)
    speaker_fixes: Path | None = None  # paragraphs the review editor gave to another speaker (speakerfile.py)
    force: bool = False
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    export_timeline: tuple[str, ...] = ()  # timeline formats for editing software (handoff.write.FORMATS)
    clean_speech: float | None = None  # strength of --clean-speech (cleanspeech.py); None: as recorded
    bundle: bool = False  # the hand-off's source media linked into <name>.media/ too
    template_ref: str = "podcast"  # the template as given (name or .toml path): recorded in the job file
    cuts: Path | None = None  # <name>.cuts.toml: ranges of the recording removed (edits/cutfile.py)
    cut_fillers: bool = False  # fillers and retakes found and removed (edits/fillers.py)
    sign_language: Path | None = None  # an interpreter signing the finished episode: <name>_youtube_dgs.mp4
    sign_language_offset: float = 0.0  # seconds into the episode's body where that recording starts
    sign_language_background: str | None = None  # "#rrggbb" behind an interpreter recorded on green


def podcast_job_as_toml(job: PodcastJob) -> dict[str, Any]:
    """The episode's job file in its output folder: the sources absolute, what lies in that folder relative."""
    out = job.out_dir
    data: dict[str, Any] = {
        "kind": "podcast", "recording": recorded_path(job.recording, out), "speakers": recorded_path(job.speakers_file, out),
        "out": recorded_path(out, out), "date": job.day.isoformat(),
        "template": str(Path(job.template_ref).resolve()) if job.template_ref.endswith(".toml") else job.template_ref,
        "keep_pauses": job.keep_pauses, "burn_subtitles": job.burn_subtitles,
        "teasers": [[a, b] for a, b in job.teasers], "teaser_count": job.teaser_count, "teaser_fit": job.teaser_fit,
        "teaser_focus": job.teaser_focus, "engine": job.transcribe.engine,
        "export_timeline": list(job.export_timeline), "bundle": job.bundle,
        "clean_speech": job.clean_speech if job.clean_speech is not None else False,
        "cut_fillers": job.cut_fillers, "caption_profile": job.template.caption_profile,
    }
    if job.sign_language is not None:
        data["sign_language"] = recorded_path(job.sign_language, out)
        data["sign_language_offset"] = job.sign_language_offset
        if job.sign_language_background:
            data["sign_language_background"] = job.sign_language_background
    for key, value in (("title", job.title), ("episode", job.episode)):
        if value is not None:
            data[key] = value
    for key, value in (("brand", job.brand_path), ("image", job.image), ("chapters", job.chapters_file),
                       ("subtitles", job.subtitles), ("glossary", job.transcribe.glossary),
                       ("speaker_fixes", job.speaker_fixes), ("cuts", job.cuts)):
        if value is not None:
            data[key] = recorded_path(value, out)
    return data


def write_podcast_job(job: PodcastJob, path: Path) -> Path:
    import tomli_w

    header = "# videokit podcast job, recorded by the run that wrote the files beside it.\n" \
             "# Run it again: videokit render THIS_FILE --force\n"
    return write_text_atomic(path, header + tomli_w.dumps(podcast_job_as_toml(job)))


def load_podcast_job(path: Path, force: bool = False) -> PodcastJob:
    data = read_toml(path)
    check_settings(data, PODCAST_JOB, path, PODCAST_REQUIRED)
    base = path.resolve().parent

    def where(key: str) -> Path:  # relative to the job file, as a recorded job names its own folder
        return Path(os.path.normpath(base / data[key]))

    try:
        optional = {k: where(k) for k in ("brand", "image", "chapters", "subtitles", "speaker_fixes", "glossary", "cuts",
                                        "sign_language")
                    if k in data}
        return PodcastJob(
            recording=where("recording"), speakers_file=where("speakers"),
            out_dir=output_folder_of(path, where("out"), data),
            template=with_caption_profile(load_template(data.get("template", "podcast")), data.get("caption_profile")),
            template_ref=str(data.get("template", "podcast")),
            title=data.get("title"), episode=data.get("episode"), day=_day(data.get("date")),
            brand_path=optional.get("brand"), keep_pauses=bool(data.get("keep_pauses")),
            burn_subtitles=bool(data.get("burn_subtitles")),
            teasers=[(float(a), float(b)) for a, b in data.get("teasers", [])],
            teaser_count=int(data.get("teaser_count", 1)), teaser_fit=str(data.get("teaser_fit", "crop")),
            teaser_focus=float(data.get("teaser_focus", 0.5)), image=optional.get("image"),
            chapters_file=optional.get("chapters"), subtitles=optional.get("subtitles"),
            speaker_fixes=optional.get("speaker_fixes"), force=force,
            transcribe=TranscribeOptions(engine=str(data.get("engine", "faster-whisper")),
                                         glossary=optional.get("glossary")),
            export_timeline=tuple(data.get("export_timeline", [])), bundle=bool(data.get("bundle", False)),
            clean_speech=clean_speech_setting(data.get("clean_speech"), str(path)),
            cuts=optional.get("cuts"), cut_fillers=bool(data.get("cut_fillers", False)),
            sign_language=optional.get("sign_language"),
            sign_language_offset=float(data.get("sign_language_offset", 0.0)),
            sign_language_background=data.get("sign_language_background"),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not a valid podcast job ({exc})") from None


def _day(value: Any) -> dt.date:
    """The episode's date: a TOML date, an ISO text, or today when the job names none."""
    if value is None:
        return dt.date.today()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
