"""Lookup mode: metric values and accuracies of every architecture from a benchmark table.

The metric is evaluated once, vectorised, over the whole table, so an evaluation is an array read.
Architectures the table lacks, or whose row misses a proxy the metric reads, are *not evaluable*:
their value is ``-inf`` (the worst) and their accuracy unknown. NAS-Bench-Suite-Zero's NB201 file,
for instance, has the 13 proxies for 9,445 of the 15,625 cells.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks_data import DataError, Problem, load_problems
from benchmarks_data.suite import TARGET

from ..formula import Formula
from ..metric_values import metric_values
from .objective import Allowed, Objective, percentile_of
from .space import Arch, NB201Space, SearchSpace


class LookupObjective(Objective):
    """Metric and accuracy arrays indexed by :meth:`SearchSpace.index` (``-inf`` / NaN = missing).

    A supernet (TE-NAS pruning) is scored exactly from the table as the mean, over the evaluable cells
    of its sub-space, of the cell's metric percentile in [0, 1] (0 when none is evaluable).
    Percentiles rather than raw values keep the score on one scale whatever the metric's units, so
    the protected -1e7 values of a formula cannot swamp the mean; leaving out the cells the table
    lacks keeps a sub-space from being judged by how many of its cells were scored.
    """

    def __init__(self, space: SearchSpace, values: np.ndarray, accuracy: np.ndarray | None = None,
                 features: pd.DataFrame | None = None) -> None:
        super().__init__(space)
        self.features = features
        """Proxy columns indexed by :meth:`SearchSpace.index` (rows the table has), or None."""
        values = np.asarray(values, dtype=float)
        if values.shape != (space.size,):
            raise ValueError(f"values must have one entry per architecture of {space.name} ({space.size})")
        self.values = np.where(np.isfinite(values), values, -np.inf)
        accuracy = np.full(space.size, np.nan) if accuracy is None else np.asarray(accuracy, dtype=float)
        self.accuracies = np.where(np.isfinite(accuracy), accuracy, np.nan)
        self._finite = np.sort(self.values[np.isfinite(self.values)])
        if not len(self._finite):
            raise DataError("the table has no architecture with a value of the metric")
        ranks = np.searchsorted(self._finite, self.values, side="right") / len(self._finite)
        shape = [len(c) for c in space.choices]
        self._ranks = np.where(np.isfinite(self.values), ranks, 0.0).reshape(shape)
        self._known = np.isfinite(self.values).reshape(shape)

    @property
    def evaluable(self) -> int:
        """Number of architectures with a metric value."""
        return len(self._finite)

    def _evaluate(self, arch: Arch) -> float:
        return float(self.values[self.space.index(arch)])

    def _evaluate_supernet(self, allowed: Allowed) -> dict[str, float]:
        cells = np.ix_(*allowed)
        known = int(self._known[cells].sum())
        return {"metric": float(self._ranks[cells].sum() / known) if known else 0.0}

    def accuracy(self, arch: Arch) -> float | None:
        value = self.accuracies[self.space.index(arch)]
        return None if np.isnan(value) else float(value)

    def percentile(self, value: float) -> float:
        return percentile_of(value, self._finite)

    def candidates(self) -> list[Arch] | None:
        if self.features is None:
            return None
        radix = [len(c) for c in self.space.choices]
        return [tuple(int(k) for k in np.unravel_index(int(i), radix)) for i in self.features.index]

    def proxies(self, arch: Arch, names) -> dict[str, float]:
        if self.features is None:
            raise NotImplementedError("this lookup objective was built without its proxy columns")
        index = self.space.index(arch)
        row = self.features.loc[index] if index in self.features.index else None
        return {name: float(row[name]) if row is not None and name in row else float("nan") for name in names}

    def best(self) -> Arch:
        """The architecture with the highest metric value (the first one on ties)."""
        index = int(np.argmax(self.values))
        radix = [len(c) for c in self.space.choices]
        return tuple(int(k) for k in np.unravel_index(index, radix))


def table_indices(space: SearchSpace, archs: np.ndarray) -> np.ndarray:
    """Space indices of a table's architecture keys (cell strings or tuple keys)."""
    try:
        return np.array([space.index(space.parse(str(a))) for a in archs], dtype=np.int64)
    except ValueError as exc:
        raise DataError(f"the table holds an architecture that is not in {space.name}: {exc}") from None


def objective_from_problem(problem: Problem, formula: Formula, space: SearchSpace | None = None) -> LookupObjective:
    """A lookup objective whose metric is ``formula`` on ``problem``'s proxies and accuracy its target."""
    space = space or NB201Space()
    index = table_indices(space, problem.archs)
    objective = _objective(space, index, metric_values(formula, problem.features, problem.archs), problem.target)
    objective.features = problem.features.set_axis(index)
    return objective


def objective_from_frame(frame: pd.DataFrame, formula: Formula, accuracy: pd.Series | None = None,
                         space: SearchSpace | None = None) -> LookupObjective:
    """A lookup objective from a table indexed by architecture key (NaN = missing, as
    :meth:`benchmarks_data.SuiteFile.table` gives): ``formula`` on the rows that hold all its
    proxies; ``accuracy`` (indexed the same way) defaults to the table's ``val_accuracy``."""
    space = space or NB201Space()
    rows = frame[formula.features].dropna() if formula.features else frame
    accuracy = frame[TARGET] if accuracy is None else accuracy
    known = accuracy.dropna()
    objective = _objective(space, table_indices(space, rows.index), metric_values(formula, rows, rows.index), None)
    objective.accuracies[table_indices(space, known.index)] = known.to_numpy()
    return objective


def _objective(space: SearchSpace, index: np.ndarray, values: np.ndarray, accuracy: np.ndarray | None) -> LookupObjective:
    full = np.full(space.size, -np.inf)
    full[index] = values
    accuracies = np.full(space.size, np.nan)
    if accuracy is not None:
        accuracies[index] = accuracy
    return LookupObjective(space, full, accuracies)


def load_lookup(path: str, problem: str, formula: Formula, space: SearchSpace | None = None,
                extra: list[str] | None = None) -> LookupObjective:
    """The lookup objective of ``problem`` (alias or space/task) in the suite file ``path``; the rows
    that hold the formula's proxies and the ``extra`` ones."""
    columns = list(dict.fromkeys(list(formula.features) + list(extra or []))) or None
    loaded = load_problems([path], [problem], columns, min_rows=1)[0]
    return objective_from_problem(loaded, formula, space)
