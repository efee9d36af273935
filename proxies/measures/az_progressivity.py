"""az_progressivity: AZ-NAS progressivity (Lee & Ham, CVPR 2024)."""
from ._aznas import block_features, spectrum_entropy
from ..registry import register


@register("az_progressivity", needs={"own_model", "block_features"})
def az_progressivity(ctx) -> float:
    """min over consecutive blocks of (e_{l+1} - e_l), e_l = block l's expressivity entropy: deeper
    features should be ever more expressive."""
    e = [spectrum_entropy(out) for _, out in block_features(ctx)]
    return min(b - a for a, b in zip(e, e[1:]))
