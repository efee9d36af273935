"""The methods ``zc-synth compare`` puts side by side, each a function of one few-shot split.

A method gets a :class:`Split` (the problem, the indices of the ``n`` architectures it may train and
of the test architectures, the seed and the labels of the trained ones) and returns one score per
test architecture (higher = predicted better), or raises :class:`Unavailable` when it cannot run on
that split (too few trained architectures, a proxy or the learning curves missing). Adding a method
is one entry in :data:`METHODS`; the zero-shot ones (single proxies, the rank average, given metrics)
come from :func:`synth.metric.method_table` through :func:`metric_method`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from benchmarks_data.problems import Problem


HNAS_METRICS = ("grad_norm", "snip", "grasp", "ntk_trace")
"""The gradient-based proxies M that HNAS combines with ``ntk_cond`` (Eq. 7)."""
MIN_SYNTH_ROWS = 10
"""Fewest trained architectures a formula is synthesized or a composite fitted on."""


class Unavailable(Exception):
    """A method cannot run on this split; the message says why (shown once per method)."""


@dataclass
class Split:
    """One seed's train/test split of a problem, with ``n`` architectures trained."""

    problem: Problem
    train: np.ndarray
    test: np.ndarray
    pool: np.ndarray
    """Every architecture that may be trained at the largest n (HNAS chooses its trainings from it)."""
    seed: int
    curves: np.ndarray | None = None
    """Learning curves (rows aligned with the problem's architectures, one column per epoch), or None."""
    settings: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.train)

    def features(self, rows: np.ndarray):
        return self.problem.features.iloc[rows]

    def labels(self, extrapolated: bool = False) -> np.ndarray:
        """The trained architectures' final validation accuracy, or the one extrapolated from the
        first ``curve_fraction`` of their learning curves."""
        if not extrapolated:
            return self.problem.target[self.train]
        if "lce" not in self._cache:
            self._cache["lce"] = extrapolated_labels(self.curves, self.train,
                                                     self.settings.get("curve_fraction", 0.2))
        return self._cache["lce"]

    def need(self, n: int, what: str) -> None:
        if self.n < n:
            raise Unavailable(f"needs at least {n} trained architectures ({what})")


def observed_epochs(total: int, fraction: float) -> int:
    """Epochs of a curve seen when ``fraction`` of it is observed: at least 2 (a curve model needs a
    slope), at most all but the last."""
    return int(min(max(2, round(fraction * total)), max(total - 1, 1)))


def extrapolated_labels(curves: np.ndarray | None, rows: np.ndarray, fraction: float) -> np.ndarray:
    """Final accuracy of ``rows`` predicted from the first epochs of their curves (LCE ensemble)."""
    from ..predictors.curves import CurveExtrapolator

    if curves is None:
        raise Unavailable("the table has no learning curves (val_curve); rebuild it with build-benchmark")
    total = curves.shape[1]
    seen = curves[rows, :observed_epochs(total, fraction)]
    return CurveExtrapolator(final_epoch=total).fit(seen).predict(seen)


def _finite(scores: np.ndarray) -> np.ndarray:
    """Non-finite scores ranked last."""
    scores = np.asarray(scores, dtype=float)
    ok = np.isfinite(scores)
    if ok.all():
        return scores
    low = scores[ok].min() - 1.0 if ok.any() else 0.0
    return np.where(ok, scores, low)


def metric_method(metric: Any) -> Callable[[Split], np.ndarray]:
    """A given formula (or composite metric) evaluated on the test architectures: zero-shot."""
    def run(split: Split) -> np.ndarray:
        missing = sorted(set(metric.features) - set(split.problem.features.columns))
        if missing:
            raise Unavailable(f"the problem lacks {', '.join(missing)}")
        return metric.score(split.features(split.test), split.problem.archs[split.test])
    return run


def _train_problem(split: Split, target: np.ndarray | None = None) -> Problem:
    p = split.problem
    return Problem(name=p.name, space=p.space, task=p.task, archs=p.archs[split.train],
                   features=p.features.iloc[split.train].reset_index(drop=True),
                   target=split.labels() if target is None else target, n_dropped=0, source=p.source)


