"""Batches on a real local Dask cluster: a scheduler and two worker processes (`dask scheduler`, `dask worker
--resources render=1`), driven through the CLI as a user would, including a worker killed mid-item."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from videokit.check import check_file
from videokit.errors import ConfigError
from videokit.platforms import PLATFORMS
from videokit.runners import check_workers
from videokit.samplegen import make_archive, make_clip

from conftest import FAST_TEMPLATE

pytestmark = [pytest.mark.render, pytest.mark.slow]
BIN = Path(sys.executable).parent


def test_version_and_resource_checks_name_both_versions() -> None:
    from videokit import __version__

    with pytest.raises(ConfigError, match=rf"runs videokit 0.0.1, this client runs videokit {__version__}"):
        check_workers({"tcp://a:1": __version__, "tcp://b:2": "0.0.1"}, {"tcp://a:1": {"resources": {"render": 1}}})
    with pytest.raises(ConfigError, match="--resources render=1"):
        check_workers({"tcp://a:1": __version__}, {"tcp://a:1": {"resources": {}}})
    with pytest.raises(ConfigError, match="no workers"):
        check_workers({}, {})
    check_workers({"tcp://a:1": __version__}, {"tcp://a:1": {"resources": {"render": 1}}})


def test_cluster_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from videokit.runners import connect

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if `pip install videokit` without [cluster]
    with pytest.raises(ConfigError, match=r"pip install 'videokit\[cluster\]'"):
        connect("tcp://127.0.0.1:1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """`dask scheduler` and `dask worker` processes, as the README tells a user to start them."""

    def __init__(self, workers: int) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
        port = self.address.rsplit(":", 1)[1]
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", port,
                                        "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)]
        for i in range(workers):
            # no nanny: a killed worker stays dead, so its item must really run on the other one
            self.procs.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--resources", "render=1",
                 "--no-dashboard", "--no-nanny", "--name", f"w{i}"], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        from distributed import Client

        deadline = time.time() + 60
        while True:
            try:
                self.client = Client(self.address, timeout="5s")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        self.client.wait_for_workers(workers, timeout=60)

    def close(self) -> None:
        self.client.close()
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    c = LocalCluster(2)
    yield c
    c.close()


def _videokit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "videokit"), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})


def _assert_valid(out: Path, platforms: list[str]) -> None:
    videos = sorted(out.glob("*.mp4"))
    assert videos, list(out.iterdir())
    for video in videos:
        platform = video.stem.rsplit("_", 1)[1]
        assert platform in platforms
        report = check_file(video, PLATFORMS[platform], 30)
        assert report.ok, (video, report.summary())
    assert not [p for p in out.rglob("*") if ".part" in p.name]  # nothing half-written


def test_thenandnow_batch_on_the_cluster(cluster: LocalCluster, tmp_path: Path) -> None:
    manifest = make_archive(tmp_path / "archiv", with_clip=False)  # two good rows, one broken
    out = tmp_path / "out"
    proc = _videokit("thenandnow", str(manifest), "--out", str(out), "--platforms", "tiktok,youtube",
                     "--template", FAST_TEMPLATE, "--duration", "8", "--cluster", cluster.address)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the broken row is reported, the batch went on
    assert "2 rendered, 0 unchanged (skipped), 1 failed" in proc.stdout, proc.stdout
    assert "row 4" in proc.stderr and "fehlt.jpg: file not found" in proc.stderr
    _assert_valid(out, ["tiktok", "youtube"])
    assert len(list(out.glob("*.mp4"))) == 4
    report = (out / "report.csv").read_text(encoding="utf-8")
    assert report.count(",ok,") == 2 and report.count(",failed,") == 1
    # resume: nothing changed, nothing is rendered again
    again = _videokit("thenandnow", str(manifest), "--out", str(out), "--platforms", "tiktok,youtube",
                      "--template", FAST_TEMPLATE, "--duration", "8", "--cluster", cluster.address)
    assert "0 rendered, 2 unchanged (skipped), 1 failed" in again.stdout, again.stdout


def _job_file(folder: Path, name: str, clip: Path, out: Path) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'title = "{name}"\ntemplate = "{FAST_TEMPLATE}"\nplatforms = ["tiktok", "youtube"]\n'
                    f'out = "{out}"\nsubtitles = "none"\nintro = false\n\n[[clip]]\nfile = "{clip}"\n',
                    encoding="utf-8")
    return path


def test_render_job_files_as_one_batch_on_the_cluster(cluster: LocalCluster, media: Path, tmp_path: Path) -> None:
    clip = make_clip(media / "cluster clip.mp4", 4.0, size=(1280, 720), audio="tone")
    out = tmp_path / "out"
    jobs = [_job_file(tmp_path, name, clip, out) for name in ("erster-job", "zweiter-job")]
    bad = tmp_path / "kaputt.toml"
    bad.write_text('title = "x"\n[[clip]]\nfile = "fehlt.mp4"\n', encoding="utf-8")
    proc = _videokit("render", *map(str, jobs), str(bad), "--cluster", cluster.address)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2 rendered, 0 unchanged (skipped), 1 failed" in proc.stdout, proc.stdout
    assert "fehlt.mp4" in proc.stdout
    _assert_valid(out, ["tiktok", "youtube"])
    assert len(list(out.glob("*.mp4"))) == 4
    # the same job files locally, two side by side: all exist, so all are skipped; --force renders again
    local = _videokit("render", *map(str, jobs), "--workers", "2")
    assert local.returncode == 0 and "0 rendered, 2 unchanged" in local.stdout, local.stdout


def test_a_worker_killed_mid_item_and_the_batch_still_completes(cluster: LocalCluster, tmp_path: Path) -> None:
    manifest = make_archive(tmp_path / "archiv", with_clip=False, broken_row=False)
    out = tmp_path / "out"
    pids = cluster.client.run(os.getpid)
    killed: list[str] = []

    def kill_first_busy_worker() -> None:
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            if out.is_dir() and any(".part" in p.name for p in out.iterdir()):  # ffmpeg is writing
                busy = [addr for addr, keys in cluster.client.processing().items() if keys]
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_first_busy_worker)
    killer.start()
    proc = _videokit("thenandnow", str(manifest), "--out", str(out), "--platforms", "tiktok,youtube",
                     "--template", FAST_TEMPLATE, "--duration", "10", "--cluster", cluster.address)
    killer.join()
    assert killed, "no worker was caught rendering"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 rendered" in proc.stdout
    _assert_valid(out, ["tiktok", "youtube"])
    assert len(list(out.glob("*.mp4"))) == 4
