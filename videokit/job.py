"""A render job as the user states it (CLI flags or a job TOML), validated at the edge."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from videokit.errors import ConfigError
from videokit.faceblur.choose import KeepPoint, parse_keep_point
from videokit.faceblur.patches import BlurRegion
from videokit.jobschema import RENDER_JOB, check_settings
from videokit.brand import load_brand
from videokit.channels import channel_presets
from videokit.platforms import Platform, parse_platforms
from videokit.templates import Template, clean_speech_setting, load_template
from videokit.textfile import read_toml, write_text_atomic

FITS = ("auto", "blur", "crop")  # follow the speaker, whole picture over a blurred fill, fixed crop
TIME_RE = re.compile(r"^(?:(\d+):)?(?:(\d+):)?(\d+(?:[.,]\d+)?)$")


@dataclass(slots=True)
class ClipSpec:
    path: Path
    start: float = 0.0
    end: float | None = None


@dataclass(slots=True)
class LowerThirdSpec:
    name: str
    role: str
    start: float = 0.0
    end: float | None = None


@dataclass(slots=True)
class RenderJob:
    title: str
    clips: list[ClipSpec]
    out_dir: Path
    template: Template
    platforms: list[Platform]
    brand_path: Path | None = None
    subtitles: str = "none"  # "none", "auto" or a path to an SRT
    lower_thirds: list[LowerThirdSpec] = field(default_factory=list)
    fit: str = "blur"
    focus_x: float = 0.5
    fps: int = 30
    force: bool = False
    intro: bool = True
    outro: bool = True
    engine: str = "faster-whisper"
    model: Path | None = None
    glossary: Path | None = None
    language: str = "de"
    template_ref: str | None = None  # the template as given (name or .toml path): recorded in the job file
    export_timeline: tuple[str, ...] = ()  # timeline formats for editing software (handoff.write.FORMATS)
    bundle: bool = False  # the hand-off's source clips linked into <name>.media/ too: the folder moves whole
    clean_speech: float | None = None  # strength 0..1 of --clean-speech; None: the sound as recorded
    cuts: Path | None = None  # <name>.cuts.toml: ranges of the recording removed (edits/cutfile.py)
    cut_fillers: bool = False  # fillers and retakes found and removed (edits/fillers.py)
    caption_profile: str = "platform"  # the norm the horizontal captions are made to (captions/profiles.py)
    sign_language: Path | None = None  # the interpreter's recording: additional _dgs outputs (signlanguage.py)
    sign_language_offset: float = 0.0  # seconds into the body where that recording starts
    sign_language_background: str | None = None  # "#rrggbb" behind an interpreter recorded on green
    blur_faces: str = "none"  # "others": every face but the speakers blurred; "all": every face (faceblur/)
    keep_faces: list[KeepPoint] = field(default_factory=list)  # --keep-face: people named to keep
    blur_regions: list[BlurRegion] = field(default_factory=list)  # regions the review asked to blur too
    split: bool = False  # --split: channels that take parts (WhatsApp) get a too-long video in numbered parts


def parse_time(text: str | float | int, what: str = "time") -> float:
    """Seconds from '12', '12.5', '1:05', '00:01:05,5'."""
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        m = TIME_RE.match(str(text).strip())
        if not m:
            raise ConfigError(f"bad {what} '{text}' (use seconds like 12.5 or mm:ss like 01:05)")
        parts = [p for p in m.groups() if p is not None]
        value = 0.0
        for part in parts:
            value = value * 60 + float(part.replace(",", "."))
    if value < 0:
        raise ConfigError(f"bad {what} '{text}': must not be negative")
    return value


def parse_lower_third(text: str, default_seconds: float) -> LowerThirdSpec:
    """'Name|Role@START-END' (END optional: START + the template's default length)."""
    spec, _, when = text.rpartition("@") if "@" in text else (text, "", "")
    name, sep, role = spec.partition("|")
    if not sep or not name.strip():
        raise ConfigError(f"bad lower third '{text}' (use \"Name|Role@2-7\")")
    start, end = parse_range(when, f"lower third '{text}'") if when else (0.0, None)
    if end is None:
        end = start + default_seconds
    return LowerThirdSpec(name.strip(), role.strip(), start, end)


def parse_trim(text: str, clip_count: int) -> tuple[int, float, float | None]:
    """'N=START-END' for clip N (1-based); plain 'START-END' when there is one clip."""
    index_text, sep, rng = text.partition("=")
    if not sep:
        if clip_count != 1:
            raise ConfigError(f"bad --trim '{text}': with several clips say which, e.g. --trim 2=0:03-0:10")
        index_text, rng = "1", text
    if not index_text.strip().isdigit() or not 1 <= int(index_text) <= clip_count:
        raise ConfigError(f"bad --trim '{text}': clip number must be 1..{clip_count}")
    start, end = parse_range(rng, f"--trim '{text}'")
    return int(index_text) - 1, start, end


def parse_range(text: str, what: str) -> tuple[float, float | None]:
    start_text, sep, end_text = text.partition("-")
    start = parse_time(start_text, what) if start_text.strip() else 0.0
    end = parse_time(end_text, what) if sep and end_text.strip() else None
    if end is not None and end <= start:
        raise ConfigError(f"bad {what}: end {end_text} is not after start {start_text or 0}")
    return start, end


def load_job_file(path: Path) -> dict[str, Any]:
    """Read a job TOML into plain options (paths made absolute relative to the job file)."""
    if not path.is_file():
        raise ConfigError(f"{path}: job file not found")
    data = read_toml(path)
    check_settings(data, RENDER_JOB, path)
    base = path.resolve().parent
    clips = []
    for i, clip in enumerate(data.get("clip", []), 1):
        start = parse_time(clip.get("start", 0), f"start of clip {i}")
        end = parse_time(clip["end"], f"end of clip {i}") if "end" in clip else None
        if end is not None and end <= start:
            raise ConfigError(f"{path}: [[clip]] number {i}: end = {clip['end']} is not after start = "
                              f"{clip.get('start', 0)}")
        clips.append(ClipSpec(base / clip["file"], start, end))
    opts: dict[str, Any] = {k: data[k] for k in ("title", "template", "platforms", "fit", "focus",
                                                    "intro", "outro", "engine", "language", "export_timeline",
                                                    "bundle", "cut_fillers", "caption_profile",
                                                    "sign_language_offset", "sign_language_background",
                                                    "blur_faces", "keep_faces", "split")
                            if k in data}
    if "clean_speech" in data:
        opts["clean_speech"] = clean_speech_setting(data["clean_speech"], str(path))
    opts["clips"] = clips
    for key in ("out", "brand", "glossary", "model", "cuts", "sign_language"):
        if key in data:
            opts[key] = Path(os.path.normpath(base / data[key]))
    if "out" in data:
        opts["out"] = output_folder_of(path, opts["out"], data)
    if "subtitles" in data:
        sub = str(data["subtitles"])
        opts["subtitles"] = sub if sub in ("none", "auto") else str(base / sub)
    opts["blur_regions"] = []
    for i, region in enumerate(data.get("blur_region", []), 1):
        start = parse_time(region["start"], f"start of blur region {i}")
        end = parse_time(region["end"], f"end of blur region {i}")
        if end <= start:
            raise ConfigError(f"{path}: [[blur_region]] number {i}: end is not after start")
        opts["blur_regions"].append(BlurRegion(int(region.get("clip", 1)), start, end, *(
            float(region[k]) for k in ("x", "y", "w", "h"))))
    opts["lower_thirds"] = []
    for i, lt in enumerate(data.get("lower_third", []), 1):
        start = parse_time(lt.get("start", 0), f"start of lower third {i}")
        end = parse_time(lt["end"], f"end of lower third {i}") if "end" in lt else None
        if end is not None and end <= start:
            raise ConfigError(f"{path}: [[lower_third]] number {i}: end is not after start")
        opts["lower_thirds"].append(LowerThirdSpec(lt["name"], lt.get("role", ""), start, end))
    if "template" in data and not str(data["template"]).endswith(".toml"):
        opts["template"] = str(data["template"])
    elif "template" in data:
        opts["template"] = str(base / data["template"])
    return opts


def output_folder_of(job_file: Path, out: Path, data: dict[str, Any]) -> Path:
    """Where a job file's outputs go. A job recorded by an earlier videokit names its folder by absolute path; when
    that file sits beside its own outputs in another folder (`cp -a out kopie`), the outputs follow the copy:
    rendering it again must never overwrite the folder it was copied from."""
    folder = job_file.resolve().parent
    name = job_file.name.removesuffix(".job.toml")
    recorded = "kind" in data and job_file.name.endswith(".job.toml")
    if recorded and out.resolve() != folder and any(folder.glob(f"{glob_escape(name)}_*.mp4")):
        return folder
    return out


def build_job(opts: dict[str, Any]) -> RenderJob:
    """Merge options (template defaults < job file < CLI flags, already merged by the caller)."""
    template = with_caption_profile(load_template(opts.get("template")), opts.get("caption_profile"))
    clips: list[ClipSpec] = opts["clips"]
    if not clips:
        raise ConfigError("no clips given (videokit render CLIP... or a job .toml)")
    lts = []
    for lt in opts.get("lower_thirds", []):
        if lt.end is None:
            lt.end = lt.start + template.lower_third_seconds
        lts.append(lt)
    fit = opts.get("fit") or template.fit
    if fit not in FITS:
        raise ConfigError(f"bad --fit '{fit}' (use {', '.join(FITS)})")
    if fit == "auto" and opts.get("focus") is not None:
        fit = "crop"  # a focus point forces the fixed crop around it
    focus = float(opts.get("focus", 0.5))
    if not 0.0 <= focus <= 1.0:
        raise ConfigError(f"bad --focus {focus}: use 0 (left edge) .. 0.5 (centre) .. 1 (right edge)")
    title = str(opts.get("title") or clips[0].path.stem)
    keep_faces = [parse_keep_point(p) if isinstance(p, str) else p for p in opts.get("keep_faces") or []]
    regions: list[BlurRegion] = list(opts.get("blur_regions") or [])
    for item in [*keep_faces, *regions]:
        if item.clip > len(clips):
            raise ConfigError(f"--keep-face/blur region for clip {item.clip}: the job has {len(clips)} clip(s)")
    blur_faces = str(opts.get("blur_faces") or template.blur_faces)
    if blur_faces not in ("none", "others", "all"):
        raise ConfigError(f"bad --blur-faces '{blur_faces}' (use none, others or all)")
    if keep_faces and blur_faces == "none":
        blur_faces = "others"  # naming someone to keep only makes sense with the others blurred
    presets = channel_presets(load_brand(opts.get("brand")), template)  # the built-in, the kit's, the template's
    # an empty --platforms "" is a mistake, not "the template's platforms"
    platforms = parse_platforms(opts["platforms"] if opts.get("platforms") is not None else list(template.platforms),
                                presets)
    if opts.get("split") and not any(p.splits for p in platforms):
        takes = ", ".join(p.name for p in presets.values() if p.splits)
        raise ConfigError(f"--split makes parts for {takes}; none of {', '.join(p.name for p in platforms)} takes "
                          f"parts (leave --split out, or add whatsapp)")
    return RenderJob(
        title=title,
        clips=clips,
        out_dir=Path(opts.get("out") or "out"),
        template=template,
        platforms=platforms,
        brand_path=Path(opts["brand"]) if opts.get("brand") else None,
        subtitles=str(opts.get("subtitles") or template.subtitles),
        lower_thirds=lts,
        fit=fit,
        focus_x=focus,
        fps=int(opts.get("fps") or template.fps),
        force=bool(opts.get("force", False)),
        intro=bool(opts.get("intro", True)),
        outro=bool(opts.get("outro", True)),
        engine=str(opts.get("engine") or "faster-whisper"),
        model=Path(opts["model"]) if opts.get("model") else None,
        glossary=Path(opts["glossary"]) if opts.get("glossary") else None,
        language=str(opts.get("language") or "de"),
        template_ref=str(opts["template"]) if opts.get("template") else None,
        export_timeline=parse_formats(opts.get("export_timeline")),
        bundle=bool(opts.get("bundle", False)),
        clean_speech=opts["clean_speech"] if "clean_speech" in opts else template.clean_speech,
        cuts=Path(opts["cuts"]) if opts.get("cuts") else None,
        cut_fillers=bool(opts["cut_fillers"]) if opts.get("cut_fillers") is not None else template.cut_fillers,
        caption_profile=template.caption_profile,
        sign_language=Path(opts["sign_language"]) if opts.get("sign_language") else None,
        sign_language_offset=float(opts.get("sign_language_offset") or 0.0),
        sign_language_background=parse_colour(opts.get("sign_language_background")),
        blur_faces=blur_faces,
        keep_faces=keep_faces,
        blur_regions=regions,
        split=bool(opts.get("split", False)),
    )


def parse_colour(value: Any) -> str | None:
    """A colour as "#rrggbb" (ffmpeg's 0xrrggbb form is taken too); one clear line otherwise."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    digits = text[1:] if text.startswith("#") else text[2:] if text.lower().startswith("0x") else text
    if len(digits) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
        raise ConfigError(f"bad colour '{text}': give it as #rrggbb, e.g. #3b4a5a")
    return "#" + digits.lower()


def with_caption_profile(template: Template, name: str | None) -> Template:
    """The template with its horizontal captions made to a profile (--caption-profile, or the template's own
    `caption_profile`); "platform" keeps its style."""
    from dataclasses import replace

    from videokit.captions.profiles import profiled

    chosen = name or template.caption_profile
    return replace(template, caption_profile=chosen, horizontal_captions=profiled(template.horizontal_captions, chosen))


def output_name(job: RenderJob) -> str:
    """The files' common name: the title as a slug (the first clip's name when the title has no letters)."""
    from videokit.naming import slug

    return slug(job.title, fallback=Path(job.clips[0].path).stem)


def output_paths(job: RenderJob) -> dict[str, Path]:
    """platform → the video file the job writes for it."""
    name = output_name(job)
    return {p.name: job.out_dir / f"{name}_{p.name}.mp4" for p in job.platforms}


def recorded_path(value: Path | str, folder: Path) -> str:
    """A path as a recorded job file names it: relative when it lies in the job file's own folder (the outputs,
    the editor's corrections: a copied folder renders into itself), absolute otherwise (the source clips)."""
    path, root = Path(value).resolve(), folder.resolve()
    return Path(os.path.relpath(path, root)).as_posix() if path == root or root in path.parents else str(path)


