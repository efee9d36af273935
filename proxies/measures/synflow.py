"""synflow: synaptic flow (Tanaka et al., 2020; NAS-Bench-Suite-Zero ``synflow``, log-scaled)."""
import torch

from ._common import safe_log, total, weight_layers
from ..context import strip_batchnorm
from ..registry import register


@register("synflow", needs={"own_model"}, suite=True)
def synflow(ctx) -> float:
    """log sum over conv/linear layers of sum |W * dR/dW|, R = sum f_|W|(1): the network with all
    parameters replaced by their absolute values, in float64, BN layers skipped (identity), on an
    all-ones input. The suite stores the (signed) log of the sum."""
    model = strip_batchnorm(ctx.new_model(torch.float64))
    with torch.no_grad():
        for tensor in model.state_dict().values():
            if tensor.is_floating_point():
                tensor.abs_()
    model.zero_grad(set_to_none=True)
    model(torch.ones(1, *ctx.input_shape, dtype=torch.float64, device=ctx.device)).sum().backward()
    return safe_log(total((layer.weight * layer.weight.grad).abs().detach() for layer in weight_layers(model)))
