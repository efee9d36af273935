"""One call for every kind of metric on a set of rows: formulas and composites read the rows' proxy
columns; an architecture scorer (FT-ScoreNet, ``reads_architectures``) reads their architecture keys."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd


def reads_architectures(metric: Any) -> bool:
    """Whether the metric scores architectures from their keys (FT-ScoreNet) instead of proxy columns."""
    return bool(getattr(metric, "reads_architectures", False))


def metric_values(metric: Any, features: pd.DataFrame, archs: Sequence) -> np.ndarray:
    """The metric's value on each row (``features`` and ``archs`` aligned)."""
    if reads_architectures(metric):
        return np.asarray(metric.score_archs(list(archs)), dtype=float)
    return np.asarray(metric.evaluate(features), dtype=float)
