"""meco: minimum eigenvalue of feature-map correlation (Jiang et al., NeurIPS 2023)."""
import torch

from ..registry import register


def min_correlation_eigenvalue(feature_map: torch.Tensor) -> float:
    """Smallest eigenvalue of the Pearson correlation matrix between the channels of one sample's
    feature map (channels, *spatial); NaN entries (constant channels) count as 0."""
    rows = feature_map.flatten(1).double()
    corr = torch.nan_to_num(torch.corrcoef(rows), nan=0.0, posinf=0.0, neginf=0.0)
    return float(torch.linalg.eigvalsh(corr)[0])


@register("meco", needs={"data", "forward"})
def meco(ctx) -> float:
    """sum over every module's output feature map (first sample of the batch) of
    :func:`min_correlation_eigenvalue`; maps with one position per channel (correlation undefined,
    0 in the reference) are skipped."""
    return sum(min_correlation_eigenvalue(m) for m in ctx.forward().sample_maps if m[0].numel() > 1)
