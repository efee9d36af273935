"""Fitness of GP trees: Kendall tau per problem on the training rows, and the paper's Eq. 1.

:class:`TrainingData` holds the training rows of every problem stacked in one feature matrix, so each
operator is one numpy call over all problems at once. :class:`TreeEvaluator` interns every subtree as
an integer id (equal subtrees share one id across individuals and runs), caches subtree values in a
bounded LRU (128 MiB: joblib's loky restarts a worker whose memory grows by 300 MB as leaking) and
caches taus both by tree and by the tree's output vector, so a tree that another
tree already computed (``neg(neg(x))``, hoisted copies, re-created individuals) costs no tau at all.

Missing proxies: problems may hold different proxies (``TrainingData.available``). A tree is scored
only on the problems that have every proxy it reads; elsewhere its tau is NaN, and Eq. 1 counts a NaN
as 0, the worst normalised value. So a proxy absent from one problem stays usable on the others, but
a tree pays on every problem where it cannot be computed, which favours metrics a user can compute
on any task.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .kendall import RankedTarget
from .primitives import PRIMITIVES, finalize


@dataclass
class TrainingData:
    """Training rows of all problems: one (features x rows) matrix, and each problem's slice of it."""

    names: tuple[str, ...]
    features: tuple[str, ...]
    matrix: np.ndarray
    bounds: tuple[tuple[int, int], ...]
    targets: tuple[np.ndarray, ...]
    available: np.ndarray | None = None
    """(problems x features) bool: which problem has which proxy (default: all have all)."""
    spaces: tuple[str, ...] | None = None
    """Each problem's search space (default: each problem its own), for ``balance="space"``."""
    fingerprint: str = field(init=False)

    def __post_init__(self) -> None:
        self.matrix = np.ascontiguousarray(self.matrix, dtype=float)
        if self.available is None:
            self.available = np.ones((len(self.names), len(self.features)), dtype=bool)
        self.available = np.asarray(self.available, dtype=bool)
        self.spaces = tuple(self.spaces) if self.spaces is not None else self.names
        digest = hashlib.sha256(self.matrix.tobytes())
        digest.update(self.available.tobytes())
        for target in self.targets:
            digest.update(np.ascontiguousarray(target, dtype=float).tobytes())
        digest.update(repr((self.names, self.features, self.bounds, self.spaces)).encode())
        self.fingerprint = digest.hexdigest()

    @classmethod
    def stack(cls, names: Sequence[str], features: Sequence[str], blocks: Sequence[np.ndarray],
              targets: Sequence[np.ndarray], available: np.ndarray | None = None,
              spaces: Sequence[str] | None = None) -> "TrainingData":
        """Stack per-problem (rows x features) blocks (NaN where a problem lacks a feature) into one set."""
        edges = np.cumsum([0] + [len(b) for b in blocks])
        return cls(names=tuple(names), features=tuple(features),
                   matrix=np.concatenate(blocks, axis=0).T,
                   bounds=tuple((int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])),
                   targets=tuple(np.asarray(t, dtype=float) for t in targets), available=available,
                   spaces=tuple(spaces) if spaces is not None else None)

    def subset(self, keep: Sequence[int]) -> "TrainingData":
        """The same data restricted to the problems at indices ``keep`` (in that order)."""
        blocks = [self.matrix[:, a:b].T for a, b in (self.bounds[i] for i in keep)]
        return TrainingData.stack([self.names[i] for i in keep], self.features, blocks,
                                  [self.targets[i] for i in keep], self.available[list(keep)],
                                  [self.spaces[i] for i in keep])

    def weights(self, balance: str) -> np.ndarray:
        """Each problem's weight in Eq. 1 (mean 1): all 1 for ``"problem"``; for ``"space"``, every
        search space weighs the same in total, however many of its problems train."""
        n = len(self.names)
        if balance == "problem":
            return np.ones(n)
        counts = {s: self.spaces.count(s) for s in set(self.spaces)}
        return np.array([n / (len(counts) * counts[s]) for s in self.spaces])


