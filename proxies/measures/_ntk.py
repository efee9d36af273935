"""Per-sample gradients through the shared forward pass, shared by the NTK proxies."""
from __future__ import annotations

import torch
from torch import nn


SAMPLES = 16
"""Rows of the NTK: the first 16 samples of the shared batch (train-mode BN statistics still come
from the whole batch). Each row costs one backward pass through the batch, so the CPU cost of the
references' 64 rows is cut by four; the kernel is a principal sub-matrix of theirs."""


def sample_gradients(ctx) -> dict[nn.Parameter, torch.Tensor]:
    """Per parameter of the shared model: (SAMPLES, *shape) gradients of sum_c f_c(x_i) for each
    sample i, one backward pass per sample through the shared forward pass (cached per context)."""
    def make():
        out = ctx.forward().output
        if not out.requires_grad:
            raise RuntimeError("the shared pass kept no autograd graph (declare the 'sample_grads' need)")
        params = [p for p in ctx.model.parameters() if p.requires_grad]
        rows = min(SAMPLES, out.shape[0])
        # allocated before the backward passes, so no long-lived tensor lands between their transients
        # and pins the heap (measured: 1.46 against 0.70 GB peak for one NB201 network)
        stacked = {p: torch.zeros((rows, *p.shape), dtype=p.dtype, device=p.device) for p in params}
        for i in range(rows):
            grads = torch.autograd.grad(out[i].sum(), params, retain_graph=True, allow_unused=True)
            for p, g in zip(params, grads):
                if g is not None:
                    stacked[p][i].copy_(g)
            del grads
        return stacked
    return ctx.cached("ntk_sample_gradients", make, serves={"sample_grads"})


def gram(ctx, params: list[torch.Tensor]) -> torch.Tensor:
    """Theta = G G^T (SAMPLES x SAMPLES, float64), G the per-sample gradients restricted to ``params``,
    summed parameter by parameter so the full (SAMPLES, n_params) matrix never exists."""
    grads = sample_gradients(ctx)
    theta = None
    for p in params:
        block = grads[p].flatten(1).double()
        theta = block @ block.T if theta is None else theta + block @ block.T
    if theta is None:
        raise ValueError("no parameters to build the NTK from")
    return theta
