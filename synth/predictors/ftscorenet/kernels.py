"""Convolution weights of any shape from one learnable frequency bank (FT-ScoreNet's representation).

The bank holds ``64 x 64`` learnable ``k^dim`` maps, one per (out, in) channel pair of a notional
64-channel layer, and 64 bias values. A weight of shape ``(c_out, c_in, *kernel)`` is the magnitude
of two orthonormal DFTs of the bank: one over the spatial axes, trimmed or zero-padded to ``kernel``,
then one over the flattened channel-pair axis, trimmed or zero-padded to ``c_out * c_in`` entries.
Zero-padding a length-n signal to L > n entries divides the mean squared magnitude of its orthonormal
DFT by L / n, so padded transforms are rescaled by sqrt(L / n): every weight then has mean square
2 / fan_in (He scaling for ReLU) whatever its shape, and layers of the same shape share one weight.
"""
from __future__ import annotations

import math

import torch
from torch import nn

BANK_CHANNELS = 64
"""The notional layer the bank describes: BANK_CHANNELS x BANK_CHANNELS channel pairs."""


def energy_scale(length: int, stored: int) -> float:
    """sqrt(length / stored) when a transform zero-pads ``stored`` entries to ``length``, else 1."""
    return math.sqrt(length / stored) if length > stored else 1.0


class FrequencyBank(nn.Module):
    """The shared learnable maps: ``freq`` of shape (64 * 64, k, ..., k) and ``bias`` of shape (64,)."""

    def __init__(self, dim: int, kernel: int = 7, *, generator: torch.Generator | None = None) -> None:
        super().__init__()
        if dim not in (1, 2, 3):
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        if kernel < 1:
            raise ValueError(f"kernel must be >= 1; got {kernel}")
        self.dim, self.kernel = dim, kernel
        shape = (BANK_CHANNELS * BANK_CHANNELS, *(kernel,) * dim)
        self.freq = nn.Parameter(torch.randn(shape, generator=generator))
        self.bias = nn.Parameter(torch.randn(BANK_CHANNELS, generator=generator) / 1000)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, kernel={self.kernel}"

    def weight(self, c_out: int, c_in: int, kernel: tuple[int, ...]) -> torch.Tensor:
        """A (c_out, c_in, *kernel) convolution weight, non-negative, mean square 2 / (c_in * prod(kernel))."""
        if len(kernel) != self.dim:
            raise ValueError(f"a {self.dim}D bank builds {self.dim}D kernels; got kernel {kernel}")
        axes = tuple(range(1, self.dim + 1))
        spatial = torch.fft.fftn(self.freq, s=kernel, dim=axes, norm="ortho")
        scale = math.prod(energy_scale(size, self.kernel) for size in kernel)
        pairs = c_out * c_in
        mixed = torch.fft.fft(spatial, n=pairs, dim=0, norm="ortho").abs()
        scale *= energy_scale(pairs, self.freq.shape[0])
        fan_in = c_in * math.prod(kernel)
        return mixed.reshape(c_out, c_in, *kernel) * (scale * math.sqrt(2.0 / fan_in))

    def bias_vector(self, c_out: int) -> torch.Tensor:
        """A (c_out,) bias: the magnitude of the bias bank's DFT, trimmed or padded to c_out entries."""
        return torch.fft.fft(self.bias, n=c_out, norm="ortho").abs() * energy_scale(c_out, BANK_CHANNELS)
