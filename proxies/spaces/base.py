"""The contract every search space fulfils, so proxies, benchmarks, searches and predictors treat all
spaces alike.

An architecture (:data:`Arch`) is a tuple of small integers: one categorical choice per position of
the space's :attr:`Space.choices` (an op per edge, an edge bit, an input node, a stage code). The
tuple is always the space's *canonical* form: architectures that compute the same network (an
isomorphic NB101 graph, a DARTS node's two inputs listed in the other order) have one tuple, so
tables, caches and searches never count one network twice. Search algorithms sample and mutate the
positions; :meth:`Space.canonical` maps any tuple to its architecture or rejects it.

A space module is plain Python; the network (torch) loads in :meth:`Space.build`, so code that only
reads or writes keys does not import torch.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from zc_core.errors import DataError

if TYPE_CHECKING:
    from torch import nn

Arch = tuple[int, ...]
"""One architecture: its canonical choice tuple."""

SUPPORTS = ("enumerate", "supernet", "ftscorenet", "tasks", "draw")
"""What a space may support beyond the contract: listing every architecture, TE-NAS supernets
(pruning), FT-ScoreNet's cell encoding, task heads (TransNAS-Bench-101), and a picture of the cells
(:meth:`Space.draw`: DARTS)."""


class ArchError(DataError):
    """An architecture key or choice tuple that is not a valid architecture of the search space (a
    user error: the command line reports it in one line, exit 2)."""


def shown(text: str) -> str:
    """``text`` cut to a length fit for a one-line error message."""
    return repr(text) if len(text) <= 80 else repr(f"{text[:60]}... ({len(text)} characters)")


@dataclass(frozen=True)
class SuiteConfig:
    """How NAS-Bench-Suite-Zero built this space's networks for one task: what a builder must be
    given to reproduce the suite's ``params`` and ``flops``."""

    input_shape: tuple[int, ...]
    num_classes: int
    width: int
    cells: int
    task: str | None = None
    extra: dict = field(default_factory=dict)


