"""Every command shown in README.md runs as written, in README order, on generated inputs that carry the
README's example file names. Documentation that cannot be run is a defect: a new command in the README whose
input has no maker here fails this test."""

from __future__ import annotations

import glob
import os
import re
import shlex
import socket
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

from videokit.samplegen import (
    make_archive,
    make_clip,
    make_photo,
    make_podcast_recording,
    make_sample,
    speak,
)

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BIN = Path(sys.executable).parent
VIDEOKIT = str(BIN / "videokit")
# parts of a README line that this test does not run: the installer (CI runs it first) and the test command
NOT_RUN = ("bash install.sh", ".venv/bin/python -m pytest")
pytestmark = [pytest.mark.render, pytest.mark.whisper, pytest.mark.slow]


def readme_commands(text: str) -> list[str]:
    """Commands of the ```bash blocks: continuation lines joined, comments dropped, `a && b` split."""
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            for part in " ".join(shlex.quote(w) for w in words).split(" '&&' "):
                if not part.startswith(NOT_RUN):
                    commands.append(part)
    return commands


def test_readme_commands_are_parsed() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert commands and all(c.startswith((".venv/bin/videokit ", ".venv/bin/dask ")) for c in commands), commands
    first = README.read_text(encoding="utf-8").split("```bash\n", 1)[1].splitlines()
    assert first[0].startswith("bash install.sh && .venv/bin/videokit render")  # the two commands a new user types
    assert first[1].startswith(".venv/bin/python -m pytest")
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").count(".venv/bin/python -m pytest -q") == 1


# ---------------------------------------------------------------- inputs with the README's names

def _speech_clip(seconds: float, size: tuple[int, int], rotate: int = 0, fps: int = 30) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        wav = speak("Guten Tag. Die Königsstraße wird ab Montag für drei Wochen gesperrt.", path.with_suffix(".wav"))
        make_clip(path, seconds, size=size, audio=wav, rotate=rotate, fps=fps, location=True)
        wav.unlink()
    return make


def _long_clip(path: Path) -> None:  # --trim 2=0:03-0:20 needs 20 s; a 1080p60 phone clip
    make_clip(path, 21.0, size=(1920, 1080), fps=60, audio="tone")


def _sample_job(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "samples" / "news-job.toml", path)
    make_sample(path.parent / "generated")


def _archive(path: Path) -> None:
    made = make_archive(path.parent / "archiv-files", broken_row=False)
    # the manifest's paths are relative to it: keep it beside its photos, under the README's name
    for item in made.parent.iterdir():
        shutil.move(str(item), path.parent / item.name)
    made.parent.rmdir()


def _photo_folder(path: Path) -> None:
    path.mkdir(parents=True)
    make_photo(path / "rathaus-1962_then.jpg", (1600, 1200), seed=1, gray=True)
    make_photo(path / "rathaus-1962_now.jpg", (2000, 1500), seed=2, gps=True)


def _recording(path: Path) -> None:
    recording, _ = make_podcast_recording(path.parent / "podcast-files", size=(1280, 720))
    recording.replace(path)
    shutil.rmtree(path.parent / "podcast-files")


def _speakers(path: Path) -> None:
    path.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "Oberbürgermeister"\nstart = "auto"\n\n'
                    '[[speaker]]\nname = "Dr. Jana Beispiel"\nrole = "Leiterin Tiefbauamt"\nstart = "auto"\n',
                    encoding="utf-8")


def _finished_video(path: Path) -> None:
    clip = path.with_name("for-check.mp4")
    make_clip(clip, 4.0, size=(1080, 1920), audio="tone")
    subprocess.run([VIDEOKIT, "render", str(clip), "--platforms", "reels", "--subtitles", "none", "--no-intro",
                    "--no-outro", "--title", "check", "--out", str(path.parent / "made")], check=True,
                   capture_output=True)
    shutil.copy(path.parent / "made" / "check_reels.mp4", path)


def _interview(path: Path) -> None:
    from videokit.samplegen import face_photo, make_shots_clip, textured_wall

    face = face_photo(path.with_name("face.png"))
    wall = textured_wall(path.with_name("wall.png"), 1, (170, 110, 50))
    make_shots_clip(path, [(5.0, wall, [(face, "300+900*min(max((t-1)/3,0),1)")])])


def _statement(path: Path) -> None:
    """A statement with fillers and retakes; its layout (where each is) beside it for the cuts file."""
    import json

    from videokit.samplegen import make_disfluent_clip

    clip, layout = make_disfluent_clip(path.parent / "statement-files")
    clip.replace(path)
    shutil.rmtree(path.parent / "statement-files")
    path.with_suffix(".layout.json").write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")


def _statement_cuts(path: Path) -> None:
    """A cuts file a person wrote: the last sentence out ("Vielen Dank.")."""
    import json

    layout = json.loads(path.with_name("statement.layout.json").read_text(encoding="utf-8"))
    last = layout[-1]
    path.write_text(f"[[cut]]\nstart = {last['start'] - 0.1:.3f}\nend = {last['end'] + 0.1:.3f}\n", encoding="utf-8")


def _interpreter(path: Path) -> None:
    from videokit.samplegen import make_interpreter_clip

    make_interpreter_clip(path, 6.0)


