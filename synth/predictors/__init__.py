"""Few-shot predictors of architecture accuracy (issue 16): learning-curve extrapolation today."""
from __future__ import annotations

from .curves import MODELS, CurveExtrapolator, fit_curve

__all__ = ["MODELS", "CurveExtrapolator", "fit_curve"]
