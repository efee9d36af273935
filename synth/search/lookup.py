"""Lookup mode: metric values and accuracies of every architecture from a benchmark table.

The metric is evaluated once, vectorised, over the whole table, so an evaluation is a dictionary read
(any space, whatever its size: tables are keyed by canonical architecture). Architectures the table
lacks, or whose row misses a proxy the metric reads, are *not evaluable*: their value is ``-inf``
(the worst) and their accuracy unknown. NAS-Bench-Suite-Zero's NB201 file, for instance, has the 13
proxies for 9,445 of the 15,625 cells; a table covering a small share of its space (NB101, NB301,
TransNAS pre-release) is searched over its own rows (:mod:`~synth.search.table_space`). Isomorphic
keys of one table (NB101) are one architecture: the last row read gives its values.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from benchmarks_data import DataError, Problem, load_problems
from benchmarks_data.measures import DECLARED
from benchmarks_data.suite import TARGET

from ..formula import Formula
from .objective import Allowed, Objective, percentile_of
from proxies.spaces import for_table

from .space import Arch, SearchSpace, get_space
from .table_space import searchable


class LookupObjective(Objective):
    """Metric values and accuracies of the architectures a table holds (others: ``-inf`` / unknown).

    ``values`` is a mapping ``{arch: value}`` or, in spaces whose every choice tuple is an
    architecture (NB201), an array with one entry per :meth:`~proxies.spaces.base.Space.index`
    (``-inf`` / NaN = missing); ``accuracy`` likewise.

    A supernet (TE-NAS pruning) is scored exactly from the table as the mean, over the evaluable
    architectures of its sub-space, of their metric percentile in [0, 1] (0 when none is evaluable).
    Percentiles rather than raw values keep the score on one scale whatever the metric's units, so
    the protected -1e7 values of a formula cannot swamp the mean; leaving out the architectures the
    table lacks keeps a sub-space from being judged by how many of them were scored.
    """

    def __init__(self, space: SearchSpace, values, accuracy=None, features: pd.DataFrame | None = None) -> None:
        super().__init__(space)
        self.features = features
        """Proxy columns, one row per architecture of :attr:`rows` (the table's rows), or None."""
        self.rows: list[Arch] = []
        """The architecture of each row of :attr:`features`."""
        self.values = {a: v for a, v in self._mapping(values, -math.inf).items() if math.isfinite(v)}
        self.accuracies = {a: v for a, v in self._mapping(accuracy, math.nan).items() if math.isfinite(v)}
        self._finite = np.sort(np.fromiter(self.values.values(), float, len(self.values)))
        if not len(self._finite):
            raise DataError("the table has no architecture with a value of the metric")
        self._archs = np.array(list(self.values), dtype=np.int64).reshape(len(self.values), -1)
        self._ranks = np.searchsorted(self._finite, np.fromiter(self.values.values(), float), side="right") \
            / len(self._finite)

    def _mapping(self, values, missing: float) -> dict[Arch, float]:
        if values is None:
            return {}
        if isinstance(values, dict):
            return {tuple(int(k) for k in a): float(v) for a, v in values.items()}
        values = np.asarray(values, dtype=float)
        if values.shape != (self.space.size,) or "enumerate" not in self.space.supports:
            raise ValueError(f"values must be a mapping, or an array with one entry per architecture of "
                             f"{self.space.name} ({self.space.size})")
        return {arch: float(values[i]) for i, arch in enumerate(self.space.all())
                if np.isfinite(values[i]) and values[i] != missing}

    @property
    def evaluable(self) -> int:
        """Number of architectures with a metric value."""
        return len(self._finite)

    def _evaluate(self, arch: Arch) -> float:
        return self.values.get(arch, -math.inf)

    def _evaluate_supernet(self, allowed: Allowed) -> dict[str, float]:
        inside = np.ones(len(self._archs), dtype=bool)
        for position, options in enumerate(allowed):
            inside &= np.isin(self._archs[:, position], options)
        known = int(inside.sum())
        return {"metric": float(self._ranks[inside].sum() / known) if known else 0.0}

    def accuracy(self, arch: Arch) -> float | None:
        return self.accuracies.get(arch)

    def percentile(self, value: float) -> float:
        return percentile_of(value, self._finite)

    def candidates(self) -> list[Arch] | None:
        return None if self.features is None else list(self.rows)

    def proxies(self, arch: Arch, names) -> dict[str, float]:
        if self.features is None:
            raise NotImplementedError("this lookup objective was built without its proxy columns")
        if not hasattr(self, "_row_of"):
            self._row_of = {a: i for i, a in enumerate(self.rows)}
        i = self._row_of.get(arch)
        row = self.features.iloc[i] if i is not None else None
        return {name: float(row[name]) if row is not None and name in row else float("nan") for name in names}

    def best(self) -> Arch:
        """The architecture with the highest metric value (the first one in space order on ties)."""
        top = max(self.values.values())
        return min(a for a, v in self.values.items() if v == top)


def table_archs(space: SearchSpace, archs) -> list[Arch]:
    """Canonical architectures of a table's keys."""
    try:
        return [space.parse(str(a)) for a in archs]
    except ValueError as exc:
        raise DataError(f"the table holds an architecture that is not in {space.name}: {exc}") from None


def objective_from_problem(problem: Problem, formula: Formula, space: SearchSpace | None = None) -> LookupObjective:
    """A lookup objective whose metric is ``formula`` on ``problem``'s proxies and accuracy its target."""
    space = space or get_space(for_table(problem.space))
    archs = table_archs(space, problem.archs)
    space = searchable(space, archs)
    values = formula.score(problem.features, problem.archs)
    objective = LookupObjective(space, dict(zip(archs, values)), dict(zip(archs, np.asarray(problem.target, float))))
    objective.features = problem.features.reset_index(drop=True)
    objective.rows = archs
    return objective


def objective_from_frame(frame: pd.DataFrame, formula: Formula, accuracy: pd.Series | None = None,
                         space: SearchSpace | None = None) -> LookupObjective:
    """A lookup objective from a table indexed by architecture key (NaN = missing, as
    :meth:`benchmarks_data.SuiteFile.table` gives): ``formula`` on the rows that hold all its
    proxies; ``accuracy`` (indexed the same way) defaults to the table's ``val_accuracy``."""
    space = space or get_space("nb201")
    rows = frame[formula.features].dropna() if formula.features else frame
    accuracy = frame[TARGET] if accuracy is None else accuracy
    known = accuracy.dropna()
    archs = table_archs(space, rows.index)
    values = dict(zip(archs, formula.score(rows, rows.index)))
    space = searchable(space, archs)
    return LookupObjective(space, values, dict(zip(table_archs(space, known.index), known.to_numpy())))


def load_lookup(path: str, problem: str, formula: Formula, space: SearchSpace | None = None,
                extra: list[str] | None = None, target: str = DECLARED) -> LookupObjective:
    """The lookup objective of ``problem`` (alias or space/task) in the suite file ``path``; the rows
    that hold the formula's proxies and the ``extra`` ones; ``target`` chooses the ground truth
    (:func:`benchmarks_data.load_problems`)."""
    columns = list(dict.fromkeys(list(formula.features) + list(extra or []))) or None
    loaded = load_problems([path], [problem], columns, min_rows=1, target=target)[0]
    return objective_from_problem(loaded, formula, space)
