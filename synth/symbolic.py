"""Sympy side of formulas: parsing typed text, printing, JSON, and evaluation on arrays.

Formulas are sympy expressions over proxy symbols built from Add/Mul/Pow and the protected
functions of :mod:`synth.primitives`. Sympy's automatic canonicalization simplifies them
(``x - x -> 0``, ``x + x -> 2*x``, ``--x -> x``) while the protected operators stay opaque, so the
simplified formula keeps the tree's protected semantics.
"""
from __future__ import annotations

import ast
from typing import Any, Iterable, Mapping

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from benchmarks_data.problems import did_you_mean

from .errors import FormulaError
from .primitives import PRIMITIVES, PROTECTED, PDiv, PLog, PSqrt, finalize, power

MAX_FORMULA_CHARS = 20_000
MAX_FORMULA_NODES = 2_000
MAX_FORMULA_DEPTH = 100
MAX_CONSTANT_EXPONENT = 1_000
"""Bounds on a typed formula: evolved formulas are far smaller, and larger input only makes the
parser recurse too deep or sympy expand numbers without end (``9**9**9**9``)."""


def _pow(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """``base ** exponent``, refusing a constant power whose exact value sympy would take forever to
    expand."""
    if isinstance(base, sympy.Number) and isinstance(exponent, sympy.Number) and abs(exponent) > MAX_CONSTANT_EXPONENT \
            and abs(base) != 1 and base != 0:
        raise FormulaError(f"constant power {base}**{exponent} is too large (exponents of constants up to "
                           f"{MAX_CONSTANT_EXPONENT})")
    return base ** exponent


_BINOPS: dict[type, Any] = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                            ast.Mult: lambda a, b: a * b, ast.Div: PDiv, ast.Pow: _pow}


class _Str(StrPrinter):
    def _print_PDiv(self, expr: PDiv) -> str:
        num, den = expr.args
        return f"({self.parenthesize(num, 50)}/{self.parenthesize(den, 51)})"

    def _print_PLog(self, expr: PLog) -> str:
        return f"log({self._print(expr.args[0])})"

    def _print_PSqrt(self, expr: PSqrt) -> str:
        return f"sqrt({self._print(expr.args[0])})"


class _Latex(LatexPrinter):
    @staticmethod
    def _power(tex: str, exp: str | None) -> str:
        return r"\left(%s\right)^{%s}" % (tex, exp) if exp else tex

    def _print_PDiv(self, expr: PDiv, exp: str | None = None) -> str:
        return self._power(r"\frac{%s}{%s}" % (self._print(expr.args[0]), self._print(expr.args[1])), exp)

    def _print_PLog(self, expr: PLog, exp: str | None = None) -> str:
        return self._power(r"\log{\left(%s \right)}" % self._print(expr.args[0]), exp)

    def _print_PSqrt(self, expr: PSqrt, exp: str | None = None) -> str:
        return self._power(r"\sqrt{%s}" % self._print(expr.args[0]), exp)

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        return r"\mathrm{%s}" % expr.name.replace("_", r"\_")


def to_string(expr: sympy.Expr) -> str:
    """Readable text that :func:`parse` reads back to the same semantics."""
    text = _Str().doprint(expr)
    if isinstance(expr, PDiv):
        text = text[1:-1]
    return text


def to_latex(expr: sympy.Expr) -> str:
    return _Latex().doprint(expr)


