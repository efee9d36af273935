"""Benchmark tables (NAS-Bench-Suite-Zero files and the project's own) turned into problems.

Importing this package is light (no pandas): the names below load their modules on first use.
"""
from __future__ import annotations

from importlib import import_module

from zc_core.errors import DataError

_LAZY = {
    "ALIASES": ".problems", "MIN_ROWS": ".problems", "Problem": ".problems", "load_problems": ".problems",
    "resolve_name": ".problems", "SENTINEL": ".suite", "SuiteFile": ".suite", "mask_missing": ".suite",
    "read_suite": ".suite",
}

__all__ = ["ALIASES", "DataError", "MIN_ROWS", "Problem", "SENTINEL", "SuiteFile", "load_problems", "mask_missing",
           "read_suite", "resolve_name"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'benchmarks_data' has no attribute {name!r}")
