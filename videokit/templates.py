"""Job templates (templates/*.toml): formats, fit, caption styles, lower-third style, loudness, encoder."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from videokit.errors import ConfigError
from videokit.platforms import Platform, check_tables
from videokit.textfile import read_toml

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_TEMPLATE = "news"


@dataclass(frozen=True, slots=True)
class CaptionStyle:
    """Segmentation and look of one caption style; data, so a new format is a TOML edit, not a code fork."""

    style: str = "sentence"  # "sentence" (broadcast cues) or "highlight" (word groups, spoken word coloured)
    max_chars_per_line: int = 42
    max_lines: int = 2
    min_words: int = 1
    max_words: int = 40
    max_cps: float = 17.0
    min_duration: float = 1.0
    max_duration: float = 7.0
    font_px: int = 46
    # burned into the picture (open captions): unset, as the platform's preset says (platforms.toml `captions`):
    # apps that take no caption file burn, channels that take SRT/VTT carry closed captions only (burned-in text
    # would show twice when a viewer switches captions on, and cannot be resized or switched off); true or false
    # here burns on, or keeps off, every platform of the style's shape
    burn: bool | None = None
    min_gap_frames: int = 2  # frames between two cues (Netflix: 2; the broadcasters: 1)
    max_linger: float = 0.5  # seconds a cue may stay after the voice, into a pause, to be read

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str) -> "CaptionStyle":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{where}: unknown caption setting(s) {', '.join(sorted(unknown))}")
        style = cls(**data)
        if style.style not in ("sentence", "highlight"):
            raise ConfigError(f"{where}: style must be 'sentence' or 'highlight', got '{style.style}'")
        return style


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    platforms: tuple[str, ...]
    fps: int
    fit: str
    subtitles: str
    loudness: float
    true_peak: float
    preset: str
    crf: int
    lower_third_seconds: float
    vertical_captions: CaptionStyle
    horizontal_captions: CaptionStyle
    audio_loudness: float = -16.0  # LUFS of audio-only files (podcast feeds)
    max_pause: float = 1.5  # podcast: pauses longer than this are shortened ...
    keep_pause: float = 0.5  # ... to this
    fps_from_source: bool = False  # fps = "source": the recording's own rate (24, 25 or 30), no judder
    clean_speech: float | None = None  # clean_speech = true or 0..1: the clips' speech cleaned (cleanspeech.py)
    cut_fillers: bool = False  # cut_fillers = true: fillers and retakes removed (edits/fillers.py)
    caption_profile: str = "platform"  # the norm horizontal captions are made to (captions/profiles.py)
    blur_faces: str = "none"  # blur_faces = "others" or "all": bystanders' faces blurred (faceblur/)
    # [platform.<name>] tables: channels the template adds or changes, over the brand kit's (platforms.toml)
    platform_tables: dict[str, Any] = field(default_factory=dict, compare=False)
    path: str = ""  # the file it was read from (named as the origin of its platforms)

    def caption_style(self, vertical: bool) -> CaptionStyle:
        return self.vertical_captions if vertical else self.horizontal_captions

    def burns(self, platform: Platform) -> bool:
        """Whether this platform's picture carries the captions: the template's word, else the preset's."""
        burn = self.caption_style(platform.vertical).burn
        return platform.burns_captions if burn is None else burn


def clean_speech_setting(value: Any, where: str) -> float | None:
    """`clean_speech` as a template or job file states it: true (the default strength), false, or 0..1."""
    if value is None or value is False:
        return None
    if value is True:
        return 0.5
    if isinstance(value, (int, float)) and 0 <= value <= 1:
        return float(value)
    raise ConfigError(f"{where}: clean_speech must be true, false or a strength from 0 to 1, got {value!r}")


def _flag(value: Any, key: str, path: Path) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be true or false (without quotes), got {value!r}")
    return value


def load_template(name_or_path: str | Path | None = None) -> Template:
    path = _resolve(name_or_path or DEFAULT_TEMPLATE)
    data = read_toml(path)
    try:
        loud = data.get("loudness", {})
        enc = data.get("encoder", {})
        caps = data.get("captions", {})
        tpl = Template(
            name=str(data.get("name", path.stem)),
            platforms=tuple(data.get("platforms", ["tiktok", "youtube"])),
            fps=30 if data.get("fps") == "source" else int(data.get("fps", 30)),
            fps_from_source=data.get("fps") == "source",
            fit=str(data.get("fit", "blur")),
            subtitles=str(data.get("subtitles", "auto")),
            loudness=float(loud.get("integrated", -14.0)),
            true_peak=float(loud.get("true_peak", -1.5)),
            preset=str(enc.get("preset", "veryfast")),
            crf=int(enc.get("crf", 20)),
            lower_third_seconds=float(data.get("lower_third", {}).get("seconds", 5.0)),
            vertical_captions=CaptionStyle.from_dict(caps.get("vertical", {"style": "highlight"}), f"{path} [captions.vertical]"),
            horizontal_captions=CaptionStyle.from_dict(caps.get("horizontal", {}), f"{path} [captions.horizontal]"),
            audio_loudness=float(loud.get("audio_only", -16.0)),
            max_pause=float(data.get("pauses", {}).get("max", 1.5)),
            keep_pause=float(data.get("pauses", {}).get("keep", 0.5)),
            clean_speech=clean_speech_setting(data.get("clean_speech"), str(path)),
            cut_fillers=_flag(data.get("cut_fillers", False), "cut_fillers", path),
            caption_profile=str(data.get("caption_profile", "platform")),
            blur_faces=str(data.get("blur_faces", "none")),
            platform_tables=dict(data.get("platform", {})),
            path=str(path),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: bad value ({exc})") from None
    if tpl.fps not in (24, 25, 30, 50, 60):
        raise ConfigError(f"{path}: fps must be 24, 25, 30, 50 or 60, got {tpl.fps}")
    if not 0 < tpl.keep_pause < tpl.max_pause:
        raise ConfigError(f"{path}: [pauses] keep must be above 0 and below max")
    if tpl.blur_faces not in ("none", "others", "all"):
        raise ConfigError(f"{path}: blur_faces must be 'none', 'others' or 'all', got '{tpl.blur_faces}'")
    check_tables(tpl.platform_tables, str(path))  # a bad [platform.*] table is named now, not mid-job
    if tpl.fit not in ("auto", "blur", "crop"):
        raise ConfigError(f"{path}: fit must be 'auto', 'blur' or 'crop', got '{tpl.fit}'")
    return tpl


def output_fps(template: Template, source_fps: float) -> int:
    """The template's frame rate, or for fps = "source" the standard rate nearest the recording's
    (50p → 25, 60p → 30: a talk gains nothing from 50/60 frames a second but the encoding time)."""
    if not template.fps_from_source:
        return template.fps
    rate = round(source_fps)
    return {24: 24, 25: 25, 50: 25}.get(rate, 30)


def available_templates() -> list[str]:
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.toml"))


def _resolve(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    named = TEMPLATES_DIR / f"{name_or_path}.toml"
    if named.is_file():
        return named
    raise ConfigError(
        f"template '{name_or_path}' not found (built-in: {', '.join(available_templates())}; or a path to a .toml)"
    )
