"""Layers shared by the search spaces' networks."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

_CONV_FN = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class AvgPool(nn.Module):
    """Average pooling over ``kernel_size``^dim windows, zero padding left out of the mean.

    Computed as a depthwise convolution with a constant kernel: the same numbers as
    ``nn.AvgPoolNd(..., count_include_pad=False)`` up to rounding, several times faster than
    PyTorch's CPU pooling kernels, and valid for inputs smaller than the window (tiny 3D volumes).
    No parameters or buffers.
    """

    def __init__(self, dim: int, kernel_size: int, stride: int = 1, padding: int = 0) -> None:
        super().__init__()
        if dim not in _CONV_FN:
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        self.dim, self.kernel_size, self.stride, self.padding = dim, kernel_size, stride, padding

    def extra_repr(self) -> str:
        return f"dim={self.dim}, kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        conv = _CONV_FN[self.dim]
        window = (self.kernel_size,) * self.dim
        scale = 1.0 / self.kernel_size ** self.dim
        channels = x.shape[1]
        out = conv(x, x.new_full((channels, 1, *window), scale), stride=self.stride, padding=self.padding,
                   groups=channels)
        if self.padding:
            ones = x.new_ones((1, 1, *x.shape[2:]))
            out = out / conv(ones, x.new_full((1, 1, *window), scale), stride=self.stride, padding=self.padding)
        return out
