"""grasp: gradient signal preservation (Wang et al., 2020; NAS-Bench-Suite-Zero ``grasp``)."""
import torch
import torch.nn.functional as F

from ._common import total, weight_layers
from ..registry import register


@register("grasp", needs={"data", "labels", "grad", "hvp", "own_model"}, suite=True)
def grasp(ctx) -> float:
    """sum over conv/linear layers of sum (-W * H g), g = dL/dW, H = Hessian of the cross-entropy L,
    on the shared batch. g comes from the shared pass; the Hessian-vector product runs on a private
    copy (a double backward through the big shared graph is slower than a fresh small one)."""
    g = ctx.forward().weight_grads
    model = ctx.new_model()
    x, y = ctx.batch(0)
    weights = [layer.weight for layer in weight_layers(model)]
    with_graph = torch.autograd.grad(F.cross_entropy(model(x), y), weights, create_graph=True, allow_unused=True)
    z = sum((gg * gi).sum() for gg, gi in zip(with_graph, g) if gg is not None)
    hg = torch.autograd.grad(z, weights, allow_unused=True)
    return total(-w.detach() * h for w, h in zip(weights, hg) if h is not None)
