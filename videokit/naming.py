"""Output names: readable, ASCII, German-aware ("Königsstraße" → "koenigsstrasse")."""

from __future__ import annotations

from slugify import slugify

GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"]]


def slug(title: str, fallback: str = "video") -> str:
    return slugify(title, replacements=GERMAN, max_length=60, word_boundary=True) or fallback
