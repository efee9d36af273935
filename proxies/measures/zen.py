"""zen: Zen-score (Lin et al., ICCV 2021; NAS-Bench-Suite-Zero ``zen``)."""
import math

import torch

from ._blocks import gaussian_init, pre_pool_module
from ..context import BN_LAYERS
from ..registry import register

MIXUP = 1e-2


@register("zen", needs={"own_model"}, suite=True)
def zen(ctx) -> float:
    """log E_batch sum |f(x) - f(x + 0.01 e)| + sum over BN layers of log sqrt(mean running_var).

    f = the pre-global-pooling feature map, weights re-drawn N(0, 1) (BN gamma 1, beta 0), x and e
    standard normal with the batch's shape, train mode (BN running variances updated by both passes).
    """
    model = gaussian_init(ctx.new_model())
    pool = pre_pool_module(model)
    if pool is None:
        raise ValueError("zen needs a network with a global average pooling layer")
    shape = (ctx.batch_size, *ctx.input_shape)
    x = ctx.randn(*shape, offset=1)
    e = ctx.randn(*shape, offset=2)
    features: list[torch.Tensor] = []
    hook = pool.register_forward_hook(lambda m, inputs, output: features.append(inputs[0]))
    try:
        with torch.no_grad():
            model(x)
            model(x + MIXUP * e)
    finally:
        hook.remove()
    delta = (features[0] - features[1]).abs().flatten(1).sum(1).mean()
    bn = sum(math.log(math.sqrt(float(m.running_var.mean()))) for m in model.modules() if isinstance(m, BN_LAYERS)
             and m.running_var is not None)
    return math.log(float(delta)) + bn
