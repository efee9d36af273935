"""The NAS-Bench-201 search space: cell encodings and the network builder."""
from .encoding import EDGES, OPS, ArchError, Cell, all_cells, random_cells
from .network import NB201Network

__all__ = ["EDGES", "OPS", "ArchError", "Cell", "NB201Network", "all_cells", "random_cells"]