def normalized_parts(taus: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Each problem's (tau - tau_min) / (tau_max - tau_min) in [0, 1]; 0 for a problem with no spread
    and for a NaN tau (the tree cannot be computed there: the worst value)."""
    spread = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    ok = np.isfinite(spread) & (spread > 0)
    safe = np.where(ok, spread, 1.0)
    base = np.where(np.isfinite(low), low, 0.0)
    with np.errstate(invalid="ignore"):
        parts = np.where(ok, (np.asarray(taus, dtype=float) - base) / safe, 0.0)
    return np.nan_to_num(parts, nan=0.0)


def normalized_score(taus: np.ndarray, low: np.ndarray, high: np.ndarray, worst_weight: float = 0.0,
                     weights: np.ndarray | None = None) -> np.ndarray:
    """Eq. 1: sum over problems of the :func:`normalized_parts` (each times its weight, when
    ``weights`` are given: :meth:`TrainingData.weights`); with ``worst_weight`` w > 0, plus
    w * problems * the smallest part, so a tree that ranks one training problem badly pays for it
    beside its total (0 = the paper's Eq. 1).

    ``taus`` is (problems,) or (individuals, problems); returns a scalar or one score per individual.
    """
    parts = normalized_parts(taus, low, high)
    score = (parts if weights is None else parts * weights).sum(axis=-1)
    if worst_weight:
        score = score + worst_weight * parts.shape[-1] * parts.min(axis=-1)
    return score


class TreeEvaluator:
    """Taus of DEAP prefix trees on :class:`TrainingData`, with shared-subtree and result caching."""

    def __init__(self, data: TrainingData, cache_bytes: int = 128 * 2**20):
        self.data = data
        self.columns = {name: data.matrix[i] for i, name in enumerate(data.features)}
        self.ranked = [RankedTarget(t) for t in data.targets]
        self._ids: dict[tuple, int] = {}
        self._nodes: list[tuple] = []
        self._masks: list[int] = []
        self._feature_bit = {name: 1 << i for i, name in enumerate(data.features)}
        self._problem_masks = [sum(1 << i for i, ok in enumerate(row) if ok) for row in data.available]
        self._values: OrderedDict[int, np.ndarray] = OrderedDict()
        self._max_values = max(16, cache_bytes // max(1, data.matrix.shape[1] * 8))
        self._taus_by_tree: dict[int, np.ndarray] = {}
        self._taus_by_output: dict[int, np.ndarray] = {}
        self.tau_computations = 0

    def intern(self, tree: Sequence) -> int:
        """Integer id of a prefix tree; equal (sub)trees get equal ids."""
        stack: list[int] = []
        for node in reversed(tree):
            key = (node.name, *[stack.pop() for _ in range(node.arity)]) if node.arity else (node.value,)
            node_id = self._ids.get(key)
            if node_id is None:
                node_id = self._ids[key] = len(self._nodes)
                self._nodes.append(key)
                mask = self._feature_bit.get(key[0], 0) if len(key) == 1 else 0
                for child in key[1:]:
                    mask |= self._masks[child]
                self._masks.append(mask)
            stack.append(node_id)
        return stack[0]

    def covered(self, tree_id: int) -> list[bool]:
        """Per problem: does it hold every proxy the tree reads?"""
        mask = self._masks[tree_id]
        return [mask & ~problem == 0 for problem in self._problem_masks]

    def _value(self, node_id: int) -> np.ndarray:
        value = self._values.get(node_id)
        if value is not None:
            self._values.move_to_end(node_id)
            return value
        name, *children = self._nodes[node_id]
        if not children:
            return self.columns[name]
        value = PRIMITIVES[name].apply(np, *[self._value(c) for c in children])
        self._values[node_id] = value
        if len(self._values) > self._max_values:
            self._values.popitem(last=False)
        return value

    def output(self, tree: Sequence) -> np.ndarray:
        """Finalized values of ``tree`` on every training row."""
        with np.errstate(all="ignore"):
            return finalize(np, self._value(self.intern(tree)))

    def taus(self, tree: Sequence) -> np.ndarray:
        """Kendall tau of ``tree`` on each problem's training rows (0 where the output is constant, NaN
        where the problem lacks a proxy the tree reads)."""
        tree_id = self.intern(tree)
        taus = self._taus_by_tree.get(tree_id)
        if taus is not None:
            return taus
        with np.errstate(all="ignore"):
            values = finalize(np, self._value(tree_id))
        covered = self.covered(tree_id)
        key = hash((values.tobytes(), tuple(covered)))
        taus = self._taus_by_output.get(key)
        if taus is None:
            taus = np.array([np.nan_to_num(ranked.tau(values[a:b]), nan=0.0) if ok else np.nan
                             for ranked, (a, b), ok in zip(self.ranked, self.data.bounds, covered)])
            self._taus_by_output[key] = taus
            self.tau_computations += 1
        self._taus_by_tree[tree_id] = taus
        return taus


_EVALUATORS: dict[str, TreeEvaluator] = {}


def evaluator_for(data: TrainingData) -> TreeEvaluator:
    """The process-wide evaluator of ``data``: runs in one worker share its caches (pure, so safe).

    Only the latest is kept (its value cache is large); jobs whose runs train on different subsets of
    the problems hand them out grouped by subset."""
    evaluator = _EVALUATORS.get(data.fingerprint)
    if evaluator is None:
        _EVALUATORS.clear()
        evaluator = _EVALUATORS[data.fingerprint] = TreeEvaluator(data)
    return evaluator
