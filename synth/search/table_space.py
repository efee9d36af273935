"""The architectures of a benchmark table as a search space of their own (lookup mode in big spaces).

A suite table of NB101 (500 of 423,624 graphs), NB301 (725 of ~1e18 genotypes) or a TransNAS-Bench
pre-release task (~700 of 4,096 or 3,256) holds a sparse sample of its space: a mutation in the
full space almost never lands on a row the table scored. Searching the table instead means
sampling its rows and moving between *near* rows: an architecture's neighbours are the
``neighbours`` table rows closest to it in Hamming distance over the canonical choice tuple (ties
broken by row order), so aging evolution still refines the best rows it found and REINFORCE/PMBGA
draws snap to the nearest row. Keys, parsing and networks are the wrapped space's.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from proxies.spaces.base import Arch, ArchError, Space

COVERAGE = 0.5
"""A table covering less than this share of its space is searched as a :class:`TableSpace`."""


class TableSpace(Space):
    """The rows of a table (canonical architectures of ``base``) with Hamming-nearest neighbours."""

    def __init__(self, base: Space, rows: Sequence[Arch], neighbours: int = 10) -> None:
        self.base = base
        self.rows = list(dict.fromkeys(tuple(r) for r in rows))
        if not self.rows:
            raise ArchError(f"a {base.name} table with no architecture cannot be searched")
        self.name, self.suite_names, self.choices = base.name, base.suite_names, base.choices
        self.size = len(self.rows)
        self.supports = frozenset(base.supports & {"supernet"}) | {"enumerate"}
        self.tasks, self.description = base.tasks, f"{len(self.rows)} table rows of {base.name}"
        self.default_width, self.default_cells = base.default_width, base.default_cells
        self.k = neighbours
        self._matrix = np.array(self.rows, dtype=np.int64)
        self._position = {arch: i for i, arch in enumerate(self.rows)}
        self._near: dict[Arch, list[Arch]] = {}

    def canonical(self, choices: Sequence[int]) -> Arch:
        arch = self.base.canonical(choices)
        if arch not in self._position:
            raise ArchError(f"{self.base.key(arch)} is not a row of the table")
        return arch

    def parse(self, key: object) -> Arch:
        return self.base.parse(key)

    def key(self, arch: Arch) -> str:
        return self.base.key(arch)

    def describe(self, arch: Arch) -> str:
        return self.base.describe(arch)

    def suite_config(self, task=None):
        return self.base.suite_config(task)

    def _network(self, arch, **kwargs):
        return self.base._network(arch, **kwargs)

    def all(self) -> Iterator[Arch]:
        return iter(self.rows)

    def sample(self, rng: np.random.Generator) -> Arch:
        return self.rows[int(rng.integers(len(self.rows)))]

    def nearest(self, choices: Sequence[int], exclude: Arch | None = None, k: int = 1) -> list[Arch]:
        """The ``k`` rows closest to ``choices`` in Hamming distance (row order on ties)."""
        distance = (self._matrix != np.asarray(choices, dtype=np.int64)).sum(axis=1)
        if exclude is not None and exclude in self._position:
            distance[self._position[exclude]] = len(self.choices) + 1
        order = np.argsort(distance, kind="stable")[:k]
        return [self.rows[i] for i in order if distance[i] <= len(self.choices)]

    def neighbours(self, arch: Arch) -> list[Arch]:
        if arch not in self._near:
            self._near[arch] = self.nearest(arch, exclude=arch, k=self.k)
        return list(self._near[arch])

    def mutate(self, arch: Arch, rng: np.random.Generator) -> Arch:
        near = self.neighbours(arch)
        return near[int(rng.integers(len(near)))] if near else arch

    def repair(self, choices: Sequence[int], rng: np.random.Generator) -> Arch:
        """The row itself, or a random one among the rows nearest to ``choices``."""
        choices = tuple(int(k) for k in choices)
        if choices in self._position:
            return choices
        distance = (self._matrix != np.asarray(choices, dtype=np.int64)).sum(axis=1)
        closest = np.flatnonzero(distance == distance.min())
        return self.rows[int(closest[int(rng.integers(len(closest)))])]


def searchable(space: Space, rows: Sequence[Arch]) -> Space:
    """``space`` itself when the table covers most of it (NB201's 9,445 of 15,625 cells), else the
    table's rows as a :class:`TableSpace`."""
    if "enumerate" in space.supports and len(set(rows)) >= COVERAGE * space.size:
        return space
    return TableSpace(space, rows)
