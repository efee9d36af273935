"""TEACUP's composite metric: a bootstrapped ridge regression of standardized accuracy on log proxies.

TEACUP (Wu, Wu, Zhang & Chen, "Training-free Design of Deep Networks as Ensembles of Clinical
Experts", medRxiv 10.1101/2024.03.17.24304438) scores a network by a weighted sum of the logs of four
training-free proxies (length distortion, NTK condition number, synflow, ZiCo). Only the paper's
abstract could be found with the search tools at hand, not its methods section or its code, so the
fitting procedure below follows the project's specification of it, unchecked against the original:

* the target is the accuracy z-scored within each problem (problems on different scales pool fairly);
* each proxy is log-transformed; a proxy that is not strictly positive on every training row cannot
  be, so it enters raw, divided by its pooled standard deviation (``transforms_`` names the choice:
  ``log`` or ``scaled``; a test row where a logged proxy is <= 0 gets the protected log's BAD value);
* the log-features are standardized (pooled mean and deviation) so the ridge penalty acts evenly;
* ``bootstrap`` draws each split every problem 80:20 (``test_size``) at random, fit ridge on the
  pooled 80 % and score the held 20 %; the weights are the mean of the draws' weights;
* the standardization is folded back, so ``metric_`` is a plain :class:`Formula` such as
  ``2.1*log(synflow) + 1.0*log(ntk_cond) - 3.4*jacov`` with the smallest absolute weight scaled to 1
  (offsets are dropped and a positive scale changes no ranking).

Ridge is solved in closed form on centred normal equations (what scikit-learn's ``Ridge`` with an
intercept computes), from gram matrices: 2,000 fits on 24,000 rows take about a second.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from benchmarks_data import DataError, Problem

from .common import (LOG, SCALED, Baseline, apply, linear_formula, select, subsample, transforms,
                     usable_blocks)

TEACUP_PROXIES = ("length_distortion", "ntk_cond", "synflow", "zico")


def centred_gram(a: np.ndarray) -> np.ndarray:
    """Centred cross-product matrix of the columns of ``a`` (the last column of ``a`` must be ones)."""
    return _centre(a.T @ a)


def _centre(gram: np.ndarray) -> np.ndarray:
    n, sums = gram[-1, -1], gram[:-1, -1]
    return gram[:-1, :-1] - np.outer(sums, sums) / n


def _solve(centred: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge weights from the centred gram of ``[X, y]``: (Xc'Xc + alpha I) w = Xc'yc."""
    p = centred.shape[0] - 1
    return np.linalg.solve(centred[:p, :p] + alpha * np.eye(p), centred[:p, p])


