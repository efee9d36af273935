"""HNAS (Shu et al., NeurIPS 2022): Eq. 7 on a candidate pool, its (mu, nu) tuned by Bayesian
optimisation, each query training the pool's argmin. The budget is the number of queries, so at most
that many trainings (a query whose pick was trained already trains nothing)."""
from __future__ import annotations

import math

import numpy as np

from ..hnas import hnas_search
from ..objective import SearchResult, Tracker
from .base import SearchAlgorithm, positive, register

METRICS = ("grad_norm", "snip", "grasp", "ntk_trace")


@register("hnas")
class HNAS(SearchAlgorithm):
    """Draw ``pool`` distinct architectures (from the table's rows in lookup mode), read ``ntk_cond``
    (kappa) and ``metric`` (M) of each (zero-cost), then run ``budget`` queries of :func:`~synth.search.hnas.hnas_search`: each trains the
    pool's argmin of Eq. 7 at the proposed (mu, nu). Returns the best trained architecture."""

    default_budget = 20

    def __init__(self, *, budget: int | None = None, seed: int = 0, metric: str = "grad_norm", pool: int = 1000,
                 t: int = 1) -> None:
        super().__init__(budget=budget, seed=seed)
        self.metric = metric
        self.pool = pool
        self.t = t

    def validate(self) -> None:
        super().validate()
        if self.metric not in METRICS:
            raise ValueError(f"hnas: metric must be one of {', '.join(METRICS)}, got {self.metric!r}")
        positive("hnas", pool=self.pool, t=self.t)

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        objective = tracker.objective
        known = objective.candidates()
        if known is not None:
            pool = [known[i] for i in rng.permutation(len(known))[:self.pool]]
        else:
            pool = tracker.space.sample_distinct(self.pool, rng)
        values = [objective.proxies(arch, ["ntk_cond", self.metric]) for arch in pool]
        kappa = np.array([v["ntk_cond"] for v in values])
        m = np.array([v[self.metric] for v in values])
        budget = int(tracker.budget) if tracker.budget is not None else self.default_budget
        result = hnas_search(kappa, m, lambda i: tracker.train(pool[i]), budget, seed=self.seed, t=self.t)
        best = pool[result.best]
        return SearchResult(arch=best, cell=tracker.space.describe(best), value=float(m[result.best]),
                            evaluations=len(tracker.trained), history=tuple(tracker.history),
                            evaluated=tuple(v if math.isfinite(v) else -math.inf for v in tracker.trained.values()))
