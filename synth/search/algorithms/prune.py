"""Pruning-by-importance search (TE-NAS style): start from the supernet with every op on every edge
and drop, round after round, the least important op of each edge."""
from __future__ import annotations

import numpy as np

from ..objective import Allowed, SearchResult, Tracker
from .base import SearchAlgorithm, register


def without(allowed: Allowed, edge: int, op: int) -> Allowed:
    """``allowed`` with ``op`` removed from ``edge``."""
    return tuple(tuple(k for k in ops if k != op) if e == edge else ops for e, ops in enumerate(allowed))


def importance_ranks(tracker: Tracker, allowed: Allowed, candidates: list[tuple[int, int]]) -> np.ndarray:
    """Summed, over the criteria, rank of each candidate op's importance (0 = least important).

    The importance of an op for one criterion (higher = better) is how much the supernet's value
    drops when that op is removed.
    """
    base = tracker.supernet(allowed)
    pruned = [tracker.supernet(without(allowed, e, k)) for e, k in candidates]
    total = np.zeros(len(candidates))
    for name, value in base.items():
        drop = np.array([value - scores[name] for scores in pruned])
        drop = np.where(np.isfinite(drop), drop, -np.inf)
        total += np.argsort(np.argsort(drop, kind="stable"), kind="stable")
    return total


@register("prune")
class Prune(SearchAlgorithm):
    """Each round measures, for every op still on an edge with more than one, the change of every
    criterion of the objective's supernet when that op is removed (lookup mode: the mean metric
    percentile over the sub-space's cells; live mode: the metric computed on a real supernet
    module); ranks the changes per criterion, sums the ranks and removes the least important op of
    each edge, until one op per edge is left (4 rounds on NB201: 89 evaluations with the
    final cell).

    A round runs only if the budget covers it and the final cell; when it does not, each edge keeps
    its most important op of the last finished round (a seeded random op before any round).
    """

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        allowed: Allowed = tuple(tuple(range(len(c))) for c in tracker.space.choices)
        ranks: dict[tuple[int, int], float] = {}
        while any(len(ops) > 1 for ops in allowed):
            candidates = [(e, k) for e, ops in enumerate(allowed) if len(ops) > 1 for k in ops]
            if tracker.remaining < len(candidates) + 2:
                break
            ranks = dict(zip(candidates, importance_ranks(tracker, allowed, candidates)))
            for edge, ops in enumerate(allowed):
                if len(ops) > 1:
                    allowed = without(allowed, edge, min(ops, key=lambda k: ranks[(edge, k)]))
        final = tuple(ops[0] if len(ops) == 1 else self._keep(edge, ops, ranks, rng)
                      for edge, ops in enumerate(allowed))
        return tracker.result(final)

    @staticmethod
    def _keep(edge: int, ops: tuple[int, ...], ranks: dict, rng: np.random.Generator) -> int:
        """The op an unfinished edge keeps: the most important one, or a seeded random one."""
        if all((edge, k) in ranks for k in ops):
            return max(ops, key=lambda k: ranks[(edge, k)])
        return int(ops[int(rng.integers(len(ops)))])
