"""UP-NAS-style composite metric: a weighted sum of (log) proxies with weights searched for rank quality.

``metric = sum_i w_i * t_i(p_i) / s_i``: ``t_i`` is the log of a proxy that is strictly positive on
every training row and the raw value otherwise; ``s_i`` is the mean over training problems of the
within-problem standard deviation of ``t_i`` (a constant, so the metric stays row-wise and each
weight acts on a comparable scale). The weights, in [-1, 1], maximise the mean Kendall tau over the
training problems; the objective is piecewise constant, so a gradient-free global optimizer
(scipy's differential evolution, seeded) searches them on rows subsampled to ``max_rows`` per
problem. The result is a plain :class:`Formula` whose constants are ``w_i / s_i`` rounded to 4
significant digits.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from benchmarks_data import DataError, Problem

from ..kendall import RankedTarget
from .common import LOG, RAW, Baseline, apply, linear_formula, select, subsample, transforms, usable_blocks


def mean_tau(weights: np.ndarray, xs: Sequence[np.ndarray], targets: Sequence[RankedTarget]) -> float:
    """Mean Kendall tau over problems of the scores ``x @ weights`` (a constant score counts 0)."""
    taus = [target.tau(x @ weights) for x, target in zip(xs, targets)]
    return float(np.mean([0.0 if np.isnan(t) else t for t in taus]))


class WeightedSum(Baseline):
    """Weighted sum of transformed proxies, weights in [-1, 1] maximising mean training Kendall tau.

    Proxies: ``proxies`` (problems lacking one are skipped) or those common to all problems; rows
    with a non-finite proxy are ignored. ``maxiter`` bounds the differential-evolution generations
    and ``popsize`` is scipy's population multiplier: with the defaults, 10 proxies x 12 problems
    fit in about 2 s when the search converges early and 13.5 s when it runs all generations.
    Fitted: ``metric_`` (a :class:`Formula`), ``proxies_``, ``problems_``,
    ``transforms_`` (proxy -> ``log`` or ``raw``), ``scales_`` (the ``s_i``), ``weights_`` (the
    ``w_i``), ``n_iter_`` (generations run) and
    ``train_tau_`` (mean Kendall tau of ``metric_`` over the subsampled training rows).
    """

    def __init__(self, *, proxies: Sequence[str] | None = None, maxiter: int = 100, popsize: int = 10,
                 max_rows: int = 500, seed: int = 0):
        self.proxies = proxies
        self.maxiter = maxiter
        self.popsize = popsize
        self.max_rows = max_rows
        self.seed = seed

    def _validate(self) -> None:
        for name in ("maxiter", "popsize", "max_rows"):
            value = getattr(self, name)
            least = 5 if name == "max_rows" else 1
            if int(value) != value or value < least:
                raise DataError(f"{name} must be an integer >= {least}, got {value}")

    def fit(self, problems: Sequence[Problem]) -> "WeightedSum":
        from scipy.optimize import differential_evolution

        self._validate()
        used, kept = select(problems, self.proxies)
        blocks, names = usable_blocks(kept, used)
        kinds = transforms([x for x, _ in blocks], used, RAW)
        ts = [apply(x, used, kinds) for x, _ in blocks]
        scales = np.mean([t.std(axis=0) for t in ts], axis=0)
        scales = np.where(scales > 0, scales, 1.0)
        rng = np.random.default_rng(self.seed)
        xs, raws, targets = [], [], []
        for t, (x, y) in zip(ts, blocks):
            rows = subsample(rng, len(y), int(self.max_rows))
            xs.append(t[rows] / scales)
            raws.append(dict(zip(used, x[rows].T)))
            targets.append(RankedTarget(y[rows]))
        result = differential_evolution(lambda w: -mean_tau(w, xs, targets), [(-1.0, 1.0)] * len(used),
                                        maxiter=int(self.maxiter), popsize=int(self.popsize),
                                        seed=int(self.seed), polish=False, init="sobol")
        self.proxies_, self.problems_, self.transforms_ = used, names, kinds
        self.scales_ = dict(zip(used, scales.tolist()))
        self.n_iter_ = int(result.nit)
        self.weights_ = dict(zip(used, np.asarray(result.x, dtype=float).tolist()))
        self.metric_ = linear_formula({name: w / s for name, w, s in zip(used, result.x, scales)}, kinds)
        taus = [target.tau(self.metric_.evaluate(raw)) for raw, target in zip(raws, targets)]
        self.train_tau_ = float(np.mean([0.0 if np.isnan(t) else t for t in taus]))
        return self


__all__ = ["LOG", "RAW", "WeightedSum", "mean_tau"]
