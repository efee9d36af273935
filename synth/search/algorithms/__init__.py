"""Search algorithms, one file each, registered by name in :data:`ALGORITHMS`."""
from . import aging, hnas, pmbga, prune, random_search, reinforce  # noqa: F401  (each module registers itself)
from .base import ALGORITHMS, SearchAlgorithm, get_algorithm, register

__all__ = ["ALGORITHMS", "SearchAlgorithm", "get_algorithm", "register"]
