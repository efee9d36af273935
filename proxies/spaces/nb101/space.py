"""NAS-Bench-101 as a :class:`~proxies.spaces.base.Space`: 21 edge bits and 5 vertex ops, pruned and
put in a canonical vertex order so isomorphic cells share one tuple."""
from __future__ import annotations

import operator
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..base import Arch, ArchError, Space, SuiteConfig
from .encoding import (EDGES, MAX_EDGES, NUM_CHOICES, NUM_VERTICES, OPS, Spec, _canonical_of_pruned, canonical_choices,
                       compact_spec, ints_from_text, spec_from_choices, spec_from_ints, spec_from_names, suite_key)

_SHORT = {"conv3x3-bn-relu": "conv3x3", "conv1x1-bn-relu": "conv1x1", "maxpool3x3": "maxpool3x3"}


class NB101Space(Space):
    name = "nb101"
    suite_names = ("nasbench101",)
    choices = tuple(("0", "1") for _ in EDGES) + tuple(OPS for _ in range(NUM_VERTICES - 2))
    size = 423_624
    supports = frozenset()
    default_width = 16
    default_cells = 1
    width_help = "stem channels (doubled at each of the 2 downsamplings; the suite used 128)"
    cells_help = "cells per stack (3 stacks; the suite used 3)"
    description = ("NAS-Bench-101 cells: DAGs of up to 7 vertices and 9 edges, ops conv3x3/conv1x1/maxpool3x3; "
                   "stem, 3 stacks of N cells joined by max-pool downsampling")

    def canonical(self, choices: Sequence[int]) -> Arch:
        return canonical_choices(spec_from_choices(self.check_tuple(choices)))

    def parse(self, key: object) -> Arch:
        """A suite key (56 ints: 7x7 matrix row by row, then op codes; also a pruned n x n form), as
        text or a sequence; a 26-int choice tuple; or a ``{"matrix": ..., "ops": [...]}`` spec with
        nasbench op names."""
        if isinstance(key, dict):
            if set(key) != {"matrix", "ops"}:
                raise ArchError(f"a NB101 spec needs exactly the keys 'matrix' and 'ops'; got {sorted(map(str, key))}")
            return canonical_choices(spec_from_names(key["matrix"], key["ops"]))
        values = self._ints(key)
        if len(values) == NUM_CHOICES:
            return self.canonical(values)
        return canonical_choices(spec_from_ints(values))

    @staticmethod
    def _ints(key: object) -> list[int]:
        """The integers of a text or sequence key; :class:`ArchError` for anything else."""
        if isinstance(key, str):
            return ints_from_text(key)
        if isinstance(key, (list, tuple)) and not any(isinstance(v, bool) for v in key):
            try:
                return [operator.index(v) for v in key]
            except TypeError:
                pass
        raise ArchError(f"not a NB101 architecture: {str(key)[:80]!r} (expected a suite key of 56 ints)")

    def key(self, arch: Arch) -> str:
        return suite_key(self.canonical(arch))

    def spec(self, arch: Arch) -> Spec:
        """The pruned graph of ``arch`` (live vertices only), what the network builds."""
        return compact_spec(self.canonical(arch))

    def key_spec(self, key: object) -> Spec:
        """The pruned graph of a suite key in the key's own vertex order (validated like :meth:`parse`)."""
        self.parse(key)
        if isinstance(key, dict):
            return spec_from_names(key["matrix"], key["ops"]).pruned()
        values = self._ints(key)
        return (spec_from_choices(values) if len(values) == NUM_CHOICES else spec_from_ints(values)).pruned()

    def suite_network(self, key: object, task: str | None = None):
        """The suite's own network of ``key``: its pruned graph in the key's vertex order, sized by
        :meth:`suite_config`. NASLib's builder gives each output-feeding vertex ``C // k`` channels
        and the remainder to the earliest ones, so isomorphic orders can differ by a few channels;
        :meth:`build` uses the canonical order, this reproduces the suite's params exactly."""
        from .network import NB101Network

        config = self.suite_config(task)
        return NB101Network(self.key_spec(key), dim=2, in_channels=config.input_shape[0],
                            num_classes=config.num_classes, width=config.width, cells_per_stack=config.cells)

    # --- neighbourhood ------------------------------------------------------------------------------

    def neighbours(self, arch: Arch) -> list[Arch]:
        """Every distinct valid architecture one move from ``arch``, in a fixed order: first one edge
        flip or one op change (the base class's one-position changes, canonicalised), then "add a
        vertex": a new vertex with any op, one in-edge from a live vertex ``u`` and one out-edge to a
        live vertex ``w`` (every ordered pair that keeps the graph acyclic), while the cell has
        fewer than 7 vertices and at most 7 edges. One-position changes alone can never add a live
        vertex (an unused one needs an in- and an out-edge), so searches could only shrink a cell.
        Removing a vertex is an edge flip (its only in- or out-edge). Never contains ``arch``."""
        return list(_neighbours(self.canonical(arch)))

    def mutate(self, arch: Arch, rng: np.random.Generator) -> Arch:
        """A uniform draw among :meth:`neighbours` (``arch`` itself when it has none, which no valid
        NB101 cell lacks)."""
        near = _neighbours(self.canonical(arch))
        return near[int(rng.integers(len(near)))] if near else arch

    def grow(self, arch: Arch) -> list[Arch]:
        """The "add a vertex" neighbours of ``arch`` alone (canonical, distinct, in move order)."""
        return [a for a in _grown(self.canonical(arch)) if a != arch]

    def describe(self, arch: Arch) -> str:
        spec = self.spec(arch)
        ops = " ".join(f"{v}:{_SHORT[op]}" for v, op in enumerate(spec.ops, start=1))
        edges = " ".join(f"{i}>{j}" for i, j in sorted(spec.edges))
        return f"ops [{ops}] edges [{edges}] (0 input, {spec.num_vertices - 1} output)"

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        if task not in (None, "cifar10"):
            raise ArchError(f"nb101 has no suite task {task!r}; choose from cifar10")
        return SuiteConfig(input_shape=(3, 32, 32), num_classes=10, width=128, cells=3, task=None)

    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None):
        from .network import NB101Network

        return NB101Network(self.spec(arch), dim=dim, in_channels=in_channels, num_classes=num_classes,
                            width=width, cells_per_stack=cells)


