"""Search spaces seen by the search algorithms: sample, mutate, encode, neighbours.

An architecture is its encoding: a tuple with one categorical choice (an op index) per edge. The
algorithms only use this interface, so a new space is one more :class:`SearchSpace` subclass.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np

from proxies.spaces.nb201.encoding import EDGES, OPS, ArchError, Cell

Arch = tuple[int, ...]
"""One choice index per edge."""


class SearchSpace(ABC):
    """A space of architectures made of independent categorical choices, one per edge."""

    name: str
    choices: tuple[tuple[str, ...], ...]
    """The options of each edge, in edge order."""

    @property
    def num_edges(self) -> int:
        return len(self.choices)

    @property
    def size(self) -> int:
        """Number of architectures of the space."""
        return int(np.prod([len(c) for c in self.choices]))

    def sample(self, rng: np.random.Generator) -> Arch:
        """One architecture drawn uniformly."""
        return tuple(int(rng.integers(len(c))) for c in self.choices)

    def sample_distinct(self, n: int, rng: np.random.Generator) -> list[Arch]:
        """Up to ``n`` distinct architectures drawn uniformly, in draw order (all of a smaller space)."""
        out: dict[Arch, None] = {}
        for _ in range(20 * int(n)):
            if len(out) >= min(n, self.size):
                break
            out.setdefault(self.sample(rng))
        return list(out)

    def mutate(self, arch: Arch, rng: np.random.Generator) -> Arch:
        """``arch`` with one edge, drawn uniformly, set to another of its options."""
        edge = int(rng.integers(self.num_edges))
        shift = 1 + int(rng.integers(len(self.choices[edge]) - 1))
        out = list(arch)
        out[edge] = (arch[edge] + shift) % len(self.choices[edge])
        return tuple(out)

    def neighbours(self, arch: Arch) -> list[Arch]:
        """Every architecture that differs from ``arch`` on exactly one edge."""
        return [arch[:e] + (k,) + arch[e + 1:] for e, options in enumerate(self.choices)
                for k in range(len(options)) if k != arch[e]]

    def encode(self, arch: Arch) -> Arch:
        """The per-edge categorical choices of ``arch`` (checked)."""
        if len(arch) != self.num_edges or any(not 0 <= int(k) < len(c) for k, c in zip(arch, self.choices)):
            raise ArchError(f"not an architecture of {self.name}: {arch!r}")
        return tuple(int(k) for k in arch)

    def index(self, arch: Arch) -> int:
        """Position of ``arch`` in the mixed-radix enumeration of the space (first edge most significant)."""
        out = 0
        for k, options in zip(arch, self.choices):
            out = out * len(options) + k
        return out

    @abstractmethod
    def parse(self, text: str) -> Arch:
        """An architecture from its usual text form."""

    @abstractmethod
    def to_string(self, arch: Arch) -> str:
        """The usual text form of ``arch``."""


class NB201Space(SearchSpace):
    """NAS-Bench-201 cells: 6 edges, 5 ops each; indices follow :func:`proxies.spaces.nb201.all_cells`."""

    name = "nb201"
    choices = tuple(OPS for _ in EDGES)

    def parse(self, text: "str | Sequence[int] | Cell") -> Arch:
        return self.from_cell(Cell.parse(text))

    def from_cell(self, cell: Cell) -> Arch:
        return tuple(OPS.index(op) for op in cell.ops)

    def to_cell(self, arch: Arch) -> Cell:
        return Cell(tuple(OPS[k] for k in arch))

    def to_string(self, arch: Arch) -> str:
        return self.to_cell(arch).to_string()


SPACES: dict[str, type[SearchSpace]] = {"nb201": NB201Space}
