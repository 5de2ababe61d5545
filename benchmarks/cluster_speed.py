"""The same then-and-now batch on the local pool and on a one-worker local Dask cluster (issue 15): the cluster's
overhead (scheduling, version check, results coming back) in one run.

    .venv/bin/python benchmarks/cluster_speed.py [--pairs 6]

Target: the cluster run takes at most 1.05x the local one. Both render one item at a time with the machine's
cores (local: --workers 1; cluster: one worker with --resources render=1).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.samplegen import make_photo  # noqa: E402

BIN = Path(sys.executable).parent


def manifest(folder: Path, pairs: int) -> Path:
    rows = ["then;now;title;year_then"]
    for i in range(pairs):
        make_photo(folder / f"then{i}.jpg", (1600, 1200), seed=i, gray=True)
        make_photo(folder / f"now{i}.jpg", (2400, 1800), seed=100 + i)
        rows.append(f"then{i}.jpg;now{i}.jpg;Ort {i};{1950 + i}")
    path = folder / "archiv.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "videokit"), "thenandnow", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=6)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-cluster-"))
    os.environ["VIDEOKIT_CACHE"] = str(work / "cache")
    csv = manifest(work, args.pairs)
    common = [str(csv), "--platforms", "tiktok,youtube", "--no-music", "--force"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(3)
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--resources",
                                       "render=1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        run(common + ["--out", str(work / "warm"), "--workers", "1"])  # cards drawn once, for both
        local = run(common + ["--out", str(work / "local"), "--workers", "1"])
        cluster = run(common + ["--out", str(work / "cluster"), "--cluster", address])
        print(f"{args.pairs} pairs x tiktok+youtube x 10 s, {os.cpu_count()} cores: local pool {local:6.1f} s, "
              f"one-worker local Dask cluster {cluster:6.1f} s   overhead {cluster / local:.3f}x (target <= 1.05x)")
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
