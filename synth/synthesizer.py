"""``ProxySynthesizer``: the scikit-learn-style front of the engine (fit on problems -> ``formula_``)."""
from __future__ import annotations

import time
from typing import Any, Callable, Sequence


from benchmarks_data import DataError, Problem

from .evolve import RunStore, Split, combine, file_digest, kendall, run_many, split_problems, training_data
from .formula import Formula
from .gp import GPConfig, RunResult


class ProxySynthesizer:
    """Synthesize one zero-cost metric that ranks architectures well on every given problem.

    Parameters are keyword-only and stored as given; :meth:`fit` validates them. Fitted attributes:
    ``formula_`` (the winner), ``results_`` (one :class:`RunResult` per run), ``report_`` (the
    ``result.json`` dictionary) and ``splits_``.
    """

    def __init__(self, *, runs: int = 31, seed: int = 0, test_size: float = 0.3,
                 config: GPConfig | None = None, jobs: int = 1, scheduler: str | None = None,
                 out: str | None = None, progress: Callable[[int], None] | None = None):
        self.runs = runs
        self.seed = seed
        self.test_size = test_size
        self.config = config
        self.jobs = jobs
        self.scheduler = scheduler
        self.out = out
        self.progress = progress

    def _signature(self, problems: Sequence[Problem], config: GPConfig) -> dict[str, Any]:
        sources = sorted({p.source for p in problems})
        return {"data": {path: file_digest(path) for path in sources},
                "problems": [p.name for p in problems], "features": list(problems[0].features.columns),
                "seed": self.seed, "runs": self.runs, "test_size": self.test_size, "config": config.to_dict()}

    def fit(self, problems: Sequence[Problem]) -> "ProxySynthesizer":
        if not problems:
            raise DataError("no problems to fit")
        if self.runs < 1:
            raise DataError(f"runs must be >= 1, got {self.runs}")
        if self.jobs == 0 or self.jobs < -1:
            raise DataError(f"jobs must be >= 1 or -1 (all cores), got {self.jobs}")
        config = self.config or GPConfig()
        start = time.perf_counter()
        self.splits_ = split_problems(problems, self.test_size, self.seed)
        data = training_data(self.splits_)
        store = RunStore(self.out, self._signature(problems, config)) if self.out else None
        self.results_: list[RunResult] = run_many(data, config, self.seed, self.runs, self.jobs, store,
                                                  self.scheduler, self.progress)
        combined = combine(self.results_)
        features = list(data.features)
        formulas = [Formula(r.winner, features) for r in self.results_]
        self.formula_ = formulas[combined.winner]
        self.report_ = {
            "formula": str(self.formula_), "latex": self.formula_.to_latex(),
            "expr": self.formula_.to_dict()["expr"], "tree": self.results_[combined.winner].winner,
            "features": features,
            "problems": {s.problem.name: {"n_train": len(s.train), "n_test": len(s.test),
                                          "n_dropped": s.problem.n_dropped, **self._taus(self.formula_, s)}
                         for s in self.splits_},
            "runs": [{"seed": r.seed, "formula": str(f), "score": score,
                      "train_tau": self._taus_of(f, "train"), "test_tau": self._taus_of(f, "test")}
                     for r, f, score in zip(self.results_, formulas, combined.run_scores)],
            "hall_of_fame": [{"size": size, "formula": str(f), "score": score, "test_tau": self._taus_of(f, "test")}
                             for size, text, score in combined.hall_of_fame
                             for f in [Formula(text, features)]],
            "proxies": {name: {s.problem.name: self._taus(Formula(name), s) for s in self.splits_}
                        for name in features},
            "config": {"seed": self.seed, "runs": self.runs, "test_size": self.test_size, **config.to_dict()},
            "elapsed_s": 0.0,
        }
        self.report_["elapsed_s"] = round(time.perf_counter() - start, 3)
        return self

    @staticmethod
    def _tau(formula: Formula, split: Split, part: str) -> float:
        features, target = split.rows(part)
        return kendall(formula.evaluate(features), target)

    def _taus(self, formula: Formula, split: Split) -> dict[str, float]:
        return {"train_tau": self._tau(formula, split, "train"), "test_tau": self._tau(formula, split, "test")}

    def _taus_of(self, formula: Formula, part: str) -> dict[str, float]:
        return {s.problem.name: self._tau(formula, s, part) for s in self.splits_}

    def score(self, problems: Sequence[Problem]) -> dict[str, float]:
        """Kendall tau of the fitted formula on every row of each problem."""
        if not hasattr(self, "formula_"):
            raise DataError("this ProxySynthesizer is not fitted yet: call fit(problems) first")
        return {p.name: kendall(self.formula_.evaluate(p.features), p.target) for p in problems}
