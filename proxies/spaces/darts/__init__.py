"""The DARTS (NAS-Bench-301) search space: cell encodings, the network builder and the registry's ``SPACE``.

The encodings are plain Python; :class:`DartsNetwork` (torch) loads on first use, so code that only
reads or writes keys does not import torch.
"""
from .encoding import CELL_TYPES, OPS, SIZE, ArchError, from_genotype, to_genotype
from .space import SPACE, DartsSpace

__all__ = ["CELL_TYPES", "OPS", "SIZE", "SPACE", "ArchError", "DartsNetwork", "DartsSpace", "from_genotype",
           "to_genotype"]


def __getattr__(name: str):
    if name == "DartsNetwork":
        from .network import DartsNetwork

        return DartsNetwork
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
