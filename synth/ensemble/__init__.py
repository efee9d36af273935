"""Ensemble stage: the metric's k best distinct architectures, trained and combined, with samples
ranked by an uncertainty score chosen on the validation split (:class:`Ensemble`, scikit-learn style), against the best
architecture trained with k seeds. Importing this package loads nothing heavy (torch, scikit-learn): its names load on first use. The combination
rules live in :mod:`synth.ensemble.combine`.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {"score_candidates": ".candidates", "select_members": ".candidates", "confidence_order": ".combine",
         "coverage_curve": ".combine", "mean_proba": ".combine", "Ensemble": ".model", "Member": ".model",
         "aurc": ".uncertainty"}

__all__ = ["Ensemble", "Member", "UNCERTAINTY_SCORES", "aurc", "confidence_order", "coverage_curve", "mean_proba",
           "score_candidates", "select_members"]


def __getattr__(name: str) -> Any:
    if name == "UNCERTAINTY_SCORES":
        return import_module(".uncertainty", __name__).SCORES
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
