"""grasp: gradient signal preservation (Wang et al., 2020; NAS-Bench-Suite-Zero ``grasp``)."""
import torch

from ._common import total, weight_layers
from ..heap import LARGE, mapped_above
from ..registry import register


@register("grasp", needs={"data", "labels", "grad", "hvp"}, suite=True)
def grasp(ctx) -> float:
    """sum over conv/linear layers of sum (-W * H g), g = dL/dW, H = Hessian of the cross-entropy L,
    on the shared batch. g comes from the shared pass; H g is a double backward through the shared
    forward pass, whose graph the pass keeps. The differentiable gradients live only inside this
    function: while they exist, every other backward pass through that graph is markedly slower. When
    no proxy still to run needs the graph, the second backward frees it as it goes (a lower peak).

    The double backward is the largest transient of all proxies; with tensors of 4 MB and more mapped
    on their own it cannot fragment the heap (measured on the five-convolution cells of the README's
    ``random:200``: 1.43 against 1.67 GB peak, for about 1.7 s more per network)."""
    record = ctx.forward()
    if record.loss_tensor is None:
        raise RuntimeError("the shared pass kept no autograd graph (declare the 'hvp' need)")
    weights = [layer.weight for layer in weight_layers(ctx.model)]
    keep = ctx.needed_later("hvp", "sample_grads")
    with mapped_above(LARGE):
        with_graph = torch.autograd.grad(record.loss_tensor, weights, retain_graph=True, create_graph=True,
                                         allow_unused=True)
        z = sum((gg * g).sum() for gg, g in zip(with_graph, record.weight_grads) if gg is not None)
        hg = torch.autograd.grad(z, weights, retain_graph=keep, allow_unused=True)
        del with_graph, z
    if not keep:
        record.release(ctx.later_needs)
    return total(-w.detach() * h for w, h in zip(weights, hg) if h is not None)
