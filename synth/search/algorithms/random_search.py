"""Random search: the baseline every metric-driven search has to beat."""
from __future__ import annotations

import numpy as np

from ..objective import SearchResult, Tracker
from .base import SearchAlgorithm, register


@register("random")
class RandomSearch(SearchAlgorithm):
    """Evaluate ``budget`` distinct architectures drawn uniformly; return the best.

    Draws that repeat an architecture are free and redrawn, up to ``max_draws_factor * budget`` draws
    (so a budget larger than the space still ends).
    """

    default_budget = 1000

    def __init__(self, *, budget: int | None = None, seed: int = 0, max_draws_factor: int = 20) -> None:
        super().__init__(budget=budget, seed=seed)
        self.max_draws_factor = max_draws_factor

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        draws = 0
        limit = self.max_draws_factor * tracker.budget
        while tracker.remaining > 0 and draws < limit:
            tracker(tracker.space.sample(rng))
            draws += 1
        return tracker.result()
