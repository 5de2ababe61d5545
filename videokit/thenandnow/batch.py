"""Run a then-and-now batch: items in a local process pool with one progress bar, idempotent (unchanged items are
skipped, so a re-run after a crash resumes), bad rows reported at the end and in report.csv."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from videokit.cache import content_key, file_digest
from videokit.naming import slug
from videokit.render.run import remove_stale_parts
from videokit.runners import run_items
from videokit.textfile import write_text_atomic
from videokit.thenandnow.item import ItemResult, PairSettings, output_paths, render_pair
from videokit.thenandnow.manifest import BadRow, PairItem

STATE_FILE = ".videokit-thenandnow.json"
RENDER_VERSION = 1  # bump when the look changes so finished items are rendered again


def run_batch(items: list[PairItem], bad_rows: list[BadRow], settings: PairSettings, workers: int,
              force: bool = False, cluster: str | None = None) -> list[ItemResult]:
    out = Path(settings.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    state_path = out / STATE_FILE
    state: dict[str, str] = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    stems = _unique_stems(items)
    results = [ItemResult(b.row, "", "failed", message=b.reason) for b in bad_rows]
    todo: list[tuple[PairItem, str, str]] = []
    for item in items:
        key = item_key(item, settings)
        finals = output_paths(item, settings, stems[item.row])
        if not force and state.get(stems[item.row]) == key and all(p.is_file() for p in finals.values()):
            results.append(ItemResult(item.row, item.title, "skipped", [str(p) for p in finals.values()]))
        else:
            todo.append((item, stems[item.row], key))
    # locally each item's ffmpeg gets its share of this machine's cores; a cluster worker has its own machine
    threads = 0 if cluster else max(1, (os.cpu_count() or 2) // max(1, workers))
    settings = PairSettings(**{**asdict(settings), "threads": threads})
    argsets = [(item, settings, stem) for item, stem, _key in todo]

    def lost(i: int, exc: BaseException) -> ItemResult:
        item = todo[i][0]
        return ItemResult(item.row, item.title, "failed", message=f"the cluster gave up on this item ({exc})")

    with tqdm(total=len(todo), unit="clip", desc="then-and-now", disable=None) as bar:
        for i, result in run_items(render_pair, argsets, workers, cluster, lost):
            item, stem, key = todo[i]
            _record(result, stem, key, state, state_path, results)
            bar.update()
    for item, stem, _key in todo:  # a worker killed mid-item leaves its hidden temp files: never keep them
        remove_stale_parts(output_paths(item, settings, stem).values())
    results.sort(key=lambda r: r.row)
    write_report(results, out / "report.csv")
    return results


def item_key(item: PairItem, settings: PairSettings) -> str:
    """Content of both files + every field and setting that changes the picture or sound."""
    fields = {k: v for k, v in asdict(item).items() if k not in ("then", "now", "row")}
    return content_key({"then": file_digest(item.then), "now": file_digest(item.now), "item": fields,
                        "settings": {k: v for k, v in asdict(settings).items() if k != "threads"},
                        "v": RENDER_VERSION})


def _record(result: ItemResult, stem: str, key: str, state: dict[str, str], state_path: Path,
            results: list[ItemResult]) -> None:
    results.append(result)
    if result.status == "ok":
        state[stem] = key
        write_text_atomic(state_path, json.dumps(state, indent=1, ensure_ascii=False))


def write_report(results: list[ItemResult], path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["row", "title", "outputs", "status", "seconds", "message"])
    for r in results:
        writer.writerow([r.row, r.title, ";".join(r.outputs), r.status, f"{r.seconds:.1f}", r.message])
    write_text_atomic(path, buffer.getvalue())


def _unique_stems(items: list[PairItem]) -> dict[int, str]:
    stems: dict[int, str] = {}
    seen: set[str] = set()
    for item in items:
        stem = slug(item.title, fallback=f"row-{item.row}")
        if stem in seen:
            stem = f"{stem}-{item.row}"
        seen.add(stem)
        stems[item.row] = stem
    return stems
