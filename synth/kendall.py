"""Kendall tau-b against a fixed target, with the target's sorting and ties computed once.

Fitness evaluation calls tau thousands of times per run against the same accuracies, so
:class:`RankedTarget` pre-sorts the target and each call costs one unstable argsort of the scores
plus scipy's O(n log n) discordant-pair counter. Results equal ``scipy.stats.kendalltau`` (tau-b).
"""
from __future__ import annotations

import numpy as np

try:
    from scipy.stats._stats import _kendall_dis
except ImportError:  # pragma: no cover - private scipy helper moved: fall back on the public API
    _kendall_dis = None


def _tied_pairs(sorted_values: np.ndarray) -> int:
    """Number of pairs with equal values in an already sorted array."""
    if len(sorted_values) < 2:
        return 0
    edges = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1], True])
    runs = np.diff(edges)
    return int((runs * (runs - 1) // 2).sum())


class RankedTarget:
    """A target vector prepared for repeated Kendall tau-b computations against it."""

    def __init__(self, target: np.ndarray):
        target = np.asarray(target, dtype=float)
        if target.ndim != 1 or len(target) < 2 or not np.isfinite(target).all():
            raise ValueError("target must be a finite 1-D array with at least two values")
        self.target = target
        self.order = np.argsort(target, kind="stable")
        ordered = target[self.order]
        self.rank = np.r_[True, ordered[1:] != ordered[:-1]].cumsum(dtype=np.intp)
        self.target_ties = _tied_pairs(self.rank)
        self.pairs = len(target) * (len(target) - 1) // 2

    def __len__(self) -> int:
        return len(self.target)

    def tau(self, scores: np.ndarray) -> float:
        """Kendall tau-b of ``scores`` (same row order as the target); NaN when scores are constant."""
        if _kendall_dis is None:  # pragma: no cover
            from scipy.stats import kendalltau
            return float(kendalltau(scores, self.target)[0])
        by_target = np.asarray(scores, dtype=float)[self.order]
        perm = np.argsort(by_target)
        ordered = by_target[perm]
        score_rank = np.r_[True, ordered[1:] != ordered[:-1]].cumsum(dtype=np.intp)
        target_rank = self.rank[perm]
        discordant = _kendall_dis(score_rank, target_rank)
        score_ties = _tied_pairs(score_rank)
        joint_ties = 0
        if score_ties and self.target_ties:
            joint_ties = _tied_pairs(np.sort(score_rank * (self.rank[-1] + 1) + target_rank))
        denominator = (self.pairs - score_ties) * (self.pairs - self.target_ties)
        if denominator <= 0:
            return float("nan")
        numerator = self.pairs - score_ties - self.target_ties + joint_ties - 2 * discordant
        return float(numerator / np.sqrt(float(denominator)))


def kendall(scores: np.ndarray, target: np.ndarray) -> float:
    """Kendall tau-b, 0 where scores or target are constant."""
    tau = RankedTarget(target).tau(scores) if len(np.unique(target)) > 1 else float("nan")
    return 0.0 if np.isnan(tau) else tau
