"""nwot: NASWOT activation-pattern kernel (Mellor et al., 2021; NAS-Bench-Suite-Zero ``nwot``)."""
import numpy as np
import torch

from ..registry import register


def hamming_kernel(codes: list[torch.Tensor]) -> torch.Tensor:
    """K = sum over ReLU layers of C C^T + (1 - C)(1 - C)^T, C = binary codes (batch, units).

    Computed as 2 C C^T - r 1^T - 1 r^T + units (r = row sums of C), one float32 product per
    layer: exact, since every entry is an integer count below 2^24."""
    if not codes:
        raise ValueError("the network has no ReLU modules")
    n = codes[0].shape[0]
    gram = torch.zeros(n, n, dtype=torch.float64, device=codes[0].device)
    ones = torch.zeros(n, dtype=torch.float64, device=codes[0].device)
    units = 0
    for c in codes:
        if c.shape[1] >= 2 ** 24:
            raise ValueError("a ReLU layer with 2^24 or more units per sample is too large for nwot")
        f = c.float()
        gram += (f @ f.T).double()
        ones += f.sum(1).double()
        units += c.shape[1]
    return 2 * gram - ones[:, None] - ones[None, :] + units


@register("nwot", needs={"data", "forward"}, suite=True)
def nwot(ctx) -> float:
    """log |det K| of the :func:`hamming_kernel` of all ReLU inputs on one batch."""
    _, logdet = np.linalg.slogdet(hamming_kernel(ctx.forward().relu_codes).cpu().numpy())
    return float(logdet)
