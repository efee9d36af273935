"""zico: inverse coefficient of variation of gradients (Li et al., ICLR 2023)."""
import numpy as np
import torch

from ..context import loss_gradients
from ..registry import register

BATCHES = 2


def zico_score(per_batch: list[list[torch.Tensor]]) -> float:
    """sum over layers l of log( sum over weights w of mean_b |g_bw| / std_b(g_bw) ), the mean and
    (population) standard deviation taken over batches b, weights with zero deviation skipped."""
    score = 0.0
    for layer_grads in zip(*per_batch):
        g = torch.stack([t.flatten() for t in layer_grads]).double()
        std = g.std(0, unbiased=False)
        keep = std > 0
        s = float((g.abs().mean(0)[keep] / std[keep]).sum())
        if s > 0:
            score += float(np.log(s))
    return score


@register("zico", needs={"data", "labels", "grad", "batches"})
def zico(ctx) -> float:
    """:func:`zico_score` over two batches (the shared pass's gradients and one more batch). The other
    batches go first: the engine runs zico before any other reader of the shared pass, so their
    forward/backward never coexists with the pass's kept graph (a lower peak)."""
    others = [loss_gradients(ctx.model, *ctx.batch(i)) for i in range(1, BATCHES)]
    return zico_score([ctx.forward().weight_grads] + others)
