"""Uncertainty scores of an ensemble, their risk-coverage quality (AURC), and choosing one on held-out data.

Every score is a pure function ``score(member_proba, predicted) -> (samples,)`` of the members' class
probabilities, shape (members, samples, classes), and the ensemble's predicted class per sample; higher
means less certain. The scores differ in what they see:

- ``variance`` (TEACUP): variance across members of the predicted class's probability. It is near 0
  whenever the members agree, also when they all are unsure (near-uniform outputs) or all wrong, so it
  ranks those cases among the surest: it fails the near-uniform test by design.
- ``entropy``: entropy of the mean probabilities (total predictive uncertainty).
- ``mutual_info``: entropy of the mean minus the mean of the members' entropies, the members'
  disagreement (epistemic part); exactly 0 when the members agree exactly. Like ``variance`` it sees
  only disagreement: members that agree on near-uniform outputs score 0 and rank as sure as (or
  surer than) members that are confident and right but differ slightly.
- ``least_confidence``: 1 - the mean probability of the predicted class.
- ``vote_disagreement``: the share of members whose own prediction differs from the ensemble's.

Ties (e.g. several samples with the same vote share) are broken by the higher mean probability of the
predicted class in :func:`synth.ensemble.combine.confidence_order`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from zc_core.errors import DataError, did_you_mean
from zc_core.registry import Registry

Score = Callable[[np.ndarray, np.ndarray], np.ndarray]
AUTO = "auto"
DEFAULT = AUTO
_EPS = 1e-12


def _entropy(p: np.ndarray) -> np.ndarray:
    """Shannon entropy (nats) over the last axis."""
    return -(p * np.log(np.clip(p, _EPS, None))).sum(axis=-1)


def _picked(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Each member's probability of the ensemble's predicted class, shape (members, samples)."""
    idx = np.asarray(predicted, dtype=np.int64)[None, :, None].repeat(member_proba.shape[0], axis=0)
    return np.take_along_axis(member_proba, idx, axis=2)[..., 0]


def variance(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Variance across members (ddof 0) of the predicted class's probability."""
    return _picked(member_proba, predicted).var(axis=0)


def entropy(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Entropy of the mean class probabilities."""
    return _entropy(member_proba.mean(axis=0))


def mutual_info(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Entropy of the mean minus the mean entropy; exactly 0 where all members give the same
    probabilities (the float mean of equal rows can differ from them in the last bit)."""
    gap = np.clip(_entropy(member_proba.mean(axis=0)) - _entropy(member_proba).mean(axis=0), 0.0, None)
    agree = (member_proba == member_proba[:1]).all(axis=(0, 2))
    return np.where(agree, 0.0, gap)


def least_confidence(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """1 - the mean probability of the predicted class."""
    return 1.0 - _picked(member_proba, predicted).mean(axis=0)


def vote_disagreement(member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Share of members whose argmax differs from the ensemble's prediction."""
    return (member_proba.argmax(axis=2) != np.asarray(predicted)[None, :]).mean(axis=0)


SCORES: Registry[Score] = Registry("uncertainty score")
SCORES.add("least_confidence", least_confidence)
SCORES.add("entropy", entropy)
SCORES.add("vote_disagreement", vote_disagreement)
SCORES.add("mutual_info", mutual_info)
SCORES.add("variance", variance)
"""Every uncertainty score by name, in the order ``auto`` prefers when AURCs are equal or within
noise: ``least_confidence`` first (the ensemble's own estimate of its error, i.e. the softmax
response of selective classification, and the best fixed score on the development runs of
``benchmarks/choose_uncertainty_rule.py``), then entropy, then the vote (its ties fall back to the
probability), then the two that see only disagreement (``variance`` last, TEACUP's)."""

CHOICES = (AUTO, *SCORES)


def check_choice(name: str) -> str:
    """``name`` when it is a score or ``auto``; else a one-line DataError naming the closest."""
    if name not in CHOICES:
        raise DataError(f"unknown uncertainty score {name!r}{did_you_mean(str(name), CHOICES)}: "
                        f"use one of {', '.join(CHOICES)}")
    return name


def score(name: str, member_proba: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """The named score per sample (``name`` one of :data:`SCORES`)."""
    return SCORES.get(name)(np.asarray(member_proba, dtype=np.float64), predicted)


def risk_coverage(correct: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Risk (error rate) on the i most confident samples for i = 1..n, ``order`` most confident first."""
    wrong = ~np.asarray(correct, dtype=bool)[np.asarray(order)]
    return np.cumsum(wrong) / np.arange(1, len(wrong) + 1)


def aurc(correct: np.ndarray, order: np.ndarray) -> float:
    """Area under the risk-coverage curve: the mean risk over coverages 1/n..n/n (lower is better;
    an order that puts every error last reaches the minimum for the error count)."""
    if not len(correct):
        raise ValueError("AURC needs at least one sample")
    return float(risk_coverage(correct, order).mean())


def choose(aurcs: dict[str, float], boot: dict[str, np.ndarray] | None = None) -> str:
    """The score ``auto`` uses. Without ``boot``: the lowest AURC (ties go to the earlier score in
    :data:`SCORES`). With ``boot`` (bootstrap AURCs from :func:`synth.ensemble.combine.aurc_bootstrap`):
    the one-standard-error rule, i.e. the earliest score in :data:`SCORES` whose AURC exceeds the
    lowest by at most the bootstrap standard error of their paired difference."""
    if not aurcs:
        raise ValueError("no uncertainty scores to choose from")
    names = [n for n in SCORES if n in aurcs]
    best = min(names, key=lambda n: (aurcs[n], names.index(n)))
    if boot is None:
        return best
    for name in names:
        if aurcs[name] - aurcs[best] <= float(np.std(boot[name] - boot[best])):
            return name
    return best
