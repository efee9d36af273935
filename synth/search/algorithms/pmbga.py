"""Probabilistic-model building genetic algorithm (the TEACUP set-up): a Dirichlet-categorical model
of every edge's op, refitted to the architectures that beat the recent mean."""
from __future__ import annotations

from collections import deque

import numpy as np

from ..objective import SearchResult, Tracker
from ..space import Arch, SearchSpace
from .base import SearchAlgorithm, evaluate_all, percentile_rewards, positive, register


def posterior(space: SearchSpace, elite: list[Arch], prior: float) -> list[np.ndarray]:
    """Dirichlet parameters per edge: ``prior`` plus the count of each op among ``elite``."""
    alpha = [np.full(len(c), prior) for c in space.choices]
    for arch in elite:
        for edge, k in enumerate(arch):
            alpha[edge][k] += 1
    return alpha


def sample_posterior(alpha: list[np.ndarray], n: int, rng: np.random.Generator) -> list[Arch]:
    """``n`` architectures: per edge, op probabilities drawn from Dirichlet(alpha), then an op from them."""
    picks = np.empty((n, len(alpha)), dtype=np.int64)
    for edge, a in enumerate(alpha):
        probs = np.cumsum(rng.dirichlet(a, size=n), axis=1)
        probs[:, -1] = 1.0
        picks[:, edge] = (rng.random(n)[:, None] >= probs).sum(axis=1)
    return [tuple(int(k) for k in row) for row in picks]


@register("pmbga")
class PMBGA(SearchAlgorithm):
    """Population of ``initial`` random architectures; each iteration samples ``samples`` new ones
    from the posterior, adds them and removes the ``samples`` oldest. The posterior (Dirichlet(
    ``prior``) + counts, i.e. alpha_k = count_k + 1) is refitted on the population members whose
    reward exceeds the mean reward of the last ``buffer`` sampled sets (the initial population is
    the first set). Reward = the metric rank-normalised among the architectures evaluated so far
    (share <= it, in [0, 1]), recomputed at every update so all rewards compare on one scale.
    Stops after ``iterations``, after ``patience`` iterations without a higher population mean
    reward, or when the budget is spent; returns the best architecture of the population.
    """

    def __init__(self, *, budget: int | None = None, seed: int = 0, initial: int = 50, samples: int = 10,
                 buffer: int = 5, prior: float = 1.0, iterations: int = 100, patience: int = 30) -> None:
        super().__init__(budget=budget, seed=seed)
        self.initial = initial
        self.samples = samples
        self.buffer = buffer
        self.prior = prior
        self.iterations = iterations
        self.patience = patience

    def validate(self) -> None:
        super().validate()
        positive(self.name, initial=self.initial, samples=self.samples, buffer=self.buffer, prior=self.prior,
                 iterations=self.iterations, patience=self.patience)

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        space = tracker.space
        start = [space.sample(rng) for _ in range(self.initial)]
        population = deque(zip(start, evaluate_all(tracker, start)))
        sets: deque = deque([[v for _, v in population]], maxlen=self.buffer)
        best_mean, stale = -np.inf, 0
        for _ in range(self.iterations):
            if tracker.remaining <= 0:
                break
            seen = np.fromiter(tracker.values.values(), float)
            rewards = percentile_rewards(np.array([v for _, v in population]), seen)
            threshold = percentile_rewards(np.concatenate(sets), seen).mean()
            elite = [arch for (arch, _), r in zip(population, rewards) if r > threshold]
            new = [space.repair(a, rng) for a in sample_posterior(posterior(space, elite, self.prior), self.samples, rng)]
            values = evaluate_all(tracker, new)
            population.extend(zip(new, values))
            for _ in values:
                population.popleft()
            sets.append(values)
            seen = np.fromiter(tracker.values.values(), float)
            mean = float(percentile_rewards(np.array([v for _, v in population]), seen).mean())
            best_mean, stale = (mean, 0) if mean > best_mean else (best_mean, stale + 1)
            if stale >= self.patience:
                break
        return tracker.result(max(population, key=lambda m: m[1])[0])
