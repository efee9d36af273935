"""NAS-Bench-101 cell encodings: suite keys, choice tuples, pruning and the canonical vertex order.

A cell is a DAG of at most 7 vertices: vertex 0 is the input, the last vertex the output, and each
interior vertex applies one of :data:`OPS`. The suite key (NASLib's ``convert_spec_to_tuple``) is
the adjacency matrix row by row followed by one op code per vertex (:data:`SUITE_CODES`); the suite
stores the sampled 7x7 matrices as drawn, before pruning, so keys often hold dead vertices and more
than 9 edges. As in nasbench's ``ModelSpec``/``is_valid``, a graph is valid when the output is
reachable from the input and the pruned graph (vertices on an input-to-output path) has at most
:data:`MAX_EDGES` edges.

A choice tuple is the 21 upper-triangular edge bits of a 7x7 matrix (:data:`EDGES` order) then the
op index of vertices 1..5. The canonical tuple holds the pruned graph with its live interior
vertices first (1..k), the output at vertex 6, the unused vertices without edges and with op 0,
and, among all vertex orders that keep the matrix upper-triangular, the lexicographically smallest
tuple: isomorphic graphs get one tuple.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..base import ArchError

NUM_VERTICES = 7
MAX_EDGES = 9
OPS: tuple[str, ...] = ("conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3")
"""Interior op names, in nasbench's ``available_ops`` order (choice indices)."""
SUITE_CODES: dict[str, int] = {"input": 0, "output": 1, "maxpool3x3": 2, "conv1x1-bn-relu": 3, "conv3x3-bn-relu": 4}
"""Op code of each vertex label in suite keys (NASLib's ``all_ops`` order)."""
_CODE_OPS = {code: op for op, code in SUITE_CODES.items()}
EDGES: tuple[tuple[int, int], ...] = tuple(itertools.combinations(range(NUM_VERTICES), 2))
"""The 21 (source, target) pairs of a 7x7 upper-triangular matrix, row by row."""
NUM_CHOICES = len(EDGES) + NUM_VERTICES - 2
_INTS = re.compile(r"^[(\[]?\s*((?:-?\d+\s*,\s*)*-?\d+)\s*,?\s*[)\]]?$")


@dataclass(frozen=True)
class Spec:
    """A cell graph of ``len(ops) + 2`` vertices: edges (source, target) with source < target, and the
    op name of each interior vertex (vertex 0 is the input, the last vertex the output)."""

    edges: frozenset[tuple[int, int]]
    ops: tuple[str, ...]

    @property
    def num_vertices(self) -> int:
        return len(self.ops) + 2

    def matrix(self) -> list[list[int]]:
        """The adjacency matrix (``matrix[i][j] = 1`` for an edge i -> j)."""
        n = self.num_vertices
        return [[int((i, j) in self.edges) for j in range(n)] for i in range(n)]

    def labels(self) -> list[str]:
        """Every vertex's label: ``input``, the interior ops, ``output``."""
        return ["input", *self.ops, "output"]

    def pruned(self) -> "Spec":
        """The graph restricted to vertices on an input-to-output path (what nasbench builds and
        counts); :class:`ArchError` when the output is unreachable or more than 9 edges remain."""
        n = self.num_vertices
        ahead = {0}
        for j in range(1, n):
            if any((i, j) in self.edges for i in ahead):
                ahead.add(j)
        if n - 1 not in ahead:
            raise ArchError("invalid NB101 cell: the output is not reachable from the input")
        behind = {n - 1}
        for i in range(n - 2, -1, -1):
            if any((i, j) in self.edges for j in behind):
                behind.add(i)
        live = sorted(ahead & behind)
        index = {v: k for k, v in enumerate(live)}
        edges = frozenset((index[i], index[j]) for i, j in self.edges if i in index and j in index)
        if len(edges) > MAX_EDGES:
            raise ArchError(f"invalid NB101 cell: {len(edges)} edges after pruning (at most {MAX_EDGES})")
        return Spec(edges, tuple(self.ops[v - 1] for v in live[1:-1]))


def spec_from_choices(arch: Sequence[int]) -> Spec:
    """The 7-vertex graph of a (range-checked) choice tuple, as written (not pruned)."""
    edges = frozenset(e for e, bit in zip(EDGES, arch) if bit)
    return Spec(edges, tuple(OPS[k] for k in arch[len(EDGES):]))


def _place(spec: Spec, order: Sequence[int]) -> tuple[int, ...]:
    """The choice tuple of a pruned ``spec`` with interior vertex ``order[p]`` at position p + 1."""
    n = spec.num_vertices
    where = {0: 0, n - 1: NUM_VERTICES - 1}
    where.update({v: p + 1 for p, v in enumerate(order)})
    placed = {(where[i], where[j]) for i, j in spec.edges}
    ops = [OPS.index(spec.ops[v - 1]) for v in order] + [0] * (NUM_VERTICES - n)
    return tuple(int(e in placed) for e in EDGES) + tuple(ops)


