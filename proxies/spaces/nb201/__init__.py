"""The NAS-Bench-201 search space: cell encodings, the network builder and the registry's ``SPACE``.

The encodings are plain Python; :class:`NB201Network` (torch) loads on first use, so code that only
reads or writes cells does not import torch.
"""
from .encoding import EDGES, OPS, ArchError, Cell, all_cells, random_cells
from .space import SPACE, NB201Space

__all__ = ["EDGES", "OPS", "SPACE", "ArchError", "Cell", "NB201Network", "NB201Space", "all_cells", "random_cells"]


def __getattr__(name: str):
    if name == "NB201Network":
        from .network import NB201Network

        return NB201Network
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
