"""speakers.toml: who talks in the episode (name, role, when their lower third shows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from videokit.errors import ConfigError
from videokit.job import parse_time
from videokit.textfile import read_toml

FIELDS = ("name", "role", "start", "seconds")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str
    start: float | None = None  # recording time of the lower third; None = "auto", at the speaker's first turn
    seconds: float | None = None  # lower-third length; None = the template's


def load_speakers(path: Path) -> list[Speaker]:
    """Strict: unknown fields and bad times are errors naming the file and the speaker (typos must not pass)."""
    if not path.is_file():
        raise ConfigError(f"{path}: speakers file not found (a TOML file with [[speaker]] tables: name, role, start)")
    data = read_toml(path)
    extra = set(data) - {"speaker"}
    if extra:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(sorted(extra))} (only [[speaker]] tables)")
    tables = data.get("speaker", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: no [[speaker]] tables (each needs name and role)")
    return [_speaker(path, i + 1, table) for i, table in enumerate(tables)]


def _speaker(path: Path, number: int, table: dict[str, object]) -> Speaker:
    where = f"{path}: speaker {number}"
    unknown = set(table) - set(FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(FIELDS)})")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a [[speaker]] table with name and role")
    for key in ("name", "role"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{where}: {key} must be text in quotes, e.g. {key} = \"{_example(key)}\"")
    name, role = str(table.get("name", "")).strip(), str(table.get("role", "")).strip()
    if not name:
        raise ConfigError(f"{where}: name is missing")
    start_value = table.get("start", "auto")
    try:
        start = None if str(start_value).strip().lower() == "auto" else parse_time(start_value, "start")  # type: ignore[arg-type]
        seconds = parse_time(table["seconds"], "seconds") if "seconds" in table else None  # type: ignore[arg-type]
    except ConfigError as exc:
        raise ConfigError(f"{where} ({name}): {exc.message}") from None
    if seconds is not None and seconds < 1:
        raise ConfigError(f"{where} ({name}): seconds must be at least 1")
    return Speaker(name, role, start, seconds)


def _example(key: str) -> str:
    return "Sven Muster" if key == "name" else "Oberbürgermeister"
