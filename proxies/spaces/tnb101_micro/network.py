"""TransNAS-Bench-101-Micro networks as ``torch.nn.Module`` in 1D, 2D or 3D.

TNB's micro backbone ``64-41414``: the stem (4x smaller maps, width channels), then 5 stages coded
4, 1, 4, 1, 4 (4: the first cell halves the maps and doubles the channels; 1: keep) of ``cells``
cells each (2 in TNB), then the task head (:class:`~proxies.spaces.tnb101_heads.TNBNetwork`). In a reducing cell the
edges out of node 0 have stride 2 and double the channels (skip_connect becomes a factorized
reduce, none outputs zeros of the new shape); every other edge keeps shape.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .encoding import EDGES, MACRO_CODE
from ..tnb101_heads import BN, CONV, Encoder, ReLUConvBN, Stem, TNBNetwork


class Zero(nn.Module):
    """The ``none`` op: zeros of the output's shape (stride 2: ceil(n / 2) per axis)."""

    def __init__(self, c_out: int, stride: int) -> None:
        super().__init__()
        self.c_out, self.stride = c_out, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride == 1 and x.shape[1] == self.c_out:
            return x.mul(0.0)
        size = [(n + self.stride - 1) // self.stride for n in x.shape[2:]]
        return x.new_zeros((x.shape[0], self.c_out, *size))


class FactorizedReduce(nn.Module):
    """skip_connect across a reduction: ReLU, two 1x1 stride-2 convs (the second on the input shifted
    by one along every axis) concatenated to c_out channels, BN."""

    def __init__(self, dim: int, c_in: int, c_out: int) -> None:
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        halves = (c_out // 2, c_out - c_out // 2)
        self.convs = nn.ModuleList(CONV[dim](c_in, c, 1, stride=2, bias=False) for c in halves)
        self.bn = BN[dim](c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(x)
        dim = x.ndim - 2
        shifted = F.pad(x, [0, 1] * dim)[(slice(None), slice(None)) + (slice(1, None),) * dim]
        return self.bn(torch.cat([self.convs[0](x), self.convs[1](shifted)], dim=1))


def make_op(code: int, dim: int, c_in: int, c_out: int, stride: int) -> nn.Module:
    """The module of one edge (TNB code 0 none, 1 skip_connect, 2 conv 1x1, 3 conv 3x3)."""
    if code == 0:
        return Zero(c_out, stride)
    if code == 1:
        return nn.Identity() if stride == 1 and c_in == c_out else FactorizedReduce(dim, c_in, c_out)
    return ReLUConvBN(dim, c_in, c_out, 1 if code == 2 else 3, stride)


class MicroCell(nn.Module):
    """A fixed cell: node j = sum over i < j of op_(j<-i)(node i); output = node 3."""

    def __init__(self, codes: tuple[int, ...], dim: int, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.dim, self.c_in, self.c_out, self.stride = dim, c_in, c_out, stride
        self.edges = nn.ModuleList(make_op(code, dim, c_in, c_out, stride) if src == 0
                                   else make_op(code, dim, c_out, c_out, 1)
                                   for code, (_, src) in zip(codes, EDGES))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        nodes = [x]
        for target in (1, 2, 3):
            terms = [op(nodes[src]) for (tgt, src), op in zip(EDGES, self.edges) if tgt == target]
            nodes.append(sum(terms[1:], terms[0]))
        return nodes[-1]


def micro_encoder(codes: tuple[int, ...], dim: int, in_channels: int, width: int, cells: int) -> Encoder:
    """TNB's micro backbone with ``cells`` cells per stage."""
    blocks: list[nn.Module] = []
    channels = width
    for stage in MACRO_CODE:
        reduce = stage == "4"
        out = channels * 2 if reduce else channels
        blocks.append(MicroCell(codes, dim, channels, out, 2 if reduce else 1))
        blocks.extend(MicroCell(codes, dim, out, out, 1) for _ in range(cells - 1))
        channels = out
    return Encoder(Stem(dim, in_channels, width), blocks, channels, MACRO_CODE.count("4"))


class TNB101MicroNetwork(TNBNetwork):
    """A TransNAS-Bench-101-Micro network (``codes``: the suite key's op codes) with a task head."""

    def __init__(self, codes: tuple[int, ...], *, dim: int = 2, in_channels: int = 3, num_classes: int = 10,
                 width: int = 64, cells: int = 2, task: str | None = None) -> None:
        codes = tuple(codes)
        super().__init__(lambda c_in: micro_encoder(codes, dim, c_in, width, cells), dim=dim,
                         in_channels=in_channels, num_classes=num_classes, width=width, task=task)
        self.codes = codes
