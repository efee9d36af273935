"""Predictors of architecture accuracy: learning-curve extrapolation and a zero-cost-feature predictor
(few-shot, issue 16), and FT-ScoreNet, a learned zero-shot scorer (:mod:`.ftscorenet`, issue 17).

Light to import: the names below load their modules (numpy, scikit-learn, torch) on first use.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from zc_core.registry import Registry

PREDICTORS: Registry[str] = Registry("predictor")
"""Predictor name -> ``module:Class`` of its estimator (loaded by :func:`get_predictor`), with what it
learns from as metadata."""
PREDICTORS.add("zero_cost", "synth.predictors.zc_predictor:ZeroCostPredictor",
               learns_from="trained architectures: their cells and/or zero-cost proxies")
PREDICTORS.add("curve_extrapolation", "synth.predictors.curves:CurveExtrapolator",
               learns_from="the first epochs of each architecture's learning curve")
PREDICTORS.add("ftscorenet", "synth.predictors.ftscorenet.model:FTScoreNetRanker",
               learns_from="a benchmark's cells and accuracies, to score unseen cells zero-shot")


def get_predictor(name: str) -> type:
    """The estimator class of the predictor ``name`` (an unknown name: one line, did-you-mean)."""
    module, _, cls = PREDICTORS.get(name).partition(":")
    return getattr(import_module(module), cls)


_LAZY = {"MODELS": ".curves", "CurveExtrapolator": ".curves", "fit_curve": ".curves",
         "ZeroCostPredictor": ".zc_predictor", "one_hot_cells": ".zc_predictor"}

__all__ = sorted([*_LAZY, "PREDICTORS", "get_predictor"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
