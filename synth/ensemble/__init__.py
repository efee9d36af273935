"""Ensemble stage: the metric's k best distinct architectures, trained and combined, with samples
ranked by the members' disagreement (:class:`Ensemble`, scikit-learn style), against the best
architecture trained with k seeds. Importing this package is light; names load on first use.
"""
from __future__ import annotations

from importlib import import_module

_LAZY = {
    "Ensemble": ".model", "Member": ".model", "combine": ".combine", "mean_proba": ".combine",
    "uncertainty": ".combine", "disagreement": ".combine", "coverage_curve": ".combine",
    "confidence_order": ".combine", "select_members": ".candidates", "score_candidates": ".candidates",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'synth.ensemble' has no attribute {name!r}")
