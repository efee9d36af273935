"""REINFORCE over a per-edge categorical policy (the TEACUP set-up)."""
from __future__ import annotations

import numpy as np

from ..objective import SearchResult, Tracker
from .base import SearchAlgorithm, evaluate_all, percentile_rewards, positive, register


def sample_archs(probs: np.ndarray, n: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """``n`` architectures drawn from per-edge categorical ``probs`` (edges, choices)."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative[:, -1] = 1.0
    draws = rng.random((n, probs.shape[0]))
    picks = (draws[:, :, None] >= cumulative[None, :, :]).sum(axis=2)
    return [tuple(int(k) for k in row) for row in picks]


@register("rl")
class Reinforce(SearchAlgorithm):
    """Policy = softmax over learnable logits per edge (torch, Adam ``lr``), ``samples`` per iteration.

    Reward: the metric rank-normalised, i.e. the share of the architectures evaluated so far in
    this run whose metric is <= the sample's (in [0, 1]; not evaluable = 0). Ranks make the
    update independent of the metric's units and of protected -1e7 values, so the small learning
    rate moves every logit at a similar pace whatever the formula. Baseline: exponential moving
    average (``gamma``) of the iteration's mean reward. Stops after ``iterations``, after
    ``patience`` iterations without a higher mean reward, or when only one evaluation is left
    (kept for the final architecture, the argmax of the policy). The policy's tensors are tiny, so
    the update runs on one torch thread (restored afterwards).
    """

    def __init__(self, *, budget: int | None = None, seed: int = 0, samples: int = 10, lr: float = 0.001,
                 gamma: float = 0.9, iterations: int = 100, patience: int = 30) -> None:
        super().__init__(budget=budget, seed=seed)
        self.samples = samples
        self.lr = lr
        self.gamma = gamma
        self.iterations = iterations
        self.patience = patience

    def validate(self) -> None:
        super().validate()
        positive(self.name, samples=self.samples, lr=self.lr, iterations=self.iterations, patience=self.patience)
        if not 0.0 <= self.gamma < 1.0:
            raise ValueError(f"rl: gamma must be in [0, 1), got {self.gamma!r}")

    def _search(self, tracker: Tracker, rng: np.random.Generator) -> SearchResult:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return tracker.result(self._train(tracker, rng, torch))
        finally:
            torch.set_num_threads(threads)

    def _train(self, tracker: Tracker, rng: np.random.Generator, torch) -> tuple[int, ...]:
        """Policy-gradient iterations; the argmax architecture of the final policy."""
        space = tracker.space
        logits = torch.zeros(space.num_edges, max(len(c) for c in space.choices), dtype=torch.float64,
                             requires_grad=True)
        mask = torch.tensor([[k >= len(c) for k in range(logits.shape[1])] for c in space.choices])
        optimizer = torch.optim.Adam([logits], lr=self.lr)
        baseline, best_mean, stale = None, -np.inf, 0
        for _ in range(self.iterations):
            log_probs = torch.log_softmax(logits.masked_fill(mask, -np.inf), dim=1)
            archs = [space.repair(a, rng) for a in sample_archs(log_probs.exp().detach().numpy(), self.samples, rng)]
            values = evaluate_all(tracker, archs, reserve=1)
            if not values:
                break
            rewards = percentile_rewards(np.array(values), np.fromiter(tracker.values.values(), float))
            mean = float(rewards.mean())
            baseline = mean if baseline is None else baseline
            chosen = torch.tensor(archs[:len(values)])
            picked = log_probs.gather(1, chosen.T).sum(dim=0)
            loss = -(torch.as_tensor(rewards - baseline) * picked).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            baseline = self.gamma * baseline + (1 - self.gamma) * mean
            best_mean, stale = (mean, 0) if mean > best_mean else (best_mean, stale + 1)
            if stale >= self.patience:
                break
        return space.repair(tuple(int(k) for k in logits.detach().masked_fill(mask, -np.inf).argmax(dim=1)), rng)
