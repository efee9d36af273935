"""Search spaces seen by the search algorithms: the registry's spaces (:mod:`proxies.spaces`).

An architecture is its canonical choice tuple (:data:`Arch`); the algorithms only use the
:class:`~proxies.spaces.base.Space` interface (sample, mutate, neighbours, repair, choices), so every
registered space is searchable.
"""
from __future__ import annotations

from proxies.spaces import Arch, ArchError, Space, get, names

SearchSpace = Space
"""The space contract the algorithms use (an alias kept for the search modules)."""

__all__ = ["Arch", "ArchError", "SearchSpace", "get_space", "names"]


def get_space(name: "str | Space") -> Space:
    """The registered space ``name`` (a suite name such as ``nasbench301`` works too)."""
    return get(name)
