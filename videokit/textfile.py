"""Read text files from the office: UTF-8, UTF-16 or Windows-1252 (Excel's and subtitle editors' default)."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from videokit.errors import InputError

# only encodings German office tools actually write; unrestricted guessing calls short cp1252 text Big5
OFFICE_ENCODINGS = ["utf_16", "cp1252", "iso8859_15"]


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
