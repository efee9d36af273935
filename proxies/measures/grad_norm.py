"""grad_norm: gradient size at initialization (Abdelfattah et al., 2021; suite ``grad_norm``)."""
from ._common import total
from ..registry import register


@register("grad_norm", needs={"data", "labels", "grad"}, suite=True)
def grad_norm(ctx) -> float:
    """sum over conv/linear layers of ||dL/dW||_2, L = cross-entropy on one batch."""
    return total(g.norm() for g in ctx.forward().weight_grads)
