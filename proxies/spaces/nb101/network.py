"""NAS-Bench-101 networks as ``torch.nn.Module`` in 1D, 2D or 3D.

The 2D network is the published NB101 model as NASLib (NAS-Bench-Suite-Zero) built it: stem
conv3x3-BN-ReLU, 3 stacks of N cells with a 2x2 max-pool and doubled channels between stacks,
global average pooling and a linear classifier. Inside a cell the output channels are split among
the vertices that feed the output (concatenated there), every vertex that reads the input gets its
own 1x1 conv-BN-ReLU projection of it, and an input-to-output edge adds a projection of the input
to the concatenation. 1D and 3D versions swap every conv, BN and pool for its 1D/3D counterpart.
"""
from __future__ import annotations

import torch
from torch import nn

from ..layers import BN as _BN
from ..layers import CONV as _CONV
from ..layers import GAP as _GAP
from ..layers import MAXPOOL as _MAXPOOL
from .encoding import Spec


class ConvBNReLU(nn.Sequential):
    """conv (no bias, same padding) -> BN -> ReLU: NB101's conv ops, stem and input projections."""

    def __init__(self, dim: int, c_in: int, c_out: int, kernel: int) -> None:
        super().__init__(_CONV[dim](c_in, c_out, kernel, padding=kernel // 2, bias=False), _BN[dim](c_out),
                         nn.ReLU(inplace=False))


def make_op(name: str, dim: int, channels: int) -> nn.Module:
    """The module of one interior vertex (stride 1, channels in = out)."""
    if name == "conv3x3-bn-relu":
        return ConvBNReLU(dim, channels, channels, 3)
    if name == "conv1x1-bn-relu":
        return ConvBNReLU(dim, channels, channels, 1)
    if name == "maxpool3x3":
        return _MAXPOOL[dim](3, stride=1, padding=1)
    raise ValueError(f"unknown NB101 op {name!r}")


def vertex_channels(spec: Spec, c_in: int, c_out: int) -> list[int]:
    """Channels of every vertex: the output's ``c_out`` split as evenly as possible among the
    interior vertices feeding it (earlier vertices take the remainder), and every other interior
    vertex as wide as its widest interior successor (so fan-ins only ever need truncation)."""
    n = spec.num_vertices
    channels = [c_in] + [0] * (n - 2) + [c_out]
    feeders = [v for v in range(1, n - 1) if (v, n - 1) in spec.edges]
    if feeders:
        share, extra = divmod(c_out, len(feeders))
        for rank, v in enumerate(feeders):
            channels[v] = share + (rank < extra)
    for v in range(n - 2, 0, -1):
        if (v, n - 1) not in spec.edges:
            channels[v] = max(channels[w] for w in range(v + 1, n - 1) if (v, w) in spec.edges)
    return channels


class Cell(nn.Module):
    """One NB101 module of a pruned cell graph, ``c_in`` -> ``c_out`` channels."""

    def __init__(self, spec: Spec, dim: int, c_in: int, c_out: int) -> None:
        super().__init__()
        n = spec.num_vertices
        self.n = n
        self.channels = vertex_channels(spec, c_in, c_out)
        self.inputs = [[u for u in range(1, v) if (u, v) in spec.edges] for v in range(n)]
        self.feeders = [v for v in range(1, n - 1) if (v, n - 1) in spec.edges]
        self.ops = nn.ModuleList([nn.Identity()] + [make_op(op, dim, self.channels[v])
                                                    for v, op in enumerate(spec.ops, start=1)])
        self.projections = nn.ModuleDict({str(v): ConvBNReLU(dim, c_in, self.channels[v], 1)
                                          for v in range(1, n) if (0, v) in spec.edges})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values = [x]
        for v in range(1, self.n - 1):
            c = self.channels[v]
            terms = [values[u][:, :c] for u in self.inputs[v]]
            if str(v) in self.projections:
                terms.append(self.projections[str(v)](x))
            values.append(self.ops[v](sum(terms[1:], terms[0])))
        last = str(self.n - 1)
        if not self.feeders:
            return self.projections[last](x)
        out = values[self.feeders[0]] if len(self.feeders) == 1 else torch.cat([values[v] for v in self.feeders], 1)
        return out + self.projections[last](x) if last in self.projections else out


class NB101Network(nn.Module):
    """A NAS-Bench-101 network for ``dim``-dimensional inputs of shape (batch, in_channels, *spatial)."""

    def __init__(self, spec: Spec, *, dim: int = 2, in_channels: int = 3, num_classes: int = 10, width: int = 128,
                 cells_per_stack: int = 3, stacks: int = 3) -> None:
        super().__init__()
        if dim not in _CONV:
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        self.spec = spec
        self.stem = ConvBNReLU(dim, in_channels, width, 3)
        layers: list[nn.Module] = []
        self.cells: list[Cell] = []
        channels = width
        for stack in range(stacks):
            out = channels * 2 if stack else channels
            if stack:
                layers.append(_MAXPOOL[dim](2, stride=2, ceil_mode=True))
            for _ in range(cells_per_stack):
                cell = Cell(spec, dim, channels, out)
                layers.append(cell)
                self.cells.append(cell)
                channels = out
        self.layers = nn.Sequential(*layers)
        self.global_pooling = _GAP[dim](1)
        self.classifier = nn.Linear(channels, num_classes)

    def feature_blocks(self) -> list[nn.Module]:
        """Stem, then every cell in order (the features AZ-NAS scores)."""
        return [self.stem, *self.cells]

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature map before global pooling (Zen-NAS's pre-GAP output)."""
        return self.layers(self.stem(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.global_pooling(self.forward_features(x)).flatten(1))
