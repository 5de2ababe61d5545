"""Several files replaced together or not at all (the review editor's save: captions, words, job file).

Each new content is written to a hidden temp file beside its target; only when every one is on disk is a journal
written (atomically) naming them; then each temp is renamed over its target and the journal removed. A process
killed before the journal exists leaves the old files untouched (the temps are swept on the next start); one killed
after it is finished on the next start (`recover`): the renames are repeated. A failed write (a full disk) removes
its temps and changes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

PART = ".txn.part"


def journal_path(folder: Path) -> Path:
    return folder / ".videokit-save.journal"


def replace_together(contents: dict[Path, str]) -> list[Path]:
    """Write every (path → text) or none; all paths in one folder. Returns the paths written."""
    if not contents:
        return []
    folder = next(iter(contents)).parent
    if any(p.parent != folder for p in contents):
        raise ValueError("replace_together: all files must be in one folder")
    recover(folder)  # an unfinished earlier save is completed first, so its journal is not overwritten
    temps: dict[Path, Path] = {}
    try:
        for path, text in contents.items():
            tmp = path.with_name(f".{path.name}.{os.getpid()}{PART}")
            temps[path] = tmp
            with tmp.open("w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
        journal = journal_path(folder)
        staged = journal.with_name(journal.name + PART)
        staged.write_text(json.dumps({str(p): str(t) for p, t in temps.items()}), encoding="utf-8")
        staged.replace(journal)  # the commit point
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        journal_path(folder).with_name(journal_path(folder).name + PART).unlink(missing_ok=True)
        raise
    _finish(journal)
    return list(contents)


def recover(folder: Path) -> None:
    """Finish a save that reached its commit point; remove the temps of one that did not."""
    journal = journal_path(folder)
    if journal.is_file():
        _finish(journal)
    for stray in folder.glob(f".*{PART}"):
        stray.unlink(missing_ok=True)


def _finish(journal: Path) -> None:
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pairs = {}  # a journal is written atomically; an unreadable one committed nothing
    for final, tmp in pairs.items():
        if Path(tmp).is_file():
            Path(tmp).replace(final)
    journal.unlink(missing_ok=True)
