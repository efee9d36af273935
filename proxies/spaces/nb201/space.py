"""NAS-Bench-201 as a :class:`~proxies.spaces.base.Space`: a tuple is the op index (in :data:`OPS`)
of each edge in :data:`EDGES` order, so the 15,625 tuples enumerate like :func:`all_cells`."""
from __future__ import annotations

import itertools
from typing import Iterator, Sequence

from ..base import Arch, ArchError, Space, SuiteConfig
from .encoding import EDGES, OPS, Cell, random_cells


class NB201Space(Space):
    name = "nb201"
    suite_names = ("nasbench201",)
    choices = tuple(OPS for _ in EDGES)
    size = len(OPS) ** len(EDGES)
    supports = frozenset({"enumerate", "supernet", "ftscorenet"})
    default_width = 16
    default_cells = 5
    small_width = 8
    small_cells = 1
    cells_help = "cells per stage N (3 stages)"
    description = "NAS-Bench-201 cells: 4 nodes, 6 edges, 5 ops; 3 stages of N cells (TinyNetwork)"

    def canonical(self, choices: Sequence[int]) -> Arch:
        return self.check_tuple(choices)

    def parse(self, key: object) -> Arch:
        """A cell string, a suite tuple key (text or a sequence of ints: the suite's op numbering, not
        a choice tuple) or a :class:`Cell`."""
        return self.from_cell(Cell.parse(key))   # type: ignore[arg-type]

    def from_cell(self, cell: Cell) -> Arch:
        return tuple(OPS.index(op) for op in cell.ops)

    def to_cell(self, arch: Arch) -> Cell:
        return Cell(tuple(OPS[k] for k in self.canonical(arch)))

    def key(self, arch: Arch) -> str:
        return str(self.to_cell(arch).to_tuple())

    def describe(self, arch: Arch) -> str:
        return self.to_cell(arch).to_string()

    def all(self) -> Iterator[Arch]:
        return iter(itertools.product(range(len(OPS)), repeat=len(EDGES)))

    def one_hot(self, arch: Arch):
        """One-hot of the suite tuple key (suite edge order and op numbering), the layout predictors
        were fitted and measured with before the registry."""
        import numpy as np

        out = np.zeros(len(EDGES) * len(OPS))
        for position, op in enumerate(self.to_cell(arch).to_tuple()):
            out[position * len(OPS) + op] = 1.0
        return out

    def random(self, n: int, seed: int = 0) -> list[Arch]:
        """:func:`random_cells`'s draw (kept so ``random:N`` lists the same cells as before the registry)."""
        return [self.from_cell(c) for c in random_cells(n, seed)]

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        classes = {None: 10, "cifar10": 10, "cifar100": 100, "ImageNet16-120": 120}
        if task not in classes:
            raise ArchError(f"nb201 has no suite task {task!r}; choose from cifar10, cifar100, ImageNet16-120")
        shape = (3, 16, 16) if task == "ImageNet16-120" else (3, 32, 32)
        return SuiteConfig(input_shape=shape, num_classes=classes[task], width=16, cells=5, task=None)

    def supernet(self, allowed, spec):
        from .supernet import build_supernet

        return build_supernet(tuple(tuple(int(k) for k in ops) for ops in allowed), spec)

    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None):
        from .network import NB201Network

        return NB201Network(self.to_cell(arch), dim=dim, in_channels=in_channels, num_classes=num_classes,
                            width=width, cells_per_stage=cells)


SPACE = NB201Space()
