"""length_distortion: how much the network stretches a curve through input space."""
import math

import torch

from ..registry import register

POINTS = 64


@register("length_distortion", needs={"data"})
def length_distortion(ctx) -> float:
    """log( length of f(curve) / length of curve ), curve = the circle x(t) = m + cos(t) a + sin(t) b
    through the batch mean m with a, b = the first two samples minus m, at 64 points t in [0, 2 pi),
    f = the network's output (Hanin, Jeong & Rolnick, 2022, as TEACUP uses it). Train mode."""
    x, _ = ctx.batch(0)
    centre = x.mean(0)
    a, b = x[0] - centre, x[1] - centre
    t = torch.arange(POINTS, device=x.device, dtype=x.dtype) * (2 * math.pi / POINTS)
    shape = (-1,) + (1,) * a.ndim
    curve = centre + torch.cos(t).view(shape) * a + torch.sin(t).view(shape) * b
    with torch.no_grad():
        out = ctx.model(curve).flatten(1).double()
    def length(points: torch.Tensor) -> float:
        return float((points - points.roll(1, 0)).flatten(1).norm(dim=1).sum())
    return math.log(length(out) / length(curve.double()))
