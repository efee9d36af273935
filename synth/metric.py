"""The one small interface every metric shares, and the table of metrics the commands loop over.

A metric ranks architectures; higher = predicted better. A synthesized :class:`~synth.formula.Formula`,
a baseline's composite (a formula, or a :class:`~synth.baselines.RankAverage`) and a learned scorer
(FT-ScoreNet) all answer :meth:`Metric.score` on a set of rows, so ``validate``, ``compare``,
``report``, ``evaluate`` and the searches treat them alike: :func:`method_table` builds the one table
of named metrics (the given ones, every single proxy, optionally the rank average of all) and
:func:`tau_table` scores each on each problem.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from benchmarks_data.problems import Problem


@runtime_checkable
class Metric(Protocol):
    """What a metric offers. ``features``: the proxy columns it reads (none for a learned scorer that
    reads architectures); ``population``: a row's score depends on the other rows (it cannot score one
    architecture alone); ``reads_architectures``: it scores the rows' architecture keys, not their
    proxy columns (live search then computes no proxy for it)."""

    population: bool
    reads_architectures: bool

    @property
    def features(self) -> list[str]: ...

    def score(self, features: "pd.DataFrame", archs: Sequence) -> np.ndarray:
        """One score per row (``features`` and ``archs`` aligned)."""
        ...

    def to_dict(self) -> dict[str, Any]: ...


def reads_architectures(metric: Metric) -> bool:
    """Whether the metric scores architectures from their keys (FT-ScoreNet) instead of proxy columns."""
    return bool(getattr(metric, "reads_architectures", False))


def tau_on(metric: Metric, problem: "Problem") -> float | None:
    """Kendall tau of a metric on every row of a problem; None when the problem lacks a proxy it reads."""
    from .kendall import kendall

    if not set(metric.features) <= set(problem.features.columns):
        return None
    return kendall(metric.score(problem.features, problem.archs), problem.target)


def method_table(given: Mapping[str, Metric | None], proxies: Iterable[str] = (), *,
                 rank_average: bool = False) -> dict[str, Metric | None]:
    """The named metrics to compare: ``given`` first, then each proxy of ``proxies`` as a one-proxy
    formula (a given metric of the same name wins), then, with ``rank_average``, the rank average of
    all of ``proxies``. A given None (a baseline that could not be fitted) stays, and scores None."""
    from .baselines import RankAverage
    from .formula import Formula

    columns = list(dict.fromkeys(proxies))
    table: dict[str, Metric | None] = dict(given)
    for proxy in columns:
        table.setdefault(proxy, Formula(proxy))
    if rank_average and columns:
        table.setdefault("rank_average", RankAverage(columns))
    return table


def tau_table(table: Mapping[str, Metric | None], problems: Sequence["Problem"]) -> dict[str, dict[str, float | None]]:
    """``{metric name: {problem name: tau}}``; None where a metric is missing or cannot be scored."""
    return {name: {p.name: (tau_on(metric, p) if metric is not None else None) for p in problems}
            for name, metric in table.items()}


def metric_from_dict(data: Mapping[str, Any]) -> Metric:
    """The metric that wrote ``data`` with ``to_dict()``: a rank average, a saved FT-ScoreNet, or a formula
    (from its exact ``expr``, else from the text under ``formula``)."""
    from .symbolic import FormulaError

    if not isinstance(data, Mapping):
        raise FormulaError(f"a metric is rebuilt from a dict, not {type(data).__name__}")
    kind = data.get("metric")
    if kind == "rank_average":
        from .baselines import RankAverage
        return RankAverage.from_dict(data)
    if kind == "ftscorenet":
        from .predictors.ftscorenet.metric import FTScoreNetMetric
        return FTScoreNetMetric.from_dict(data)
    from .formula import Formula
    if "expr" not in data and isinstance(data.get("formula"), str):
        return Formula(data["formula"])
    return Formula.from_json(data)
