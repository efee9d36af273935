"""FT-ScoreNet: scores NB201 cells by their constructed network's response to a learnable input.

score(cell) = MLP(transpose(L2(SymLog(unit_variance(L1(features(cell))))))), where ``features`` is the
(samples, 4C) output of :class:`ConstructedNB201` on the learnable (samples, channels, *spatial) input,
L1 a 1x1 map to 100 features whose weight comes from the same frequency bank, SymLog
sign(x) log2(1 + |x|), L2 a shared linear map to one value per sample, and the MLP maps the
``samples`` values of one cell (the transpose) to its score.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import torch
from torch import nn

from proxies.spaces.nb201.encoding import Cell

from .constructed import EPS, ConstructedNB201
from .kernels import FrequencyBank

L1_FEATURES = 100


@dataclass(frozen=True)
class ScorerConfig:
    """Shape of the scorer; ``samples`` is both the synthetic batch and the MLP's input width."""

    dim: int = 2
    width: int = 8
    cells_per_stage: int = 1
    input_size: int = 16
    in_channels: int = 3
    samples: int = 64
    kernel: int = 7
    hidden: int = 64

    def __post_init__(self) -> None:
        if self.dim not in (1, 2, 3):
            raise ValueError(f"dim must be 1, 2 or 3; got {self.dim}")
        for name in ("width", "cells_per_stage", "input_size", "in_channels", "samples", "kernel", "hidden"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1; got {getattr(self, name)}")
        if self.samples < 2:
            raise ValueError("samples must be >= 2 (batch normalization needs a batch)")

    def to_dict(self) -> dict:
        return asdict(self)


def symlog(x: torch.Tensor) -> torch.Tensor:
    """sign(x) * log2(1 + |x|): compresses the constructed network's large responses, keeps the sign."""
    return torch.sign(x) * torch.log2(1 + x.abs())


class FTScoreNet(nn.Module):
    """The learnable parts: frequency bank, synthetic input, L2 and the per-cell MLP."""

    def __init__(self, config: ScorerConfig = ScorerConfig(), *, seed: int = 0) -> None:
        super().__init__()
        self.config = config
        generator = torch.Generator().manual_seed(seed)
        self.bank = FrequencyBank(config.dim, config.kernel, generator=generator)
        spatial = (config.input_size,) * config.dim
        self.inputs = nn.Parameter(torch.randn((config.samples, config.in_channels, *spatial), generator=generator))
        self.network = ConstructedNB201(config.dim, config.width, config.cells_per_stage)
        with torch.random.fork_rng(devices=[]):     # seeded default inits, global RNG left as it was
            torch.manual_seed(seed)
            self.l2 = nn.Linear(L1_FEATURES, 1)
            layers: list[nn.Module] = []
            width = config.samples
            for _ in range(3):
                layers += [nn.Linear(width, config.hidden), nn.ReLU()]
                width = config.hidden
            self.mlp = nn.Sequential(*layers, nn.Linear(width, 1))

    def forward(self, cells: Sequence["Cell | str | tuple"]) -> torch.Tensor:
        """(len(cells),) scores; higher = predicted more accurate."""
        feats = self.network.features(self.bank, cells, self.inputs)
        weight = self.bank.weight(L1_FEATURES, feats.shape[-1], (1,) * self.config.dim)
        l1 = feats @ weight.reshape(L1_FEATURES, -1).T + self.bank.bias_vector(L1_FEATURES)
        var = l1.reshape(len(cells), -1).var(dim=1).reshape(-1, 1, 1)
        per_sample = self.l2(symlog(l1 / torch.sqrt(var + EPS))).squeeze(-1)
        return self.mlp(per_sample).squeeze(-1)
