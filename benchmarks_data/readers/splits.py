"""Seeded splits by record (patient), stratified by class: every window of a record sits in one split."""
from __future__ import annotations

import numpy as np

from zc_core.errors import DataError

SPLIT_NAMES = ("train", "val", "test")


def parse_fractions(text: str) -> tuple[float, float, float]:
    """``"80/10/10"`` (percent or any positive weights) -> train, val, test fractions summing to 1."""
    try:
        parts = [float(p) for p in text.split("/")]
    except ValueError:
        parts = []
    if len(parts) != 3 or min(parts) <= 0:
        raise DataError(f"--split {text!r}: expected three positive numbers TRAIN/VAL/TEST, e.g. 80/10/10")
    total = sum(parts)
    return parts[0] / total, parts[1] / total, parts[2] / total


def split_records(labels: np.ndarray, fractions: tuple[float, float, float], seed: int) -> np.ndarray:
    """The split (0 train, 1 val, 2 test) of each record, seeded and stratified by ``labels``.

    Per class the records are shuffled and dealt by the fractions (rounded, the test split takes the
    rest), so each split's class shares match the whole within one record per class; a class with
    fewer than three records puts them in train first. A split with a fraction of 0 gets no record;
    every other split gets at least one (taken from the largest class's train records when the
    classes are too small). The same ``seed`` and labels give the same split.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    out = np.zeros(len(labels), dtype=np.int64)
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n = len(idx)
        n_val = max(int(round(fractions[1] * n)), 1) if n >= 3 and fractions[1] > 0 else 0
        n_test = max(int(round(fractions[2] * n)), 1) if n >= 3 and fractions[2] > 0 else 0
        out[idx[n - n_val - n_test:n - n_test]] = 1
        out[idx[n - n_test:]] = 2
    for split in (1, 2):
        if fractions[split] > 0 and not (out == split).any() and (out == 0).sum() > 1:
            train = np.flatnonzero(out == 0)
            out[rng.choice(train)] = split
    return out


def subsample_records(labels: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Indices of ``n`` records drawn without replacement, stratified by class (sorted)."""
    labels = np.asarray(labels)
    if n >= len(labels):
        return np.arange(len(labels))
    if n < 3:
        raise DataError(f"--max-records {n}: need at least 3 records (one per split)")
    from sklearn.model_selection import train_test_split

    counts = np.bincount(np.unique(labels, return_inverse=True)[1])
    stratify = labels if counts.min() >= 2 and n >= len(counts) else None
    keep, _ = train_test_split(np.arange(len(labels)), train_size=n, random_state=seed, stratify=stratify)
    return np.sort(keep)
