"""One call for every kind of metric on a set of rows: formulas and composites read the rows' proxy
columns; an architecture scorer (FT-ScoreNet, ``reads_architectures``) reads their architecture keys."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd


def metric_values(metric: Any, features: pd.DataFrame, archs: Sequence) -> np.ndarray:
    """The metric's value on each row (``features`` and ``archs`` aligned)."""
    if getattr(metric, "reads_architectures", False):
        return np.asarray(metric.score_archs(list(archs)), dtype=float)
    return np.asarray(metric.evaluate(features), dtype=float)
