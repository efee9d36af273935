"""HNAS's selection (Shu et al., "Unifying and boosting gradient-based training-free NAS", NeurIPS
2022), as pure functions on a candidate pool's proxy values: the Eq. 7 objective and the Bayesian
optimisation of its two hyper-parameters, each query costing one training.

Eq. 7: minimise ``kappa(A) / M(A) + mu * F(M(A)^2 - nu)`` with ``F(x) = x^(2t)``; kappa is the NTK
condition number (``ntk_cond``) and M a gradient-based proxy (``grad_norm``, ``snip``, ``grasp`` or
``ntk_trace``). M is divided by its median absolute value over the pool first, so that one search
range of (mu, nu) suits every proxy and every table. The surrogate is scikit-learn's Gaussian process
(Matern 5/2 kernel on (log10 mu, nu), expected improvement maximised over random points): a
dependency already, deterministic under a seed, and ample for a 2-D search of a few dozen queries.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

LOG_MU = (-4.0, 2.0)
"""Search range of log10(mu)."""
TUNED = 20
RETUNE = 10
"""The surrogate's kernel hyper-parameters are fitted at each of the first ``TUNED`` queries (the
budgets HNAS is meant for), then every ``RETUNE`` queries and kept in between: refitting them on
hundreds of points at every query made a 300-query search take minutes."""


def hnas_objective(kappa: np.ndarray, m: np.ndarray, mu: float, nu: float, t: int = 1) -> np.ndarray:
    """Eq. 7 for every candidate (lower is better); candidates with a non-finite or non-positive M or
    a non-finite kappa get +inf."""
    kappa, m = np.asarray(kappa, float), np.asarray(m, float)
    with np.errstate(all="ignore"):
        value = kappa / m + mu * (m ** 2 - nu) ** (2 * t)
    return np.where(np.isfinite(value) & (m > 0) & np.isfinite(kappa), value, np.inf)


@dataclass
class HNASResult:
    """The best trained candidate (pool index and accuracy), every query (mu, nu, pick, accuracy), the
    (mu, nu) of the query that picked the best candidate and the scale M was divided by."""

    best: int
    accuracy: float
    queries: list[dict] = field(default_factory=list)
    mu: float = 1.0
    nu: float = 0.0
    scale: float = 1.0
    t: int = 1


def hnas_scores(kappa: np.ndarray, m: np.ndarray, result: HNASResult) -> np.ndarray:
    """Minus Eq. 7 at the search's chosen (mu, nu), for ranking other candidates (higher = better)."""
    return -hnas_objective(kappa, np.asarray(m, float) / result.scale, result.mu, result.nu, result.t)


def hnas_search(kappa: np.ndarray, m: np.ndarray, train: Callable[[int], float], queries: int, *,
                seed: int = 0, t: int = 1, initial: int = 3, candidates: int = 2000) -> HNASResult:
    """``queries`` rounds of Bayesian optimisation of (mu, nu): each picks the pool's argmin of Eq. 7
    and ``train``s it (its validation accuracy; a candidate picked again is not trained again, so at
    most ``queries`` trainings); returns the best trained candidate."""
    from scipy.stats import norm
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
    from threadpoolctl import threadpool_limits

    if queries < 1:
        raise ValueError(f"queries must be >= 1, got {queries}")
    kappa, m = np.asarray(kappa, float), np.asarray(m, float)
    if kappa.shape != m.shape or kappa.ndim != 1 or not len(kappa):
        raise ValueError("kappa and M must be two non-empty vectors of the same length")
    usable = np.isfinite(m) & (m > 0) & np.isfinite(kappa)
    if not usable.any():
        raise ValueError("no candidate has a finite kappa and a positive M")
    scale = float(np.median(np.abs(m[usable])))
    m = m / scale
    nu_range = (float(np.min(m[usable] ** 2)), float(np.max(m[usable] ** 2)))
    rng = np.random.default_rng(seed)

    def draw(n: int) -> np.ndarray:
        return np.column_stack([rng.uniform(*LOG_MU, n), rng.uniform(*nu_range, n)])

    trained: dict[int, float] = {}
    kernel = None
    points: list[np.ndarray] = []
    scores: list[float] = []
    log: list[dict] = []
    for _ in range(queries):
        if len(points) < initial:
            point = draw(1)[0]
        else:
            tune = kernel is None or len(points) <= TUNED or len(points) % RETUNE == 0
            with warnings.catch_warnings(), threadpool_limits(1):   # small matrices: BLAS threads only contend
                warnings.simplefilter("ignore", ConvergenceWarning)   # flat surrogates are expected early on
                gp = GaussianProcessRegressor(
                    ConstantKernel() * Matern(nu=2.5, length_scale=[1.0, 1.0]) + WhiteKernel(1e-3) if tune else kernel,
                    normalize_y=True, random_state=seed, optimizer="fmin_l_bfgs_b" if tune else None,
                ).fit(_unit(points, nu_range), _finite(scores))
                kernel = gp.kernel_
                pool = draw(candidates)
                mean, std = gp.predict(_unit(pool, nu_range), return_std=True)
            gain = mean - max(_finite(scores))
            z = gain / np.maximum(std, 1e-12)
            point = pool[int(np.argmax(gain * norm.cdf(z) + std * norm.pdf(z)))]
        pick = int(np.argmin(hnas_objective(kappa, m, 10 ** point[0], point[1], t)))
        if pick not in trained:
            trained[pick] = float(train(pick))
        points.append(point)
        scores.append(trained[pick])
        log.append({"mu": float(10 ** point[0]), "nu": float(point[1]), "pick": pick, "accuracy": trained[pick]})
    best = max(trained, key=lambda i: (trained[i], -i))
    chosen = next(q for q in log if q["pick"] == best)
    return HNASResult(best=best, accuracy=trained[best], queries=log, mu=chosen["mu"], nu=chosen["nu"],
                      scale=scale, t=t)


def _finite(scores: list[float]) -> np.ndarray:
    """Accuracies for the surrogate: a failed training (-inf, NaN) counts as just below the worst one."""
    y = np.asarray(scores, dtype=float)
    ok = np.isfinite(y)
    return np.where(ok, y, (y[ok].min() - 1.0) if ok.any() else 0.0)


def _unit(points: list | np.ndarray, nu_range: tuple[float, float]) -> np.ndarray:
    """(log10 mu, nu) scaled to [0, 1]^2 for the Gaussian process."""
    p = np.asarray(points, float)
    span = max(nu_range[1] - nu_range[0], 1e-12)
    return np.column_stack([(p[:, 0] - LOG_MU[0]) / (LOG_MU[1] - LOG_MU[0]), (p[:, 1] - nu_range[0]) / span])
