"""Pure functions on member probabilities: combination rules, confidence order, coverage curve
(the uncertainty scores live in :mod:`synth.ensemble.uncertainty`).

``member_proba`` is always an array of shape (members, samples, classes) of class probabilities.
"""
from __future__ import annotations

import math

import numpy as np

from zc_core.registry import Registry

from . import uncertainty as scores

COMBINE_RULES: Registry[str] = Registry("combination rule")
"""How members' probabilities become one prediction (see :func:`combine`)."""
COMBINE_RULES.add("mean", "argmax of the mean probabilities")
COMBINE_RULES.add("vote", "majority vote, ties to the highest mean probability")
COVERAGE_STEPS = tuple(range(5, 101, 5))
"""Percentages of the most confident samples at which the coverage curve is reported."""


def _check(member_proba: np.ndarray) -> np.ndarray:
    p = np.asarray(member_proba, dtype=np.float64)
    if p.ndim != 3 or 0 in p.shape:
        raise ValueError(f"member probabilities must be a non-empty (members, samples, classes) array, got shape {p.shape}")
    return p


def mean_proba(member_proba: np.ndarray) -> np.ndarray:
    """The ensemble's class probabilities: the mean over members, shape (samples, classes)."""
    return _check(member_proba).mean(axis=0)


def vote_counts(member_proba: np.ndarray) -> np.ndarray:
    """How many members predict each class, shape (samples, classes)."""
    p = _check(member_proba)
    votes = p.argmax(axis=2)
    return np.stack([(votes == c).sum(axis=0) for c in range(p.shape[2])], axis=1)


def combine(member_proba: np.ndarray, rule: str = "mean") -> np.ndarray:
    """The ensemble's predicted class per sample.

    ``mean``: argmax of the mean probabilities. ``vote``: the class most members predict (majority
    vote, as TEACUP does for ECG); a tie goes to the tied class with the highest mean probability.
    """
    COMBINE_RULES.get(rule)
    mean = mean_proba(member_proba)
    if rule == "mean":
        return mean.argmax(axis=1)
    counts = vote_counts(member_proba)
    tied = counts == counts.max(axis=1, keepdims=True)
    return np.where(tied, mean, -np.inf).argmax(axis=1)


def confidence_order(uncert: np.ndarray, proba_of_predicted: np.ndarray) -> np.ndarray:
    """Sample indices from most to least confident: lowest uncertainty first, ties broken by the
    higher ensemble probability of the predicted class, then by index (stable)."""
    return np.lexsort((-np.asarray(proba_of_predicted, float), np.asarray(uncert, float)))


def coverage_curve(correct: np.ndarray, order: np.ndarray,
                   steps: tuple[int, ...] = COVERAGE_STEPS) -> dict[str, float]:
    """Accuracy on the x % most confident samples (``order`` from :func:`confidence_order`), for
    every x in ``steps``: keys are the percentages as strings, values accuracies in 0..1. The x %
    share is ceil(x / 100 * n) samples, at least one."""
    correct = np.asarray(correct, dtype=bool)
    if correct.ndim != 1 or not len(correct) or len(order) != len(correct):
        raise ValueError("coverage needs one correctness flag per sample and an order of the same length")
    ranked = correct[np.asarray(order)]
    out = {}
    for x in steps:
        keep = max(1, math.ceil(x * len(ranked) / 100 - 1e-9))
        out[str(x)] = float(ranked[:keep].mean())
    return out


def summarize(member_proba: np.ndarray, rule: str = "mean", score: str = "variance") -> dict[str, np.ndarray]:
    """Everything per sample in one pass: ``prediction`` (under ``rule``), ``proba`` (mean class
    probabilities), ``probability`` (of the predicted class), ``uncertainty`` (the named ``score`` of
    :mod:`synth.ensemble.uncertainty`), ``disagreement`` (vote share against the prediction) and
    ``order`` (sample indices, most confident first)."""
    p = _check(member_proba)
    pred = combine(p, rule)
    proba = mean_proba(p)
    prob = proba[np.arange(len(pred)), pred]
    uncert = scores.score(score, p, pred)
    return {"prediction": pred, "proba": proba, "probability": prob, "uncertainty": uncert,
            "disagreement": scores.vote_disagreement(p, pred), "order": confidence_order(uncert, prob)}


def orders_by_score(member_proba: np.ndarray, rule: str = "mean") -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The prediction under ``rule`` and, per uncertainty score, the sample order (most confident first)."""
    p = _check(member_proba)
    pred = combine(p, rule)
    prob = mean_proba(p)[np.arange(len(pred)), pred]
    return pred, {name: confidence_order(scores.score(name, p, pred), prob) for name in scores.SCORES}


def aurc_by_score(member_proba: np.ndarray, y: np.ndarray, rule: str = "mean") -> dict[str, float]:
    """Every uncertainty score's AURC on labelled samples ``y`` (what ``uncertainty="auto"`` compares)."""
    pred, orders = orders_by_score(member_proba, rule)
    correct = pred == np.asarray(y)
    return {name: scores.aurc(correct, order) for name, order in orders.items()}


def aurc_bootstrap(member_proba: np.ndarray, y: np.ndarray, rule: str = "mean", draws: int = 200,
                   seed: int = 0) -> dict[str, np.ndarray]:
    """Every score's AURC on ``draws`` bootstrap resamples of the samples (the same resamples for
    every score, so differences between scores are paired): the spread of a validation AURC."""
    p = _check(member_proba)
    y = np.asarray(y)
    pred = combine(p, rule)
    prob = mean_proba(p)[np.arange(len(pred)), pred]
    correct = pred == y
    uncert = {name: scores.score(name, p, pred) for name in scores.SCORES}
    rng = np.random.default_rng(seed)
    out = {name: np.empty(draws) for name in scores.SCORES}
    for d in range(draws):
        idx = rng.integers(0, len(y), size=len(y))
        for name, u in uncert.items():
            out[name][d] = scores.aurc(correct[idx], confidence_order(u[idx], prob[idx]))
    return out


def flag_least_confident(order: np.ndarray, share: float) -> np.ndarray:
    """Boolean flag per sample: True on the ``share`` (0..1) least confident samples (floor(share * n))."""
    if not 0 <= share <= 1:
        raise ValueError(f"the flagged share must be within 0 and 1, got {share}")
    n = len(order)
    flags = np.zeros(n, dtype=bool)
    count = int(math.floor(share * n + 1e-9))
    if count:
        flags[np.asarray(order)[n - count:]] = True
    return flags
