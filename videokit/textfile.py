"""Text files: office text in UTF-8, UTF-16 or Windows-1252 (Excel's and subtitle editors' default), TOML
settings, and atomic writes of what videokit produces."""

from __future__ import annotations

import os
import threading
import tomllib
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from videokit.errors import ConfigError, InputError

# only encodings German office tools actually write; unrestricted guessing calls short cp1252 text Big5
OFFICE_ENCODINGS = ["utf_16", "cp1252", "iso8859_15"]


def read_name_list(path: Path) -> list[str]:
    """Names (a glossary), one per line or separated by commas or semicolons."""
    import re

    if not path.is_file():
        raise InputError.for_file(path, "glossary not found", "a text file of names, one per line or comma separated")
    return [n.strip() for n in re.split(r"[,\n;]", path.read_text(encoding="utf-8")) if n.strip()]


def read_text_any(path: Path) -> tuple[str, str]:
    """(text, encoding name) of a small text file."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw, cp_isolation=OFFICE_ENCODINGS).best()
    if best is None:
        raise InputError.for_file(path, "unknown text encoding", "save it as UTF-8")
    encoding = "cp1252" if best.encoding in ("cp1252", "iso8859_15") else best.encoding
    return raw.decode(encoding, errors="replace"), encoding


def read_toml(path: Path, error: type[ConfigError] = ConfigError) -> dict[str, Any]:
    """A TOML file (templates, jobs, brand kits, speakers); a syntax error names the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid TOML ({exc})") from None


def write_text_atomic(path: Path, text: str) -> Path:
    """Write under a hidden temp name in the same folder, then rename: readers never see half a file."""
    # process and thread in the name: Whisper pieces run side by side and write their cache entries concurrently
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
