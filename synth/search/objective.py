"""Objectives (architecture -> metric value, higher = better, cached) and the per-run budget tracker.

Two objectives share one interface: :class:`~synth.search.lookup.LookupObjective` reads a benchmark
table, :class:`~synth.search.live.LiveObjective` computes proxies on the user's data. Algorithms see
them only through a :class:`Tracker`, which counts distinct evaluations, enforces the budget and
records the best-so-far history.
"""
from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .space import Arch, SearchSpace

Allowed = tuple[tuple[int, ...], ...]
"""A sub-space (TE-NAS supernet): the allowed choice indices of every edge, sorted."""


class BudgetExhausted(Exception):
    """Raised by :class:`Tracker` when a new evaluation would exceed the budget."""


class Objective(ABC):
    """Architecture -> metric value (higher = better), computed once per architecture.

    A value of ``-inf`` means "not evaluable" (e.g. the table lacks the architecture or a proxy
    failed on it): the worst possible value.
    """

    def __init__(self, space: SearchSpace) -> None:
        self.space = space
        self._cache: dict[Arch, float] = {}
        self.seconds: dict[Arch, float] = {}
        """Seconds each architecture's metric took to compute (a resumed run's from its log)."""
        self._supernet_cache: dict[Allowed, dict[str, float]] = {}
        self.on_evaluate: Callable[[Arch, float], None] | None = None
        """Called after each architecture the objective computes (not for cached values)."""

    def __call__(self, arch: Arch) -> float:
        if arch not in self._cache:
            start = time.perf_counter()
            self._cache[arch] = float(self._evaluate(arch))
            self.seconds[arch] = time.perf_counter() - start
            if self.on_evaluate:
                self.on_evaluate(arch, self._cache[arch])
        return self._cache[arch]

    def evaluated(self) -> dict[Arch, float]:
        """Every architecture computed so far (or primed) and its value, in order."""
        return dict(self._cache)

    def prime(self, arch: Arch, value: float, seconds: float = 0.0) -> None:
        """Record a value computed earlier (a resumed run) and what it cost, so it is not computed again."""
        self._cache[arch] = float(value)
        self.seconds[arch] = float(seconds)

    def supernet(self, allowed: Allowed) -> dict[str, float]:
        """Criteria (name -> value, higher = better) of the supernet holding the ``allowed`` ops."""
        if allowed not in self._supernet_cache:
            self._supernet_cache[allowed] = self._evaluate_supernet(allowed)
        return self._supernet_cache[allowed]

    @abstractmethod
    def _evaluate(self, arch: Arch) -> float:
        """The metric of one architecture."""

    def _evaluate_supernet(self, allowed: Allowed) -> dict[str, float]:
        raise NotImplementedError(f"{type(self).__name__} cannot score supernets")

    def accuracy(self, arch: Arch) -> float | None:
        """Ground-truth accuracy when the objective knows it (lookup mode), else None."""
        return None

    def proxies(self, arch: Arch, names: Sequence[str]) -> dict[str, float]:
        """The named proxies of one architecture (NaN when missing or failed): what few-shot methods
        such as HNAS combine themselves instead of reading one metric."""
        raise NotImplementedError(f"{type(self).__name__} gives no proxy values")

    def candidates(self) -> list[Arch] | None:
        """The architectures whose proxies are known without computing (a table's rows), or None when
        any architecture of the space can be scored (live mode)."""
        return None

    def train(self, arch: Arch) -> float:
        """Validation accuracy (percent) after training the architecture: the table's in lookup mode;
        ``-inf`` when it cannot be had. Each call is the expensive step few-shot searches budget."""
        value = self.accuracy(arch)
        return -math.inf if value is None else float(value)

    def percentile(self, value: float) -> float | None:
        """Share (0..100) of the problem's architectures with a metric <= ``value``; None when unknown."""
        return None


def percentile_of(value: float, values: np.ndarray) -> float:
    """Share (0..100) of the finite ``values`` that are <= ``value`` (0 for a non-finite value)."""
    finite = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    if not math.isfinite(value) or not len(finite):
        return 0.0
    return 100.0 * np.searchsorted(finite, value, side="right") / len(finite)


