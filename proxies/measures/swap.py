"""swap: sample-wise activation patterns (Peng et al., ICLR 2024)."""
import numpy as np
import torch

from ..registry import register


def unique_columns(codes: torch.Tensor) -> int:
    """Number of distinct columns of a boolean (samples, units) matrix: the units' activation
    patterns across the samples (bit-packed, 64 samples per word)."""
    bits = np.packbits(codes.cpu().numpy(), axis=0)            # (ceil(n / 8), units) bytes
    pad = (-bits.shape[0]) % 8
    bits = np.concatenate([bits, np.zeros((pad, bits.shape[1]), np.uint8)]) if pad else bits
    words = np.ascontiguousarray(bits.T).view(np.uint64)      # (units, words)
    if len(words) == 0:
        return 0
    order = np.lexsort(words.T[::-1])                         # sorting beats hashing here
    ordered = words[order]
    return int(np.any(ordered[1:] != ordered[:-1], axis=1).sum()) + 1


@register("swap", needs={"data", "forward"})
def swap(ctx) -> float:
    """Number of distinct sign patterns, across the batch, of all ReLU units of the network (one batch)."""
    return float(unique_columns(torch.cat(ctx.forward().relu_codes, 1)))
