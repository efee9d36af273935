"""The user-facing formula: a simplified sympy expression over proxies, evaluated with protected ops.

Build one from a GP tree, from typed text (``Formula("log(flops)*nwot/snip")``), or from JSON; evaluate
it on a DataFrame (or any mapping of columns); export it as text, LaTeX, a numpy callable, a torch
callable (torch imported only then) or JSON.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import sympy

from . import symbolic
from .primitives import PRIMITIVES
from .symbolic import FormulaError


def _rows(data: Any) -> int:
    """Number of rows of a DataFrame or of a mapping of equal-length columns."""
    if hasattr(data, "shape"):
        return int(data.shape[0])
    return len(next(iter(data.values()))) if len(data) else 1


class Formula:
    """A zero-cost proxy metric as a formula over proxy names; higher value = better architecture.
    A :class:`synth.metric.Metric`: it scores each row alone from its proxy columns."""

    population = False
    reads_architectures = False

    def __init__(self, expr: str | sympy.Expr, features: Iterable[str] | None = None):
        if isinstance(expr, str):
            expr = symbolic.parse(expr, features)
        elif not isinstance(expr, sympy.Expr):
            raise FormulaError(f"a formula is text or a sympy expression, not {type(expr).__name__}")
        self.expr: sympy.Expr = expr
        unknown = set(self.features) - set(features) if features is not None else set()
        if unknown:
            raise FormulaError(f"formula uses unknown proxies: {', '.join(sorted(unknown))}")

    @classmethod
    def from_tree(cls, nodes: Sequence[Any]) -> "Formula":
        """Formula of a DEAP prefix tree (primitives named as in :data:`PRIMITIVES`, terminals = proxies)."""
        stack: list[list[Any]] = []
        for node in reversed(nodes):
            if node.arity == 0:
                stack.append(sympy.Symbol(node.value))
            else:
                args = [stack.pop() for _ in range(node.arity)]
                stack.append(PRIMITIVES[node.name].symbolic(*args))
        return cls(stack[0])

    @property
    def features(self) -> list[str]:
        """The proxies the formula reads, sorted."""
        return sorted(s.name for s in self.expr.free_symbols)

    @property
    def size(self) -> int:
        """Number of nodes of the simplified expression."""
        return sum(1 for _ in sympy.preorder_traversal(self.expr))

    def _columns(self, data: Any) -> tuple[Mapping[str, Any], int]:
        missing = [f for f in self.features if f not in data]
        if missing:
            raise FormulaError(f"data lacks column(s) {', '.join(missing)} that formula {self} needs")
        columns = {f: np.asarray(data[f], dtype=float) for f in self.features}
        return columns, _rows(data)

    def evaluate(self, data: Any) -> np.ndarray:
        """Scores for each row of ``data`` (DataFrame or mapping name -> 1-D array)."""
        columns, n = self._columns(data)
        with np.errstate(all="ignore"):
            return np.asarray(symbolic.evaluate(self.expr, columns, np, n), dtype=float)

    __call__ = evaluate

    def score(self, features: Any, archs: Sequence | None = None) -> np.ndarray:
        """The :class:`synth.metric.Metric` call: :meth:`evaluate` on the rows (their keys unused)."""
        return self.evaluate(features)

    def __str__(self) -> str:
        return symbolic.to_string(self.expr)

    def __repr__(self) -> str:
        return f"Formula({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and self.expr == other.expr

    def __hash__(self) -> int:
        return hash(self.expr)

    def to_latex(self) -> str:
        return symbolic.to_latex(self.expr)

    def to_numpy(self) -> Callable[..., np.ndarray]:
        """A plain function ``f(data)`` or ``f(**columns)`` returning a numpy array of scores."""
        def metric(data: Any = None, /, **columns: Any) -> np.ndarray:
            return self.evaluate(columns if data is None else data)
        metric.__doc__ = f"Zero-cost metric {self}; returns one score per row."
        return metric

    def to_torch(self) -> Callable[..., Any]:
        """A function of torch tensors (``f(data)`` or ``f(**tensors)``) with the same semantics."""
        import torch

        def metric(data: Any = None, /, **tensors: Any) -> Any:
            source = tensors if data is None else data
            columns = {f: torch.as_tensor(source[f], dtype=torch.float64) for f in self.features}
            return symbolic.evaluate(self.expr, columns, torch, _rows(source))
        metric.__doc__ = f"Zero-cost metric {self} on torch tensors."
        return metric

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {"formula": str(self), "expr": symbolic.to_json(self.expr)}

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> "Formula":
        """Rebuild a formula from :meth:`to_json` output (or the parsed dict)."""
        try:
            data = json.loads(text) if isinstance(text, str) else text
        except json.JSONDecodeError as exc:
            raise FormulaError(f"malformed formula JSON: {exc.msg}") from None
        if not isinstance(data, Mapping) or "expr" not in data:
            raise FormulaError("formula JSON needs an 'expr' key")
        return cls(symbolic.from_json(data["expr"]))
