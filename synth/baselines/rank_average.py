"""Rank average: the mean over proxies of each proxy's percentile rank among the rows being scored.

A common, parameter-free way to combine proxies without choosing weights or transforms. A row's
score depends on the other rows, so it is not a formula: :class:`RankAverage` is a metric class
with the interface the project uses for formulas (``features``, ``evaluate``, ``str``, ``to_dict``,
``from_dict``) and ``population = True`` to say that it cannot score one architecture alone.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from scipy.stats import rankdata

from benchmarks_data import Problem

from ..primitives import BAD
from ..symbolic import FormulaError
from .common import Baseline, select

NAME = "rank_average"


class RankAverage:
    """Mean percentile rank (``rankdata`` average ranks / n) over proxies; higher = better.

    Rows with a non-finite value of any proxy score :data:`BAD` (the worst) and are left out of
    the ranks of the other rows.
    """

    population = True
    reads_architectures = False

    def __init__(self, proxies: Iterable[str]):
        names = [proxies] if isinstance(proxies, str) else list(proxies)
        if not names or not all(isinstance(x, str) and x for x in names):
            raise FormulaError(f"a rank average needs a non-empty list of proxy names, got {proxies!r}")
        self._features = sorted(set(names))

    @property
    def features(self) -> list[str]:
        """The proxies averaged, sorted."""
        return list(self._features)

    def evaluate(self, data: Any) -> np.ndarray:
        """Scores of the rows of ``data`` (DataFrame or mapping name -> 1-D array)."""
        missing = [f for f in self._features if f not in data]
        if missing:
            raise FormulaError(f"data lacks column(s) {', '.join(missing)} that metric {self} needs")
        columns = np.column_stack([np.asarray(data[f], dtype=float).reshape(-1) for f in self._features])
        finite = np.isfinite(columns).all(axis=1)
        scores = np.full(len(columns), BAD)
        n = int(finite.sum())
        if n:
            ranks = rankdata(columns[finite], method="average", axis=0) / n
            scores[finite] = ranks.mean(axis=1)
        return scores

    __call__ = evaluate

    def score(self, features: Any, archs: Sequence | None = None) -> np.ndarray:
        """The :class:`synth.metric.Metric` call: :meth:`evaluate` on the rows (their keys unused)."""
        return self.evaluate(features)

    def __str__(self) -> str:
        return f"{NAME}({', '.join(self._features)})"

    def __repr__(self) -> str:
        return f"RankAverage({self._features!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RankAverage) and self._features == other._features

    def __hash__(self) -> int:
        return hash((NAME, tuple(self._features)))

    def to_latex(self) -> str:
        names = ", ".join(r"\mathrm{%s}" % f.replace("_", r"\_") for f in self._features)
        return r"\mathrm{rank\_average}\left(%s\right)" % names

    def to_dict(self) -> dict[str, Any]:
        return {"metric": NAME, "proxies": self.features, "formula": str(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RankAverage":
        """Rebuild from :meth:`to_dict` output."""
        if not isinstance(data, Mapping) or data.get("metric") != NAME or "proxies" not in data:
            raise FormulaError(f"a rank average needs {{'metric': {NAME!r}, 'proxies': [...]}}, got {data!r:.80}")
        return cls(data["proxies"])


class RankAverageBaseline(Baseline):
    """Estimator front of :class:`RankAverage`: ``fit`` picks the proxies, nothing is learned.

    Proxies: ``proxies`` (problems lacking one are skipped) or those common to all problems.
    Fitted: ``metric_`` (a :class:`RankAverage`), ``proxies_`` and ``problems_``.
    """

    def __init__(self, *, proxies: Sequence[str] | None = None):
        self.proxies = proxies

    def fit(self, problems: Sequence[Problem]) -> "RankAverageBaseline":
        used, kept = select(problems, self.proxies)
        self.proxies_, self.problems_ = used, [p.name for p in kept]
        self.metric_ = RankAverage(used)
        return self


__all__ = ["RankAverage", "RankAverageBaseline"]