def _street(path: Path) -> None:
    """A street scene: a speaker and three bystanders (one at 0.93,0.45 at the first frame: --keep-face)."""
    from videokit.crowdclip import make_crowd_clip

    wav = speak("Willkommen zum Sommerfest am Friedrichsplatz.", path.with_suffix(".wav"))
    make_crowd_clip(path, 5.0, (1280, 720), audio=wav)
    wav.unlink()


def _job_files(path: Path) -> None:
    """jobs/*.toml: two render jobs of the README's clip."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    clip = folder.parent / "clip.mp4"
    if not clip.exists():
        MAKERS["clip.mp4"](clip)
    for name in ("montag", "dienstag"):
        (folder / f"{name}.toml").write_text(
            f'title = "Stadtnachrichten {name}"\nplatforms = ["tiktok", "youtube"]\nout = "../out"\n'
            f'subtitles = "none"\n\n[[clip]]\nfile = "{clip}"\n', encoding="utf-8")


def _tour(path: Path) -> None:
    """A 70 s walk through the town hall with speech: longer than WhatsApp's 60 s (--split)."""
    from videokit.samplegen import SAMPLE_TEXT

    wav = speak(" ".join([SAMPLE_TEXT] * 3), path.with_suffix(".wav"))
    make_clip(path, 70.0, size=(1920, 1080), audio=wav)
    wav.unlink()


def _city_kit(path: Path) -> None:
    """The bundled brand kit with the city app's own channel."""
    shutil.copytree(REPO / "brand" / "musterstadt", path)
    with (path / "brand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[platform.stadtapp]\nsize = [1080, 1080]\ncaptions = "burned"\nmax_mb = 50\nalt_text = 400\n')


MAKERS: dict[str, Callable[[Path], None]] = {
    "rundgang.mp4": _tour,
    "stadtkit/": _city_kit,
    "interview.mp4": _interview,
    "jobs/*.toml": _job_files,
    "samples/news-job.toml": _sample_job,
    "clip1.mov": _speech_clip(4.0, (1920, 1080), rotate=270),  # portrait iPhone clip (rotation matrix)
    "clip2.mp4": _long_clip,
    "clip.mp4": _speech_clip(5.0, (1920, 1080)),
    "archiv.csv": _archive,
    "fotos/": _photo_folder,
    "recording.mp4": _recording,
    "speakers.toml": _speakers,
    "video.mp4": _finished_video,
    "statement.mp4": _statement,
    "names.txt": lambda path: path.write_text("Königsstraße\nFriedrichsplatz\n", encoding="utf-8"),
    "statement.cuts.toml": _statement_cuts,
    "interpreter.mp4": lambda path: _interpreter(path),
    "strasse.mp4": lambda path: _street(path),
}


# the README's cluster address is a machine of the user's; here the scheduler the README starts runs locally
HOSTS = {"renderserver": "127.0.0.1"}
# commands that start a server: started in README order and left running for the commands after them
SERVERS = (".venv/bin/dask scheduler", ".venv/bin/dask worker", ".venv/bin/videokit review")


def _make_inputs(command: str, cwd: Path) -> None:
    for word in shlex.split(command)[1:]:
        if word in MAKERS and not glob.glob(str(cwd / word)):
            MAKERS[word](cwd / word)


def _argv(command: str, cwd: Path) -> list[str]:
    """The command as a shell would run it: the venv's programs, globs expanded, the cluster host local."""
    argv = []
    for word in shlex.split(command):
        for host, local in HOSTS.items():
            word = word.replace(f"//{host}:", f"//{local}:")
        argv += sorted(glob.glob(str(cwd / word))) if "*" in word else [word]
    argv[0] = str(BIN / Path(argv[0]).name)
    return argv


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("readme user")
    servers: list[subprocess.Popen] = []
    yield folder, servers
    for proc in servers:
        proc.terminate()
    for proc in servers:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _start_server(command: str, argv: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "BROWSER": "true"}  # `review` opens "the default browser": here a no-op
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, env=env)
    if "videokit review" in command:
        first = proc.stdout.readline().strip() if proc.stdout else ""
        assert first.startswith("http://127.0.0.1:") and "?token=" in first, first
        with urllib.request.urlopen(first, timeout=30) as page:
            assert page.status == 200 and b"cues" in page.read()
    elif "dask scheduler" in command:
        _wait_for(lambda: socket.create_connection(("127.0.0.1", 8786), timeout=1).close() is None)
    elif "dask worker" in command:
        from distributed import Client

        with Client("tcp://127.0.0.1:8786", timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    return proc


def _wait_for(check: Callable[[], object], seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if time.time() > deadline:
            raise TimeoutError("the server did not come up")
        time.sleep(0.3)


@pytest.mark.parametrize("command", readme_commands(README.read_text(encoding="utf-8")))
def test_readme_command_runs_as_written(command: str, workdir) -> None:  # type: ignore[no-untyped-def]
    cwd, servers = workdir
    _make_inputs(command, cwd)
    argv = _argv(command, cwd)
    if command.startswith(SERVERS):
        servers.append(_start_server(command, argv, cwd))
        return
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
