"""Layers shared by the search spaces' networks."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

_CONV_FN = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
BN = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}
MAXPOOL = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}
GAP = {1: nn.AdaptiveAvgPool1d, 2: nn.AdaptiveAvgPool2d, 3: nn.AdaptiveAvgPool3d}
"""The 1D/2D/3D counterparts of each layer, by number of spatial dimensions."""


class SharedReLU(nn.ReLU):
    """``nn.ReLU`` that, inside :func:`shared_relus`, returns the tensor another ReLU of the same
    network already made from the same input: the same values, hooks fire on every module as before
    (flops count each op), but a node read by several ops keeps one ReLU output for backward instead
    of one per op (measured: 27 % of the saved activations of a five-convolution NB201 cell network,
    batch 64; DARTS cell inputs feed up to 8 ops that all start with a ReLU)."""

    def __init__(self) -> None:
        super().__init__(inplace=False)
        self.memo: dict[int, tuple[torch.Tensor, torch.Tensor]] | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.memo is None:
            return super().forward(x)
        hit = self.memo.get(id(x))
        if hit is not None and hit[0] is x:
            return hit[1]
        out = super().forward(x)
        self.memo[id(x)] = (x, out)
        return out


@contextmanager
def shared_relus(module: nn.Module) -> Iterator[None]:
    """Within the block, the :class:`SharedReLU` modules of ``module`` share one memo (cleared after)."""
    relus = [m for m in module.modules() if isinstance(m, SharedReLU)]
    memo: dict = {}
    for relu in relus:
        relu.memo = memo
    try:
        yield
    finally:
        for relu in relus:
            relu.memo = None


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
