"""Probability calibration of ensemble members: temperature scaling, negative log-likelihood and
expected calibration error, as pure functions on probability arrays (samples, classes)."""
from __future__ import annotations

import numpy as np

_EPS = 1e-12
T_BOUNDS = (0.05, 20.0)
"""Search range of a member's temperature (T > 1 softens, T < 1 sharpens)."""
ECE_BINS = 15


def temper(proba: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(log(proba) / T): the probabilities of logits divided by T (log-probabilities are the
    logits up to a per-sample constant, which softmax ignores)."""
    logits = np.log(np.clip(np.asarray(proba, dtype=np.float64), _EPS, None)) / float(temperature)
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)


def nll(proba: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of the labels ``y`` under ``proba``."""
    p = np.asarray(proba, dtype=np.float64)
    picked = p[np.arange(len(p)), np.asarray(y, dtype=np.int64)]
    return float(-np.log(np.clip(picked, _EPS, None)).mean())


def fit_temperature(proba: np.ndarray, y: np.ndarray) -> float:
    """The temperature in :data:`T_BOUNDS` minimising the NLL of ``y`` (bounded scalar search on log T)."""
    from scipy.optimize import minimize_scalar

    lo, hi = np.log(T_BOUNDS[0]), np.log(T_BOUNDS[1])
    found = minimize_scalar(lambda log_t: nll(temper(proba, np.exp(log_t)), y), bounds=(lo, hi), method="bounded",
                            options={"xatol": 1e-4})
    best = float(np.exp(found.x))
    return best if nll(temper(proba, best), y) < nll(proba, y) else 1.0


def reliability(proba: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> list[dict[str, float]]:
    """Per equal-width confidence bin that holds samples: ``confidence`` (mean max probability),
    ``accuracy`` and ``count``."""
    p = np.asarray(proba, dtype=np.float64)
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    correct = pred == np.asarray(y)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    out = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            out.append({"confidence": float(conf[inside].mean()), "accuracy": float(correct[inside].mean()),
                        "count": int(inside.sum())})
    return out


def ece(proba: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error: the count-weighted mean |accuracy - confidence| over the bins."""
    rows = reliability(proba, y, bins)
    n = sum(r["count"] for r in rows)
    return float(sum(r["count"] * abs(r["accuracy"] - r["confidence"]) for r in rows) / n)
