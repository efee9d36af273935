"""The built-in default benchmark: tables zc-synth built itself (see regenerate.sh in this folder).

* ``nb201-1d/ecg`` (alias NB201-ECG): synthetic 4-class ECG rhythm windows, 1D NB201 networks;
* ``nb201-2d/digits`` (alias NB201-DIGITS): scikit-learn's real 8x8 digits, 2D NB201 networks;
* ``nb201-3d/nodule3d`` (alias NB201-NODULE): synthetic benign/malignant-like nodule volumes, 3D.
"""
from __future__ import annotations

import os

FOLDER = os.path.dirname(os.path.abspath(__file__))
FILES = ("zc_nb201-1d.json", "zc_nb201-2d.json", "zc_nb201-3d.json")
PROBLEMS = ("NB201-ECG", "NB201-DIGITS", "NB201-NODULE")


def paths() -> list[str]:
    """The built-in table files that exist in this installation."""
    return [os.path.join(FOLDER, name) for name in FILES if os.path.isfile(os.path.join(FOLDER, name))]
