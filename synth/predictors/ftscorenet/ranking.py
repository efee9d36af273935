"""A differentiable Spearman correlation for training rankers on batches of architectures.

The FT-ScoreNet paper uses fast differentiable soft ranks (Blondel et al. 2020, as in torchsort)
with regularization 3.0. torchsort publishes only a source package on PyPI whose build needs a C++
compiler and torch at build time (so a plain ``pip install`` either fails or pulls a second, CUDA
build of torch), so zc-synth uses the pairwise-sigmoid soft rank instead (Qin, Liu and Li 2010):
rank_i = 1/2 + sum_j sigmoid((s_i - s_j) / temperature) on scores standardized within the batch.
It tends to the exact rank as the temperature goes to 0, costs O(batch^2), which is nothing at 64
architectures, and needs no extension.
"""
from __future__ import annotations

import torch


def soft_rank(scores: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """Differentiable ranks (1 = lowest) of a 1-D tensor; scale-free: the scores are standardized first."""
    if scores.dim() != 1:
        raise ValueError(f"soft_rank takes a 1-D tensor; got shape {tuple(scores.shape)}")
    z = (scores - scores.mean()) / (scores.std() + 1e-8)
    return 0.5 + torch.sigmoid((z[:, None] - z[None, :]) / temperature).sum(dim=1)


def exact_rank(values: torch.Tensor) -> torch.Tensor:
    """Average ranks (1 = lowest, ties share their mean rank) as a float tensor."""
    order = torch.argsort(values, stable=True)
    ranks = torch.empty_like(values, dtype=torch.float64)
    ranks[order] = torch.arange(1, len(values) + 1, dtype=torch.float64)
    sorted_values = values[order]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_values[end] != sorted_values[start]:
            ranks[order[start:end]] = ranks[order[start:end]].mean()
            start = end
    return ranks.to(values.dtype if values.is_floating_point() else torch.float32)


def pearson(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pearson correlation of two 1-D tensors."""
    a, b = a - a.mean(), b - b.mean()
    return (a * b).sum() / (a.norm() * b.norm() + 1e-12)


def spearman_loss(scores: torch.Tensor, targets: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """Minus the soft Spearman correlation of ``scores`` with ``targets`` (whose ranks are exact)."""
    return -pearson(soft_rank(scores, temperature), exact_rank(targets).to(scores.dtype))