def _grown(arch: Arch) -> list[Arch]:
    """Canonical tuples of ``arch`` (canonical) with one vertex added: for every op and ordered pair
    (u, w) of live vertices, u not the output, w not the input, no path from w to u, a new vertex
    x with edges u -> x -> w. The result is pruned already (x lies on an input-output path), so it
    is canonicalised without pruning; its vertices are renumbered in a topological order."""
    spec = compact_spec(arch)
    n = spec.num_vertices
    if n >= NUM_VERTICES or len(spec.edges) + 2 > MAX_EDGES:
        return []
    succ: list[list[int]] = [[] for _ in range(n)]
    for i, j in spec.edges:
        succ[i].append(j)
    reach = [0] * n  # bit v of reach[i]: v is reachable from i (i itself included)
    for i in range(n - 1, -1, -1):
        bits = 1 << i
        for j in succ[i]:
            bits |= reach[j]
        reach[i] = bits
    out: dict[Arch, None] = {}
    for u in range(n - 1):
        for w in range(1, n):
            if u == w or reach[w] >> u & 1:
                continue
            order = _topological(n, spec.edges, u, w)
            where = {v: k for k, v in enumerate(order)}
            edges = frozenset((where[i], where[j]) for i, j in spec.edges) | {(where[u], where[n]), (where[n], where[w])}
            for op in OPS:
                ops = tuple(op if v == n else spec.ops[v - 1] for v in order[1:-1])
                out.setdefault(_canonical_of_pruned(Spec(edges, ops)))
    return list(out)


def _topological(n: int, edges: frozenset[tuple[int, int]], u: int, w: int) -> list[int]:
    """A topological order of the ``n``-vertex DAG ``edges`` plus vertex ``n`` with edges u -> n -> w
    (ordered so the input stays first and the output last: the only source and sink)."""
    if u < w:  # the current numbering is topological: put the new vertex right after u
        return [*range(u + 1), n, *range(u + 1, n)]
    succ: list[list[int]] = [[] for _ in range(n + 1)]
    indegree = [0] * (n + 1)
    for i, j in (*edges, (u, n), (n, w)):
        succ[i].append(j)
        indegree[j] += 1
    ready = [v for v in range(n + 1) if not indegree[v]]
    order: list[int] = []
    while ready:
        v = min(ready)
        ready.remove(v)
        order.append(v)
        for j in succ[v]:
            indegree[j] -= 1
            if not indegree[j]:
                ready.append(j)
    assert len(order) == n + 1 and order[0] == 0 and order[-1] == n - 1
    return order


@lru_cache(maxsize=1 << 12)
def _neighbours(arch: Arch) -> tuple[Arch, ...]:
    """:meth:`NB101Space.neighbours` of a canonical tuple (cached: searches revisit parents)."""
    out = dict.fromkeys(Space._changes(SPACE, arch))
    out.update(dict.fromkeys(_grown(arch)))
    out.pop(arch, None)
    return tuple(out)


SPACE = NB101Space()
