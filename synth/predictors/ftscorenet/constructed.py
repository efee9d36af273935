"""The "constructed architecture": an NB201 network whose every convolution weight comes from one
frequency bank, run on a batch of cells at once.

Per the FT-ScoreNet paper: each convolution's output is divided by its measured standard deviation
(variance unitization, "v-norm"; the measurement is a constant, not differentiated), batch
normalization is a normalization of each element across the batch of synthetic inputs (no affine
parameters, no running statistics), and pooling, ReLU and skip are themselves. The skeleton follows
the project's NB201 networks (:mod:`proxies.spaces.nb201.network`): stem conv 3 + norm, three stages
of N cells at C, 2C, 4C channels joined by reduction blocks, then global average pooling.

All cells of a call share every op evaluation that does not depend on the cell (the stem) and each
edge's op is evaluated once for the group of cells that use it, so a batch of 64 cells costs a few
large convolutions instead of 64 small networks.
"""
from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F

from proxies.spaces.layers import AvgPool
from proxies.spaces.nb201.encoding import EDGES, Cell
from proxies.spaces.nb201.network import pad_to_even

from .kernels import FrequencyBank

EPS = 1e-5
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def v_norm(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Divide each of ``groups`` equal slices of ``x`` (one per cell) by its standard deviation, measured
    without gradient (the paper's calibration pass)."""
    with torch.no_grad():
        std = torch.var(x.reshape(groups, -1), dim=1).sqrt()
    shape = (groups, -1) + (1,) * (x.dim() - 1)
    return (x.reshape(groups, -1, *x.shape[1:]) / (std.reshape(shape) + EPS)).reshape(x.shape)


def sample_norm(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Batch normalization across the synthetic inputs: per cell, each element minus its mean over the
    cell's samples, over sqrt(their biased variance + EPS) (BatchNorm's form: finite gradients where an
    element is the same for every sample, e.g. a node that only sums zero ops)."""
    y = x.reshape(groups, -1, *x.shape[1:])
    var, mean = torch.var_mean(y, dim=1, keepdim=True, correction=0)
    return ((y - mean) / torch.sqrt(var + EPS)).reshape(x.shape)


class ConstructedNB201:
    """Functional constructed NB201 network: no weights of its own; everything comes from the bank."""

    def __init__(self, dim: int, width: int = 8, cells_per_stage: int = 1) -> None:
        if dim not in _CONV:
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        if width < 1 or cells_per_stage < 1:
            raise ValueError("width and cells_per_stage must be >= 1")
        self.dim, self.width, self.cells_per_stage = dim, width, cells_per_stage
        self._pool3 = AvgPool(dim, 3, stride=1, padding=1)
        self._pool2 = AvgPool(dim, 2, stride=2)

    def _conv(self, bank: FrequencyBank, x: torch.Tensor, c_out: int, size: int, stride: int = 1) -> torch.Tensor:
        weight = bank.weight(c_out, x.shape[1], (size,) * self.dim)
        return _CONV[self.dim](x, weight, bank.bias_vector(c_out), stride=stride, padding=size // 2)

    def _relu_conv_norm(self, bank: FrequencyBank, x: torch.Tensor, groups: int, c_out: int, size: int,
                        stride: int = 1) -> torch.Tensor:
        out = self._conv(bank, F.relu(x), c_out, size, stride)
        return sample_norm(v_norm(out, groups), groups)

    def _add_edge(self, bank: FrequencyBank, op_names: Sequence[str], x: torch.Tensor, acc: torch.Tensor) -> None:
        """Add one edge's op output, per cell, into ``acc``; x and acc are (cells, samples, C, ...)."""
        for op in ("nor_conv_3x3", "nor_conv_1x1", "avg_pool_3x3", "skip_connect"):
            idx = [i for i, name in enumerate(op_names) if name == op]
            if not idx:
                continue
            index = torch.tensor(idx)
            part = x.index_select(0, index)
            if op == "avg_pool_3x3":
                part = self._pool3(part.flatten(0, 1)).reshape(part.shape)
            elif op != "skip_connect":
                flat = self._relu_conv_norm(bank, part.flatten(0, 1), len(idx), x.shape[2],
                                            3 if op == "nor_conv_3x3" else 1)
                part = flat.reshape(part.shape)
            acc.index_add_(0, index, part)

    def _cell(self, bank: FrequencyBank, cells: Sequence[Cell], x: torch.Tensor) -> torch.Tensor:
        """One cell for every cell of the batch; x is (cells, samples, C, ...)."""
        nodes = [x]
        for target in (1, 2, 3):
            acc = torch.zeros_like(x)
            for e, (tgt, src) in enumerate(EDGES):
                if tgt == target:
                    self._add_edge(bank, [cell.ops[e] for cell in cells], nodes[src], acc)
            nodes.append(acc)
        return nodes[3]

    def _reduction(self, bank: FrequencyBank, x: torch.Tensor, groups: int) -> torch.Tensor:
        c_out = x.shape[1] * 2
        main = self._relu_conv_norm(bank, x, groups, c_out, 3, stride=2)
        main = self._relu_conv_norm(bank, main, groups, c_out, 3)
        shortcut = v_norm(self._conv(bank, self._pool2(pad_to_even(x)), c_out, 1), groups)
        return main + shortcut

    def features(self, bank: FrequencyBank, cells: Sequence["Cell | str | tuple"], x: torch.Tensor) -> torch.Tensor:
        """(len(cells), samples, 4 * width) pooled features of each cell's constructed network on ``x``,
        the (samples, channels, *spatial) synthetic input."""
        samples = x.shape[0]
        cells = [Cell.parse(cell).pruned() for cell in cells]
        stem = sample_norm(v_norm(self._conv(bank, x, self.width, 3), 1), 1)
        h = stem.expand(len(cells), *stem.shape)
        for stage in range(3):
            if stage:
                reduced = self._reduction(bank, h.flatten(0, 1), len(cells))
                h = reduced.reshape(len(cells), samples, *reduced.shape[1:])
            for _ in range(self.cells_per_stage):
                h = self._cell(bank, cells, h)
        return h.mean(dim=tuple(range(3, h.dim())))
