"""Aging (regularized) evolution, Real et al. 2019: tournament selection, one-edge mutation, the
oldest member dies."""
from __future__ import annotations

from collections import deque

import numpy as np

from ..objective import SearchResult, Tracker
from ..space import Arch, SearchSpace
from .base import SearchAlgorithm, positive, register


@register("aging")
class AgingEvolution(SearchAlgorithm):
    """Population ``population`` of random architectures; each cycle samples ``tournament`` members,
    mutates one edge of the best of them, adds the child and removes the oldest member. Stops after
    ``budget`` distinct evaluations; returns the best architecture evaluated.

    The mutation is redrawn while it gives an architecture this run already evaluated (a uniform
    draw among the parent's unevaluated neighbours), so cycles spend the budget on new networks;
    when every neighbour is known the child is a known one (free). ``max_cycles_factor * budget``
    cycles bound the run.
    """

    default_budget = 3000

    def __init__(self, *, budget: int | None = None, seed: int = 0, population: int = 100, tournament: int = 10,
                 max_cycles_factor: int = 5) -> None:
        super().__init__(budget=budget, seed=seed)
        self.population = population
        self.tournament = tournament
        self.max_cycles_factor = max_cycles_factor

    def validate(self) -> None:
        super().validate()
        positive(self.name, population=self.population, tournament=self.tournament)
        if self.tournament > self.population:
            raise ValueError(f"aging: tournament ({self.tournament}) must not exceed population ({self.population})")

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        space = tracker.space
        members: deque = deque()
        while len(members) < self.population and tracker.remaining > 0:
            arch = space.sample(rng)
            members.append((arch, tracker(arch)))
        cycles = 0
        while tracker.remaining > 0 and cycles < self.max_cycles_factor * tracker.budget:
            picks = rng.choice(len(members), size=min(self.tournament, len(members)), replace=False)
            parent = max((members[i] for i in picks), key=lambda m: m[1])[0]
            child = self._child(space, parent, tracker, rng)
            members.append((child, tracker(child)))
            members.popleft()
            cycles += 1
        return tracker.result()

    @staticmethod
    def _child(space: SearchSpace, parent: Arch, tracker: Tracker, rng: np.random.Generator) -> Arch:
        """A one-edge mutation of ``parent``, unevaluated by this run when one exists."""
        fresh = [arch for arch in space.neighbours(parent) if arch not in tracker.values]
        return fresh[int(rng.integers(len(fresh)))] if fresh else space.mutate(parent, rng)
