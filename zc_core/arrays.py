"""Reading a ``.npy`` or ``.npz`` file in one place, as a one-line :class:`DataError` on every kind of
bad file (missing, not a numpy file, truncated, pickled objects)."""
from __future__ import annotations

import os
import zipfile

import numpy as np

from .errors import DataError


def load_arrays(path: str) -> np.ndarray | dict[str, np.ndarray]:
    """A ``.npy`` file's array, or a ``.npz`` file's arrays by name (read fully; the file is closed)."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return loaded
        with loaded as archive:
            return {k: archive[k] for k in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz or .npy file ({exc})") from None
