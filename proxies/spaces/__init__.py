"""The search spaces whose networks zc-synth builds: one registry, one way in.

>>> from proxies import spaces
>>> space = spaces.get("nb101")            # doctest: +SKIP
>>> arch = space.sample(np.random.default_rng(0))
>>> net = space.build(arch, dim=1, in_channels=1, num_classes=5)

Each space lives in ``proxies/spaces/<name>/`` with the same files (``encoding.py``: keys and
canonical forms; ``network.py``: the ``torch.nn.Module``; ``space.py``: the :class:`Space`), and
is one line of :data:`REGISTRY`. Space modules load on first use, so listing the spaces imports
neither torch nor any space.
"""
from __future__ import annotations

import importlib

from zc_core.registry import Registry

from .base import Arch, ArchError, Space, SuiteConfig

REGISTRY: Registry[str] = Registry("search space", error=ArchError)
"""Space name -> the module whose ``SPACE`` is the space (with the suite file space it serves as
metadata): adding a space is its folder and one line."""
REGISTRY.add("nb201", "proxies.spaces.nb201", suite="nasbench201")
REGISTRY.add("nb101", "proxies.spaces.nb101", suite="nasbench101")
REGISTRY.add("darts", "proxies.spaces.darts", suite="nasbench301")
REGISTRY.add("tnb101_micro", "proxies.spaces.tnb101_micro", suite="transbench101_micro")
REGISTRY.add("tnb101_macro", "proxies.spaces.tnb101_macro", suite="transbench101_macro")

SUITE_NAMES: dict[str, str] = {REGISTRY.meta(name)["suite"]: name for name in REGISTRY}
"""NAS-Bench-Suite-Zero file space name (``zc_<name>.json``) -> registered space (checked against
each space's ``suite_names`` by the contract test)."""

_LOADED: dict[str, Space] = {}

__all__ = ["Arch", "ArchError", "REGISTRY", "SUITE_NAMES", "Space", "SuiteConfig", "for_suite", "for_table", "get", "name_for_table",
           "names"]


def names() -> list[str]:
    """The registered space names, in registry order."""
    return list(REGISTRY)


def get(name: "str | Space") -> Space:
    """The space registered as ``name`` (or serving the suite space ``name``, e.g. ``nasbench301``);
    :class:`ArchError` naming the closest space otherwise."""
    if isinstance(name, Space):
        return name
    key = SUITE_NAMES.get(name, name)
    module = REGISTRY.get(key)
    if key not in _LOADED:
        _LOADED[key] = importlib.import_module(module).SPACE
    return _LOADED[key]


def for_suite(suite_space: str) -> Space | None:
    """The space serving a suite file's space name (``nasbench101``...), or None when none does."""
    key = SUITE_NAMES.get(suite_space)
    return get(key) if key else None


def name_for_table(table_space: str) -> str | None:
    """The registered space name of a table's space name (``zc_<name>.json``, up to an ``@`` release
    tag): a suite name (``nasbench301`` -> darts), a space name, or a name starting with one and
    ``-``/``_`` (``nb201-1d``, ``darts-ecg``: tables build-benchmark wrote); None otherwise. Light:
    loads no space."""
    name = table_space.partition("@")[0]
    name = SUITE_NAMES.get(name, name)
    known = [n for n in REGISTRY if name == n or name.startswith(f"{n}-") or name.startswith(f"{n}_")]
    return max(known, key=len) if known else None


def for_table(table_space: str) -> Space:
    """The space of a table's space name (:func:`name_for_table`); NB201 when no registered space
    matches (e.g. ``nb201pre=FILE``, a second release of NB201)."""
    return get(name_for_table(table_space) or "nb201")
