"""The search-algorithm contract and its registry.

Every algorithm is a scikit-learn-like object: keyword-only ``__init__`` storing its settings,
validation in :meth:`SearchAlgorithm.fit`, the outcome in ``result_``. ``fit`` gives the
algorithm a :class:`~synth.search.objective.Tracker` (budget = maximum number of distinct objective
evaluations) and a generator seeded with ``seed``, so a run is deterministic given its seed.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable

import numpy as np
from sklearn.base import BaseEstimator

from zc_core.registry import Registry

from ..objective import Objective, SearchResult, Tracker

ALGORITHMS: Registry[type["SearchAlgorithm"]] = Registry("search algorithm")


def register(name: str) -> Callable[[type["SearchAlgorithm"]], type["SearchAlgorithm"]]:
    """Class decorator adding an algorithm to :data:`ALGORITHMS` under ``name`` (unique)."""
    def add(cls: type["SearchAlgorithm"]) -> type["SearchAlgorithm"]:
        cls.name = name
        return ALGORITHMS.add(name, cls)
    return add


def get_algorithm(name: str) -> type["SearchAlgorithm"]:
    """The registered algorithm ``name``; an unknown one raises in one line, naming the closest."""
    return ALGORITHMS.get(name)


class SearchAlgorithm(BaseEstimator, ABC):
    """Base class: ``fit(objective)`` runs one seeded search and sets ``result_``."""

    name = ""
    default_budget: int | None = None
    """Budget when none is given (None: only the algorithm's own limits apply)."""

    def __init__(self, *, budget: int | None = None, seed: int = 0) -> None:
        self.budget = budget
        self.seed = seed

    def validate(self) -> None:
        """Raise ValueError for a bad setting (``fit`` calls it; callers may check early); subclasses extend it."""
        budget = self.default_budget if self.budget is None else self.budget
        if budget is not None and (not isinstance(budget, int) or budget < 1):
            raise ValueError(f"{self.name}: budget must be a positive integer, got {budget!r}")

    def fit(self, objective: Objective, *, time_budget: float | None = None,
            progress: Callable[[Tracker], None] | None = None) -> "SearchAlgorithm":
        """Search ``objective`` within the budget (and ``time_budget`` seconds of metric computation,
        when given); the outcome is ``result_``. ``progress(tracker)`` follows each new evaluation."""
        self.validate()
        if time_budget is not None and not time_budget > 0:
            raise ValueError(f"{self.name}: time budget must be > 0 seconds, got {time_budget!r}")
        budget = self.default_budget if self.budget is None else self.budget
        tracker = Tracker(objective, budget, time_budget, progress)
        rng = np.random.default_rng(self.seed)
        self.result_: SearchResult = self._search(tracker, rng)
        return self

    @abstractmethod
    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        """Run the search; return ``tracker.result(...)`` for the chosen architecture."""


def positive(owner: str, **values: float) -> None:
    """Raise ValueError naming the first setting that is not > 0."""
    for key, value in values.items():
        if not value > 0:
            raise ValueError(f"{owner}: {key} must be > 0, got {value!r}")


def percentile_rewards(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Rank-normalised rewards in [0, 1]: the share of ``reference`` values <= each value.

    Robust to the metric's units, to protected -1e7 values and to ``-inf`` (not evaluable = 0).
    """
    finite = np.sort(np.asarray(reference, dtype=float)[np.isfinite(reference)])
    values = np.asarray(values, dtype=float)
    if not len(finite):
        return np.zeros(len(values))
    ranks = np.searchsorted(finite, values, side="right") / len(finite)
    return np.where(np.isfinite(values), ranks, 0.0)


def evaluate_all(tracker: Tracker, archs: list, reserve: int = 0) -> list[float]:
    """Evaluate ``archs`` in order while more than ``reserve`` evaluations are left; the values got."""
    out: list[float] = []
    for arch in archs:
        if arch not in tracker.values and tracker.remaining <= reserve:
            break
        out.append(tracker(arch))
    return out


__all__ = ["ALGORITHMS", "SearchAlgorithm", "evaluate_all", "get_algorithm",
           "percentile_rewards", "positive", "register"]
