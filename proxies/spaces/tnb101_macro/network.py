"""TransNAS-Bench-101-Macro networks as ``torch.nn.Module`` in 1D, 2D or 3D.

TNB's macro backbone ``64-<codes>-basic``: the stem (4x smaller maps, width channels), then one
residual stage per code of ``cells`` ResNet basic blocks (2 in TNB); a stage's first block halves
the maps (codes 3, 4) and/or doubles the channels (codes 2, 4), then the task head
(:class:`~proxies.spaces.tnb101_heads.TNBNetwork`).
"""
from __future__ import annotations

import torch
from torch import nn

from ..tnb101_heads import BN, CONV, Encoder, ReLUConvBN, Stem, TNBNetwork


class BasicBlock(nn.Module):
    """ReLU-conv 3x3-BN (stride s) -> ReLU-conv 3x3-BN, plus the input (1x1 conv stride s + BN when the
    shape changes)."""

    def __init__(self, dim: int, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.conv_a = ReLUConvBN(dim, c_in, c_out, 3, stride)
        self.conv_b = ReLUConvBN(dim, c_out, c_out, 3, 1)
        self.downsample = (nn.Sequential(CONV[dim](c_in, c_out, 1, stride=stride, bias=False), BN[dim](c_out))
                           if stride != 1 or c_in != c_out else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x if self.downsample is None else self.downsample(x)
        return residual + self.conv_b(self.conv_a(x))


def macro_encoder(codes: tuple[int, ...], dim: int, in_channels: int, width: int, cells: int) -> Encoder:
    """TNB's macro backbone of the stage codes (zeros ignored) with ``cells`` blocks per stage."""
    blocks: list[nn.Module] = []
    channels = width
    stages = [c for c in codes if c]
    for code in stages:
        out = channels * 2 if code in (2, 4) else channels
        blocks.append(BasicBlock(dim, channels, out, 2 if code in (3, 4) else 1))
        blocks.extend(BasicBlock(dim, out, out, 1) for _ in range(cells - 1))
        channels = out
    return Encoder(Stem(dim, in_channels, width), blocks, channels, sum(c in (3, 4) for c in stages))


class TNB101MacroNetwork(TNBNetwork):
    """A TransNAS-Bench-101-Macro network (``codes``: the suite key's stage codes) with a task head."""

    def __init__(self, codes: tuple[int, ...], *, dim: int = 2, in_channels: int = 3, num_classes: int = 10,
                 width: int = 64, cells: int = 2, task: str | None = None) -> None:
        codes = tuple(codes)
        super().__init__(lambda c_in: macro_encoder(codes, dim, c_in, width, cells), dim=dim,
                         in_channels=in_channels, num_classes=num_classes, width=width, task=task)
        self.codes = codes
