"""NAS-Bench-201 networks as ``torch.nn.Module`` in 1D, 2D or 3D.

The 2D network reproduces the official NB201 ``TinyNetwork``: stem conv 3x3 + BN, three stages of
N cells (C, 2C, 4C channels) joined by residual reduction blocks, BN-ReLU, global average pooling
and a linear classifier. 1D and 3D versions swap every conv, BN and pooling for its 1D/3D
counterpart, for signals (ECG) and volumes (CT).
"""
from __future__ import annotations

import torch
from torch import nn

from ..layers import BN as _BN
from ..layers import CONV as _CONV
from ..layers import GAP as _GAP
from ..layers import AvgPool, SharedReLU, shared_relus
from .encoding import EDGES, Cell


class ReLUConvBN(nn.Sequential):
    """ReLU -> conv (no bias) -> BN, the NB201 convolution op."""

    def __init__(self, dim: int, c_in: int, c_out: int, kernel: int, stride: int, padding: int) -> None:
        super().__init__(SharedReLU(),
                         _CONV[dim](c_in, c_out, kernel, stride=stride, padding=padding, bias=False),
                         _BN[dim](c_out))


class Zero(nn.Module):
    """The ``none`` op: outputs zeros of the input's shape."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mul(0.0)


def make_op(name: str, dim: int, channels: int) -> nn.Module:
    """The module for one edge op (stride 1, channels in = out)."""
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return nn.Identity()
    if name == "nor_conv_1x1":
        return ReLUConvBN(dim, channels, channels, 1, 1, 0)
    if name == "nor_conv_3x3":
        return ReLUConvBN(dim, channels, channels, 3, 1, 1)
    if name == "avg_pool_3x3":
        return AvgPool(dim, 3, stride=1, padding=1)
    raise ValueError(f"unknown NB201 op {name!r}")


class InferCell(nn.Module):
    """A fixed cell: node j = sum over i < j of op_(j<-i)(node i); output = node 3."""

    def __init__(self, cell: Cell, dim: int, channels: int) -> None:
        super().__init__()
        self.edges = EDGES
        self.layers = nn.ModuleList(make_op(op, dim, channels) for op in cell.ops)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with shared_relus(self.layers):
            nodes = [x]
            for target in (1, 2, 3):
                terms = [layer(nodes[src]) for (tgt, src), layer in zip(self.edges, self.layers) if tgt == target]
                nodes.append(sum(terms[1:], terms[0]))
        return nodes[-1]


class ResNetBasicBlock(nn.Module):
    """The reduction block: two ReLU-conv-BN (stride 2, then 1) plus avg-pool + 1x1 conv shortcut."""

    def __init__(self, dim: int, c_in: int, c_out: int) -> None:
        super().__init__()
        self.conv_a = ReLUConvBN(dim, c_in, c_out, 3, 2, 1)
        self.conv_b = ReLUConvBN(dim, c_out, c_out, 3, 1, 1)
        self.downsample = nn.Sequential(AvgPool(dim, 2, stride=2),
                                        _CONV[dim](c_in, c_out, 1, stride=1, padding=0, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.downsample(pad_to_even(x)) + self.conv_b(self.conv_a(x))


def pad_to_even(x: torch.Tensor) -> torch.Tensor:
    """``x`` with each odd spatial size made even by repeating its last slice, so the 2-wide pooling
    of the shortcut gives ceil(n / 2) like the stride-2 convolution (even sizes pass unchanged)."""
    pad: list[int] = []
    for size in reversed(x.shape[2:]):
        pad += [0, size % 2]
    return torch.nn.functional.pad(x, pad, mode="replicate") if any(pad) else x


class NB201Network(nn.Module):
    """A NAS-Bench-201 network for ``dim``-dimensional inputs of shape (batch, in_channels, *spatial)."""

    def __init__(self, cell: "Cell | str | tuple", *, dim: int = 2, in_channels: int = 3, num_classes: int = 10,
                 width: int = 16, cells_per_stage: int = 5) -> None:
        super().__init__()
        if dim not in _CONV:
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        if min(in_channels, num_classes, width, cells_per_stage) < 1:
            raise ValueError("in_channels, num_classes, width and cells_per_stage must be >= 1")
        self.cell = Cell.parse(cell)
        self.dim = dim
        self.stem = nn.Sequential(_CONV[dim](in_channels, width, 3, padding=1, bias=False), _BN[dim](width))
        blocks: list[nn.Module] = []
        channels = width
        for stage in range(3):
            if stage:
                blocks.append(ResNetBasicBlock(dim, channels, channels * 2))
                channels *= 2
            blocks.extend(InferCell(self.cell, dim, channels) for _ in range(cells_per_stage))
        self.cells = nn.Sequential(*blocks)
        self.lastact = nn.Sequential(_BN[dim](channels), nn.ReLU(inplace=False))
        self.global_pooling = _GAP[dim](1)
        self.classifier = nn.Linear(channels, num_classes)

    def feature_blocks(self) -> list[nn.Module]:
        """Stem, then every cell and reduction block in order (the features AZ-NAS scores)."""
        return [self.stem, *self.cells]

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature map before global pooling (Zen-NAS's pre-GAP output)."""
        return self.lastact(self.cells(self.stem(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.global_pooling(self.forward_features(x)).flatten(1))
