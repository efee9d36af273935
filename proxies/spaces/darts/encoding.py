"""DARTS (NAS-Bench-301) cell encodings: the suite's keys, DARTS genotypes and choice tuples.

A genotype has a normal and a reduction cell. Each cell has 4 intermediate nodes; node k
(0..3) sums two ops applied to two distinct earlier nodes, numbered 0 = c_{k-2} (the output of the
cell before the previous one), 1 = c_{k-1} (the previous cell's output), 2.. = intermediate nodes
0.. of the same cell. The cell's output concatenates the 4 intermediate nodes.

The suite's key lists 8 (input, op) pairs per cell, two per node in node order, normal cell first:
``[[(0, 0), (1, 5), ...], [...]]``, with op indices into :data:`OPS` (NASLib's compact encoding).
A choice tuple flattens the same pairs to 32 ints (input, op, input, op, ...). The canonical form
sorts the two pairs of each node, since a node's sum does not depend on their order.
"""
from __future__ import annotations

import ast
import math
import operator
import re
from typing import Sequence

from ..base import ArchError

OPS: tuple[str, ...] = ("max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
                        "dil_conv_3x3", "dil_conv_5x5")
"""The suite's op numbering (NASLib ``convert_genotype_to_compact``)."""
CELL_TYPES: tuple[str, ...] = ("normal", "reduce")
NODES = 4
SLOTS = 2 * NODES
"""(input, op) pairs per cell."""
INPUT_NAMES: tuple[str, ...] = ("c_{k-2}", "c_{k-1}", "node0", "node1", "node2")
"""Name of each input index (intermediate node 3 feeds no node, only the output)."""

Pair = tuple[int, int]
Cells = tuple[tuple[Pair, ...], tuple[Pair, ...]]
"""Normal then reduction cell, each 8 (input, op) pairs."""

