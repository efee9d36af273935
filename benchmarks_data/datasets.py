"""Datasets for new tasks: read, validate and write ``.npz`` files of train/val/test splits.

Two layouts are read, and arrays are returned channels-first, ``(n, channels, *spatial)``:

* generic: ``x_train, y_train, x_val, y_val, x_test, y_test``; ``x`` is ``(n, channels, length)``
  for signals (e.g. ECG windows), ``(n, channels, h, w)`` for images, ``(n, channels, d, h, w)``
  for volumes;
* MedMNIST: ``train_images, train_labels, val_images, ...`` with images ``(n, h, w)``,
  ``(n, h, w, 3)`` (2D) or ``(n, d, h, w)`` (3D, e.g. NoduleMNIST3D) and labels ``(n, 1)``.

Every problem is reported as one line (:class:`~zc_core.errors.DataError`): a missing
split, an empty split, a label/sample count mismatch, NaN or infinite inputs, labels that are not
class indices, splits whose sample shapes differ.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Mapping

import numpy as np

from zc_core.arrays import load_arrays
from zc_core.errors import MAX_CLASSES, DataError
from zc_core.files import atomic_write

SPLITS = ("train", "val", "test")
MEDMNIST_3D = {"organmnist3d", "nodulemnist3d", "adrenalmnist3d", "fracturemnist3d", "vesselmnist3d",
               "synapsemnist3d"}


@dataclass(frozen=True)
class Dataset:
    """Train/val/test arrays of one task: ``x`` float32 ``(n, channels, *spatial)``, ``y`` int64 ``(n,)``."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...] = ()
    """Name of each class index (empty when the file gives none)."""
    records: Mapping[str, np.ndarray] | None = None
    """Per split, the record (patient) each sample comes from, when the reader knows it."""

    def with_metadata(self, class_names: "tuple[str, ...] | None" = None,
                      records: "Mapping[str, np.ndarray] | None" = None) -> "Dataset":
        """A copy with class names and/or per-sample record ids set (checked against the splits)."""
        if class_names is not None and len(class_names) < self.num_classes:
            raise DataError(f"{self.name}: {len(class_names)} class names for {self.num_classes} classes")
        if records is not None:
            for s in SPLITS:
                if s not in records or len(records[s]) != len(self.split(s)[1]):
                    raise DataError(f"{self.name}: record ids of split {s!r} do not match its samples")
        return replace(self, class_names=tuple(class_names) if class_names is not None else self.class_names,
                       records=dict(records) if records is not None else self.records)

    @property
    def dim(self) -> int:
        """Number of spatial dimensions: 1 (signals), 2 (images) or 3 (volumes)."""
        return self.x_train.ndim - 2

    @property
    def in_channels(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def num_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_val.max(), self.y_test.max())) + 1

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the split ``train``, ``val`` or ``test``."""
        if name not in SPLITS:
            raise DataError(f"unknown split {name!r}: use one of {', '.join(SPLITS)}")
        return getattr(self, f"x_{name}"), getattr(self, f"y_{name}")

    def summary(self) -> str:
        sizes = ", ".join(f"{s} {len(self.split(s)[1])}" for s in SPLITS)
        counts = np.bincount(self.y_train, minlength=self.num_classes)
        names = f" {', '.join(self.class_names)}" if self.class_names else ""
        return (f"{self.name}: {self.dim}D, sample shape {self.sample_shape}, {self.num_classes} classes{names} "
                f"(train counts {counts.tolist()}); {sizes}")


def _channels_first_medmnist(images: np.ndarray, name: str, where: str) -> np.ndarray:
    """MedMNIST images -> (n, channels, *spatial): 3D volumes and grey images get a channel axis,
    RGB images (n, h, w, 3) move their channel axis first."""
    if images.ndim == 5:                                   # (n, d, h, w, c): rare, channel last
        return np.moveaxis(images, -1, 1)
    if images.ndim == 4:
        if images.shape[-1] in (1, 3) and name.lower() not in MEDMNIST_3D:
            return np.moveaxis(images, -1, 1)
        return images[:, None]
    if images.ndim == 3:
        return images[:, None]
    raise DataError(f"{where}: images of shape {images.shape}: expected (n, h, w), (n, h, w, 3) or (n, d, h, w)")


def _check_split(x: np.ndarray, y: np.ndarray, split: str, where: str) -> tuple[np.ndarray, np.ndarray]:
    if x.ndim not in (3, 4, 5):
        raise DataError(f"{where}: x_{split} has shape {x.shape}; expected (n, channels, length), "
                        "(n, channels, h, w) or (n, channels, d, h, w)")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(f"{where}: y_{split} has shape {y.shape}; expected one class index per sample")
    if len(x) == 0:
        raise DataError(f"{where}: split {split!r} is empty")
    if x.ndim >= 2 and 0 in x.shape[1:]:
        raise DataError(f"{where}: x_{split} has samples of shape {tuple(x.shape[1:])}; channels and every "
                        "spatial axis need at least one element")
    if len(x) != len(y):
        raise DataError(f"{where}: split {split!r} has {len(x)} samples but {len(y)} labels")
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise DataError(f"{where}: x_{split} holds {x.dtype}, not real numbers")
    x = x.astype(np.float32, copy=False)
    bad = ~np.isfinite(x)
    if bad.any():
        first = int(np.argwhere(bad.reshape(len(x), -1).any(1))[0, 0])
        raise DataError(f"{where}: x_{split} has {int(bad.sum())} NaN or infinite values (first in sample {first})")
    if np.issubdtype(y.dtype, np.floating):
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise DataError(f"{where}: y_{split} holds non-integer labels; expected class indices 0..K-1")
    elif not np.issubdtype(y.dtype, np.integer) and y.dtype != bool:
        raise DataError(f"{where}: y_{split} holds {y.dtype}; expected class indices 0..K-1")
    y = y.astype(np.int64)
    if y.min() < 0:
        raise DataError(f"{where}: y_{split} has negative labels; expected class indices 0..K-1")
    return x, y


def from_arrays(name: str, splits: dict[str, tuple[np.ndarray, np.ndarray]], where: str | None = None) -> Dataset:
    """A validated :class:`Dataset` from ``{"train": (x, y), "val": ..., "test": ...}`` (channels first)."""
    where = where or name
    missing = [s for s in SPLITS if s not in splits]
    if missing:
        raise DataError(f"{where}: missing split(s) {', '.join(missing)}; need train, val and test")
    checked = {s: _check_split(np.asarray(splits[s][0]), splits[s][1], s, where) for s in SPLITS}
    shapes = {s: checked[s][0].shape[1:] for s in SPLITS}
    if len(set(shapes.values())) > 1:
        raise DataError(f"{where}: splits have different sample shapes: "
                        + ", ".join(f"{s} {shapes[s]}" for s in SPLITS))
    classes = int(max(checked[s][1].max() for s in SPLITS)) + 1
    if classes > MAX_CLASSES:
        raise DataError(f"{where}: a label of {classes - 1} means {classes} classes; at most {MAX_CLASSES} are "
                        "supported (labels must be class indices 0..K-1)")
    if classes < 2:
        raise DataError(f"{where}: only one class (label 0) in every split; need at least two")
    if len(np.unique(checked["train"][1])) < 2:
        raise DataError(f"{where}: the train split holds a single class")
    return Dataset(name=name, **{f"{k}_{s}": checked[s][i] for s in SPLITS for i, k in enumerate("xy")})


def load_dataset(path: str, name: str | None = None) -> Dataset:
    """Read a dataset ``.npz`` (generic or MedMNIST layout); ``name`` defaults to the file's stem."""
    arrays = load_arrays(path)
    if isinstance(arrays, np.ndarray):
        raise DataError(f"{path}: a single .npy array, not a dataset .npz with x_train, y_train, x_val, ... "
                        "(write one with numpy.savez or zc-synth make-dataset)")
    return from_npz_arrays(name or os.path.splitext(os.path.basename(path))[0], arrays, path)


