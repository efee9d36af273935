"""Ensemble stage: the metric's k best distinct architectures, trained and combined, with samples
ranked by an uncertainty score chosen on the validation split (:class:`Ensemble`, scikit-learn style), against the best
architecture trained with k seeds. Importing this package does not load torch. The combination
rules live in :mod:`synth.ensemble.combine`.
"""
from __future__ import annotations

from .candidates import score_candidates, select_members
from .combine import confidence_order, coverage_curve, mean_proba
from .model import Ensemble, Member
from .uncertainty import SCORES as UNCERTAINTY_SCORES
from .uncertainty import aurc

__all__ = ["Ensemble", "Member", "UNCERTAINTY_SCORES", "aurc", "confidence_order", "coverage_curve", "mean_proba",
           "score_candidates", "select_members"]