CHOICES: tuple[tuple[str, ...], ...] = tuple(
    options for _ in CELL_TYPES for slot in range(SLOTS) for options in (INPUT_NAMES[:slot // 2 + 2], OPS))
"""Options of the 32 choice positions: per cell, per slot, the input (the k + 2 nodes before node
k = slot // 2) then the op."""

SIZE: int = math.prod(math.comb(k + 2, 2) * len(OPS) ** 2 for k in range(NODES)) ** len(CELL_TYPES)
"""Distinct canonical genotypes: per node an unordered pair of distinct inputs, an op for each."""

_MAX_TEXT = 4000
_GENOTYPE_CELL = re.compile(r"\b(normal|reduce)\s*=\s*\[([^\]]*)\]")
_GENOTYPE_PAIR = re.compile(r"\(\s*['\"](\w+)['\"]\s*,\s*(\d+)\s*\)")


def _shown(key: object) -> str:
    text = str(key)
    return repr(text) if len(text) <= 80 else repr(f"{text[:60]}... ({len(text)} characters)")


def check_cells(cells: object) -> Cells:
    """``cells`` (two sequences of 8 (input, op) pairs) as tuples of ints, checked: inputs of node k
    in 0..k+1 and distinct, ops in 0..6; :class:`ArchError` naming the first problem."""
    if not isinstance(cells, (list, tuple)) or len(cells) != len(CELL_TYPES):
        raise ArchError(f"not a DARTS architecture: {_shown(cells)} (needs a normal and a reduction cell "
                        "of 8 (input, op) pairs each)")
    out = []
    for cell_type, cell in zip(CELL_TYPES, cells):
        if not isinstance(cell, (list, tuple)) or len(cell) != SLOTS:
            size = len(cell) if isinstance(cell, (list, tuple)) else "no"
            raise ArchError(f"the DARTS {cell_type} cell needs {SLOTS} (input, op) pairs, got {size}: {_shown(cell)}")
        pairs = []
        for slot, pair in enumerate(cell):
            try:
                if isinstance(pair, (str, bytes)) or len(pair) != 2 or any(isinstance(v, bool) for v in pair):
                    raise TypeError
                node, op = (operator.index(v) for v in pair)
            except TypeError:
                raise ArchError(f"not an (input, op) pair in the {cell_type} cell: {_shown(pair)}") from None
            if not 0 <= node < slot // 2 + 2:
                raise ArchError(f"input {node} of node {slot // 2} of the {cell_type} cell is out of range "
                                f"(0..{slot // 2 + 1}: c_{{k-2}}, c_{{k-1}}, earlier nodes)")
            if not 0 <= op < len(OPS):
                raise ArchError(f"op {op} in the {cell_type} cell is out of range (0..{len(OPS) - 1}: {', '.join(OPS)})")
            pairs.append((node, op))
        for k in range(NODES):
            if pairs[2 * k][0] == pairs[2 * k + 1][0]:
                raise ArchError(f"node {k} of the {cell_type} cell takes input {pairs[2 * k][0]} twice "
                                "(a DARTS node needs two distinct inputs)")
        out.append(tuple(pairs))
    return out[0], out[1]


def canonical_cells(cells: object) -> Cells:
    """The checked cells with the two pairs of every node in ascending order."""
    checked = check_cells(cells)
    return tuple(tuple(p for k in range(NODES) for p in sorted(cell[2 * k:2 * k + 2])) for cell in checked)  # type: ignore[return-value]


def cells_from_choices(choices: Sequence[int]) -> Cells:
    """The cells of a 32-int choice tuple (not checked)."""
    flat = list(choices)
    half = 2 * SLOTS
    return tuple(tuple((flat[c * half + 2 * s], flat[c * half + 2 * s + 1]) for s in range(SLOTS))
                 for c in range(len(CELL_TYPES)))  # type: ignore[return-value]


def choices_from_cells(cells: Cells) -> tuple[int, ...]:
    """The 32-int choice tuple of the cells."""
    return tuple(v for cell in cells for pair in cell for v in pair)


def parse_text(text: str) -> object:
    """The structure a key text spells: a suite key ``[[(0, 0), ...], [...]]`` (or the archs files'
    ``(((0, 6), ...), (...))``), a flat list of 32 ints, or a DARTS ``Genotype(normal=[...], ...,
    reduce=[...], ...)`` string (returned as cells)."""
    text = text.strip()
    if len(text) > _MAX_TEXT:
        raise ArchError(f"not a DARTS architecture: {_shown(text)} (too long)")
    if text.startswith("Genotype"):
        return genotype_cells(text)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ArchError(f"not a DARTS architecture: {_shown(text)} (expected a suite key like "
                        "'[[(0, 0), (1, 5), ...8 pairs], [...8 pairs]]' or a Genotype(...) string)") from None
    return value


def key_text(cells: Cells) -> str:
    """The suite's key text of (checked) cells: ``[[(0, 0), (1, 5), ...], [...]]``."""
    return str([list(cell) for cell in cells])


def to_genotype(arch: "Sequence[int] | Cells") -> dict[str, list[tuple[str, int]]]:
    """The DARTS genotype of an architecture (a 32-int choice tuple, or cells):
    ``{"normal": [(op_name, input), ...], "reduce": [...]}``."""
    cells = check_cells(arch if len(arch) == len(CELL_TYPES) else cells_from_choices(arch))
    return {cell_type: [(OPS[op], node) for node, op in cell] for cell_type, cell in zip(CELL_TYPES, cells)}


def from_genotype(genotype: object) -> tuple[int, ...]:
    """The canonical choice tuple of a genotype (see :func:`genotype_cells`)."""
    return choices_from_cells(canonical_cells(genotype_cells(genotype)))


def genotype_cells(genotype: object) -> Cells:
    """The (checked, not sorted) cells of a genotype: a dict or an object with ``normal`` and
    ``reduce`` lists of (op_name, input) (DARTS' ``Genotype`` namedtuple), or its text form."""
    if isinstance(genotype, str):
        found = dict((name, _GENOTYPE_PAIR.findall(body)) for name, body in _GENOTYPE_CELL.findall(genotype))
        if set(found) != set(CELL_TYPES):
            raise ArchError(f"not a DARTS Genotype string: {_shown(genotype)} (needs normal=[...] and reduce=[...])")
        genotype = {name: [(op, int(node)) for op, node in pairs] for name, pairs in found.items()}
    if isinstance(genotype, dict):
        lists = [genotype.get(name) for name in CELL_TYPES]
    else:
        lists = [getattr(genotype, name, None) for name in CELL_TYPES]
    cells = []
    for name, cell in zip(CELL_TYPES, lists):
        if not isinstance(cell, (list, tuple)):
            raise ArchError(f"not a DARTS genotype: {_shown(genotype)} (needs {name!r}: [(op_name, input), ...])")
        pairs = []
        for item in cell:
            if not isinstance(item, (list, tuple)) or len(item) != 2 or item[0] not in OPS:
                raise ArchError(f"not a (op_name, input) pair of a DARTS genotype: {_shown(item)} "
                                f"(ops: {', '.join(OPS)})")
            pairs.append((item[1], OPS.index(item[0])))
        cells.append(pairs)
    return check_cells(cells)


def genotype_string(cells: Cells) -> str:
    """The cells in DARTS' ``Genotype(...)`` text form."""
    g = to_genotype(cells)
    return (f"Genotype(normal={g['normal']}, normal_concat=[2, 3, 4, 5], "
            f"reduce={g['reduce']}, reduce_concat=[2, 3, 4, 5])")
