"""Names offered as suggestions while correcting: the --glossary file and the brand kit's names list."""

from __future__ import annotations

from pathlib import Path

from videokit.textfile import read_name_list

BRAND_NAMES_FILE = "names.txt"  # a brand kit may carry the names its team writes most (mayor, districts, streets)


def load_names(glossary: Path | None, brand_root: Path | None = None) -> list[str]:
    from videokit.brand import load_brand

    names = read_name_list(glossary) if glossary else []
    root = brand_root or load_brand(None).root
    if (root / BRAND_NAMES_FILE).is_file():
        names += read_name_list(root / BRAND_NAMES_FILE)
    return list(dict.fromkeys(names))
