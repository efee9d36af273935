"""az_trainability: AZ-NAS trainability (Lee & Ham, CVPR 2024)."""
import torch

from ._aznas import block_features, block_trainability
from ..registry import register


@register("az_trainability", needs={"own_model", "block_features"})
def az_trainability(ctx) -> float:
    """mean over blocks after the stem of -sigma_l - 1/sigma_l + 2, sigma_l = spectral norm of block
    l's Jacobian estimated with a Rademacher probe (0 is best: gradients neither explode nor vanish;
    an identity block scores -inf as in the reference)."""
    pairs = block_features(ctx)[1:]
    gen = torch.Generator().manual_seed(ctx.seed)
    return sum(block_trainability(i, o, gen) for i, o in reversed(pairs)) / len(pairs)
