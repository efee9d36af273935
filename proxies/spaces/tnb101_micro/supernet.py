"""TransNAS-Bench-101-Micro supernets for TE-NAS-style pruning in live mode: every edge sums its
allowed ops, in the micro backbone (a supernet with one op per edge is exactly that cell's network)."""
from __future__ import annotations

import torch
from torch import nn

from .encoding import EDGES
from .network import MicroCell, make_op


class MixedMicroCell(nn.Module):
    """A micro cell whose edge (j <- i) outputs the sum of its allowed ops (op codes) on node i."""

    def __init__(self, allowed: tuple[tuple[int, ...], ...], cell: MicroCell) -> None:
        super().__init__()
        if len(allowed) != len(EDGES) or any(not ops for ops in allowed):
            raise ValueError(f"a micro supernet needs at least one op on each of the {len(EDGES)} edges")
        self.layers = nn.ModuleList(
            nn.ModuleList(make_op(code, cell.dim, cell.c_in, cell.c_out, cell.stride) if src == 0
                          else make_op(code, cell.dim, cell.c_out, cell.c_out, 1) for code in ops)
            for ops, (_, src) in zip(allowed, EDGES))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        nodes = [x]
        for target in (1, 2, 3):
            terms = [op(nodes[src]) for (tgt, src), ops in zip(EDGES, self.layers) if tgt == target for op in ops]
            nodes.append(sum(terms[1:], terms[0]))
        return nodes[-1]


def build_supernet(allowed: tuple[tuple[int, ...], ...], spec) -> nn.Module:
    """The micro network of ``spec`` (a :class:`proxies.batch.NetworkSpec`) with every cell a
    :class:`MixedMicroCell` of ``allowed``."""
    network = spec.build((0,) * len(EDGES))
    blocks = network.encoder.blocks
    for position, block in enumerate(blocks):
        if isinstance(block, MicroCell):
            blocks[position] = MixedMicroCell(allowed, block)
    return network
