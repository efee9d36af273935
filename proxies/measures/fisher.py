"""fisher: Fisher information of the layer outputs (Turner et al., 2020; suite ``fisher``)."""
from ._common import total, weight_layers
from ..registry import register


@register("fisher", needs={"data", "labels", "grad", "output_grad"}, suite=True)
def fisher(ctx) -> float:
    """sum over conv/linear layers l and output channels c of
    |0.5 * mean_batch (sum_positions a_c * dL/da_c)^2| * fan_in_l, a = the layer's output (before BN).

    The fan-in factor (C_in * kernel size, or in_features) is the suite's convention: it spreads each
    channel's value over that channel's weights before summing."""
    p = ctx.forward()
    values = []
    for layer, per_channel in zip(weight_layers(ctx.model), p.channel_products):
        if per_channel is None:
            continue
        fan_in = layer.weight[0].numel()
        values.append((0.5 * per_channel.pow(2).mean(0)).abs() * fan_in)
    return total(values)
