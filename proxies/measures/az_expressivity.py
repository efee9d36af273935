"""az_expressivity: AZ-NAS expressivity (Lee & Ham, CVPR 2024)."""
from ._aznas import block_features, spectrum_entropy
from ..registry import register


@register("az_expressivity", needs={"own_model", "block_features"})
def az_expressivity(ctx) -> float:
    """sum over feature blocks l of H(p_l), p_l = normalized eigenvalues of the channel covariance of
    block l's output (stem and every cell), Kaiming init, Gaussian input: isotropic features score high."""
    return sum(spectrum_entropy(out) for _, out in block_features(ctx))
