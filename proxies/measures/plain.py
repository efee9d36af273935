"""plain: first-order Taylor saliency (Mozer & Smolensky; NAS-Bench-Suite-Zero ``plain``)."""
from ._common import total, weight_layers
from ..registry import register


@register("plain", needs={"data", "labels", "grad"}, suite=True)
def plain(ctx) -> float:
    """sum over conv/linear layers of sum (dL/dW * W), signed."""
    p = ctx.forward()
    return total(g * layer.weight.detach() for g, layer in zip(p.weight_grads, weight_layers(ctx.model)))
