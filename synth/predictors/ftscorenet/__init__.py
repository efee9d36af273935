"""FT-ScoreNet (Le, Nguyen and Luong, "Efficacy of neural prediction-based NAS for the zero-shot NAS
paradigm"): a learned zero-shot scorer of NB201 cells, trained once on a benchmark with ground truth.

Light to import (the command line reads it for ``--help``): torch loads with the first name used.
"""
from __future__ import annotations

from importlib import import_module

_LAZY = {"FrequencyBank": ".kernels", "energy_scale": ".kernels", "FTScoreNetRanker": ".model",
         "parse_cells": ".model", "soft_rank": ".ranking", "spearman_loss": ".ranking", "FTScoreNet": ".scorer",
         "ScorerConfig": ".scorer"}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
