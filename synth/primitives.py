"""The one table of GP primitives: name -> arity, array function, sympy builder.

Evaluation of GP trees, sympy formulas and every export go through this table, so they cannot
disagree. Array functions take the array module first (``numpy`` or ``torch``) so the same code
serves both. Protected operators return :data:`BAD` where they are undefined (the paper's
-10,000,000): ``div`` for a zero divisor, ``log`` for x <= 0, ``sqrt`` for x < 0. A non-finite
final value also counts as :data:`BAD` (:func:`finalize`).
"""
from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy

BAD = -10_000_000.0


class PDiv(sympy.Function):
    """Protected division: a / b, or BAD where b == 0."""

    nargs = 2


class PLog(sympy.Function):
    """Protected natural log: log(x), or BAD where x <= 0."""

    nargs = 1


class PSqrt(sympy.Function):
    """Protected square root: sqrt(x), or BAD where x < 0."""

    nargs = 1


def _div(xp: Any, a: Any, b: Any) -> Any:
    safe = b != 0
    return xp.where(safe, a / xp.where(safe, b, 1.0), BAD)


def _log(xp: Any, a: Any) -> Any:
    safe = a > 0
    return xp.where(safe, xp.log(xp.where(safe, a, 1.0)), BAD)


def _sqrt(xp: Any, a: Any) -> Any:
    safe = a >= 0
    return xp.where(safe, xp.sqrt(xp.where(safe, a, 0.0)), BAD)


def _pow(xp: Any, a: Any, exponent: float) -> Any:
    """a ** exponent; BAD where a real result is undefined (negative base, fractional exponent)."""
    if float(exponent).is_integer():
        return _div(xp, 1.0, a ** -exponent) if exponent < 0 else a ** exponent
    safe = a > 0 if exponent < 0 else a >= 0
    return xp.where(safe, xp.where(safe, a, 1.0) ** exponent, BAD)


def finalize(xp: Any, values: Any) -> Any:
    """Map NaN and +-inf to BAD: non-finite scores rank as the worst value."""
    return xp.where(xp.isfinite(values), values, BAD)


@dataclass(frozen=True)
class Primitive:
    """A GP operator: its arity, its array function and the sympy expression it builds."""

    name: str
    arity: int
    apply: Callable[..., Any]
    symbolic: Callable[..., sympy.Expr]


PRIMITIVES: dict[str, Primitive] = {p.name: p for p in (
    Primitive("add", 2, lambda xp, a, b: a + b, lambda a, b: a + b),
    Primitive("sub", 2, lambda xp, a, b: a - b, lambda a, b: a - b),
    Primitive("mul", 2, lambda xp, a, b: a * b, lambda a, b: a * b),
    Primitive("div", 2, _div, PDiv),
    Primitive("neg", 1, lambda xp, a: -a, lambda a: -a),
    Primitive("log", 1, _log, PLog),
    Primitive("sqrt", 1, _sqrt, PSqrt),
)}


def check_feature_names(names: Sequence[str]) -> None:
    """Refuse proxy names a formula cannot hold: not Python identifiers (``a b``), keywords
    (``lambda``), dunder names (``__import__``) or the operators' own names (``log``, ``add``)."""
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__") or name in PRIMITIVES:
            why = ("is an operator of the formulas" if name in PRIMITIVES else "is a Python keyword"
                   if keyword.iskeyword(name) else "starts with '__'" if name.startswith("__")
                   else "is not an identifier (letters, digits and _)")
            raise ValueError(f"proxy name {name!r} {why}: rename that column in the table (or leave it out "
                             "with --features)")


PROTECTED: dict[type, Primitive] = {PDiv: PRIMITIVES["div"], PLog: PRIMITIVES["log"], PSqrt: PRIMITIVES["sqrt"]}
power = _pow
