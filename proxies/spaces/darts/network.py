"""DARTS (NAS-Bench-301) networks as ``torch.nn.Module`` in 1D, 2D or 3D.

The 2D network is the one NASLib built for NAS-Bench-Suite-Zero: stem conv 3x3 (3C channels) + BN;
``cells`` cells, reduction cells at ``cells // 3`` and ``2 * cells // 3`` doubling the channels
and halving the resolution; global average pooling and a linear classifier (no auxiliary head, no
drop path). A cell preprocesses its inputs c_{k-2}, c_{k-1} with ReLU-conv1x1-BN (FactorizedReduce
for c_{k-2} after a reduction cell), each node sums two ops, the output concatenates the 4 nodes.
As in NASLib, BNs inside the cell ops have no affine parameters and pooling ops are followed by
one, and skip_connect in a reduction cell is a (non-affine) FactorizedReduce. 1D and 3D versions
swap every conv, BN and pooling for its 1D/3D counterpart.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..layers import BN as _BN
from ..layers import CONV as _CONV
from ..layers import GAP as _GAP
from ..layers import MAXPOOL as _MAXPOOL
from ..layers import AvgPool, SharedReLU, shared_relus
from .encoding import NODES, OPS, Cells
STEM_MULTIPLIER = 3


class ReLUConvBN(nn.Sequential):
    """ReLU -> conv (no bias) -> BN: the cell-input preprocessing."""

    def __init__(self, dim: int, c_in: int, c_out: int, kernel: int = 1, affine: bool = True) -> None:
        super().__init__(SharedReLU(), _CONV[dim](c_in, c_out, kernel, padding=kernel // 2, bias=False),
                         _BN[dim](c_out, affine=affine))


class FactorizedReduce(nn.Module):
    """ReLU, then two stride-2 1x1 convs (the second shifted by one element per axis) concatenated,
    then BN: halves the resolution (ceil(n / 2), odd sizes padded by one zero at the end)."""

    def __init__(self, dim: int, c_in: int, c_out: int, affine: bool = True) -> None:
        super().__init__()
        if c_out % 2:
            raise ValueError(f"FactorizedReduce needs an even number of output channels; got {c_out}")
        self.relu = SharedReLU()
        self.conv_1 = _CONV[dim](c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = _CONV[dim](c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = _BN[dim](c_out, affine=affine)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(x)
        pad: list[int] = []
        for size in reversed(x.shape[2:]):
            pad += [0, size % 2]
        shifted = F.pad(x, pad) if any(pad) else x
        shifted = shifted[(slice(None), slice(None)) + (slice(1, None),) * (x.ndim - 2)]
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(shifted)], dim=1))


class SepConv(nn.Sequential):
    """DARTS' separable conv: (ReLU, depthwise k x k, pointwise 1x1, BN) twice, stride on the first."""

    def __init__(self, dim: int, channels: int, kernel: int, stride: int) -> None:
        conv, bn, pad = _CONV[dim], _BN[dim], kernel // 2
        super().__init__(
            SharedReLU(), conv(channels, channels, kernel, stride=stride, padding=pad, groups=channels, bias=False),
            conv(channels, channels, 1, bias=False), bn(channels, affine=False),
            nn.ReLU(), conv(channels, channels, kernel, padding=pad, groups=channels, bias=False),
            conv(channels, channels, 1, bias=False), bn(channels, affine=False))


class DilConv(nn.Sequential):
    """DARTS' dilated separable conv: ReLU, depthwise k x k dilation 2, pointwise 1x1, BN."""

    def __init__(self, dim: int, channels: int, kernel: int, stride: int) -> None:
        super().__init__(
            SharedReLU(), _CONV[dim](channels, channels, kernel, stride=stride, padding=kernel - 1, dilation=2,
                                  groups=channels, bias=False),
            _CONV[dim](channels, channels, 1, bias=False), _BN[dim](channels, affine=False))


