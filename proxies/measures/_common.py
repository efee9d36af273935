"""Small helpers shared by several proxies."""
from __future__ import annotations

import torch

from ..context import weight_layers  # noqa: F401  (re-exported for the measures)


def total(values) -> float:
    """Sum of per-layer tensors (or numbers), as a Python float."""
    return float(sum(float(v.sum()) if torch.is_tensor(v) else float(v) for v in values))


def safe_log(x: float) -> float:
    """Signed log as NAS-Bench-Suite-Zero applies it: log(x) for x > 0, -log(-x) for x < 0, 0 at 0."""
    import math

    if x > 0:
        return math.log(x)
    if x < 0:
        return -math.log(-x)
    return 0.0
