"""Predictors of architecture accuracy: learning-curve extrapolation and a zero-cost-feature predictor
(few-shot, issue 16), and FT-ScoreNet, a learned zero-shot scorer (:mod:`.ftscorenet`, issue 17).

Light to import: the names below load their modules (numpy, scikit-learn, torch) on first use.
"""
from __future__ import annotations

from importlib import import_module

_LAZY = {"MODELS": ".curves", "CurveExtrapolator": ".curves", "fit_curve": ".curves",
         "ZeroCostPredictor": ".zc_predictor", "one_hot_cells": ".zc_predictor"}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