@dataclass(frozen=True)
class SearchResult:
    """What a search returns: the chosen architecture, its metric, the evaluations it used, the
    best-so-far metric after each evaluation (``-inf`` while no architecture has been evaluated) and
    the metric of every distinct architecture evaluated, in order."""

    arch: Arch
    cell: str
    value: float
    evaluations: int
    history: tuple[float, ...]
    evaluated: tuple[float, ...]


class Tracker:
    """One run's view of an objective: distinct evaluations within ``budget`` (None = unlimited).

    Architectures and supernets both count; asking again for one already evaluated in this run is
    free. The objective's own cache may be shared by several runs (live proxies are computed once).
    ``time_budget`` (seconds, None = unlimited) also ends the run (softly, see :meth:`_spend`) once the
    metric computations of its evaluations add up to it: counted from the objective's recorded seconds, not the clock, so a
    resumed run replaying its log stops exactly where the uninterrupted one did. ``progress(tracker)``
    is called after each new evaluation.
    """

    def __init__(self, objective: Objective, budget: int | None, time_budget: float | None = None,
                 progress: Callable[["Tracker"], None] | None = None) -> None:
        self.objective = objective
        self.space = objective.space
        self.budget = budget
        self.time_budget = time_budget
        self.progress = progress
        self.elapsed = 0.0
        """Seconds of metric computation this run's evaluations cost."""
        self.values: dict[Arch, float] = {}
        self.trained: dict[Arch, float] = {}
        self._supernets: dict[Allowed, dict[str, float]] = {}
        self.history: list[float] = []
        self.best: tuple[Arch, float] | None = None

    @property
    def evaluations(self) -> int:
        return len(self.history)

    @property
    def remaining(self) -> float:
        if self.time_budget is not None and self.elapsed >= self.time_budget:
            return 0
        return math.inf if self.budget is None else self.budget - self.evaluations

    def __call__(self, arch: Arch) -> float:
        if arch in self.values:
            return self.values[arch]
        self._spend()
        value = self.objective(arch)
        self.values[arch] = value
        self.elapsed += self.objective.seconds.get(arch, 0.0)
        if self.best is None or value > self.best[1]:
            self.best = (arch, value)
        self.history.append(self.best[1])
        if self.progress:
            self.progress(self)
        return value

    def train(self, arch: Arch) -> float:
        """Train ``arch`` (once per run; counts against the budget like an evaluation) and return its
        validation accuracy; the history then follows the best accuracy trained so far."""
        if arch in self.trained:
            return self.trained[arch]
        self._spend()
        self.trained[arch] = accuracy = self.objective.train(arch)
        self.history.append(max(self.history[-1], accuracy) if self.history else accuracy)
        if self.progress:
            self.progress(self)
        return accuracy

    def supernet(self, allowed: Allowed) -> dict[str, float]:
        if allowed not in self._supernets:
            self._spend()
            start = time.perf_counter()
            self._supernets[allowed] = self.objective.supernet(allowed)
            self.elapsed += time.perf_counter() - start          # supernets are not logged: timed here
            self.history.append(self.best[1] if self.best else -math.inf)
        return self._supernets[allowed]

    def _spend(self) -> None:
        """Refuse an evaluation past the count budget. The time budget is soft: it turns ``remaining``
        to 0, so algorithms stop at their next check, and a step already begun (a pruning round, the
        final answer) completes."""
        if self.budget is not None and self.evaluations >= self.budget:
            raise BudgetExhausted(f"budget of {self.budget} evaluations spent")

    def result(self, arch: Arch | None = None) -> SearchResult:
        """The result for ``arch`` (evaluated now if needed), by default the best architecture seen."""
        if arch is None:
            if self.best is None:
                raise BudgetExhausted("no architecture was evaluated")
            arch = self.best[0]
        value = self(arch)
        return SearchResult(arch=arch, cell=self.space.describe(arch), value=value,
                            evaluations=self.evaluations, history=tuple(self.history),
                            evaluated=tuple(self.values.values()))
