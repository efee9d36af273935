"""snip: connection sensitivity (Lee et al., 2019; NAS-Bench-Suite-Zero ``snip``)."""
from ._common import total, weight_layers
from ..registry import register


@register("snip", needs={"data", "labels", "grad"}, suite=True)
def snip(ctx) -> float:
    """sum over conv/linear layers of sum |dL/dW * W|, L = cross-entropy on one batch."""
    p = ctx.forward()
    return total((g * layer.weight.detach()).abs() for g, layer in zip(p.weight_grads, weight_layers(ctx.model)))
