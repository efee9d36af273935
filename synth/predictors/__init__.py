"""Few-shot predictors of architecture accuracy (issue 16): learning-curve extrapolation and a
zero-cost-feature predictor."""
from __future__ import annotations

from .curves import MODELS, CurveExtrapolator, fit_curve
from .zc_predictor import ZeroCostPredictor, one_hot_cells

__all__ = ["MODELS", "CurveExtrapolator", "ZeroCostPredictor", "fit_curve", "one_hot_cells"]