def canonical_choices(spec: Spec) -> tuple[int, ...]:
    """The canonical choice tuple of ``spec`` (pruned, then the smallest tuple over every
    topological order of its interior vertices); :class:`ArchError` when invalid."""
    live = spec.pruned()
    return _canonical_of_pruned(live)


@lru_cache(maxsize=1 << 16)
def _canonical_of_pruned(spec: Spec) -> tuple[int, ...]:
    interior = range(1, spec.num_vertices - 1)
    best: tuple[int, ...] | None = None
    for order in itertools.permutations(interior):
        rank = {v: p for p, v in enumerate(order)}
        if all(rank[i] < rank[j] for i, j in spec.edges if i in rank and j in rank):
            placed = _place(spec, order)
            if best is None or placed < best:
                best = placed
    assert best is not None
    return best


def compact_spec(arch: Sequence[int]) -> Spec:
    """The pruned graph of a canonical choice tuple (its live vertices only)."""
    return spec_from_choices(arch).pruned()


def suite_key(arch: Sequence[int]) -> str:
    """The suite's 56-int key of a canonical choice tuple: the full 7x7 matrix, unused vertices
    without edges and labelled conv3x3 (as NASLib pads pruned specs)."""
    spec = spec_from_choices(arch)
    codes = [SUITE_CODES["input"], *(SUITE_CODES[op] for op in spec.ops), SUITE_CODES["output"]]
    return str(tuple(bit for row in spec.matrix() for bit in row) + tuple(codes))


def _shown(key: object) -> str:
    text = repr(key)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


def spec_from_ints(values: Sequence[int]) -> Spec:
    """The graph of a suite-format key: an n x n matrix row by row then n op codes (n = 3..7; not 2,
    whose 6 ints would read other spaces' 6-tuple keys as the bare input-output cell)."""
    n = (math.isqrt(4 * len(values) + 1) - 1) // 2
    if not 3 <= n <= NUM_VERTICES or n * n + n != len(values):
        raise ArchError(f"not a NB101 key: {_shown(values)} (expected 56 ints: a 7x7 adjacency matrix "
                        "row by row, then 7 op codes 0=input 1=output 2=maxpool3x3 3=conv1x1 4=conv3x3)")
    matrix, codes = values[:n * n], values[n * n:]
    if any(v not in (0, 1) for v in matrix):
        raise ArchError(f"not a NB101 key: {_shown(values)} (adjacency entries must be 0 or 1)")
    edges = frozenset((k // n, k % n) for k, v in enumerate(matrix) if v)
    if any(i >= j for i, j in edges):
        raise ArchError(f"not a NB101 key: {_shown(values)} (the adjacency matrix must be strictly upper-triangular)")
    if codes[0] != SUITE_CODES["input"] or codes[-1] != SUITE_CODES["output"] or any(
            c not in (2, 3, 4) for c in codes[1:-1]):
        raise ArchError(f"not a NB101 key: {_shown(values)} (op codes must be 0 (input), then 2..4 "
                        "(maxpool3x3, conv1x1, conv3x3) for each interior vertex, then 1 (output))")
    return Spec(edges, tuple(_CODE_OPS[c] for c in codes[1:-1]))


def spec_from_names(matrix: Sequence[Sequence[int]], ops: Sequence[str]) -> Spec:
    """The graph of a nasbench ``ModelSpec``-style pair: a square matrix and one label per vertex."""
    if not isinstance(ops, (list, tuple)) or any(op not in SUITE_CODES for op in ops):
        raise ArchError(f"not NB101 ops: {_shown(ops)} (labels: input, {', '.join(OPS)}, output)")
    try:
        flat = [int(v) for row in matrix for v in row]
    except (TypeError, ValueError):
        raise ArchError(f"not a NB101 adjacency matrix: {_shown(matrix)}") from None
    if len(flat) != len(ops) ** 2:
        raise ArchError(f"a NB101 matrix of {len(ops)} vertices needs {len(ops)}x{len(ops)} entries")
    return spec_from_ints(flat + [SUITE_CODES[op] for op in ops])


def ints_from_text(text: str) -> list[int]:
    """The integers of a key written as text (``"(0, 1, ...)"`` or ``"[0, 1, ...]"``)."""
    text = text.strip()
    match = _INTS.match(text) if len(text) <= 1000 else None
    if not match:
        raise ArchError(f"not a NB101 architecture: {_shown(text)} (expected a suite key like "
                        "'(0, 1, 0, ..., 0, 2, 4, 3, 3, 2, 1)': 49 adjacency entries then 7 op codes)")
    return [int(v) for v in re.findall(r"-?\d+", match.group(1))]
