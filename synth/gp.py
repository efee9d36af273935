"""One elitist GP run on DEAP, following "Crafting zero-cost proxy metrics via symbolic regression".

Leaves are proxies only; operators come from :data:`synth.primitives.PRIMITIVES`. Each generation:
binary tournaments pick N parents, variation (one-point crossover, then at most one of subtree,
hoist or point mutation per child, depth-capped) makes N offspring, and binary tournaments over the
2N (population + offspring, each in exactly one pair) keep N, so the best individual always survives.
Scores follow Eq. 1 with per-problem tau bounds that widen as new taus are seen, so stored
individuals are re-scored against the current bounds whenever a selection happens.

DEAP's operators draw from the name ``random`` in :mod:`deap.gp`. A run points that name at its own
seeded ``random.Random`` while it holds a lock, so neither other runs nor other threads of a worker
(Dask's event loop draws from the global :mod:`random` too) can change its draws.
"""
from __future__ import annotations

import functools
import random
import threading
from dataclasses import asdict, dataclass
from typing import Any, Callable, Sequence

import numpy as np
from deap import gp

from .fitness import TrainingData, evaluator_for, normalized_score
from .primitives import PRIMITIVES

_RANDOM_LOCK = threading.Lock()


BALANCES = ("problem", "space")
MAX_TREE_DEPTH = 17
"""Deepest tree allowed (Koza's classic limit; the default is 10): an initial full tree of depth d
has up to 2^d leaves, so depth 40 would hang."""


@dataclass(frozen=True)
class GPConfig:
    """Hyper-parameters of one run (defaults = the paper's)."""

    population: int = 100
    generations: int = 50
    crossover: float = 0.7
    subtree_mutation: float = 0.1
    hoist_mutation: float = 0.5
    point_mutation: float = 0.1
    init_min_depth: int = 2
    init_max_depth: int = 6
    max_depth: int = 10
    worst_weight: float = 0.0
    """Weight of the worst training problem beside Eq. 1 (:func:`~synth.fitness.normalized_score`);
    0 = the paper's fitness, the default: 1 raised leave-one-space-out tau on development seeds
    (0.450 against 0.410) but lowered leave-one-problem-out tau (docs/evolve.md)."""
    balance: str = "problem"
    """What Eq. 1 weighs equally: every training ``"problem"`` (the paper) or every search ``"space"``
    (a space with many problems, e.g. NB201's, no longer outvotes one with a single problem)."""

    def __post_init__(self) -> None:
        if self.population < 2 or self.population % 2:
            raise ValueError(f"population must be an even number >= 2, got {self.population}")
        if self.generations < 0:
            raise ValueError(f"generations must be >= 0, got {self.generations}")
        for name in ("crossover", "subtree_mutation", "hoist_mutation", "point_mutation"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1], got {getattr(self, name)}")
        if self.subtree_mutation + self.hoist_mutation + self.point_mutation > 1.0 + 1e-12:
            raise ValueError("subtree, hoist and point mutation probabilities must sum to at most 1")
        if not 0 <= self.init_min_depth <= self.init_max_depth <= self.max_depth:
            raise ValueError("need 0 <= init_min_depth <= init_max_depth <= max_depth")
        if not (np.isfinite(self.worst_weight) and self.worst_weight >= 0.0):
            raise ValueError(f"worst_weight must be a finite number >= 0, got {self.worst_weight}")
        if self.balance not in BALANCES:
            raise ValueError(f"balance must be one of {', '.join(BALANCES)}, got {self.balance!r}")
        if self.max_depth > MAX_TREE_DEPTH:
            raise ValueError(f"max_depth {self.max_depth} is above {MAX_TREE_DEPTH}: full trees that deep have "
                             "millions of nodes and never finish")

    def to_dict(self) -> dict[str, Any]:
        """The settings; ``worst_weight`` and ``balance`` only when not the paper's (0, ``problem``),
        so the job folders of the paper's fitness keep their signature."""
        out = asdict(self)
        if not self.worst_weight:
            del out["worst_weight"]
        if self.balance == "problem":
            del out["balance"]
        return out


