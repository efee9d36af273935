"""Shared features of the three AZ-NAS proxies (Lee & Ham, CVPR 2024)."""
from __future__ import annotations

import math

import torch

from ._blocks import feature_blocks, gaussian_init


def block_features(ctx) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(input, output) of every feature block on a standard-normal batch, Kaiming-normal (fan-in)
    weights, train mode, with the autograd graph kept (cached per context)."""
    def make():
        model = gaussian_init(ctx.new_model(), kaiming=True)
        pairs: list[tuple[torch.Tensor, torch.Tensor]] = []
        hooks = [b.register_forward_hook(lambda m, i, o: pairs.append((i[0], o))) for b in feature_blocks(model)]
        x = ctx.randn(ctx.batch_size, *ctx.input_shape, offset=4).requires_grad_(True)
        try:
            model(x)
        finally:
            for h in hooks:
                h.remove()
        pairs = [(i, o) for i, o in pairs if o.ndim >= 3]
        if len(pairs) < 2:
            raise ValueError("AZ-NAS proxies need at least two feature blocks")
        return pairs
    return ctx.cached("aznas_features", make, serves={"block_features"})


def spectrum_entropy(feature: torch.Tensor) -> float:
    """Entropy of the normalized eigenvalues of the channel covariance of a (B, C, *spatial) map."""
    x = feature.detach().double().movedim(1, -1).reshape(-1, feature.shape[1])
    x = x - x.mean(0)
    eig = torch.linalg.eigvalsh(x.T @ x / x.shape[0]).clamp_min(0)
    p = eig / eig.sum()
    return float(-(p * torch.log(p + 1e-8)).sum())


def space_to_depth(g: torch.Tensor, factor: int) -> torch.Tensor:
    """Fold each factor^d spatial block into channels (PixelUnshuffle for any number of dims d)."""
    b, c, *sizes = g.shape
    d = len(sizes)
    view = [b, c]
    for s in sizes:
        view += [s // factor, factor]
    g = g.reshape(view)
    order = [0, 1] + [3 + 2 * k for k in range(d)] + [2 + 2 * k for k in range(d)]
    return g.permute(order).reshape(b, c * factor ** d, *[s // factor for s in sizes])


def block_trainability(inp: torch.Tensor, out: torch.Tensor, gen: torch.Generator) -> float:
    """-sigma - 1/(sigma + 1e-6) + 2, sigma = spectral norm of E[g_in^T g_out] for a Rademacher
    cotangent g_out and g_in = its vector-Jacobian product; -inf for an identity block."""
    g_out = (torch.randint(0, 2, out.shape, generator=gen).to(out) * 2 - 1)
    (g_in,) = torch.autograd.grad(out, inp, g_out, retain_graph=True)
    if g_in.shape == g_out.shape and torch.equal(g_in, g_out):
        return -math.inf
    if g_in.shape[2:] != g_out.shape[2:]:
        # a stride-2 block maps odd sizes to ceil(n / 2): pad the input side with zeros to factor x out
        factor = -(-g_in.shape[2] // g_out.shape[2])
        pad = [p for k in reversed(range(2, g_in.ndim)) for p in (0, factor * g_out.shape[k] - g_in.shape[k])]
        g_in = space_to_depth(torch.nn.functional.pad(g_in, pad) if any(pad) else g_in, factor)
    a = g_in.double().movedim(1, -1).reshape(-1, g_in.shape[1])
    b = g_out.double().movedim(1, -1).reshape(-1, g_out.shape[1])
    sigma = float(torch.linalg.matrix_norm(a.T @ b / a.shape[0], ord=2))
    return -sigma - 1 / (sigma + 1e-6) + 2
