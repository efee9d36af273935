"""params: number of parameters, in millions (NAS-Bench-Suite-Zero ``params``)."""
from ..registry import register


@register("params", needs={"weights"}, suite=True)
def params(ctx) -> float:
    """sum over all parameters p of numel(p) / 1e6."""
    return sum(p.numel() for p in ctx.model.parameters()) / 1e6
