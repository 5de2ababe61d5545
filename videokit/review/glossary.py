"""Names offered as suggestions while correcting: the --glossary file and the brand kit's names list."""

from __future__ import annotations

import re
from pathlib import Path

from videokit.errors import InputError

BRAND_NAMES_FILE = "names.txt"  # a brand kit may carry the names its team writes most (mayor, districts, streets)


def read_names(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError.for_file(path, "glossary not found", "a text file of names, one per line or comma separated")
    return [n.strip() for n in re.split(r"[,\n;]", path.read_text(encoding="utf-8")) if n.strip()]


def load_names(glossary: Path | None, brand_root: Path | None = None) -> list[str]:
    from videokit.brand import load_brand

    names = read_names(glossary) if glossary else []
    root = brand_root or load_brand(None).root
    if (root / BRAND_NAMES_FILE).is_file():
        names += read_names(root / BRAND_NAMES_FILE)
    return list(dict.fromkeys(names))
