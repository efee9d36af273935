"""Input data for the proxies: a dataset file (.npz with x/y arrays) or Gaussian noise."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch

from zc_core.arrays import load_arrays
from zc_core.errors import MAX_CLASSES, DataError

DEFAULT_SHAPES = {1: (1, 1000), 2: (3, 32, 32), 3: (1, 28, 28, 28)}
"""Default sample shape per input dimension (ECG window, CIFAR image, MedMNIST volume)."""


@dataclass
class ProxyData:
    """Samples ``x`` (n, channels, *spatial) float32 and integer labels ``y`` (n,)."""

    x: torch.Tensor
    y: torch.Tensor
    num_classes: int
    name: str

    def __post_init__(self) -> None:
        if self.x.ndim < 3 or 0 in self.x.shape:
            raise DataError(f"{self.name}: x must have shape (samples, channels, *spatial) with at least one "
                            f"sample, channel and element per axis; got {tuple(self.x.shape)}")
        if self.y.shape != (self.x.shape[0],):
            raise DataError(f"{self.name}: y must hold one label per sample: {tuple(self.y.shape)} labels "
                            f"for {self.x.shape[0]} samples")
        if not torch.isfinite(self.x).all():
            raise DataError(f"{self.name}: x contains NaN or infinite values")

    @property
    def dim(self) -> int:
        """Number of spatial dimensions (1 signal, 2 image, 3 volume)."""
        return self.x.ndim - 2

    def batch(self, index: int, size: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """Batch ``index`` of a seeded shuffle (wrapping around when the data are short)."""
        n = self.x.shape[0]
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
        rows = order[(torch.arange(size) + index * size) % n]
        return self.x[rows], self.y[rows]

    @classmethod
    def gaussian(cls, shape: tuple[int, ...], num_classes: int = 10, n: int = 256, seed: int = 0) -> "ProxyData":
        """Standard-normal inputs of sample shape ``shape`` with uniformly random labels."""
        gen = torch.Generator().manual_seed(seed)
        return cls(torch.randn(n, *shape, generator=gen), torch.randint(0, num_classes, (n,), generator=gen),
                   num_classes, "gaussian")

    @classmethod
    def from_arrays(cls, x: np.ndarray, y: np.ndarray, name: str, num_classes: int | None = None) -> "ProxyData":
        """Validate numpy arrays; labels may be one-hot or (n, 1)."""
        x = np.asarray(x)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            y = y.argmax(1)
        y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
        if not np.issubdtype(x.dtype, np.number) or not np.issubdtype(y.dtype, np.number):
            raise DataError(f"{name}: x and y must be numeric arrays")
        if y.size and (y.min() < 0 or np.any(y != np.round(y))):
            raise DataError(f"{name}: labels must be non-negative integers")
        k = int(y.max()) + 1 if y.size else 1
        if k > MAX_CLASSES:
            raise DataError(f"{name}: a label of {k - 1} means {k} classes; at most {MAX_CLASSES} are supported "
                            "(labels must be class indices 0..K-1)")
        return cls(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.long),
                   max(k, num_classes or 0), name)

    @classmethod
    def load(cls, source: str, *, shape: tuple[int, ...] | None = None, num_classes: int = 10,
             seed: int = 0) -> "ProxyData":
        """``gaussian`` or a ``.npz`` file with ``x``/``y`` (or ``x_train``/``y_train``) arrays."""
        if source == "gaussian":
            return cls.gaussian(shape or DEFAULT_SHAPES[2], num_classes, seed=seed)
        name = os.path.splitext(os.path.basename(source))[0]
        if not os.path.isfile(source):
            raise DataError(f"{source}: no such file (give gaussian or an .npz with x and y)")
        arrays = load_arrays(source)
        if isinstance(arrays, np.ndarray):
            raise DataError(f"{source}: a single .npy array; proxies need an .npz with arrays x and y "
                            "(or x_train/y_train)")
        for xk, yk in (("x", "y"), ("x_train", "y_train")):
            if xk in arrays and yk in arrays:
                return cls.from_arrays(arrays[xk], arrays[yk], name, num_classes=None)
        raise DataError(f"{source}: needs arrays x and y (or x_train/y_train); found {sorted(arrays)}")
