"""Feature blocks of a network, for proxies that look at features stage by stage (Zen, AZ-NAS)."""
from __future__ import annotations

import torch
from torch import nn


def feature_blocks(model: nn.Module) -> list[nn.Module]:
    """The network's sequence of feature blocks: ``model.feature_blocks()`` when it defines one (the
    NB201 networks: stem then every cell and reduction block), else its direct children."""
    if hasattr(model, "feature_blocks"):
        return list(model.feature_blocks())
    return list(model.children())


def pre_pool_module(model: nn.Module) -> nn.Module | None:
    """The last global-average-pooling module: its input is the pre-GAP feature map."""
    pools = [m for m in model.modules()
             if isinstance(m, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d))]
    return pools[-1] if pools else None


def gaussian_init(model: nn.Module, kaiming: bool = False) -> nn.Module:
    """Re-initialize in place: conv/linear weights N(0, 1) (or Kaiming-normal, fan-in), biases 0, BN
    gamma 1 and beta 0. Weights are drawn in the standard (contiguous) layout and copied in, so a
    channels-last model gets the same values as a contiguous one."""
    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)):
            drawn = torch.empty(m.weight.shape, dtype=m.weight.dtype, device=m.weight.device)
            if kaiming:
                nn.init.kaiming_normal_(drawn, mode="fan_in")
            else:
                nn.init.normal_(drawn)
            with torch.no_grad():
                m.weight.copy_(drawn)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)) and m.affine:
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    return model
