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


def unknown_words(words: list[str], names: list[str]) -> dict[str, list[str]]:
    """Words neither a German dictionary nor the glossary knows (the likely misheard names: "Friedwigplatz"), each
    with the glossary's closest names as the fix. {} when no German dictionary is installed (nothing to judge by)."""
    import difflib

    from videokit.captions.dictionary import german, is_german_word

    if german() is None:
        return {}
    known = {n.lower() for name in names for n in (name, *name.replace("-", " ").split())}
    candidates = list(dict.fromkeys([*names, *(part for name in names for part in name.split())]))
    found: dict[str, list[str]] = {}
    for word in dict.fromkeys(w.strip(PUNCTUATION) for w in words):
        if len(word) < 3 or any(ch.isdigit() for ch in word) or word.lower() in known or word in found:
            continue
        if all(is_german_word(part) for part in word.split("-") if part):
            continue
        found[word] = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
    return found


PUNCTUATION = ".,;:!?\"'„“‚‘()[]*–-…"