def make_op(name: str, dim: int, channels: int, stride: int) -> nn.Module:
    """The module of one cell op (channels in = out; ``stride`` 2 on reduction-cell inputs)."""
    if name == "max_pool_3x3":
        return nn.Sequential(_MAXPOOL[dim](3, stride=stride, padding=1), _BN[dim](channels, affine=False))
    if name == "avg_pool_3x3":
        return nn.Sequential(AvgPool(dim, 3, stride=stride, padding=1), _BN[dim](channels, affine=False))
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(dim, channels, channels, affine=False)
    if name.startswith("sep_conv_"):
        return SepConv(dim, channels, int(name[-1]), stride)
    if name.startswith("dil_conv_"):
        return DilConv(dim, channels, int(name[-1]), stride)
    raise ValueError(f"unknown DARTS op {name!r}")


class Cell(nn.Module):
    """One normal or reduction cell; ``forward(prev, prev_prev)`` takes c_{k-1} first, so the
    block's first input (what AZ-NAS hooks read) is the previous block's output."""

    def __init__(self, dim: int, pairs: tuple[tuple[int, int], ...], c_prev_prev: int, c_prev: int, channels: int,
                 reduction: bool, reduction_prev: bool) -> None:
        super().__init__()
        self.reduction = reduction
        self.inputs = tuple(node for node, _ in pairs)
        self.preprocess0 = (FactorizedReduce(dim, c_prev_prev, channels) if reduction_prev
                            else ReLUConvBN(dim, c_prev_prev, channels))
        self.preprocess1 = ReLUConvBN(dim, c_prev, channels)
        self.ops = nn.ModuleList(make_op(OPS[op], dim, channels, 2 if reduction and node < 2 else 1)
                                 for node, op in pairs)

    def forward(self, prev: torch.Tensor, prev_prev: torch.Tensor) -> torch.Tensor:
        states = [self.preprocess0(prev_prev), self.preprocess1(prev)]
        for k in range(NODES):
            a, b = 2 * k, 2 * k + 1
            states.append(self.ops[a](states[self.inputs[a]]) + self.ops[b](states[self.inputs[b]]))
        return torch.cat(states[2:], dim=1)


class DartsNetwork(nn.Module):
    """A DARTS network of ``cells`` (normal, reduction) for inputs (batch, in_channels, *spatial)."""

    def __init__(self, cells: Cells, *, dim: int = 2, in_channels: int = 3, num_classes: int = 10, width: int = 16,
                 layers: int = 8) -> None:
        super().__init__()
        if dim not in _CONV:
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        self.dim = dim
        stem = STEM_MULTIPLIER * width
        self.stem = nn.Sequential(_CONV[dim](in_channels, stem, 3, padding=1, bias=False), _BN[dim](stem))
        reductions = {layers // 3, 2 * layers // 3}
        c_prev_prev, c_prev, channels = stem, stem, width
        reduction_prev = False
        blocks = []
        for i in range(layers):
            reduction = i in reductions
            if reduction:
                channels *= 2
            blocks.append(Cell(dim, cells[1] if reduction else cells[0], c_prev_prev, c_prev, channels,
                               reduction, reduction_prev))
            c_prev_prev, c_prev, reduction_prev = c_prev, NODES * channels, reduction
        self.cells = nn.ModuleList(blocks)
        self.global_pooling = _GAP[dim](1)
        self.classifier = nn.Linear(c_prev, num_classes)

    def feature_blocks(self) -> list[nn.Module]:
        """Stem, then every cell in order (the features AZ-NAS scores)."""
        return [self.stem, *self.cells]

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The last cell's output, the feature map before global pooling."""
        with shared_relus(self):
            prev_prev = prev = self.stem(x)
            for cell in self.cells:
                prev_prev, prev = prev, cell(prev, prev_prev)
        return prev

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.global_pooling(self.forward_features(x)).flatten(1))
