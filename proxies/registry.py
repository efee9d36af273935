"""The proxy registry: every proxy is a function ``fn(ctx) -> float`` registered by name with its needs.

Needs say what a proxy uses, so the engine can run each shared pass once for all proxies that
want it and can tell data-independent proxies from data-dependent ones:

- ``weights``: the initialized weights only (no forward pass);
- ``forward``: activations of one forward pass on the shared batch (ReLU codes, layer outputs);
- ``data``: real input data (data-independent proxies feed their own synthetic input);
- ``labels``: the batch's labels;
- ``grad``: gradients of the cross-entropy loss w.r.t. the weights;
- ``output_grad``: per weight layer and channel, the sum over positions of its output times the loss
  gradient w.r.t. that output (reduced during the backward pass);
- ``input_grad``: the Jacobian of the summed output w.r.t. the input batch;
- ``hvp``: a Hessian-vector product (a second-order backward pass);
- ``sample_grads``: per-sample gradients (the shared pass keeps its graph for extra backward passes);
- ``batches``: several batches, not just the shared one;
- ``own_model``: a private, identically initialized copy that the proxy may modify;
- ``block_features``: every feature block's input and output on Gaussian input, with the autograd
  graph, of a private Kaiming-initialized copy (the AZ-NAS proxies share it; freed after the last).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from zc_core.errors import ZcError
from zc_core.registry import Registry

NEEDS = frozenset({"weights", "forward", "data", "labels", "grad", "output_grad", "input_grad", "hvp", "sample_grads",
                   "batches", "own_model", "block_features"})


class ProxyError(ZcError):
    """A bad proxy request (unknown name, empty selection)."""


@dataclass(frozen=True)
class Proxy:
    """A registered proxy: its name, the function computing it, and what it needs."""

    name: str
    fn: Callable = field(repr=False)
    needs: frozenset[str] = frozenset()
    suite: bool = False
    """True for the 13 NAS-Bench-Suite-Zero proxies (scores follow the suite's conventions)."""

    @property
    def data_independent(self) -> bool:
        return "data" not in self.needs

    def __call__(self, ctx) -> float:
        return self.fn(ctx)


PROXIES: Registry[Proxy] = Registry("proxy", error=ProxyError)


def register(name: str, *, needs: Iterable[str], suite: bool = False) -> Callable:
    """Decorator: register ``fn(ctx) -> float`` as the proxy ``name``; a duplicate name raises."""
    needs = frozenset(needs)
    unknown = needs - NEEDS
    if unknown:
        raise ValueError(f"proxy {name!r}: unknown needs {sorted(unknown)}; known: {sorted(NEEDS)}")

    def wrap(fn: Callable) -> Callable:
        PROXIES.add(name, Proxy(name, fn, needs, suite), needs=needs, suite=suite)
        return fn

    return wrap


def available() -> Registry[Proxy]:
    """All registered proxies (importing the measures on first use)."""
    from . import measures  # noqa: F401  (registers every proxy)

    return PROXIES


def select(names: "str | Iterable[str] | None") -> list[Proxy]:
    """Proxies by name; ``None``, ``"all"`` or ``["all"]`` selects every one. Unknown names raise."""
    table = available()
    if names is None or names == "all" or list(names) == ["all"]:
        return list(table.values())
    names = [names] if isinstance(names, str) else list(names)
    if not names:
        raise ProxyError("no proxies selected")
    return [table.get(name) for name in names]
