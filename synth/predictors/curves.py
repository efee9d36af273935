"""Learning-curve extrapolation: predict an architecture's final validation accuracy from the first
epochs of its curve, as the average of parametric curve models (the LCE family of Domhan et al.,
2015, plus a logarithm with shift and scale), each fitted by least squares with scipy.

Curves are fitted on accuracies as fractions (a curve in percent is divided by 100 and the prediction
multiplied back), against epochs x = 1, 2, .... Each model is first fitted to the mean of all curves
from a generic start; that fit is the start of every single curve's fit, so short, noisy curves start
from a plausible shape. A curve's prediction is the mean of the models whose fit succeeded and whose
prediction is finite and within [0, 1.5] (fractions); with none, the last observed value.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from zc_core.errors import check_fitted
from zc_core.registry import Registry


@dataclass(frozen=True)
class CurveModel:
    """One parametric curve y = fn(x, *params), its generic start and its parameter bounds."""

    name: str
    fn: Callable[..., np.ndarray]
    start: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]

    def __call__(self, x: np.ndarray, *params: float) -> np.ndarray:
        return self.fn(np.asarray(x, dtype=float), *params)


def _pow3(x, c, a, alpha):
    return c - a * x ** (-alpha)


def _log_log_linear(x, a, b):
    return np.log(a * np.log(x) + b)


def _vapor_pressure(x, a, b, c):
    return np.exp(a + b / x + c * np.log(x))


def _mmf(x, alpha, beta, kappa, delta):
    return alpha - (alpha - beta) / (1.0 + (kappa * x) ** delta)


def _exp3(x, c, a, b):
    return c - np.exp(-a * x + b)


def _janoschek(x, alpha, beta, kappa, delta):
    return alpha - (alpha - beta) * np.exp(-kappa * x ** delta)


def _weibull(x, alpha, beta, kappa, delta):
    return alpha - (alpha - beta) * np.exp(-((kappa * x) ** delta))


def _ilog2(x, c, a):
    return c - a / np.log(x + 1.0)


def _log_shift_scale(x, a, b, c):
    return a + b * np.log(x + c)


MODELS: Registry[CurveModel] = Registry("curve model")
"""Every curve model by name (an extrapolation averages those it is given, by default all)."""
for _model in (
    CurveModel("pow3", _pow3, (0.9, 0.5, 0.5), (0.0, -5.0, 1e-3), (1.5, 5.0, 10.0)),
    CurveModel("log_log_linear", _log_log_linear, (0.3, 1.6), (0.0, 1e-3), (10.0, 20.0)),
    CurveModel("vapor_pressure", _vapor_pressure, (-0.2, -0.5, 0.0), (-20.0, -20.0, -5.0), (20.0, 20.0, 5.0)),
    CurveModel("mmf", _mmf, (0.9, 0.1, 0.5, 1.0), (0.0, -1.0, 1e-4, 1e-2), (1.5, 1.5, 50.0, 10.0)),
    CurveModel("exp3", _exp3, (0.9, 0.5, 0.0), (0.0, 1e-4, -20.0), (1.5, 20.0, 20.0)),
    CurveModel("janoschek", _janoschek, (0.9, 0.1, 0.5, 1.0), (0.0, -1.0, 1e-4, 1e-2), (1.5, 1.5, 50.0, 10.0)),
    CurveModel("weibull", _weibull, (0.9, 0.1, 0.5, 1.0), (0.0, -1.0, 1e-4, 1e-2), (1.5, 1.5, 50.0, 10.0)),
    CurveModel("ilog2", _ilog2, (0.9, 0.3), (0.0, -5.0), (1.5, 5.0)),
    CurveModel("log_shift_scale", _log_shift_scale, (0.3, 0.2, 1.0), (-5.0, -5.0, 1e-3), (5.0, 5.0, 100.0)),
):
    MODELS.add(_model.name, _model)


def fit_curve(model: CurveModel, x: np.ndarray, y: np.ndarray,
              start: Sequence[float] | None = None) -> np.ndarray | None:
    """Least-squares parameters of ``model`` on the points (x, y) (bounded trust-region fit from
    ``start``, default the model's generic start); None when the fit fails or is not finite."""
    from scipy.optimize import curve_fit

    p0 = np.clip(np.asarray(model.start if start is None else start, dtype=float), model.lower, model.upper)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            params, _ = curve_fit(model.fn, np.asarray(x, float), np.asarray(y, float), p0=p0,
                                  bounds=(model.lower, model.upper), method="trf", maxfev=5000)
    except (RuntimeError, ValueError, FloatingPointError):
        return None
    with np.errstate(all="ignore"):
        fitted = model(np.asarray(x, float), *params)
    return params if np.all(np.isfinite(params)) and np.all(np.isfinite(fitted)) else None


class CurveExtrapolator(BaseEstimator):
    """Predict the accuracy at epoch ``final_epoch`` from partial curves (scikit-learn style).

    ``fit(curves)`` fits every model in ``models`` to the mean curve (the start of each curve's own
    fit); ``predict(curves)`` returns one prediction per curve. ``curves`` is (architectures, epochs
    observed), accuracies in percent or as fractions.
    """

    def __init__(self, final_epoch: int, models: Sequence[str] | None = None) -> None:
        self.final_epoch = final_epoch
        self.models = models

    def _check(self, curves: np.ndarray) -> np.ndarray:
        curves = np.asarray(curves, dtype=float)
        if curves.ndim != 2 or curves.shape[1] < 2 or not len(curves):
            raise ValueError(f"curves must be (architectures, epochs >= 2), got shape {curves.shape}")
        if not np.isfinite(curves).all():
            raise ValueError("curves hold NaN or infinite accuracies")
        if self.final_epoch < curves.shape[1]:
            raise ValueError(f"final_epoch {self.final_epoch} is before the last observed epoch {curves.shape[1]}")
        return curves

    def fit(self, curves: np.ndarray) -> "CurveExtrapolator":
        curves = self._check(curves)
        names = list(self.models or MODELS)
        unknown = [n for n in names if n not in MODELS]
        if unknown:
            raise ValueError(f"unknown curve model(s) {', '.join(unknown)}: use {', '.join(MODELS)}")
        self.scale_ = 100.0 if curves.max() > 1.5 else 1.0
        x = np.arange(1, curves.shape[1] + 1, dtype=float)
        mean = curves.mean(axis=0) / self.scale_
        self.starts_ = {n: fit_curve(MODELS[n], x, mean) for n in names}
        return self

    def predict(self, curves: np.ndarray) -> np.ndarray:
        check_fitted(self, "starts_", "call fit(curves) first")
        curves = self._check(curves) / self.scale_
        x = np.arange(1, curves.shape[1] + 1, dtype=float)
        out = np.empty(len(curves))
        for i, y in enumerate(curves):
            predictions = []
            for name, start in self.starts_.items():
                params = fit_curve(MODELS[name], x, y, start)
                if params is None:
                    continue
                with np.errstate(all="ignore"):
                    value = float(MODELS[name](np.array([self.final_epoch], float), *params)[0])
                if np.isfinite(value) and 0.0 <= value <= 1.5:
                    predictions.append(value)
            out[i] = np.mean(predictions) if predictions else y[-1]
        return out * self.scale_
