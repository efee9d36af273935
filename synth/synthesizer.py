"""``ProxySynthesizer``: the scikit-learn-style front of the engine (fit on problems -> ``formula_``)."""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Sequence

from sklearn.base import BaseEstimator

from benchmarks_data import DataError, Problem
from benchmarks_data.problems import did_you_mean, measures_signature
from zc_core.errors import check_fitted
from zc_core.jobs import refuse_foreign_folder

from .evolve import RunStore, Split, combine, file_digest, run_many, split_problems, training_data
from .kendall import kendall
from .formula import Formula
from .gp import GPConfig, RunResult
from .selection import (FOLD_BY, SELECTIONS, group_keys, held_out_hall_of_fame, pick, problem_groups,
                        transfer_candidates)


class ProxySynthesizer(BaseEstimator):
    """Synthesize one zero-cost metric that ranks architectures well on every given problem.

    Parameters are keyword-only and stored as given; :meth:`fit` validates them. Fitted attributes:
    ``formula_`` (the winner), ``results_`` (one :class:`RunResult` per run), ``report_`` (the
    ``result.json`` dictionary) and ``splits_``.

    ``select``: ``"transfer"`` chooses the formula on problems its run did not train on (``folds``
    groups of problems, or of whole search spaces with ``fold_by="space"``; ``parsimony`` tolerance;
    see :mod:`synth.selection`), ``"train"`` by Eq. 1 on the training rows (the paper).
    ``max_rows`` caps each problem's training rows (seeded subsample).
    """

    def __init__(self, *, runs: int = 31, seed: int = 0, test_size: float = 0.3,
                 config: GPConfig | None = None, jobs: int = 1, scheduler: str | None = None,
                 out: str | None = None, progress: Callable[[int], None] | None = None,
                 select: str = "transfer", folds: int = 3, parsimony: float = 0.01, max_rows: int | None = None,
                 fold_by: str = "problem"):
        self.select = select
        self.fold_by = fold_by
        self.folds = folds
        self.parsimony = parsimony
        self.max_rows = max_rows
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
                "seed": self.seed, "runs": self.runs, "test_size": self.test_size, "config": config.to_dict(),
                "select": self.select, "folds": self.folds if self.select == "transfer" else None,
                "fold_by": self.fold_by if self.select == "transfer" else None,
                "max_rows": self.max_rows, **measures_signature(problems)}

    def check_params(self) -> None:
        """Raise DataError on a bad parameter (fit calls it; callers may call it before work starts)."""
        if self.runs < 1:
            raise DataError(f"runs must be >= 1, got {self.runs}")
        if self.out:
            refuse_foreign_folder(self.out)
        if self.select not in SELECTIONS:
            raise DataError(f"unknown selection {self.select!r}{did_you_mean(str(self.select), SELECTIONS)}; "
                            f"choose {' or '.join(SELECTIONS)}")
        if self.fold_by not in FOLD_BY:
            raise DataError(f"unknown fold grouping {self.fold_by!r}{did_you_mean(str(self.fold_by), FOLD_BY)}; "
                            f"choose {' or '.join(FOLD_BY)}")
        if self.folds < 2:
            raise DataError(f"folds must be >= 2, got {self.folds}")
        if not (self.parsimony >= 0 and math.isfinite(self.parsimony)):
            raise DataError(f"parsimony must be a finite number >= 0, got {self.parsimony}")
        if self.max_rows is not None and self.max_rows < 10:
            raise DataError(f"max rows must be >= 10, got {self.max_rows}")

    def fit(self, problems: Sequence[Problem]) -> "ProxySynthesizer":
        if not problems:
            raise DataError("no problems to fit")
        if self.jobs == 0 or self.jobs < -1:
            raise DataError(f"jobs must be >= 1 or -1 (all cores), got {self.jobs}")
        self.check_params()
        config = self.config or GPConfig()
        start = time.perf_counter()
        self.splits_ = split_problems(problems, self.test_size, self.seed, self.max_rows)
        data = training_data(self.splits_)
        n = len(problems)
        transfer = self.select == "transfer" and n >= 2
        keys = group_keys([p.space for p in problems], self.fold_by)
        groups = problem_groups(keys, self.folds, self.seed) if transfer else [list(range(n))]
        datas = [data.subset([i for i in range(n) if i not in g]) for g in groups] if transfer else [data]
        store = RunStore(self.out, self._signature(problems, config)) if self.out else None
        self.results_: list[RunResult] = run_many(datas, config, self.seed, self.runs, self.jobs, store,
                                                  self.scheduler, self.progress)
        features = list(data.features)
        formulas = [Formula(r.winner, features) for r in self.results_]
        if transfer:
            candidates = transfer_candidates(self.results_, groups, data)
            chosen = candidates[pick(candidates, self.parsimony)]
            self.formula_ = Formula(chosen.tree, features)
            tree = chosen.tree
            by_winner = {(c.run, c.tree): c.score for c in candidates}
            run_scores = [by_winner.get((r.run, r.winner), float("nan")) for r in self.results_]
            hall = [(c.size, c.tree, c.score) for c in held_out_hall_of_fame(candidates)]
            selection = {"method": "transfer", "groups": [[problems[i].name for i in g] for g in groups],
                         "held_out_score": chosen.score, "run": chosen.run, "parsimony": self.parsimony}
        else:
            combined = combine(self.results_)
            self.formula_ = formulas[combined.winner]
            tree = self.results_[combined.winner].winner
            run_scores = combined.run_scores
            hall = combined.hall_of_fame
            selection = {"method": "train"}
        self.report_ = {
            "formula": str(self.formula_), "latex": self.formula_.to_latex(),
            "expr": self.formula_.to_dict()["expr"], "tree": tree,
            "features": features, "selection": selection,
            "problems": {s.problem.name: {"n_train": len(s.train), "n_test": len(s.test),
                                          "n_dropped": s.problem.n_dropped, **self._taus(self.formula_, s)}
                         for s in self.splits_},
            "runs": [{"seed": r.seed, "formula": str(f), "score": _finite(score),
                      "train_tau": self._taus_of(f, "train"), "test_tau": self._taus_of(f, "test")}
                     for r, f, score in zip(self.results_, formulas, run_scores)],
            "hall_of_fame": [{"size": size, "formula": str(f), "score": _finite(score),
                              "test_tau": self._taus_of(f, "test")}
                             for size, text, score in hall
                             for f in [Formula(text, features)]],
            "proxies": {name: {s.problem.name: self._taus(Formula(name), s) for s in self.splits_}
                        for name in features},
            "config": {"seed": self.seed, "runs": self.runs, "test_size": self.test_size,
                       "select": self.select, "folds": self.folds, "fold_by": self.fold_by,
                       "parsimony": self.parsimony, "max_rows": self.max_rows, **config.to_dict()},
            "elapsed_s": 0.0,
        }
        self.report_["elapsed_s"] = round(time.perf_counter() - start, 3)
        return self

    @staticmethod
    def _tau(formula: Formula, split: Split, part: str) -> float | None:
        """Kendall tau on one part of a split; None where the problem lacks a proxy of the formula."""
        features, target = split.rows(part)
        if not set(formula.features) <= set(features.columns):
            return None
        return kendall(formula.evaluate(features), target)

    def _taus(self, formula: Formula, split: Split) -> dict[str, float | None]:
        return {"train_tau": self._tau(formula, split, "train"), "test_tau": self._tau(formula, split, "test")}

    def _taus_of(self, formula: Formula, part: str) -> dict[str, float | None]:
        return {s.problem.name: self._tau(formula, s, part) for s in self.splits_}

    def score(self, problems: Sequence[Problem]) -> dict[str, float | None]:
        """Kendall tau of the fitted formula on every row of each problem (None: a proxy is missing)."""
        check_fitted(self, "formula_", "call fit(problems) first")
        return {p.name: (kendall(self.formula_.evaluate(p.features), p.target)
                         if set(self.formula_.features) <= set(p.features.columns) else None) for p in problems}


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None

