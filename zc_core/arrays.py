"""Reading a ``.npy`` or ``.npz`` file in one place, as a one-line :class:`DataError` on every kind of
bad file (missing, not a numpy file, truncated, pickled objects) and on every array no command can
use: a 0-d array (a single number, where samples or labels go along the first axis) or one that does
not hold numbers (strings, objects, complex values)."""
from __future__ import annotations

import os
import zipfile

import numpy as np

from .errors import DataError


TEXT_KEYS = frozenset({"class_names", "records_train", "records_val", "records_test"})
"""Arrays of a ``.npz`` that may hold text (class names, record ids) instead of numbers."""


def check_array(array: np.ndarray, where: str, text: bool = False) -> np.ndarray:
    """``array`` when it holds real numbers (or booleans, or with ``text`` unicode strings) along at
    least one axis; ``where`` names it in the error (``"data.npz: array 'x'"``)."""
    if array.dtype.kind not in ("biufU" if text else "biuf"):
        raise DataError(f"{where} holds {array.dtype}; expected numbers")
    if array.ndim == 0:
        raise DataError(f"{where} is a single number (0-d); expected samples along its first axis")
    return array


def load_arrays(path: str) -> np.ndarray | dict[str, np.ndarray]:
    """A ``.npy`` file's array, or a ``.npz`` file's arrays by name (read fully; the file is closed),
    each checked by :func:`check_array`."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return check_array(loaded, f"{path}: the array")
        with loaded as archive:
            arrays = {k: archive[k] for k in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz or .npy file ({exc})") from None
    return {k: check_array(a, f"{path}: array {k!r}", text=k in TEXT_KEYS) for k, a in arrays.items()}