class Tree(gp.PrimitiveTree):
    """A GP individual: a DEAP prefix tree plus its training taus."""

    taus: np.ndarray


def primitive_set(features: Sequence[str]) -> gp.PrimitiveSet:
    """DEAP primitive set: the table's operators, one argument terminal per proxy, no constants."""
    clash = set(features) & set(PRIMITIVES)
    if clash:
        raise ValueError(f"proxy names clash with operator names: {', '.join(sorted(clash))}")
    pset = gp.PrimitiveSet("zc", len(features))
    for primitive in PRIMITIVES.values():
        pset.addPrimitive(primitive.apply, primitive.arity, name=primitive.name)
    pset.renameArguments(**{f"ARG{i}": name for i, name in enumerate(features)})
    return pset


def _hoist(tree: Tree, rng: random.Random) -> Tree:
    """Hoist mutation: a random subtree of a random proper subtree replaces the tree."""
    if len(tree) < 2:
        return tree
    outer = Tree(tree[tree.searchSubtree(rng.randrange(1, len(tree)))])
    return Tree(outer[outer.searchSubtree(rng.randrange(len(outer)))])


def _pair_tournament(scores: np.ndarray, n: int, rng: random.Random) -> list[int]:
    """Indices of n binary-tournament winners; each round shuffles and pairs everyone exactly once."""
    winners: list[int] = []
    while len(winners) < n:
        order = list(range(len(scores)))
        rng.shuffle(order)
        for a, b in zip(order[::2], order[1::2]):
            winners.append(a if scores[a] >= scores[b] else b)
    return winners[:n]


