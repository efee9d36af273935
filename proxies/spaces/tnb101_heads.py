"""TransNAS-Bench-101 layers shared by the micro and macro networks: ReLU-conv-BN, the stem, the task
heads and :class:`TNBNetwork`, which puts a head on an encoder.

Facts from TNB's models (as NAS-Bench-Suite-Zero built them through NASLib): the stem is conv 3x3
stride 2 to width/2 + BN, then ReLU-conv 3x3 stride 2-BN to width; classification heads are global
average pooling + linear; jigsaw runs its 9 tiles through one encoder and classifies the 9 feature
maps stacked along channels; segmentation and the autoencoder/normal tasks end in TNB's conv/deconv
decoders (conv -> BN -> LeakyReLU(0.2) layers, deconvs doubling the resolution, a last conv with
bias). Decoder channels scale with width (TNB's at width 64). The GAN discriminator of TNB's
autoencoder is left out: it never runs in the forward pass (the suite's counter saw none of it).
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from .base import ArchError
from .layers import BN, CONV, GAP
from .tnb101_tasks import JIGSAW_TILES, TASKS


SUITE_WIDTH = 64
"""TNB's base channels: the width at which the decoders have TNB's channel counts."""


class ReLUConvBN(nn.Sequential):
    """ReLU -> conv (no bias) -> BN, TNB's convolution op (padding keeps size; stride 2 gives ceil(n/2))."""

    def __init__(self, dim: int, c_in: int, c_out: int, kernel: int, stride: int) -> None:
        super().__init__(nn.ReLU(inplace=False),
                         CONV[dim](c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
                         BN[dim](c_out))


class Stem(nn.Sequential):
    """conv 3x3 stride 2 to width/2 -> BN -> ReLU-conv 3x3 stride 2-BN to width: 4x smaller maps."""

    def __init__(self, dim: int, c_in: int, width: int) -> None:
        half = max(1, width // 2)
        super().__init__(CONV[dim](c_in, half, 3, stride=2, padding=1, bias=False), BN[dim](half),
                         ReLUConvBN(dim, half, width, 3, 2))


class Encoder(nn.Module):
    """A stem and a sequence of blocks; knows its output channels and how often it halves the maps
    after the stem (the decoders undo stem + reductions)."""

    def __init__(self, stem: nn.Module, blocks: list[nn.Module], out_channels: int, reductions: int) -> None:
        super().__init__()
        self.stem = stem
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = out_channels
        self.reductions = reductions
        for m in self.modules():
            if isinstance(m, tuple(CONV.values())):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.blocks(self.stem(x))


def _conv_layer(c_in: int, c_out: int, *, deconv: bool = False, norm: bool = True) -> list[nn.Module]:
    """TNB's ConvLayer / DeconvLayer (3x3, bias): conv -> BN -> LeakyReLU(0.2); a deconv doubles the size."""
    conv = (nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=1) if deconv
            else nn.Conv2d(c_in, c_out, 3, stride=1, padding=1))
    return [conv, nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)] if norm else [conv]


def _scaled(channels: int, width: int) -> int:
    return max(1, channels * width // SUITE_WIDTH)


def segmentation_decoder(c_in: int, upsample: int, outputs: int, width: int) -> tuple[nn.Sequential, nn.Module]:
    """TNB's segmentation decoder (body, last conv): conv to 16*width, 6 - upsample halving convs,
    upsample - 1 halving deconvs, one deconv, conv to ``outputs`` logits."""
    c = _scaled(1024, width)
    layers = _conv_layer(c_in, c)
    for _ in range(6 - upsample):
        layers += _conv_layer(c, max(1, c // 2))
        c = max(1, c // 2)
    for _ in range(upsample - 1):
        layers += _conv_layer(c, max(1, c // 2), deconv=True)
        c = max(1, c // 2)
    layers += _conv_layer(c, c, deconv=True)
    return nn.Sequential(*layers), nn.Conv2d(c, outputs, 3, padding=1)


_GENERATIVE = (1024, 1024, 512, 512, 256, 128, 64, 64, 32, 32, 16, 32, 16)
"""Output channels of the Pix2Pix decoder's 13 conv/deconv layers (conv1..conv13) at width 64."""
_DECONV_FROM = {3: 6, 5: 5, 7: 4, 9: 3, 11: 0, 13: 0}
"""Layer number -> the upsampling count from which that layer is a deconv (11 and 13 always are)."""


def generative_decoder(c_in: int, upsample: int, outputs: int, width: int) -> tuple[nn.Sequential, nn.Module]:
    """TNB's Pix2Pix decoder (body, last conv + tanh): 13 conv/deconv layers, ``upsample`` of them deconvs."""
    layers: list[nn.Module] = []
    c = c_in
    for number, channels in enumerate(_GENERATIVE, start=1):
        out = _scaled(channels, width)
        layers += _conv_layer(c, out, deconv=number in _DECONV_FROM and upsample >= _DECONV_FROM[number])
        c = out
    return nn.Sequential(*layers), nn.Sequential(nn.Conv2d(c, outputs, 3, padding=1), nn.Tanh())


class TNBNetwork(nn.Module):
    """An encoder with a task head, for inputs (batch, in_channels, *spatial).

    ``task`` None (or a classification task) ends in global average pooling + linear; ``jigsaw``
    reads (batch, 9 * c, H, W), encodes the 9 tiles of c channels as one batch and classifies their
    stacked features; dense tasks (2D only) decode to (batch, outputs, H', W') with H' = the encoder's
    map size x 2^(reductions + 2) (the input's size when it divides by that).
    """

    def __init__(self, make_encoder: Callable[[int], Encoder], *, dim: int, in_channels: int, num_classes: int,
                 width: int, task: str | None) -> None:
        super().__init__()
        spec = TASKS[task] if task is not None else None
        self.head = spec.head if spec is not None else "classify"
        outputs = spec.outputs if spec is not None else num_classes
        if spec is not None and spec.dense and dim != 2:
            raise ArchError(f"task {task!r} predicts 2D maps: it needs dim 2, not {dim}")
        self.tiles = JIGSAW_TILES if self.head == "jigsaw" else 1
        if in_channels % self.tiles:
            raise ArchError(f"task jigsaw reads {JIGSAW_TILES} tiles stacked along channels: in_channels must be "
                            f"a multiple of {JIGSAW_TILES} (27 for RGB tiles); got {in_channels}")
        self.encoder = make_encoder(in_channels // self.tiles)
        channels = self.encoder.out_channels
        if spec is not None and spec.dense:
            build = segmentation_decoder if self.head == "segment" else generative_decoder
            self.decoder, self.last = build(channels, self.encoder.reductions + 2, outputs, width)
        else:
            self.global_pooling = GAP[dim](1)
            self.classifier = nn.Linear(channels * self.tiles, outputs)

    def feature_blocks(self) -> list[nn.Module]:
        """Stem, then every cell or block of the encoder in order (the features AZ-NAS scores)."""
        return [self.encoder.stem, *self.encoder.blocks]

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature map before global pooling (dense tasks: before the decoder's last conv, as NASLib)."""
        if self.tiles > 1:
            batch = x.shape[0]
            y = self.encoder(x.reshape(batch * self.tiles, x.shape[1] // self.tiles, *x.shape[2:]))
            return y.reshape(batch, self.tiles * y.shape[1], *y.shape[2:])
        y = self.encoder(x)
        return self.decoder(y) if self.head in ("segment", "generate") else y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.forward_features(x)
        if self.head in ("segment", "generate"):
            return self.last(y)
        return self.classifier(self.global_pooling(y).flatten(1))
