"""NAS-Bench-201 cell encodings: official cell strings, the suite's 6-tuple keys, sampling.

A cell has 4 nodes and 6 edges. The official string lists the edges in the order
(1<-0), (2<-0), (2<-1), (3<-0), (3<-1), (3<-2); the suite's tuple key lists op indices in the
order (1<-0), (2<-0), (3<-0), (2<-1), (3<-1), (3<-2) with its own op numbering.
"""
from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from ..base import ArchError

_TUPLE_KEY = re.compile(r"^[(\[]?\s*((?:-?\d+\s*,\s*)*-?\d+)\s*,?\s*[)\]]?$")
"""A suite tuple key as text: integers separated by commas, optionally in parentheses or brackets."""

OPS: tuple[str, ...] = ("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3")
SUITE_OPS: tuple[str, ...] = ("skip_connect", "none", "nor_conv_3x3", "nor_conv_1x1", "avg_pool_3x3")
EDGES: tuple[tuple[int, int], ...] = ((1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2))
"""Edges (target, source) in the official string order; the canonical order of :class:`Cell`."""
_SUITE_ORDER: tuple[int, ...] = (0, 1, 3, 2, 4, 5)
"""Position in the suite tuple of each edge of :data:`EDGES`."""


@dataclass(frozen=True)
class Cell:
    """One NB201 cell: the op name on each edge, in :data:`EDGES` order."""

    ops: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.ops) != 6 or any(op not in OPS for op in self.ops):
            raise ArchError(f"a NB201 cell needs 6 ops from {', '.join(OPS)}; got {self.ops}")

    @classmethod
    def parse(cls, key: "str | Sequence[int] | Cell") -> "Cell":
        """Read an official cell string, a suite tuple key (text or sequence) or a Cell."""
        if isinstance(key, Cell):
            return key
        if isinstance(key, str):
            text = key.strip()
            if text.startswith("|"):
                return cls._from_string(text)
            match = _TUPLE_KEY.match(text) if len(text) <= 200 else None
            if not match:
                shown = text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"
                raise ArchError(f"not a NB201 architecture: {shown!r} (expected a cell string "
                                "'|op~0|+|op~0|op~1|+|op~0|op~1|op~2|' or a tuple key like '(0, 1, 2, 3, 4, 0)')")
            key = [int(i) for i in re.findall(r"-?\d+", match.group(1))]
        return cls._from_tuple(key)

    @classmethod
    def _from_string(cls, text: str) -> "Cell":
        nodes = text.split("+")
        ops: list[str] = []
        if len(nodes) != 3:
            raise ArchError(f"not a NB201 cell string (needs 3 nodes joined by '+'): {text!r}")
        for target, node in enumerate(nodes, start=1):
            parts = [p for p in node.strip().strip("|").split("|")]
            if len(parts) != target:
                raise ArchError(f"node {target} of {text!r} needs {target} inputs, got {len(parts)}")
            for source, part in enumerate(parts):
                op, _, src = part.partition("~")
                if src != str(source) or op not in OPS:
                    raise ArchError(f"bad edge {part!r} in {text!r}: expected '<op>~{source}' with op in {', '.join(OPS)}")
                ops.append(op)
        return cls(tuple(ops))

    @classmethod
    def _from_tuple(cls, key: object) -> "Cell":
        if not isinstance(key, (tuple, list)) or len(key) != 6 or not all(
                isinstance(i, int) and 0 <= i < len(SUITE_OPS) for i in key):
            raise ArchError(f"not a NB201 tuple key: {key!r} (6 op indices 0..4, 0=skip_connect, 1=none, "
                            "2=nor_conv_3x3, 3=nor_conv_1x1, 4=avg_pool_3x3)")
        return cls(tuple(SUITE_OPS[key[pos]] for pos in _SUITE_ORDER))

    def pruned(self) -> "Cell":
        """The same network with every edge that lies on no input-to-output path set to ``none``.

        Such edges (into a node whose value never reaches the output, or out of a node that never
        receives the input) do not change what the cell computes, so cells written differently that
        compute the same function have the same pruned form.
        """
        live = [op != "none" for op in self.ops]
        reached = {0}
        for target in (1, 2, 3):
            if any(live[e] and src in reached for e, (tgt, src) in enumerate(EDGES) if tgt == target):
                reached.add(target)
        feeds = {3}
        for source in (2, 1, 0):
            if any(live[e] and tgt in feeds for e, (tgt, src) in enumerate(EDGES) if src == source):
                feeds.add(source)
        return Cell(tuple(op if live[e] and src in reached and tgt in feeds else "none"
                          for e, ((tgt, src), op) in enumerate(zip(EDGES, self.ops))))

    def to_string(self) -> str:
        """The official cell string, e.g. ``|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|``."""
        it = iter(self.ops)
        nodes = ["|" + "|".join(f"{next(it)}~{s}" for s in range(t)) + "|" for t in (1, 2, 3)]
        return "+".join(nodes)

    def to_tuple(self) -> tuple[int, ...]:
        """The suite's tuple key."""
        by_edge = [SUITE_OPS.index(op) for op in self.ops]
        out = [0] * 6
        for edge, pos in enumerate(_SUITE_ORDER):
            out[pos] = by_edge[edge]
        return tuple(out)

    def __str__(self) -> str:
        return self.to_string()


def all_cells() -> Iterator[Cell]:
    """Every one of the 5^6 = 15,625 cells."""
    for ops in itertools.product(OPS, repeat=6):
        yield Cell(ops)


def random_cells(n: int, seed: int = 0) -> list[Cell]:
    """``n`` distinct cells drawn uniformly without replacement (``n`` <= 15,625)."""
    total = len(OPS) ** 6
    if not 0 < n <= total:
        raise ArchError(f"random:N needs 1 <= N <= {total}; got {n}")
    picks = random.Random(seed).sample(range(total), n)
    return [Cell(tuple(OPS[(i // len(OPS) ** (5 - e)) % len(OPS)] for e in range(6))) for i in picks]
