"""zc-synth: synthesize zero-cost NAS proxy metrics by symbolic regression.

``import synth`` is light (no torch). Main entry points: :class:`Formula` (parse, evaluate, export
a metric) and :class:`ProxySynthesizer` (fit a formula on benchmark problems).
"""
from .formula import Formula
from .gp import GPConfig
from .symbolic import FormulaError

__all__ = ["Formula", "FormulaError", "GPConfig", "ProxySynthesizer"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "ProxySynthesizer":
        from .synthesizer import ProxySynthesizer
        return ProxySynthesizer
    raise AttributeError(f"module 'synth' has no attribute {name!r}")
