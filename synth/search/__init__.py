"""Metric-driven architecture search (NAS-Bench-201): REINFORCE, PMBGA, TE-NAS-style pruning, aging
evolution and random search over one :class:`SearchSpace` / :class:`Objective` interface.

Lookup mode reads metric values and accuracies from a benchmark table
(:class:`LookupObjective`); live mode computes the proxies on the user's data
(:class:`~synth.search.live.LiveObjective`). Importing this package is light: the names below load
on first use (the NB201 encodings come with the ``proxies`` package, which loads torch), so
``zc-synth`` registers its ``search`` command without importing torch.
"""
from __future__ import annotations

from importlib import import_module

_LAZY = {
    "ALGORITHMS": ".algorithms", "SearchAlgorithm": ".algorithms", "get_algorithm": ".algorithms",
    "register": ".algorithms", "LookupObjective": ".lookup", "load_lookup": ".lookup",
    "objective_from_problem": ".lookup", "LiveObjective": ".live", "BudgetExhausted": ".objective",
    "Objective": ".objective", "SearchResult": ".objective", "Tracker": ".objective",
    "percentile_of": ".objective", "get_space": ".space", "SearchSpace": ".space",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'synth.search' has no attribute {name!r}")
