"""Where batch items run: here one after another, in a local process pool, or on a Dask distributed cluster.

Every backend runs the same plain, importable per-item function (a then-and-now pair, a render job file) and
yields results as they come back, so the progress bar and report.csv fill the same way. No home-made scheduler:
the cluster is Dask's (`pip install 'videokit[cluster]'`); a worker renders one item at a time through a worker
resource (`dask worker ... --resources render=1`), so ffmpeg has the machine's cores; a task whose worker dies is
run again elsewhere by Dask's scheduler.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, Iterator, Sequence

from videokit import __version__
from videokit.errors import ConfigError

RESOURCE = "render"  # the worker resource one item needs: start workers with --resources render=1
CONNECT_TIMEOUT = "15s"


def run_items(fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]], workers: int = 1,
              cluster: str | None = None,
              failed: Callable[[int, BaseException], Any] | None = None) -> Iterator[tuple[int, Any]]:
    """(index into argsets, result) for every item, in the order they finish. The item function reports its own
    failures in its result; `failed` turns what only the cluster can raise (a task whose workers kept dying) into
    such a result, so the batch goes on."""
    if cluster:
        yield from _on_cluster(fn, argsets, cluster, failed)
    elif workers <= 1 or len(argsets) <= 1:
        for i, args in enumerate(argsets):
            yield i, fn(*args)
    else:
        # spawn, not fork: a fork of a process that already ran Whisper/ONNX thread pools can deadlock
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(fn, *args): i for i, args in enumerate(argsets)}
            for future in as_completed(futures):
                yield futures[future], future.result()


def connect(address: str) -> Any:
    """A Dask client for `address`, refused unless every worker runs this videokit version and offers the
    render resource (otherwise items would wait forever)."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--cluster needs Dask's distributed package: pip install 'videokit[cluster]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address} ({exc}); start it with "
                          "`dask scheduler` and check the address") from None
    try:
        check_workers(client.run(_worker_version), client.scheduler_info().get("workers", {}))
    except ConfigError:
        client.close()
        raise
    return client


def check_workers(versions: dict[str, str], workers: dict[str, dict[str, Any]]) -> None:
    """Pure: the version and resource checks of `connect`."""
    if not versions:
        raise ConfigError("the Dask cluster has no workers; start some with "
                          f"`dask worker tcp://SCHEDULER:8786 --resources {RESOURCE}=1`")
    wrong = {addr: v for addr, v in versions.items() if v != __version__}
    if wrong:
        addr, version = sorted(wrong.items())[0]
        raise ConfigError(f"worker {addr} runs videokit {version}, this client runs videokit {__version__}: "
                          "install the same version on every worker")
    if not any(w.get("resources", {}).get(RESOURCE) for w in workers.values()):
        raise ConfigError(f"no Dask worker offers the '{RESOURCE}' resource: start workers with "
                          f"`dask worker tcp://SCHEDULER:8786 --resources {RESOURCE}=1`")


def _worker_version() -> str:
    from videokit import __version__ as version

    return version


def _on_cluster(fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]], address: str,
                failed: Callable[[int, BaseException], Any] | None) -> Iterator[tuple[int, Any]]:
    from distributed import as_completed as dask_completed

    client = connect(address)
    try:
        # pure=False: the same item submitted again (a re-run) is rendered again, not served from the scheduler
        futures = [client.submit(fn, *args, resources={RESOURCE: 1}, pure=False) for args in argsets]
        index = {f.key: i for i, f in enumerate(futures)}
        for future in dask_completed(futures):
            i = index[future.key]
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker after Dask's retries, a worker-side import error, ...
                if failed is None:
                    raise
                result = failed(i, exc)
            yield i, result
    finally:
        client.close()


def default_workers() -> int:
    """Each ffmpeg already keeps about two cores busy (x264 threads): one item per two cores fits."""
    return max(1, (os.cpu_count() or 2) // 2)
