"""The ensemble's files for users: samples (and labels) read from a user's array file, and the
per-sample prediction table (prediction, probability, uncertainty, disagreement, rank, flag)."""
from __future__ import annotations

import csv
import os
import sys

import numpy as np

from zc_core.errors import DataError


def read_input(path: str, split: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Samples (and labels when the file has them) from an ``x``/``y`` .npz, a .npy array or a
    dataset .npz (generic or MedMNIST layout, split ``split``)."""
    from benchmarks_data.datasets import from_npz_arrays
    from zc_core.arrays import load_arrays

    arrays = load_arrays(path)
    if isinstance(arrays, np.ndarray):
        return arrays, None
    if "x" in arrays:
        x, y = arrays["x"], (arrays["y"].reshape(-1) if "y" in arrays else None)
        if y is not None and len(y) != len(x):
            raise DataError(f"{path}: {len(x)} samples but {len(y)} labels")
        return x, (labels(y, path) if y is not None else None)
    return from_npz_arrays(os.path.splitext(os.path.basename(path))[0], arrays, path).split(split)


def labels(y: np.ndarray, path: str) -> np.ndarray:
    """Labels as int64 class indices; NaN, fractions, negatives and non-numbers are refused."""
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool) or np.issubdtype(y.dtype, np.complexfloating):
        raise DataError(f"{path}: labels y hold {y.dtype}; expected class indices 0..K-1")
    if np.issubdtype(y.dtype, np.floating) and not (np.isfinite(y).all() and (y == np.round(y)).all()):
        raise DataError(f"{path}: labels y hold NaN, infinite or fractional values; expected class indices 0..K-1")
    if y.size and y.min() < 0:
        raise DataError(f"{path}: labels y hold negative values; expected class indices 0..K-1")
    return y.astype(np.int64)


def write_predictions(path: str | None, samples: dict[str, np.ndarray], y: np.ndarray | None,
                       flag: float) -> np.ndarray:
    """Write the per-sample table (to stdout without ``path``); returns the least-confident flags."""
    from .combine import flag_least_confident

    flags = flag_least_confident(samples["order"], flag)
    rank = np.empty(len(flags), dtype=np.int64)
    rank[samples["order"]] = np.arange(1, len(flags) + 1)
    header = ["sample", "prediction", "probability", "uncertainty", "disagreement", "confidence_rank", "flagged"]
    if y is not None:
        header.insert(1, "label")
    handle = open(path, "w", newline="", encoding="utf-8") if path else sys.stdout
    try:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(len(flags)):
            row = [i, int(samples["prediction"][i]), repr(float(samples["probability"][i])),
                   repr(float(samples["uncertainty"][i])), repr(float(samples["disagreement"][i])), int(rank[i]),
                   int(flags[i])]
            if y is not None:
                row.insert(1, int(y[i]))
            writer.writerow(row)
    finally:
        if path:
            handle.close()
    return flags
