"""Who speaks when: speech regions grouped into as many voices as the speakers file names.

Each region carries Resemblyzer's learned voice embedding (or, without it, a spectral fingerprint with the
loudness removed); k-means groups them. Distinct voices (a man and a woman) are separated reliably; two similar
voices less so (81 % of the words right on two male espeak voices), which is why a speaker's lower-third time
can always be given explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from videokit.podcast.analysis import Region

MIN_FINGERPRINT_SECONDS = 0.8  # shorter regions ("ja", a cough) take the voice of their neighbours
KMEANS_ROUNDS = 30


@dataclass(frozen=True, slots=True)
class Turn:
    start: float
    end: float
    voice: int  # 0-based, numbered in order of first appearance


def speaker_turns(regions: list[Region], voices: int, merge_gap: float = 1.0) -> list[Turn]:
    """Consecutive regions of one voice joined into turns (gaps up to `merge_gap` s inside a turn)."""
    labels = label_regions(regions, voices)
    turns: list[Turn] = []
    for region, label in zip(regions, labels):
        if turns and turns[-1].voice == label and region.start - turns[-1].end <= merge_gap:
            turns[-1] = Turn(turns[-1].start, region.end, label)
        else:
            turns.append(Turn(region.start, region.end, label))
    return turns


def label_regions(regions: list[Region], voices: int) -> list[int]:
    if voices <= 1 or len(regions) < 2:
        return [0] * len(regions)
    long_enough = [i for i, r in enumerate(regions) if r.end - r.start >= MIN_FINGERPRINT_SECONDS and r.voice]
    if len(long_enough) < voices:
        return [0] * len(regions)
    features = np.array([regions[i].voice for i in long_enough], dtype=np.float64)
    weights = np.array([regions[i].end - regions[i].start for i in long_enough])
    clusters = kmeans(standardise(features), voices, weights)
    labels: list[int | None] = [None] * len(regions)
    for i, c in zip(long_enough, clusters):
        labels[i] = int(c)
    filled = _fill_short(labels)
    return _by_first_appearance(filled)


def standardise(features: np.ndarray) -> np.ndarray:
    spread = features.std(axis=0)
    return (features - features.mean(axis=0)) / np.where(spread > 1e-9, spread, 1.0)


def kmeans(points: np.ndarray, k: int, weights: np.ndarray) -> np.ndarray:
    """Weighted k-means with farthest-point seeding: deterministic, which a re-run of the same episode needs."""
    centres = [points[int(np.argmax(weights))]]
    while len(centres) < k:
        distance = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(points[int(np.argmax(distance))])
    centre = np.array(centres)
    labels = np.zeros(len(points), dtype=int)
    for _ in range(KMEANS_ROUNDS):
        labels = np.argmin(((points[:, None, :] - centre[None]) ** 2).sum(axis=2), axis=1)
        moved = np.array([np.average(points[labels == j], axis=0, weights=weights[labels == j])
                          if np.any(labels == j) else centre[j] for j in range(k)])
        if np.allclose(moved, centre):
            break
        centre = moved
    return labels


def _fill_short(labels: list[int | None]) -> list[int]:
    """Regions too short to fingerprint take the label of the nearest earlier one (or the next, at the start)."""
    result: list[int] = []
    first = next((lab for lab in labels if lab is not None), 0)
    for lab in labels:
        result.append(lab if lab is not None else (result[-1] if result else first))
    return result


def _by_first_appearance(labels: list[int]) -> list[int]:
    order: dict[int, int] = {}
    for lab in labels:
        order.setdefault(lab, len(order))
    return [order[lab] for lab in labels]
