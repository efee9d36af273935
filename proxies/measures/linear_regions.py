"""linear_regions: linear regions of the network crossed by a line in input space (TE-NAS's count)."""
import torch
from torch import nn

from ..registry import register

POINTS = 1000
SIDE = 4
"""Inputs of spatial size 4 per axis, as TE-NAS counts on tiny crops so that not every sample lands
in its own region; 4 keeps NB201's two stride-2 reductions consistent in 1D, 2D and 3D."""


@register("linear_regions", needs={"own_model"})
def linear_regions(ctx) -> float:
    """Number of distinct ReLU activation patterns (= linear regions, TE-NAS's
    sum_i 1 / #{j: pattern_j = pattern_i}) met by 1,000 evenly spaced points on the segment between
    two standard-normal inputs of spatial size 4 per axis; BN in eval mode so the points are
    independent (Hanin & Rolnick's regions-along-a-line measure)."""
    model = ctx.new_model().eval()
    channels, dims = ctx.input_shape[0], len(ctx.input_shape) - 1
    ends = ctx.randn(2, channels, *([SIDE] * dims), offset=3)
    t = torch.linspace(0, 1, POINTS, device=ends.device).view(-1, *([1] * (dims + 1)))
    x = ends[0] + (ends[1] - ends[0]) * t
    codes = []
    hooks = [m.register_forward_hook(lambda m, i, o: codes.append((o > 0).flatten(1)))
             for m in model.modules() if isinstance(m, nn.ReLU)]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    if not codes:
        raise ValueError("the network has no ReLU modules")
    return float(torch.unique(torch.cat(codes, 1), dim=0).shape[0])
