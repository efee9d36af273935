"""grasp: gradient signal preservation (Wang et al., 2020; NAS-Bench-Suite-Zero ``grasp``)."""
import torch

from ._common import total, weight_layers
from ..heap import LARGE, mapped_above, trim
from ..registry import register


@register("grasp", needs={"data", "labels", "grad", "hvp"}, suite=True)
def grasp(ctx) -> float:
    """sum over conv/linear layers of sum (-W * H g), g = dL/dW, H = Hessian of the cross-entropy L,
    on the shared batch. g comes from the shared pass; H g is a double backward through the shared
    forward pass, whose graph the pass keeps. The differentiable gradients live only inside this
    function: while they exist, every other backward pass through that graph is markedly slower. When
    no proxy still to run needs the graph, the second backward frees it as it goes (a lower peak).

    The double backward is the largest transient of all proxies. Its first half maps tensors of 2 MB
    and up on their own, the heap's freed pages go back to the OS between the halves, and the second
    half maps tensors of 1 MB and up. Measured for GraSP alone on the heaviest cell of the README's
    ``random:10`` (batch 64; peak and time): 0.89 GB and 5.8 s; 4 MB then 1 MB 0.93 GB and 4.9 s;
    1 MB for both 0.87 GB and 6.0 s; no mapping 1.15 GB and 2.5 s."""
    record = ctx.forward()
    if record.loss_tensor is None:
        raise RuntimeError("the shared pass kept no autograd graph (declare the 'hvp' need)")
    weights = [layer.weight for layer in weight_layers(ctx.model)]
    keep = ctx.needed_later("hvp", "sample_grads")
    with mapped_above(LARGE // 2):
        with_graph = torch.autograd.grad(record.loss_tensor, weights, retain_graph=True, create_graph=True,
                                         allow_unused=True)
        z = sum((gg * g).sum() for gg, g in zip(with_graph, record.weight_grads) if gg is not None)
    trim()
    with mapped_above(LARGE // 4):
        hg = torch.autograd.grad(z, weights, retain_graph=keep, allow_unused=True)
        del with_graph, z
    if not keep:
        record.release(ctx.later_needs)
    return total(-w.detach() * h for w, h in zip(weights, hg) if h is not None)
