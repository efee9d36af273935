"""What every composite baseline shares: choosing the proxies, reading problems as matrices, the
per-proxy transform (log when it can be taken), and building the exported :class:`Formula`.

Problems may carry different proxy columns. A baseline uses the proxies it is given, or those common
to all problems; a problem that lacks a requested proxy is left out of the fit rather than failing
it, and only when no problem is left does ``fit`` raise :class:`DataError`.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import sympy
from sklearn.base import BaseEstimator

from benchmarks_data import DataError, Problem
from benchmarks_data.problems import did_you_mean

from ..formula import Formula
from ..primitives import PLog

LOG, SCALED, RAW = "log", "scaled", "raw"


def common_proxies(problems: Sequence[Problem]) -> list[str]:
    """The proxies (feature columns) every problem has, sorted by name."""
    return sorted(set.intersection(*(set(p.features.columns) for p in problems)))


def _preset(problems: Sequence[Problem], candidates: Sequence[str]) -> tuple[list[str], list[Problem]]:
    """A preset's proxies where problems have them: every candidate some problem has, fitted on the
    problems holding all of those; while none does, the candidate the fewest problems have is dropped."""
    count = {c: sum(c in p.features.columns for p in problems) for c in dict.fromkeys(candidates)}
    used = [c for c in count if count[c]]
    while used:
        kept = [p for p in problems if set(used) <= set(p.features.columns)]
        if kept:
            return used, kept
        used.remove(min(used, key=lambda c: (count[c], c)))
    raise DataError(f"no problem has any of {', '.join(candidates)}")


def select(problems: Sequence[Problem], proxies: Sequence[str] | None = None,
           candidates: Sequence[str] | None = None) -> tuple[list[str], list[Problem]]:
    """``(proxies used, problems kept)`` for a fit.

    ``proxies`` given: exactly those, and problems that lack one are skipped. ``candidates`` given (a
    preset's proxy list): as many of them as some problems share, see :func:`_preset`. Otherwise the
    proxies common to all problems.
    """
    problems = list(problems) if problems is not None else []
    if not problems:
        raise DataError("no problems to fit")
    if any(not isinstance(p, Problem) for p in problems):
        raise DataError("fit takes a list of benchmarks_data.Problem (see load_problems)")
    if proxies is not None:
        if isinstance(proxies, str) or not all(isinstance(x, str) for x in proxies) or not proxies:
            raise DataError(f"proxies must be a non-empty list of proxy names, got {proxies!r}")
        used = list(dict.fromkeys(proxies))
        kept = [p for p in problems if set(used) <= set(p.features.columns)]
        if not kept:
            known = set().union(*(p.features.columns for p in problems))
            lacking = next(x for x in used if not all(x in p.features.columns for p in problems))
            raise DataError(f"no problem has all of {', '.join(used)}: {lacking!r} is missing"
                            f"{did_you_mean(lacking, known)}")
        return used, kept
    if candidates is not None:
        return _preset(problems, candidates)
    used = common_proxies(problems)
    if not used:
        wanted = f" among {', '.join(candidates)}" if candidates is not None else ""
        raise DataError(f"problems {', '.join(p.name for p in problems)} share no proxy{wanted}")
    return used, problems


def matrix(problem: Problem, proxies: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of a problem's rows whose proxies and accuracy are all finite."""
    x = problem.features[list(proxies)].to_numpy(dtype=float)
    y = np.asarray(problem.target, dtype=float)
    keep = np.isfinite(x).all(axis=1) & np.isfinite(y)
    return x[keep], y[keep]


def subsample(rng: np.random.Generator, n: int, max_rows: int) -> np.ndarray:
    """Sorted row indices: all ``n`` rows, or ``max_rows`` of them drawn without replacement."""
    return np.arange(n) if n <= max_rows else np.sort(rng.choice(n, max_rows, replace=False))


def transforms(xs: Sequence[np.ndarray], proxies: Sequence[str], other: str) -> dict[str, str]:
    """Per proxy: ``log`` when strictly positive on every training row, else ``other``."""
    pooled = np.vstack(xs)
    return {name: LOG if (pooled[:, j] > 0).all() else other for j, name in enumerate(proxies)}


def apply(x: np.ndarray, proxies: Sequence[str], kinds: dict[str, str]) -> np.ndarray:
    """Columns of ``x`` with the log taken where ``kinds`` says so (other transforms are linear)."""
    out = np.array(x, dtype=float)
    for j, name in enumerate(proxies):
        if kinds[name] == LOG:
            out[:, j] = np.log(out[:, j])
    return out


def significant(value: float, digits: int = 4) -> float:
    """``value`` rounded to ``digits`` significant digits."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def linear_formula(weights: dict[str, float], kinds: dict[str, str], digits: int = 4) -> Formula:
    """``sum w * log(p)`` or ``w * p`` over the proxies; weights rounded, zero terms dropped.

    Coefficients are plain Python floats, so :meth:`Formula.to_dict` and ``from_json`` (and the text
    form) read back the same expression.
    """
    terms: list[Any] = []
    for name in sorted(weights):
        w = significant(float(weights[name]), digits)
        if w != 0:
            symbol = sympy.Symbol(name)
            terms.append(sympy.Float(w) * (PLog(symbol) if kinds[name] == LOG else symbol))
    if not terms:
        raise DataError("every fitted weight is zero: the proxies carry no ranking signal here")
    return Formula(sympy.Add(*terms))


def check_fitted(estimator: Any) -> None:
    """Raise the one not-fitted error unless the baseline has its ``metric_``."""
    from zc_core.errors import check_fitted as check

    check(estimator, "metric_", "call fit(problems) first")


class Baseline(BaseEstimator):
    """Shared estimator behaviour: ``predict`` and ``score`` through the fitted ``metric_``."""

    def predict(self, data: Any) -> np.ndarray:
        """Scores of the fitted metric on ``data`` (DataFrame or mapping name -> column)."""
        check_fitted(self)
        return self.metric_.evaluate(data)

    def score(self, problems: Sequence[Problem]) -> dict[str, float]:
        """Kendall tau of the fitted metric on every row of each problem."""
        from ..kendall import kendall

        check_fitted(self)
        return {p.name: kendall(self.metric_.evaluate(p.features), p.target) for p in problems}



def usable_blocks(problems: Sequence[Problem], used: Sequence[str]) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[str]]:
    """``(x, y)`` of every problem with at least 5 finite rows and a non-constant accuracy, and their names."""
    blocks, names = [], []
    for problem in problems:
        x, y = matrix(problem, used)
        if len(y) >= 5 and np.ptp(y) > 0:
            blocks.append((x, y))
            names.append(problem.name)
    if not blocks:
        raise DataError("no problem has 5 rows with finite proxies and a non-constant accuracy to fit on")
    return blocks, names
