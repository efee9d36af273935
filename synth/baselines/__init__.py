"""Composite zero-cost metrics to compare a synthesized formula with, as scikit-learn-style estimators.

Each baseline's ``fit(problems)`` sets ``metric_``, usable wherever the project uses a formula: a
:class:`~synth.formula.Formula` for the learned linear composites, a :class:`RankAverage` for the
rank average. :data:`BASELINES` names them (``make_baseline("teacup", seed=1)``) and
:func:`synth.metric.metric_from_dict` rebuilds any of their metrics from ``metric_.to_dict()``.
"""
from __future__ import annotations

from typing import Any, Callable

from zc_core.errors import DataError
from zc_core.registry import Registry

from ..metric import metric_from_dict
from .rank_average import RankAverage, RankAverageBaseline
from .ridge import TEACUP_PROXIES, RidgeComposite
from .weighted_sum import WeightedSum


BASELINES: Registry[Callable[..., Any]] = Registry("baseline", error=DataError)
"""Baseline name -> factory ``(*, seed) -> unfitted estimator``."""


@BASELINES.register("rank_average")
def _rank_average(*, seed: int = 0) -> RankAverageBaseline:
    """Mean percentile rank of the proxies common to the problems (nothing random: seed unused)."""
    return RankAverageBaseline()


@BASELINES.register("teacup")
def _teacup(*, seed: int = 0) -> RidgeComposite:
    """TEACUP's metric on its four proxies (those of them every problem has)."""
    return RidgeComposite(candidates=TEACUP_PROXIES, seed=seed)


@BASELINES.register("teacup_all")
def _teacup_all(*, seed: int = 0) -> RidgeComposite:
    """TEACUP's fitting procedure on every proxy common to the problems."""
    return RidgeComposite(seed=seed)


@BASELINES.register("upnas")
def _upnas(*, seed: int = 0) -> WeightedSum:
    """UP-NAS-style weighted sum of the common proxies, weights searched for mean Kendall tau."""
    return WeightedSum(seed=seed)


def make_baseline(name: str, *, seed: int = 0) -> Any:
    """A new, unfitted baseline estimator by registry name."""
    return BASELINES.get(name)(seed=seed)


__all__ = ["BASELINES", "TEACUP_PROXIES", "RankAverage", "RankAverageBaseline", "RidgeComposite",
           "WeightedSum", "make_baseline", "metric_from_dict"]
