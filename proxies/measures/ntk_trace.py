"""ntk_trace: NTK trace norm (HNAS, Shu et al., ICLR 2022)."""
import math

import torch

from ._ntk import gram
from ..context import WEIGHT_LAYERS
from ..registry import register


@register("ntk_trace", needs={"data", "sample_grads"})
def ntk_trace(ctx) -> float:
    """sqrt(trace(Theta) / n) = sqrt(mean_i ||d sum_c f_c(x_i) / d theta||^2), theta = conv/linear
    weights and biases, train mode, ``_ntk.SAMPLES`` rows.

    HNAS differentiates the true-class logit f_{y_i}; here the output is the summed logits of
    ``ntk_cond``, so both NTK proxies share one set of per-sample backward passes."""
    params = [p for m in ctx.model.modules() if isinstance(m, WEIGHT_LAYERS) for p in m.parameters(recurse=False)]
    theta = gram(ctx, params)
    return math.sqrt(float(torch.trace(theta)) / theta.shape[0])