def ridge_coef(x: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge weights with an unpenalized intercept (scikit-learn's ``Ridge``; intercept not returned)."""
    return _solve(centred_gram(np.column_stack([x, y, np.ones(len(y))])), alpha)


class RidgeComposite(Baseline):
    """Bootstrapped ridge of per-problem standardized accuracy on log proxies (TEACUP's metric).

    Proxies: ``proxies`` (problems lacking one are skipped), else those common to all problems,
    narrowed to ``candidates`` when given (the ``teacup`` preset passes its four). Problems are
    subsampled to ``max_rows`` rows (seeded) before bootstrapping; rows with a non-finite proxy are
    ignored. Fitted: ``metric_`` (a :class:`Formula`), ``proxies_``, ``problems_`` (names used),
    ``transforms_`` (proxy -> ``log`` or ``scaled``), ``coef_`` and ``coef_std_`` (bootstrap mean and
    deviation of the weights on the standardized features: comparable importances), ``weights_``
    (the TEACUP weights: on ``log p``, or on ``p / scales_[p]`` for a ``scaled`` proxy, smallest
    absolute weight 1; the formula's constants are these, divided by the scale, to 4 significant
    digits) and ``heldout_r_`` (mean Pearson correlation of the draws' predictions with the
    standardized accuracy of their held rows).
    """

    def __init__(self, *, proxies: Sequence[str] | None = None, candidates: Sequence[str] | None = None,
                 bootstrap: int = 2000, test_size: float = 0.2, alpha: float = 1.0, max_rows: int = 2000,
                 seed: int = 0):
        self.proxies = proxies
        self.candidates = candidates
        self.bootstrap = bootstrap
        self.test_size = test_size
        self.alpha = alpha
        self.max_rows = max_rows
        self.seed = seed

    def _validate(self) -> None:
        if int(self.bootstrap) != self.bootstrap or self.bootstrap < 1:
            raise DataError(f"bootstrap must be an integer >= 1, got {self.bootstrap}")
        if not 0.0 < self.test_size < 1.0:
            raise DataError(f"test_size must be between 0 and 1, got {self.test_size}")
        if not self.alpha >= 0:
            raise DataError(f"alpha must be >= 0, got {self.alpha}")
        if int(self.max_rows) != self.max_rows or self.max_rows < 5:
            raise DataError(f"max_rows must be an integer >= 5, got {self.max_rows}")

    def fit(self, problems: Sequence[Problem]) -> "RidgeComposite":
        self._validate()
        used, kept = select(problems, self.proxies, self.candidates)
        rng = np.random.default_rng(self.seed)
        blocks, names = usable_blocks(kept, used)
        kinds = transforms([x for x, _ in blocks], used, SCALED)
        xs, zs = [], []
        for x, y in blocks:
            rows = subsample(rng, len(y), int(self.max_rows))
            xs.append(apply(x[rows], used, kinds))
            zs.append((y[rows] - y[rows].mean()) / y[rows].std())
        pooled = np.vstack(xs)
        mean, spread = pooled.mean(axis=0), pooled.std(axis=0)
        spread = np.where(spread > 0, spread, 1.0)
        scale = np.array([spread[j] if kinds[name] == SCALED else 1.0 for j, name in enumerate(used)])
        coefs, rs = self._bootstrap([(x - mean) / spread for x in xs], zs, rng)
        self.proxies_, self.problems_, self.transforms_ = used, names, kinds
        self.scales_ = {name: float(scale[j]) for j, name in enumerate(used) if kinds[name] == SCALED}
        self.coef_ = dict(zip(used, coefs.mean(axis=0).tolist()))
        self.coef_std_ = dict(zip(used, coefs.std(axis=0).tolist()))
        finite = rs[np.isfinite(rs)]             # a held part of constant rows has no correlation
        self.heldout_r_ = float(finite.mean()) if finite.size else float("nan")
        weights = coefs.mean(axis=0) * scale / spread
        smallest = np.abs(weights[weights != 0]).min() if (weights != 0).any() else 1.0
        self.weights_ = dict(zip(used, (weights / smallest).tolist()))
        self.metric_ = linear_formula({name: w / scale[j] for j, (name, w) in enumerate(self.weights_.items())},
                                      kinds)
        return self

    def _bootstrap(self, xs: list[np.ndarray], zs: list[np.ndarray],
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Weights of every draw (draws x proxies) and each draw's held-out correlation.

        The training part's gram is the whole gram minus the held part's, so a draw touches only its
        held 20 % of the rows.
        """
        starts = np.cumsum([0] + [len(z) for z in zs])
        a = np.column_stack([np.vstack(xs), np.concatenate(zs), np.ones(starts[-1])])
        total = a.T @ a
        n_held = [max(1, math.ceil(self.test_size * len(z))) for z in zs]
        p, alpha = a.shape[1] - 2, float(self.alpha)
        coefs = np.empty((int(self.bootstrap), p))
        rs = np.empty(int(self.bootstrap))
        for b in range(int(self.bootstrap)):
            held = np.concatenate([start + rng.choice(len(z), k, replace=False)
                                   for start, z, k in zip(starts, zs, n_held)])
            part = a[held].T @ a[held]
            coefs[b] = w = _solve(_centre(total - part), alpha)
            c = _centre(part)
            with np.errstate(all="ignore"):
                rs[b] = w @ c[:p, p] / np.sqrt((w @ c[:p, :p] @ w) * c[p, p])
        return coefs, rs


__all__ = ["LOG", "SCALED", "TEACUP_PROXIES", "RidgeComposite", "ridge_coef"]