def synthesized(split: Split) -> np.ndarray:
    """A formula synthesized (``--select train``) on the trained architectures only."""
    from ..gp import GPConfig
    from ..synthesizer import ProxySynthesizer

    split.need(MIN_SYNTH_ROWS, "a synthesis")
    s = split.settings
    config = GPConfig(population=s.get("population", 100), generations=s.get("generations", 50))
    model = ProxySynthesizer(runs=s.get("synth_runs", 8), seed=split.seed, config=config, select="train", jobs=1)
    model.fit([_train_problem(split)])
    return np.asarray(model.formula_.evaluate(split.features(split.test)), dtype=float)


def composite(name: str) -> Callable[[Split], np.ndarray]:
    """A composite baseline (TEACUP's ridge, the UP-NAS weighted sum) fitted on the trained architectures."""
    def run(split: Split) -> np.ndarray:
        from zc_core.errors import DataError

        from ..baselines import make_baseline

        split.need(MIN_SYNTH_ROWS, "a fit")
        try:
            metric = make_baseline(name, seed=split.seed).fit([_train_problem(split)]).metric_
        except DataError as exc:
            raise Unavailable(str(exc)) from None
        return np.asarray(metric.evaluate(split.features(split.test)), dtype=float)
    return run


def predictor(features: str, extrapolated: bool = False) -> Callable[[Split], np.ndarray]:
    """The zero-cost-feature predictor (``features``: encoding, proxies or both) fitted on the trained
    architectures' true or extrapolated accuracies."""
    def run(split: Split) -> np.ndarray:
        from zc_core.errors import DataError

        from ..predictors.zc_predictor import TARGET, ZeroCostPredictor

        split.need(2, "a predictor")
        labels = split.labels(extrapolated)
        table = split.problem.features.copy()
        table.index = split.problem.archs
        table[TARGET] = split.problem.target
        proxies = [] if features == "encoding" else list(split.problem.features.columns)
        from proxies.spaces import for_table

        model = ZeroCostPredictor(proxies, encoding=features != "proxies", seed=split.seed,
                                  space=for_table(split.problem.space).name)
        try:
            model.fit(split.problem.archs[split.train], table, labels)
            return model.predict(split.problem.archs[split.test], table)
        except DataError as exc:
            raise Unavailable(str(exc)) from None
    return run


def hnas(metric: str) -> Callable[[Split], np.ndarray]:
    """HNAS (Eq. 7 + Bayesian optimisation of mu and nu): ``n`` trainings chosen from the pool, then
    the test architectures ranked by Eq. 7 at the (mu, nu) whose pick trained best."""
    def run(split: Split) -> np.ndarray:
        from ..search.hnas import hnas_scores, hnas_search

        split.need(1, "one query")
        columns = split.problem.features.columns
        for name in ("ntk_cond", metric):
            if name not in columns:
                raise Unavailable(f"the problem has no {name}")
        kappa = split.problem.features["ntk_cond"].to_numpy(dtype=float)
        m = split.problem.features[metric].to_numpy(dtype=float)
        pool = split.pool
        target = split.problem.target
        try:
            result = hnas_search(kappa[pool], m[pool], lambda i: float(target[pool[i]]), split.n, seed=split.seed)
        except ValueError as exc:
            raise Unavailable(str(exc)) from None
        return hnas_scores(kappa[split.test], m[split.test], result)
    return run


METHODS: dict[str, Callable[[Split], np.ndarray]] = {
    "synthesized": synthesized,
    "teacup": composite("teacup"),
    "upnas": composite("upnas"),
    "predictor[encoding]": predictor("encoding"),
    "predictor[proxies]": predictor("proxies"),
    "predictor[both]": predictor("both"),
    "predictor[encoding]+lce": predictor("encoding", extrapolated=True),
    "predictor[proxies]+lce": predictor("proxies", extrapolated=True),
    "predictor[both]+lce": predictor("both", extrapolated=True),
    **{f"hnas[{m}]": hnas(m) for m in HNAS_METRICS},
}
"""The few-shot methods (they use the n trained architectures), by name."""


def score(method: Callable[[Split], np.ndarray], split: Split) -> np.ndarray:
    """The method's scores on the test architectures, non-finite ones ranked last."""
    scores = np.asarray(method(split), dtype=float)
    if scores.shape != (len(split.test),):
        raise ValueError(f"a method returned {scores.shape} scores for {len(split.test)} test architectures")
    return _finite(scores)
