"""l2_norm: size of the initial weights (NAS-Bench-Suite-Zero ``l2_norm``)."""
from ._common import total, weight_layers
from ..registry import register


@register("l2_norm", needs={"weights"}, suite=True)
def l2_norm(ctx) -> float:
    """sum over conv/linear layers l of ||W_l||_2 (Frobenius norm of the weight tensor)."""
    return total(layer.weight.detach().norm() for layer in weight_layers(ctx.model))
