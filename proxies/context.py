"""Shared work for one network: the model, the batches and one forward/backward pass for all proxies.

A :class:`Context` is created per architecture by the engine. Everything in it is computed lazily
and once: the reference model (built under the seed), the input batches, and :class:`Pass`, one
forward pass on the shared batch that records what the requested proxies need (ReLU codes, layer
outputs), followed by the backward passes they need (loss gradients w.r.t. weights and layer
outputs, the input Jacobian). Proxies that change a network ask :meth:`Context.new_model` for a
private copy with the same initial weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from .data import ProxyData

WEIGHT_LAYERS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)
BN_LAYERS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def weight_layers(model: nn.Module) -> list[nn.Module]:
    """The conv and linear layers, in module order: the layers the proxies score."""
    return [m for m in model.modules() if isinstance(m, WEIGHT_LAYERS)]


def strip_batchnorm(model: nn.Module) -> nn.Module:
    """Replace every BatchNorm module of ``model`` (in place) by an identity; returns ``model``."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, BN_LAYERS):
                setattr(parent, name, nn.Identity())
    return model


def channels_last_format(sample_ndim: int) -> torch.memory_format | None:
    """The layout the engine runs networks in for samples of ``sample_ndim`` axes (channels first):
    channels-last for 3D volumes, where oneDNN's kernels make NB201 proxies 1.7x faster on the CPU
    (measured: 3.4 against 5.9 s per network, width 8, 16^3 inputs, batch 64) for rounding errors
    against float64 of at most 2.3e-4 relative (2.9e-5 contiguous); ``None`` (contiguous) otherwise.
    2D images stay contiguous: channels-last gained 9 % there, but its batch-norm kernel made
    fisher, ntk_cond and ntk_trace 10x less accurate (e.g. ntk_cond 2.0e-3 against 1.6e-4 relative to
    float64; ``benchmarks/check_proxies_float64.py``). 1D signals have no such layout."""
    return torch.channels_last_3d if sample_ndim == 4 else None


def seed_everything(seed: int) -> None:
    """Seed torch's CPU and CUDA generators (model initialization draws from them)."""
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


@dataclass
class Pass:
    """What one forward (and backward) pass of the shared model on one batch recorded."""

    output: torch.Tensor
    """The network's output; it carries the autograd graph when a proxy needs per-sample gradients."""
    relu_codes: list[torch.Tensor] = field(default_factory=list)
    """Per ReLU module: its input > 0 as a bool matrix (batch, units)."""
    sample_maps: list[torch.Tensor] = field(default_factory=list)
    """Per module whose output is a feature map (batch, channels, *spatial): that map for sample 0."""
    weight_grads: list[torch.Tensor] = field(default_factory=list)
    """Per weight layer: d loss / d weight."""
    channel_products: list[torch.Tensor | None] = field(default_factory=list)
    """Per weight layer: sum over positions of (layer output * d loss / d layer output), shape (batch,
    channels), reduced inside the backward pass so no activation-sized gradient is kept."""
    loss_tensor: torch.Tensor | None = None
    """The loss with its autograd graph (kept for second-order and per-sample proxies)."""
    input_jacobian: torch.Tensor | None = None
    """d sum(output) / d input, shape of the input batch."""
    loss: float = float("nan")

    def release(self, needs: frozenset[str]) -> None:
        """Drop what no proxy with ``needs`` reads, so its memory is freed before the next proxy runs."""
        if "forward" not in needs:
            self.relu_codes, self.sample_maps = [], []
        if not needs & {"grad", "hvp"}:
            self.weight_grads = []
        if "output_grad" not in needs:
            self.channel_products = []
        if "input_grad" not in needs:
            self.input_jacobian = None
        if not needs & {"hvp", "sample_grads"}:
            self.output, self.loss_tensor = self.output.detach(), None


