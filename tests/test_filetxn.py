"""Several files replaced together or not at all (videokit/filetxn.py), with real processes killed mid-save."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from videokit.filetxn import journal_path, recover, replace_together

# a child process that saves three files and is killed at a chosen moment (`pause` hook)
CHILD = """
import sys, time, os
from pathlib import Path
import videokit.filetxn as txn
folder, where = Path(sys.argv[1]), sys.argv[2]
if where == "before-commit":
    real = os.fsync
    calls = []
    def slow(fd):
        calls.append(fd)
        if len(calls) == 2:
            print("writing", flush=True); time.sleep(60)
        real(fd)
    os.fsync = slow
else:
    txn._finish = lambda journal: (print("committed", flush=True), time.sleep(60))
txn.replace_together({folder / n: f"new {n}" for n in ("a.json", "b.srt", "c.toml")})
"""


def _folder(tmp_path: Path) -> Path:
    for name in ("a.json", "b.srt", "c.toml"):
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    return tmp_path


def _contents(folder: Path) -> set[str]:
    return {(folder / n).read_text(encoding="utf-8").split()[0] for n in ("a.json", "b.srt", "c.toml")}


@pytest.mark.parametrize("where, after", [("before-commit", {"old"}), ("after-commit", {"new"})])
def test_kill_9_mid_save_leaves_all_old_or_all_new(tmp_path: Path, where: str, after: set[str]) -> None:
    folder = _folder(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), where], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() in ("writing", "committed")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert any(p.name.endswith(".part") for p in folder.iterdir())  # the kill left temp files behind
    recover(folder)  # what the editor does when it starts on the folder
    assert _contents(folder) == after
    assert not journal_path(folder).exists()
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.srt", "c.toml"]


def test_a_full_disk_changes_nothing_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    real, calls = os.fsync, []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        replace_together({folder / n: f"new {n}" for n in ("a.json", "b.srt", "c.toml")})
    assert _contents(folder) == {"old"}
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.srt", "c.toml"]


def test_files_of_two_folders_are_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(ValueError):
        replace_together({tmp_path / "a": "1", tmp_path / "sub" / "b": "2"})
