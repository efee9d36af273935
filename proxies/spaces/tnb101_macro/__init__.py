"""The TransNAS-Bench-101-Macro search space: stage-code encodings, the network builder and the
registry's ``SPACE`` (tasks and heads are shared with :mod:`proxies.spaces.tnb101_micro`).

The encodings are plain Python; :class:`TNB101MacroNetwork` (torch) loads on first use, so code that
only reads or writes keys does not import torch.
"""
from ..base import ArchError
from .encoding import STAGES, all_codes, parse_key, problem, tnb_string
from .space import SPACE, TNB101MacroSpace

__all__ = ["SPACE", "STAGES", "ArchError", "TNB101MacroNetwork", "TNB101MacroSpace", "all_codes", "parse_key",
           "problem", "tnb_string"]


def __getattr__(name: str):
    if name == "TNB101MacroNetwork":
        from .network import TNB101MacroNetwork

        return TNB101MacroNetwork
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
