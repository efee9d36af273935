"""Ensemble stage: the metric's k best distinct architectures, trained and combined, with samples
ranked by the members' disagreement (:class:`Ensemble`, scikit-learn style), against the best
architecture trained with k seeds. Importing this package does not load torch. The combination
rules live in :mod:`synth.ensemble.combine`.
"""
from __future__ import annotations

from .candidates import score_candidates, select_members
from .combine import confidence_order, coverage_curve, disagreement, mean_proba, uncertainty
from .model import Ensemble, Member

__all__ = ["Ensemble", "Member", "confidence_order", "coverage_curve", "disagreement", "mean_proba",
           "score_candidates", "select_members", "uncertainty"]
