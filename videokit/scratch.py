"""Temporary work folders, named after the process that made them, so the next run can sweep what a killed run
(`kill -9`, a power cut) could not remove itself."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "videokit-"
OWNED = re.compile(rf"^{PREFIX}[a-z]+-(\d+)-")


def work_dir(kind: str) -> Path:
    """A new private folder in the system's temp folder: videokit-<kind>-<pid>-<random>."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_orphans(root: Path | None = None) -> list[Path]:
    """Remove work folders whose process is gone; returns what was removed."""
    root = root or Path(tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{PREFIX}*"):
        m = OWNED.match(folder.name)
        if m and folder.is_dir() and not pid_alive(int(m.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