class Context:
    """Lazily computed, shared inputs of every proxy for one network."""

    def __init__(self, factory: Callable[[], nn.Module], data: ProxyData, *, device: torch.device,
                 seed: int = 0, needs: frozenset[str] = frozenset(), batch_size: int = 64) -> None:
        self.factory = factory
        self.data = data
        self.device = device
        self.seed = seed
        self.needs = needs
        self.batch_size = batch_size
        self._cache: dict = {}
        self._serves: dict = {}
        self.later_needs: frozenset[str] | None = None
        """The needs of the proxies still to run after the current one (set by the engine); ``None``
        when unknown, so everything is kept. A proxy may free what only it still reads."""

    def new_model(self, dtype: torch.dtype = torch.float32) -> nn.Module:
        """A fresh network with the same initial weights every call, on the device, in train mode."""
        seed_everything(self.seed)
        model = self.factory()
        if not isinstance(model, nn.Module):
            raise TypeError(f"the model factory returned {type(model).__name__}, not a torch.nn.Module")
        model = model.to(device=self.device, dtype=dtype).train()
        fmt = channels_last_format(len(self.input_shape))
        return model.to(memory_format=fmt) if fmt is not None else model

    @property
    def model(self) -> nn.Module:
        """The shared reference network (proxies read it and must not change it)."""
        return self.cached("model", self.new_model)

    def cached(self, key, compute: Callable, *, serves: frozenset[str] | None = None):
        """``compute()`` once per key and context. ``serves``: the needs of the proxies that read the
        entry; :meth:`release` drops it once no proxy still to run has one of them."""
        if key not in self._cache:
            self._cache[key] = compute()
            if serves is not None:
                self._serves[key] = frozenset(serves)
        return self._cache[key]

    def batch(self, index: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """Batch ``index`` of the data (inputs, labels) on the device; the same for every proxy."""
        def make():
            x, y = self.data.batch(index, self.batch_size, seed=self.seed)
            return x.to(self.device), y.to(self.device)
        return self.cached(("batch", index), make)

    def randn(self, *shape: int, offset: int = 0, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        """Seeded standard-normal noise, drawn on the CPU so every device sees the same numbers."""
        gen = torch.Generator().manual_seed(self.seed * 1_000_003 + offset)
        return torch.randn(*shape, generator=gen, dtype=dtype).to(self.device)

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one input sample, e.g. (3, 32, 32)."""
        return tuple(self.data.x.shape[1:])

    def release(self, needs: frozenset[str]) -> None:
        """Free the shared work that no proxy with ``needs`` (those still to run) reads."""
        if "pass" in self._cache:
            self._cache["pass"].release(needs)
        for key in [k for k, serves in self._serves.items() if not serves & needs]:
            del self._cache[key], self._serves[key]

    def needed_later(self, *needs: str) -> bool:
        """Whether a proxy still to run may read what serves one of ``needs`` (True when unknown)."""
        return self.later_needs is None or bool(self.later_needs & set(needs))

    def forward(self) -> Pass:
        """The shared pass on batch 0: one forward, then the backward passes the proxies need."""
        return self.cached("pass", lambda: run_pass(self.model, *self.batch(0), self.needs))


def run_pass(model: nn.Module, x: torch.Tensor, y: torch.Tensor, needs: frozenset[str]) -> Pass:
    """Forward ``x`` through ``model`` recording activations, then take the gradients ``needs`` asks for.

    Gradients come from ``torch.autograd.grad`` (nothing is written to ``.grad``) and hooks are
    removed before returning, so ``model`` is left as it was apart from BN running statistics. With
    ``sample_grads`` or ``hvp`` in ``needs`` the autograd graph is kept in the returned pass, so
    second-order and per-sample proxies reuse this forward pass.
    """
    want_grad = bool(needs & {"grad", "output_grad", "hvp"})
    want_outputs = "output_grad" in needs
    want_jac = "input_grad" in needs
    keep_graph = bool(needs & {"sample_grads", "hvp"})
    layers = weight_layers(model)
    out_tensors: list[torch.Tensor | None] = [None] * len(layers)
    codes: list[torch.Tensor] = []
    maps: list[torch.Tensor] = []
    hooks = []
    try:
        if "forward" in needs:
            def relu_hook(module, inputs, output):
                codes.append((inputs[0].detach() > 0).flatten(1))

            def map_hook(module, inputs, output):
                if torch.is_tensor(output) and output.ndim >= 3:
                    maps.append(output[0].detach().clone())     # a view would keep the whole batch's map
            hooks += [m.register_forward_hook(relu_hook) for m in model.modules() if isinstance(m, nn.ReLU)]
            hooks += [m.register_forward_hook(map_hook) for m in model.modules()]
        if want_outputs:
            def layer_hook(index):
                def hook(module, inputs, output):
                    out_tensors[index] = output
                return hook
            hooks += [layer.register_forward_hook(layer_hook(i)) for i, layer in enumerate(layers)]
        x = x.detach().requires_grad_(want_jac)
        with torch.set_grad_enabled(want_grad or want_jac or keep_graph):
            output = model(x)
        record = Pass(output=output if keep_graph else output.detach(), relu_codes=codes, sample_maps=maps)
        if want_jac:
            (record.input_jacobian,) = torch.autograd.grad(output.sum(), x, retain_graph=want_grad or keep_graph)
        if want_grad:
            loss = F.cross_entropy(output, y)
            weights = [layer.weight for layer in layers]
            products: list[torch.Tensor | None] = [None] * len(layers)

            def product_hook(index: int, a: torch.Tensor):
                def hook(g: torch.Tensor) -> None:
                    prod = a.detach() * g
                    products[index] = prod.flatten(2).sum(2) if prod.ndim > 2 else prod
                return hook
            tensor_hooks = [t.register_hook(product_hook(i, t)) for i, t in enumerate(out_tensors)
                            if t is not None and t.requires_grad]
            try:
                grads = torch.autograd.grad(loss, weights, retain_graph=keep_graph, allow_unused=True)
            finally:
                for h in tensor_hooks:
                    h.remove()
            record.weight_grads = [g if g is not None else torch.zeros_like(w) for g, w in zip(grads, weights)]
            if keep_graph:
                record.loss_tensor = loss
            record.channel_products = [p.detach() if p is not None else None for p in products]
            record.loss = float(loss.detach())
        return record
    finally:
        for h in hooks:
            h.remove()


def loss_gradients(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> list[torch.Tensor]:
    """d cross-entropy / d weight for every weight layer of ``model`` on one batch."""
    model.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    grads = [layer.weight.grad.detach().clone() if layer.weight.grad is not None else torch.zeros_like(layer.weight)
             for layer in weight_layers(model)]
    model.zero_grad(set_to_none=True)
    return grads
