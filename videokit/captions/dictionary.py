"""Which words German knows: Debian's `hunspell-de-de` dictionary read by spylls (a Hunspell reader in Python).

A word Whisper made up ("Adväger" for "Radwege") is in no dictionary; a real word or one of the glossary's names is.
The dictionary is read once per process (0.7 s).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

# Debian's hunspell-de-de (install.sh installs it); VIDEOKIT_HUNSPELL names another .dic/.aff pair (without suffix)
DEFAULT = Path("/usr/share/hunspell/de_DE")


@lru_cache(maxsize=1)
def german() -> Any | None:
    """The dictionary, or None when no German Hunspell dictionary is installed."""
    base = Path(os.environ.get("VIDEOKIT_HUNSPELL", DEFAULT))
    if not base.with_suffix(".dic").is_file() or not base.with_suffix(".aff").is_file():
        return None
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(str(base))


def is_german_word(word: str) -> bool | None:
    """True when the dictionary knows the word (as written, or capitalised as a noun); None without a dictionary."""
    dictionary = german()
    if dictionary is None:
        return None
    return any(dictionary.lookup(form) for form in dict.fromkeys((word, word[:1].upper() + word[1:])))
