"""MedMNIST v2 ``.npz`` files (``train_images``, ``train_labels``, ``val_...``, ``test_...``; 2D or
3D, 28 or 64 pixels a side) -> a :class:`~benchmarks_data.datasets.Dataset`.

``split="official"`` keeps the release's splits. Fractions (``"50/25/25"``) pool the three splits and
deal the images again, seeded and stratified by class: where the official validation and test
splits are too small for a stable measure (BreastMNIST: 78 and 156 images), a larger held-out part
of the pooled data measures architectures more steadily. MedMNIST holds one image per patient
(or per lesion), so an image split is a patient split. Multi-label tasks (ChestMNIST) are refused:
the project trains single-label classifiers.
"""
from __future__ import annotations

import os

import numpy as np

from zc_core.arrays import load_arrays
from zc_core.errors import DataError

from ..datasets import SPLITS, Dataset, from_arrays, from_npz_arrays
from .splits import parse_fractions, split_records

OFFICIAL = "official"


def downsample(x: np.ndarray, factor: int) -> np.ndarray:
    """``x`` (n, channels, *spatial) averaged over blocks of ``factor`` along every spatial axis (a
    remainder at an axis's end is cut)."""
    if factor == 1:
        return x
    spatial = x.shape[2:]
    if min(spatial) < factor:
        raise DataError(f"--downsample {factor}: samples of shape {spatial} are smaller than one block")
    kept = tuple(s - s % factor for s in spatial)
    x = x[(slice(None), slice(None)) + tuple(slice(0, k) for k in kept)]
    shape = x.shape[:2] + tuple(v for k in kept for v in (k // factor, factor))
    return x.reshape(shape).mean(axis=tuple(range(3, 3 + 2 * len(kept), 2))).astype(np.float32)


def make_medmnist(source: str, split: str | None = None, seed: int = 0, factor: int = 1) -> Dataset:
    """The MedMNIST file ``source`` with its official splits, or pooled and re-split by ``split``;
    ``factor`` > 1 averages every spatial axis down by that factor (a 28^3 volume at 2 becomes 14^3,
    an eighth of the voxels: what a CPU budget for 3D networks allows)."""
    arrays = load_arrays(source)
    if isinstance(arrays, np.ndarray) or "train_images" not in arrays:
        raise DataError(f"{source}: not a MedMNIST .npz (expected train_images, train_labels, val_images, ...)")
    labels = arrays["train_labels"]
    if labels.ndim == 2 and labels.shape[1] > 1:
        raise DataError(f"{source}: multi-label task ({labels.shape[1]} labels per image); only single-label "
                        "MedMNIST tasks are supported")
    name = os.path.splitext(os.path.basename(source))[0]
    dataset = from_npz_arrays(name, arrays, source)
    if factor > 1:
        dataset = from_arrays(name, {s: (downsample(dataset.split(s)[0], factor), dataset.split(s)[1])
                                     for s in SPLITS}, source)
    if split is None or split == OFFICIAL:
        return dataset
    fractions = parse_fractions(split)
    x = np.concatenate([dataset.split(s)[0] for s in SPLITS])
    y = np.concatenate([dataset.split(s)[1] for s in SPLITS])
    assignment = split_records(y, fractions, seed)
    rng = np.random.default_rng(seed)
    parts = {}
    for index, s in enumerate(SPLITS):
        idx = rng.permutation(np.flatnonzero(assignment == index))
        parts[s] = (x[idx], y[idx])
    return from_arrays(name, parts, source)
