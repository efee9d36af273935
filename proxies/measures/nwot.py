"""nwot: NASWOT activation-pattern kernel (Mellor et al., 2021; NAS-Bench-Suite-Zero ``nwot``)."""
import numpy as np
import torch

from ..registry import register


def hamming_kernel(codes: list[torch.Tensor]) -> torch.Tensor:
    """K = sum over ReLU layers of C C^T + (1 - C)(1 - C)^T, C = binary codes (batch, units)."""
    k = None
    for c in codes:
        c = c.double()
        term = c @ c.T + (1 - c) @ (1 - c).T
        k = term if k is None else k + term
    if k is None:
        raise ValueError("the network has no ReLU modules")
    return k


@register("nwot", needs={"data", "forward"}, suite=True)
def nwot(ctx) -> float:
    """log |det K| of the :func:`hamming_kernel` of all ReLU inputs on one batch."""
    _, logdet = np.linalg.slogdet(hamming_kernel(ctx.forward().relu_codes).cpu().numpy())
    return float(logdet)
