"""zc-synth: synthesize zero-cost NAS proxy metrics by symbolic regression.

``import synth`` is light (no torch, sympy or pandas until used). Main entry points: :class:`Formula`
(parse, evaluate, export a metric) and :class:`ProxySynthesizer` (fit a formula on benchmark problems).
"""
from __future__ import annotations

from importlib import import_module

from .errors import FormulaError

_LAZY = {"Formula": ".formula", "GPConfig": ".gp", "ProxySynthesizer": ".synthesizer"}

__all__ = ["Formula", "FormulaError", "GPConfig", "ProxySynthesizer"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'synth' has no attribute {name!r}")
