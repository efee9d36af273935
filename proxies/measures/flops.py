"""flops: forward cost of one sample, in millions (NAS-Bench-Suite-Zero ``flops``, MFLOPs)."""
from __future__ import annotations

import math

import torch
from torch import nn

from ..context import BN_LAYERS, WEIGHT_LAYERS
from ..registry import register
from ..spaces.layers import AvgPool

_POOLS = (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d, nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, AvgPool)
_GAPS = (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)


def _module_flops(module: nn.Module, x: torch.Tensor, y: torch.Tensor) -> int:
    if isinstance(module, WEIGHT_LAYERS):
        if isinstance(module, nn.Linear):
            return y.numel() * module.in_features
        macs = y.numel() * math.prod(module.kernel_size) * module.in_channels // module.groups
        return macs + (y.numel() if module.bias is not None else 0)
    if isinstance(module, BN_LAYERS):
        return 2 * y.numel()
    if isinstance(module, nn.ReLU):
        return y.numel()
    if isinstance(module, _POOLS):
        k = module.kernel_size
        return y.numel() * (k ** (x.ndim - 2) if isinstance(k, int) else math.prod(k))
    if isinstance(module, _GAPS):
        return x.shape[0] * x.shape[1] * math.prod(s + 1 for s in x.shape[2:])
    return 0


def count_flops(model: nn.Module, sample: torch.Tensor) -> float:
    """MFLOPs of ``model`` on ``sample`` (batch 1), counted as NAS-Bench-Suite-Zero does (tensorwatch's
    rules): multiply-adds of conv layers (+ bias) and linear layers (no bias), 2 per BN element,
    1 per ReLU element, the window size per pooled output, and C * prod(size + 1) for a global
    average pool (that counter's convention, kept so values compare with the suite's).
    """
    total = 0
    hooks = []

    def hook(module, inputs, output):
        nonlocal total
        total += _module_flops(module, inputs[0], output)

    try:
        hooks = [m.register_forward_hook(hook) for m in model.modules()]
        with torch.no_grad():
            model(sample)
    finally:
        for h in hooks:
            h.remove()
    return total / 1e6


@register("flops", needs={"weights"}, suite=True)
def flops(ctx) -> float:
    """MFLOPs for one input sample of the data's shape (see :func:`count_flops`)."""
    model = ctx.new_model().eval()
    return count_flops(model, torch.zeros(1, *ctx.input_shape, device=ctx.device))
