"""ntk_cond: condition number of the neural tangent kernel (TE-NAS, Chen et al., ICLR 2021)."""
import torch

from ._ntk import gram
from ..registry import register


@register("ntk_cond", needs={"data", "sample_grads"})
def ntk_cond(ctx) -> float:
    """lambda_max / lambda_min of Theta = G G^T, G_i = d sum_c f_c(x_i) / d (every parameter named
    'weight': conv, linear and BN scales), train mode, ``_ntk.SAMPLES`` rows. Lower is better."""
    theta = gram(ctx, [p for name, p in ctx.model.named_parameters() if "weight" in name])
    eig = torch.linalg.eigvalsh(theta)
    return float(eig[-1] / eig[0])