def parse(text: str, allowed: Iterable[str] | None = None) -> sympy.Expr:
    """Parse a typed formula (``"log(flops)*nwot/snip"``, ``"add(nwot, neg(synflow))"``, ``"nwot"``).

    Python expression syntax, read with :mod:`ast` (never evaluated): ``+ - * / **``, numbers, and the
    functions log, sqrt, neg, add, sub, mul, div; ``/`` is protected division and parentheses are
    kept as written. Other names are proxies; with ``allowed`` given, an unknown one raises
    :class:`FormulaError` with a suggestion.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula")
    shown = text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(f"formula {shown!r} is longer than {MAX_FORMULA_CHARS} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {shown!r} has a syntax error: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise FormulaError(f"formula {shown!r} is nested too deeply (at most {MAX_FORMULA_DEPTH} levels)") from None
    nodes, depth = _size(tree.body)
    if nodes > MAX_FORMULA_NODES or depth > MAX_FORMULA_DEPTH:
        raise FormulaError(f"formula {shown!r} has {nodes} terms nested {depth} deep; at most {MAX_FORMULA_NODES} "
                           f"terms and {MAX_FORMULA_DEPTH} levels")
    allowed = None if allowed is None else set(allowed)
    return _from_ast(tree.body, text, allowed)


def _size(root: ast.AST) -> tuple[int, int]:
    """Node count and depth of an expression tree, without recursion."""
    count, deepest, stack = 0, 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        count += 1
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop)))
    return count, deepest


def _from_ast(node: ast.AST, text: str, allowed: set[str] | None) -> sympy.Expr:
    def sub(child: ast.AST) -> sympy.Expr:
        return _from_ast(child, text, allowed)

    if isinstance(node, ast.Name):
        if allowed is not None and node.id not in allowed:
            raise FormulaError(f"unknown proxy {node.id!r} in formula {text!r}{did_you_mean(node.id, allowed)}; "
                               f"available: {', '.join(sorted(allowed))}")
        return sympy.Symbol(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return sympy.Integer(node.value) if isinstance(node.value, int) else sympy.Float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](sub(node.left), sub(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return -sub(node.operand) if isinstance(node.op, ast.USub) else sub(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        primitive = PRIMITIVES.get(node.func.id)
        if primitive and primitive.arity == len(node.args):
            return primitive.symbolic(*[sub(a) for a in node.args])
        known = ", ".join(f"{p.name}/{p.arity}" for p in PRIMITIVES.values())
        raise FormulaError(f"formula {text!r}: unknown function {node.func.id}/{len(node.args)} (known: {known})")
    raise FormulaError(f"formula {text!r}: cannot use {ast.unparse(node)!r} in a formula")


_OPS = {"Add": sympy.Add, "Mul": sympy.Mul, "Pow": sympy.Pow, "PDiv": PDiv, "PLog": PLog, "PSqrt": PSqrt}


def to_json(expr: sympy.Expr) -> Any:
    """Exact nested-JSON form of a formula (see :func:`from_json`)."""
    if isinstance(expr, sympy.Symbol):
        return {"symbol": expr.name}
    if isinstance(expr, sympy.Float):
        return {"float": repr(float(expr))}
    if isinstance(expr, sympy.Rational):
        return {"number": str(expr)}
    name = type(expr).__name__
    if name not in _OPS:
        raise FormulaError(f"cannot serialise {name} in a formula")
    return {"op": name, "args": [to_json(a) for a in expr.args]}


def from_json(node: Any) -> sympy.Expr:
    """Rebuild the exact expression written by :func:`to_json`."""
    try:
        if "symbol" in node:
            return sympy.Symbol(node["symbol"])
        if "float" in node:
            return sympy.Float(float(node["float"]))
        if "number" in node:
            return sympy.Rational(node["number"])
        op = _OPS[node["op"]]
        args = [from_json(a) for a in node["args"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise FormulaError(f"malformed formula JSON near {str(node)[:80]!r} ({exc})") from None
    return op(*args, evaluate=False) if op in (sympy.Add, sympy.Mul, sympy.Pow) else op(*args)


def evaluate(expr: sympy.Expr, columns: Mapping[str, Any], xp: Any, n: int) -> Any:
    """Values of ``expr`` on array columns (numpy or torch ``xp``), protected and finalized."""
    value = _walk(expr, columns, xp)
    if value.ndim == 0:
        value = value + xp.zeros(n, dtype=xp.float64)
    return finalize(xp, value)


def _walk(expr: sympy.Expr, columns: Mapping[str, Any], xp: Any) -> Any:
    if isinstance(expr, sympy.Symbol):
        return columns[expr.name]
    if expr.is_Number:
        return xp.asarray(float(expr), dtype=xp.float64)
    args = [_walk(a, columns, xp) for a in expr.args]
    if isinstance(expr, sympy.Add):
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total
    if isinstance(expr, sympy.Mul):
        total = args[0]
        for a in args[1:]:
            total = total * a
        return total
    if isinstance(expr, sympy.Pow):
        if not expr.exp.is_Number:
            raise FormulaError(f"exponent {expr.exp} is not a number")
        return power(xp, args[0], float(expr.exp))
    if type(expr) in PROTECTED:
        return PROTECTED[type(expr)].apply(xp, *args)
    raise FormulaError(f"unsupported operation {type(expr).__name__} in formula")
