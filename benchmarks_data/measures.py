"""Task measures a benchmark table records per architecture, and the ground truth a table is read with.

Every measure is a function of the true labels, the predicted class probabilities and the class
names. ``build-benchmark`` records each applicable one on the validation and test splits as
``val_<measure>`` / ``test_<measure>``; ``--target`` chooses which column is the ground truth.

* ``accuracy`` (recorded in percent as ``val_accuracy``, the suite's own ground truth);
* ``macro_f1``: unweighted mean F1 over every class (TEACUP's and NAS-Bench-360's ECG measure);
* ``challenge_f1``: the PhysioNet/CinC 2017 challenge's F1, the mean F1 of N, A and O (the noisy
  class ``~`` is predicted but not scored); only when the class names include N, A and O;
* ``auc``: ROC AUC (binary: of class 1; otherwise one-vs-rest macro average);
* ``log_loss``: mean negative log-likelihood of the true class (lower is better; a finer measure
  than accuracy on a small split). As a target it is negated, so higher is better for every target.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from zc_core.errors import DataError, did_you_mean

CHALLENGE_CLASSES = ("N", "A", "O")


def f1_per_class(y_true: np.ndarray, proba: np.ndarray) -> list[float]:
    """F1 of every class index 0..K-1 (0 for a class neither present nor predicted)."""
    from sklearn.metrics import f1_score

    k = proba.shape[1]
    return [float(v) for v in f1_score(y_true, proba.argmax(1), average=None, labels=np.arange(k),
                                       zero_division=0)]


def challenge_f1(y_true: np.ndarray, proba: np.ndarray, class_names: Sequence[str]) -> float | None:
    """Mean F1 of the classes N, A and O (CinC 2017); None when the classes are not named so."""
    if not all(c in class_names for c in CHALLENGE_CLASSES):
        return None
    per_class = f1_per_class(y_true, proba)
    return float(np.mean([per_class[list(class_names).index(c)] for c in CHALLENGE_CLASSES]))


def log_loss(y_true: np.ndarray, proba: np.ndarray) -> float:
    """Mean negative log-probability of the true class (probabilities clipped at 1e-7)."""
    picked = proba[np.arange(len(y_true)), y_true]
    return float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0)))) + 0.0


def task_measures(y_true: np.ndarray, proba: np.ndarray, class_names: Sequence[str] = ()) -> dict[str, float]:
    """The measures beyond accuracy, macro-F1 and AUC (which training reports itself): log-loss,
    the per-class F1 and, where the class names allow it, the challenge F1."""
    out: dict = {"log_loss": log_loss(y_true, proba), "f1_per_class": f1_per_class(y_true, proba)}
    value = challenge_f1(y_true, proba, class_names)
    if value is not None:
        out["challenge_f1"] = value
    return out


MEASURES: dict[str, str] = {
    "accuracy": "val_accuracy / test_accuracy, percent",
    "macro_f1": "mean F1 over every class",
    "challenge_f1": "CinC 2017 challenge F1: mean F1 of N, A, O",
    "auc": "ROC AUC (binary: class 1; else one-vs-rest macro)",
    "log_loss": "mean negative log-likelihood, negated (higher is better)",
}
"""Measure -> what it is (the ``--target`` choices, each on ``val`` or ``test``)."""
LOWER_IS_BETTER = frozenset({"log_loss"})
DECLARED = "declared"
"""``--target declared`` (the default): each table's own measure on its validation split; a table
that declares none (every suite file) is read by ``val_accuracy``, as always."""
DEFAULT_COLUMN = "val_accuracy"


def target_choices() -> list[str]:
    """Every ``--target`` value: ``declared`` and ``SPLIT_MEASURE`` for each split and measure."""
    return [DECLARED] + [f"{split}_{m}" for split in ("val", "test") for m in MEASURES]


def check_target(text: str) -> str:
    """``text`` when it names a target (argparse type); one-line error with a suggestion otherwise."""
    choices = target_choices()
    if text not in choices:
        raise DataError(f"--target {text!r} is not a measure{did_you_mean(text, choices)}; use one of "
                        f"{', '.join(choices)}")
    return text


def target_column(target: str, declared: str | None) -> str:
    """The record key read as ground truth: ``target``, or the table's ``declared`` measure's
    validation column (``val_accuracy`` when it declares none)."""
    if target == DECLARED:
        return f"val_{declared}" if declared else DEFAULT_COLUMN
    return target


def sign(column: str) -> float:
    """-1 for a column where lower is better (log-loss), so every target is read higher-is-better."""
    return -1.0 if column.split("_", 1)[1] in LOWER_IS_BETTER else 1.0

