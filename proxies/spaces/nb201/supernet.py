"""NB201 supernets for TE-NAS-style pruning in live mode: every edge sums its allowed ops.

Built from the NB201 pieces of this folder (stem, reduction blocks, ops, head), so a supernet with one
op per edge computes exactly the network of that cell. :meth:`NB201Space.supernet` is the way in.
"""
from __future__ import annotations

import torch
from torch import nn

from .encoding import EDGES, OPS, Cell
from .network import InferCell, NB201Network, ResNetBasicBlock, make_op

Allowed = tuple[tuple[int, ...], ...]
"""The allowed op indices (in :data:`OPS`) of every edge."""


class MixedCell(nn.Module):
    """A cell whose edge (j <- i) outputs the sum of its allowed ops applied to node i."""

    def __init__(self, allowed: Allowed, dim: int, channels: int) -> None:
        super().__init__()
        if len(allowed) != len(EDGES) or any(not ops for ops in allowed):
            raise ValueError(f"a NB201 supernet needs at least one op on each of the {len(EDGES)} edges")
        self.edges = EDGES
        self.layers = nn.ModuleList(nn.ModuleList(make_op(OPS[k], dim, channels) for k in ops) for ops in allowed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        nodes = [x]
        for target in (1, 2, 3):
            terms = [op(nodes[src]) for (tgt, src), ops in zip(self.edges, self.layers) if tgt == target
                     for op in ops]
            nodes.append(sum(terms[1:], terms[0]))
        return nodes[-1]


def build_supernet(allowed: Allowed, spec) -> NB201Network:
    """The NB201 network of ``spec`` (a :class:`proxies.batch.NetworkSpec`) with every cell replaced
    by a :class:`MixedCell` of ``allowed``."""
    network = spec.build(Cell(("none",) * len(EDGES)))
    channels = network.stem[0].out_channels
    for position, block in enumerate(network.cells):
        if isinstance(block, ResNetBasicBlock):
            channels *= 2
        elif isinstance(block, InferCell):
            network.cells[position] = MixedCell(allowed, network.dim, channels)
    return network