class Space(ABC):
    """A search space: keys, canonical choice tuples, sampling and mutation, and the network builder.

    Subclasses set the class attributes and implement :meth:`canonical`, :meth:`parse`,
    :meth:`key`, :meth:`describe` and :meth:`_network`.
    """

    name: str = ""
    suite_names: tuple[str, ...] = ()
    """The NAS-Bench-Suite-Zero file space names it serves (``zc_<name>.json``)."""
    choices: tuple[tuple[str, ...], ...] = ()
    """The options of each position of an architecture tuple, in order."""
    size: int = 0
    """Number of distinct (canonical) architectures."""
    supports: frozenset[str] = frozenset()
    tasks: tuple[str, ...] = ()
    """Task heads the builder offers (empty: one classification head)."""
    default_width: int = 16
    default_cells: int = 1
    """Width and depth of the networks a command builds when the user gives none (sized so every
    proxy of one network fits in 1 GB at batch 64 on the default input)."""
    small_width: int | None = None
    small_cells: int | None = None
    """Width and depth of briefly trained networks (``build-benchmark``, live search) when the user
    gives none; None: :attr:`default_width` / :attr:`default_cells`."""
    width_help: str = "channels of the first stage"
    cells_help: str = "cells per stage"
    description: str = ""

    # --- keys and canonical tuples ------------------------------------------------------------------

    @abstractmethod
    def canonical(self, choices: Sequence[int]) -> Arch:
        """The architecture a choice tuple encodes, in canonical form; :class:`ArchError` when the
        tuple encodes none (wrong length, an option out of range, an invalid graph)."""

    @abstractmethod
    def parse(self, key: object) -> Arch:
        """An architecture from a suite key or the space's usual text form (or an :data:`Arch`)."""

    @abstractmethod
    def key(self, arch: Arch) -> str:
        """The suite's key text of ``arch`` (what ``zc_<space>.json`` files are indexed by)."""

    def describe(self, arch: Arch) -> str:
        """A human-readable form of ``arch`` (the official cell string where one exists)."""
        return self.key(arch)

    def check_tuple(self, choices: Sequence[int]) -> Arch:
        """``choices`` as ints, checked against :attr:`choices` (length and ranges)."""
        try:
            arch = tuple(int(k) for k in choices)
        except (TypeError, ValueError):
            raise ArchError(f"not an architecture of {self.name}: {choices!r}") from None
        if len(arch) != len(self.choices) or any(not 0 <= k < len(c) for k, c in zip(arch, self.choices)):
            raise ArchError(f"not an architecture of {self.name}: {choices!r} (needs {len(self.choices)} "
                            "choices, each within its options)")
        return arch

    def encode(self, arch: Sequence[int]) -> Arch:
        """The canonical choice tuple of ``arch`` (checked)."""
        return self.canonical(arch)

    def index(self, arch: Arch) -> int:
        """Position of ``arch`` in the mixed-radix enumeration of :attr:`choices` (first position most
        significant): an array index in spaces whose every tuple is an architecture (NB201)."""
        out = 0
        for k, options in zip(arch, self.choices):
            out = out * len(options) + k
        return out

    def is_valid(self, choices: Sequence[int]) -> bool:
        try:
            self.canonical(choices)
        except ArchError:
            return False
        return True

    # --- sampling and mutation ----------------------------------------------------------------------

    @property
    def num_edges(self) -> int:
        """Number of positions of an architecture tuple."""
        return len(self.choices)

    def sample(self, rng: np.random.Generator) -> Arch:
        """One architecture: a uniform draw of every position, redrawn until it is valid."""
        for _ in range(100_000):
            draw = tuple(int(rng.integers(len(c))) for c in self.choices)
            try:
                return self.canonical(draw)
            except ArchError:
                continue
        raise RuntimeError(f"{self.name}: no valid architecture in 100,000 draws")

    def sample_distinct(self, n: int, rng: np.random.Generator) -> list[Arch]:
        """Up to ``n`` distinct architectures, in draw order (all of a smaller space)."""
        out: dict[Arch, None] = {}
        for _ in range(20 * int(n)):
            if len(out) >= min(n, self.size):
                break
            out.setdefault(self.sample(rng))
        return list(out)

    def repair(self, choices: Sequence[int], rng: np.random.Generator) -> Arch:
        """The architecture of ``choices`` when valid, else a random valid one-position change of it
        (else a fresh sample): lets samplers of independent positions (REINFORCE, PMBGA) always
        yield an architecture."""
        try:
            return self.canonical(choices)
        except ArchError:
            pass
        near = self._changes(tuple(int(k) for k in choices))
        return near[int(rng.integers(len(near)))] if near else self.sample(rng)

    def neighbours(self, arch: Arch) -> list[Arch]:
        """Every distinct valid architecture one position away from ``arch`` (canonicalised)."""
        return [a for a in self._changes(arch) if a != arch]

    def _changes(self, choices: Arch) -> list[Arch]:
        out: dict[Arch, None] = {}
        for pos, options in enumerate(self.choices):
            for k in range(len(options)):
                if k == choices[pos]:
                    continue
                try:
                    out.setdefault(self.canonical(choices[:pos] + (k,) + choices[pos + 1:]))
                except ArchError:
                    continue
        return list(out)

    def mutate(self, arch: Arch, rng: np.random.Generator) -> Arch:
        """``arch`` with one position, drawn uniformly, set to another of its options (redrawn a few
        times while that is invalid or the same architecture; then a uniform draw among
        :meth:`neighbours`, or ``arch`` itself when it has none)."""
        for _ in range(20):
            pos = int(rng.integers(self.num_edges))
            options = len(self.choices[pos])
            if options < 2:
                continue
            out = list(arch)
            out[pos] = (arch[pos] + 1 + int(rng.integers(options - 1))) % options
            try:
                child = self.canonical(out)
            except ArchError:
                continue
            if child != arch:
                return child
        near = self.neighbours(arch)
        return near[int(rng.integers(len(near)))] if near else arch

    def all(self) -> Iterator[Arch]:
        """Every architecture (spaces that support ``enumerate``)."""
        raise ArchError(f"{self.name} has {self.size:.3g} architectures: too many to list; use random:N")

    def random(self, n: int, seed: int = 0) -> list[Arch]:
        """``n`` distinct architectures drawn with ``seed`` (``n`` <= :attr:`size`)."""
        if not 0 < n <= self.size:
            raise ArchError(f"random:N needs 1 <= N <= {self.size} in {self.name}; got {n}")
        rng = np.random.default_rng(seed)
        out: dict[Arch, None] = {}
        for _ in range(50 * n + 1000):
            if len(out) == n:
                break
            out.setdefault(self.sample(rng))
        if len(out) < n:
            raise ArchError(f"{self.name}: could not draw {n} distinct architectures")
        return list(out)

    # --- networks -----------------------------------------------------------------------------------

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        """How the suite built this space's networks for ``task`` (None: the space's main task)."""
        raise ArchError(f"{self.name} has no suite configuration")

    def suite_network(self, key: object, task: str | None = None) -> "nn.Module":
        """The network the suite built for ``key`` on ``task``: :meth:`build` with
        :meth:`suite_config` (spaces whose suite networks depend on the key's own form override it)."""
        config = self.suite_config(task)
        return self.build(self.parse(key), dim=len(config.input_shape) - 1, in_channels=config.input_shape[0],
                          num_classes=config.num_classes, width=config.width, cells=config.cells, task=config.task)

    def build(self, arch: "Arch | str", *, dim: int = 2, in_channels: int = 3, num_classes: int = 10,
              width: int | None = None, cells: int | None = None, task: str | None = None) -> "nn.Module":
        """The network of ``arch`` (a canonical choice tuple, or a suite key as text: a tuple of ints is
        always read as a choice tuple) for inputs (batch, in_channels, *spatial) with
        ``dim`` spatial axes; ``width``/``cells`` default to :attr:`default_width`/:attr:`default_cells`;
        ``task`` picks a task head in spaces that have them (None: a classifier of ``num_classes``)."""
        if dim not in (1, 2, 3):
            raise ValueError(f"dim must be 1, 2 or 3; got {dim}")
        width = self.default_width if width is None else width
        cells = self.default_cells if cells is None else cells
        if min(in_channels, num_classes, width, cells) < 1:
            raise ValueError("in_channels, num_classes, width and cells must be >= 1")
        if task is not None and task not in self.tasks:
            raise ArchError(f"{self.name} has no task head {task!r}"
                            + (f"; choose from {', '.join(self.tasks)}" if self.tasks else ""))
        arch = arch if isinstance(arch, tuple) and all(isinstance(k, int) for k in arch) else self.parse(arch)
        return self._network(self.canonical(arch), dim=dim, in_channels=in_channels, num_classes=num_classes,
                             width=width, cells=cells, task=task)

    @abstractmethod
    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None) -> "nn.Module":
        """The ``torch.nn.Module`` of a canonical architecture (arguments already checked)."""

    def supernet(self, allowed: Sequence[Sequence[int]], spec) -> "nn.Module":
        """The TE-NAS supernet of ``spec`` (a :class:`proxies.batch.NetworkSpec`) in which every
        position sums its ``allowed`` options (spaces that support ``supernet`` with real modules)."""
        raise ArchError(f"{self.name} builds no supernets: use another search algorithm than prune")

    def draw(self, arch: "str | Arch", path: str) -> str:
        """Write a picture of the architecture's cells to ``path`` (spaces that support ``draw``); the path."""
        raise ArchError(f"{self.name} has no cell drawing")

    # --- encodings for predictors -------------------------------------------------------------------

    def one_hot(self, arch: Arch) -> np.ndarray:
        """The architecture as concatenated one-hot vectors of its positions (predictors' features)."""
        out = np.zeros(sum(len(c) for c in self.choices))
        offset = 0
        for k, options in zip(arch, self.choices):
            out[offset + k] = 1.0
            offset += len(options)
        return out

    def small_size(self) -> tuple[int, int]:
        """``(width, cells)`` of briefly trained networks (see :attr:`small_width`)."""
        return (self.default_width if self.small_width is None else self.small_width,
                self.default_cells if self.small_cells is None else self.small_cells)

    def info(self) -> dict:
        """What the registry lists about the space."""
        return {"name": self.name, "suite": list(self.suite_names), "size": self.size,
                "positions": len(self.choices), "supports": sorted(self.supports), "tasks": list(self.tasks),
                "default_width": self.default_width, "default_cells": self.default_cells,
                "description": self.description}

    def __repr__(self) -> str:
        size = f"{self.size:,}" if self.size < 1e9 else f"{self.size:.2e}"
        return f"<space {self.name}: {size} architectures>"