def from_npz_arrays(name: str, arrays: Mapping[str, np.ndarray], path: str) -> Dataset:
    """A :class:`Dataset` from a dataset ``.npz``'s arrays by name (generic or MedMNIST layout);
    ``path`` names the source in error messages."""
    keys = set(arrays)
    if {"train_images", "train_labels"} <= keys:
        splits = {}
        for s in SPLITS:
            if f"{s}_images" not in keys or f"{s}_labels" not in keys:
                raise DataError(f"{path}: MedMNIST layout without {s}_images/{s}_labels")
            images = _channels_first_medmnist(arrays[f"{s}_images"], name, path)
            splits[s] = (images, arrays[f"{s}_labels"])
        return from_arrays(name, splits, path)
    if any(k.startswith("x_") for k in keys):
        missing = [k for s in SPLITS for k in (f"x_{s}", f"y_{s}") if k not in keys]
        if missing:
            raise DataError(f"{path}: missing array(s) {', '.join(missing)}; the generic layout needs "
                            "x_train, y_train, x_val, y_val, x_test, y_test")
        dataset = from_arrays(name, {s: (arrays[f"x_{s}"], arrays[f"y_{s}"]) for s in SPLITS}, path)
        return _read_metadata(dataset, arrays, path)
    raise DataError(f"{path}: unknown layout (arrays: {', '.join(sorted(keys)) or 'none'}); expected "
                    "x_train/y_train/x_val/y_val/x_test/y_test or MedMNIST train_images/train_labels/...")


def _read_metadata(dataset: Dataset, arrays: Mapping[str, np.ndarray], path: str) -> Dataset:
    names = arrays.get("class_names")
    records = {s: arrays[f"records_{s}"] for s in SPLITS if f"records_{s}" in arrays}
    try:
        return dataset.with_metadata(
            class_names=tuple(str(n) for n in names) if names is not None else None,
            records={s: np.asarray(r).astype(str) for s, r in records.items()} if len(records) == 3 else None)
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from None


def as_dataset(data: "Dataset | str | os.PathLike | Mapping[str, np.ndarray]", name: str = "data") -> Dataset:
    """A :class:`Dataset` from what users naturally pass: a Dataset, the path of a dataset ``.npz``,
    or a mapping of arrays in the generic layout (e.g. ``dict(np.load(path))``)."""
    if isinstance(data, Dataset):
        return data
    if isinstance(data, (str, os.PathLike)):
        return load_dataset(os.fspath(data))
    if isinstance(data, Mapping):
        return from_npz_arrays(name, {k: np.asarray(v) for k, v in data.items()}, "the arrays")
    raise DataError(f"cannot use a {type(data).__name__} as a dataset: pass a Dataset "
                    "(benchmarks_data.datasets.load_dataset(path)), a dataset .npz path, or a dict of arrays "
                    "x_train, y_train, x_val, y_val, x_test, y_test")


def save_dataset(dataset: Dataset, path: str) -> None:
    """Write ``dataset`` as a generic-layout ``.npz`` (compressed)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    arrays = {f"{k}_{s}": getattr(dataset, f"{k}_{s}") for s in SPLITS for k in "xy"}
    if dataset.class_names:
        arrays["class_names"] = np.array(dataset.class_names, dtype=str)
    if dataset.records is not None:
        arrays.update({f"records_{s}": np.asarray(dataset.records[s], dtype=str) for s in SPLITS})
    atomic_write(path, lambda tmp: np.savez_compressed(tmp, **arrays), suffix=".npz")