def job_as_toml(job: RenderJob) -> dict[str, Any]:
    """The job as a job file in its output folder, every setting spelled out: the sources by absolute path, the
    output folder and what lies in it relative to the file, so it re-runs anywhere on this machine."""
    template = job.template_ref or job.template.name
    if template.endswith(".toml"):
        template = str(Path(template).resolve())
    data: dict[str, Any] = {
        "kind": "render", "title": job.title, "template": template, "platforms": [p.name for p in job.platforms],
        "out": recorded_path(job.out_dir, job.out_dir),
        "subtitles": (job.subtitles if job.subtitles in ("none", "auto")
                      else recorded_path(job.subtitles, job.out_dir)),
        "fit": job.fit, **({"focus": job.focus_x} if job.fit == "crop" else {}), "intro": job.intro, "outro": job.outro, "engine": job.engine,
        "language": job.language,
    }
    for key, value in (("brand", job.brand_path), ("glossary", job.glossary), ("model", job.model)):
        if value is not None:
            data[key] = str(Path(value).resolve())
    if job.cuts is not None:
        data["cuts"] = recorded_path(job.cuts, job.out_dir)
    data["cut_fillers"] = job.cut_fillers
    data["caption_profile"] = job.caption_profile
    if job.sign_language is not None:
        data["sign_language"] = str(Path(job.sign_language).resolve())
        data["sign_language_offset"] = job.sign_language_offset
        if job.sign_language_background:
            data["sign_language_background"] = job.sign_language_background
    data["blur_faces"] = job.blur_faces
    if job.keep_faces:
        data["keep_faces"] = [str(p) for p in job.keep_faces]
    if job.blur_regions:
        data["blur_region"] = [r.as_dict() for r in job.blur_regions]
    if job.export_timeline:
        data["export_timeline"] = list(job.export_timeline)
    if job.bundle:
        data["bundle"] = True
    if job.split:
        data["split"] = True
    data["clean_speech"] = job.clean_speech if job.clean_speech is not None else False
    data["clip"] = [{"file": str(c.path.resolve()), "start": c.start, **({"end": c.end} if c.end is not None else {})}
                    for c in job.clips]
    if job.lower_thirds:
        data["lower_third"] = [{"name": lt.name, "role": lt.role, "start": lt.start,
                                **({"end": lt.end} if lt.end is not None else {})} for lt in job.lower_thirds]
    return data


def write_job_file(job: RenderJob, path: Path) -> Path:
    import tomli_w

    header = "# videokit render job, recorded by the run that wrote the files beside it.\n" \
             "# Run it again: videokit render THIS_FILE --force\n"
    return write_text_atomic(path, header + tomli_w.dumps(job_as_toml(job)))


# timelines for editing software: name → (file suffix, OpenTimelineIO adapter); handoff/write.py writes them
FORMATS = {"otio": (".otio", "otio_json"), "fcp7": (".xml", "fcp_xml")}


def parse_formats(text: str | list[str] | None) -> tuple[str, ...]:
    if not text:
        return ()
    names = [n.strip().lower() for n in (text.split(",") if isinstance(text, str) else text) if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown timeline format '{unknown[0]}' (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(names))