@dataclass
class RunResult:
    """What one run hands back: its winner, tau bounds, history and per-size Pareto fronts."""

    run: int
    seed: int
    winner: str
    winner_taus: list[float]
    low: list[float]
    high: list[float]
    history: list[tuple[float, float]]
    fronts: dict[int, list[tuple[str, list[float]]]]
    evaluations: int
    weights: list[float] | None = None
    """The problems' Eq. 1 weights of the run (None: all 1, the paper's fitness)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fronts"] = {str(k): v for k, v in self.fronts.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunResult":
        data = dict(data)

        def numbers(values: list, missing: float = float("nan")) -> list[float]:
            return [missing if v is None else float(v) for v in values]     # JSON null: a non-finite number
        data["winner_taus"] = numbers(data["winner_taus"])
        data["low"], data["high"] = numbers(data["low"], float("inf")), numbers(data["high"], -float("inf"))
        data["fronts"] = {int(k): [(s, numbers(t)) for s, t in v] for k, v in data["fronts"].items()}
        data["history"] = [tuple(h) for h in data["history"]]
        return cls(**data)


def _pareto(entries: list[tuple[str, np.ndarray]]) -> list[tuple[str, list[float]]]:
    """Entries not dominated on every problem's tau (the only ones Eq. 1 can rank first); a NaN tau
    (not computable there) counts as the worst."""
    taus = np.nan_to_num(np.array([t for _, t in entries], dtype=float), nan=-np.inf)
    keep = []
    for i, t in enumerate(taus):
        dominated = np.any(np.all(taus >= t, axis=1) & np.any(taus > t, axis=1))
        if not dominated:
            keep.append(i)
    return [(entries[i][0], [float(v) for v in entries[i][1]]) for i in keep]


class _Run:
    """State of one run: toolbox, population, Eq.-1 bounds and the archive of every tree seen."""

    def __init__(self, data: TrainingData, config: GPConfig, rng: random.Random):
        self.config = config
        self.rng = rng
        self.evaluator = evaluator_for(data)
        self.pset = primitive_set(data.features)
        self.weights = data.weights(config.balance)
        self.low = np.full(len(data.names), np.inf)
        self.high = np.full(len(data.names), -np.inf)
        self.archive: dict[str, tuple[int, np.ndarray]] = {}
        self.evaluations = 0

    def evaluate(self, tree: Tree) -> Tree:
        tree.taus = self.evaluator.taus(tree)
        self.evaluations += 1
        self.low = np.fmin(self.low, tree.taus)
        self.high = np.fmax(self.high, tree.taus)
        self.archive.setdefault(str(tree), (len(tree), tree.taus))
        return tree

    def scores(self, trees: Sequence[Tree]) -> np.ndarray:
        return normalized_score(np.array([t.taus for t in trees]), self.low, self.high, self.config.worst_weight,
                                self.weights)

    def new_tree(self) -> Tree:
        return Tree(gp.genHalfAndHalf(self.pset, self.config.init_min_depth, self.config.init_max_depth))

    def _mutate(self, tree: Tree) -> Tree | None:
        """A mutated copy of ``tree``, or None when the draw picks no mutation."""
        c, tree = self.config, Tree(tree)
        draw = self.rng.random()
        if draw < c.subtree_mutation:
            return gp.mutUniform(tree, expr=functools.partial(gp.genFull, min_=0, max_=2), pset=self.pset)[0]
        if draw < c.subtree_mutation + c.hoist_mutation:
            return _hoist(tree, self.rng)
        if draw < c.subtree_mutation + c.hoist_mutation + c.point_mutation:
            return gp.mutNodeReplacement(tree, pset=self.pset)[0]
        return None

    def vary(self, parents: list[Tree]) -> list[Tree]:
        """Offspring of parents: crossover on pairs, then one mutation draw per child; depth-capped."""
        children = [Tree(p) for p in parents]
        for child, parent in zip(children, parents):
            child.taus = parent.taus
        changed = [False] * len(children)
        for i in range(0, len(children) - 1, 2):
            if self.rng.random() < self.config.crossover:
                a, b = Tree(children[i]), Tree(children[i + 1])
                gp.cxOnePoint(a, b)
                for j, new in ((i, a), (i + 1, b)):
                    if new.height <= self.config.max_depth:
                        children[j] = new
                        changed[j] = True
        for i, child in enumerate(children):
            mutant = self._mutate(child)
            if mutant is not None and mutant.height <= self.config.max_depth:
                children[i] = mutant
                changed[i] = True
        return [self.evaluate(c) if flag else c for c, flag in zip(children, changed)]

    def step(self, population: list[Tree]) -> list[Tree]:
        n = self.config.population
        parents = [population[i] for i in _pair_tournament(self.scores(population), n, self.rng)]
        pool = population + self.vary(parents)
        return [pool[i] for i in _pair_tournament(self.scores(pool), n, self.rng)]

    def result(self, run: int, seed: int, history: list[tuple[float, float]]) -> RunResult:
        entries = list(self.archive.items())
        taus = np.array([t for _, (_, t) in entries])
        scores = normalized_score(taus, self.low, self.high, self.config.worst_weight, self.weights)
        sizes = np.array([size for _, (size, _) in entries])
        best = min(range(len(entries)), key=lambda i: (-scores[i], sizes[i], i))
        by_size: dict[int, list[tuple[str, np.ndarray]]] = {}
        for text, (size, t) in entries:
            by_size.setdefault(size, []).append((text, t))
        return RunResult(run=run, seed=seed, winner=entries[best][0],
                         winner_taus=[float(v) for v in taus[best]], low=self.low.tolist(),
                         high=self.high.tolist(), history=history,
                         fronts={s: _pareto(e) for s, e in sorted(by_size.items())},
                         evaluations=self.evaluations,
                         weights=None if self.config.balance == "problem" else self.weights.tolist())


def run_gp(data: TrainingData, config: GPConfig, seed: int, run: int = 0,
           on_generation: Callable[[int], None] | None = None) -> RunResult:
    """One seeded GP run; the same (data, config, seed) always gives the same result."""
    rng = random.Random(seed)
    with _RANDOM_LOCK:
        shared = gp.random
        gp.random = rng
        try:
            state_run = _Run(data, config, rng)
            population = [state_run.evaluate(state_run.new_tree()) for _ in range(config.population)]
            history = []
            for generation in range(config.generations + 1):
                if generation:
                    population = state_run.step(population)
                    if on_generation:
                        on_generation(generation)
                scores = state_run.scores(population)
                history.append((float(scores.max()), float(np.median(scores))))
            return state_run.result(run, seed, history)
        finally:
            gp.random = shared
