"""The NAS-Bench-101 search space: cell encodings, the network builder and the registry's ``SPACE``.

The encodings are plain Python; :class:`NB101Network` (torch) loads on first use, so code that only
reads or writes cells does not import torch.
"""
from .encoding import EDGES, MAX_EDGES, OPS, SUITE_CODES, ArchError, Spec
from .space import SPACE, NB101Space

__all__ = ["EDGES", "MAX_EDGES", "OPS", "SPACE", "SUITE_CODES", "ArchError", "NB101Network", "NB101Space", "Spec"]


def __getattr__(name: str):
    if name == "NB101Network":
        from .network import NB101Network

        return NB101Network
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
